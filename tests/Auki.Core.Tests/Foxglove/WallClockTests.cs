using System.Text.Json.Nodes;
using Auki.Datatypes.TimeTransform;
using Auki.Foxglove;
using Auki.Inspect;
using Auki.Manifests;
using Auki.Sessions;
using Google.Protobuf;

namespace Auki.Core.Tests.Foxglove;

/// <summary>Each log's clock to Unix-epoch ns: UTC clocks directly, monotonic ones through a time transform, else as recorded.</summary>
public class WallClockTests
{
    private const long Offset = 1_764_000_000_000_000_000;

    private static readonly JsonObject Scalar = new() { ["kind"] = "scalar", ["type"] = "voltage", ["unit"] = "V", ["expected_rate_hz"] = 1 };

    private static StoreLog Log(string root, string resourceId) => StoreWalker.Logs(root, scanSegments: false).Single(l => l.ResourceId == resourceId);

    [Fact]
    public void A_monotonic_log_maps_through_the_sessions_time_transform_and_a_utc_log_directly()
    {
        using var dir = new TempDir();
        var peer = new Peer("robot", "app") { StorageRoot = dir.Path };
        var sensor = peer.RegisterSensor("battery", Scalar.DeepClone());
        var session = peer.StartSession();
        var tt = session.RegisterLog(new TimeTransformLogSpec(session.MonotonicClock!, session.UtcClock!, new JsonObject { ["kind"] = "local_clock_read" },
            HeadSpec.Rolling(0), 60_000_000_000, 0));
        tt.AppendTyped(1_000, new TimeTransformEntry { OffsetNs = Offset }.ToByteArray());
        tt.AppendTyped(3_000, new TimeTransformEntry { OffsetNs = Offset + 400 }.ToByteArray());
        session.RegisterLog(new SensorLogSpec(sensor, session.MonotonicClock!, HeadSpec.Rolling(0), 1_000_000_000, 0));
        var utcSensor = peer.RegisterSensor("gps", Scalar.DeepClone());
        session.RegisterLog(new SensorLogSpec(utcSensor, session.UtcClock!, HeadSpec.Rolling(0), 1_000_000_000, 0));
        foreach (var log in session.AllLogs()) log.Data.Close();

        var battery = WallClock.Mapping(dir.Path, Log(dir.Path, "battery"));
        Assert.Equal(2_000 + Offset + 200, battery(2_000));
        var clock = WallClock.Of(dir.Path);
        Assert.Equal(WallClockBasis.TimeTransform, clock.For(Log(dir.Path, "battery")).Basis);
        var gps = clock.For(Log(dir.Path, "gps"));
        Assert.Equal((WallClockBasis.UtcClock, Offset + 5), (gps.Basis, gps.Map(Offset + 5)));
    }

    [Fact]
    public void A_transform_from_utc_to_the_monotonic_clock_is_inverted()
    {
        using var dir = new TempDir();
        var peer = new Peer("robot", "app") { StorageRoot = dir.Path };
        var sensor = peer.RegisterSensor("battery", Scalar.DeepClone());
        var session = peer.StartSession();
        var tt = session.RegisterLog(new TimeTransformLogSpec(session.UtcClock!, session.MonotonicClock!, new JsonObject { ["kind"] = "local_clock_read" },
            HeadSpec.Rolling(0), 60_000_000_000, 0));
        // Read on the UTC clock: monotonic = utc + offset_ns.
        tt.AppendTyped(Offset + 1_000, new TimeTransformEntry { OffsetNs = -Offset }.ToByteArray());
        session.RegisterLog(new SensorLogSpec(sensor, session.MonotonicClock!, HeadSpec.Rolling(0), 1_000_000_000, 0));
        foreach (var log in session.AllLogs()) log.Data.Close();
        Assert.Equal(Offset + 7_000, WallClock.Mapping(dir.Path, Log(dir.Path, "battery"))(7_000));
    }

    [Fact]
    public void A_monotonic_clock_without_a_transform_keeps_its_readings_and_says_why()
    {
        using var dir = new TempDir();
        var peer = new Peer("rover", "app") { StorageRoot = dir.Path };
        var sensor = peer.RegisterSensor("odometer", Scalar.DeepClone());
        var session = peer.StartSession();
        session.RegisterLog(new SensorLogSpec(sensor, session.MonotonicClock!, HeadSpec.Rolling(0), 1_000_000_000, 0)).Data.Close();
        var mapping = WallClock.Of(dir.Path).For(Log(dir.Path, "odometer"));
        Assert.Equal(WallClockBasis.AsRecorded, mapping.Basis);
        Assert.Equal(3_000, mapping.Map(3_000));
        Assert.Contains("no time transform to a utc clock", mapping.Description);
        Assert.Contains(session.MonotonicClock!.Id, mapping.Description);
    }

    [Fact]
    public void A_utc_clock_with_another_epoch_is_shifted_to_the_unix_epoch()
    {
        var gpsEpoch = new JsonObject { ["type"] = "utc_clock", ["unit"] = "ns", ["epoch"] = "1980-01-06T00:00:00Z" };
        Assert.Equal(315_964_800L * 1_000_000_000, WallClock.UtcOffset(gpsEpoch));
        Assert.Equal(0, WallClock.UtcOffset(new JsonObject { ["type"] = "utc_clock", ["unit"] = "ns", ["epoch"] = "1970-01-01T00:00:00Z" }));
        Assert.Null(WallClock.UtcOffset(new JsonObject { ["type"] = "monotonic_clock", ["unit"] = "ns" }));
        Assert.Null(WallClock.UtcOffset(new JsonObject { ["type"] = "utc_clock", ["unit"] = "ms" })); // not nanoseconds: not mapped
    }
}
