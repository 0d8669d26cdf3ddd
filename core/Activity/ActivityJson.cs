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
    private static readonly string[] UpdateKeys = ["name", "description", "metadata_changeset"];
    private static readonly string[] ChangesetKeys = ["put_tags", "remove_tags", "put_fields", "remove_fields"];
    private static readonly string[] TargetKeys = ["file_id", "device_id"];
    private static readonly string[] FieldsKeys = ["include", "exclude"];
    private static readonly string[] CreateKeys = ["name", "device_ids", "description", "metadata", "tags"];

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
    /// An update, Roboto's <c>SessionUpdate</c>: <c>{"name", "description", "metadata_changeset":
    /// {"put_tags", "remove_tags", "put_fields", "remove_fields"}}</c>. A key left out is left
    /// unchanged; <c>null</c> for name or description clears it.
    /// </summary>
    public static SessionUpdate Update(JsonNode? node)
    {
        var f = JsonFields.Of(node, "an update object such as {\"name\": \"...\"}");
        RefuseUnknownKeys(f.Object, UpdateKeys, "session update");
        var update = new SessionUpdate
        {
            SetName = f.Object.ContainsKey("name"),
            Name = f.OptionalString("name"),
            SetDescription = f.Object.ContainsKey("description"),
            Description = f.OptionalString("description"),
            Changeset = f.Has("metadata_changeset") ? Changeset(f.Raw("metadata_changeset")) : MetadataChangeset.Empty,
        };
        ActivitySession.ValidateName(update.Name);
        update.Changeset.Validate();
        return update;
    }

    /// <summary>A <see cref="MetadataChangeset"/> from <c>{"put_tags", "remove_tags", "put_fields", "remove_fields"}</c> (each optional).</summary>
    public static MetadataChangeset Changeset(JsonNode? node)
    {
        var f = JsonFields.Of(node, "a metadata changeset object");
        RefuseUnknownKeys(f.Object, ChangesetKeys, "metadata changeset");
        var put = new List<KeyValuePair<string, JsonNode?>>();
        if (f.Has("put_fields"))
            foreach (var (k, v) in JsonFields.Of(f.Raw("put_fields"), "an object of metadata fields").Object) put.Add(new(k, v?.DeepClone()));
        var changeset = new MetadataChangeset(Strings(f.Raw("put_tags"), "put_tags"), Strings(f.Raw("remove_tags"), "remove_tags"), put,
            Strings(f.Raw("remove_fields"), "remove_fields"));
        changeset.Validate();
        return changeset;
    }

    /// <summary>
    /// A create request, Roboto's <c>CreateSessionRequest</c>: <c>{"name", "device_ids",
    /// "description", "metadata", "tags"}</c>, each optional. Metadata keys use dot notation as in
    /// <c>put_metadata</c>.
    /// </summary>
    public static SessionCreate Create(JsonNode? node)
    {
        var f = JsonFields.Of(node, "a create object such as {\"name\": \"...\", \"device_ids\": [...]}");
        RefuseUnknownKeys(f.Object, CreateKeys, "session create request");
        var put = new List<KeyValuePair<string, JsonNode?>>();
        if (f.Has("metadata"))
            foreach (var (k, v) in JsonFields.Of(f.Raw("metadata"), "a metadata object").Object) put.Add(new(k, v?.DeepClone()));
        var changeset = new MetadataChangeset(Strings(f.Raw("tags"), "tags"), [], put, []);
        changeset.Validate();
        var create = new SessionCreate(f.OptionalString("name"), Strings(f.Raw("device_ids"), "device_ids"), f.OptionalString("description"), changeset);
        ActivitySession.ValidateName(create.Name);
        return create;
    }

    /// <summary>The target of a timeline offset: <c>{"file_id"}</c> or <c>{"device_id"}</c>, exactly one.</summary>
    public static (string? FileId, string? DeviceId) OffsetTarget(JsonNode? node)
    {
        var f = JsonFields.Of(node, "{\"file_id\": \"...\"} or {\"device_id\": \"...\"}");
        RefuseUnknownKeys(f.Object, TargetKeys, "offset target");
        string? file = f.OptionalString("file_id"), device = f.OptionalString("device_id");
        if ((file is null) == (device is null)) throw AukiException.Invalid("an offset target names exactly one of file_id and device_id");
        if (file is not null) RecordedFile.ParseId(file);
        if (device is not null && device.Length == 0) throw AukiException.Invalid("device_id must not be empty");
        return (file, device);
    }

    /// <summary>Message-path filters: <c>{"include": [...] | null, "exclude": [...] | null}</c>; an empty list is refused (it would select nothing or be a no-op by mistake).</summary>
    public static (List<string>? Include, List<string>? Exclude) Fields(JsonNode? node)
    {
        var f = JsonFields.Of(node, "{\"include\": [...], \"exclude\": [...]}");
        RefuseUnknownKeys(f.Object, FieldsKeys, "message path filter");
        var include = f.Has("include") ? Strings(f.Raw("include"), "include") : null;
        var exclude = f.Has("exclude") ? Strings(f.Raw("exclude"), "exclude") : null;
        if (include is { Count: 0 } || exclude is { Count: 0 }) throw AukiException.Invalid("message_paths_include/exclude must not be empty (pass None for no filter)");
        return (include, exclude);
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
