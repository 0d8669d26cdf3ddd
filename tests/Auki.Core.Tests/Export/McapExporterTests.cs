using System.Text;
using System.Text.Json.Nodes;
using Auki.Activity;
using Auki.Export;
using Auki.Manifests;
using Auki.Core.Tests.Support;

namespace Auki.Core.Tests.Export;

/// <summary>Recorded logs to MCAP: channels, schemas, windows and merge order.</summary>
public class McapExporterTests
{
    private static McapTestReader Export(Func<Stream, McapExportSummary> export, out McapExportSummary summary)
    {
        using var stream = new MemoryStream();
        summary = export(stream);
        return new McapTestReader(stream.ToArray());
    }

    [Fact]
    public void Every_log_becomes_a_channel_and_entries_merge_across_logs_in_time_order()
    {
        using var store = new RecordedStore();
        store.Camera("left", integrity: true, timestamps: [10, 30, 2_000_000_050]);
        store.Camera("right", integrity: false, timestamps: [20, 40, 2_000_000_000]);
        var file = Export(s => McapExporter.ExportStore(store.Root, s, new McapExportOptions()), out var summary);
        Assert.Equal(["/galbot/left", "/galbot/right"], file.Channels.Select(c => c.Topic));
        Assert.Equal([10UL, 20, 30, 40, 2_000_000_000, 2_000_000_050], file.Messages.Select(m => m.LogTime));
        Assert.Equal("right@40", Encoding.ASCII.GetString(file.Messages[3].Data));
        Assert.Equal((6L, 2, 2), (summary.Messages, summary.Channels, summary.Schemas));
        Assert.Equal((10L, 2_000_000_050L), (summary.StartNs!.Value, summary.EndNs!.Value));
    }

    [Fact]
    public void A_sensor_channel_has_the_manifest_as_metadata_and_the_registry_entry_as_schema()
    {
        using var store = new RecordedStore();
        var log = store.Camera("cam", integrity: false, timestamps: [1]);
        var file = Export(s => McapExporter.ExportStore(store.Root, s, new McapExportOptions()), out _);
        var channel = Assert.Single(file.Channels);
        Assert.Equal(store.Session.SessionId, channel.Metadata["session_id"]);
        Assert.Equal(store.FileId(log), channel.Metadata["auki.file_id"]);
        Assert.Equal(log.Manifest["sensor"]!.ToJsonString(), channel.Metadata["sensor"]);
        var schema = Assert.Single(file.Schemas);
        Assert.Equal((channel.SchemaId, "auki.camera", McapExporter.SchemaEncoding), (schema.Id, schema.Name, schema.Encoding));
        // The schema data is the registry file itself, so it hashes to the manifest's sensor hash.
        Assert.Equal((string)log.Manifest["sensor"]!["hash"]!, Hashing.ContentHash.Of(schema.Data));
    }

    [Fact]
    public void From_and_to_clip_every_channel_inclusively()
    {
        using var store = new RecordedStore();
        store.Camera("a", integrity: false, timestamps: [1, 2, 3, 4]);
        store.Camera("b", integrity: true, timestamps: [2, 5]);
        var file = Export(s => McapExporter.ExportStore(store.Root, s, new McapExportOptions { FromNs = 2, ToNs = 4 }), out _);
        Assert.Equal([2UL, 2, 3, 4], file.Messages.Select(m => m.LogTime));
        Assert.Equal(2, file.Channels.Count);
    }

    [Fact]
    public void An_activity_session_exports_its_files_clipped_to_their_windows()
    {
        using var store = new RecordedStore();
        var a = store.Camera("a", integrity: false, timestamps: [1, 2, 3, 4]);
        var b = store.Camera("b", integrity: false, timestamps: [1, 2, 3, 4]);
        store.Camera("c", integrity: false, timestamps: [1, 2]);
        var sessions = new ActivityStore(store.Root);
        var session = sessions.Create("run", []);
        sessions.AddFiles(session.SessionId, [new SessionFile(store.FileId(a)), new SessionFile(store.FileId(b), 2, 3)]);
        var file = Export(s => McapExporter.ExportActivitySession(store.Root, session.SessionId, s, new McapExportOptions { ToNs = 3 }), out _);
        Assert.Equal(["/galbot/a", "/galbot/b"], file.Channels.Select(c => c.Topic));
        Assert.Equal("2..3", file.Channels[1].Metadata["auki.window_ns"]);
        Assert.Equal([1, 2, 3], file.Messages.Where(m => m.ChannelId == 1).Select(m => (int)m.LogTime));
        Assert.Equal([2, 3], file.Messages.Where(m => m.ChannelId == 2).Select(m => (int)m.LogTime));
    }

    [Fact]
    public void An_unknown_activity_session_is_not_found()
    {
        using var store = new RecordedStore();
        Assert.Equal(AukiErrorCode.NotFound, Assert.Throws<AukiException>(() =>
            McapExporter.ExportActivitySession(store.Root, "ss_01ARZ3NDEKTSV4RRFFQ69G5FAV", new MemoryStream(), new McapExportOptions())).Code);
    }

    [Fact]
    public void A_pose_log_has_no_schema_and_a_declared_log_without_data_still_has_its_channel()
    {
        using var store = new RecordedStore();
        var cam = store.Camera("cam", integrity: false);
        var pose = store.Session.RegisterLog(new PoseLogSpec(new Auki.Registry.RegistryRef("galbot", "optical", "x"), new Auki.Registry.RegistryRef("galbot", "optical", "x"),
            store.Session.MonotonicClock!, new JsonObject { ["kind"] = "manual" }, "rigid", 1, HeadSpec.Rolling(0), 1_000, 0));
        pose.Data.Append(5, [1]);
        pose.Data.Close();
        var file = Export(s => McapExporter.ExportStore(store.Root, s, new McapExportOptions { Compression = McapCompression.None }), out _);
        Assert.Equal(0, file.Channels.Single(c => c.Topic == "/galbot/optical->optical").SchemaId);
        Assert.Contains(file.Channels, c => c.Topic == "/galbot/cam");
        Assert.Single(file.Messages);
    }

    [Fact]
    public void A_failed_export_leaves_no_file_under_the_name()
    {
        using var dir = new TempDir();
        string target = dir["out.mcap"];
        Assert.Throws<InvalidOperationException>(() => McapExporter.WriteFile<int>(target, s =>
        {
            s.Write([1, 2, 3]);
            throw new InvalidOperationException("interrupted");
        }));
        Assert.Empty(Directory.GetFileSystemEntries(dir.Path));
        McapExporter.WriteFile(target, s => { s.Write([1]); return 0; });
        Assert.Equal([1], File.ReadAllBytes(target));
    }
}

/// <summary>The parallel export path: slices built on worker threads, written in order.</summary>
public class McapParallelExportTests
{
    private static McapTestReader Export(string root, McapExportOptions options)
    {
        using var stream = new MemoryStream();
        McapExporter.ExportStore(root, stream, options);
        return new McapTestReader(stream.ToArray());
    }

    [Theory]
    [InlineData(McapCompression.None)]
    [InlineData(McapCompression.Zstd)]
    [InlineData(McapCompression.Lz4)]
    public void Slices_built_on_worker_threads_give_the_same_messages_and_sequence_numbers_as_one_pass(McapCompression compression)
    {
        using var store = new RecordedStore();
        var ts = Enumerable.Range(0, 400).Select(i => i * 25_000_000L).ToArray(); // 10 s at 40 Hz, 1 s segments
        store.Camera("left", integrity: true, timestamps: ts);
        store.Camera("right", integrity: false, timestamps: ts.Select(t => t + 7).ToArray());
        var single = Export(store.Root, new McapExportOptions { Parallelism = 1, Compression = compression });
        var parallel = Export(store.Root, new McapExportOptions { Parallelism = 2, SliceBytes = 1024, ChunkSize = 4096, Compression = compression });
        Assert.True(parallel.ChunkIndexes.Count >= 10, $"{parallel.ChunkIndexes.Count} chunks");
        Assert.Equal(800, parallel.Messages.Count);
        Assert.Equal(
            single.Messages.Select(m => (m.ChannelId, m.Sequence, m.LogTime, Convert.ToHexString(m.Data))),
            parallel.Messages.Select(m => (m.ChannelId, m.Sequence, m.LogTime, Convert.ToHexString(m.Data))));
        Assert.Equal(Enumerable.Range(0, 400).Select(i => (uint)i), parallel.Messages.Where(m => m.ChannelId == 2).Select(m => m.Sequence));
    }

    [Theory]
    [InlineData(McapCompression.None)]
    [InlineData(McapCompression.Zstd)]
    [InlineData(McapCompression.Lz4)]
    public void Large_payloads_of_sealed_segments_are_exported_as_recorded_with_valid_checksums(McapCompression compression)
    {
        // Payloads at and around the size from which a sealed segment's payload is written from its
        // mapping, not copied; mixed with small ones; the newest segment is read, not mapped.
        int[] sizes = [McapExporter.MinViewBytes - 1, McapExporter.MinViewBytes, 3 * McapExporter.MinViewBytes + 5, 7, 200_000];
        byte[] Payload(long ts) => Enumerable.Range(0, sizes[(int)(ts / 100_000_000 % sizes.Length)]).Select(i => (byte)(i * 7 + ts / 100_000_000)).ToArray();
        using var store = new RecordedStore();
        var ts = Enumerable.Range(0, 40).Select(i => i * 100_000_000L).ToArray(); // 4 s at 10 Hz, 1 s segments
        store.Camera("big", integrity: true, payload: Payload, timestamps: ts);
        store.Camera("plain", integrity: false, payload: Payload, timestamps: ts.Select(t => t + 3).ToArray());
        var options = new McapExportOptions { Compression = compression, ChunkSize = 300_000 };
        foreach (var file in new[] { ExportBytes(store.Root, options with { Parallelism = 1 }), ExportBytes(store.Root, options with { Parallelism = 2, SliceBytes = 1 }) })
        {
            var read = new McapTestReader(file); // checks every chunk's CRC
            Assert.Equal(80, read.Messages.Count);
            foreach (var m in read.Messages)
                Assert.Equal(Payload((long)m.LogTime - (m.ChannelId == 2 ? 3 : 0)), m.Data);
            Assert.True(read.ChunkIndexes.Count > 10, $"{read.ChunkIndexes.Count} chunks");
            // Data End's CRC covers every byte before it: the views' CRCs were joined in right.
            Assert.Equal(System.IO.Hashing.Crc32.HashToUInt32(file.AsSpan(0, (int)read.DataEndOffset)), read.DataSectionCrc);
        }
    }

    [Fact]
    public void Zstd_stores_chunks_of_frames_that_do_not_compress_uncompressed_and_still_compresses_the_small_messages()
    {
        // Frames of fresh noise (they repeat nothing) at 30 Hz beside a 500 Hz log of small messages that compress.
        using var store = new RecordedStore();
        var frameTimes = Enumerable.Range(0, 120).Select(i => i * 33_333_333L).ToArray();
        byte[] Frame(long ts)
        {
            var frame = new byte[150_000];
            new Random((int)(ts / 1000)).NextBytes(frame);
            return frame;
        }
        byte[] Small(long ts) => System.Text.Encoding.UTF8.GetBytes($"{{\"ts\":{ts},\"x\":0.25,\"y\":0.5,\"z\":1.0}}");
        store.Camera("noise", integrity: true, payload: Frame, timestamps: frameTimes);
        store.Camera("imu", integrity: true, payload: Small, timestamps: Enumerable.Range(0, 2000).Select(i => i * 2_000_000L + 1).ToArray());
        var options = new McapExportOptions { Compression = McapCompression.Zstd, ChunkSize = 1 << 20, SliceBytes = 4 << 20 };
        using var stream = new MemoryStream();
        var summary = McapExporter.ExportStore(store.Root, stream, options with { Parallelism = 1 });
        var bytes = stream.ToArray();
        Assert.Equal(bytes, ExportBytes(store.Root, options with { Parallelism = 2 })); // the choice is the slice's, not the thread's
        var file = new McapTestReader(bytes); // checks every chunk's CRC

        // Every message comes back as recorded, in log-time order through the indexes (the parts of a chunk overlap in time).
        var plain = new McapTestReader(ExportBytes(store.Root, options with { Compression = McapCompression.None }));
        Assert.Equal(plain.Messages.Select(m => (m.ChannelId, m.Sequence, m.LogTime, Convert.ToHexString(m.Data))).Order(),
            file.Messages.Select(m => (m.ChannelId, m.Sequence, m.LogTime, Convert.ToHexString(m.Data))).Order());
        Assert.Equal(2120, file.Messages.Count);
        var noise = file.Channels.Single(c => c.Topic.EndsWith("/noise", StringComparison.Ordinal)).Id;
        Assert.Equal(Enumerable.Range(0, 120).Select(i => (uint)i), file.Messages.Where(m => m.ChannelId == noise).Select(m => m.Sequence));

        // Chunks of frames are stored (""), the small messages are in zstd chunks; the summary says how many were stored.
        var stored = file.ChunkIndexes.Where(c => c.Compression == "").ToList();
        Assert.True(stored.Count > 5, $"{stored.Count} stored chunks of {file.ChunkIndexes.Count}");
        Assert.Equal((uint)stored.Count, summary.UncompressedChunks);
        Assert.All(stored, c => Assert.Equal(c.UncompressedSize, c.CompressedSize));
        Assert.All(file.Messages.Where(m => m.ChannelId != noise),
            m => Assert.Equal("zstd", file.ChunkIndexes.Single(c => c.ChunkOffset == m.ChunkOffset).Compression));
        Assert.All(file.Messages.Where(m => m.ChannelId == noise),
            m => Assert.Equal("", file.ChunkIndexes.Single(c => c.ChunkOffset == m.ChunkOffset).Compression));
        long smallBytes = file.ChunkIndexes.Where(c => c.Compression == "zstd").Sum(c => c.UncompressedSize);
        Assert.True(file.ChunkIndexes.Where(c => c.Compression == "zstd").Sum(c => c.CompressedSize) * 2 < smallBytes, "the small messages still compress");
    }

    [Fact]
    public void Zstd_compresses_frames_that_repeat_one_another_whole()
    {
        // Each frame a slice of one noise buffer, overlapping the one before: noise alone, but they compress together.
        var noise = new byte[1 << 20];
        new Random(3).NextBytes(noise);
        using var store = new RecordedStore();
        store.Camera("cam", integrity: true, payload: ts => noise.AsSpan((int)(ts / 1000 % 700_000), 150_000).ToArray(),
            timestamps: Enumerable.Range(0, 120).Select(i => i * 33_333_333L).ToArray());
        using var stream = new MemoryStream();
        var summary = McapExporter.ExportStore(store.Root, stream, new McapExportOptions { Compression = McapCompression.Zstd, ChunkSize = 1 << 20, SliceBytes = 4 << 20 });
        var file = new McapTestReader(stream.ToArray());
        Assert.All(file.ChunkIndexes, c => Assert.Equal("zstd", c.Compression));
        Assert.Equal(0u, summary.UncompressedChunks);
        Assert.True(file.ChunkIndexes.Sum(c => c.CompressedSize) * 2 < file.ChunkIndexes.Sum(c => c.UncompressedSize));
    }

    private static byte[] ExportBytes(string root, McapExportOptions options)
    {
        using var stream = new MemoryStream();
        McapExporter.ExportStore(root, stream, options);
        return stream.ToArray();
    }

    [Fact]
    public void A_corrupt_entry_found_by_a_worker_fails_the_export_naming_the_log()
    {
        using var store = new RecordedStore();
        var log = store.Camera("cam", integrity: true, timestamps: Enumerable.Range(0, 300).Select(i => i * 40_000_000L).ToArray());
        string seg = store.SegmentPath(log, 5_000_000_000);
        var bytes = File.ReadAllBytes(seg);
        bytes[16 + 16] ^= 0xFF; // first entry's payload; complete entries follow
        File.WriteAllBytes(seg, bytes);
        var e = Assert.Throws<AukiException>(() => Export(store.Root, new McapExportOptions { Parallelism = 2, SliceBytes = 512 }));
        Assert.Equal(AukiErrorCode.Corrupt, e.Code);
        Assert.StartsWith(store.FileId(log) + ": ", e.Message);
    }

    [Fact]
    public void Crc_of_joined_parts_equals_the_crc_of_the_whole()
    {
        var rng = new Random(5);
        foreach (var (a, b) in new[] { (0, 0), (0, 7), (5, 0), (1, 1), (100, 3), (3, 100_000), (65_536, 65_537) })
        {
            var x = new byte[a];
            var y = new byte[b];
            rng.NextBytes(x);
            rng.NextBytes(y);
            uint whole = System.IO.Hashing.Crc32.HashToUInt32(x.Concat(y).ToArray());
            Assert.Equal(whole, Crc32Combine.Combine(System.IO.Hashing.Crc32.HashToUInt32(x), System.IO.Hashing.Crc32.HashToUInt32(y), b));
        }
    }
}
