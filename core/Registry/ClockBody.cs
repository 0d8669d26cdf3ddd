using System.Text.Json.Nodes;
using Auki.Json;

namespace Auki.Registry;

/// <summary>
/// Clock bodies (tag <c>type</c>: monotonic_clock | utc_clock) with <c>unit</c>, <c>monotonic</c>,
/// <c>epoch</c> (always serialized, null meaningful) and <c>scope</c>. No cross-checks, as upstream.
/// </summary>
public static class ClockBody
{
    private static readonly string[] Types = ["monotonic_clock", "utc_clock"];
    private static readonly string[] Scopes = ["device-local", "domain-local", "global"];

    /// <summary>Parse a body; serde-style errors (the caller prefixes <c>body: </c>).</summary>
    public static JsonObject Parse(JsonNode? node)
    {
        var f = JsonFields.Of(node, "internally tagged enum ClockBody");
        return new JsonObject
        {
            ["type"] = f.Enum("type", Types),
            ["unit"] = f.String("unit"),
            ["monotonic"] = f.Bool("monotonic"),
            ["epoch"] = f.OptionalString("epoch"),
            ["scope"] = f.Enum("scope", Scopes),
        };
    }

    /// <summary>The session-scoped monotonic clock start_session registers.</summary>
    public static JsonObject SessionMonotonic() => new()
    {
        ["type"] = "monotonic_clock",
        ["unit"] = "ns",
        ["monotonic"] = true,
        ["epoch"] = null,
        ["scope"] = "device-local",
    };

    /// <summary>The session-scoped UTC clock start_session registers (device-local by upstream decision D6).</summary>
    public static JsonObject SessionUtc() => new()
    {
        ["type"] = "utc_clock",
        ["unit"] = "ns",
        ["monotonic"] = false,
        ["epoch"] = "1970-01-01T00:00:00Z",
        ["scope"] = "device-local",
    };
}
