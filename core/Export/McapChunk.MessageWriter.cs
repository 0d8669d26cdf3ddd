using System.Buffers;

namespace Auki.Export;

public sealed partial class McapChunk
{
    private MessageWriter? _pending;
    private MessageWriter? _writer;

    /// <summary>
    /// Start a message whose data is encoded straight into the chunk, after the room its record
    /// header will take: the returned writer is valid until <see cref="CommitMessage"/> or
    /// <see cref="DiscardMessage"/>. A converted message is so written once, not encoded into a
    /// buffer and then copied in.
    /// </summary>
    internal IBufferWriter<byte> BeginMessage()
    {
        if (IsSealed) throw AukiException.Closed("the chunk is sealed");
        if (_pending is not null) throw AukiException.Internal("internal error: a message is already being encoded into the chunk");
        _pending = _writer ??= new MessageWriter(this);
        _pending.Written = 0;
        return _pending;
    }

    /// <summary>The data encoded since <see cref="BeginMessage"/>.</summary>
    internal ReadOnlySpan<byte> PendingMessage =>
        _pending is null ? default : _buffer.AsSpan(_length + MessageHeaderSize, _pending.Written);

    /// <summary>
    /// Make the message begun by <see cref="BeginMessage"/> part of the chunk, like
    /// <see cref="TryAdd"/>: false when the chunk already held messages and this one takes it past the
    /// target size; it then stays pending (<see cref="PendingMessage"/>, for the next chunk) until
    /// <see cref="DiscardMessage"/>.
    /// </summary>
    internal bool CommitMessage(ushort channelId, ulong logTime, ulong publishTime)
    {
        var pending = _pending ?? throw AukiException.Internal("internal error: no message is being encoded into the chunk");
        if (Length > 0 && (long)Length + MessageHeaderSize + pending.Written > _target) return false;
        _pending = null;
        HashWhileHot(pending.Written);
        Append(channelId, logTime, publishTime, pending.Written);
        return true;
    }

    /// <summary>Drop the message begun by <see cref="BeginMessage"/> (it did not convert, or went to another chunk).</summary>
    internal void DiscardMessage() => _pending = null;

    /// <summary>The chunk's buffer past its records, as an <see cref="IBufferWriter{T}"/> for one message's data.</summary>
    private sealed class MessageWriter(McapChunk chunk) : IBufferWriter<byte>
    {
        public int Written { get; set; }

        public void Advance(int count)
        {
            if (count < 0 || chunk._length + MessageHeaderSize + (long)Written + count > chunk._buffer.Length)
                throw new ArgumentOutOfRangeException(nameof(count));
            Written += count;
        }

        // Reserve first: it may replace the chunk's buffer.
        public Memory<byte> GetMemory(int sizeHint = 0)
        {
            int start = Reserve(sizeHint);
            return chunk._buffer.AsMemory(start);
        }

        public Span<byte> GetSpan(int sizeHint = 0)
        {
            int start = Reserve(sizeHint);
            return chunk._buffer.AsSpan(start);
        }

        /// <summary>Grow the chunk's buffer for at least <paramref name="sizeHint"/> more bytes (1 when 0); returns where they start.</summary>
        private int Reserve(int sizeHint)
        {
            chunk.EnsureCapacity(MessageHeaderSize + (long)Written + Math.Max(sizeHint, 1));
            return chunk._length + MessageHeaderSize + Written;
        }
    }
}
