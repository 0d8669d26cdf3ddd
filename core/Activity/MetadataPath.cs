using System.Text.Json.Nodes;

namespace Auki.Activity;

/// <summary>
/// Dot notation over a metadata object: <c>"a.b.c"</c> names <c>metadata["a"]["b"]["c"]</c>.
/// Every segment must be non-empty (<c>"a..b"</c>, <c>".a"</c> are refused).
/// </summary>
public static class MetadataPath
{
    /// <summary>The segments of <paramref name="key"/>; InvalidArgument naming it when one is empty.</summary>
    public static string[] Split(string key)
    {
        var parts = key.Split('.');
        if (parts.Any(p => p.Length == 0))
            throw AukiException.Invalid($"metadata key \"{key}\" has an empty segment (dot notation: \"a.b\" names metadata[\"a\"][\"b\"])");
        return parts;
    }

    /// <summary>
    /// Set the value at <paramref name="key"/>, creating intermediate objects. A segment on the
    /// way that holds something other than an object is InvalidArgument (a put never discards a value it was not asked to replace).
    /// </summary>
    public static void Put(JsonObject root, string key, JsonNode? value)
    {
        var parts = Split(key);
        var obj = root;
        for (int i = 0; i < parts.Length - 1; i++)
        {
            if (!obj.TryGetPropertyValue(parts[i], out var next) || next is null)
            {
                var created = new JsonObject();
                obj[parts[i]] = created;
                obj = created;
            }
            else if (next is JsonObject nested) obj = nested;
            else throw AukiException.Invalid($"metadata key \"{key}\": \"{string.Join('.', parts[..(i + 1)])}\" holds {next.ToJsonString()}, not an object");
        }
        obj[parts[^1]] = value;
    }

    /// <summary>Remove the value at <paramref name="key"/>; an absent path is ignored.</summary>
    public static void Remove(JsonObject root, string key)
    {
        var parts = Split(key);
        var obj = root;
        for (int i = 0; i < parts.Length - 1; i++)
        {
            if (obj[parts[i]] is not JsonObject nested) return;
            obj = nested;
        }
        obj.Remove(parts[^1]);
    }

    /// <summary>The value at <paramref name="key"/>; false when the path does not exist.</summary>
    public static bool TryGet(JsonObject root, string key, out JsonNode? value)
    {
        var parts = Split(key);
        JsonNode? node = root;
        foreach (var p in parts)
        {
            if (node is not JsonObject obj || !obj.TryGetPropertyValue(p, out node))
            {
                value = null;
                return false;
            }
        }
        value = node;
        return true;
    }
}
