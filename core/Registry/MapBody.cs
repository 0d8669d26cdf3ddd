using System.Text.Json.Nodes;
using Auki.Ids;
using Auki.Json;

namespace Auki.Registry;

/// <summary>
/// Map bodies (tag <c>kind</c>; only <c>voxel</c> exists): the frame, voxel size, chunk dimension
/// and evidence models that fix how a map's voxel indices are read. Optional keys are omitted when
/// absent (<c>color_model</c>) or empty (<c>semantic_classes</c>), as upstream serializes them.
/// </summary>
public static class MapBody
{
    private static readonly string[] Kinds = ["voxel"];
    private static readonly string[] ValueModels = ["additive_occupancy_evidence"];
    private static readonly string[] ColorModels = ["additive_linear_rgb_evidence"];

    /// <summary>Parse a body with serde's messages, each prefixed with its field.</summary>
    public static JsonObject Parse(JsonNode? node)
    {
        var f = JsonFields.Of(node, "internally tagged enum MapBody");
        var body = new JsonObject { ["kind"] = f.Enum("kind", Kinds) };
        body["frame"] = Field("frame", () => RegistryRef.FromJson(f.Required("frame")).ToJson());
        body["voxel_size_m"] = Field("voxel_size_m", () => f.F64("voxel_size_m"));
        body["chunk_dimension"] = Field("chunk_dimension", () => f.U32("chunk_dimension"));
        body["value_model"] = Field("value_model", () => f.Enum("value_model", ValueModels));
        if (f.Has("color_model")) body["color_model"] = Field("color_model", () => f.Enum("color_model", ColorModels));
        if (f.Has("semantic_classes"))
        {
            var classes = new JsonArray();
            foreach (var c in Field("semantic_classes", () => f.Array("semantic_classes"))) classes.Add((JsonNode)JsonValue.Create(JsonFields.AsString(c)));
            if (classes.Count > 0) body["semantic_classes"] = classes;
        }
        return body;
    }

    /// <summary>
    /// Upstream's <c>MapRegistryEntry::validate</c> (<c>invalid map: …</c>), in its order; run on every
    /// constructor, hash, canonical form, write and read, as upstream does.
    /// </summary>
    public static void Validate(string peerId, string mapId, JsonObject body)
    {
        if (peerId.Length == 0) throw Invalid("peer_id must not be empty");
        if (RegistryId.Check(mapId) is { } idError) throw Invalid("invalid map_id: " + idError);
        double size = (double)body["voxel_size_m"]!;
        if (!double.IsFinite(size) || size <= 0 || (uint)body["chunk_dimension"]! == 0)
            throw Invalid("voxel_size_m must be finite and greater than zero; chunk_dimension must be greater than zero");
        var frame = (JsonObject)body["frame"]!;
        if (((string)frame["peer_id"]!).Length == 0 || ((string)frame["id"]!).Length == 0 || ((string)frame["hash"]!).Length == 0)
            throw Invalid("frame must contain peer_id, id, and hash");
        if (body["semantic_classes"] is JsonArray classes)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var c in classes)
                if (!seen.Add((string)c!) || ((string)c!).Length == 0) throw Invalid("semantic class labels must be non-empty and unique");
        }
    }

    private static AukiException Invalid(string reason) => AukiException.Invalid("invalid map: " + reason);

    private static T Field<T>(string name, Func<T> parse)
    {
        try { return parse(); }
        catch (AukiException e) { throw e.WithPrefix(name); }
    }
}
