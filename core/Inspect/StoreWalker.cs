using System.Text.Json;
using System.Text.Json.Nodes;
using Auki.Ids;
using Auki.Json;
using Auki.Logs;
using Auki.Manifests;
using Auki.Registry;
using Auki.Sessions;

namespace Auki.Inspect;

/// <summary>
/// Finds every recorded log under a storage root and describes it: the peer and boot session it
/// belongs to (from its path), what <c>manifest.json</c> declares (kind, sensor, clock), and what
/// its segments hold (entries, bytes, first and last timestamp, per segment too). Reads only;
/// damaged files are described, never thrown about, so a listing of a broken store still works.
/// </summary>
/// <remarks>
/// Layout: era C logs live at <c>&lt;root&gt;/&lt;boot_session&gt;/logs/&lt;peer&gt;/&lt;resource_id&gt;</c>, era A
/// logs at <c>&lt;root&gt;/logs/&lt;peer&gt;/&lt;resource_id&gt;</c> (their boot session is the manifest's
/// <c>session_id</c>). A log directory holds <c>manifest.json</c>, <c>log_manifest.json</c> or
/// <c>segments/</c>; a <c>/</c> in a resource id makes nested directories.
/// </remarks>
public static class StoreWalker
{
    /// <summary>Directory names at the root that are never boot sessions.</summary>
    private static readonly string[] ReservedRootNames = ["registries", "logs", "activity_sessions"];

    /// <summary>
    /// Every log under <paramref name="root"/>, ordered by peer, boot session and resource id.
    /// With <paramref name="scanSegments"/> each segment's entry headers are read (payloads skipped).
    /// With <paramref name="peerId"/> only that peer's directories are walked.
    /// </summary>
    public static IReadOnlyList<StoreLog> Logs(string root, bool scanSegments = true, string? peerId = null)
    {
        if (!Directory.Exists(root)) throw AukiException.NotFound($"no such directory: {root}");
        if (peerId is not null) PathId.Validate(peerId, "peer_id");
        var registry = new RegistryCache(root);
        var found = new List<(string Dir, string Peer, string ResourceId, string? BootSession)>();
        foreach (var (dir, bootSession) in LogsDirectories(root))
        {
            IEnumerable<string> peerDirs = peerId is null ? SortedDirectories(dir)
                : Directory.Exists(Path.Combine(dir, peerId)) ? [Path.Combine(dir, peerId)] : [];
            foreach (var peerDir in peerDirs)
            {
                string peer = Path.GetFileName(peerDir);
                foreach (var logDir in LogDirectoriesUnder(peerDir))
                {
                    string resourceId = Path.GetRelativePath(peerDir, logDir).Replace(Path.DirectorySeparatorChar, '/');
                    found.Add((logDir, peer, resourceId, bootSession));
                }
            }
        }
        // Describing is file reads and segment scans, independent per log: spread over the cores
        // (a store of 10,000 logs is read in about half the time on two).
        var logs = new StoreLog[found.Count];
        if (found.Count < ParallelFrom)
        {
            for (int i = 0; i < found.Count; i++) logs[i] = Describe(root, found[i].Dir, found[i].Peer, found[i].ResourceId, found[i].BootSession, registry, scanSegments);
        }
        else
        {
            Parallel.For(0, found.Count, i =>
                logs[i] = Describe(root, found[i].Dir, found[i].Peer, found[i].ResourceId, found[i].BootSession, registry, scanSegments));
        }
        return logs
            .OrderBy(l => l.PeerId, StringComparer.Ordinal)
            .ThenBy(l => l.BootSessionId ?? "", StringComparer.Ordinal)
            .ThenBy(l => l.Standalone)
            .ThenBy(l => l.ResourceId, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Below this many logs a walk describes them on the calling thread.</summary>
    private const int ParallelFrom = 64;

    /// <summary>Describe one log directory (for <c>auki cat</c> and tests); the peer and resource id come from its path.</summary>
    public static StoreLog Describe(string root, string logDir, bool scanSegments = true)
    {
        string rel = Path.GetRelativePath(root, logDir).Replace(Path.DirectorySeparatorChar, '/');
        var parts = rel.Split('/');
        int logs = Array.IndexOf(parts, "logs");
        string peer = logs >= 0 && parts.Length > logs + 2 ? parts[logs + 1] : "";
        string resourceId = logs >= 0 && parts.Length > logs + 2 ? string.Join('/', parts[(logs + 2)..]) : Path.GetFileName(logDir);
        string? boot = logs == 1 ? parts[0] : null;
        return Describe(root, logDir, peer, resourceId, boot, new RegistryCache(root), scanSegments);
    }

    /// <summary>True when <paramref name="dir"/> holds a log (a manifest or segments).</summary>
    public static bool IsLogDirectory(string dir) =>
        File.Exists(Path.Combine(dir, "manifest.json")) || File.Exists(Path.Combine(dir, SegmentFormat.ManifestFileName))
        || Directory.Exists(Path.Combine(dir, SegmentFormat.SegmentsDirectoryName));

    /// <summary>The <c>logs/</c> directories of the root: era A's (boot session null) and one per boot session.</summary>
    public static IEnumerable<(string Directory, string? BootSessionId)> LogsDirectories(string root)
    {
        string eraA = Path.Combine(root, "logs");
        if (Directory.Exists(eraA)) yield return (eraA, null);
        foreach (var dir in SortedDirectories(root))
        {
            string name = Path.GetFileName(dir);
            if (ReservedRootNames.Contains(name) || name.StartsWith('.')) continue;
            string logs = Path.Combine(dir, "logs");
            if (Directory.Exists(logs)) yield return (logs, name);
        }
    }

    /// <summary>Log directories below a peer directory (a log inside a log is possible: ids <c>a</c> and <c>a/b</c>).</summary>
    public static IEnumerable<string> LogDirectoriesUnder(string peerDir)
    {
        foreach (var child in SortedDirectories(peerDir))
        {
            if (IsLogDirectory(child)) yield return child;
            foreach (var nested in NestedLogs(child)) yield return nested;
        }
    }

    private static IEnumerable<string> NestedLogs(string dir)
    {
        foreach (var child in SortedDirectories(dir))
        {
            if (Path.GetFileName(child) == SegmentFormat.SegmentsDirectoryName && IsLogDirectory(dir)) continue;
            if (IsLogDirectory(child)) yield return child;
            foreach (var nested in NestedLogs(child)) yield return nested;
        }
    }

    internal static IEnumerable<string> SortedDirectories(string dir)
    {
        try
        {
            return Directory.EnumerateDirectories(dir).Order(StringComparer.Ordinal).ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    private static StoreLog Describe(string root, string logDir, string peer, string resourceId, string? bootSession,
        RegistryCache registry, bool scanSegments)
    {
        string fileId = Path.GetRelativePath(root, logDir).Replace(Path.DirectorySeparatorChar, '/');
        var notes = new List<string>();
        JsonObject? manifest = ReadManifest(Path.Combine(logDir, "manifest.json"), notes);
        JsonObject? logManifest = ReadManifest(Path.Combine(logDir, SegmentFormat.ManifestFileName), notes);
        var described = manifest ?? logManifest;

        string? manifestSession = StringField(described, "session_id");
        string? kind = described is null ? null : KindOf(described);
        RegistryRef? sensorRef = RefField(described, kind == "detection" ? "input_sensor" : "sensor");
        RegistryRef? clockRef = RefField(described, kind == "time_transform" ? "from_clock" : "clock");
        JsonObject? sensorEntry = sensorRef is null ? null : registry.Entry(RegistryKind.Sensor, sensorRef);

        var segments = new List<StoreSegment>();
        string segmentsDir = Path.Combine(logDir, SegmentFormat.SegmentsDirectoryName);
        foreach (long start in SegmentDirectory.ListStarts(segmentsDir))
        {
            string path = SegmentDirectory.SegmentPath(segmentsDir, start);
            if (!scanSegments)
            {
                segments.Add(new StoreSegment(path, start, FileLength(path), 0, null, null, 0, true));
                continue;
            }
            var segment = SegmentScans.Scan(path, start);
            segments.Add(segment);
            if (!segment.Healthy) notes.Add($"segment {Path.GetFileName(path)} is damaged (run `auki verify`)");
        }

        return new StoreLog
        {
            Directory = logDir,
            FileId = fileId,
            PeerId = peer,
            SourcePeerId = StringField(described, "source_peer_id") ?? peer,
            BootSessionId = bootSession ?? manifestSession,
            Standalone = bootSession is null,
            AppId = StringField(described, "app_id"),
            ResourceId = resourceId,
            Manifest = manifest,
            LogManifest = logManifest,
            Kind = kind,
            SensorRef = sensorRef,
            SensorEntry = sensorEntry,
            DetectorRef = RefField(described, "detector"),
            ClockRef = clockRef,
            SegmentDurationNs = Int64Field(logManifest ?? manifest, "segment_duration_ns"),
            Sealed = File.Exists(Path.Combine(logDir, LogData.SealedFileName)),
            HasLogManifest = logManifest is not null,
            Segments = segments,
            Notes = notes,
        };
    }

    /// <summary>The log kind a manifest declares, from the refs it carries (sensor, pose, time_transform, detection).</summary>
    public static string? KindOf(JsonObject manifest)
    {
        if (manifest.ContainsKey("detector")) return LogKind.Detection.Short();
        if (manifest.ContainsKey("from_frame")) return LogKind.Pose.Short();
        if (manifest.ContainsKey("from_clock")) return LogKind.TimeTransform.Short();
        if (manifest.ContainsKey("sensor")) return LogKind.Sensor.Short();
        return null;
    }

    private static string Short(this LogKind kind) => kind switch
    {
        LogKind.Sensor => "sensor",
        LogKind.Pose => "pose",
        LogKind.TimeTransform => "time_transform",
        _ => "detection",
    };

    private static JsonObject? ReadManifest(string path, List<string> notes)
    {
        if (!File.Exists(path)) return null;
        try
        {
            if (JsonText.Parse(File.ReadAllBytes(path)) is JsonObject o) return o;
            notes.Add($"{Path.GetFileName(path)} is not a JSON object");
        }
        catch (AukiException e)
        {
            notes.Add($"{Path.GetFileName(path)}: {e.Message}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            notes.Add($"{Path.GetFileName(path)} could not be read: {e.Message}");
        }
        return null;
    }

    private static long FileLength(string path)
    {
        try { return new FileInfo(path).Length; }
        catch (IOException) { return 0; }
    }

    internal static string? StringField(JsonObject? o, string key) =>
        o?[key] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    internal static long? Int64Field(JsonObject? o, string key) =>
        o?[key] is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue(out long n) ? n : null;

    internal static RegistryRef? RefField(JsonObject? o, string key)
    {
        if (o?[key] is not JsonObject r) return null;
        string? peer = StringField(r, "peer_id"), id = StringField(r, "id"), hash = StringField(r, "hash");
        return peer is null || id is null || hash is null ? null : new RegistryRef(peer, id, hash);
    }

    /// <summary>Registry entries by reference, read once each (missing or unreadable: null).</summary>
    internal sealed class RegistryCache(string root)
    {
        // Logs are described in parallel: one entry is loaded once even when two threads ask.
        private readonly System.Collections.Concurrent.ConcurrentDictionary<(RegistryKind, RegistryRef), Lazy<(byte[]? Bytes, JsonObject? Entry)>> _entries = new();

        public JsonObject? Entry(RegistryKind kind, RegistryRef reference) => Load(kind, reference).Entry;

        public byte[]? Bytes(RegistryKind kind, RegistryRef reference) => Load(kind, reference).Bytes;

        private (byte[]? Bytes, JsonObject? Entry) Load(RegistryKind kind, RegistryRef reference) =>
            _entries.GetOrAdd((kind, reference), key => new Lazy<(byte[]?, JsonObject?)>(() => Read(key.Item1, key.Item2))).Value;

        private (byte[]? Bytes, JsonObject? Entry) Read(RegistryKind kind, RegistryRef reference)
        {
            try
            {
                var bytes = RegistryStore.ReadBytes(root, kind, reference.PeerId, reference.Id, reference.Hash);
                if (bytes is null) return (null, null);
                var entry = JsonText.Parse(bytes) as JsonObject;
                _ = entry?.Count; // materialized here, so threads describing logs only ever read it
                return (bytes, entry);
            }
            catch (AukiException)
            {
                // Unreadable or not JSON: described as missing; `auki verify` says why.
                return (null, null);
            }
        }
    }
}
