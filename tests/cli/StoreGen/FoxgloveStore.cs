using System.Buffers.Binary;
using System.Globalization;
using System.Text.Json.Nodes;
using Auki.Manifests;
using Auki.Registry;
using Auki.Sessions;
using Google.Protobuf;
using Camera = Auki.Datatypes.Camera;
using Pose = Auki.Datatypes.Pose;

/// <summary>
/// The store the Foxglove export is checked on (tests/cli/mcap-check/foxglove.mjs). Every value a
/// Foxglove channel must carry is written to EXPECT.json from here, computed independently of the
/// exporter: log times through the time transform by its own formula, frame ids, encodings, steps.
/// </summary>
internal static class FoxgloveStore
{
    // UTC − monotonic at the two time-transform samples: 2025-11-24T16:00:00Z, then 4 µs of drift.
    private const long Offset0 = 1_764_000_000_000_000_000;
    private const long Sample0 = 500_000_000, Sample1 = 4_500_000_000, Drift = 4_000;

    /// <summary>The monotonic reading's Unix time: the offset held before the first sample, linear between them.</summary>
    private static long Utc(long mono) => mono <= Sample0 ? mono + Offset0
        : mono >= Sample1 ? mono + Offset0 + Drift
        : mono + Offset0 + Drift * (mono - Sample0) / (Sample1 - Sample0);

    public static int Run(string root, string expectPath)
    {
        Directory.CreateDirectory(root);
        var channels = new JsonArray();
        var frames = new JsonArray();
        var peer = new Peer("robot", "foxglove-app") { StorageRoot = root };
        var optical = peer.RegisterFrame("cam_optical", FrameDef.RosOptical);
        var baseLink = peer.RegisterFrame("base_link", FrameDef.RosBody);
        var cam = peer.RegisterSensor("cam", Camera("rgb", 3, 2, "raw", "rgb8", 12, optical, new JsonObject
        {
            ["fx"] = 500.5,
            ["fy"] = 510.25,
            ["cx"] = 1.5,
            ["cy"] = 1.0,
            ["distortion_coefficients"] = new JsonArray(0.1, -0.2, 0.001, 0.002, 0.0),
        }));
        var depth = peer.RegisterSensor("depth", Camera("depth", 2, 2, "raw", "mono16", 4, optical, null));
        var jpeg = peer.RegisterSensor("cam_jpeg", Camera("rgb", 640, 480, "jpeg", "rgb8", 0, optical, null));
        var battery = peer.RegisterSensor("battery", new JsonObject { ["kind"] = "scalar", ["type"] = "voltage", ["unit"] = "V", ["expected_rate_hz"] = 1 });
        var wall = peer.RegisterSensor("wall_time", new JsonObject { ["kind"] = "scalar", ["type"] = "count", ["unit"] = "1", ["expected_rate_hz"] = 1 });
        var session = peer.StartSession();
        var mono = session.MonotonicClock!;
        var utc = session.UtcClock!;
        var head = HeadSpec.Rolling(60_000_000_000);
        const ulong second = 1_000_000_000;

        var tt = session.RegisterLog(new TimeTransformLogSpec(mono, utc, new JsonObject { ["kind"] = "local_clock_read" }, head, 60 * second, 0));
        var ttMessages = new JsonArray();
        foreach (var (at, offset) in new[] { (Sample0, Offset0), (Sample1, Offset0 + Drift) })
        {
            tt.AppendTyped(at, new Auki.Datatypes.TimeTransform.TimeTransformEntry { OffsetNs = offset, UncertaintyNs = 250 }.ToByteArray());
            ttMessages.Add(Message(at, Utc(at), new JsonObject { ["offset_ns"] = offset.ToString(CultureInfo.InvariantCulture), ["uncertainty_ns"] = 250 }));
        }
        channels.Add(Channel("/robot/monotonic->utc", "auki.time_transform.TimeTransformEntry", ttMessages, stamped: false));
        // The transform log's resource id is from->to of the clock ids.
        channels[^1]!["topic"] = "/robot/" + tt.ResourceId;

        // A raw rgb8 camera whose rows carry 3 bytes of padding (step 12 for 3 pixels), with a calibration.
        var camLog = session.RegisterLog(new SensorLogSpec(cam, mono, head, second, 0, optical));
        var camMessages = new JsonArray();
        byte[][] pictures =
        [
            [255, 0, 0, 0, 255, 0, 0, 0, 255, 0xEE, 0xEE, 0xEE, 10, 20, 30, 40, 50, 60, 70, 80, 90, 0xEE, 0xEE, 0xEE],
            [1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 0, 0, 200, 201, 202, 203, 204, 205, 206, 207, 208, 0, 0, 0],
        ];
        long[] camTimes = [1_000_000_000, 1_200_000_000];
        for (int i = 0; i < 2; i++)
        {
            camLog.AppendTyped(camTimes[i], Frame(pictures[i]));
            camMessages.Add(Message(camTimes[i], Utc(camTimes[i]), new JsonObject
            {
                ["frame_id"] = "robot/cam_optical",
                ["width"] = 3,
                ["height"] = 2,
                ["encoding"] = "rgb8",
                ["step"] = 12,
                ["data"] = Convert.ToHexStringLower(pictures[i]),
            }));
            frames.Add((JsonNode)new JsonObject { ["log"] = "cam", ["at"] = camTimes[i].ToString(CultureInfo.InvariantCulture), ["width"] = 3, ["height"] = 2, ["pixels"] = Convert.ToHexStringLower(pictures[i]) });
        }
        // One frame a byte short, appended untyped: the Foxglove export skips it and says so.
        camLog.Data.Append(1_300_000_000, Frame(pictures[0][..23]));
        channels.Add(Channel("/robot/cam", "foxglove.RawImage", camMessages));
        channels.Add(Channel("/robot/cam/calibration", "foxglove.CameraCalibration", [Message(camTimes[0], Utc(camTimes[0]), new JsonObject
        {
            ["frame_id"] = "robot/cam_optical",
            ["width"] = 3,
            ["height"] = 2,
            ["distortion_model"] = "plumb_bob",
            ["D"] = new JsonArray(0.1, -0.2, 0.001, 0.002, 0.0),
            ["K"] = new JsonArray(500.5, 0.0, 1.5, 0.0, 510.25, 1.0, 0.0, 0.0, 1.0),
            ["R"] = new JsonArray(1.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 1.0),
            ["P"] = new JsonArray(500.5, 0.0, 1.5, 0.0, 0.0, 510.25, 1.0, 0.0, 0.0, 0.0, 1.0, 0.0),
        })], stamped: false));

        // mono16: little-endian samples, as Foxglove's mono16 expects.
        var depthLog = session.RegisterLog(new SensorLogSpec(depth, mono, head, second, 0, optical));
        var samples = new byte[8];
        ushort[] values = [0x0102, 0xFF00, 0x1234, 0xABCD];
        for (int i = 0; i < 4; i++) BinaryPrimitives.WriteUInt16LittleEndian(samples.AsSpan(i * 2), values[i]);
        depthLog.AppendTyped(1_100_000_000, Frame(samples));
        channels.Add(Channel("/robot/depth", "foxglove.RawImage", [Message(1_100_000_000, Utc(1_100_000_000), new JsonObject
        {
            ["frame_id"] = "robot/cam_optical",
            ["width"] = 2,
            ["height"] = 2,
            ["encoding"] = "mono16",
            ["step"] = 4,
            ["data"] = Convert.ToHexStringLower(samples),
        })]));
        frames.Add((JsonNode)new JsonObject { ["log"] = "depth", ["at"] = "1100000000", ["width"] = 2, ["height"] = 2, ["pixels"] = Convert.ToHexStringLower(samples), ["depth16"] = true });

        // A jpeg camera: the files go through as recorded.
        var jpegLog = session.RegisterLog(new SensorLogSpec(jpeg, mono, head, second, 0, optical));
        byte[] file = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 0x4A, 0x46, 0x49, 0x46, 0x00, 0xFF, 0xD9];
        jpegLog.AppendTyped(1_050_000_000, Frame(file));
        channels.Add(Channel("/robot/cam_jpeg", "foxglove.CompressedImage", [Message(1_050_000_000, Utc(1_050_000_000), new JsonObject
        {
            ["frame_id"] = "robot/cam_optical",
            ["format"] = "jpeg",
            ["data"] = Convert.ToHexStringLower(file),
        })]));
        frames.Add((JsonNode)new JsonObject { ["log"] = "cam_jpeg", ["at"] = "1050000000", ["copied"] = Convert.ToHexStringLower(file) });

        var pose = session.RegisterLog(new PoseLogSpec(baseLink, optical, mono, new JsonObject { ["kind"] = "manual" }, "rigid", 1, head, second, 0));
        var poseMessages = new JsonArray();
        foreach (var (at, t, q) in new[] { (1_000_000_000L, (0.1, 0.0, 1.5), (0.0, 0.0, 0.0, 1.0)), (2_000_000_000L, (0.25, -0.5, 1.5), (0.0, 0.0, 0.7071067811865476, 0.7071067811865476)) })
        {
            pose.AppendTyped(at, new Pose.SpatialTransform
            {
                Translation = new Pose.Vec3 { X = t.Item1, Y = t.Item2, Z = t.Item3 },
                Orientation = new Pose.Quat { X = q.Item1, Y = q.Item2, Z = q.Item3, W = q.Item4 },
            }.ToByteArray());
            poseMessages.Add(Message(at, Utc(at), new JsonObject
            {
                ["parent_frame_id"] = "robot/base_link",
                ["child_frame_id"] = "robot/cam_optical",
                ["translation"] = new JsonObject { ["x"] = t.Item1, ["y"] = t.Item2, ["z"] = t.Item3 },
                ["rotation"] = new JsonObject { ["x"] = q.Item1, ["y"] = q.Item2, ["z"] = q.Item3, ["w"] = q.Item4 },
            }));
        }
        channels.Add(Channel("/robot/base_link->cam_optical", "foxglove.FrameTransform", poseMessages));

        // A scalar on the monotonic clock, one entry before the first transform sample (offset held).
        var batteryLog = session.RegisterLog(new SensorLogSpec(battery, mono, head, second, 0));
        var batteryMessages = new JsonArray();
        foreach (var (at, v) in new[] { (100_000_000L, 12.5), (2_000_000_000L, 12.25) })
        {
            batteryLog.AppendTyped(at, new Auki.Datatypes.Scalar.Data { Value = v }.ToByteArray());
            batteryMessages.Add(Message(at, Utc(at), new JsonObject { ["value"] = v }));
        }
        channels.Add(Channel("/robot/battery", "auki.scalar.Data", batteryMessages, stamped: false));

        // A scalar on the session's UTC clock: its readings are Unix times already.
        var wallLog = session.RegisterLog(new SensorLogSpec(wall, utc, head, second, 0));
        var wallMessages = new JsonArray();
        foreach (var (at, v) in new[] { (Offset0 + 1_000_000_005L, 1.0), (Offset0 + 2_000_000_010L, 2.0) })
        {
            wallLog.AppendTyped(at, new Auki.Datatypes.Scalar.Data { Value = v }.ToByteArray());
            wallMessages.Add(Message(at, at, new JsonObject { ["value"] = v }));
        }
        channels.Add(Channel("/robot/wall_time", "auki.scalar.Data", wallMessages, stamped: false));
        foreach (var log in session.AllLogs()) log.Data.Close();

        // Another peer with no time transform: its monotonic readings stay as they are.
        var rover = new Peer("rover", "rover-app") { StorageRoot = root };
        var odometer = rover.RegisterSensor("odometer", new JsonObject { ["kind"] = "scalar", ["type"] = "distance", ["unit"] = "m", ["expected_rate_hz"] = 1 });
        var roverSession = rover.StartSession();
        var odo = roverSession.RegisterLog(new SensorLogSpec(odometer, roverSession.MonotonicClock!, head, second, 0));
        odo.AppendTyped(3_000_000_000, new Auki.Datatypes.Scalar.Data { Value = 42.0 }.ToByteArray());
        odo.Data.Close();
        channels.Add(Channel("/rover/odometer", "auki.scalar.Data", [Message(3_000_000_000, 3_000_000_000, new JsonObject { ["value"] = 42.0 })], stamped: false));

        var expect = new JsonObject
        {
            ["channels"] = channels,
            ["frames"] = frames,
            ["logs"] = new JsonObject
            {
                ["cam"] = Path.GetRelativePath(root, camLog.Root),
                ["depth"] = Path.GetRelativePath(root, depthLog.Root),
                ["cam_jpeg"] = Path.GetRelativePath(root, jpegLog.Root),
                ["battery"] = Path.GetRelativePath(root, batteryLog.Root),
            },
            ["sessions"] = new JsonArray(
                new JsonObject { ["peer_id"] = "robot", ["app_id"] = "foxglove-app", ["boot_session_id"] = session.SessionId },
                new JsonObject { ["peer_id"] = "rover", ["app_id"] = "rover-app", ["boot_session_id"] = roverSession.SessionId }),
        };
        File.WriteAllText(expectPath, expect.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
        return 0;
    }

    private static JsonObject Camera(string type, int width, int height, string encoding, string pixelFormat, int stride, RegistryRef frame,
        JsonObject? calibration)
    {
        var body = new JsonObject
        {
            ["kind"] = "camera",
            ["type"] = type,
            ["width"] = width,
            ["height"] = height,
            ["frame_rate_hz"] = 10,
            ["image_encoding"] = encoding,
            ["pixel_format"] = pixelFormat,
            ["row_stride_bytes"] = stride,
            ["color_space"] = "srgb",
            ["intrinsics_model"] = "pinhole",
            ["distortion_model"] = "brown_conrady",
            ["frame"] = frame.ToJson(),
        };
        if (calibration is not null) body["calibration"] = calibration;
        return body;
    }

    private static byte[] Frame(byte[] pixels) => new Camera.CameraFrame { Frame = ByteString.CopyFrom(pixels) }.ToByteArray();

    /// <summary>An expected message: its timestamp as recorded, its log time in UTC, its fields.</summary>
    private static JsonNode Message(long recorded, long logTime, JsonObject fields) => new JsonObject
    {
        ["recorded"] = recorded.ToString(CultureInfo.InvariantCulture),
        ["log_time"] = logTime.ToString(CultureInfo.InvariantCulture),
        ["fields"] = fields,
    };

    /// <summary>stamped: the message's own timestamp field must equal its log time (Foxglove's messages).</summary>
    private static JsonNode Channel(string topic, string schema, JsonArray messages, bool stamped = true) =>
        new JsonObject { ["topic"] = topic, ["schema"] = schema, ["stamped"] = stamped, ["messages"] = messages };
}
