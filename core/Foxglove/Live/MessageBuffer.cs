using System.Buffers;

namespace Auki.Foxglove.Live;

/// <summary>
/// The buffer one converted message is written into: like <see cref="ArrayBufferWriter{T}"/>, but its
/// arrays are not zeroed first (a 6.9 MB camera frame would be written twice: zeros, then pixels).
/// The message is then shared, read-only, by every client queue that holds it.
/// </summary>
internal sealed class MessageBuffer(int initialCapacity) : IBufferWriter<byte>
{
    private byte[] _array = GC.AllocateUninitializedArray<byte>(Math.Max(initialCapacity, 256));
    private int _written;

    public ReadOnlyMemory<byte> WrittenMemory => _array.AsMemory(0, _written);

    public void Advance(int count)
    {
        if (count < 0 || _written + count > _array.Length) throw new ArgumentOutOfRangeException(nameof(count));
        _written += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _array.AsMemory(_written);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _array.AsSpan(_written);
    }

    private void Ensure(int sizeHint)
    {
        int needed = _written + Math.Max(sizeHint, 1);
        if (needed <= _array.Length) return;
        var larger = GC.AllocateUninitializedArray<byte>(Math.Max(needed, checked(_array.Length * 2)));
        _array.AsSpan(0, _written).CopyTo(larger);
        _array = larger;
    }
}
