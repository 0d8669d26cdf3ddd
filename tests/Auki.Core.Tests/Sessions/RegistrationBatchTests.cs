using System.Text.Json.Nodes;
using Auki.Manifests;
using Auki.Registry;
using Auki.Sessions;

namespace Auki.Core.Tests.Sessions;

/// <summary>
/// Peer.BeginBatch/CommitBatch: registrations are written at once and made durable together, and a
/// file that names another never waits in the batch while what it names does (the barrier rule).
/// </summary>
public class RegistrationBatchTests
{
    private static readonly JsonObject MonotonicNs = (JsonObject)JsonNode.Parse("""{"type":"monotonic_clock","unit":"ns","monotonic":true,"scope":"device-local"}""")!;

    private static JsonObject Scalar() => (JsonObject)JsonNode.Parse("""{"kind":"scalar","type":"temperature","unit":"C","expected_rate_hz":10}""")!;

    private static JsonObject CameraOn(RegistryRef frame)
    {
        var body = Json.HashVectorTests.EraACameraBody();
        body["frame"] = frame.ToJson();
        return body;
    }

    [Fact]
    public void Registrations_in_a_batch_wait_for_the_commit_and_are_readable_before_it()
    {
        using var dir = new TempDir();
        var peer = new Peer("galbot", "app") { StorageRoot = dir.Path };
        using (peer.BeginBatch())
        {
            var a = peer.RegisterSensor("a", Scalar());
            peer.RegisterSensor("b", Scalar());
            Assert.Equal(2, peer.Deferred!.PendingCount);
            Assert.NotNull(RegistryStore.Read(dir.Path, RegistryKind.Sensor, "galbot", "a", a.Hash));
        }
        Assert.Null(peer.Deferred);
        Assert.False(peer.InBatch);
    }

    [Fact]
    public void A_sensor_naming_a_frame_of_the_batch_makes_the_frame_durable_first()
    {
        using var dir = new TempDir();
        var peer = new Peer("galbot", "app") { StorageRoot = dir.Path };
        using var batch = peer.BeginBatch();
        var frame = peer.RegisterFrame("optical", FrameDef.RosOptical);
        Assert.Equal(1, peer.Deferred!.PendingCount);
        peer.RegisterSensor("cam", CameraOn(frame));
        Assert.Equal(1, peer.Deferred!.PendingCount); // the frame was synced before the sensor was written
    }

    [Fact]
    public void A_log_manifest_waits_for_its_entries_and_the_first_append_for_the_manifest()
    {
        using var dir = new TempDir();
        var peer = new Peer("galbot", "app") { StorageRoot = dir.Path };
        using var batch = peer.BeginBatch();
        var sensor = peer.RegisterSensor("thermo", Scalar());
        var unrelated = peer.RegisterSensor("unrelated", Scalar());
        var session = peer.StartSession();
        var clock = session.RegisterClock("clk", MonotonicNs);
        Assert.Equal(5, peer.Deferred!.PendingCount); // two sensors, the session's two clocks, clk
        var log = session.RegisterLog(new SensorLogSpec(sensor, clock, HeadSpec.Fixed(), 1_000_000_000, 0));
        Assert.Equal(1, peer.Deferred!.PendingCount); // its sensor and clock were pending: synced (with the rest), then the manifest
        log.Data.Append(1, [1]);
        Assert.Equal(0, peer.Deferred!.PendingCount);
        Assert.NotNull(unrelated);
    }

    [Fact]
    public void Batches_nest_and_the_outermost_commit_syncs()
    {
        using var dir = new TempDir();
        var peer = new Peer("galbot", "app") { StorageRoot = dir.Path };
        var outer = peer.BeginBatch();
        using (peer.BeginBatch()) peer.RegisterFrame("optical", FrameDef.RosOptical);
        Assert.Equal(1, peer.Deferred!.PendingCount);
        outer.Dispose();
        outer.Dispose(); // a scope commits once
        Assert.False(peer.InBatch);
        var e = Assert.Throws<AukiException>(peer.CommitBatch);
        Assert.Equal(AukiErrorCode.InvalidArgument, e.Code);
        Assert.Equal("no registration batch is open on peer galbot", e.Message);
    }
}
