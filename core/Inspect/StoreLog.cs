using System.Text.Json.Nodes;
using Auki.Registry;

namespace Auki.Inspect;

/// <summary>One recorded log as <see cref="StoreWalker"/> found it.</summary>
public sealed class StoreLog
{
    /// <summary>The log directory.</summary>
    public required string Directory { get; init; }

    /// <summary>Path relative to the storage root with <c>/</c> separators (the activity-session file id).</summary>
    public required string FileId { get; init; }

    /// <summary>The peer directory the log sits under.</summary>
    public required string PeerId { get; init; }

    /// <summary>The peer whose data this is: the manifest's <c>source_peer_id</c>, else <see cref="PeerId"/>.</summary>
    public required string SourcePeerId { get; init; }

    /// <summary>The boot session: its directory (era C) or the manifest's <c>session_id</c> (era A); null when unknown.</summary>
    public string? BootSessionId { get; init; }

    /// <summary>True for an era-A log under <c>&lt;root&gt;/logs/</c>.</summary>
    public bool Standalone { get; init; }

    /// <summary>The manifest's <c>app_id</c>.</summary>
    public string? AppId { get; init; }

    /// <summary>The resource id (path below the peer directory).</summary>
    public required string ResourceId { get; init; }

    /// <summary><c>manifest.json</c>, when present and a JSON object.</summary>
    public JsonObject? Manifest { get; init; }

    /// <summary><c>log_manifest.json</c> (the data plane's copy), when present and a JSON object.</summary>
    public JsonObject? LogManifest { get; init; }

    /// <summary><c>sensor</c>, <c>pose</c>, <c>time_transform</c> or <c>detection</c>; null for a bare data log.</summary>
    public string? Kind { get; init; }

    /// <summary>The sensor (for detection logs: the input sensor) the manifest references.</summary>
    public RegistryRef? SensorRef { get; init; }

    /// <summary>The referenced sensor registry entry, when it is in the store.</summary>
    public JsonObject? SensorEntry { get; init; }

    /// <summary>The detector of a detection log.</summary>
    public RegistryRef? DetectorRef { get; init; }

    /// <summary>The clock the log's timestamps are in (for time-transform logs: the from clock).</summary>
    public RegistryRef? ClockRef { get; init; }

    /// <summary><c>segment_duration_ns</c> from the manifests.</summary>
    public long? SegmentDurationNs { get; init; }

    /// <summary>True when <c>sealed.json</c> is present (a closed fixed-head log).</summary>
    public bool Sealed { get; init; }

    /// <summary>True when <c>log_manifest.json</c> is present (the log has a data plane).</summary>
    public bool HasLogManifest { get; init; }

    /// <summary>The segment files, by start.</summary>
    public required IReadOnlyList<StoreSegment> Segments { get; init; }

    /// <summary>What could not be read (unparsable manifests, damaged segments).</summary>
    public required IReadOnlyList<string> Notes { get; init; }

    /// <summary>"live" or "sealed".</summary>
    public string State => Sealed ? "sealed" : "live";

    /// <summary>Complete entries over all segments.</summary>
    public long Entries => Segments.Sum(s => s.Entries);

    /// <summary>Bytes of all segment files.</summary>
    public long Bytes => Segments.Sum(s => s.FileBytes);

    /// <summary>Timestamp of the first entry, or null for an empty log.</summary>
    public long? FirstTimestampNs => Segments.FirstOrDefault(s => s.Entries > 0)?.FirstTimestampNs;

    /// <summary>Timestamp of the last entry, or null for an empty log.</summary>
    public long? LastTimestampNs => Segments.LastOrDefault(s => s.Entries > 0)?.LastTimestampNs;

    /// <summary>The sensor entry's <c>kind</c> (camera, scalar, …), or null.</summary>
    public string? SensorKind => StoreWalker.StringField(SensorEntry, "kind");

    /// <summary>The sensor entry's <c>type</c>, or null.</summary>
    public string? SensorType => StoreWalker.StringField(SensorEntry, "type");

    /// <summary>The sensor as <c>kind/type</c> from its registry entry (<c>camera/rgb</c>), or null.</summary>
    public string? SensorDescription
    {
        get
        {
            if (SensorRef is null) return null;
            string? kind = StoreWalker.StringField(SensorEntry, "kind");
            string? type = StoreWalker.StringField(SensorEntry, "type");
            if (kind is null) return SensorRef.Id + " (not in registry)";
            return type is null or "" ? kind : kind + "/" + type;
        }
    }
}

/// <summary>One segment file of a log: its window start and what a header scan found.</summary>
/// <param name="Path">The segment file.</param>
/// <param name="StartNs">Window start (from the file name).</param>
/// <param name="FileBytes">File size.</param>
/// <param name="Entries">Complete entries.</param>
/// <param name="FirstTimestampNs">First entry's timestamp; null when empty.</param>
/// <param name="LastTimestampNs">Last entry's timestamp; null when empty.</param>
/// <param name="Version">Format version (1, 2; 0 unknown).</param>
/// <param name="Healthy">False when the scan found damage.</param>
public sealed record StoreSegment(string Path, long StartNs, long FileBytes, long Entries, long? FirstTimestampNs,
    long? LastTimestampNs, ushort Version, bool Healthy);
