using System.Text.Json.Nodes;
using Auki.Json;

namespace Auki.Registry;

/// <summary>
/// Detector bodies (tag <c>type</c>: aruco, qr, esl, object_detection, custom), plus the
/// <c>output_types</c> list and the optional era-C <c>input_types</c> list. Without input types the
/// key is absent, which keeps era-A/B hashes (e.g. the yolo_v8 vector) intact.
/// </summary>
public static class DetectorBody
{
    private static readonly string[] Types = ["aruco", "qr", "esl", "object_detection", "custom"];

    /// <summary>Parse a body; serde-style errors (the caller prefixes <c>body: </c>).</summary>
    public static JsonObject Parse(JsonNode? node)
    {
        var f = JsonFields.Of(node, "internally tagged enum DetectorBody");
        string type = f.Enum("type", Types);
        var body = new JsonObject { ["type"] = type };
        switch (type)
        {
            case "aruco": body["dictionary"] = f.String("dictionary"); break;
            case "object_detection": body["model"] = f.String("model"); break;
            case "custom":
                body["kind"] = f.String("kind");
                body["configuration"] = f.Raw("configuration")?.DeepClone();
                break;
        }
        return body;
    }

    /// <summary>Parse <c>output_types</c> (order preserved).</summary>
    public static JsonArray ParseOutputTypes(JsonNode? node)
    {
        if (node is not JsonArray arr) throw SerdeText.InvalidType(node, "a sequence");
        var result = new JsonArray();
        foreach (var item in arr) result.Add((JsonNode)JsonValue.Create(JsonFields.AsString(item)));
        return result;
    }

    /// <summary>Parse <c>input_types</c>: a list of <c>{sensor_kind, sensor_type?, image_encoding?, pixel_format?}</c>.</summary>
    public static JsonArray ParseInputTypes(JsonNode? node)
    {
        if (node is not JsonArray arr) throw SerdeText.InvalidType(node, "a sequence");
        var result = new JsonArray();
        foreach (var item in arr)
        {
            var f = JsonFields.Of(item, "struct DetectorInput");
            result.Add((JsonNode)new JsonObject
            {
                ["sensor_kind"] = f.String("sensor_kind"),
                ["sensor_type"] = f.OptionalString("sensor_type"),
                ["image_encoding"] = f.OptionalString("image_encoding"),
                ["pixel_format"] = f.OptionalString("pixel_format"),
            });
        }
        return result;
    }
}
