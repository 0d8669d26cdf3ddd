using System.Text.Json.Nodes;
using Auki.Ids;
using Auki.Json;

namespace Auki.Registry;

/// <summary>
/// Device model bodies (newest registry): <c>model_id</c>, the format tag <c>type</c> (only
/// <c>urdf</c>: <c>urdf_sha256</c> and <c>meshes</c>, always serialized, <c>[]</c> when none) and an
/// optional <c>root_convention</c> (omitted when absent). Payloads are SHA-256-addressed blobs
/// (<see cref="BlobStore"/>), so one mesh can serve several model revisions.
/// </summary>
public static class DeviceModelBody
{
    private static readonly string[] Formats = ["urdf"];

    /// <summary>Parse a body with serde's messages.</summary>
    public static JsonObject Parse(JsonNode? node)
    {
        var f = JsonFields.Of(node, "struct DeviceModelBody");
        var body = new JsonObject
        {
            ["model_id"] = Field("model_id", () => f.String("model_id")),
            ["type"] = f.Enum("type", Formats),
            ["urdf_sha256"] = Field("urdf_sha256", () => f.String("urdf_sha256")),
        };
        var meshes = new JsonArray();
        if (f.Has("meshes"))
        {
            foreach (var item in Field("meshes", () => f.Array("meshes")))
            {
                var m = JsonFields.Of(item, "struct MeshBlobRef");
                meshes.Add((JsonNode)new JsonObject { ["path"] = m.String("path"), ["sha256"] = m.String("sha256") });
            }
        }
        body["meshes"] = meshes;
        if (f.OptionalString("root_convention") is { } convention) body["root_convention"] = convention;
        return body;
    }

    /// <summary>Upstream's <c>DeviceModelRegistryEntry::validate</c> (<c>invalid device model: …</c>), in its order.</summary>
    public static void Validate(string peerId, string deviceModelId, JsonObject body)
    {
        if (peerId.Length == 0) throw Invalid("peer_id must not be empty");
        if (RegistryId.Check(deviceModelId) is { } idError) throw Invalid("invalid device_model_id: " + idError);
        if (((string)body["model_id"]!).Length == 0) throw Invalid("model_id must not be empty");
        if (!BlobStore.IsSha256Hex((string)body["urdf_sha256"]!)) throw Invalid("urdf_sha256 must be 64 lowercase hex characters");
        var paths = new HashSet<string>(StringComparer.Ordinal);
        foreach (var mesh in (JsonArray)body["meshes"]!)
        {
            string path = (string)mesh!["path"]!;
            MeshPath.Validate(path);
            if (!paths.Add(path)) throw Invalid("mesh paths must be unique");
            if (!BlobStore.IsSha256Hex((string)mesh["sha256"]!)) throw Invalid("mesh sha256 must be 64 lowercase hex characters");
        }
    }

    /// <summary>Every blob address the body names: the URDF first, then each mesh in order.</summary>
    public static IEnumerable<string> BlobAddresses(JsonObject body)
    {
        yield return (string)body["urdf_sha256"]!;
        foreach (var mesh in (JsonArray)body["meshes"]!) yield return (string)mesh!["sha256"]!;
    }

    private static AukiException Invalid(string reason) => AukiException.Invalid("invalid device model: " + reason);

    private static T Field<T>(string name, Func<T> parse)
    {
        try { return parse(); }
        catch (AukiException e) { throw e.WithPrefix(name); }
    }
}
