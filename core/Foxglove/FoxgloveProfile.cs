using System.Text.Json.Nodes;
using Auki.Datatypes;
using Auki.Inspect;
using Auki.Registry;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Messages = Auki.Foxglove.Messages;

namespace Auki.Foxglove;

/// <summary>
/// The Foxglove channels of a recorded log, the same for the MCAP export and the live server:
/// <list type="bullet">
/// <item>a camera log with raw frames → <c>foxglove.RawImage</c> (encoding from <c>pixel_format</c>,
/// <c>step</c> = <c>row_stride_bytes</c>, <c>frame_id</c> = the camera's frame), with jpeg/png/webp/avif
/// files → <c>foxglove.CompressedImage</c>; plus, when the sensor entry has a static calibration, a
/// latched <c>foxglove.CameraCalibration</c> channel on <c>&lt;topic&gt;/calibration</c>;</item>
/// <item>a pose log → <c>foxglove.FrameTransform</c> (parent = from frame, child = to frame);</item>
/// <item>every other typed log keeps its <c>auki.*</c> protobuf schema and payloads (checked to decode);</item>
/// <item>an untyped log stays opaque bytes (<see cref="OpaqueEncoding"/>, no schema).</item>
/// </list>
/// Frame ids are <c>&lt;peer_id&gt;/&lt;frame id&gt;</c>, so two robots' <c>base_link</c>s stay two frames.
/// A camera whose pixel format Foxglove cannot show keeps <c>auki.camera.CameraFrame</c>.
/// </summary>
public static class FoxgloveProfile
{
    /// <summary>The message encoding of a channel whose payloads are opaque bytes.</summary>
    public const string OpaqueEncoding = "x-auki-payload";

    /// <summary>The suffix of a camera's calibration topic.</summary>
    public const string CalibrationSuffix = "/calibration";

    private static readonly Lazy<FoxgloveSchema> RawImageSchema = new(() => FoxgloveSchema.Protobuf(Messages.RawImage.Descriptor));
    private static readonly Lazy<FoxgloveSchema> CompressedImageSchema = new(() => FoxgloveSchema.Protobuf(Messages.CompressedImage.Descriptor));
    private static readonly Lazy<FoxgloveSchema> CalibrationSchema = new(() => FoxgloveSchema.Protobuf(Messages.CameraCalibration.Descriptor));
    private static readonly Lazy<FoxgloveSchema> FrameTransformSchema = new(() => FoxgloveSchema.Protobuf(Messages.FrameTransform.Descriptor));

    /// <summary>The channels of <paramref name="log"/> with its clock mapped to UTC through its store: main channel first, then any latched ones.</summary>
    public static IReadOnlyList<FoxgloveChannel> ChannelsOf(TypedLog log) => ChannelsOf(log, FoxgloveContext.Of(log));

    /// <summary>The channels of <paramref name="log"/> in <paramref name="context"/>: its main channel first, then any latched ones.</summary>
    public static IReadOnlyList<FoxgloveChannel> ChannelsOf(TypedLog log, FoxgloveContext context)
    {
        var store = log.Log;
        string topic = "/" + store.SourcePeerId + "/" + store.ResourceId;
        var metadata = new Dictionary<string, string>
        {
            ["peer_id"] = store.PeerId,
            ["resource_id"] = store.ResourceId,
            ["auki.time"] = context.Clock.Description,
        };
        if (log.Type is null)
            return [new PassthroughChannel { Topic = topic, MessageEncoding = OpaqueEncoding, Metadata = metadata, Clock = context.Clock }];
        metadata["auki.payload_type"] = log.Type.FullName;
        var manifest = store.Manifest ?? store.LogManifest;

        if (log.Type == Datatypes.Camera.CameraFrame.Descriptor && log.Layout is { } layout)
        {
            string frameId = FrameName(StoreWalker.RefField(manifest, "frame") ?? StoreWalker.RefField(store.SensorEntry, "frame"));
            FoxgloveChannel? image = ImageChannel(topic, layout, frameId, metadata, context);
            if (image is not null)
            {
                var calibration = Calibration(store.SensorEntry, layout, frameId);
                if (calibration is null) return [image];
                return
                [
                    image,
                    new LatchedChannel
                    {
                        Topic = topic + CalibrationSuffix,
                        MessageEncoding = "protobuf",
                        Schema = CalibrationSchema.Value,
                        Metadata = new Dictionary<string, string>(metadata) { ["auki.payload_type"] = "registry calibration" },
                        Latched = calibration,
                        Clock = context.Clock,
                    },
                ];
            }
        }
        if (log.Type == Datatypes.Pose.SpatialTransform.Descriptor
            && StoreWalker.RefField(manifest, "from_frame") is { } from && StoreWalker.RefField(manifest, "to_frame") is { } to)
        {
            return
            [
                new FrameTransformChannel
                {
                    Topic = topic,
                    MessageEncoding = "protobuf",
                    Schema = FrameTransformSchema.Value,
                    Metadata = metadata,
                    Clock = context.Clock,
                    ConvertedFrom = log.Type.FullName,
                    Parent = FrameName(from),
                    Child = FrameName(to),
                },
            ];
        }
        return [new PassthroughChannel { Topic = topic, MessageEncoding = "protobuf", Schema = FoxgloveSchema.Protobuf(log.Type), Metadata = metadata, Clock = context.Clock, Type = log.Type }];
    }

    /// <summary>A frame reference as a Foxglove frame id: <c>&lt;peer_id&gt;/&lt;id&gt;</c> (empty when the log names none).</summary>
    public static string FrameName(RegistryRef? frame) => frame is null ? "" : frame.PeerId + "/" + frame.Id;

    private static FoxgloveChannel? ImageChannel(string topic, CameraLayout layout, string frameId, Dictionary<string, string> metadata,
        FoxgloveContext context)
    {
        string from = Datatypes.Camera.CameraFrame.Descriptor.FullName;
        if (RawEncodings.IsCompressedFormat(layout.ImageEncoding))
        {
            return new CompressedImageChannel
            {
                Topic = topic,
                MessageEncoding = "protobuf",
                Schema = CompressedImageSchema.Value,
                Metadata = metadata,
                Clock = context.Clock,
                ConvertedFrom = from,
                FrameId = frameId,
                Format = layout.ImageEncoding!,
            };
        }
        if (!layout.IsRaw || layout.Width == 0 || layout.Height == 0 || RawEncodings.Of(layout.PixelFormat) is not { } encoding) return null;
        if (layout.RowStrideBytes < (long)layout.Width * encoding.BytesPerPixel) return null; // rows narrower than their pixels: not viewable
        return new RawImageChannel
        {
            Topic = topic,
            MessageEncoding = "protobuf",
            Schema = RawImageSchema.Value,
            Metadata = metadata,
            Clock = context.Clock,
            ConvertedFrom = from,
            FrameId = frameId,
            Encoding = encoding.Encoding,
            Width = layout.Width,
            Height = layout.Height,
            Step = layout.RowStrideBytes,
            FrameBytes = layout.FrameRows * layout.RowStrideBytes, // the same rule typed appends check (CameraLayout)
        };
    }

    /// <summary>
    /// The sensor entry's static calibration as a serialized <c>foxglove.CameraCalibration</c>
    /// (K and P from fx, fy, cx, cy; R identity; D the coefficients), or null when it has none.
    /// </summary>
    internal static byte[]? Calibration(JsonObject? sensor, CameraLayout layout, string frameId)
    {
        if (sensor?["calibration"] is not JsonObject c) return null;
        double? fx = Number(c, "fx"), fy = Number(c, "fy"), cx = Number(c, "cx"), cy = Number(c, "cy");
        if (fx is null || fy is null || cx is null || cy is null) return null;
        var message = new Messages.CameraCalibration
        {
            FrameId = frameId,
            Width = layout.Width,
            Height = layout.Height,
            DistortionModel = DistortionModel(StoreWalker.StringField(sensor, "distortion_model")),
        };
        if (c["distortion_coefficients"] is JsonArray coefficients)
            foreach (var k in coefficients) message.D.Add(k is JsonValue v && v.TryGetValue(out double d) ? d : 0);
        message.K.Add([fx.Value, 0, cx.Value, 0, fy.Value, cy.Value, 0, 0, 1]);
        message.R.Add([1, 0, 0, 0, 1, 0, 0, 0, 1]);
        message.P.Add([fx.Value, 0, cx.Value, 0, 0, fy.Value, cy.Value, 0, 0, 0, 1, 0]);
        return message.ToByteArray();
    }

    /// <summary>Foxglove's name of a distortion model: brown_conrady (and none) is the 5-coefficient plumb_bob.</summary>
    internal static string DistortionModel(string? model) => model switch
    {
        null or "" or "none" or "brown_conrady" or "plumb_bob" => "plumb_bob",
        "equidistant" or "fisheye" => "kannala_brandt",
        _ => model,
    };

    private static double? Number(JsonObject o, string key) => o[key] is JsonValue v && v.TryGetValue(out double d) ? d : null;
}
