using System.Text.Json.Nodes;
using Auki.Inspect;
using Auki.Logs;
using Auki.Manifests;
using Auki.Registry;
using Auki.Sessions;
using Auki.Core.Tests.Support;

namespace Auki.Core.Tests.Inspect;

/// <summary>What `auki ls` is built on: every log of a root, described from its files.</summary>
public class StoreWalkerTests
{
    [Fact]
    public void Logs_are_found_with_peer_session_kind_sensor_clock_counts_and_times()
    {
        using var store = new RecordedStore();
        store.Camera("head_left_rgb", integrity: true, timestamps: [1_000, 2_000_000_000, 2_000_000_500]);
        var log = Assert.Single(StoreWalker.Logs(store.Root));
        Assert.Equal(("galbot", store.Session.SessionId, false), (log.PeerId, log.BootSessionId, log.Standalone));
        Assert.Equal(("head_left_rgb", "sensor", "camera/rgb"), (log.ResourceId, log.Kind, log.SensorDescription));
        Assert.Equal(store.Session.MonotonicClock!.Id, log.ClockRef!.Id);
        Assert.Equal((3L, 1_000L, 2_000_000_500L), (log.Entries, log.FirstTimestampNs!.Value, log.LastTimestampNs!.Value));
        Assert.Equal(2, log.Segments.Count);
        Assert.Equal(new FileInfo(log.Segments[0].Path).Length + new FileInfo(log.Segments[1].Path).Length, log.Bytes);
        Assert.Equal("live", log.State);
        Assert.Equal($"{store.Session.SessionId}/logs/galbot/head_left_rgb", log.FileId);
    }

    [Fact]
    public void A_closed_fixed_head_log_is_sealed_and_a_declared_log_without_data_is_empty()
    {
        using var store = new RecordedStore();
        store.Camera("fixed", integrity: false, head: HeadSpec.Fixed(), timestamps: [5, 6]);
        store.Camera("quiet", integrity: false);
        var logs = StoreWalker.Logs(store.Root);
        Assert.Equal(["fixed", "quiet"], logs.Select(l => l.ResourceId));
        Assert.Equal("sealed", logs[0].State);
        Assert.Equal((0L, (long?)null, "live"), (logs[1].Entries, logs[1].FirstTimestampNs, logs[1].State));
    }

    [Fact]
    public void Era_a_logs_and_nested_resource_ids_are_found()
    {
        using var dir = new TempDir();
        var session = Session.CreateStandalone("legacy", "app");
        session.Peer.StorageRoot = dir.Path;
        var frame = session.Peer.RegisterFrame("f", FrameDef.RosBody);
        var a = session.Peer.RegisterFrame("arm/base", FrameDef.RosBody);
        var clock = session.RegisterClock("c", new JsonObject { ["type"] = "monotonic_clock", ["unit"] = "ns", ["monotonic"] = true, ["scope"] = "device-local" });
        var pose = session.RegisterLog(new PoseLogSpec(frame, a, clock, new JsonObject { ["kind"] = "manual" }, "rigid", 1, HeadSpec.Rolling(0), 1_000, 0));
        pose.Data.Append(10, [1]);
        pose.Data.Close();
        var log = Assert.Single(StoreWalker.Logs(dir.Path));
        Assert.Equal(("legacy", true, session.SessionId), (log.PeerId, log.Standalone, log.BootSessionId));
        Assert.Equal(("f->arm/base", "pose", 1L), (log.ResourceId, log.Kind, log.Entries));
        Assert.Null(log.SensorRef);
    }

    [Fact]
    public void A_damaged_segment_or_manifest_is_described_not_thrown()
    {
        using var store = new RecordedStore();
        var handle = store.Camera("cam", integrity: false, timestamps: [1, 2]);
        File.WriteAllText(Path.Combine(handle.Root, "manifest.json"), "{not json");
        File.WriteAllBytes(store.SegmentPath(handle, 0), "NOPE, not a segment"u8.ToArray());
        var log = Assert.Single(StoreWalker.Logs(store.Root));
        Assert.Contains(log.Notes, n => n.StartsWith("manifest.json: invalid JSON"));
        Assert.Contains(log.Notes, n => n.Contains("is damaged"));
        Assert.Equal("sensor", log.Kind); // from log_manifest.json, the same manifest
    }

    [Fact]
    public void A_missing_root_is_not_found()
    {
        Assert.Equal(AukiErrorCode.NotFound, Assert.Throws<AukiException>(() => StoreWalker.Logs("/no/such/root")).Code);
    }
}
