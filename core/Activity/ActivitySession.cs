using System.Text.Json.Nodes;
using Auki.Json;

namespace Auki.Activity;

/// <summary>
/// An activity session: a named time window over recorded logs of zero or more devices (peers),
/// in the manner of Roboto's Session. Immutable snapshot of the stored document; every change
/// goes through <see cref="ActivityStore"/>, which writes a new document atomically.
/// </summary>
public sealed record ActivitySession(
    string SessionId,
    string? Name,
    IReadOnlyList<string> DeviceIds,
    IReadOnlyList<Contribution> Files,
    long CreatedNs,
    string CreatedBy,
    long ModifiedNs,
    string ModifiedBy)
{
    /// <summary>Free text (Roboto's <c>description</c>); null when none.</summary>
    public string? Description { get; init; }

    /// <summary>Tags, an ordered set (put keeps the first position, no duplicates).</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>Metadata, a JSON object (nested objects address by dot notation in changesets and search).</summary>
    public JsonObject Metadata { get; init; } = new();

    /// <summary>
    /// Unix-epoch offsets per device (peer id): added to the timestamps of every held file of that
    /// peer that has no offset of its own, so a monotonic recording lines up with wall time.
    /// </summary>
    public IReadOnlyDictionary<string, long> DeviceOffsets { get; init; } = new SortedDictionary<string, long>(StringComparer.Ordinal);

    /// <summary>Longest accepted name, in Unicode code points.</summary>
    public const int MaxNameLength = 120;

    /// <summary>The document as stored on disk (and returned through the C ABI).</summary>
    public JsonObject ToJson()
    {
        var devices = new JsonArray();
        foreach (var d in DeviceIds) devices.Add((JsonNode)JsonValue.Create(d));
        var files = new JsonArray();
        foreach (var c in Files)
        {
            files.Add((JsonNode)new JsonObject
            {
                ["file_id"] = c.File.FileId,
                ["range_min_timestamp_ns"] = c.File.RangeMinTimestampNs,
                ["range_max_timestamp_ns"] = c.File.RangeMaxTimestampNs,
                ["created_ns"] = c.CreatedNs,
                ["created_by"] = c.CreatedBy,
                ["unix_offset_ns"] = c.UnixOffsetNs,
            });
        }
        return new JsonObject
        {
            ["session_id"] = SessionId,
            ["name"] = Name,
            ["description"] = Description,
            ["tags"] = TagsJson(),
            ["metadata"] = Metadata.DeepClone(),
            ["device_ids"] = devices,
            ["device_unix_offsets_ns"] = DeviceOffsetsJson(),
            ["files"] = files,
            ["created_ns"] = CreatedNs,
            ["created_by"] = CreatedBy,
            ["modified_ns"] = ModifiedNs,
            ["modified_by"] = ModifiedBy,
        };
    }

    private JsonArray TagsJson() => ActivityJson.StringArray(Tags);

    private JsonObject DeviceOffsetsJson()
    {
        var offsets = new JsonObject();
        foreach (var (device, offset) in DeviceOffsets) offsets[device] = offset;
        return offsets;
    }

    /// <summary>
    /// The session as callers see it (Roboto's <c>SessionRecord</c>): <c>{session_id, name,
    /// device_ids, file_count, created_ns, created_by, modified_ns, modified_by,
    /// min_timestamp_ns, max_timestamp_ns}</c> with the bounds given (computed live by the store).
    /// The composition itself is listed by <see cref="ActivityStore.ListFiles"/>.
    /// </summary>
    public JsonObject ToRecordJson((long? Min, long? Max) bounds)
    {
        var devices = new JsonArray();
        foreach (var d in DeviceIds) devices.Add((JsonNode)JsonValue.Create(d));
        return new JsonObject
        {
            ["session_id"] = SessionId,
            ["name"] = Name,
            ["description"] = Description,
            ["tags"] = TagsJson(),
            ["metadata"] = Metadata.DeepClone(),
            ["device_ids"] = devices,
            ["device_unix_offsets_ns"] = DeviceOffsetsJson(),
            ["file_count"] = Files.Count,
            ["created_ns"] = CreatedNs,
            ["created_by"] = CreatedBy,
            ["modified_ns"] = ModifiedNs,
            ["modified_by"] = ModifiedBy,
            ["min_timestamp_ns"] = bounds.Min,
            ["max_timestamp_ns"] = bounds.Max,
        };
    }

    /// <summary>Parse a stored document; a damaged one is a Corrupt error naming the session.</summary>
    public static ActivitySession FromJson(JsonNode? node, string context)
    {
        try
        {
            var f = JsonFields.Of(node, "activity session document");
            var devices = new List<string>();
            foreach (var d in f.Array("device_ids")) devices.Add(JsonFields.AsString(d));
            var files = new List<Contribution>();
            foreach (var item in f.Array("files"))
            {
                var c = JsonFields.Of(item, "session file");
                long? min = c.Has("range_min_timestamp_ns") ? c.I64("range_min_timestamp_ns") : null;
                long? max = c.Has("range_max_timestamp_ns") ? c.I64("range_max_timestamp_ns") : null;
                var file = new SessionFile(c.String("file_id"), min, max);
                file.Validate(); // a hand-edited document must not name a path outside the root either
                long? offset = c.Has("unix_offset_ns") ? c.I64("unix_offset_ns") : null;
                files.Add(new Contribution(file, c.I64("created_ns"), c.String("created_by"), offset));
            }
            // Documents written before tags, metadata and offsets existed have none of them.
            var tags = f.Has("tags") ? f.Array("tags").Select(JsonFields.AsString).ToList() : [];
            var metadata = f.Has("metadata") ? (JsonFields.Of(f.Raw("metadata"), "a metadata object").Object.DeepClone().AsObject()) : new JsonObject();
            var deviceOffsets = new SortedDictionary<string, long>(StringComparer.Ordinal);
            if (f.Has("device_unix_offsets_ns"))
            {
                var o = JsonFields.Of(f.Raw("device_unix_offsets_ns"), "an object of device offsets");
                foreach (var (device, _) in o.Object) deviceOffsets[device] = o.I64(device);
            }
            return new ActivitySession(f.String("session_id"), f.OptionalString("name"), devices, files,
                f.I64("created_ns"), f.String("created_by"), f.I64("modified_ns"), f.String("modified_by"))
            {
                Description = f.OptionalString("description"),
                Tags = tags,
                Metadata = metadata,
                DeviceOffsets = deviceOffsets,
            };
        }
        catch (AukiException e) when (e.Code == AukiErrorCode.InvalidArgument)
        {
            throw AukiException.Corrupt($"activity session {context} is damaged: {e.Message}");
        }
    }

    /// <summary>
    /// The Unix-epoch offset applied to a held file's timestamps: its contribution's own, else its
    /// device's (<paramref name="sourcePeerId"/>), else 0.
    /// </summary>
    public long OffsetOf(Contribution contribution, string? sourcePeerId) =>
        contribution.UnixOffsetNs ?? (sourcePeerId is not null && DeviceOffsets.TryGetValue(sourcePeerId, out long o) ? o : 0);

    /// <summary>Name rule: at most 120 code points; null is allowed (no name).</summary>
    public static void ValidateName(string? name)
    {
        if (name is null) return;
        int codePoints = 0;
        foreach (var _ in name.EnumerateRunes()) codePoints++;
        if (codePoints > MaxNameLength)
            throw AukiException.Invalid($"name must be at most {MaxNameLength} characters (got {codePoints})");
    }
}
