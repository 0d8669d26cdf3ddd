using System.Globalization;
using System.Text.Json.Nodes;
using Auki.Json;

namespace Auki.Manifests;

/// <summary>
/// What the catalog says about a log's head: rolling (bounded by retention) or fixed (a
/// recording that starts at a point and keeps everything). Not part of the manifest.
/// </summary>
public sealed record HeadSpec(bool IsRolling, long RetentionNs)
{
    /// <summary>A rolling head keeping <paramref name="retentionNs"/> of data.</summary>
    public static HeadSpec Rolling(long retentionNs) => new(true, retentionNs);

    /// <summary>A fixed head.</summary>
    public static HeadSpec Fixed() => new(false, 0);

    /// <summary>Upstream's repr: <c>HeadSpec.rolling(5000000000)</c> / <c>HeadSpec.fixed()</c>.</summary>
    public string Repr() => IsRolling ? $"HeadSpec.rolling({RetentionNs.ToString(CultureInfo.InvariantCulture)})" : "HeadSpec.fixed()";

    /// <summary>JSON used in specs passed through the C ABI: <c>{"kind":"rolling","retention_ns":N}</c> or <c>{"kind":"fixed"}</c>.</summary>
    public JsonObject ToJson() => IsRolling
        ? new JsonObject { ["kind"] = "rolling", ["retention_ns"] = RetentionNs }
        : new JsonObject { ["kind"] = "fixed" };

    /// <summary>Parse the spec JSON shape.</summary>
    public static HeadSpec FromJson(JsonNode? node)
    {
        var f = JsonFields.Of(node, "internally tagged enum HeadSpec");
        return f.Enum("kind", ["rolling", "fixed"]) == "rolling" ? Rolling(f.I64("retention_ns")) : Fixed();
    }
}
