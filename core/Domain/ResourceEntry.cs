using System.Text.Json.Nodes;
using Auki.Json;
using Auki.Registry;

namespace Auki.Domains;

/// <summary>
/// One <c>/auki/resources/0.2.0</c> catalog row (upstream's <c>ResourceEntry</c>), checked with
/// serde's rules and rebuilt with only the fields the protocol defines (unknown keys dropped,
/// optional blocks omitted when absent).
/// </summary>
public static class ResourceEntry
{
    private static readonly string[] Variants = ["sensor_log", "pose_log", "time_transform_log", "detection_log"];
    private static readonly string[] SensorKinds = ["camera", "rangefinder", "rf", "audio", "joint_encoders", "scalar"];

    /// <summary>Parse a row from a JSON value; errors are <c>invalid ResourceEntry dict: …</c>.</summary>
    public static JsonObject FromDict(JsonNode? node) => Checked(() => Normalize(node), "invalid ResourceEntry dict: ");

    /// <summary>Parse a row from JSON text; errors (syntax or shape) are <c>invalid ResourceEntry JSON: …</c>.</summary>
    public static JsonObject FromJson(string text) => Checked(() =>
    {
        JsonNode? node;
        try
        {
            node = JsonText.Parse(text);
        }
        catch (AukiException e) when (e.Message.StartsWith("invalid JSON: ", StringComparison.Ordinal))
        {
            // Truncated text gets serde's own words, which upstream's callers see and match on.
            throw AukiException.Invalid(SerdeEof.Message(text) ?? e.Message["invalid JSON: ".Length..]);
        }
        return Normalize(node);
    }, "invalid ResourceEntry JSON: ");

    private static JsonObject Checked(Func<JsonObject> parse, string prefix)
    {
        try { return parse(); }
        catch (AukiException e) when (e.Code == AukiErrorCode.InvalidArgument) { throw AukiException.Invalid(prefix + e.Message); }
    }

    private static JsonObject Normalize(JsonNode? node)
    {
        var f = JsonFields.Of(node, "struct ResourceEntry");
        var row = new JsonObject
        {
            ["source_peer_id"] = f.String("source_peer_id"),
            ["writer_peer_id"] = f.String("writer_peer_id"),
            ["resource_id"] = f.String("resource_id"),
            ["state"] = f.String("state"),
        };
        if (f.Has("head")) row["head"] = Head(f.Raw("head"));
        if (f.Has("extent"))
        {
            var e = JsonFields.Of(f.Raw("extent"), "struct Extent");
            row["extent"] = new JsonObject { ["start_at_ns"] = e.I64("start_at_ns"), ["finish_at_ns"] = e.I64("finish_at_ns") };
        }
        var a = JsonFields.Of(f.Required("available"), "struct Available");
        row["available"] = new JsonObject { ["bytes"] = a.U64("bytes"), ["entries"] = a.U64("entries"), ["duration_ns"] = a.I64("duration_ns") };
        if (f.Has("sensor"))
        {
            var s = JsonFields.Of(f.Raw("sensor"), "struct SensorInfo");
            row["sensor"] = new JsonObject
            {
                ["kind"] = s.Enum("kind", SensorKinds),
                ["type"] = s.String("type"),
                ["sensor_id"] = s.String("sensor_id"),
                ["sensor_hash"] = s.String("sensor_hash"),
            };
        }
        if (f.Has("pose"))
        {
            var p = JsonFields.Of(f.Raw("pose"), "struct PoseInfo");
            row["pose"] = new JsonObject { ["writer_mode"] = p.Enum("writer_mode", ["rigid", "movable"]) };
        }
        string variant = f.Enum("variant", Variants);
        row["variant"] = variant;
        row["manifest"] = Pointer(variant, f.Required("manifest"));
        return row;
    }

    private static JsonObject Head(JsonNode? node)
    {
        var h = JsonFields.Of(node, "internally tagged enum HeadInfo");
        return h.Enum("kind", ["rolling", "fixed"]) == "rolling"
            ? new JsonObject { ["kind"] = "rolling", ["retention_ns"] = h.I64("retention_ns") }
            : new JsonObject { ["kind"] = "fixed", ["started_at_ns"] = h.I64("started_at_ns") };
    }

    private static JsonObject Pointer(string variant, JsonNode node)
    {
        var m = JsonFields.Of(node, "struct " + variant switch
        {
            "sensor_log" => "SensorLogPointer",
            "pose_log" => "PoseLogPointer",
            "time_transform_log" => "TimeTransformLogPointer",
            _ => "DetectionLogPointer",
        });
        JsonObject Ref(string key) => RegistryRef.FromJson(m.Required(key)).ToJson();
        JsonObject Source() => m.Required("source") is JsonObject o ? (JsonObject)o.DeepClone() : throw SerdeText.InvalidType(m.Raw("source"), "internally tagged enum");
        switch (variant)
        {
            case "sensor_log":
                var s = new JsonObject { ["clock"] = Ref("clock") };
                if (m.Has("frame")) s["frame"] = Ref("frame");
                return s;
            case "pose_log":
                return new JsonObject
                {
                    ["from_frame"] = Ref("from_frame"),
                    ["to_frame"] = Ref("to_frame"),
                    ["clock"] = Ref("clock"),
                    ["source"] = Source(),
                    ["expected_rate_hz"] = m.U32("expected_rate_hz"),
                };
            case "time_transform_log":
                return new JsonObject { ["from_clock"] = Ref("from_clock"), ["to_clock"] = Ref("to_clock"), ["source"] = Source() };
            default:
                var d = new JsonObject
                {
                    ["detector"] = Ref("detector"),
                    ["input_log"] = LogRef.FromJson(m.Required("input_log")).ToJson(),
                    ["input_sensor"] = Ref("input_sensor"),
                    ["clock"] = Ref("clock"),
                };
                // Era-C detection logs name their instance and cadence; a row keeps them (omitted when absent).
                if (m.Has("instance_id")) d["instance_id"] = m.String("instance_id");
                if (m.Has("cadence")) d["cadence"] = Manifests.ManifestEnums.ParseCadence(m.Raw("cadence"));
                return d;
        }
    }
}
