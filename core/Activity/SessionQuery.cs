using System.Text.Json.Nodes;
using Auki.Json;

namespace Auki.Activity;

/// <summary>
/// A session search (Roboto's <c>find_sessions</c> over the fields that matter locally): every
/// criterion given must hold. <see cref="DeviceId"/>: attached to that device; <see cref="StartNs"/>
/// / <see cref="EndNs"/>: the session's bounds overlap the inclusive window (an open side is
/// unbounded; a session without bounds never overlaps); <see cref="Tags"/>: carries every one;
/// <see cref="Metadata"/>: each dot-notation key holds a value equal (as JSON) to the one given.
/// </summary>
public sealed record SessionQuery(
    string? DeviceId = null,
    long? StartNs = null,
    long? EndNs = null,
    IReadOnlyList<string>? Tags = null,
    IReadOnlyList<KeyValuePair<string, JsonNode?>>? Metadata = null)
{
    private static readonly string[] Keys = ["device_id", "start_ns", "end_ns", "tags", "metadata"];

    /// <summary>True when <paramref name="session"/> meets every criterion; <paramref name="bounds"/> is only asked for when a window is given.</summary>
    public bool Matches(ActivitySession session, Func<(long? Min, long? Max)> bounds)
    {
        if (DeviceId is not null && !session.DeviceIds.Contains(DeviceId)) return false;
        if (Tags is not null && Tags.Any(t => !session.Tags.Contains(t))) return false;
        if (Metadata is not null)
            foreach (var (key, want) in Metadata)
                if (!MetadataPath.TryGet(session.Metadata, key, out var have) || !JsonEqual(have, want)) return false;
        if (StartNs is null && EndNs is null) return true;
        var (min, max) = bounds();
        if (min is null || max is null) return false;
        return (EndNs is null || min <= EndNs) && (StartNs is null || max >= StartNs);
    }

    /// <summary><c>{"device_id", "start_ns", "end_ns", "tags", "metadata"}</c>, each optional; unknown keys refused.</summary>
    public static SessionQuery FromJson(JsonNode? node)
    {
        var f = JsonFields.Of(node, "a search object such as {\"tags\": [\"flight\"]}");
        foreach (var key in f.UnknownKeys(Keys))
            throw AukiException.Invalid($"unknown field `{key}` in session search, expected {SerdeText.ExpectedList(Keys)}");
        long? start = f.Has("start_ns") ? f.I64("start_ns") : null;
        long? end = f.Has("end_ns") ? f.I64("end_ns") : null;
        if (start > end) throw AukiException.Invalid($"start_ns ({start}) must be <= end_ns ({end})");
        List<string>? tags = f.Has("tags") ? ActivityJson.Strings(f.Raw("tags"), "tags") : null;
        List<KeyValuePair<string, JsonNode?>>? metadata = null;
        if (f.Has("metadata"))
        {
            metadata = [];
            foreach (var (k, v) in JsonFields.Of(f.Raw("metadata"), "an object of metadata fields").Object)
            {
                MetadataPath.Split(k);
                metadata.Add(new(k, v?.DeepClone()));
            }
        }
        return new SessionQuery(f.OptionalString("device_id"), start, end, tags, metadata);
    }

    private static bool JsonEqual(JsonNode? a, JsonNode? b) => CanonicalJson.SerializeToString(a) == CanonicalJson.SerializeToString(b);
}
