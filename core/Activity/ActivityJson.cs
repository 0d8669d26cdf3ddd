using System.Text.Json.Nodes;
using Auki.Json;

namespace Auki.Activity;

/// <summary>
/// The JSON arguments of the activity-session operations (what the C ABI and the Python package
/// pass): file lists, id lists and update changesets. Unknown keys are refused, so a misspelled
/// window key cannot silently turn a windowed add into a whole-file one.
/// </summary>
public static class ActivityJson
{
    private static readonly string[] FileKeys = ["file_id", "range_min_timestamp_ns", "range_max_timestamp_ns"];
    private static readonly string[] UpdateKeys = ["name"];

    /// <summary>
    /// One file: <c>"&lt;file_id&gt;"</c> (the whole file) or <c>{"file_id", "range_min_timestamp_ns",
    /// "range_max_timestamp_ns"}</c> (bounds optional, null = absent), validated.
    /// </summary>
    public static SessionFile File(JsonNode? node)
    {
        if (node is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.String)
        {
            var whole = new SessionFile(v.GetValue<string>());
            whole.Validate();
            return whole;
        }
        var f = JsonFields.Of(node, "a file id or {\"file_id\", \"range_min_timestamp_ns\", \"range_max_timestamp_ns\"}");
        RefuseUnknownKeys(f.Object, FileKeys, "session file");
        long? min = f.Has("range_min_timestamp_ns") ? f.I64("range_min_timestamp_ns") : null;
        long? max = f.Has("range_max_timestamp_ns") ? f.I64("range_max_timestamp_ns") : null;
        var file = new SessionFile(f.String("file_id"), min, max);
        file.Validate();
        return file;
    }

    /// <summary>A JSON array of files (see <see cref="File"/>).</summary>
    public static List<SessionFile> Files(JsonNode? node) => Array(node, "files").Select(File).ToList();

    /// <summary>A JSON array of strings (file ids, device ids); null gives an empty list.</summary>
    public static List<string> Strings(JsonNode? node, string what)
    {
        if (node is null) return [];
        return Array(node, what).Select(JsonFields.AsString).ToList();
    }

    /// <summary>
    /// An update changeset, Roboto's <c>SessionUpdate</c>: a key left out is left unchanged;
    /// <c>"name": null</c> clears the name. Returns whether the name is to be set, and to what.
    /// </summary>
    public static (bool SetName, string? Name) Update(JsonNode? node)
    {
        var f = JsonFields.Of(node, "an update object such as {\"name\": \"...\"}");
        RefuseUnknownKeys(f.Object, UpdateKeys, "session update");
        if (!f.Object.ContainsKey("name")) return (false, null);
        return (true, f.OptionalString("name"));
    }

    /// <summary>A list of strings as a JSON array (file ids skipped by remove_files, device ids).</summary>
    public static JsonArray StringArray(IEnumerable<string> values)
    {
        var array = new JsonArray();
        foreach (var v in values) array.Add((JsonNode)JsonValue.Create(v));
        return array;
    }

    private static JsonArray Array(JsonNode? node, string what) =>
        node as JsonArray ?? throw AukiException.Invalid($"{what}: invalid type: {SerdeText.Describe(node)}, expected a sequence");

    private static void RefuseUnknownKeys(JsonObject obj, string[] known, string what)
    {
        foreach (var (key, _) in obj)
            if (!known.Contains(key))
                throw AukiException.Invalid($"unknown field `{key}` in {what}, expected {SerdeText.ExpectedList(known)}");
    }
}
