using Auki.Ids;
using Auki.Logs;

namespace Auki.Inspect;

/// <summary>
/// Discovery over a storage root, the one implementation behind <c>auki ls</c>, the C ABI's
/// <c>auki_store_*</c> and Python's <c>auki_data.Store</c>: the peers, boot sessions and logs it
/// holds (<see cref="StoreWalker"/> reads them), the logs one query selects, and the one log a
/// file id, a path or a <c>LogRef</c> names, ready to be read.
/// </summary>
public static class StoreIndex
{
    /// <summary>The logs <paramref name="query"/> selects, in listing order (peer, boot session, resource id).</summary>
    public static IReadOnlyList<StoreLog> Logs(string storageRoot, StoreQuery query)
    {
        var logs = StoreWalker.Logs(storageRoot, scanSegments: true, peerId: query.PeerId);
        return query == StoreQuery.All ? logs : logs.Where(query.Matches).ToList();
    }

    /// <summary>Every peer with its boot sessions.</summary>
    public static IReadOnlyList<StorePeer> Peers(string storageRoot) => StoreGroups.Peers(StoreWalker.Logs(storageRoot));

    /// <summary>The boot sessions of one peer (null: of every peer), in listing order.</summary>
    public static IReadOnlyList<StoreBootSession> BootSessions(string storageRoot, string? peerId) =>
        StoreGroups.Peers(Logs(storageRoot, new StoreQuery(PeerId: peerId))).SelectMany(p => p.BootSessions).ToList();

    /// <summary>
    /// The log <paramref name="log"/> names: a file id (<c>&lt;boot_session_id&gt;/logs/&lt;peer&gt;/&lt;resource_id&gt;</c>
    /// or <c>logs/&lt;peer&gt;/&lt;resource_id&gt;</c>), or a path to a log directory inside the root
    /// (absolute, or relative to the working directory). NotFound when no log is there.
    /// </summary>
    public static StoreLog Resolve(string storageRoot, string log)
    {
        if (!Directory.Exists(storageRoot)) throw AukiException.NotFound($"no such directory: {storageRoot}");
        if (string.IsNullOrEmpty(log)) throw AukiException.Invalid("log must not be empty").AtField("log");
        string? dir = null;
        if (!Path.IsPathRooted(log) && PathId.IsValid(log) && IsFileIdShape(log))
        {
            string candidate = Path.Combine(storageRoot, Path.Combine(log.Split('/')));
            if (StoreWalker.IsLogDirectory(candidate)) dir = candidate;
        }
        if (dir is null && StoreWalker.IsLogDirectory(log))
        {
            string full = Path.GetFullPath(log), rootFull = Path.GetFullPath(storageRoot);
            string rel = Path.GetRelativePath(rootFull, full);
            if (rel == ".." || rel.StartsWith(".." + Path.DirectorySeparatorChar, StringComparison.Ordinal) || Path.IsPathRooted(rel))
                throw AukiException.NotFound($"{log} is a log outside the storage root {storageRoot}");
            dir = Path.Combine(storageRoot, rel);
        }
        if (dir is null) throw AukiException.NotFound($"no log \"{log}\" under {storageRoot} (a file id or a log directory)");
        return StoreWalker.Describe(storageRoot, dir);
    }

    /// <summary>
    /// The log a <c>LogRef</c> names: the log of <paramref name="resourceId"/> owned by
    /// <paramref name="sourcePeerId"/>. A peer records one per boot session: with several, name the
    /// boot session (else InvalidArgument listing their file ids). NotFound when there is none.
    /// </summary>
    public static StoreLog Resolve(string storageRoot, string sourcePeerId, string resourceId, string? bootSessionId)
    {
        PathId.Validate(sourcePeerId, "source_peer_id");
        PathId.Validate(resourceId, "resource_id");
        var matches = StoreWalker.Logs(storageRoot, scanSegments: false)
            .Where(l => l.SourcePeerId == sourcePeerId && l.ResourceId == resourceId && (bootSessionId is null || l.BootSessionId == bootSessionId))
            .ToList();
        string named = $"LogRef(source_peer_id=\"{sourcePeerId}\", resource_id=\"{resourceId}\")" + (bootSessionId is null ? "" : $" in boot session {bootSessionId}");
        if (matches.Count == 0) throw AukiException.NotFound($"no log for {named} under {storageRoot}");
        if (matches.Count > 1)
            throw AukiException.Invalid($"{named} names {matches.Count} logs, one per boot session ({string.Join(", ", matches.Select(m => m.FileId))}): "
                + "name the boot session or pass a file id");
        return StoreWalker.Describe(storageRoot, matches[0].Directory);
    }

    /// <summary>A reader over <paramref name="log"/>'s entries in [start, end] (null = unbounded); null when it has no data plane yet.</summary>
    public static LogCursor? OpenCursor(StoreLog log, long? startNs, long? endNs) =>
        log.HasLogManifest ? LogReader.Open(log.Directory).OpenCursor(startNs, endNs) : null;

    /// <summary>Registry entry files under <c>registries/</c> (what <c>auki ls</c> counts).</summary>
    public static int RegistryEntryCount(string storageRoot)
    {
        string dir = Path.Combine(storageRoot, "registries");
        if (!Directory.Exists(dir)) return 0;
        int n = 0;
        foreach (var kind in Directory.EnumerateDirectories(dir))
            foreach (var peer in Directory.EnumerateDirectories(kind))
                foreach (var id in Directory.EnumerateDirectories(peer))
                    n += Directory.EnumerateFiles(id, "*.json").Count(f => !Path.GetFileName(f).StartsWith('.'));
        return n;
    }

    /// <summary>Activity session documents under <c>activity_sessions/</c>.</summary>
    public static int ActivitySessionCount(string storageRoot)
    {
        string dir = Path.Combine(storageRoot, "activity_sessions");
        return Directory.Exists(dir) ? Directory.EnumerateFiles(dir, "ss_*.json").Count() : 0;
    }

    /// <summary>The whole listing as compact JSON (what <c>auki ls --json</c> prints, unindented).</summary>
    public static byte[] ListingJson(string storageRoot)
    {
        var logs = StoreWalker.Logs(storageRoot);
        int registry = RegistryEntryCount(storageRoot), activity = ActivitySessionCount(storageRoot);
        return StoreJson.Compact(w => StoreJson.WriteListing(w, storageRoot, logs, registry, activity));
    }

    // <boot_session_id>/logs/<peer>/<rid…> or logs/<peer>/<rid…>
    private static bool IsFileIdShape(string id)
    {
        var parts = id.Split('/');
        int logs = parts[0] == "logs" ? 0 : parts.Length > 1 && parts[1] == "logs" ? 1 : -1;
        return logs >= 0 && parts.Length >= logs + 3;
    }
}
