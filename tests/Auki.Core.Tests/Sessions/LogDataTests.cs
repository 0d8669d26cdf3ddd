using System.Text.Json.Nodes;
using Auki.Catalog;
using Auki.Json;
using Auki.Manifests;
using Auki.Registry;
using Auki.Sessions;

namespace Auki.Core.Tests.Sessions;

/// <summary>Data through session handles: append, read, seal, and the catalog's real counters.</summary>
public class LogDataTests
{
    private static (Session, LogHandle) SensorLog(string root, HeadSpec head)
    {
        var peer = new Peer("galbot", "app") { StorageRoot = root };
        var frame = peer.RegisterFrame("f", FrameDef.RosOptical);
        var body = Json.HashVectorTests.EraACameraBody();
        body["frame"] = frame.ToJson();
        var sensor = peer.RegisterSensor("cam", body);
        var session = peer.StartSession();
        return (session, session.RegisterLog(new SensorLogSpec(sensor, session.MonotonicClock!, head, 1_000_000_000, 0)));
    }

    [Fact]
    public void Appended_entries_read_back_beside_the_manifest_in_the_auki_logs_layout()
    {
        using var dir = new TempDir();
        var (_, log) = SensorLog(dir.Path, HeadSpec.Rolling(5_000_000_000));
        log.Data.Append(100, [1, 2]);
        log.Data.Append(1_000_000_100, [3]);
        log.Data.Flush();
        Assert.Equal([100L, 1_000_000_100], log.Data.Read().Select(e => e.TimestampNs).ToArray());
        Assert.Equal([1_000_000_100L], log.Data.Read(200, null).Select(e => e.TimestampNs).ToArray());
        Assert.True(File.Exists(Path.Combine(log.Root, "segments", "00000000000000000000.seg")));
        // The auki-logs manifest is the log's canonical manifest, so upstream readers open it.
        Assert.Equal(File.ReadAllBytes(Path.Combine(log.Root, "manifest.json")), File.ReadAllBytes(Path.Combine(log.Root, "log_manifest.json")));
    }

    [Fact]
    public void Catalog_counts_what_is_on_disk()
    {
        using var dir = new TempDir();
        var (session, log) = SensorLog(dir.Path, HeadSpec.Rolling(5_000_000_000));
        log.Data.Append(100, new byte[10]);
        log.Data.Append(600, new byte[10]);
        log.Data.Flush();
        var row = CatalogRows.For(session)[0]!;
        Assert.Equal(2UL, (ulong)row["available"]!["entries"]!);
        Assert.Equal(500L, (long)row["available"]!["duration_ns"]!);
        Assert.Equal(16UL + 2 * (12 + 10), (ulong)row["available"]!["bytes"]!);
    }

    [Fact]
    public void Catalog_counters_of_a_log_written_here_leave_out_buffered_entries_and_follow_rolls_and_eviction()
    {
        using var dir = new TempDir();
        var (session, log) = SensorLog(dir.Path, HeadSpec.Rolling(2_000_000_000));
        JsonNode Available() => CatalogRows.For(session)[0]!["available"]!;
        log.Data.SetRetention(2_000_000_000);
        log.Data.Append(100, new byte[10]);
        // Still in the writer's buffer: a reader could not get it, so the catalog does not count it.
        Assert.Equal("""{"bytes":0,"duration_ns":0,"entries":0}""", CanonicalJson.SerializeToString(Available()));
        for (long t = 1; t <= 60; t++) log.Data.Append(t * 100_000_000, new byte[(int)t]); // 6 s over 1 s segments: old ones evicted
        log.Data.Flush();
        var onDisk = Auki.Logs.LogStats.Compute(log.Root);
        Assert.True(onDisk.FirstTimestampNs > 100, "retention evicted the first segments");
        Assert.Equal(CanonicalJson.SerializeToString(new LogAvailability((ulong)onDisk.Bytes, (ulong)onDisk.Entries,
            onDisk.FirstTimestampNs!.Value, onDisk.LastTimestampNs!.Value, false).ToJson()), CanonicalJson.SerializeToString(Available()));
    }

    [Fact]
    public void Catalog_counters_of_a_log_written_by_another_writer_are_measured_from_its_files()
    {
        using var dir = new TempDir();
        var (session, log) = SensorLog(dir.Path, HeadSpec.Rolling(5_000_000_000));
        using (var elsewhere = Auki.Logs.LogWriter.Open(log.Root, log.Manifest)) // as another process would
        {
            elsewhere.Append(100, new byte[10]);
            elsewhere.Append(600, new byte[10]);
            elsewhere.WriteBuffered();
            Assert.Equal("""{"bytes":60,"duration_ns":500,"entries":2}""", CanonicalJson.SerializeToString(CatalogRows.For(session)[0]!["available"]));
            elsewhere.Append(900, new byte[10]);
            elsewhere.WriteBuffered();
            Assert.Equal("""{"bytes":82,"duration_ns":800,"entries":3}""", CanonicalJson.SerializeToString(CatalogRows.For(session)[0]!["available"]));
        }
    }

    [Fact]
    public void Closing_a_fixed_log_seals_it_with_its_extent()
    {
        using var dir = new TempDir();
        var (session, log) = SensorLog(dir.Path, HeadSpec.Fixed());
        log.Data.Append(1_000, [1]);
        Assert.Equal("""{"kind":"fixed","started_at_ns":0}""", CanonicalJson.SerializeToString(CatalogRows.For(session)[0]!["head"]));
        log.Data.Flush();
        Assert.Equal("""{"kind":"fixed","started_at_ns":1000}""", CanonicalJson.SerializeToString(CatalogRows.For(session)[0]!["head"]));
        log.Data.Append(5_000, [2]);
        log.Data.Close();
        var row = CatalogRows.For(session)[0]!;
        Assert.Equal("sealed", (string)row["state"]!);
        Assert.Equal("""{"finish_at_ns":5000,"start_at_ns":1000}""", CanonicalJson.SerializeToString(row["extent"]));
        Assert.Null(row["head"]);
        Assert.Equal(AukiErrorCode.Closed, Assert.Throws<AukiException>(() => log.Data.Append(6_000, [3])).Code);
    }

    [Fact]
    public void A_second_writer_on_the_same_log_is_busy_until_the_first_closes()
    {
        using var dir = new TempDir();
        var (_, log) = SensorLog(dir.Path, HeadSpec.Rolling(1));
        log.Data.Append(1, [1]);
        var other = new LogData(log.Root, log.Manifest, sealOnClose: false);
        Assert.Equal(AukiErrorCode.Busy, Assert.Throws<AukiException>(() => other.Append(2, [2])).Code);
        log.Data.Close();
        var third = new LogData(log.Root, log.Manifest, sealOnClose: false);
        third.Append(2, [2]);
        third.Close();
        Assert.Equal(2, new LogData(log.Root, log.Manifest, false).Read().Count());
    }

    [Fact]
    public void Reading_a_log_without_data_yields_nothing()
    {
        using var dir = new TempDir();
        var (_, log) = SensorLog(dir.Path, HeadSpec.Rolling(1));
        Assert.Empty(log.Data.Read());
    }
}
