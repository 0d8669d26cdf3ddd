using System.Text.Json.Nodes;
using Auki.Ids;
using Auki.Json;
using Auki.Logs;
using Auki.Storage;

namespace Auki.Activity;

/// <summary>
/// Activity sessions persisted under <c>&lt;root&gt;/activity_sessions/&lt;id&gt;.json</c>, one document
/// each, replaced atomically. Every change is a read-modify-write under a per-session
/// cross-process lock, validated completely before anything is written, so two processes
/// changing one session never lose an update and a refused call changes nothing.
/// </summary>
public sealed class ActivityStore
{
    /// <summary>Prefix of every activity session id.</summary>
    public const string IdPrefix = "ss_";

    private static readonly TimeSpan LockTimeout = TimeSpan.FromSeconds(10);

    /// <summary>A store over <paramref name="storageRoot"/> (the peers' storage root).</summary>
    public ActivityStore(string storageRoot)
    {
        StorageRoot = storageRoot;
        Directory = Path.Combine(storageRoot, "activity_sessions");
    }

    /// <summary>The storage root the recorded logs live under.</summary>
    public string StorageRoot { get; }

    /// <summary>Where the session documents live.</summary>
    public string Directory { get; }

    /// <summary>Who changes things: the OS user, as Roboto records the caller.</summary>
    public string Actor { get; init; } = Environment.UserName;

    // ---- create, read, list ----------------------------------------------------------------

    /// <summary>Create a session for zero or more devices (each must be a known peer).</summary>
    public ActivitySession Create(string? name, IReadOnlyList<string> deviceIds)
    {
        ActivitySession.ValidateName(name);
        var devices = new List<string>();
        foreach (var d in deviceIds)
        {
            RequireKnownPeer(d);
            if (!devices.Contains(d)) devices.Add(d);
        }
        long now = NowNs();
        var session = new ActivitySession(IdPrefix + Ulid.NewUlid(), name, devices, [], now, Actor, now, Actor);
        Save(session);
        return session;
    }

    /// <summary>The session with this id; NotFound otherwise.</summary>
    public ActivitySession Get(string sessionId)
    {
        string path = DocumentPath(sessionId);
        byte[] bytes;
        try { bytes = File.ReadAllBytes(path); }
        catch (FileNotFoundException) { throw NotFound(sessionId); }
        catch (DirectoryNotFoundException) { throw NotFound(sessionId); }
        catch (IOException e) { throw AukiException.Io("io: " + e.Message, e); }
        return ActivitySession.FromJson(JsonText.Parse(bytes), sessionId);
    }

    /// <summary>Every session of the store, oldest first (ids are ULID based).</summary>
    public IEnumerable<ActivitySession> All()
    {
        if (!System.IO.Directory.Exists(Directory)) yield break;
        var ids = System.IO.Directory.EnumerateFiles(Directory, IdPrefix + "*.json")
            .Select(p => Path.GetFileNameWithoutExtension(p)).Order(StringComparer.Ordinal).ToList();
        foreach (var id in ids)
        {
            ActivitySession? s;
            try { s = Get(id); }
            catch (AukiException e) when (e.Code == AukiErrorCode.NotFound) { s = null; } // deleted meanwhile
            if (s is not null) yield return s;
        }
    }

    /// <summary>Sessions attached to <paramref name="deviceId"/>.</summary>
    public IEnumerable<ActivitySession> ForDevice(string deviceId) => All().Where(s => s.DeviceIds.Contains(deviceId));

    // ---- composition -------------------------------------------------------------------------

    /// <summary>
    /// Add (or re-add, replacing the window of) files. All are validated first: a file named
    /// twice in the call, a bad window or an unknown file refuses the whole call.
    /// </summary>
    public ActivitySession AddFiles(string sessionId, IReadOnlyList<SessionFile> files)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var f in files)
        {
            f.Validate();
            if (!seen.Add(f.FileId)) throw AukiException.Invalid($"file \"{f.FileId}\" is named twice in one add_files call");
            RecordedFile.Resolve(StorageRoot, f.FileId);
        }
        return Change(sessionId, s =>
        {
            long now = NowNs();
            var held = s.Files.ToList();
            foreach (var f in files)
            {
                int i = held.FindIndex(c => c.File.FileId == f.FileId);
                var c = new Contribution(f, i >= 0 ? held[i].CreatedNs : now, i >= 0 ? held[i].CreatedBy : Actor);
                if (i >= 0) held[i] = c; else held.Add(c);
            }
            return s with { Files = held };
        });
    }

    /// <summary>Add every log of one boot session (a peer-born session's <c>&lt;id&gt;/logs/**</c>) as whole files.</summary>
    public ActivitySession AddRecording(string sessionId, string bootSessionId)
    {
        var files = FilesOfRecording(bootSessionId).Select(f => new SessionFile(f.FileId)).ToList();
        if (files.Count == 0) throw AukiException.NotFound($"unknown recording \"{bootSessionId}\": no logs under {Path.Combine(StorageRoot, bootSessionId, "logs")}");
        return AddFiles(sessionId, files);
    }

    /// <summary>
    /// Remove held files. With <paramref name="strict"/> (remove_file) a file that is not held is
    /// NotFound and nothing changes; without it (remove_files) such ids are skipped.
    /// </summary>
    public ActivitySession RemoveFiles(string sessionId, IReadOnlyList<string> fileIds, bool strict)
    {
        return Change(sessionId, s =>
        {
            if (strict)
                foreach (var id in fileIds)
                    if (!s.Files.Any(c => c.File.FileId == id))
                        throw AukiException.NotFound($"file \"{id}\" is not part of session {sessionId}");
            var remove = new HashSet<string>(fileIds, StringComparer.Ordinal);
            return s with { Files = s.Files.Where(c => !remove.Contains(c.File.FileId)).ToList() };
        });
    }

    // ---- devices, attributes, deletion --------------------------------------------------------

    /// <summary>Attach a known peer; attaching twice is a no-op.</summary>
    public ActivitySession AttachDevice(string sessionId, string deviceId)
    {
        RequireKnownPeer(deviceId);
        return Change(sessionId, s => s.DeviceIds.Contains(deviceId) ? s : s with { DeviceIds = [.. s.DeviceIds, deviceId] });
    }

    /// <summary>Detach a device; detaching one that is not attached is a no-op.</summary>
    public ActivitySession DetachDevice(string sessionId, string deviceId) =>
        Change(sessionId, s => s with { DeviceIds = s.DeviceIds.Where(d => d != deviceId).ToList() });

    /// <summary>Rename (null clears the name).</summary>
    public ActivitySession Rename(string sessionId, string? name)
    {
        ActivitySession.ValidateName(name);
        return Change(sessionId, s => s with { Name = name });
    }

    /// <summary>Delete the session and its links; recorded data and peers are never touched.</summary>
    public void Delete(string sessionId)
    {
        using var _ = Lock(sessionId);
        string path = DocumentPath(sessionId);
        if (!File.Exists(path)) throw NotFound(sessionId);
        IoErrors.Guard(() => File.Delete(path), "io: ");
        AtomicFile.FsyncDirectory(Directory);
    }

    // ---- derived views -----------------------------------------------------------------------

    /// <summary>
    /// Aggregate bounds: per contribution its window, or else its file's extent; the session's
    /// min and max over the contributions that supply a time; both null when none does.
    /// </summary>
    public (long? Min, long? Max) Bounds(ActivitySession session)
    {
        long? min = null, max = null;
        foreach (var c in session.Files)
        {
            var range = ContributionRange(c.File);
            if (range is null) continue;
            min = min is null ? range.Value.Min : Math.Min(min.Value, range.Value.Min);
            max = max is null ? range.Value.Max : Math.Max(max.Value, range.Value.Max);
        }
        return (min, max);
    }

    /// <summary>The time a contribution supplies: its window, else its file's extent.</summary>
    public (long Min, long Max)? ContributionRange(SessionFile file)
    {
        if (file.IsWindowed) return (file.RangeMinTimestampNs!.Value, file.RangeMaxTimestampNs!.Value);
        return ExtentOf(file.FileId);
    }

    /// <summary>The extent of a held file from its data now, or null (no entries, or gone).</summary>
    public (long Min, long Max)? ExtentOf(string fileId) =>
        ExtentCache.Of(Path.Combine(StorageRoot, Path.Combine(fileId.Split('/'))));

    /// <summary>
    /// Topics of the session: each (peer, resource id) once, only when some contribution's own
    /// window overlaps that file's extent (a whole-file contribution overlaps when the file has
    /// data); ordered by name, then topic id.
    /// </summary>
    public IReadOnlyList<RecordedFile> Topics(ActivitySession session)
    {
        var byTopic = new Dictionary<string, RecordedFile>(StringComparer.Ordinal);
        foreach (var c in session.Files)
        {
            RecordedFile file;
            try { file = RecordedFile.Resolve(StorageRoot, c.File.FileId); }
            catch (AukiException e) when (e.Code == AukiErrorCode.NotFound) { continue; } // data removed since
            if (byTopic.ContainsKey(file.TopicId)) continue;
            var extent = ExtentCache.Of(file.Directory);
            if (extent is null) continue;
            if (c.File.IsWindowed && (c.File.RangeMaxTimestampNs < extent.Value.Min || c.File.RangeMinTimestampNs > extent.Value.Max)) continue;
            byTopic[file.TopicId] = file;
        }
        return byTopic.Values
            .OrderBy(f => f.TopicName, StringComparer.Ordinal)
            .ThenBy(f => f.TopicId, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>
    /// Entries of one topic (matched by topic id, else by name) from every contributing file,
    /// each clipped to (its contribution window ∩ [start, end]), merged in timestamp order.
    /// </summary>
    public IEnumerable<LogEntry> GetData(ActivitySession session, string topic, long? startNs = null, long? endNs = null)
    {
        var contributions = new List<(RecordedFile File, SessionFile Window)>();
        foreach (var c in session.Files)
        {
            RecordedFile file;
            try { file = RecordedFile.Resolve(StorageRoot, c.File.FileId); }
            catch (AukiException e) when (e.Code == AukiErrorCode.NotFound) { continue; }
            contributions.Add((file, c.File));
        }
        var matching = contributions.Where(c => c.File.TopicId == topic).ToList();
        if (matching.Count == 0) matching = contributions.Where(c => c.File.TopicName == topic).ToList();
        if (matching.Count == 0) throw AukiException.NotFound($"topic \"{topic}\" has no data in session {session.SessionId}");

        var sources = new List<IEnumerator<LogEntry>>();
        foreach (var (file, window) in matching)
        {
            long? lo = Max(window.RangeMinTimestampNs, startNs);
            long? hi = Min(window.RangeMaxTimestampNs, endNs);
            if (lo > hi || !System.IO.Directory.Exists(Path.Combine(file.Directory, "segments"))) continue;
            sources.Add(LogReader.Open(file.Directory).Read(lo, hi).GetEnumerator());
        }
        return MergeByTimestamp(sources);
    }

    /// <summary>Every recorded log of one boot session.</summary>
    public IEnumerable<RecordedFile> FilesOfRecording(string bootSessionId)
    {
        string logs = Path.Combine(StorageRoot, bootSessionId, "logs");
        if (bootSessionId.Contains('/') || bootSessionId is "." or ".." || !System.IO.Directory.Exists(logs)) yield break;
        foreach (var dir in System.IO.Directory.EnumerateDirectories(logs, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            if (!RecordedFile.IsLogDirectory(dir)) continue;
            string rel = Path.GetRelativePath(StorageRoot, dir).Replace(Path.DirectorySeparatorChar, '/');
            yield return RecordedFile.Resolve(StorageRoot, rel);
        }
    }

    /// <summary>
    /// A peer is known when it left something in this store: registry entries or logs.
    /// </summary>
    public bool IsKnownPeer(string peerId)
    {
        if (string.IsNullOrEmpty(peerId) || peerId.Contains("..")) return false;
        string seg = RegistryId.PathSegment(peerId);
        foreach (var kind in new[] { "sensors", "clocks", "frames", "detectors" })
            if (System.IO.Directory.Exists(Path.Combine(StorageRoot, "registries", kind, seg))) return true;
        if (System.IO.Directory.Exists(Path.Combine(StorageRoot, "logs", peerId))) return true;
        if (!System.IO.Directory.Exists(StorageRoot)) return false;
        foreach (var dir in System.IO.Directory.EnumerateDirectories(StorageRoot))
            if (System.IO.Directory.Exists(Path.Combine(dir, "logs", peerId))) return true;
        return false;
    }

    // ---- internals -----------------------------------------------------------------------------

    private void RequireKnownPeer(string deviceId)
    {
        if (!IsKnownPeer(deviceId)) throw AukiException.NotFound($"unknown device \"{deviceId}\": no peer with that id in {StorageRoot}");
    }

    private ActivitySession Change(string sessionId, Func<ActivitySession, ActivitySession> change)
    {
        using var _ = Lock(sessionId);
        var current = Get(sessionId);
        var next = change(current);
        if (ReferenceEquals(next, current)) return current;
        next = next with { ModifiedNs = Math.Max(NowNs(), current.ModifiedNs + 1), ModifiedBy = Actor };
        Save(next);
        return next;
    }

    private void Save(ActivitySession session) =>
        IoErrors.Guard(() => AtomicFile.Write(DocumentPath(session.SessionId), CanonicalJson.Serialize(session.ToJson())), "io: ");

    private string DocumentPath(string sessionId)
    {
        if (!sessionId.StartsWith(IdPrefix, StringComparison.Ordinal) || !Ulid.IsValid(sessionId[IdPrefix.Length..]))
            throw NotFound(sessionId);
        return Path.Combine(Directory, sessionId + ".json");
    }

    private IDisposable Lock(string sessionId)
    {
        DocumentPath(sessionId); // validates the id before it names a directory
        string dir = Path.Combine(Directory, ".locks", sessionId);
        IoErrors.Guard(() => System.IO.Directory.CreateDirectory(dir), "io: ");
        var deadline = DateTime.UtcNow + LockTimeout;
        while (true)
        {
            try { return WriterLock.Acquire(dir); }
            catch (AukiException e) when (e.Code == AukiErrorCode.Busy && DateTime.UtcNow < deadline) { Thread.Sleep(2); }
            catch (AukiException e) when (e.Code == AukiErrorCode.Busy)
            {
                throw new AukiException(AukiErrorCode.Timeout, $"activity session {sessionId} is being changed by another process (waited {LockTimeout.TotalSeconds:0} s)");
            }
        }
    }

    private static AukiException NotFound(string sessionId) => AukiException.NotFound($"unknown activity session \"{sessionId}\"");

    private static long NowNs() => (DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) * 100;

    private static long? Max(long? a, long? b) => a is null ? b : b is null ? a : Math.Max(a.Value, b.Value);
    private static long? Min(long? a, long? b) => a is null ? b : b is null ? a : Math.Min(a.Value, b.Value);

    private static IEnumerable<LogEntry> MergeByTimestamp(List<IEnumerator<LogEntry>> sources)
    {
        // k-way merge; ties go to the earlier source so the order is deterministic.
        var queue = new PriorityQueue<int, (long, int)>();
        try
        {
            for (int i = 0; i < sources.Count; i++)
                if (sources[i].MoveNext()) queue.Enqueue(i, (sources[i].Current.TimestampNs, i));
            while (queue.TryDequeue(out int i, out _))
            {
                yield return sources[i].Current;
                if (sources[i].MoveNext()) queue.Enqueue(i, (sources[i].Current.TimestampNs, i));
            }
        }
        finally
        {
            foreach (var s in sources) s.Dispose();
        }
    }
}
