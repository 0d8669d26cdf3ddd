using System.Globalization;
using System.Text.Json.Nodes;
using Auki.Ids;
using Auki.Json;

namespace Auki.Registry;

/// <summary>
/// Parses and validates sensor bodies (tag <c>kind</c>: camera, rangefinder, rf, audio,
/// joint_encoders, scalar) into the normalized JSON that is hashed. Unknown keys are dropped, as
/// upstream's serde structs drop them (so hashes match), but each is reported as a warning naming it:
/// a typo such as <c>calibraton</c> would otherwise lose the calibration without a word. Optional
/// era-C camera fields are kept only when given, so era-A hashes hold.
/// </summary>
public static class SensorBody
{
    private static readonly string[] Kinds = ["camera", "rangefinder", "rf", "audio", "joint_encoders", "scalar"];
    private static readonly string[] PointDatatypes = ["int8", "uint8", "int16", "uint16", "int32", "uint32", "float32", "float64"];
    private static readonly string[] SampleFormats = ["pcm_s16le", "pcm_s24le", "pcm_s32le", "pcm_f32le", "pcm_f64le"];
    private static readonly string[] ChannelLayouts = ["mono", "stereo", "5.1", "7.1", "ambisonic_b", "n_channel"];

    // The keys each kind reads; anything else is ignored with a warning.
    private static readonly Dictionary<string, string[]> KindKeys = new()
    {
        ["camera"] = ["kind", "type", "width", "height", "frame_rate_hz", "image_encoding", "pixel_format", "row_stride_bytes",
            "color_space", "intrinsics_model", "distortion_model", "calibration", "frame"],
        ["rangefinder"] = ["kind", "type", "fields", "point_step", "is_bigendian", "frame_rate_hz", "frame"],
        ["rf"] = ["kind", "type", "frame"],
        ["audio"] = ["kind", "type", "sample_rate_hz", "channels", "sample_format", "channel_layout", "frame"],
        ["joint_encoders"] = ["kind", "type", "joint_count", "frame_rate_hz", "frame"],
        ["scalar"] = ["kind", "type", "unit", "expected_rate_hz"],
    };
    private static readonly string[] CalibrationKeys = ["fx", "fy", "cx", "cy", "distortion_coefficients"];
    private static readonly string[] PointFieldKeys = ["name", "offset", "datatype", "count"];
    private static readonly string[] RefKeys = ["peer_id", "id", "hash"];

    /// <summary>
    /// Parse a body; serde-style errors (the caller prefixes <c>body: </c>), each with its field path.
    /// <paramref name="where"/> names the object in warnings (<c>body</c>, or <c>sensor entry</c> when
    /// the body is flattened into an entry whose own keys are <paramref name="entryKeys"/>).
    /// </summary>
    public static JsonObject Parse(JsonNode? node, string where = "body", IReadOnlyCollection<string>? entryKeys = null)
    {
        var f = JsonFields.Of(node, "internally tagged enum SensorBody");
        string kind = f.Enum("kind", Kinds);
        var known = entryKeys is null ? KindKeys[kind] : [.. entryKeys, .. KindKeys[kind]];
        WarnUnknown(f, known, where, kind + " sensor body");
        if (f.Has("calibration") && f.Raw("calibration") is JsonObject c)
            WarnUnknown(JsonFields.Of(c, "struct CameraCalibration"), CalibrationKeys, where + ".calibration", "camera calibration");
        if (f.Raw("frame") is JsonObject frameRef && kind != "scalar")
            WarnUnknown(JsonFields.Of(frameRef, "struct RegistryRef"), RefKeys, where + ".frame", "RegistryRef");
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
                if (f.Has("calibration")) body["calibration"] = InField("calibration", () => ParseCalibration(f.Raw("calibration")));
                body["frame"] = ParseFrameRef(f);
                break;
            case "rangefinder":
                body["type"] = f.String("type");
                var fields = new JsonArray();
                int index = 0;
                foreach (var item in f.Array("fields"))
                {
                    string at = $"fields[{index++}]";
                    if (item is JsonObject o) WarnUnknown(JsonFields.Of(o, "struct PointField"), PointFieldKeys, where + "." + at, "PointField");
                    fields.Add((JsonNode)InField(at, () => ParsePointField(item)));
                }
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

    private static JsonObject ParseFrameRef(JsonFields f)
    {
        var node = f.Required("frame");
        return InField("frame", () => RegistryRef.FromJson(node).ToJson());
    }

    // Errors inside a nested object keep serde's text and gain the outer key in their field path.
    private static T InField<T>(string key, Func<T> parse)
    {
        try { return parse(); }
        catch (AukiException e) { throw e.AtField(key); }
    }

    private static void WarnUnknown(JsonFields f, IReadOnlyCollection<string> known, string where, string what)
    {
        foreach (var key in f.UnknownKeys(known))
            Diagnostics.Warnings.Add(
                $"{where}: unknown field `{key}` ignored (not part of a {what}, not hashed), expected {SerdeText.ExpectedList([.. known])}");
    }

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

    // Not upstream (which takes any pixel_format and any positive stride): a raw row shorter than its
    // pixels cannot hold them, so it is refused; an unknown format is accepted but cannot be checked.
    private static void CheckPixelFormat(JsonObject body, string? encoding, uint stride)
    {
        string format = (string)body["pixel_format"]!;
        uint width = (uint)body["width"]!;
        if (Datatypes.CameraLayout.FormatOf(format) is { } f)
        {
            long row = (long)width * f.Channels * f.BytesPerChannel;
            if (encoding == "raw" && stride < row)
                throw AukiException.Invalid(string.Create(CultureInfo.InvariantCulture,
                    $"invalid image layout: row_stride_bytes {stride} is smaller than one row of {width} {format} pixels ({width} × {f.Channels * f.BytesPerChannel} = {row} bytes)"),
                    field: "body.row_stride_bytes");
        }
        else if (!Datatypes.CameraLayout.IsKnownName(format))
        {
            Diagnostics.Warnings.Add(
                $"body.pixel_format: unknown pixel format {RustDebug.Str(format)} accepted (upstream accepts any), but its frames cannot be size-checked or viewed as arrays; known: {string.Join(", ", Datatypes.CameraLayout.KnownNames)}");
        }
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
            CheckPixelFormat(body, encoding, stride);
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
