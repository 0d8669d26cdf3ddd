using System.Buffers.Binary;

namespace Auki.Export;

public sealed partial class McapChunk
{
    /// <summary>
    /// True for a chunk of large messages whose contents did not compress: sealed uncompressed
    /// (MCAP compression <c>""</c>) whatever the writer's compression, so no time is spent on it
    /// and readers copy it out. Set by <see cref="SplitLarge"/>; cleared with the chunk.
    /// </summary>
    internal bool StoreUncompressed { get; private set; }

    /// <summary>
    /// Move this chunk's records into <paramref name="large"/> (messages with at least
    /// <paramref name="minBytes"/> of data, marked <see cref="StoreUncompressed"/>) and
    /// <paramref name="rest"/> (the others, compressed as usual), both empty and in record order.
    /// This chunk is left empty. Done before numbering: each part is numbered as a chunk of its own.
    /// </summary>
    internal void SplitLarge(int minBytes, McapChunk large, McapChunk rest)
    {
        if (IsSealed || _pending is not null || _views.Count > 0)
            throw AukiException.Internal("internal error: only an unsealed chunk of buffered records can be split");
        if (large.MessageCount > 0 || rest.MessageCount > 0) throw AukiException.Internal("internal error: split into a chunk in use");
        var records = _buffer.AsSpan(0, _length);
        for (int at = 0; at < records.Length;)
        {
            int recordLength = 9 + (int)BinaryPrimitives.ReadUInt64LittleEndian(records[(at + 1)..]);
            var record = records.Slice(at, recordLength);
            ushort channelId = BinaryPrimitives.ReadUInt16LittleEndian(record[9..]);
            ulong logTime = BinaryPrimitives.ReadUInt64LittleEndian(record[15..]);
            ulong publishTime = BinaryPrimitives.ReadUInt64LittleEndian(record[23..]);
            var data = record[MessageHeaderSize..];
            (data.Length >= minBytes ? large : rest).AddWhole(channelId, logTime, publishTime, data);
            at += recordLength;
        }
        large.StoreUncompressed = large.MessageCount > 0;
        Clear();
    }

    /// <summary>Append a message whatever the target size (a part of a chunk that held it).</summary>
    private void AddWhole(ushort channelId, ulong logTime, ulong publishTime, ReadOnlySpan<byte> data)
    {
        EnsureCapacity(MessageHeaderSize + data.Length);
        data.CopyTo(_buffer.AsSpan(_length + MessageHeaderSize));
        Append(channelId, logTime, publishTime, data.Length);
    }

    /// <summary>
    /// The data of the messages of at least <paramref name="minBytes"/>, in record order, copied
    /// into <paramref name="sample"/> until it is full; returns the bytes copied and (in
    /// <paramref name="total"/>) the bytes of all such messages.
    /// </summary>
    internal int SampleLarge(int minBytes, Span<byte> sample, out long total)
    {
        if (_views.Count > 0) throw AukiException.Internal("internal error: the chunk holds payload views");
        total = 0;
        int copied = 0;
        var records = _buffer.AsSpan(0, _length);
        for (int at = 0; at < records.Length;)
        {
            int recordLength = 9 + (int)BinaryPrimitives.ReadUInt64LittleEndian(records[(at + 1)..]);
            var data = records.Slice(at + MessageHeaderSize, recordLength - MessageHeaderSize);
            if (data.Length >= minBytes)
            {
                total += data.Length;
                int n = Math.Min(data.Length, sample.Length - copied);
                data[..n].CopyTo(sample[copied..]);
                copied += n;
            }
            at += recordLength;
        }
        return copied;
    }
}
