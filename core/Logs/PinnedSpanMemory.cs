using System.Buffers;

namespace Auki.Logs;

/// <summary>
/// Lets a caller's span (pinned by <c>fixed</c> for the duration of one call) travel as a
/// <see cref="ReadOnlyMemory{T}"/>, which is what the vectored <c>RandomAccess.Write</c>
/// (<c>pwritev</c>) takes. One instance is reused, so a large append allocates nothing.
/// Only valid while the caller's <c>fixed</c> block is active.
/// </summary>
internal sealed unsafe class PinnedSpanMemory : MemoryManager<byte>
{
    private byte* _pointer;
    private int _length;

    public ReadOnlyMemory<byte> Wrap(byte* pointer, int length)
    {
        _pointer = pointer;
        _length = length;
        return Memory;
    }

    public void Clear()
    {
        _pointer = null;
        _length = 0;
    }

    public override Span<byte> GetSpan() => new(_pointer, _length);

    public override MemoryHandle Pin(int elementIndex = 0) => new(_pointer + elementIndex);

    public override void Unpin()
    {
    }

    protected override void Dispose(bool disposing) => Clear();
}
