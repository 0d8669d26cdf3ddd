using System.Text.Json.Nodes;
using Auki.Json;

namespace Auki.Registry;

/// <summary>
/// Parses and validates sensor bodies (tag <c>kind</c>: camera, rangefinder, rf, audio,
/// joint_encoders, scalar) into the normalized JSON that is hashed. Unknown keys are dropped;
/// optional era-C camera fields are kept only when given, so era-A hashes hold.
/// </summary>
public static class SensorBody
{
    private static readonly string[] Kinds = ["camera", "rangefinder", "rf", "audio", "joint_encoders", "scalar"];
    private static readonly string[] PointDatatypes = ["int8", "uint8", "int16", "uint16", "int32", "uint32", "float32", "float64"];
    private static readonly string[] SampleFormats = ["pcm_s16le", "pcm_s24le", "pcm_s32le", "pcm_f32le", "pcm_f64le"];
    private static readonly string[] ChannelLayouts = ["mono", "stereo", "5.1", "7.1", "ambisonic_b", "n_channel"];

    /// <summary>Parse a body; serde-style errors (the caller prefixes <c>body: </c>).</summary>
    public static JsonObject Parse(JsonNode? node)
    {
        var f = JsonFields.Of(node, "internally tagged enum SensorBody");
        string kind = f.Enum("kind", Kinds);
        var body = new JsonObject { ["kind"] = kind };
        switch (kind)
        {
            case "camera":
                body["type"] = f.String("type");
                body["width"] = f.U32("width");
                body["height"] = f.U32("height");
                body["frame_rate_hz"] = f.U32("frame_rate_hz");
                if (f.OptionalString("image_encoding") is { } encoding) body["image_encoding"] = encoding;
                body["pixel_format"] = f.String("pixel_format");
                if (f.OptionalU32("row_stride_bytes") is { } stride) body["row_stride_bytes"] = stride;
                body["color_space"] = f.String("color_space");
                body["intrinsics_model"] = f.String("intrinsics_model");
                body["distortion_model"] = f.String("distortion_model");
                if (f.Has("calibration")) body["calibration"] = ParseCalibration(f.Raw("calibration"));
                body["frame"] = ParseFrameRef(f);
                break;
            case "rangefinder":
                body["type"] = f.String("type");
                var fields = new JsonArray();
                foreach (var item in f.Array("fields")) fields.Add((JsonNode)ParsePointField(item));
                body["fields"] = fields;
                body["point_step"] = f.U32("point_step");
                body["is_bigendian"] = f.Bool("is_bigendian");
                body["frame_rate_hz"] = f.U32("frame_rate_hz");
                body["frame"] = ParseFrameRef(f);
                break;
            case "rf":
                body["type"] = f.String("type");
                body["frame"] = ParseFrameRef(f);
                break;
            case "audio":
                body["type"] = f.String("type");
                body["sample_rate_hz"] = f.U32("sample_rate_hz");
                body["channels"] = f.U32("channels");
                body["sample_format"] = f.Enum("sample_format", SampleFormats);
                body["channel_layout"] = f.Enum("channel_layout", ChannelLayouts);
                body["frame"] = ParseFrameRef(f);
                break;
            case "joint_encoders":
                body["type"] = f.String("type");
                body["joint_count"] = f.U32("joint_count");
                body["frame_rate_hz"] = f.U32("frame_rate_hz");
                body["frame"] = ParseFrameRef(f);
                break;
            case "scalar":
                body["type"] = f.String("type");
                body["unit"] = f.String("unit");
                body["expected_rate_hz"] = f.U32("expected_rate_hz");
                break;
        }
        return body;
    }

    private static JsonObject ParseFrameRef(JsonFields f) => RegistryRef.FromJson(f.Required("frame")).ToJson();

    private static JsonObject ParsePointField(JsonNode? node)
    {
        var f = JsonFields.Of(node, "struct PointField");
        return new JsonObject
        {
            ["name"] = f.String("name"),
            ["offset"] = f.U32("offset"),
            ["datatype"] = f.Enum("datatype", PointDatatypes),
            // Python's point_field() defaults count to 1; a dict without it means the same.
            ["count"] = f.OptionalU32("count") ?? 1u,
        };
    }

    private static JsonObject ParseCalibration(JsonNode? node)
    {
        var f = JsonFields.Of(node, "struct CameraCalibration");
        var cal = new JsonObject
        {
            ["fx"] = f.F64("fx"),
            ["fy"] = f.F64("fy"),
            ["cx"] = f.F64("cx"),
            ["cy"] = f.F64("cy"),
        };
        if (f.Has("distortion_coefficients"))
        {
            var coefficients = new JsonArray();
            foreach (var c in f.Array("distortion_coefficients")) coefficients.Add((JsonNode)JsonValue.Create(JsonFields.AsF64(c)));
            if (coefficients.Count > 0) cal["distortion_coefficients"] = coefficients;
        }
        return cal;
    }

    /// <summary>The frame a sensor body references, or null for kinds without one (scalar).</summary>
    public static RegistryRef? FrameOf(JsonObject body) =>
        body["frame"] is JsonObject frame ? RegistryRef.FromJson(frame) : null;

    /// <summary>Write-time rules (era C): image layout, calibration, scalar fields. Upstream messages.</summary>
    public static void Validate(JsonObject body)
    {
        string kind = (string)body["kind"]!;
        if (kind == "camera")
        {
            if ((uint)body["width"]! == 0 || (uint)body["height"]! == 0)
                throw AukiException.Invalid("invalid image layout: width and height must be positive");
            string? encoding = (string?)body["image_encoding"];
            uint stride = body["row_stride_bytes"] is JsonNode s ? (uint)s : 0u;
            if (encoding is not null)
            {
                if (encoding.Length == 0 || ((string)body["pixel_format"]!).Length == 0)
                    throw AukiException.Invalid("invalid image layout: image_encoding and pixel_format must be non-empty");
                if (encoding == "raw" && stride == 0)
                    throw AukiException.Invalid("invalid image layout: raw images require a positive row_stride_bytes");
                if (encoding != "raw" && stride != 0)
                    throw AukiException.Invalid("invalid image layout: compressed images must set row_stride_bytes to zero");
            }
            if (body["calibration"] is JsonObject cal)
            {
                double fx = (double)cal["fx"]!, fy = (double)cal["fy"]!, cx = (double)cal["cx"]!, cy = (double)cal["cy"]!;
                if (!double.IsFinite(fx) || fx <= 0 || !double.IsFinite(fy) || fy <= 0)
                    throw AukiException.Invalid("invalid camera calibration: fx and fy must be finite and positive");
                if (!double.IsFinite(cx) || !double.IsFinite(cy))
                    throw AukiException.Invalid("invalid camera calibration: cx and cy must be finite");
                if (cal["distortion_coefficients"] is JsonArray coefficients)
                    foreach (var c in coefficients)
                        if (!double.IsFinite((double)c!))
                            throw AukiException.Invalid("invalid camera calibration: distortion coefficients must be finite");
            }
        }
        else if (kind == "scalar")
        {
            if (((string)body["type"]!).Length == 0) throw AukiException.Invalid("invalid scalar sensor: type must be non-empty");
            if (((string)body["unit"]!).Length == 0) throw AukiException.Invalid("invalid scalar sensor: unit must be non-empty");
            if ((uint)body["expected_rate_hz"]! == 0) throw AukiException.Invalid("invalid scalar sensor: expected_rate_hz must be positive");
        }
    }
}
