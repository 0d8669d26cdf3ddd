// storegen: builds storage roots through the core API (peers, sessions, log handles), the way a
// robot would, so the CLI tests and the benchmark read real stores.
//   storegen demo ROOT EXPECT.json   a small store with known content; EXPECT.json lists every
//                                    entry appended (ground truth for the MCAP check)
//   storegen bulk ROOT BYTES [--v1] [--typed] [--fresh]  about BYTES of camera, lidar and IMU data (v2
//                                    CRC unless --v1); --typed: upstream messages instead (raw rgb8 CameraFrames,
//                                    scalar IMUs, a 100 Hz pose log), what the Foxglove export converts;
//                                    --fresh: camera/lidar payloads that do not compress, IMU ones that do
//   storegen typed ROOT [--damaged]  logs with upstream messages (pose, raw camera, scalar); with
//                                    --damaged, entries appended as bytes that do not fit their log
//   storegen foxglove ROOT EXPECT.json  cameras (raw rgb8 with row padding and a calibration, mono16,
//                                    jpeg), a pose, scalars, a monotonic->utc time transform and a peer
//                                    without one; EXPECT.json lists what each Foxglove channel must hold
using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Auki.Activity;
using Auki.Logs;
using Auki.Manifests;
using Auki.Registry;
using Auki.Sessions;

if (args.Length >= 3 && args[0] == "demo") return Demo.Run(args[1], args[2]);
if (args.Length >= 3 && args[0] == "foxglove") return FoxgloveStore.Run(args[1], args[2]);
if (args.Length >= 2 && args[0] == "typed") return Typed.Run(args[1], args.Contains("--damaged"));
if (args.Length >= 3 && args[0] == "bulk") return Bulk.Run(args[1], long.Parse(args[2], CultureInfo.InvariantCulture), args.Contains("--v1"), args.Contains("--typed"), args.Contains("--fresh"));
Console.Error.WriteLine("usage: storegen demo ROOT EXPECT.json | storegen bulk ROOT BYTES [--v1] [--typed] [--fresh] | storegen typed ROOT [--damaged] | storegen foxglove ROOT EXPECT.json");
return 2;

internal static class Bodies
{
    public static JsonObject Camera(string type, RegistryRef frame) => new()
    {
        ["kind"] = "camera",
        ["type"] = type,
        ["width"] = 4,
        ["height"] = 2,
        ["frame_rate_hz"] = 10,
        ["pixel_format"] = type == "depth" ? "mono16" : "rgb8",
        ["color_space"] = "srgb",
        ["intrinsics_model"] = "pinhole",
        ["distortion_model"] = "none",
        ["frame"] = frame.ToJson(),
    };

    public static JsonObject Scalar(string type, string unit, int rate) => new()
    {
        ["kind"] = "scalar",
        ["type"] = type,
        ["unit"] = unit,
        ["expected_rate_hz"] = rate,
    };

    public static JsonObject MonotonicClock() => new()
    {
        ["type"] = "monotonic_clock",
        ["unit"] = "ns",
        ["monotonic"] = true,
        ["scope"] = "device-local",
    };

    public static readonly ulong Second = 1_000_000_000;
}

/// <summary>The small store the golden tests list, cat, verify, export and draw.</summary>
internal static class Demo
{
    private sealed record Expected(string FileId, string Topic, List<(long Ts, byte[] Payload)> Entries);

    public static int Run(string root, string expectPath)
    {
        Directory.CreateDirectory(root);
        var expected = new List<Expected>();

        // galbot: a camera (v2, a gap between 1.9 s and 4.0 s), a battery gauge (v1, fixed head:
        // sealed on close), a pose log, and a camera declared but never written.
        var galbot = new Peer("galbot", "galbot-ctrl") { StorageRoot = root };
        var optical = galbot.RegisterFrame("head_left_camera_optical", FrameDef.RosOptical);
        var baseLink = galbot.RegisterFrame("base_link", FrameDef.RosBody);
        var rgb = galbot.RegisterSensor("head_left_rgb", Bodies.Camera("rgb", optical));
        var right = galbot.RegisterSensor("head_right_rgb", Bodies.Camera("rgb", optical));
        var battery = galbot.RegisterSensor("battery", Bodies.Scalar("voltage", "V", 1));
        var s1 = galbot.StartSession();
        var clock = s1.MonotonicClock!;

        var rgbLog = s1.RegisterLog(new SensorLogSpec(rgb, clock, HeadSpec.Rolling(60_000_000_000), Bodies.Second, 0, optical));
        rgbLog.Data.Configure(new LogWriterOptions { Integrity = true });
        var rgbEntries = new List<(long, byte[])>();
        for (int i = 0; i < 10; i++) rgbEntries.Add((1_000_000_000L + i * 100_000_000L, Encoding.ASCII.GetBytes($"rgb-{i:D4}")));
        for (int i = 10; i < 15; i++) rgbEntries.Add((4_000_000_000L + (i - 10) * 100_000_000L, Encoding.ASCII.GetBytes($"rgb-{i:D4}")));
        Append(rgbLog, rgbEntries, expected);

        var batteryLog = s1.RegisterLog(new SensorLogSpec(battery, clock, HeadSpec.Fixed(), Bodies.Second, 0));
        var batteryEntries = new List<(long, byte[])>();
        for (int i = 0; i < 5; i++)
        {
            var volts = new byte[4];
            BinaryPrimitives.WriteSingleLittleEndian(volts, 12.5f - i * 0.25f);
            batteryEntries.Add((1_050_000_000L + i * 1_000_000_000L, volts));
        }
        Append(batteryLog, batteryEntries, expected);

        var poseLog = s1.RegisterLog(new PoseLogSpec(baseLink, optical, clock, new JsonObject { ["kind"] = "manual" }, "rigid", 1,
            HeadSpec.Rolling(60_000_000_000), Bodies.Second, 0));
        Append(poseLog, [(1_000_000_000L, Encoding.ASCII.GetBytes("T0")), (3_000_000_000L, Encoding.ASCII.GetBytes("T1")), (5_000_000_000L, Encoding.ASCII.GetBytes("T2"))], expected);

        var rightLog = s1.RegisterLog(new SensorLogSpec(right, clock, HeadSpec.Rolling(60_000_000_000), Bodies.Second, 0, optical));
        expected.Add(new Expected(FileId(root, rightLog), Topic(rightLog), []));

        foreach (var log in s1.AllLogs()) log.Data.Close();

        // spot: a depth camera (v2) over 2.0 .. 3.75 s.
        var spot = new Peer("spot", "spot-ctrl") { StorageRoot = root };
        var body = spot.RegisterFrame("body", FrameDef.RosBody);
        var depth = spot.RegisterSensor("front_depth", Bodies.Camera("depth", body));
        var s2 = spot.StartSession();
        var depthLog = s2.RegisterLog(new SensorLogSpec(depth, s2.MonotonicClock!, HeadSpec.Rolling(60_000_000_000), Bodies.Second, 0, body));
        depthLog.Data.Configure(new LogWriterOptions { Integrity = true });
        var depthEntries = new List<(long, byte[])>();
        for (int i = 0; i < 8; i++) depthEntries.Add((2_000_000_000L + i * 250_000_000L, [(byte)i, 0xD0, 0x0D, (byte)(0xF0 + i)]));
        Append(depthLog, depthEntries, expected);
        depthLog.Data.Close();

        // An era-A standalone session (the Quickstart's Session(peer_id, app_id)): logs under ROOT/logs/.
        var legacy = Session.CreateStandalone("legacy-bot", "legacy-app");
        legacy.Peer.StorageRoot = root;
        var legacyFrame = legacy.Peer.RegisterFrame("antenna", FrameDef.RosBody);
        var uwb = legacy.Peer.RegisterSensor("uwb", new JsonObject { ["kind"] = "rf", ["type"] = "uwb", ["frame"] = legacyFrame.ToJson() });
        var legacyClock = legacy.RegisterClock("legacy-bot/clock", Bodies.MonotonicClock());
        var uwbLog = legacy.RegisterLog(new SensorLogSpec(uwb, legacyClock, HeadSpec.Rolling(60_000_000_000), Bodies.Second, 0));
        Append(uwbLog, [(2_200_000_000L, [1, 2, 3]), (2_300_000_000L, [4, 5, 6]), (3_300_000_000L, [7, 8, 9])], expected);
        uwbLog.Data.Close();

        // An activity session: the galbot camera whole, the spot depth camera from 2.5 s to 3.0 s.
        var store = new ActivityStore(root) { Actor = "storegen" };
        var activity = store.Create("drive-1", ["galbot", "spot"]);
        string depthId = FileId(root, depthLog);
        store.AddFiles(activity.SessionId, [new SessionFile(FileId(root, rgbLog)), new SessionFile(depthId, 2_500_000_000, 3_000_000_000)]);

        WriteExpectations(expectPath, expected, activity.SessionId, FileId(root, rgbLog), depthId);
        return 0;
    }

    private static void Append(LogHandle log, List<(long Ts, byte[] Payload)> entries, List<Expected> expected)
    {
        foreach (var (ts, payload) in entries) log.Data.Append(ts, payload);
        log.Data.Flush();
        expected.Add(new Expected(log.Root, Topic(log), entries));
    }

    private static string FileId(string root, LogHandle log) => Path.GetRelativePath(root, log.Root).Replace('\\', '/');

    private static string Topic(LogHandle log) => "/" + log.SourcePeerId + "/" + log.ResourceId;

    private static void WriteExpectations(string path, List<Expected> logs, string sessionId, string wholeFile, string windowedFile)
    {
        using var stream = File.Create(path);
        using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        w.WriteStartObject();
        w.WriteStartArray("logs");
        foreach (var log in logs)
        {
            w.WriteStartObject();
            w.WriteString("topic", log.Topic);
            w.WriteStartArray("entries");
            foreach (var (ts, payload) in log.Entries)
            {
                w.WriteStartArray();
                w.WriteStringValue(ts.ToString(CultureInfo.InvariantCulture));
                w.WriteStringValue(Convert.ToHexStringLower(payload));
                w.WriteEndArray();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartObject("activity_session");
        w.WriteString("id", sessionId);
        w.WriteStartArray("files");
        w.WriteStartObject();
        w.WriteString("topic", "/galbot/head_left_rgb");
        w.WriteString("file_id", wholeFile);
        w.WriteEndObject();
        w.WriteStartObject();
        w.WriteString("topic", "/spot/front_depth");
        w.WriteString("file_id", windowedFile);
        w.WriteString("from", "2500000000");
        w.WriteString("to", "3000000000");
        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteEndObject();
    }
}

/// <summary>
/// A store whose logs carry upstream's messages, appended typed (checked) as a program using
/// auki_datatypes would: a pose log of SpatialTransforms, a raw 2×2 rgb8 camera, a voltage scalar.
/// <c>--damaged</c> adds, through the untyped byte path that checks nothing, one entry that is not
/// protobuf to the scalar log and one camera frame one byte short.
/// </summary>
internal static class Typed
{
    public static int Run(string root, bool damaged)
    {
        Directory.CreateDirectory(root);
        var peer = new Peer("robot", "typed-app") { StorageRoot = root };
        var optical = peer.RegisterFrame("cam_optical", FrameDef.RosOptical);
        var baseLink = peer.RegisterFrame("base_link", FrameDef.RosBody);
        var camera = peer.RegisterSensor("cam", new JsonObject
        {
            ["kind"] = "camera",
            ["type"] = "rgb",
            ["width"] = 2,
            ["height"] = 2,
            ["frame_rate_hz"] = 10,
            ["image_encoding"] = "raw",
            ["pixel_format"] = "rgb8",
            ["row_stride_bytes"] = 6,
            ["color_space"] = "srgb",
            ["intrinsics_model"] = "pinhole",
            ["distortion_model"] = "none",
            ["frame"] = optical.ToJson(),
        });
        var volts = peer.RegisterSensor("battery", Bodies.Scalar("voltage", "V", 1));
        var session = peer.StartSession();
        var clock = session.MonotonicClock!;

        var pose = session.RegisterLog(new PoseLogSpec(baseLink, optical, clock, new JsonObject { ["kind"] = "manual" }, "rigid", 1,
            HeadSpec.Rolling(60_000_000_000), Bodies.Second, 0));
        pose.AppendTyped(1_000_000_000, Transform(0.1, 0, 1.5, 0, 0, 0, 1));
        pose.AppendTyped(2_000_000_000, Transform(0.25, -0.5, 1.5, 0, 0, 0.7071067811865476, 0.7071067811865476));

        var cam = session.RegisterLog(new SensorLogSpec(camera, clock, HeadSpec.Rolling(60_000_000_000), Bodies.Second, 0, optical));
        cam.AppendTyped(1_000_000_000, Frame(fx: 2.5, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]));
        if (damaged) cam.Data.Append(1_100_000_000, Frame(fx: 2.5, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]));
        cam.AppendTyped(1_200_000_000, Frame(fx: 2.5, [255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255]));

        var battery = session.RegisterLog(new SensorLogSpec(volts, clock, HeadSpec.Rolling(60_000_000_000), Bodies.Second, 0));
        battery.AppendTyped(1_000_000_000, Scalar(12.5));
        if (damaged) battery.Data.Append(1_500_000_000, [0xff, 0xff, 0xff]);
        battery.AppendTyped(2_000_000_000, Scalar(12.25));

        foreach (var log in session.AllLogs()) log.Data.Close();
        return 0;
    }

    private static byte[] Transform(double x, double y, double z, double qx, double qy, double qz, double qw) =>
        Google.Protobuf.MessageExtensions.ToByteArray(new Auki.Datatypes.Pose.SpatialTransform
        {
            Translation = new Auki.Datatypes.Pose.Vec3 { X = x, Y = y, Z = z },
            Orientation = new Auki.Datatypes.Pose.Quat { X = qx, Y = qy, Z = qz, W = qw },
        });

    private static byte[] Frame(double fx, byte[] pixels) =>
        Google.Protobuf.MessageExtensions.ToByteArray(new Auki.Datatypes.Camera.CameraFrame
        {
            DynamicIntrinsics = new Auki.Datatypes.Camera.DynamicIntrinsics { Fx = fx, Fy = fx, Cx = 1, Cy = 1 },
            Frame = Google.Protobuf.ByteString.CopyFrom(pixels),
        });

    private static byte[] Scalar(double value) =>
        Google.Protobuf.MessageExtensions.ToByteArray(new Auki.Datatypes.Scalar.Data { Value = value });
}

/// <summary>A large store for the benchmark: cameras, a lidar and IMUs at their rates until BYTES are written.</summary>
internal static class Bulk
{
    private sealed record Stream(string Sensor, JsonObject Body, long PeriodNs, int PayloadBytes);

    /// <param name="fresh">
    /// Camera and lidar payloads of fresh random bytes each, so they do not compress even against one
    /// another (otherwise every payload is a slice of one 512 KiB noise buffer: frames repeat each
    /// other, and a chunk of them compresses several times); IMU payloads counters that compress.
    /// </param>
    public static int Run(string root, long targetBytes, bool v1, bool typed = false, bool fresh = false)
    {
        if (typed) return RunTyped(root, targetBytes, fresh);
        var watch = Stopwatch.StartNew();
        var peer = new Peer("bench", "bench-ctrl") { StorageRoot = root };
        var frame = peer.RegisterFrame("base", FrameDef.RosBody);
        Stream[] streams =
        [
            new("cam_front", Bodies.Camera("rgb", frame), 33_333_333, 192 * 1024),
            new("cam_left", Bodies.Camera("rgb", frame), 33_333_333, 192 * 1024),
            new("cam_right", Bodies.Camera("rgb", frame), 33_333_333, 192 * 1024),
            new("lidar", Bodies.Scalar("points", "m", 10), 100_000_000, 96 * 1024),
            new("imu_body", Bodies.Scalar("accel", "m/s2", 500), 2_000_000, 64),
            new("imu_head", Bodies.Scalar("accel", "m/s2", 500), 2_000_000, 64),
        ];
        var session = peer.StartSession();
        var logs = new List<LogHandle>();
        foreach (var s in streams)
        {
            var sensor = peer.RegisterSensor(s.Sensor, s.Body);
            var log = session.RegisterLog(new SensorLogSpec(sensor, session.MonotonicClock!, HeadSpec.Rolling(0), Bodies.Second, 0));
            log.Data.Configure(new LogWriterOptions { Integrity = !v1 });
            logs.Add(log);
        }

        var noise = new byte[512 * 1024];
        var random = new Random(42);
        random.NextBytes(noise);
        long start = 1_700_000_000_000_000_000L; // Unix-epoch ns (Nov 2023): the timeline shows clock time
        var next = streams.Select(_ => start).ToArray();
        long written = 0, entries = 0;
        while (written < targetBytes)
        {
            int i = 0;
            for (int k = 1; k < streams.Length; k++) if (next[k] < next[i]) i = k;
            long ts = next[i];
            int offset = (int)((ts / 1000) % (noise.Length - streams[i].PayloadBytes));
            var payload = noise.AsSpan(offset, streams[i].PayloadBytes);
            if (fresh && payload.Length >= 4096) random.NextBytes(payload); // a new slice of noise: the buffer is refilled in place
            else if (fresh) for (int k = 0; k < payload.Length; k += 8) BinaryPrimitives.WriteInt64LittleEndian(payload[k..], entries + k);
            logs[i].Data.Append(ts, payload);
            written += payload.Length + 16;
            entries++;
            next[i] += streams[i].PeriodNs;
        }
        foreach (var log in logs) log.Data.Close();
        Console.WriteLine($"storegen: {entries} entries, {written} bytes in {logs.Count} logs ({(v1 ? "v1" : "v2")}) in {watch.Elapsed.TotalSeconds:0.0} s");
        return 0;
    }

    /// <summary>Typed payloads: three raw rgb8 256×256 cameras at 30 Hz, two scalar IMUs at 500 Hz, a pose log at 100 Hz.</summary>
    private static int RunTyped(string root, long targetBytes, bool fresh)
    {
        var watch = Stopwatch.StartNew();
        var peer = new Peer("bench", "bench-ctrl") { StorageRoot = root };
        var optical = peer.RegisterFrame("cam_optical", FrameDef.RosOptical);
        var baseLink = peer.RegisterFrame("base", FrameDef.RosBody);
        var session = peer.StartSession();
        var clock = session.MonotonicClock!;
        const int side = 256, stride = side * 3;
        var logs = new List<(LogHandle Log, long Period, Func<long, byte[]> Payload)>();
        var noise = new byte[1 << 20];
        var random = new Random(42);
        random.NextBytes(noise);
        ReadOnlySpan<byte> Pixels(long ts)
        {
            var pixels = noise.AsSpan((int)(ts / 1000 % (noise.Length - side * stride)), side * stride);
            if (fresh) random.NextBytes(pixels); // a frame that repeats none before it
            return pixels;
        }
        foreach (var name in new[] { "cam_front", "cam_left", "cam_right" })
        {
            var sensor = peer.RegisterSensor(name, new JsonObject
            {
                ["kind"] = "camera",
                ["type"] = "rgb",
                ["width"] = side,
                ["height"] = side,
                ["frame_rate_hz"] = 30,
                ["image_encoding"] = "raw",
                ["pixel_format"] = "rgb8",
                ["row_stride_bytes"] = stride,
                ["color_space"] = "srgb",
                ["intrinsics_model"] = "pinhole",
                ["distortion_model"] = "none",
                ["frame"] = optical.ToJson(),
            });
            var log = session.RegisterLog(new SensorLogSpec(sensor, clock, HeadSpec.Rolling(0), Bodies.Second, 0, optical));
            logs.Add((log, 33_333_333, ts => Google.Protobuf.MessageExtensions.ToByteArray(new Auki.Datatypes.Camera.CameraFrame
            {
                Frame = Google.Protobuf.ByteString.CopyFrom(Pixels(ts)),
            })));
        }
        foreach (var name in new[] { "imu_body", "imu_head" })
        {
            var sensor = peer.RegisterSensor(name, Bodies.Scalar("accel", "m/s2", 500));
            logs.Add((session.RegisterLog(new SensorLogSpec(sensor, clock, HeadSpec.Rolling(0), Bodies.Second, 0)), 2_000_000,
                ts => Google.Protobuf.MessageExtensions.ToByteArray(new Auki.Datatypes.Scalar.Data { Value = ts % 1000 / 100.0 })));
        }
        var pose = session.RegisterLog(new PoseLogSpec(baseLink, optical, clock, new JsonObject { ["kind"] = "manual" }, "movable", 100,
            HeadSpec.Rolling(0), Bodies.Second, 0));
        logs.Add((pose, 10_000_000, ts => Google.Protobuf.MessageExtensions.ToByteArray(new Auki.Datatypes.Pose.SpatialTransform
        {
            Translation = new Auki.Datatypes.Pose.Vec3 { X = ts % 1000 / 1000.0, Y = 0.5, Z = 1.5 },
            Orientation = new Auki.Datatypes.Pose.Quat { W = 1 },
        })));
        foreach (var (log, _, _) in logs) log.Data.Configure(new LogWriterOptions { Integrity = true });

        var next = logs.Select(_ => 0L).ToArray();
        long written = 0, entries = 0;
        while (written < targetBytes)
        {
            int i = 0;
            for (int k = 1; k < logs.Count; k++) if (next[k] < next[i]) i = k;
            long ts = next[i];
            var payload = logs[i].Payload(ts);
            logs[i].Log.AppendTyped(ts, payload);
            written += payload.Length + 16;
            entries++;
            next[i] += logs[i].Period;
        }
        foreach (var (log, _, _) in logs) log.Data.Close();
        Console.WriteLine($"storegen: {entries} typed entries, {written} bytes in {logs.Count} logs in {watch.Elapsed.TotalSeconds:0.0} s");
        return 0;
    }
}
