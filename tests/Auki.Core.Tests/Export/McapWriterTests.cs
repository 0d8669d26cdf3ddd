using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;
using Auki.Export;

namespace Auki.Core.Tests.Export;

/// <summary>The MCAP writer against the spec, read back by a reader written from the spec.</summary>
public class McapWriterTests
{
    private static byte[] Write(McapCompression compression, int chunkSize, Action<McapWriter> body)
    {
        using var stream = new MemoryStream();
        using (var writer = new McapWriter(stream, new McapWriterOptions { Compression = compression, ChunkSize = chunkSize, Library = "test" }))
        {
            body(writer);
            writer.Finish();
        }
        return stream.ToArray();
    }

    /// <summary>Two channels, 100 messages each, interleaved in time, one schema.</summary>
    private static void TwoChannels(McapWriter w)
    {
        ushort schema = w.AddSchema("auki.camera", McapExporter.SchemaEncoding, """{"kind":"camera"}"""u8);
        ushort a = w.AddChannel(schema, "/galbot/cam", McapExporter.MessageEncoding, [new("source_peer_id", "galbot"), new("app_id", "x")]);
        ushort b = w.AddChannel(0, "/galbot/a->b", McapExporter.MessageEncoding, []);
        for (int i = 0; i < 100; i++)
        {
            w.WriteMessage(a, (ulong)(1000 + 10 * i), (ulong)(1000 + 10 * i), Encoding.ASCII.GetBytes($"cam-{i}"));
            w.WriteMessage(b, (ulong)(1005 + 10 * i), (ulong)(1005 + 10 * i), Encoding.ASCII.GetBytes($"pose-{i}"));
        }
    }

    [Theory]
    [InlineData(McapCompression.None, "")]
    [InlineData(McapCompression.Zstd, "zstd")]
    [InlineData(McapCompression.Lz4, "lz4")]
    public void Every_message_comes_back_in_order_with_its_times_and_bytes(McapCompression compression, string name)
    {
        var file = new McapTestReader(Write(compression, 1 << 20, TwoChannels));
        Assert.Equal(200, file.Messages.Count);
        Assert.Equal(Enumerable.Range(0, 200).Select(i => (ulong)(1000 + 5 * i)), file.Messages.Select(m => m.LogTime));
        Assert.All(file.Messages, m => Assert.Equal(m.LogTime, m.PublishTime));
        Assert.Equal("cam-7", Encoding.ASCII.GetString(file.Messages.Where(m => m.ChannelId == 1).ElementAt(7).Data));
        Assert.Equal(Enumerable.Range(0, 100).Select(i => (uint)i), file.Messages.Where(m => m.ChannelId == 2).Select(m => m.Sequence));
        Assert.All(file.ChunkIndexes, c => Assert.Equal(name, c.Compression));
    }

    [Fact]
    public void Small_chunks_split_the_data_and_each_chunk_index_points_at_its_chunk_and_message_indexes()
    {
        var bytes = Write(McapCompression.None, 256, TwoChannels);
        var file = new McapTestReader(bytes);
        Assert.True(file.ChunkIndexes.Count > 10, $"{file.ChunkIndexes.Count} chunks");
        foreach (var index in file.ChunkIndexes)
        {
            Assert.Equal(0x06, bytes[index.ChunkOffset]);
            Assert.Equal(index.ChunkLength, 9 + (long)BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan((int)index.ChunkOffset + 1)));
            var inChunk = file.Messages.Where(m => m.ChunkOffset == index.ChunkOffset).ToList();
            Assert.Equal(inChunk.Min(m => m.LogTime), index.Start);
            Assert.Equal(inChunk.Max(m => m.LogTime), index.End);
            Assert.Equal(inChunk.Select(m => m.ChannelId).Distinct().Order(), index.MessageIndexOffsets.Keys.Order());
            long indexBytes = 0;
            foreach (var (channel, offset) in index.MessageIndexOffsets)
            {
                Assert.Equal(0x07, bytes[offset]);
                var entries = file.MessageIndexesByOffset[offset];
                var expected = inChunk.Where(m => m.ChannelId == channel).Select(m => (m.LogTime, m.OffsetInChunk));
                Assert.Equal(expected, entries);
                indexBytes += 9 + (long)BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan((int)offset + 1));
            }
            Assert.Equal(index.MessageIndexLength, indexBytes);
            Assert.Equal(index.ChunkOffset + index.ChunkLength, index.MessageIndexOffsets.Values.Min());
        }
    }

    [Fact]
    public void Data_end_holds_the_crc_of_every_byte_before_it_and_the_footer_the_crc_of_the_summary()
    {
        var bytes = Write(McapCompression.Zstd, 512, TwoChannels);
        var file = new McapTestReader(bytes);
        Assert.Equal(Crc32.HashToUInt32(bytes.AsSpan(0, (int)file.DataEndOffset)), file.DataSectionCrc);
        long summaryEnd = file.FooterOffset + 1 + 8 + 16;
        Assert.Equal(Crc32.HashToUInt32(bytes.AsSpan((int)file.SummaryStart, (int)(summaryEnd - file.SummaryStart))), file.SummaryCrc);
        Assert.Equal(file.DataEndOffset + 9 + 4, file.SummaryStart);
    }

    [Fact]
    public void Summary_repeats_schemas_and_channels_and_counts_everything()
    {
        var file = new McapTestReader(Write(McapCompression.None, 300, TwoChannels));
        var groups = file.SummaryOffsets.Select(g => g.Opcode).ToList();
        Assert.Equal([0x03, 0x04, 0x0B, 0x08], groups);
        foreach (var (opcode, start, length) in file.SummaryOffsets)
        {
            var records = file.Records.Where(r => r.Offset >= start && r.Offset < start + length).ToList();
            Assert.All(records, r => Assert.Equal(opcode, r.Opcode));
            Assert.Equal(length, records.Sum(r => r.TotalLength));
        }
        Assert.Equal(file.SummaryStart, file.SummaryOffsets[0].Start);
        Assert.Equal(0x0E, file.Bytes[file.SummaryOffsetStart]);
        var stats = file.Statistics!.Value;
        Assert.Equal(200UL, stats.Messages);
        Assert.Equal((ushort)1, stats.Schemas);
        Assert.Equal(2U, stats.Channels);
        Assert.Equal((uint)file.ChunkIndexes.Count, stats.Chunks);
        Assert.Equal((1000UL, 1995UL), (stats.Start, stats.End));
        Assert.Equal(100UL, stats.PerChannel[1]);
        Assert.Equal(new Dictionary<string, string> { ["app_id"] = "x", ["source_peer_id"] = "galbot" }, file.Channels[0].Metadata);
        Assert.Equal(("auki.camera", McapExporter.SchemaEncoding), (file.Schemas[0].Name, file.Schemas[0].Encoding));
    }

    [Fact]
    public void A_file_without_messages_is_still_complete()
    {
        var file = new McapTestReader(Write(McapCompression.Zstd, 1024, w => w.AddChannel(0, "/p/empty", McapExporter.MessageEncoding, [])));
        Assert.Empty(file.Messages);
        Assert.Empty(file.ChunkIndexes);
        Assert.Equal(0UL, file.Statistics!.Value.Messages);
        Assert.Single(file.Channels);
    }

    [Fact]
    public void A_message_larger_than_the_chunk_size_gets_a_chunk_of_its_own()
    {
        var big = new byte[5 << 20];
        new Random(7).NextBytes(big);
        var file = new McapTestReader(Write(McapCompression.Lz4, 1 << 20, w =>
        {
            ushort c = w.AddChannel(0, "/p/big", McapExporter.MessageEncoding, []);
            w.WriteMessage(c, 1, 1, [1, 2, 3]);
            w.WriteMessage(c, 2, 2, big);
            w.WriteMessage(c, 3, 3, [4]);
        }));
        Assert.Equal(3, file.ChunkIndexes.Count);
        Assert.Equal(big, file.Messages[1].Data);
    }

    [Fact]
    public void Messages_need_a_known_channel()
    {
        using var stream = new MemoryStream();
        using var writer = new McapWriter(stream);
        Assert.Equal(AukiErrorCode.InvalidArgument, Assert.Throws<AukiException>(() => writer.WriteMessage(1, 0, 0, [])).Code);
    }
}
