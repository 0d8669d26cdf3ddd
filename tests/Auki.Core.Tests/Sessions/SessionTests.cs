using System.Text;
using System.Text.Json.Nodes;
using Auki.Catalog;
using Auki.Domains;
using Auki.Json;
using Auki.Manifests;
using Auki.Registry;
using Auki.Sessions;

namespace Auki.Core.Tests.Sessions;

/// <summary>Sections 7–9 and 11: peers, both session forms, log declaration, manifests, catalog rows.</summary>
public class SessionTests
{
    private static readonly JsonObject MonotonicNs = (JsonObject)JsonNode.Parse("""{"type":"monotonic_clock","unit":"ns","monotonic":true,"scope":"device-local"}""")!;

    private static (Peer, RegistryRef frame, RegistryRef sensor) PeerWithCamera(string root)
    {
        var peer = new Peer("galbot", "galbot-ctrl") { StorageRoot = root };
        var frame = peer.RegisterFrame("head_left_camera_optical", FrameDef.RosOptical);
        var body = Json.HashVectorTests.EraACameraBody();
        body["frame"] = frame.ToJson();
        return (peer, frame, peer.RegisterSensor("head_left_rgb", body));
    }

    private static SensorLogSpec Spec(RegistryRef sensor, RegistryRef clock, RegistryRef? frame = null) =>
        new(sensor, clock, HeadSpec.Rolling(5_000_000_000), 1_000_000_000, 5_000_000_000, frame);

    [Fact]
    public void Start_session_mints_a_ulid_and_writes_both_clocks_under_the_peer_root()
    {
        using var dir = new TempDir();
        var peer = new Peer("galbot", "galbot-ctrl") { StorageRoot = dir.Path };
        var session = peer.StartSession();
        Assert.Equal(26, session.SessionId.Length);
        Assert.Equal($"galbot/{session.SessionId}/monotonic", session.MonotonicClock!.Id);
        Assert.EndsWith("/utc", session.UtcClock!.Id);
        Assert.True(Directory.Exists(dir[$"registries/clocks/galbot/galbot__{session.SessionId}__monotonic"]));
        string utc = File.ReadAllText(RegistryStore.EntryPath(dir.Path, RegistryKind.Clock, "galbot", session.UtcClock.Id, session.UtcClock.Hash));
        Assert.Contains("\"scope\":\"device-local\"", utc);
        Assert.Contains($"\"session_id\":\"{session.SessionId}\"", utc);
    }

    [Fact]
    public void Same_clock_in_two_sessions_has_two_hashes_but_not_in_standalone_sessions()
    {
        using var dir = new TempDir();
        var peer = new Peer("galbot", "app") { StorageRoot = dir.Path };
        Assert.NotEqual(peer.StartSession().RegisterClock("c", MonotonicNs).Hash, peer.StartSession().RegisterClock("c", MonotonicNs).Hash);
        var a = Session.CreateStandalone("galbot", "app");
        a.Peer.StorageRoot = dir.Path;
        var b = Session.CreateStandalone("galbot", "app");
        b.Peer.StorageRoot = dir.Path;
        Assert.Equal(a.RegisterClock("c", MonotonicNs).Hash, b.RegisterClock("c", MonotonicNs).Hash);
    }

    [Fact]
    public void Contains_clock_ref_requires_exact_peer_id_and_hash()
    {
        using var dir = new TempDir();
        var session = new Peer("galbot", "app") { StorageRoot = dir.Path }.StartSession();
        var clock = session.RegisterClock("session/sdk_clock", MonotonicNs);
        Assert.True(session.ContainsClockRef(clock));
        Assert.False(session.ContainsClockRef(clock with { Hash = new string('0', 32) }));
        Assert.False(session.ContainsClockRef(clock with { PeerId = "park" }));
    }

    [Fact]
    public void Era_c_sensor_log_manifest_lives_under_the_session_id()
    {
        using var dir = new TempDir();
        var (peer, frame, sensor) = PeerWithCamera(dir.Path);
        var session = peer.StartSession();
        var clock = session.RegisterClock("session/sdk_clock", MonotonicNs);
        var handle = session.RegisterLog(Spec(sensor, clock, frame));
        Assert.Equal(Path.Combine(dir.Path, session.SessionId, "logs", "galbot", "head_left_rgb"), handle.Root);
        string manifest = File.ReadAllText(Path.Combine(handle.Root, "manifest.json"));
        Assert.Contains("\"source_peer_id\":\"galbot\"", manifest);
        Assert.Contains("\"writer_peer_id\":\"galbot\"", manifest);
        Assert.Contains("\"retention_ns\":5000000000", manifest);
        Assert.Equal(new LogRef("galbot", "head_left_rgb"), handle.LogRef);
    }

    [Fact]
    public void Standalone_session_writes_era_a_paths_and_nothing_until_registration()
    {
        using var dir = new TempDir();
        var session = Session.CreateStandalone("galbot", "galbot-ctrl");
        session.Peer.StorageRoot = dir.Path;
        Assert.Empty(Directory.GetFileSystemEntries(dir.Path));
        var frame = session.Peer.RegisterFrame("head_left_camera_optical", FrameDef.RosOptical);
        var body = Json.HashVectorTests.EraACameraBody();
        var sensor = session.Peer.RegisterSensor("head_left_rgb", body);
        var clock = session.RegisterClock("session/sdk_clock", MonotonicNs);
        var handle = session.RegisterLog(Spec(sensor, clock, frame));
        Assert.True(File.Exists(dir["logs/galbot/head_left_rgb/manifest.json"]));
        Assert.Equal("8295922307fa2b426453486ba87a59ef", sensor.Hash);
        Assert.Null(session.MonotonicClock);
        Assert.Equal(handle.Root, Path.Combine(dir.Path, "logs", "galbot", "head_left_rgb"));
    }

    [Fact]
    public void Duplicate_log_is_refused_with_upstream_text()
    {
        using var dir = new TempDir();
        var (peer, _, sensor) = PeerWithCamera(dir.Path);
        var session = peer.StartSession();
        session.RegisterLog(Spec(sensor, session.MonotonicClock!));
        Assert.Equal("duplicate log galbot/head_left_rgb",
            Assert.Throws<AukiException>(() => session.RegisterLog(Spec(sensor, session.MonotonicClock!))).Message);
    }

    [Fact]
    public void Unregistered_sensor_reuses_the_duplicate_log_text()
    {
        using var dir = new TempDir();
        var session = new Peer("galbot", "app") { StorageRoot = dir.Path }.StartSession();
        var ghost = new RegistryRef("galbot", "ghost_cam", new string('0', 32));
        var e = Assert.Throws<AukiException>(() => session.RegisterLog(Spec(ghost, session.MonotonicClock!)));
        Assert.Equal("duplicate log galbot/sensor not registered: ghost_cam", e.Message);
        Assert.False(Directory.Exists(dir[session.SessionId]));
    }

    [Fact]
    public void Resource_ids_follow_section_8_4()
    {
        using var dir = new TempDir();
        var peer = new Peer("galbot", "app") { StorageRoot = dir.Path };
        var session = peer.StartSession();
        var world = peer.RegisterFrame("world", FrameDef.RosBody);
        var baseLink = peer.RegisterFrame("base_link", FrameDef.RosBody);
        var clock = session.MonotonicClock!;
        var pose = session.RegisterLog(new PoseLogSpec(world, baseLink, clock, new JsonObject { ["kind"] = "manual" }, "movable", 30, HeadSpec.Rolling(5), 1, 5));
        var tt = session.RegisterLog(new TimeTransformLogSpec(session.RegisterClock("session/sdk_clock", MonotonicNs), session.UtcClock!, new JsonObject { ["kind"] = "local_clock_read" }, HeadSpec.Fixed(), 1, 0));
        var detector = new RegistryRef("galbot", "yolo_v8", new string('1', 32));
        var sensor = new RegistryRef("galbot", "head_left_rgb", new string('2', 32));
        var eraA = session.RegisterLog(new DetectionLogSpec(null, detector, new LogRef("galbot", "head_left_rgb"), sensor, clock, null, HeadSpec.Fixed(), 1, 0));
        var eraC = session.RegisterLog(new DetectionLogSpec("yolo-head-left", detector, new LogRef("galbot", "head_left_rgb"), sensor, clock, new JsonObject { ["kind"] = "every_frame" }, HeadSpec.Fixed(), 1, 0));
        Assert.Equal("world->base_link", pose.ResourceId);
        Assert.Equal($"session/sdk_clock->galbot/{session.SessionId}/utc", tt.ResourceId);
        Assert.Equal("yolo_v8@head_left_rgb", eraA.ResourceId);
        Assert.Equal("yolo-head-left", eraC.ResourceId);
        Assert.True(File.Exists(Path.Combine(dir.Path, session.SessionId, "logs", "galbot", "session", "sdk_clock->galbot", session.SessionId, "utc", "manifest.json")));
    }

    [Fact]
    public void Era_c_detection_manifest_is_validated()
    {
        using var dir = new TempDir();
        var session = new Peer("galbot", "app") { StorageRoot = dir.Path }.StartSession();
        var r = new RegistryRef("galbot", "d", new string('1', 32));
        var e = Assert.Throws<AukiException>(() => session.RegisterLog(
            new DetectionLogSpec("inst", r, new LogRef("galbot", "s"), r, session.MonotonicClock!, new JsonObject { ["kind"] = "every_frame" }, HeadSpec.Fixed(), 0, 0)));
        Assert.Equal("invalid manifest field `segment_duration_ns`: must be greater than zero", e.Message);
        e = Assert.Throws<AukiException>(() => session.RegisterLog(
            new DetectionLogSpec("inst", r with { Hash = "" }, new LogRef("galbot", "s"), r, session.MonotonicClock!, new JsonObject { ["kind"] = "every_frame" }, HeadSpec.Fixed(), 1, 0)));
        Assert.Equal("invalid manifest field `detector.hash`: must not be empty", e.Message);
    }

    [Fact]
    public void Resource_ids_that_would_leave_the_logs_directory_are_refused()
    {
        using var dir = new TempDir();
        var session = new Peer("galbot", "app") { StorageRoot = dir.Path }.StartSession();
        var up = new RegistryRef("galbot", "../../etc", new string('1', 32));
        Assert.Throws<AukiException>(() => session.RegisterLog(
            new PoseLogSpec(up, up, session.MonotonicClock!, new JsonObject { ["kind"] = "manual" }, "rigid", 1, HeadSpec.Fixed(), 1, 0)));
    }

    [Fact]
    public void Sensor_origin_manifest_bytes_match_the_locked_fixture()
    {
        var spec = new SensorLogSpec(
            new RegistryRef("galbot", "head_left_rgb", "8295922307fa2b426453486ba87a59ef"),
            new RegistryRef("galbot", "session/sdk_clock", "fb0120a35f4fd1de8a7d46f5e76b7f68"),
            HeadSpec.Rolling(5_000_000_000), 1_000_000_000, 5_000_000_000,
            new RegistryRef("galbot", "head_left_camera_optical", "3055a8ac27eecd57aa37235b05871c01"));
        Assert.Equal(
            """{"app_id":"galbot-control-plane","clock":{"hash":"fb0120a35f4fd1de8a7d46f5e76b7f68","id":"session/sdk_clock","peer_id":"galbot"},"frame":{"hash":"3055a8ac27eecd57aa37235b05871c01","id":"head_left_camera_optical","peer_id":"galbot"},"retention_ns":5000000000,"segment_duration_ns":1000000000,"sensor":{"hash":"8295922307fa2b426453486ba87a59ef","id":"head_left_rgb","peer_id":"galbot"},"session_id":"01HV-galbot-session","source_peer_id":"galbot","writer_peer_id":"galbot"}""",
            CanonicalJson.SerializeToString(LogManifest.Build(spec, "galbot", "galbot", "galbot-control-plane", "01HV-galbot-session")));
        var materialized = spec with { SegmentDurationNs = 10_000_000_000, RetentionNs = 300_000_000_000 };
        Assert.Equal(
            """{"app_id":"park-vis","clock":{"hash":"fb0120a35f4fd1de8a7d46f5e76b7f68","id":"session/sdk_clock","peer_id":"galbot"},"frame":{"hash":"3055a8ac27eecd57aa37235b05871c01","id":"head_left_camera_optical","peer_id":"galbot"},"retention_ns":300000000000,"segment_duration_ns":10000000000,"sensor":{"hash":"8295922307fa2b426453486ba87a59ef","id":"head_left_rgb","peer_id":"galbot"},"session_id":"01HV-park-session","source_peer_id":"galbot","writer_peer_id":"park"}""",
            CanonicalJson.SerializeToString(LogManifest.Build(materialized, "galbot", "park", "park-vis", "01HV-park-session")));
    }

    [Fact]
    public void Durations_above_i64_saturate_in_the_manifest()
    {
        var clock = new RegistryRef("p", "c", "h");
        var m = LogManifest.Build(new SensorLogSpec(clock, clock, HeadSpec.Fixed(), ulong.MaxValue, 0), "p", "p", "a", "s");
        Assert.Equal(long.MaxValue, (long)m["segment_duration_ns"]!);
    }

    [Fact]
    public void Pose_manifest_carries_source_mode_and_rate()
    {
        var clock = new RegistryRef("galbot", "session/sdk_clock", "fb0120a35f4fd1de8a7d46f5e76b7f68");
        var spec = new PoseLogSpec(new RegistryRef("park", "world", "2cbe0d5894d3346daa167ecb077cce98"), new RegistryRef("galbot", "base_link", "16645bd8584e5ca5fa1030b439da92dc"),
            clock, ManifestEnums.ParsePoseSource(JsonNode.Parse("""{"kind":"ros2_tf","publishers":["tf_broadcaster","robot_state_publisher"]}""")), "movable", 30,
            HeadSpec.Rolling(60_000_000_000), 1_000_000_000, 60_000_000_000);
        string json = CanonicalJson.SerializeToString(LogManifest.Build(spec, "galbot", "galbot", "app", "s"));
        Assert.Contains("\"expected_rate_hz\":30", json);
        Assert.Contains("\"source\":{\"kind\":\"ros2_tf\",\"publishers\":[\"robot_state_publisher\",\"tf_broadcaster\"]}", json);
        Assert.Contains("\"writer_mode\":\"movable\"", json);
    }

    [Fact]
    public void Catalog_rows_have_the_resources_0_2_0_shape()
    {
        using var dir = new TempDir();
        var (peer, frame, sensor) = PeerWithCamera(dir.Path);
        var session = peer.StartSession();
        session.RegisterLog(Spec(sensor, session.MonotonicClock!));
        var rows = CatalogRows.For(session);
        var row = Assert.IsType<JsonObject>(Assert.Single(rows));
        Assert.Equal("galbot", (string)row["source_peer_id"]!);
        Assert.Equal("galbot", (string)row["writer_peer_id"]!);
        Assert.Equal("live", (string)row["state"]!);
        Assert.Equal("sensor_log", (string)row["variant"]!);
        Assert.Equal("""{"kind":"rolling","retention_ns":5000000000}""", CanonicalJson.SerializeToString(row["head"]));
        Assert.Equal("""{"bytes":0,"duration_ns":0,"entries":0}""", CanonicalJson.SerializeToString(row["available"]));
        Assert.Equal($$"""{"kind":"camera","sensor_hash":"{{sensor.Hash}}","sensor_id":"head_left_rgb","type":"rgb"}""", CanonicalJson.SerializeToString(row["sensor"]));
        Assert.Equal($$"""{"clock":{{CanonicalJson.SerializeToString(session.MonotonicClock!.ToJson())}}}""", CanonicalJson.SerializeToString(row["manifest"]));
        Assert.Null(row["extent"]);
    }

    [Fact]
    public void Catalog_orders_rows_sensor_pose_time_transform_detection()
    {
        using var dir = new TempDir();
        var (peer, frame, sensor) = PeerWithCamera(dir.Path);
        var session = peer.StartSession();
        var clock = session.MonotonicClock!;
        var r = new RegistryRef("galbot", "d", new string('1', 32));
        session.RegisterLog(new DetectionLogSpec(null, r, new LogRef("galbot", "head_left_rgb"), sensor, clock, null, HeadSpec.Fixed(), 1, 0));
        session.RegisterLog(new TimeTransformLogSpec(clock, session.UtcClock!, new JsonObject { ["kind"] = "local_clock_read" }, HeadSpec.Fixed(), 1, 0));
        session.RegisterLog(new PoseLogSpec(frame, frame with { Id = "b" }, clock, new JsonObject { ["kind"] = "manual" }, "rigid", 1, HeadSpec.Fixed(), 1, 0));
        session.RegisterLog(Spec(sensor, clock));
        var variants = CatalogRows.For(session).Select(r => (string)r!["variant"]!).ToArray();
        Assert.Equal(["sensor_log", "pose_log", "time_transform_log", "detection_log"], variants);
    }

    [Fact]
    public void Materialize_and_resolve_raise_upstreams_not_implemented()
    {
        var session = Session.CreateStandalone("park", "vis");
        var e = Assert.Throws<AukiException>(() => session.MaterializeRemoteLog(new LogRef("galbot", "head_left_rgb"), 1, 1));
        Assert.Equal(AukiErrorCode.NotImplemented, e.Code);
        Assert.StartsWith("not implemented", e.Message);
        Assert.StartsWith("not implemented", Assert.Throws<AukiException>(() => session.ResolveStaticTransform(new LogRef("park", "world->base_link"))).Message);
    }

    [Fact]
    public void Body_errors_are_prefixed_and_checked_before_the_id()
    {
        var peer = new Peer("galbot", "app");
        var e = Assert.Throws<AukiException>(() => peer.RegisterSensor("bad>id", JsonNode.Parse("""{"kind":"camera"}""")));
        Assert.Equal("body: missing field `type`", e.Message);
    }
}
