using System.Text.Json.Nodes;
using Auki.Json;

namespace Auki.Registry;

/// <summary>
/// A content address of one registry entry: who registered it, under which id, and the hash of
/// its canonical bytes. JSON: <c>{"hash":…,"id":…,"peer_id":…}</c>.
/// </summary>
public sealed record RegistryRef(string PeerId, string Id, string Hash)
{
    /// <summary>The JSON object upstream serializes.</summary>
    public JsonObject ToJson() => new()
    {
        ["hash"] = Hash,
        ["id"] = Id,
        ["peer_id"] = PeerId,
    };

    /// <summary>Parse the serde shape; errors carry serde's wording.</summary>
    public static RegistryRef FromJson(JsonNode? node)
    {
        var f = JsonFields.Of(node, "struct RegistryRef");
        return new RegistryRef(f.String("peer_id"), f.String("id"), f.String("hash"));
    }

    /// <summary>"peer/id@hash", the form upstream uses in some error texts.</summary>
    public override string ToString() => $"{PeerId}/{Id}@{Hash}";
}
