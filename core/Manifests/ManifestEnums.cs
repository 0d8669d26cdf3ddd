using System.Text.Json.Nodes;
using Auki.Json;

namespace Auki.Manifests;

/// <summary>
/// The small tagged inputs of log specs: PoseSource, PoseWriterMode, TimeTransformSource and
/// DetectionCadence, normalized to the JSON that goes into manifests.
/// </summary>
public static class ManifestEnums
{
    /// <summary>Pose writer modes.</summary>
    public static readonly string[] WriterModes = ["rigid", "movable"];

    /// <summary><c>{"kind":"ros2_tf","publishers":[…]}</c> (sorted, unique node names) or <c>{"kind":"manual"}</c>.</summary>
    public static JsonObject ParsePoseSource(JsonNode? node)
    {
        var f = JsonFields.Of(node, "internally tagged enum PoseSource");
        string kind = f.Enum("kind", ["ros2_tf", "manual"]);
        if (kind == "manual") return new JsonObject { ["kind"] = "manual" };
        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var item in f.Array("publishers")) names.Add(JsonFields.AsString(item));
        var publishers = new JsonArray();
        foreach (var name in names) publishers.Add((JsonNode)JsonValue.Create(name));
        return new JsonObject { ["kind"] = "ros2_tf", ["publishers"] = publishers };
    }

    /// <summary><c>{"kind":"local_clock_read"}</c>, the only source upstream defines.</summary>
    public static JsonObject ParseTimeTransformSource(JsonNode? node)
    {
        var f = JsonFields.Of(node, "internally tagged enum TimeTransformSource");
        f.Enum("kind", ["local_clock_read"]);
        return new JsonObject { ["kind"] = "local_clock_read" };
    }

    /// <summary><c>{"kind":"every_frame"}</c> or <c>{"kind":"periodic","period_ns":N}</c>.</summary>
    public static JsonObject ParseCadence(JsonNode? node)
    {
        var f = JsonFields.Of(node, "internally tagged enum DetectionCadence");
        string kind = f.Enum("kind", ["every_frame", "periodic"]);
        return kind == "every_frame"
            ? new JsonObject { ["kind"] = "every_frame" }
            : new JsonObject { ["kind"] = "periodic", ["period_ns"] = f.U64("period_ns") };
    }

    /// <summary><c>rigid</c> or <c>movable</c>.</summary>
    public static string ParseWriterMode(JsonNode? node) => JsonFields.AsEnum(node, WriterModes);
}
