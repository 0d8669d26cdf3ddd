using System.Text.Json.Nodes;
using Auki.Json;

namespace Auki.Activity;

/// <summary>
/// Page tokens of the listings. A token names the last item of the page it ended (so items
/// added or removed between calls never make a page repeat or skip one): an activity session id
/// for <c>list_sessions</c>, a file id for <c>list_files</c>, a JSON pair (name, topic id) for
/// <c>list_topics</c>. Every listing refuses, the same way, a token it could not have handed out.
/// </summary>
internal static class PageToken
{
    /// <summary><paramref name="token"/> itself when it is null or a key this listing hands out; InvalidArgument otherwise.</summary>
    public static string? Key(string? token, string listing, Func<string, bool> isKey) =>
        token is null || isKey(token) ? token : throw Refused(token, listing);

    /// <summary>The token of a listing keyed by two strings.</summary>
    public static string Pair(string first, string second) =>
        CanonicalJson.SerializeToString(new JsonArray((JsonNode)JsonValue.Create(first), (JsonNode)JsonValue.Create(second)));

    /// <summary>The two strings of a <see cref="Pair"/> token; InvalidArgument for anything else.</summary>
    public static (string First, string Second) ParsePair(string token, string listing)
    {
        try
        {
            if (JsonText.Parse(token) is JsonArray { Count: 2 } a)
                return (JsonFields.AsString(a[0]), JsonFields.AsString(a[1]));
        }
        catch (AukiException) { } // not a JSON pair of strings: refused below like any other garbage
        throw Refused(token, listing);
    }

    private static AukiException Refused(string token, string listing) =>
        AukiException.Invalid($"invalid page token {Ids.RustDebug.Str(token)} for {listing}: pass back a next_token this listing returned");
}
