using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;

namespace Auki.Export;

/// <summary>How chunk records are compressed (MCAP's <c>compression</c> field).</summary>
public enum McapCompression
{
    /// <summary>No compression (<c>""</c>): the fastest export, the largest file.</summary>
    None,
    /// <summary>Zstandard (<c>"zstd"</c>), level 3.</summary>
    Zstd,
    /// <summary>LZ4 frame format (<c>"lz4"</c>).</summary>
    Lz4,
}

/// <summary>Names of <see cref="McapCompression"/> values.</summary>
public static class McapCompressions
{
    /// <summary>Parse a command-line name: <c>zstd</c>, <c>lz4</c>, <c>none</c>.</summary>
    public static McapCompression Parse(string name) => name switch
    {
        "zstd" => McapCompression.Zstd,
        "lz4" => McapCompression.Lz4,
        "none" => McapCompression.None,
        _ => throw AukiException.Invalid($"unknown compression \"{name}\", expected zstd, lz4 or none"),
    };
}

/// <summary>Settings of an <see cref="McapWriter"/>.</summary>
public sealed record McapWriterOptions
{
    /// <summary>Default target size of a chunk's uncompressed records.</summary>
    public const int DefaultChunkSize = 4 << 20;

    /// <summary>Chunk compression.</summary>
    public McapCompression Compression { get; init; } = McapCompression.Zstd;

    /// <summary>
    /// A chunk is closed once its uncompressed records reach this size (a single larger message
    /// gets a chunk of its own).
    /// </summary>
    public int ChunkSize { get; init; } = DefaultChunkSize;

    /// <summary>The Header record's profile (empty: no well-known profile).</summary>
    public string Profile { get; init; } = "";

    /// <summary>The Header record's library field.</summary>
    public string Library { get; init; } = "auki";
}

/// <summary>
/// Writes an MCAP v0 file (mcap.dev/spec) to a stream: magic, Header, Schema and Channel
/// records, Messages in Chunks (optionally compressed) each followed by its Message Index
/// records, Data End with the data-section CRC, a Summary section (Schemas, Channels,
/// Statistics, Chunk Indexes) with Summary Offset records, Footer with the summary CRC, magic.
/// Every CRC is the IEEE CRC-32 the spec names. Not thread-safe.
/// </summary>
/// <remarks>
/// Schemas and channels must be added before the first message that uses them; they are written
/// to the data section when added and repeated in the summary so indexed readers can seek.
/// Messages may arrive in any time order (indexes record each message's log time), but a file
/// written in time order reads fastest.
/// </remarks>
public sealed class McapWriter : IDisposable
{
    /// <summary>The 8 bytes at both ends of every MCAP file: 0x89 "MCAP0" CR LF.</summary>
    public static ReadOnlySpan<byte> Magic => [0x89, (byte)'M', (byte)'C', (byte)'A', (byte)'P', (byte)'0', (byte)'\r', (byte)'\n'];

    internal const byte OpHeader = 0x01;
    internal const byte OpFooter = 0x02;
    internal const byte OpSchema = 0x03;
    internal const byte OpChannel = 0x04;
    internal const byte OpMessage = 0x05;
    internal const byte OpChunk = 0x06;
    internal const byte OpMessageIndex = 0x07;
    internal const byte OpChunkIndex = 0x08;
    internal const byte OpStatistics = 0x0B;
    internal const byte OpSummaryOffset = 0x0E;
    internal const byte OpDataEnd = 0x0F;

    /// <summary>Opcode, length and the fixed fields of a Message record.</summary>
    private const int MessageHeaderSize = 1 + 8 + 2 + 4 + 8 + 8;

    private readonly Stream _output;
    private readonly McapWriterOptions _options;
    private readonly Crc32 _crc = new();
    private readonly RecordBuilder _record = new();
    private readonly List<byte[]> _schemaRecords = [];
    private readonly List<byte[]> _channelRecords = [];
    private readonly List<ChannelState> _channels = [];
    private readonly List<byte[]> _chunkIndexRecords = [];
    private readonly List<ushort> _chunkChannels = [];
    private readonly ChunkCompressor _compressor;

    private byte[] _chunk;
    private int _chunkLength;
    private int _chunkMessages;
    private ulong _chunkStartTime;
    private ulong _chunkEndTime;
    private long _position;
    private bool _hashing = true;
    private bool _finished;

    private ulong _messageCount;
    private ulong _startTime;
    private ulong _endTime;
    private uint _chunkCount;

    /// <summary>Start a file on <paramref name="output"/>: writes the magic and the Header record.</summary>
    public McapWriter(Stream output, McapWriterOptions? options = null)
    {
        _output = output;
        _options = options ?? new McapWriterOptions();
        if (_options.ChunkSize <= 0) throw AukiException.Invalid("chunk size must be positive");
        _chunk = GC.AllocateUninitializedArray<byte>(Math.Min(_options.ChunkSize, 64 << 20) + MessageHeaderSize);
        _compressor = ChunkCompressor.Create(_options.Compression);
        Write(Magic);
        _record.Begin(OpHeader).String(_options.Profile).String(_options.Library);
        Write(_record.End());
    }

    /// <summary>Bytes written so far.</summary>
    public long Position => _position;

    /// <summary>Messages written so far.</summary>
    public ulong MessageCount => _messageCount;

    /// <summary>Channels added so far.</summary>
    public int ChannelCount => _channels.Count;

    /// <summary>Schemas added so far.</summary>
    public int SchemaCount => _schemaRecords.Count;

    /// <summary>Chunks written so far.</summary>
    public uint ChunkCount => _chunkCount;

    /// <summary>Add a schema; returns its id (1, 2, …).</summary>
    public ushort AddSchema(string name, string encoding, ReadOnlySpan<byte> data)
    {
        ThrowIfFinished();
        if (_schemaRecords.Count == ushort.MaxValue) throw AukiException.Invalid("too many schemas for one MCAP file (65535)");
        ushort id = (ushort)(_schemaRecords.Count + 1);
        _record.Begin(OpSchema).U16(id).String(name).String(encoding).U32((uint)data.Length).Bytes(data);
        var record = _record.End().ToArray();
        _schemaRecords.Add(record);
        Write(record);
        return id;
    }

    /// <summary>
    /// Add a channel on <paramref name="topic"/> (schema 0 = none); returns its id (1, 2, …).
    /// Metadata is written sorted by key.
    /// </summary>
    public ushort AddChannel(ushort schemaId, string topic, string messageEncoding, IEnumerable<KeyValuePair<string, string>> metadata)
    {
        ThrowIfFinished();
        if (schemaId > _schemaRecords.Count) throw AukiException.Invalid($"unknown schema id {schemaId}");
        if (_channels.Count == ushort.MaxValue - 1) throw AukiException.Invalid("too many channels for one MCAP file (65534)");
        ushort id = (ushort)(_channels.Count + 1);
        _record.Begin(OpChannel).U16(id).U16(schemaId).String(topic).String(messageEncoding);
        int mapStart = _record.BeginLength32();
        foreach (var (key, value) in metadata.OrderBy(p => p.Key, StringComparer.Ordinal))
            _record.String(key).String(value);
        _record.EndLength32(mapStart);
        var record = _record.End().ToArray();
        _channelRecords.Add(record);
        _channels.Add(new ChannelState());
        Write(record);
        return id;
    }

    /// <summary>
    /// Add one message on <paramref name="channelId"/>; its sequence number is the channel's message
    /// count so far. The data is copied into the current chunk, which is written out when full.
    /// </summary>
    public void WriteMessage(ushort channelId, ulong logTime, ulong publishTime, ReadOnlySpan<byte> data)
    {
        ThrowIfFinished();
        if (channelId == 0 || channelId > _channels.Count) throw AukiException.Invalid($"unknown channel id {channelId}");
        long recordLength = MessageHeaderSize + (long)data.Length;
        if (recordLength > Array.MaxLength - 1024) throw AukiException.Invalid("message too large for one MCAP chunk");
        if (_chunkLength > 0 && _chunkLength + recordLength > _options.ChunkSize) FlushChunk();
        EnsureChunkCapacity((int)recordLength);

        var channel = _channels[channelId - 1];
        Span<byte> header = _chunk.AsSpan(_chunkLength, MessageHeaderSize);
        header[0] = OpMessage;
        BinaryPrimitives.WriteUInt64LittleEndian(header[1..], (ulong)(recordLength - 9));
        BinaryPrimitives.WriteUInt16LittleEndian(header[9..], channelId);
        BinaryPrimitives.WriteUInt32LittleEndian(header[11..], unchecked((uint)channel.Count));
        BinaryPrimitives.WriteUInt64LittleEndian(header[15..], logTime);
        BinaryPrimitives.WriteUInt64LittleEndian(header[23..], publishTime);
        data.CopyTo(_chunk.AsSpan(_chunkLength + MessageHeaderSize));

        if (channel.Index.Count == 0) _chunkChannels.Add(channelId);
        channel.Index.Add((logTime, (ulong)_chunkLength));
        channel.Count++;
        _chunkLength += (int)recordLength;

        if (_messageCount == 0 || logTime < _startTime) _startTime = logTime;
        if (_messageCount == 0 || logTime > _endTime) _endTime = logTime;
        if (_chunkMessages == 0 || logTime < _chunkStartTime) _chunkStartTime = logTime;
        if (_chunkMessages == 0 || logTime > _chunkEndTime) _chunkEndTime = logTime;
        _chunkMessages++;
        _messageCount++;
        if (_chunkLength >= _options.ChunkSize) FlushChunk();
    }

    /// <summary>
    /// Close the data section and write the summary, summary offsets, footer and closing magic.
    /// Flushes the stream but does not close it. Idempotent.
    /// </summary>
    public void Finish()
    {
        if (_finished) return;
        if (_chunkLength > 0) FlushChunk();

        uint dataCrc = _crc.GetCurrentHashAsUInt32();
        _hashing = false;
        _record.Begin(OpDataEnd).U32(dataCrc);
        Write(_record.End());

        // The summary CRC covers everything from here through the footer's offset fields.
        _crc.Reset();
        _hashing = true;
        long summaryStart = _position;
        var groups = new List<(byte Opcode, long Start, long Length)>();
        WriteGroup(OpSchema, _schemaRecords, groups);
        WriteGroup(OpChannel, _channelRecords, groups);
        WriteGroup(OpStatistics, [StatisticsRecord()], groups);
        WriteGroup(OpChunkIndex, _chunkIndexRecords, groups);

        long summaryOffsetStart = _position;
        foreach (var (opcode, start, length) in groups)
        {
            _record.Begin(OpSummaryOffset).U8(opcode).U64((ulong)start).U64((ulong)length);
            Write(_record.End());
        }

        Span<byte> footer = stackalloc byte[1 + 8 + 8 + 8 + 4];
        footer[0] = OpFooter;
        BinaryPrimitives.WriteUInt64LittleEndian(footer[1..], 20);
        BinaryPrimitives.WriteUInt64LittleEndian(footer[9..], (ulong)summaryStart);
        BinaryPrimitives.WriteUInt64LittleEndian(footer[17..], (ulong)summaryOffsetStart);
        _crc.Append(footer[..25]);
        BinaryPrimitives.WriteUInt32LittleEndian(footer[25..], _crc.GetCurrentHashAsUInt32());
        _hashing = false;
        Write(footer);
        Write(Magic);
        _output.Flush();
        _finished = true;
    }

    /// <summary>Releases the compressor; does not finish the file (call <see cref="Finish"/>) or close the stream.</summary>
    public void Dispose() => _compressor.Dispose();

    private void WriteGroup(byte opcode, List<byte[]> records, List<(byte, long, long)> groups)
    {
        if (records.Count == 0) return;
        long start = _position;
        foreach (var r in records) Write(r);
        groups.Add((opcode, start, _position - start));
    }

    private byte[] StatisticsRecord()
    {
        _record.Begin(OpStatistics)
            .U64(_messageCount)
            .U16((ushort)_schemaRecords.Count)
            .U32((uint)_channels.Count)
            .U32(0) // attachments
            .U32(0) // metadata
            .U32(_chunkCount)
            .U64(_messageCount > 0 ? _startTime : 0)
            .U64(_messageCount > 0 ? _endTime : 0);
        int map = _record.BeginLength32();
        for (int i = 0; i < _channels.Count; i++) _record.U16((ushort)(i + 1)).U64((ulong)_channels[i].Count);
        _record.EndLength32(map);
        return _record.End().ToArray();
    }

    private void FlushChunk()
    {
        ReadOnlySpan<byte> records = _chunk.AsSpan(0, _chunkLength);
        uint uncompressedCrc = Crc32.HashToUInt32(records);
        ReadOnlySpan<byte> stored = _compressor.Compress(records);

        long chunkStart = _position;
        _record.Begin(OpChunk)
            .U64(_chunkStartTime)
            .U64(_chunkEndTime)
            .U64((ulong)records.Length)
            .U32(uncompressedCrc)
            .String(_compressor.Name)
            .U64((ulong)stored.Length);
        // The record's length field covers the records that follow the builder's bytes.
        Write(_record.End(extraContentLength: stored.Length));
        Write(stored);
        long chunkLength = _position - chunkStart;

        _chunkChannels.Sort();
        var indexOffsets = new List<(ushort Channel, long Offset)>(_chunkChannels.Count);
        long indexStart = _position;
        foreach (ushort channelId in _chunkChannels)
        {
            var index = _channels[channelId - 1].Index;
            indexOffsets.Add((channelId, _position));
            _record.Begin(OpMessageIndex).U16(channelId).U32((uint)(index.Count * 16));
            foreach (var (time, offset) in index) _record.U64(time).U64(offset);
            Write(_record.End());
            index.Clear();
        }
        long indexLength = _position - indexStart;

        _record.Begin(OpChunkIndex)
            .U64(_chunkStartTime)
            .U64(_chunkEndTime)
            .U64((ulong)chunkStart)
            .U64((ulong)chunkLength);
        int map = _record.BeginLength32();
        foreach (var (channelId, offset) in indexOffsets) _record.U16(channelId).U64((ulong)offset);
        _record.EndLength32(map);
        _record.U64((ulong)indexLength)
            .String(_compressor.Name)
            .U64((ulong)stored.Length)
            .U64((ulong)records.Length);
        _chunkIndexRecords.Add(_record.End().ToArray());

        _chunkChannels.Clear();
        _chunkLength = 0;
        _chunkMessages = 0;
        _chunkCount++;
    }

    private void EnsureChunkCapacity(int recordLength)
    {
        long needed = (long)_chunkLength + recordLength;
        if (needed <= _chunk.Length) return;
        long size = Math.Max(needed, Math.Min(2L * _chunk.Length, Array.MaxLength));
        var bigger = GC.AllocateUninitializedArray<byte>((int)size);
        _chunk.AsSpan(0, _chunkLength).CopyTo(bigger);
        _chunk = bigger;
    }

    private void Write(ReadOnlySpan<byte> bytes)
    {
        _output.Write(bytes);
        if (_hashing) _crc.Append(bytes);
        _position += bytes.Length;
    }

    private void ThrowIfFinished()
    {
        if (_finished) throw new AukiException(AukiErrorCode.Closed, "the MCAP file has been finished");
    }

    private sealed class ChannelState
    {
        public long Count;
        public readonly List<(ulong Time, ulong Offset)> Index = [];
    }

    /// <summary>Serializes one record at a time: opcode, a u64 length patched at the end, then fields.</summary>
    private sealed class RecordBuilder
    {
        private byte[] _buffer = new byte[4096];
        private int _length;

        public RecordBuilder Begin(byte opcode)
        {
            _length = 0;
            Reserve(9)[0] = opcode;
            _length = 9;
            return this;
        }

        /// <summary>The finished record (valid until the next Begin); <paramref name="extraContentLength"/> counts bytes the caller writes after it.</summary>
        public ReadOnlySpan<byte> End(long extraContentLength = 0)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(_buffer.AsSpan(1), (ulong)(_length - 9 + extraContentLength));
            return _buffer.AsSpan(0, _length);
        }

        public RecordBuilder U8(byte v) { Reserve(1)[0] = v; _length += 1; return this; }
        public RecordBuilder U16(ushort v) { BinaryPrimitives.WriteUInt16LittleEndian(Reserve(2), v); _length += 2; return this; }
        public RecordBuilder U32(uint v) { BinaryPrimitives.WriteUInt32LittleEndian(Reserve(4), v); _length += 4; return this; }
        public RecordBuilder U64(ulong v) { BinaryPrimitives.WriteUInt64LittleEndian(Reserve(8), v); _length += 8; return this; }

        public RecordBuilder Bytes(ReadOnlySpan<byte> v)
        {
            v.CopyTo(Reserve(v.Length));
            _length += v.Length;
            return this;
        }

        public RecordBuilder String(string v)
        {
            int n = Encoding.UTF8.GetByteCount(v);
            U32((uint)n);
            Encoding.UTF8.GetBytes(v, Reserve(n));
            _length += n;
            return this;
        }

        /// <summary>Start a u32 byte-length prefix (maps, arrays); returns where it is.</summary>
        public int BeginLength32()
        {
            int at = _length;
            U32(0);
            return at;
        }

        public void EndLength32(int at) =>
            BinaryPrimitives.WriteUInt32LittleEndian(_buffer.AsSpan(at), (uint)(_length - at - 4));

        private Span<byte> Reserve(int n)
        {
            if (_length + n > _buffer.Length) Array.Resize(ref _buffer, Math.Max(_length + n, _buffer.Length * 2));
            return _buffer.AsSpan(_length, n);
        }
    }
}
