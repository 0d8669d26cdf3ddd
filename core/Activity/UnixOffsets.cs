using System.Text.Json.Nodes;
using Auki.Inspect;
using Auki.Json;
using Auki.Logs;
using Auki.Registry;

namespace Auki.Activity;

/// <summary>What a time-transform log suggests as a file's Unix-epoch offset.</summary>
/// <param name="OffsetNs">The offset: the median <c>offset_ns</c> of the entries within the file's extent (else of the entry nearest to it).</param>
/// <param name="TimeTransformFileId">The time-transform log it was read from.</param>
/// <param name="Entries">How many entries the median was taken over.</param>
public sealed record UnixOffsetSuggestion(long OffsetNs, string TimeTransformFileId, int Entries)
{
    /// <summary><c>{"unix_offset_ns", "time_transform_file_id", "entries"}</c>.</summary>
    public JsonObject ToJson() => new()
    {
        ["unix_offset_ns"] = OffsetNs,
        ["time_transform_file_id"] = TimeTransformFileId,
        ["entries"] = Entries,
    };
}

/// <summary>
/// The default Unix-epoch offset of a recorded log: a time-transform log of the same boot session
/// and peer that maps the log's clock (its <c>from_clock</c>) to a UTC clock (<c>to_clock</c> whose
/// registry entry is a <c>utc_clock</c>) says, entry by entry, <c>offset_ns = utc − clock</c>. The
/// median over the entries within the log's extent is robust to a few bad clock reads; a log the
/// transform does not overlap takes the entry nearest to its first timestamp.
/// </summary>
public static class UnixOffsets
{
    /// <summary>The suggestion for <paramref name="file"/>, or null when no fitting time-transform log has entries.</summary>
    public static UnixOffsetSuggestion? Suggest(string storageRoot, RecordedFile file)
    {
        var log = StoreWalker.Describe(storageRoot, file.Directory, scanSegments: false);
        if (log.ClockRef is not { } clock || log.Kind == "time_transform") return null;
        string logsDir = LogsDirectoryOf(storageRoot, file);
        if (!Directory.Exists(logsDir)) return null;
        var extent = ExtentCache.Of(storageRoot, file.FileId);
        foreach (var dir in Directory.EnumerateDirectories(logsDir, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            if (!RecordedFile.IsLogDirectory(dir) || dir == file.Directory) continue;
            var candidate = StoreWalker.Describe(storageRoot, dir, scanSegments: false);
            if (candidate.Kind != "time_transform" || candidate.ClockRef != clock) continue;
            if (!IsUtcClock(storageRoot, candidate.Manifest?["to_clock"])) continue;
            if (Median(dir, extent) is not { } found) continue;
            return new UnixOffsetSuggestion(found.Offset, candidate.FileId, found.Entries);
        }
        return null;
    }

    private static string LogsDirectoryOf(string root, RecordedFile file) =>
        file.BootSessionId.Length > 0
            ? Storage.StorageLayout.RecordingLogs(root, file.BootSessionId)
            : Path.Combine(root, Storage.StorageLayout.LogsDirectoryName);

    private static bool IsUtcClock(string root, JsonNode? toClock)
    {
        RegistryRef r;
        try { r = RegistryRef.FromJson(toClock); }
        catch (AukiException) { return false; }
        var bytes = RegistryStore.ReadBytes(root, RegistryKind.Clock, r.PeerId, r.Id, r.Hash);
        return bytes is not null && JsonText.Parse(bytes) is JsonObject body && (string?)body["type"] == "utc_clock";
    }

    private static (long Offset, int Entries)? Median(string dir, (long Min, long Max)? extent)
    {
        var inside = new List<long>();
        long? nearest = null;
        long nearestDistance = long.MaxValue;
        foreach (var entry in LogReader.Open(dir).Entries())
        {
            long offset = Datatypes.TimeTransform.TimeTransformEntry.Parser.ParseFrom(entry.Payload).OffsetNs;
            if (extent is { } e && entry.TimestampNs >= e.Min && entry.TimestampNs <= e.Max) inside.Add(offset);
            long distance = extent is { } x ? Math.Abs(entry.TimestampNs - x.Min) : 0;
            if (distance < nearestDistance)
            {
                nearestDistance = distance;
                nearest = offset;
            }
        }
        if (inside.Count > 0)
        {
            inside.Sort();
            return (inside[inside.Count / 2], inside.Count);
        }
        return nearest is { } n ? (n, 1) : null;
    }
}
