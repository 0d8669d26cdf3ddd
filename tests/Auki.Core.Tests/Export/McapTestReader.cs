using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;
using K4os.Compression.LZ4;

namespace Auki.Core.Tests.Export;

/// <summary>
/// A small MCAP reader written from the spec (mcap.dev/spec), separately from the writer, so the
/// tests check the writer against the format. It walks every record, decompresses chunks, and
/// keeps offsets so tests can check that indexes point where they say. (The CLI tests read the
/// same files with Foxglove's own reader.)
/// </summary>
internal sealed class McapTestReader
{
    public sealed record Record(byte Opcode, long Offset, long TotalLength, byte[] Body);

    public sealed record Message(ushort ChannelId, uint Sequence, ulong LogTime, ulong PublishTime, byte[] Data, long ChunkOffset, long OffsetInChunk);

    public sealed record Channel(ushort Id, ushort SchemaId, string Topic, string MessageEncoding, Dictionary<string, string> Metadata);

    public sealed record Schema(ushort Id, string Name, string Encoding, byte[] Data);

    public sealed record ChunkIndex(ulong Start, ulong End, long ChunkOffset, long ChunkLength, Dictionary<ushort, long> MessageIndexOffsets,
        long MessageIndexLength, string Compression, long CompressedSize, long UncompressedSize);

    public byte[] Bytes { get; }
    public List<Record> Records { get; } = [];
    public List<Message> Messages { get; } = [];
    public List<Channel> Channels { get; } = [];
    public List<Schema> Schemas { get; } = [];
    public List<ChunkIndex> ChunkIndexes { get; } = [];
    public Dictionary<long, List<(ulong Time, long Offset)>> MessageIndexesByOffset { get; } = [];
    public long DataEndOffset { get; private set; }
    public uint DataSectionCrc { get; private set; }
    public long SummaryStart { get; private set; }
    public long SummaryOffsetStart { get; private set; }
    public uint SummaryCrc { get; private set; }
    public long FooterOffset { get; private set; }
    public List<(byte Opcode, long Start, long Length)> SummaryOffsets { get; } = [];
    public (ulong Messages, ushort Schemas, uint Channels, uint Chunks, ulong Start, ulong End, Dictionary<ushort, ulong> PerChannel)? Statistics { get; private set; }

    private static readonly byte[] Magic = [0x89, (byte)'M', (byte)'C', (byte)'A', (byte)'P', (byte)'0', (byte)'\r', (byte)'\n'];

    public McapTestReader(byte[] bytes)
    {
        Bytes = bytes;
        Assert.True(bytes.AsSpan(0, 8).SequenceEqual(Magic), "leading magic");
        Assert.True(bytes.AsSpan(bytes.Length - 8).SequenceEqual(Magic), "trailing magic");
        long at = 8;
        while (true)
        {
            byte op = bytes[at];
            long length = (long)BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan((int)at + 1));
            var body = bytes.AsSpan((int)(at + 9), (int)length).ToArray();
            var record = new Record(op, at, 9 + length, body);
            Records.Add(record);
            Interpret(record);
            at += 9 + length;
            if (op == 0x02) break;
        }
        Assert.Equal(bytes.Length - 8, at);
    }

    private void Interpret(Record r)
    {
        var b = new Cursor(r.Body);
        switch (r.Opcode)
        {
            case 0x02:
                FooterOffset = r.Offset;
                SummaryStart = (long)b.U64();
                SummaryOffsetStart = (long)b.U64();
                SummaryCrc = b.U32();
                break;
            case 0x03:
                var schema = new Schema(b.U16(), b.Str(), b.Str(), b.Bytes((int)b.U32()));
                if (DataEndOffset == 0) Schemas.Add(schema);
                break;
            case 0x04:
                var channel = new Channel(b.U16(), b.U16(), b.Str(), b.Str(), b.StringMap());
                if (DataEndOffset == 0) Channels.Add(channel);
                break;
            case 0x06:
                ulong start = b.U64(), end = b.U64(), uncompressedSize = b.U64();
                uint crc = b.U32();
                string compression = b.Str();
                var stored = b.Bytes((int)b.U64());
                var records = Decompress(compression, stored, (int)uncompressedSize);
                Assert.Equal((long)uncompressedSize, records.Length);
                Assert.Equal(crc, Crc32.HashToUInt32(records));
                ReadChunkRecords(r.Offset, records, start, end);
                break;
            case 0x07:
                ushort channelId = b.U16();
                uint bytes = b.U32();
                var entries = new List<(ulong, long)>();
                for (int i = 0; i < bytes / 16; i++) entries.Add((b.U64(), (long)b.U64()));
                MessageIndexesByOffset[r.Offset] = entries;
                _ = channelId;
                break;
            case 0x08:
                ChunkIndexes.Add(new ChunkIndex(b.U64(), b.U64(), (long)b.U64(), (long)b.U64(), b.U16U64Map(), (long)b.U64(), b.Str(), (long)b.U64(), (long)b.U64()));
                break;
            case 0x0B:
                Statistics = (b.U64(), b.U16(), b.U32(), b.Skip(8).U32(), b.U64(), b.U64(), b.U16U64Map().ToDictionary(p => p.Key, p => (ulong)p.Value));
                break;
            case 0x0E:
                SummaryOffsets.Add((b.U8(), (long)b.U64(), (long)b.U64()));
                break;
            case 0x0F:
                DataEndOffset = r.Offset;
                DataSectionCrc = b.U32();
                break;
        }
    }

    private void ReadChunkRecords(long chunkOffset, byte[] records, ulong start, ulong end)
    {
        long at = 0;
        while (at < records.Length)
        {
            byte op = records[at];
            long length = (long)BinaryPrimitives.ReadUInt64LittleEndian(records.AsSpan((int)at + 1));
            Assert.Equal(0x05, op);
            var c = new Cursor(records.AsSpan((int)at + 9, (int)length).ToArray());
            var m = new Message(c.U16(), c.U32(), c.U64(), c.U64(), c.Rest(), chunkOffset, at);
            Assert.InRange(m.LogTime, start, end);
            Messages.Add(m);
            at += 9 + length;
        }
    }

    public static byte[] Decompress(string compression, byte[] stored, int size)
    {
        switch (compression)
        {
            case "":
                return stored;
            case "zstd":
                using (var d = new ZstdSharp.Decompressor()) return d.Unwrap(stored).ToArray();
            case "lz4":
                return Lz4FrameDecode(stored, size);
            default:
                throw new InvalidDataException("unknown compression " + compression);
        }
    }

    /// <summary>LZ4 frame format: magic 0x184D2204, FLG, BD, [content size], HC, blocks (u32 size, high bit = stored), end mark.</summary>
    private static byte[] Lz4FrameDecode(byte[] frame, int size)
    {
        Assert.Equal(0x184D2204u, BinaryPrimitives.ReadUInt32LittleEndian(frame));
        byte flags = frame[4];
        Assert.Equal(1, flags >> 6);
        bool contentSize = (flags & 0x08) != 0;
        int headerEnd = 6 + (contentSize ? 8 : 0);
        Assert.Equal((byte)(XxHash32.HashToUInt32(frame.AsSpan(4, headerEnd - 4)) >> 8), frame[headerEnd]);
        if (contentSize) Assert.Equal((ulong)size, BinaryPrimitives.ReadUInt64LittleEndian(frame.AsSpan(6)));
        var output = new byte[size];
        int at = headerEnd + 1, written = 0;
        while (true)
        {
            uint blockSize = BinaryPrimitives.ReadUInt32LittleEndian(frame.AsSpan(at));
            at += 4;
            if (blockSize == 0) break;
            int n = (int)(blockSize & 0x7FFF_FFFF);
            if ((blockSize & 0x8000_0000) != 0)
            {
                frame.AsSpan(at, n).CopyTo(output.AsSpan(written));
                written += n;
            }
            else
            {
                written += LZ4Codec.Decode(frame.AsSpan(at, n), output.AsSpan(written));
            }
            at += n;
        }
        Assert.Equal(size, written);
        return output;
    }

    private sealed class Cursor(byte[] bytes)
    {
        private int _at;
        public byte U8() => bytes[_at++];
        public ushort U16() { var v = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(_at)); _at += 2; return v; }
        public uint U32() { var v = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(_at)); _at += 4; return v; }
        public ulong U64() { var v = BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(_at)); _at += 8; return v; }
        public Cursor Skip(int n) { _at += n; return this; }
        public byte[] Bytes(int n) { var v = bytes.AsSpan(_at, n).ToArray(); _at += n; return v; }
        public byte[] Rest() => Bytes(bytes.Length - _at);
        public string Str() => Encoding.UTF8.GetString(Bytes((int)U32()));

        public Dictionary<string, string> StringMap()
        {
            int end = (int)U32() + _at;
            var map = new Dictionary<string, string>();
            while (_at < end) map.Add(Str(), Str());
            return map;
        }

        public Dictionary<ushort, long> U16U64Map()
        {
            int end = (int)U32() + _at;
            var map = new Dictionary<ushort, long>();
            while (_at < end) map.Add(U16(), (long)U64());
            return map;
        }
    }
}
