using System.Buffers;
using System.Text.Json.Nodes;
using Auki.Datatypes.Camera;
using Auki.Datatypes.Pose;
using Auki.Foxglove;
using Auki.Foxglove.Messages;
using Auki.Inspect;
using Auki.Manifests;
using Auki.Registry;
using Auki.Sessions;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace Auki.Core.Tests.Foxglove;

/// <summary>Which Foxglove channel each recorded log becomes, and that its messages decode as Foxglove's schemas.</summary>
public sealed class FoxgloveProfileTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly Peer _peer;
    private readonly Session _session;
    private readonly RegistryRef _optical;
    private readonly RegistryRef _base;

    public FoxgloveProfileTests()
    {
        _peer = new Peer("robot", "app") { StorageRoot = _dir.Path };
        _optical = _peer.RegisterFrame("cam_optical", FrameDef.RosOptical);
        _base = _peer.RegisterFrame("base_link", FrameDef.RosBody);
        _session = _peer.StartSession();
    }

    public void Dispose() => _dir.Dispose();

    private TypedLog Camera(string id, string encoding, string pixelFormat, int width, int height, int stride, JsonObject? calibration = null)
    {
        var body = new JsonObject
        {
            ["kind"] = "camera",
            ["type"] = "rgb",
            ["width"] = width,
            ["height"] = height,
            ["frame_rate_hz"] = 10,
            ["image_encoding"] = encoding,
            ["pixel_format"] = pixelFormat,
            ["row_stride_bytes"] = stride,
            ["color_space"] = "srgb",
            ["intrinsics_model"] = "pinhole",
            ["distortion_model"] = "brown_conrady",
            ["frame"] = _optical.ToJson(),
        };
        if (calibration is not null) body["calibration"] = calibration;
        var sensor = _peer.RegisterSensor(id, body);
        _session.RegisterLog(new SensorLogSpec(sensor, _session.MonotonicClock!, HeadSpec.Rolling(0), 1_000_000_000, 0, _optical)).Data.Close();
        return Typed(id);
    }

    private TypedLog Typed(string resourceId) => TypedLog.Of(StoreWalker.Logs(_dir.Path, scanSegments: false).Single(l => l.ResourceId == resourceId));

    /// <summary>
    /// The channel's message for one payload; also checks that the export's form (the fields around
    /// the bulk, which is left in the payload) is the same bytes, and throws the same way.
    /// </summary>
    private static byte[] Convert(FoxgloveChannel channel, long ts, byte[] payload)
    {
        var buffer = new ArrayBufferWriter<byte>();
        AukiException? failed = null;
        try { channel.Convert(ts, payload, buffer); }
        catch (AukiException e) { failed = e; }
        var prefix = new ArrayBufferWriter<byte>();
        var suffix = new ArrayBufferWriter<byte>();
        if (failed is not null)
        {
            var again = Assert.Throws<AukiException>(() => channel.ConvertAround(ts, payload, prefix, suffix));
            Assert.Equal((failed.Code, failed.Message), (again.Code, again.Message));
            throw failed;
        }
        var (start, length) = channel.ConvertAround(ts, payload, prefix, suffix);
        byte[] around = [.. prefix.WrittenSpan, .. payload.AsSpan(start, length), .. suffix.WrittenSpan];
        Assert.Equal(buffer.WrittenSpan.ToArray(), around);
        return buffer.WrittenSpan.ToArray();
    }

    private static byte[] Frame(byte[] pixels) => new CameraFrame { Frame = ByteString.CopyFrom(pixels) }.ToByteArray();

    private static FileDescriptorSet Descriptors(FoxgloveSchema schema) => FileDescriptorSet.Parser.ParseFrom(schema.Data);

    [Fact]
    public void A_raw_camera_is_a_RawImage_with_its_frame_encoding_and_row_stride_as_step()
    {
        var log = Camera("cam", "raw", "bgr8", 2, 2, 8); // 2 bytes of padding per row
        var channel = Assert.Single(FoxgloveProfile.ChannelsOf(log, new FoxgloveContext { Clock = ClockMapping.Offset(1_000, WallClockBasis.UtcClock, "utc") }));
        Assert.Equal(("/robot/cam", "protobuf", "foxglove.RawImage"), (channel.Topic, channel.MessageEncoding, channel.Schema!.Name));
        byte[] pixels = [1, 2, 3, 4, 5, 6, 0, 0, 7, 8, 9, 10, 11, 12, 0, 0];
        var bytes = Convert(channel, 1_500_000_002, Frame(pixels));
        var image = RawImage.Parser.ParseFrom(bytes);
        Assert.Equal(("robot/cam_optical", 2u, 2u, "bgr8", 8u), (image.FrameId, image.Width, image.Height, image.Encoding, image.Step));
        Assert.Equal(pixels, image.Data.ToByteArray());
        Assert.Equal((1L, 500_001_002), (image.Timestamp.Seconds, image.Timestamp.Nanos)); // the mapped time
        Assert.Equal(1_500_001_002, channel.LogTime(1_500_000_002));
        // Written the way protoc's own serializer writes it, byte for byte.
        Assert.Equal(image.ToByteArray(), bytes);
    }

    [Fact]
    public void A_raw_frame_of_the_wrong_size_or_not_a_CameraFrame_is_refused_not_guessed()
    {
        var channel = FoxgloveProfile.ChannelsOf(Camera("cam", "raw", "rgb8", 2, 2, 6), FoxgloveContext.AsRecorded)[0];
        var e = Assert.Throws<AukiException>(() => Convert(channel, 1, Frame(new byte[11])));
        Assert.Equal(AukiErrorCode.InvalidArgument, e.Code);
        Assert.Contains("11 bytes, expected 12", e.Message);
        Assert.Throws<AukiException>(() => Convert(channel, 1, [0xff, 0xff, 0xff]));
    }

    [Fact]
    public void A_jpeg_camera_is_a_CompressedImage_carrying_the_file_as_recorded()
    {
        var channel = Assert.Single(FoxgloveProfile.ChannelsOf(Camera("jpg", "jpeg", "rgb8", 640, 480, 0), FoxgloveContext.AsRecorded));
        Assert.Equal("foxglove.CompressedImage", channel.Schema!.Name);
        byte[] file = [0xFF, 0xD8, 0xFF, 0xE0, 0xFF, 0xD9];
        var bytes = Convert(channel, 5, Frame(file));
        var image = CompressedImage.Parser.ParseFrom(bytes);
        Assert.Equal(("jpeg", "robot/cam_optical"), (image.Format, image.FrameId));
        Assert.Equal(file, image.Data.ToByteArray());
        Assert.Equal(image.ToByteArray(), bytes);
    }

    [Fact]
    public void A_calibrated_camera_gets_a_latched_CameraCalibration_channel_with_K_R_P()
    {
        var channels = FoxgloveProfile.ChannelsOf(Camera("cam", "raw", "rgb8", 4, 2, 12, new JsonObject
        {
            ["fx"] = 500.0,
            ["fy"] = 510.0,
            ["cx"] = 2.0,
            ["cy"] = 1.0,
            ["distortion_coefficients"] = new JsonArray(0.1, -0.2, 0.0, 0.0, 0.01),
        }), FoxgloveContext.AsRecorded);
        Assert.Equal(2, channels.Count);
        var calibration = channels[1];
        Assert.Equal(("/robot/cam/calibration", "foxglove.CameraCalibration"), (calibration.Topic, calibration.Schema!.Name));
        var c = CameraCalibration.Parser.ParseFrom(calibration.Latched);
        Assert.Equal(("robot/cam_optical", 4u, 2u, "plumb_bob"), (c.FrameId, c.Width, c.Height, c.DistortionModel));
        Assert.Equal([0.1, -0.2, 0.0, 0.0, 0.01], c.D);
        Assert.Equal([500.0, 0, 2, 0, 510, 1, 0, 0, 1], c.K);
        Assert.Equal([1.0, 0, 0, 0, 1, 0, 0, 0, 1], c.R);
        Assert.Equal([500.0, 0, 2, 0, 0, 510, 1, 0, 0, 0, 1, 0], c.P);
    }

    [Fact]
    public void A_pixel_format_Foxglove_cannot_show_keeps_the_CameraFrame_schema()
    {
        var channel = Assert.Single(FoxgloveProfile.ChannelsOf(Camera("hdr", "raw", "rgb16", 2, 2, 12), FoxgloveContext.AsRecorded));
        Assert.Equal("auki.camera.CameraFrame", channel.Schema!.Name);
        var payload = Frame(new byte[24]);
        Assert.Equal(payload, Convert(channel, 1, payload));
    }

    [Fact]
    public void A_pose_log_is_a_FrameTransform_from_its_from_frame_to_its_to_frame()
    {
        _session.RegisterLog(new PoseLogSpec(_base, _optical, _session.MonotonicClock!, new JsonObject { ["kind"] = "manual" }, "rigid", 1,
            HeadSpec.Rolling(0), 1_000_000_000, 0)).Data.Close();
        var channel = Assert.Single(FoxgloveProfile.ChannelsOf(Typed("base_link->cam_optical"), FoxgloveContext.AsRecorded));
        Assert.Equal("foxglove.FrameTransform", channel.Schema!.Name);
        var payload = new SpatialTransform
        {
            Translation = new Vec3 { X = 1, Y = -2.5, Z = 0 },
            Orientation = new Quat { X = 0, Y = 0, Z = 0.7071067811865476, W = 0.7071067811865476 },
        }.ToByteArray();
        var bytes = Convert(channel, 2_000_000_000, payload);
        var t = FrameTransform.Parser.ParseFrom(bytes);
        Assert.Equal(("robot/base_link", "robot/cam_optical"), (t.ParentFrameId, t.ChildFrameId));
        Assert.Equal((1.0, -2.5, 0.0), (t.Translation.X, t.Translation.Y, t.Translation.Z));
        Assert.Equal((0.0, 0.0, 0.7071067811865476, 0.7071067811865476), (t.Rotation.X, t.Rotation.Y, t.Rotation.Z, t.Rotation.W));
        Assert.Equal(2, t.Timestamp.Seconds);
        Assert.Equal(t.ToByteArray(), bytes);
    }

    [Fact]
    public void Other_typed_logs_keep_their_auki_schema_and_untyped_logs_stay_opaque()
    {
        var scalar = _peer.RegisterSensor("battery", new JsonObject { ["kind"] = "scalar", ["type"] = "voltage", ["unit"] = "V", ["expected_rate_hz"] = 1 });
        _session.RegisterLog(new SensorLogSpec(scalar, _session.MonotonicClock!, HeadSpec.Rolling(0), 1_000_000_000, 0)).Data.Close();
        var rf = _peer.RegisterSensor("uwb", new JsonObject { ["kind"] = "rf", ["type"] = "uwb", ["frame"] = _base.ToJson() });
        _session.RegisterLog(new SensorLogSpec(rf, _session.MonotonicClock!, HeadSpec.Rolling(0), 1_000_000_000, 0)).Data.Close();

        var battery = Assert.Single(FoxgloveProfile.ChannelsOf(Typed("battery"), FoxgloveContext.AsRecorded));
        Assert.Equal(("auki.scalar.Data", "protobuf"), (battery.Schema!.Name, battery.Schema.Encoding));
        var payload = new Auki.Datatypes.Scalar.Data { Value = 12.5 }.ToByteArray();
        Assert.Equal(payload, Convert(battery, 1, payload));
        Assert.Throws<AukiException>(() => Convert(battery, 1, [0xff, 0xff]));
        var uwb = Assert.Single(FoxgloveProfile.ChannelsOf(Typed("uwb"), FoxgloveContext.AsRecorded));
        Assert.Equal((FoxgloveProfile.OpaqueEncoding, (FoxgloveSchema?)null), (uwb.MessageEncoding, uwb.Schema));
        Assert.Equal([1, 2, 3], Convert(uwb, 1, [1, 2, 3]));
    }

    [Fact]
    public void Foxglove_schemas_carry_every_file_they_import_dependencies_first()
    {
        _session.RegisterLog(new PoseLogSpec(_base, _optical, _session.MonotonicClock!, new JsonObject { ["kind"] = "manual" }, "rigid", 1,
            HeadSpec.Rolling(0), 1_000_000_000, 0)).Data.Close();
        var transform = Descriptors(FoxgloveProfile.ChannelsOf(Typed("base_link->cam_optical"), FoxgloveContext.AsRecorded)[0].Schema!);
        Assert.Equal(["foxglove/Quaternion.proto", "foxglove/Vector3.proto", "google/protobuf/timestamp.proto", "foxglove/FrameTransform.proto"],
            transform.File.Select(f => f.Name));
        var image = Descriptors(FoxgloveProfile.ChannelsOf(Camera("cam", "raw", "mono8", 2, 2, 2), FoxgloveContext.AsRecorded)[0].Schema!);
        Assert.Equal(["google/protobuf/timestamp.proto", "foxglove/RawImage.proto"], image.File.Select(f => f.Name));
        // Field numbers as Foxglove's RawImage.proto declares them.
        var fields = image.File[1].MessageType[0].Field.ToDictionary(f => f.Name, f => f.Number);
        Assert.Equal(new Dictionary<string, int> { ["timestamp"] = 1, ["frame_id"] = 7, ["width"] = 2, ["height"] = 3, ["encoding"] = 4, ["step"] = 5, ["data"] = 6 }, fields);
    }
}
