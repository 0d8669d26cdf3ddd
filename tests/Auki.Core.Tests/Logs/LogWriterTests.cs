using System.Text;
using System.Text.Json.Nodes;
using Auki.Logs;

namespace Auki.Core.Tests.Logs;

public class LogWriterTests
{
    [Fact]
    public void Open_creates_manifest_and_segments_directory()
    {
        using var log = new TempLog();
        using (log.Open()) { }
        Assert.True(File.Exists(log.ManifestPath));
        Assert.True(Directory.Exists(log.SegmentsDir));
    }

    [Fact]
    public void Manifest_is_written_as_canonical_json_like_upstream()
    {
        using var log = new TempLog();
        var manifest = new JsonObject { ["segment_duration_ns"] = 1_000_000_000L, ["retention_ns"] = 5_000_000_000L, ["kind"] = "test" };
        using (LogWriter.Open(log.Root, manifest)) { }
        Assert.Equal("""{"kind":"test","retention_ns":5000000000,"segment_duration_ns":1000000000}""", File.ReadAllText(log.ManifestPath));
    }

    [Fact]
    public void Manifest_opaque_keys_are_persisted_verbatim()
    {
        using var log = new TempLog();
        var manifest = LogManifests.Make(Ns.Second, 0);
        manifest["extra"] = new JsonObject { ["z"] = new JsonArray(1, "é", true, null), ["a"] = 1.5 };
        using (LogWriter.Open(log.Root, manifest)) { }
        var reader = LogReader.Open(log.Root);
        Assert.Equal(Auki.Json.CanonicalJson.SerializeToString(manifest), Auki.Json.CanonicalJson.SerializeToString(reader.Manifest));
    }

    [Fact]
    public void Reopen_keeps_the_on_disk_manifest_and_ignores_the_passed_one()
    {
        using var log = new TempLog();
        using (LogWriter.Open(log.Root, LogManifests.Make(Ns.Second, 0, kind: "first"))) { }
        byte[] before = File.ReadAllBytes(log.ManifestPath);
        using (var writer = LogWriter.Open(log.Root, LogManifests.Make(2 * Ns.Second, 7, kind: "second")))
        {
            Assert.Equal("first", (string?)writer.Manifest["kind"]);
            Assert.Equal(Ns.Second, writer.SegmentDurationNs);
        }
        Assert.Equal(before, File.ReadAllBytes(log.ManifestPath));
    }

    [Theory]
    [InlineData("""{"segment_duration_ns":0,"retention_ns":0}""", "manifest: segment_duration_ns must be > 0")]
    [InlineData("""{"segment_duration_ns":1000,"retention_ns":-1}""", "manifest: retention_ns must be ≥ 0")]
    [InlineData("""{"retention_ns":0}""", "manifest: manifest missing or non-integer segment_duration_ns")]
    [InlineData("""{"segment_duration_ns":1000}""", "manifest: manifest missing or non-integer retention_ns")]
    [InlineData("""{"segment_duration_ns":1e9,"retention_ns":0}""", "manifest: manifest missing or non-integer segment_duration_ns")]
    [InlineData("""{"segment_duration_ns":1000,"retention_ns":"0"}""", "manifest: manifest missing or non-integer retention_ns")]
    public void Invalid_manifest_is_rejected_with_upstream_message_and_not_written(string json, string message)
    {
        using var log = new TempLog();
        var manifest = (JsonObject)JsonNode.Parse(json)!;
        var e = Assert.Throws<AukiException>(() => LogWriter.Open(log.Root, manifest));
        Assert.Equal(AukiErrorCode.InvalidArgument, e.Code);
        Assert.Equal(message, e.Message);
        Assert.False(File.Exists(log.ManifestPath));
    }

    [Fact]
    public void Segment_file_is_byte_identical_to_format_v1()
    {
        using var log = new TempLog();
        using (var writer = log.Open())
        {
            writer.Append(100, Bytes.Of("hello"));
            writer.Append(200, Bytes.Of("world"));
        }
        byte[] expected = SegmentBytes.V1Segment(0, (100, Bytes.Of("hello")), (200, Bytes.Of("world")));
        Assert.Equal(expected, File.ReadAllBytes(log.SegmentPath(0)));
    }

    [Fact]
    public void Round_trip_two_entries()
    {
        using var log = new TempLog();
        using (var writer = log.Open())
        {
            writer.Append(100, Bytes.Of("hello"));
            writer.Append(200, Bytes.Of("world"));
        }
        var entries = log.ReadAll();
        Assert.Equal([100L, 200L], entries.Select(e => e.TimestampNs));
        Assert.Equal(["hello", "world"], entries.Select(e => Encoding.UTF8.GetString(e.Payload)));
    }

    [Fact]
    public void Round_trip_empty_payload()
    {
        using var log = new TempLog();
        using (var writer = log.Open()) writer.Append(100, ReadOnlySpan<byte>.Empty);
        var entry = Assert.Single(log.ReadAll());
        Assert.Equal(100, entry.TimestampNs);
        Assert.Empty(entry.Payload);
    }

    [Fact]
    public void Segment_starts_follow_the_window_rule()
    {
        using var log = new TempLog();
        using (var writer = log.Open(segmentNs: Ns.Second, retentionNs: 60 * Ns.Second))
        {
            writer.Append(100, Bytes.Of("a"));
            writer.Append(Ns.Second + 100, Bytes.Of("b"));
        }
        Assert.Equal([0L, Ns.Second], LogReader.Open(log.Root).SegmentStarts);
    }

    [Fact]
    public void Rollover_happens_exactly_at_the_window_end()
    {
        using var log = new TempLog();
        using (var writer = log.Open(segmentNs: Ns.Second))
        {
            writer.Append(100, Bytes.Of("s1a"));
            writer.Append(Ns.Second - 1, Bytes.Of("s1b"));
            writer.Append(Ns.Second, Bytes.Of("s2a"));
            writer.Append(2 * Ns.Second + 500, Bytes.Of("s3a"));
        }
        Assert.Equal([0L, Ns.Second, 2 * Ns.Second], LogReader.Open(log.Root).SegmentStarts);
        Assert.Equal(4, log.ReadAll().Count);
    }

    [Fact]
    public void Eviction_keeps_segments_inside_retention_upstream_example()
    {
        using var log = new TempLog();
        using (var writer = log.Open(segmentNs: Ns.Second, retentionNs: 3 * Ns.Second))
        {
            for (long i = 0; i < 10; i++) writer.Append(i * Ns.Second + 100, Bytes.Of("x"));
        }
        Assert.Equal([6 * Ns.Second, 7 * Ns.Second, 8 * Ns.Second, 9 * Ns.Second], LogReader.Open(log.Root).SegmentStarts);
    }

    [Fact]
    public void Zero_retention_keeps_everything()
    {
        using var log = new TempLog();
        using (var writer = log.Open(segmentNs: Ns.Second, retentionNs: 0))
        {
            for (long i = 0; i < 5; i++) writer.Append(i * Ns.Second, Bytes.Of("x"));
        }
        Assert.Equal(5, LogReader.Open(log.Root).SegmentStarts.Count);
    }

    [Fact]
    public void Eviction_also_removes_segments_from_before_a_reopen()
    {
        using var log = new TempLog();
        using (var writer = log.Open(segmentNs: Ns.Second, retentionNs: 2 * Ns.Second))
        {
            for (long i = 0; i < 3; i++) writer.Append(i * Ns.Second, Bytes.Of("x"));
        }
        using (var writer = log.Open())
        {
            writer.Append(10 * Ns.Second, Bytes.Of("y"));
        }
        Assert.Equal([10 * Ns.Second], LogReader.Open(log.Root).SegmentStarts);
    }

    [Fact]
    public void Negative_timestamp_is_rejected_with_upstream_message()
    {
        using var log = new TempLog();
        using var writer = log.Open();
        var e = Assert.Throws<AukiException>(() => writer.Append(-1, Bytes.Of("x")));
        Assert.Equal(AukiErrorCode.InvalidArgument, e.Code);
        Assert.Equal("format: timestamp_ns must be ≥ 0", e.Message);
    }

    [Fact]
    public void Earlier_timestamp_is_rejected_and_writes_nothing()
    {
        using var log = new TempLog();
        using (var writer = log.Open())
        {
            writer.Append(500, Bytes.Of("a"));
            var e = Assert.Throws<AukiException>(() => writer.Append(499, Bytes.Of("b")));
            Assert.Equal(AukiErrorCode.InvalidArgument, e.Code);
            Assert.Equal("format: timestamp_ns 499 is earlier than the last entry (500)", e.Message);
        }
        Assert.Equal([500L], log.ReadAll().Select(e => e.TimestampNs));
    }

    [Fact]
    public void Earlier_timestamp_is_rejected_across_reopen()
    {
        using var log = new TempLog();
        using (var writer = log.Open()) writer.Append(3 * Ns.Second, Bytes.Of("a"));
        using (var writer = log.Open())
        {
            var e = Assert.Throws<AukiException>(() => writer.Append(Ns.Second, Bytes.Of("b")));
            Assert.Contains("is earlier than the last entry (3000000000)", e.Message);
            Assert.Equal(3 * Ns.Second, writer.LastTimestampNs);
        }
        Assert.Single(log.ReadAll());
    }

    [Fact]
    public void Equal_timestamps_are_allowed()
    {
        using var log = new TempLog();
        using (var writer = log.Open())
        {
            writer.Append(7, Bytes.Of("a"));
            writer.Append(7, Bytes.Of("b"));
        }
        Assert.Equal(2, log.ReadAll().Count);
    }

    [Fact]
    public void Reopen_continues_the_latest_segment_in_its_window()
    {
        using var log = new TempLog();
        using (var writer = log.Open()) writer.Append(100, Bytes.Of("before"));
        using (var writer = log.Open()) writer.Append(200, Bytes.Of("after"));
        Assert.Equal([0L], LogReader.Open(log.Root).SegmentStarts);
        Assert.Equal(SegmentBytes.V1Segment(0, (100, Bytes.Of("before")), (200, Bytes.Of("after"))), File.ReadAllBytes(log.SegmentPath(0)));
    }

    [Fact]
    public void Reopen_then_later_window_starts_a_new_segment()
    {
        using var log = new TempLog();
        using (var writer = log.Open()) writer.Append(100, Bytes.Of("a"));
        using (var writer = log.Open()) writer.Append(Ns.Second + 5, Bytes.Of("b"));
        Assert.Equal([0L, Ns.Second], LogReader.Open(log.Root).SegmentStarts);
        Assert.Equal(2, log.ReadAll().Count);
    }

    [Fact]
    public void Operations_after_close_throw_closed()
    {
        using var log = new TempLog();
        var writer = log.Open();
        writer.Close();
        foreach (Action op in new Action[]
        {
            () => writer.Append(1, Bytes.Of("x")),
            () => writer.Flush(),
            () => writer.SetRetention(5),
            () => _ = writer.Manifest,
            () => writer.GetStats(),
            () => writer.AppendMany([1], Bytes.Of("x"), [0, 1]),
        })
        {
            var e = Assert.Throws<AukiException>(op);
            Assert.Equal(AukiErrorCode.Closed, e.Code);
            Assert.Equal("log has been closed", e.Message);
        }
    }

    [Fact]
    public void Close_is_idempotent()
    {
        using var log = new TempLog();
        var writer = log.Open();
        writer.Append(1, Bytes.Of("x"));
        writer.Close();
        writer.Close();
        writer.Dispose();
        Assert.Single(log.ReadAll());
    }

    [Fact]
    public void Flush_makes_entries_visible_to_readers()
    {
        using var log = new TempLog();
        using var writer = log.Open();
        writer.Append(1, Bytes.Of("x"));
        writer.Flush();
        Assert.Single(log.ReadAll());
    }

    [Fact]
    public void Set_retention_is_persisted_in_the_manifest()
    {
        using var log = new TempLog();
        using (var writer = log.Open(retentionNs: 0))
        {
            writer.SetRetention(120_000_000_000);
            Assert.Equal(120_000_000_000, (long)writer.Manifest["retention_ns"]!);
        }
        Assert.Equal("""{"kind":"test","retention_ns":120000000000,"segment_duration_ns":1000000000}""", File.ReadAllText(log.ManifestPath));
        Assert.Equal(120_000_000_000, LogReader.Open(log.Root).RetentionNs);
    }

    [Fact]
    public void Set_retention_negative_is_rejected_with_upstream_message()
    {
        using var log = new TempLog();
        using var writer = log.Open();
        var e = Assert.Throws<AukiException>(() => writer.SetRetention(-1));
        Assert.Equal(AukiErrorCode.InvalidArgument, e.Code);
        Assert.Equal("manifest: retention_ns must be ≥ 0", e.Message);
    }

    [Fact]
    public void Set_retention_applies_from_the_next_append()
    {
        using var log = new TempLog();
        using var writer = log.Open(segmentNs: Ns.Second, retentionNs: 0);
        for (long i = 0; i < 5; i++) writer.Append(i * Ns.Second, Bytes.Of("x"));
        writer.SetRetention(Ns.Second);
        Assert.Equal(5, writer.SegmentStarts.Count);
        writer.Append(5 * Ns.Second, Bytes.Of("x"));
        Assert.Equal([4 * Ns.Second, 5 * Ns.Second], writer.SegmentStarts);
    }

    [Fact]
    public void Append_many_with_offsets_writes_every_entry()
    {
        using var log = new TempLog();
        using (var writer = log.Open())
        {
            byte[] buffer = Bytes.Of("aabbbc");
            writer.AppendMany([1, 2, 3, 3], buffer, [0, 2, 5, 5, 6]);
        }
        var entries = log.ReadAll();
        Assert.Equal([1L, 2L, 3L, 3L], entries.Select(e => e.TimestampNs));
        Assert.Equal(["aa", "bbb", "", "c"], entries.Select(e => Encoding.UTF8.GetString(e.Payload)));
    }

    [Fact]
    public void Append_many_with_fixed_payload_size_writes_every_entry()
    {
        using var log = new TempLog();
        using (var writer = log.Open()) writer.AppendMany([10, 20, 30], Bytes.Of("aabbcc"), payloadSize: 2);
        Assert.Equal(["aa", "bb", "cc"], log.ReadAll().Select(e => Encoding.UTF8.GetString(e.Payload)));
    }

    [Fact]
    public void Append_many_rejects_an_out_of_order_batch_and_writes_nothing()
    {
        using var log = new TempLog();
        using (var writer = log.Open())
        {
            writer.Append(5, Bytes.Of("first"));
            var e = Assert.Throws<AukiException>(() => writer.AppendMany([6, 7, 4], Bytes.Of("abc"), [0, 1, 2, 3]));
            Assert.Equal("format: timestamp_ns 4 is earlier than the last entry (7) (entry 2 of the batch)", e.Message);
        }
        Assert.Single(log.ReadAll());
    }

    [Fact]
    public void Append_many_rejects_offsets_outside_the_buffer()
    {
        using var log = new TempLog();
        using var writer = log.Open();
        var e = Assert.Throws<AukiException>(() => writer.AppendMany([1], Bytes.Of("ab"), [0, 3]));
        Assert.Equal(AukiErrorCode.InvalidArgument, e.Code);
        Assert.StartsWith("payload: ", e.Message);
    }

    [Fact]
    public void Large_payloads_round_trip_through_the_direct_write_path()
    {
        using var log = new TempLog();
        var rng = new Random(7);
        var payloads = new[] { 100, 200_000, 3, 2_500_000, 64 * 1024 }.Select(n => { var b = new byte[n]; rng.NextBytes(b); return b; }).ToArray();
        using (var writer = log.Open())
        {
            for (int i = 0; i < payloads.Length; i++) writer.Append(i, payloads[i]);
        }
        var entries = log.ReadAll();
        Assert.Equal(payloads.Length, entries.Count);
        for (int i = 0; i < payloads.Length; i++) Assert.Equal(payloads[i], entries[i].Payload);
    }

    [Fact]
    public void Unbuffered_writer_makes_each_entry_visible_at_once()
    {
        using var log = new TempLog();
        using var writer = log.Open(options: new LogWriterOptions { BufferSize = 0 });
        writer.Append(1, Bytes.Of("a"));
        writer.Append(2, Bytes.Of("b"));
        Assert.Equal(2, log.ReadAll().Count);
    }

    [Fact]
    public void Periodic_fsync_writes_buffered_entries_once_the_interval_has_passed()
    {
        using var log = new TempLog();
        using var writer = log.Open(options: new LogWriterOptions { FsyncIntervalNs = 1 });
        writer.Append(1, Bytes.Of("a"));
        Thread.Sleep(2);
        writer.Append(2, Bytes.Of("b"));
        Assert.Equal(2, log.ReadAll().Count);
    }

    [Fact]
    public void Without_flush_buffered_entries_are_not_yet_visible()
    {
        using var log = new TempLog();
        using var writer = log.Open();
        writer.Append(1, Bytes.Of("a"));
        Assert.Empty(log.ReadAll());
    }

    [Fact]
    public void Stats_of_a_live_writer_count_entries_before_and_after_reopen()
    {
        using var log = new TempLog();
        using (var writer = log.Open(segmentNs: Ns.Second))
        {
            writer.Append(100, Bytes.Of("abc"));
            writer.Append(Ns.Second + 1, Bytes.Of("de"));
        }
        using (var writer = log.Open())
        {
            writer.Append(Ns.Second + 2, Bytes.Of("f"));
            writer.Append(3 * Ns.Second, Bytes.Of(""));
            var stats = writer.GetStats();
            Assert.Equal(4, stats.Entries);
            Assert.Equal(100, stats.FirstTimestampNs);
            Assert.Equal(3 * Ns.Second, stats.LastTimestampNs);
            Assert.Equal(3 * Ns.Second - 100, stats.DurationNs);
            Assert.Equal(3 * 16 + 4 * 12 + 6, stats.Bytes);
        }
        Assert.Equal(3 * 16 + 4 * 12 + 6, LogStats.Compute(log.Root).Bytes);
    }
}
