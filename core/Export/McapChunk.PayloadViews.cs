using System.IO.Hashing;

namespace Auki.Export;

public sealed partial class McapChunk
{
    /// <summary>Payload views in record order, each after the buffer's bytes up to its <see cref="PayloadView.BufferEnd"/>.</summary>
    private readonly List<PayloadView> _views = [];

    /// <summary>
    /// Large message data in the buffer whose CRC-32 was taken as it was written (while in cache), by
    /// buffer offset: sealing then reads only the rest (headers, small messages) again.
    /// </summary>
    private readonly List<HashedRange> _hashed = [];

    /// <summary>Bytes of the records that are payload views, not in the buffer.</summary>
    private int _viewBytes;

    /// <summary>The buffer this chunk's records are flattened into when a compressor needs them whole (swapped with the main one).</summary>
    private byte[] _spare = [];

    /// <summary>
    /// A payload left where it lies (a mapped segment), written after the buffer's bytes up to
    /// <paramref name="BufferEnd"/>, with its CRC-32 (taken while it was in cache).
    /// </summary>
    private readonly record struct PayloadView(int BufferEnd, nint Address, int Length, uint Crc);

    /// <summary>Buffer bytes [<paramref name="Start"/>, Start + <paramref name="Length"/>) with their CRC-32.</summary>
    private readonly record struct HashedRange(int Start, int Length, uint Crc);

    /// <summary>Message data from this size on is checksummed as it is added, not when the chunk is sealed.</summary>
    internal const int HashWhileHotBytes = 64 << 10;

    /// <summary>
    /// The data of the message about to be appended lies after the records and its header's room:
    /// checksum it now when large, while it is in cache (the chunk is sealed after its whole slice,
    /// by when a 4 MiB chunk has left the cache). The header is not covered: it is numbered later.
    /// </summary>
    private void HashWhileHot(int dataLength)
    {
        if (dataLength < HashWhileHotBytes) return;
        int start = _length + MessageHeaderSize;
        _hashed.Add(new HashedRange(start, dataLength, Crc32.HashToUInt32(_buffer.AsSpan(start, dataLength))));
    }

    /// <summary>
    /// Like <see cref="TryAdd"/>, but the payload is not copied: the chunk holds its address, and the
    /// writer writes it from there (so its bytes go from the page cache to the output once).
    /// <paramref name="crc"/> is the payload's IEEE CRC-32. The memory must stay valid and unchanged
    /// until the chunk has been written (<see cref="McapWriter.WriteChunk"/>) or cleared.
    /// </summary>
    internal unsafe bool TryAddView(ushort channelId, ulong logTime, ulong publishTime, byte* data, int length, uint crc) =>
        TryAddAround(channelId, logTime, publishTime, [], data, length, crc, []);

    /// <summary>
    /// Like <see cref="TryAddView"/> for a message that is
    /// <paramref name="prefix"/>, the view's bytes, then <paramref name="suffix"/> (a converted camera
    /// frame: the protobuf fields around its pixels are copied, the pixels stay where they lie).
    /// </summary>
    internal unsafe bool TryAddAround(ushort channelId, ulong logTime, ulong publishTime, ReadOnlySpan<byte> prefix, byte* data, int length,
        uint crc, ReadOnlySpan<byte> suffix)
    {
        if (IsSealed) throw AukiException.Closed("the chunk is sealed");
        if (_pending is not null) throw AukiException.Internal("internal error: a message is being encoded into the chunk");
        int inBuffer = prefix.Length + suffix.Length;
        long recordLength = MessageHeaderSize + (long)inBuffer + length;
        if (Length > 0 && (Length + recordLength > _target || Length + recordLength > Array.MaxLength - 1024)) return false;
        if (recordLength > Array.MaxLength - 1024) throw AukiException.Invalid("message too large for one MCAP chunk");
        EnsureCapacity(MessageHeaderSize + inBuffer);
        prefix.CopyTo(_buffer.AsSpan(_length + MessageHeaderSize));
        Append(channelId, logTime, publishTime, inBuffer + length, bufferBytes: MessageHeaderSize + prefix.Length);
        if (length > 0) _views.Add(new PayloadView(_length, (nint)data, length, crc));
        _viewBytes += length;
        suffix.CopyTo(_buffer.AsSpan(_length));
        _length += suffix.Length;
        return true;
    }

    /// <summary>
    /// CRC-32 of the records from the CRCs taken before (views, hashed ranges) and the rest of the
    /// buffer, in record order, without reading a view or a hashed range again.
    /// </summary>
    private uint GatheredCrc()
    {
        uint crc = 0;
        int at = 0, v = 0, h = 0;
        while (v < _views.Count || h < _hashed.Count)
        {
            // Both lists are in buffer order; a view sits at its position, a hashed range starts at its own.
            if (h == _hashed.Count || (v < _views.Count && _views[v].BufferEnd <= _hashed[h].Start))
            {
                var view = _views[v++];
                crc = Crc32Combine.Combine(crc, Crc32.HashToUInt32(_buffer.AsSpan(at, view.BufferEnd - at)), view.BufferEnd - at);
                crc = Crc32Combine.Combine(crc, view.Crc, view.Length);
                at = view.BufferEnd;
            }
            else
            {
                var range = _hashed[h++];
                crc = Crc32Combine.Combine(crc, Crc32.HashToUInt32(_buffer.AsSpan(at, range.Start - at)), range.Start - at);
                crc = Crc32Combine.Combine(crc, range.Crc, range.Length);
                at = range.Start + range.Length;
            }
        }
        return Crc32Combine.Combine(crc, Crc32.HashToUInt32(_buffer.AsSpan(at, _length - at)), _length - at);
    }

    /// <summary>
    /// Copy the views into the buffer (the records then lie whole in it), for a compressor. Done when
    /// sealing, after the messages were numbered, so the headers' buffer offsets are no longer needed.
    /// </summary>
    private unsafe void Flatten()
    {
        int total = Length;
        if (_spare.Length < Math.Max(total, _buffer.Length))
            _spare = GC.AllocateUninitializedArray<byte>(Math.Max(total, _buffer.Length));
        int at = 0, to = 0;
        foreach (var view in _views)
        {
            _buffer.AsSpan(at, view.BufferEnd - at).CopyTo(_spare.AsSpan(to));
            to += view.BufferEnd - at;
            new ReadOnlySpan<byte>((void*)view.Address, view.Length).CopyTo(_spare.AsSpan(to));
            to += view.Length;
            at = view.BufferEnd;
        }
        _buffer.AsSpan(at, _length - at).CopyTo(_spare.AsSpan(to));
        (_buffer, _spare) = (_spare, _buffer);
        _views.Clear();
        _hashed.Clear(); // their offsets were the old buffer's
        _viewBytes = 0;
        _length = total;
    }

    /// <summary>Write the stored bytes (compressed, or the records piece by piece) to <paramref name="output"/>; returns how many.</summary>
    internal unsafe long WriteStoredTo(Stream output)
    {
        if (_storedLength >= 0)
        {
            output.Write(_stored.AsSpan(0, _storedLength));
            return _storedLength;
        }
        int at = 0;
        foreach (var view in _views)
        {
            output.Write(_buffer.AsSpan(at, view.BufferEnd - at));
            // A buffered stream (FileStream) tops its buffer up from a write before passing the rest
            // on: flushed first, the view goes from the page cache to the output with no copy of it.
            output.Flush();
            output.Write(new ReadOnlySpan<byte>((void*)view.Address, view.Length));
            at = view.BufferEnd;
        }
        output.Write(_buffer.AsSpan(at, _length - at));
        return Length;
    }
}
