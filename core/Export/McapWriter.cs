using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;

namespace Auki.Export;

/// <summary>How chunk records are compressed (MCAP's <c>compression</c> field).</summary>
public enum McapCompression
{
    /// <summary>No compression (<c>""</c>): the fastest export, the largest file.</summary>
    None,
    /// <summary>Zstandard (<c>"zstd"</c>), level 3, blocks not pre-split.</summary>
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
/// records, Metadata records when added, Data End with the data-section CRC, a Summary section
/// (Schemas, Channels, Statistics, Chunk Indexes, Metadata Indexes) with Summary Offset records, Footer with the summary CRC, magic.
/// Every CRC is the IEEE CRC-32 the spec names. Not thread-safe, but chunks may be filled on other
/// threads (<see cref="McapChunk"/>) and handed to <see cref="WriteChunk"/> in file order.
/// </summary>
/// <remarks>
/// Schemas and channels must be added before the first message that uses them; they are written
/// to the data section when added and repeated in the summary so indexed readers can seek.
/// Message sequence numbers count each channel's messages in file order.
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
    internal const byte OpMetadata = 0x0C;
    internal const byte OpMetadataIndex = 0x0D;
    internal const byte OpSummaryOffset = 0x0E;
    internal const byte OpDataEnd = 0x0F;

    private readonly Stream _output;
    private readonly McapWriterOptions _options;
    private readonly RecordBuilder _record = new();
    private readonly List<byte[]> _schemaRecords = [];
    private readonly List<byte[]> _channelRecords = [];
    private long[] _channelCounts = [0]; // indexed by channel id; [0] unused
    private readonly List<byte[]> _chunkIndexRecords = [];
    private readonly List<byte[]> _metadataIndexRecords = [];
    private readonly ChunkCompressor _compressor;
    private readonly McapChunk _chunk;

    private long _position;
    private uint _dataCrc;
    private Crc32? _summaryCrc;
    private bool _finished;

    private ulong _messageCount;
    private ulong _startTime;
    private ulong _endTime;
    private uint _chunkCount;
    private uint _uncompressedChunks;

    /// <summary>Start a file on <paramref name="output"/>: writes the magic and the Header record.</summary>
    public McapWriter(Stream output, McapWriterOptions? options = null)
    {
        _output = output;
        _options = options ?? new McapWriterOptions();
        if (_options.ChunkSize <= 0) throw AukiException.Invalid("chunk size must be positive");
        _compressor = ChunkCompressor.Create(_options.Compression);
        _chunk = new McapChunk(_options.ChunkSize);
        Write(Magic);
        _record.Begin(OpHeader).String(_options.Profile).String(_options.Library);
        Write(_record.End());
    }

    /// <summary>The options in effect.</summary>
    public McapWriterOptions Options => _options;

    /// <summary>Bytes written so far.</summary>
    public long Position => _position;

    /// <summary>Messages written so far.</summary>
    public ulong MessageCount => _messageCount;

    /// <summary>Channels added so far.</summary>
    public int ChannelCount => _channelCounts.Length - 1;

    /// <summary>Schemas added so far.</summary>
    public int SchemaCount => _schemaRecords.Count;

    /// <summary>Chunks written so far.</summary>
    public uint ChunkCount => _chunkCount;

    /// <summary>Of <see cref="ChunkCount"/>, those stored uncompressed although the file is compressed (their contents did not compress).</summary>
    public uint UncompressedChunkCount => _uncompressedChunks;

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
        if (ChannelCount == ushort.MaxValue - 1) throw AukiException.Invalid("too many channels for one MCAP file (65534)");
        ushort id = (ushort)(ChannelCount + 1);
        _record.Begin(OpChannel).U16(id).U16(schemaId).String(topic).String(messageEncoding);
        int mapStart = _record.BeginLength32();
        foreach (var (key, value) in metadata.OrderBy(p => p.Key, StringComparer.Ordinal))
            _record.String(key).String(value);
        _record.EndLength32(mapStart);
        var record = _record.End().ToArray();
        _channelRecords.Add(record);
        Array.Resize(ref _channelCounts, id + 1);
        Write(record);
        return id;
    }

    /// <summary>
    /// Write a Metadata record (a named string map: what the file came from) to the data section,
    /// indexed in the summary. Entries are written sorted by key.
    /// </summary>
    public void AddMetadata(string name, IEnumerable<KeyValuePair<string, string>> metadata)
    {
        ThrowIfFinished();
        if (_chunk.MessageCount > 0) WriteChunk(_chunk); // a record never goes inside an open chunk
        long start = _position;
        _record.Begin(OpMetadata).String(name);
        int mapStart = _record.BeginLength32();
        foreach (var (key, value) in metadata.OrderBy(p => p.Key, StringComparer.Ordinal))
            _record.String(key).String(value);
        _record.EndLength32(mapStart);
        Write(_record.End());
        _record.Begin(OpMetadataIndex).U64((ulong)start).U64((ulong)(_position - start)).String(name);
        _metadataIndexRecords.Add(_record.End().ToArray());
    }

    /// <summary>
    /// Add one message on <paramref name="channelId"/> to the writer's own chunk, which is written
    /// out when it reaches the chunk size.
    /// </summary>
    public void WriteMessage(ushort channelId, ulong logTime, ulong publishTime, ReadOnlySpan<byte> data)
    {
        ThrowIfFinished();
        CheckChannel(channelId);
        if (!_chunk.TryAdd(channelId, logTime, publishTime, data))
        {
            WriteChunk(_chunk);
            _chunk.TryAdd(channelId, logTime, publishTime, data);
        }
        if (_chunk.IsFull) WriteChunk(_chunk);
    }

    /// <summary>
    /// Write a filled chunk (from any thread's <see cref="McapChunk"/>) with its message indexes; the
    /// chunk is emptied for reuse. An unsealed chunk is numbered after everything written before
    /// and checksummed here; a sealed one (<see cref="McapChunk.Seal"/>) was numbered by its builder
    /// from the counts this writer has reached, and is written as it is.
    /// </summary>
    public void WriteChunk(McapChunk chunk)
    {
        ThrowIfFinished();
        if (chunk.MessageCount == 0) return;
        foreach (ushort channelId in chunk.Channels) CheckChannel(channelId);
        if (!ReferenceEquals(chunk, _chunk) && _chunk.MessageCount > 0) WriteChunk(_chunk);
        if (chunk.IsSealed)
        {
            // Uncompressed ("") is any file's choice for a chunk whose contents did not compress.
            if (chunk.CompressionName != _compressor.Name && chunk.CompressionName != "")
                throw AukiException.Invalid("chunk sealed with another compression");
            chunk.AddCounts(_channelCounts);
        }
        else
        {
            chunk.Number(_channelCounts);
            chunk.Seal(_compressor);
        }
        long recordsLength = chunk.Length;
        long storedLength = chunk.StoredLength;
        uint uncompressedCrc = chunk.UncompressedCrc;
        uint storedCrc = chunk.StoredCrc;

        long chunkStart = _position;
        _record.Begin(OpChunk)
            .U64(chunk.StartTime)
            .U64(chunk.EndTime)
            .U64((ulong)recordsLength)
            .U32(uncompressedCrc)
            .String(chunk.CompressionName)
            .U64((ulong)storedLength);
        // The record's length field also covers the records written after the builder's bytes.
        Write(_record.End(extraContentLength: storedLength));
        WriteStored(chunk, storedCrc);
        long chunkLength = _position - chunkStart;

        var indexOffsets = new List<(ushort Channel, long Offset)>(chunk.Channels.Count);
        long indexStart = _position;
        foreach (ushort channelId in chunk.Channels.Order())
        {
            var index = chunk.IndexOf(channelId);
            indexOffsets.Add((channelId, _position));
            _record.Begin(OpMessageIndex).U16(channelId).U32((uint)(index.Count * 16));
            foreach (var entry in index) _record.U64(entry.Time).U64(entry.Offset);
            Write(_record.End());
        }
        long indexLength = _position - indexStart;

        _record.Begin(OpChunkIndex)
            .U64(chunk.StartTime)
            .U64(chunk.EndTime)
            .U64((ulong)chunkStart)
            .U64((ulong)chunkLength);
        int map = _record.BeginLength32();
        foreach (var (channelId, offset) in indexOffsets) _record.U16(channelId).U64((ulong)offset);
        _record.EndLength32(map);
        _record.U64((ulong)indexLength)
            .String(chunk.CompressionName)
            .U64((ulong)storedLength)
            .U64((ulong)recordsLength);
        _chunkIndexRecords.Add(_record.End().ToArray());

        if (_messageCount == 0 || chunk.StartTime < _startTime) _startTime = chunk.StartTime;
        if (_messageCount == 0 || chunk.EndTime > _endTime) _endTime = chunk.EndTime;
        _messageCount += (ulong)chunk.MessageCount;
        _chunkCount++;
        if (chunk.CompressionName != _compressor.Name) _uncompressedChunks++;
        chunk.Clear();
    }

    /// <summary>
    /// Close the data section and write the summary, summary offsets, footer and closing magic.
    /// Flushes the stream but does not close it. Idempotent.
    /// </summary>
    public void Finish()
    {
        if (_finished) return;
        WriteChunk(_chunk);

        uint dataCrc = _dataCrc;
        _record.Begin(OpDataEnd).U32(dataCrc);
        Write(_record.End());

        // The summary CRC covers everything from here through the footer's offset fields.
        _summaryCrc = new Crc32();
        long summaryStart = _position;
        var groups = new List<(byte Opcode, long Start, long Length)>();
        WriteGroup(OpSchema, _schemaRecords, groups);
        WriteGroup(OpChannel, _channelRecords, groups);
        WriteGroup(OpStatistics, [StatisticsRecord()], groups);
        WriteGroup(OpChunkIndex, _chunkIndexRecords, groups);
        WriteGroup(OpMetadataIndex, _metadataIndexRecords, groups);

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
        _summaryCrc.Append(footer[..25]);
        BinaryPrimitives.WriteUInt32LittleEndian(footer[25..], _summaryCrc.GetCurrentHashAsUInt32());
        _output.Write(footer);
        _output.Write(Magic);
        _position += footer.Length + Magic.Length;
        _output.Flush();
        _finished = true;
    }

    /// <summary>Releases the compressor; does not finish the file (call <see cref="Finish"/>) or close the stream.</summary>
    public void Dispose() => _compressor.Dispose();

    private void CheckChannel(ushort channelId)
    {
        if (channelId == 0 || channelId > ChannelCount) throw AukiException.Invalid($"unknown channel id {channelId}");
    }

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
            .U32((uint)ChannelCount)
            .U32(0) // attachments
            .U32((uint)_metadataIndexRecords.Count)
            .U32(_chunkCount)
            .U64(_messageCount > 0 ? _startTime : 0)
            .U64(_messageCount > 0 ? _endTime : 0);
        int map = _record.BeginLength32();
        for (int i = 1; i < _channelCounts.Length; i++) _record.U16((ushort)i).U64((ulong)_channelCounts[i]);
        _record.EndLength32(map);
        return _record.End().ToArray();
    }

    private void Write(ReadOnlySpan<byte> bytes) => Write(bytes, Crc32.HashToUInt32(bytes));

    /// <summary>Write bytes whose CRC-32 is known; the data-section CRC folds it in without reading them again.</summary>
    private void Write(ReadOnlySpan<byte> bytes, uint crc)
    {
        _output.Write(bytes);
        if (_summaryCrc is null) _dataCrc = Crc32Combine.Combine(_dataCrc, crc, bytes.Length);
        else _summaryCrc.Append(bytes);
        _position += bytes.Length;
    }

    /// <summary>
    /// A chunk's stored bytes, piece by piece when its records hold payload views (so the payloads go
    /// from the page cache to the output without a copy of their own); their CRC-32 is the chunk's.
    /// </summary>
    private void WriteStored(McapChunk chunk, uint crc)
    {
        if (_summaryCrc is not null) throw AukiException.Internal("internal error: a chunk after the data section");
        long length = chunk.WriteStoredTo(_output);
        _dataCrc = Crc32Combine.Combine(_dataCrc, crc, length);
        _position += length;
    }

    private void ThrowIfFinished()
    {
        if (_finished) throw AukiException.Closed("the MCAP file has been finished");
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

/// <summary>
/// The uncompressed records of one MCAP chunk being filled: Message records back to back plus,
/// per channel, the (log time, offset) pairs its Message Index records will hold. Filled on any
/// thread, then written by <see cref="McapWriter.WriteChunk"/>; reusable after that.
/// </summary>
public sealed partial class McapChunk
{
    /// <summary>Opcode, length and the fixed fields of a Message record.</summary>
    internal const int MessageHeaderSize = 1 + 8 + 2 + 4 + 8 + 8;

    /// <summary>Where a Message record's sequence field sits.</summary>
    internal const int SequenceOffset = 1 + 8 + 2;

    private readonly int _target;
    private readonly List<ushort> _channels = [];
    private byte[] _stored = [];
    private int _storedLength = -1;
    private List<IndexEntry>?[] _indexes = new List<IndexEntry>?[8];
    private byte[] _buffer;

    /// <summary>Bytes of <see cref="_buffer"/> in use: the records, less the payload views between them.</summary>
    private int _length;

    /// <summary>A chunk that counts as full once its records reach <paramref name="targetSize"/> bytes.</summary>
    public McapChunk(int targetSize)
    {
        _target = targetSize;
        // Slack past the target: a message encoded straight into the chunk (BeginMessage) is only
        // known to overflow it once written, and growing a pooled chunk's buffer copies all of it.
        // Pages of the slack a chunk never reaches are never touched, so cost no memory.
        _buffer = GC.AllocateUninitializedArray<byte>(Math.Min(targetSize, 64 << 20) + Math.Min(targetSize / 4, 16 << 20) + MessageHeaderSize + 1024);
    }

    /// <summary>Messages held.</summary>
    public int MessageCount { get; private set; }

    /// <summary>Earliest log time held.</summary>
    public ulong StartTime { get; private set; }

    /// <summary>Latest log time held.</summary>
    public ulong EndTime { get; private set; }

    /// <summary>Bytes of records held (payload views included).</summary>
    public int Length => _length + _viewBytes;

    /// <summary>True once the records reached the target size.</summary>
    public bool IsFull => Length >= _target;

    /// <summary>The records, when they lie whole in the chunk's buffer (no payload views).</summary>
    internal Span<byte> Records => _views.Count == 0 ? _buffer.AsSpan(0, _length) : throw AukiException.Internal("internal error: the chunk holds payload views");

    /// <summary>True once numbered, checksummed and compressed (<see cref="Seal"/>).</summary>
    public bool IsSealed { get; private set; }

    internal string CompressionName { get; private set; } = "";
    internal uint UncompressedCrc { get; private set; }
    internal uint StoredCrc { get; private set; }
    internal int StoredLength => _storedLength < 0 ? Length : _storedLength;

    /// <summary>Number each channel's messages on from <paramref name="counts"/> (indexed by channel id), advancing it.</summary>
    internal void Number(long[] counts)
    {
        foreach (ushort channelId in _channels)
        {
            long count = counts[channelId];
            foreach (var entry in _indexes[channelId]!)
                BinaryPrimitives.WriteUInt32LittleEndian(_buffer.AsSpan(entry.HeaderAt + SequenceOffset), unchecked((uint)count++));
            counts[channelId] = count;
        }
    }

    /// <summary>Add this chunk's message count per channel to <paramref name="counts"/>.</summary>
    internal void AddCounts(long[] counts)
    {
        foreach (ushort channelId in _channels) counts[channelId] += _indexes[channelId]!.Count;
    }

    /// <summary>Checksum and compress the (numbered) records, so a writer only has to copy them out.</summary>
    internal void Seal(ChunkCompressor compressor)
    {
        UncompressedCrc = _views.Count == 0 && _hashed.Count == 0 ? Crc32.HashToUInt32(Records) : GatheredCrc();
        if (compressor.IsIdentity || StoreUncompressed)
        {
            _storedLength = -1;
            StoredCrc = UncompressedCrc;
        }
        else
        {
            if (_views.Count > 0) Flatten();
            _storedLength = compressor.CompressInto(Records, ref _stored);
            StoredCrc = Crc32.HashToUInt32(_stored.AsSpan(0, _storedLength));
        }
        CompressionName = StoreUncompressed ? "" : compressor.Name;
        IsSealed = true;
    }

    internal IReadOnlyList<ushort> Channels => _channels;

    internal List<IndexEntry> IndexOf(ushort channelId) => _indexes[channelId]!;

    /// <summary>A message's log time and record offset (what its Message Index holds), and where its header lies in the buffer.</summary>
    internal readonly record struct IndexEntry(ulong Time, ulong Offset, int HeaderAt);

    /// <summary>
    /// Append a message; false (nothing added) when the chunk already holds messages and this one
    /// would take it past the target size. A message alone is always accepted, however large.
    /// </summary>
    public bool TryAdd(ushort channelId, ulong logTime, ulong publishTime, ReadOnlySpan<byte> data)
    {
        if (IsSealed) throw AukiException.Closed("the chunk is sealed");
        if (_pending is not null) throw AukiException.Internal("internal error: a message is being encoded into the chunk");
        long recordLength = MessageHeaderSize + (long)data.Length;
        if (recordLength > Array.MaxLength - 1024) throw AukiException.Invalid("message too large for one MCAP chunk");
        if (Length > 0 && Length + recordLength > _target) return false;
        EnsureCapacity((int)recordLength);
        data.CopyTo(_buffer.AsSpan(_length + MessageHeaderSize));
        HashWhileHot(data.Length);
        Append(channelId, logTime, publishTime, data.Length);
        return true;
    }

    /// <summary>
    /// Write the header and index entry of a message whose data already lies after the buffer's
    /// records and the header; <paramref name="bufferBytes"/> (when not -1) says how much of the
    /// record is in the buffer so far (the rest a payload view and bytes added next).
    /// </summary>
    private void Append(ushort channelId, ulong logTime, ulong publishTime, int dataLength, int bufferBytes = -1)
    {
        long recordLength = MessageHeaderSize + (long)dataLength;
        Span<byte> header = _buffer.AsSpan(_length, MessageHeaderSize);
        header[0] = McapWriter.OpMessage;
        BinaryPrimitives.WriteUInt64LittleEndian(header[1..], (ulong)(recordLength - 9));
        BinaryPrimitives.WriteUInt16LittleEndian(header[9..], channelId);
        BinaryPrimitives.WriteUInt32LittleEndian(header[SequenceOffset..], 0); // numbered when written
        BinaryPrimitives.WriteUInt64LittleEndian(header[15..], logTime);
        BinaryPrimitives.WriteUInt64LittleEndian(header[23..], publishTime);

        if (channelId >= _indexes.Length) Array.Resize(ref _indexes, Math.Max(channelId + 1, _indexes.Length * 2));
        var index = _indexes[channelId] ??= [];
        if (index.Count == 0) _channels.Add(channelId);
        index.Add(new IndexEntry(logTime, (ulong)Length, _length));
        _length += bufferBytes < 0 ? (int)recordLength : bufferBytes;

        if (MessageCount == 0 || logTime < StartTime) StartTime = logTime;
        if (MessageCount == 0 || logTime > EndTime) EndTime = logTime;
        MessageCount++;
    }

    /// <summary>Empty the chunk, keeping its buffers.</summary>
    public void Clear()
    {
        _pending = null;
        foreach (ushort c in _channels) _indexes[c]!.Clear();
        _channels.Clear();
        _views.Clear();
        _hashed.Clear();
        _viewBytes = 0;
        _length = 0;
        _storedLength = -1;
        IsSealed = false;
        StoreUncompressed = false;
        MessageCount = 0;
        StartTime = EndTime = 0;
    }

    /// <summary>Room for <paramref name="recordLength"/> more bytes after the records (and a message being encoded, which is kept).</summary>
    private void EnsureCapacity(long recordLength)
    {
        long needed = (long)_length + recordLength;
        if (needed <= _buffer.Length) return;
        if (needed > Array.MaxLength) throw AukiException.Invalid("message too large for one MCAP chunk");
        long size = Math.Max(needed, Math.Min(2L * _buffer.Length, Array.MaxLength));
        var bigger = GC.AllocateUninitializedArray<byte>((int)size);
        int kept = _length + (_pending is null ? 0 : MessageHeaderSize + _pending.Written);
        _buffer.AsSpan(0, kept).CopyTo(bigger);
        _buffer = bigger;
    }
}
