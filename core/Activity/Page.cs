using System.Text.Json.Nodes;

namespace Auki.Activity;

/// <summary>
/// One page of a listing. <see cref="NextToken"/> is opaque: pass it back to get the items after
/// this page, null when there are none. Tokens name the last item (not a position), so items
/// added or removed between calls never make a page repeat or skip an item that stays.
/// </summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? NextToken)
{
    /// <summary>The page as every listing returns it: <c>{"items": [...], "next_token": "..." | null}</c>.</summary>
    public JsonObject ToJson(Func<T, JsonNode> item)
    {
        var items = new JsonArray();
        foreach (var i in Items) items.Add(item(i));
        return new JsonObject { ["items"] = items, ["next_token"] = NextToken };
    }
}
