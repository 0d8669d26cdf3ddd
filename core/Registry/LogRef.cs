using System.Text.Json.Nodes;
using Auki.Json;

namespace Auki.Registry;

/// <summary>Names a log anywhere in a domain: the peer whose data it is and its resource id.</summary>
public sealed record LogRef(string SourcePeerId, string ResourceId)
{
    /// <summary>JSON: <c>{"resource_id":…,"source_peer_id":…}</c>.</summary>
    public JsonObject ToJson() => new()
    {
        ["resource_id"] = ResourceId,
        ["source_peer_id"] = SourcePeerId,
    };

    /// <summary>Parse the serde shape.</summary>
    public static LogRef FromJson(JsonNode? node)
    {
        var f = JsonFields.Of(node, "struct LogRef");
        return new LogRef(f.String("source_peer_id"), f.String("resource_id"));
    }

    /// <inheritdoc/>
    public override string ToString() => $"{SourcePeerId}/{ResourceId}";
}
