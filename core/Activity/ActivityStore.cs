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
        if (string.IsNullOrEmpty(storageRoot)) throw AukiException.Invalid("storage_root must not be empty");
        StorageRoot = storageRoot;
        Directory = Path.Combine(storageRoot, "activity_sessions");
    }

    /// <summary>The storage root the recorded logs live under.</summary>
    public string StorageRoot { get; }

    /// <summary>Where the session documents live.</summary>
    public string Directory { get; }

    /// <summary>
    /// Who changes things (<c>created_by</c>/<c>modified_by</c>): the OS account running the
    /// process, as Roboto records the calling user; <c>uid:&lt;n&gt;</c>-less systems give "unknown".
    /// </summary>
    public string Actor { get; init; } = DefaultActor();

    // ---- create, read, list ----------------------------------------------------------------

    /// <summary>Create a session for zero or more devices (each must be a known peer).</summary>
    public ActivitySession Create(string? name, IReadOnlyList<string> deviceIds) =>
        Create(new SessionCreate(name, deviceIds, null, MetadataChangeset.Empty));

    /// <summary>
    /// Create a session (Roboto's <c>Session.create</c>): name, devices (each a known peer),
    /// description, tags and metadata (dot-notation keys make nested objects). Everything is
    /// checked before the document is written.
    /// </summary>
    public ActivitySession Create(SessionCreate request)
    {
        ActivitySession.ValidateName(request.Name);
        request.Attributes.Validate();
        var devices = new List<string>();
        foreach (var d in request.DeviceIds)
        {
            RequireKnownPeer(d);
            if (!devices.Contains(d)) devices.Add(d);
        }
        long now = NowNs();
        var session = new ActivitySession(IdPrefix + NextUlid(), request.Name, devices, [], now, Actor, now, Actor)
        {
            Description = request.Description,
            Tags = request.Attributes.ApplyTags([]),
            Metadata = request.Attributes.ApplyMetadata(new JsonObject()),
        };
        Save(session);
        return session;
    }

    /// <summary>
    /// Forget what this process keeps to answer queries quickly — parsed session documents, log
    /// extents and owners (the storage roots' <c>.activity_index</c> files stay) — so the next query
    /// costs what it costs a new process. Benchmarks measure cold calls with it.
    /// </summary>
    public static void ClearCaches()
    {
        SessionDocuments.Clear();
        ExtentCache.Clear();
    }

    /// <summary>The session with this id; NotFound otherwise.</summary>
    public ActivitySession Get(string sessionId)
    {
        return SessionDocuments.Read(DocumentPath(sessionId), sessionId) ?? throw NotFound(sessionId);
    }

    /// <summary>
    /// Every session of the store, oldest first: ids are ULIDs, monotonic within a process (two
    /// processes creating sessions in the same millisecond may interleave either way).
    /// </summary>
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

    /// <summary>
    /// One page of <see cref="All"/> (or of <see cref="ForDevice"/> when <paramref name="deviceId"/>
    /// is given): up to <paramref name="limit"/> sessions (0 = all) after <paramref name="pageToken"/>.
    /// </summary>
    public Page<ActivitySession> ListSessions(string? deviceId, string? pageToken, int limit) =>
        ListSessions(deviceId is null ? null : s => s.DeviceIds.Contains(deviceId), pageToken, limit, "list_sessions");

    /// <summary>
    /// One page of the sessions <paramref name="query"/> matches (by device, time overlap, tags,
    /// metadata fields), oldest first, paged as <see cref="ListSessions(string?, string?, int)"/>.
    /// </summary>
    public Page<ActivitySession> Search(SessionQuery query, string? pageToken, int limit) =>
        ListSessions(s => query.Matches(s, () => Bounds(s)), pageToken, limit, "search");

    private Page<ActivitySession> ListSessions(Func<ActivitySession, bool>? filter, string? pageToken, int limit, string listing)
    {
        CheckLimit(limit);
        string? after = PageToken.Key(pageToken, listing, IsSessionId);
        var items = new List<ActivitySession>();
        if (!System.IO.Directory.Exists(Directory)) return new Page<ActivitySession>(items, null);
        var ids = System.IO.Directory.EnumerateFiles(Directory, IdPrefix + "*.json")
            .Select(p => Path.GetFileNameWithoutExtension(p))
            .Where(id => after is null || string.CompareOrdinal(id, after) > 0)
            .Order(StringComparer.Ordinal);
        foreach (var id in ids)
        {
            ActivitySession s;
            try { s = Get(id); }
            catch (AukiException e) when (e.Code == AukiErrorCode.NotFound) { continue; } // deleted meanwhile
            if (filter is not null && !filter(s)) continue;
            if (limit > 0 && items.Count == limit) return new Page<ActivitySession>(items, items[^1].SessionId);
            items.Add(s);
        }
        return new Page<ActivitySession>(items, null);
    }

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
            // One lookup per added file: a fleet-sized session of n files and an add of m cost n + m, not n × m.
            var index = new Dictionary<string, int>(held.Count, StringComparer.Ordinal);
            for (int k = 0; k < held.Count; k++) index[held[k].File.FileId] = k;
            bool changed = false;
            foreach (var f in files)
            {
                int i = index.TryGetValue(f.FileId, out int at) ? at : -1;
                if (i >= 0 && held[i].File == f) continue; // resent as held: nothing to change
                // A re-added file keeps when and by whom it joined, and its own offset; only the window changes.
                var c = i >= 0 ? held[i] with { File = f } : new Contribution(f, now, Actor);
                if (i >= 0) held[i] = c;
                else
                {
                    index[f.FileId] = held.Count;
                    held.Add(c);
                }
                changed = true;
            }
            return changed ? s with { Files = held } : s;
        });
    }

    /// <summary>Add every log of one boot session (a peer-born session's <c>&lt;id&gt;/logs/**</c>) as whole files.</summary>
    public ActivitySession AddRecording(string sessionId, string bootSessionId)
    {
        var files = FilesOfRecording(bootSessionId).Select(f => new SessionFile(f.FileId)).ToList();
        if (files.Count == 0) throw AukiException.NotFound($"unknown recording \"{bootSessionId}\": no logs under {StorageLayout.RecordingLogs(StorageRoot, bootSessionId)}");
        return AddFiles(sessionId, files);
    }

    /// <summary>
    /// Remove held files. With <paramref name="strict"/> (remove_file) a file that is not held is
    /// NotFound and nothing changes; without it (remove_files) such ids are skipped.
    /// </summary>
    public ActivitySession RemoveFiles(string sessionId, IReadOnlyList<string> fileIds, bool strict) =>
        RemoveFiles(sessionId, fileIds, strict, out _);

    /// <summary>As <see cref="RemoveFiles(string, IReadOnlyList{string}, bool)"/>, also reporting the ids that were not held (in call order).</summary>
    public ActivitySession RemoveFiles(string sessionId, IReadOnlyList<string> fileIds, bool strict, out IReadOnlyList<string> skipped)
    {
        foreach (var id in fileIds)
            if (string.IsNullOrEmpty(id)) throw AukiException.Invalid("file id must not be empty");
        var notHeld = new List<string>();
        var result = Change(sessionId, s =>
        {
            var held = new HashSet<string>(s.Files.Select(c => c.File.FileId), StringComparer.Ordinal);
            notHeld.Clear();
            foreach (var id in fileIds)
            {
                if (held.Contains(id)) continue;
                if (strict) throw AukiException.NotFound($"file \"{id}\" is not part of session {sessionId}");
                if (!notHeld.Contains(id)) notHeld.Add(id);
            }
            var remove = new HashSet<string>(fileIds, StringComparer.Ordinal);
            return notHeld.Count == remove.Count ? s : s with { Files = s.Files.Where(c => !remove.Contains(c.File.FileId)).ToList() };
        });
        skipped = notHeld;
        return result;
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
        Change(sessionId, s => s.DeviceIds.Contains(deviceId) ? s with { DeviceIds = s.DeviceIds.Where(d => d != deviceId).ToList() } : s);

    /// <summary>Rename (null clears the name); the same name again changes nothing.</summary>
    public ActivitySession Rename(string sessionId, string? name) => Update(sessionId, new SessionUpdate { SetName = true, Name = name });

    /// <summary>
    /// Apply an update (Roboto's <c>SessionUpdate</c>): name, description, tags and metadata, in
    /// one read-modify-write under the session's lock, so two processes putting tags at once both
    /// land. An update that changes nothing writes nothing (and keeps <c>modified</c>).
    /// </summary>
    public ActivitySession Update(string sessionId, SessionUpdate update)
    {
        ActivitySession.ValidateName(update.Name);
        update.Changeset.Validate();
        return Change(sessionId, s =>
        {
            var next = s;
            if (update.SetName && s.Name != update.Name) next = next with { Name = update.Name };
            if (update.SetDescription && s.Description != update.Description) next = next with { Description = update.Description };
            if (update.Changeset.Changes(s.Tags, s.Metadata))
                next = next with { Tags = update.Changeset.ApplyTags(s.Tags), Metadata = update.Changeset.ApplyMetadata(s.Metadata) };
            return next;
        });
    }

    // ---- timeline offsets ----------------------------------------------------------------------

    /// <summary>
    /// Set (a value) or clear (null) the Unix-epoch offset of one held file's contribution
    /// (Roboto's <c>set_unix_offset</c>): session time = file time + offset, in bounds and reads.
    /// NotFound when the session does not hold the file.
    /// </summary>
    public ActivitySession SetFileUnixOffset(string sessionId, string fileId, long? offsetNs)
    {
        RecordedFile.ParseId(fileId);
        CheckOffset(offsetNs);
        return Change(sessionId, s =>
        {
            int i = -1;
            for (int k = 0; k < s.Files.Count && i < 0; k++) if (s.Files[k].File.FileId == fileId) i = k;
            if (i < 0) throw AukiException.NotFound($"file \"{fileId}\" is not part of session {sessionId}");
            if (s.Files[i].UnixOffsetNs == offsetNs) return s;
            var files = s.Files.ToList();
            files[i] = files[i] with { UnixOffsetNs = offsetNs };
            return s with { Files = files };
        });
    }

    /// <summary>
    /// Set (a value) or clear (null) the Unix-epoch offset of a device (peer): it applies to every
    /// held file of that peer without an offset of its own. The device must be a known peer.
    /// </summary>
    public ActivitySession SetDeviceUnixOffset(string sessionId, string deviceId, long? offsetNs)
    {
        RequireKnownPeer(deviceId);
        CheckOffset(offsetNs);
        return Change(sessionId, s =>
        {
            bool has = s.DeviceOffsets.TryGetValue(deviceId, out long current);
            if (offsetNs is null ? !has : has && current == offsetNs) return s;
            var offsets = new SortedDictionary<string, long>((IDictionary<string, long>)s.DeviceOffsets, StringComparer.Ordinal);
            if (offsetNs is { } o) offsets[deviceId] = o; else offsets.Remove(deviceId);
            return s with { DeviceOffsets = offsets };
        });
    }

    /// <summary>
    /// The offset a time-transform log of the file's boot session suggests for it (from the file's
    /// clock to a UTC clock), or null when there is none; see <see cref="UnixOffsets"/>.
    /// </summary>
    public UnixOffsetSuggestion? DefaultFileUnixOffset(string fileId) => UnixOffsets.Suggest(StorageRoot, RecordedFile.Resolve(StorageRoot, fileId));

    /// <summary>The suggestion for a device: that of its first held file (by file id) that has one, or null.</summary>
    public UnixOffsetSuggestion? DefaultDeviceUnixOffset(ActivitySession session, string deviceId)
    {
        foreach (var c in session.Files.OrderBy(c => c.File.FileId, StringComparer.Ordinal))
        {
            RecordedFile file;
            try { file = RecordedFile.Resolve(StorageRoot, c.File.FileId); }
            catch (AukiException e) when (e.Code == AukiErrorCode.NotFound) { continue; }
            if (file.SourcePeerId == deviceId && UnixOffsets.Suggest(StorageRoot, file) is { } suggestion) return suggestion;
        }
        return null;
    }

    /// <summary>The offset applied to a held file: its own, else its device's, else 0.</summary>
    public long OffsetOf(ActivitySession session, Contribution contribution)
    {
        if (contribution.UnixOffsetNs is { } own) return own;
        if (session.DeviceOffsets.Count == 0) return 0;
        return session.OffsetOf(contribution, SourcePeerOf(contribution.File.FileId));
    }

    private string SourcePeerOf(string fileId)
    {
        try { return RecordedFile.Resolve(StorageRoot, fileId).SourcePeerId; }
        catch (AukiException e) when (e.Code == AukiErrorCode.NotFound)
        {
            var (parts, logs) = RecordedFile.ParseId(fileId); // the data is gone: the path still names its peer
            return parts[logs + 1];
        }
    }

    private static void CheckOffset(long? offsetNs)
    {
        if (offsetNs == long.MinValue) throw AukiException.Invalid($"unix_offset_ns must be > {long.MinValue}");
    }

    /// <summary>Delete the session and its links; recorded data and peers are never touched.</summary>
    public void Delete(string sessionId)
    {
        Get(sessionId);
        using (Lock(sessionId))
        {
            string path = DocumentPath(sessionId);
            if (!File.Exists(path)) throw NotFound(sessionId);
            IoErrors.Guard(() => File.Delete(path), "io: ");
            AtomicFile.FsyncDirectory(Directory);
            RemoveLock(sessionId);
        }
    }

    // ---- derived views -----------------------------------------------------------------------

    /// <summary>
    /// Aggregate bounds: per contribution its window, or else its file's extent; the session's
    /// min and max over the contributions that supply a time; both null when none does.
    /// </summary>
    public (long? Min, long? Max) Bounds(ActivitySession session)
    {
        ActivityIndex.For(StorageRoot).FoldJournal(); // what log writers recorded since the last query
        long? min = null, max = null;
        foreach (var c in session.Files)
        {
            var range = ContributionRange(session, c);
            if (range is null) continue;
            min = min is null ? range.Value.Min : Math.Min(min.Value, range.Value.Min);
            max = max is null ? range.Value.Max : Math.Max(max.Value, range.Value.Max);
        }
        ActivityIndex.For(StorageRoot).Persist();
        return (min, max);
    }

    /// <summary><see cref="Bounds"/> as <c>{"min_timestamp_ns", "max_timestamp_ns"}</c> (nulls when no contribution supplies a time).</summary>
    public JsonObject BoundsJson(ActivitySession session)
    {
        var (min, max) = Bounds(session);
        return new JsonObject { ["min_timestamp_ns"] = min, ["max_timestamp_ns"] = max };
    }

    /// <summary>The time a contribution supplies in session time: its window, else its file's extent, shifted by its offset.</summary>
    public (long Min, long Max)? ContributionRange(ActivitySession session, Contribution contribution)
    {
        if (ContributionRange(contribution.File) is not { } range) return null;
        long offset = OffsetOf(session, contribution);
        return (ActivityDataCursor.Shift(range.Min, offset), ActivityDataCursor.Shift(range.Max, offset));
    }

    /// <summary>The time a contribution supplies in its file's own time: its window, else its file's extent.</summary>
    public (long Min, long Max)? ContributionRange(SessionFile file)
    {
        if (file.IsWindowed) return (file.RangeMinTimestampNs!.Value, file.RangeMaxTimestampNs!.Value);
        return ExtentOf(file.FileId);
    }

    /// <summary>The extent of a held file from its data now, or null (no entries, or gone).</summary>
    public (long Min, long Max)? ExtentOf(string fileId) => ExtentCache.Of(StorageRoot, fileId);

    /// <summary>
    /// Topics of the session: each (peer, resource id) once, only when some contribution's own
    /// window overlaps that file's extent (a whole-file contribution overlaps when the file has
    /// data); ordered by name, then topic id.
    /// </summary>
    public IReadOnlyList<RecordedFile> Topics(ActivitySession session)
    {
        ActivityIndex.For(StorageRoot).FoldJournal();
        var byTopic = new Dictionary<string, RecordedFile>(StringComparer.Ordinal);
        foreach (var c in session.Files)
        {
            RecordedFile file;
            try { file = RecordedFile.Resolve(StorageRoot, c.File.FileId); }
            catch (AukiException e) when (e.Code == AukiErrorCode.NotFound) { continue; } // data removed since
            if (byTopic.ContainsKey(file.TopicId)) continue;
            var extent = ExtentCache.Of(StorageRoot, file.FileId);
            if (extent is null) continue;
            if (c.File.IsWindowed && (c.File.RangeMaxTimestampNs < extent.Value.Min || c.File.RangeMinTimestampNs > extent.Value.Max)) continue;
            byTopic[file.TopicId] = file;
        }
        ActivityIndex.For(StorageRoot).Persist();
        return byTopic.Values
            .OrderBy(f => f.TopicName, StringComparer.Ordinal)
            .ThenBy(f => f.TopicId, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>
    /// The topic a caller names: the one with this topic id, else the one with this name. NotFound
    /// when the session holds no data of it; InvalidArgument when several peers carry the name.
    /// </summary>
    public RecordedFile FindTopic(ActivitySession session, string topic)
    {
        if (string.IsNullOrEmpty(topic)) throw AukiException.Invalid("topic must not be empty");
        var byName = new List<RecordedFile>();
        foreach (var t in Topics(session))
        {
            if (t.TopicId == topic) return t;
            if (t.TopicName == topic) byName.Add(t);
        }
        if (byName.Count == 1) return byName[0];
        if (byName.Count > 1)
            throw AukiException.Invalid($"topic name \"{topic}\" is carried by several peers ({string.Join(", ", byName.Select(t => t.TopicId))}): pass a topic id");
        throw AukiException.NotFound($"topic \"{topic}\" has no data in session {session.SessionId}");
    }

    /// <summary>
    /// One page of <see cref="Topics"/>: up to <paramref name="limit"/> topics (0 = all) after
    /// <paramref name="pageToken"/>, in the same (name, topic id) order. The pages after the first
    /// are cut from the list the first page was (<see cref="TopicPages"/>) while the session's
    /// contributions stay the same, so paging through many topics costs each page its own items.
    /// </summary>
    public Page<RecordedFile> ListTopics(ActivitySession session, string? pageToken, int limit)
    {
        CheckLimit(limit);
        int start = 0;
        IReadOnlyList<RecordedFile> all;
        if (pageToken is not null)
        {
            var (name, id) = PageToken.ParsePair(pageToken, "list_topics");
            all = TopicPages.Continue(StorageRoot, session, pageToken) ?? Topics(session);
            // The first topic after the token: a binary search over the (name, id) order.
            int low = 0, high = all.Count;
            while (low < high)
            {
                int mid = low + (high - low) / 2;
                if (Compare(all[mid], name, id) <= 0) low = mid + 1;
                else high = mid;
            }
            start = low;
        }
        else
        {
            all = Topics(session);
        }
        int count = limit == 0 ? all.Count - start : Math.Min(limit, all.Count - start);
        var items = new List<RecordedFile>(count);
        for (int i = start; i < start + count; i++) items.Add(all[i]);
        string? next = start + count < all.Count ? PageToken.Pair(items[^1].TopicName, items[^1].TopicId) : null;
        if (next is not null) TopicPages.Keep(StorageRoot, session, next, all);
        return new Page<RecordedFile>(items, next);

        static int Compare(RecordedFile t, string name, string id)
        {
            int byName = string.CompareOrdinal(t.TopicName, name);
            return byName != 0 ? byName : string.CompareOrdinal(t.TopicId, id);
        }
    }

    /// <summary>
    /// One page of the session's files as listing views, ordered by file id: up to
    /// <paramref name="limit"/> (0 = all) after <paramref name="pageToken"/>. Projections are
    /// resolved now, only for the files of the page.
    /// </summary>
    public Page<SessionFileView> ListFiles(ActivitySession session, string? pageToken, int limit)
    {
        CheckLimit(limit);
        string? after = PageToken.Key(pageToken, "list_files", id => RecordedFile.IsValidId(id));
        var held = session.Files
            .Where(c => after is null || string.CompareOrdinal(c.File.FileId, after) > 0)
            .OrderBy(c => c.File.FileId, StringComparer.Ordinal)
            .ToList();
        int count = limit == 0 ? held.Count : Math.Min(limit, held.Count);
        ActivityIndex.For(StorageRoot).FoldJournal();
        var items = new List<SessionFileView>(count);
        foreach (var c in held.Take(count))
        {
            RecordedFile? file;
            try { file = RecordedFile.Resolve(StorageRoot, c.File.FileId); }
            catch (AukiException e) when (e.Code == AukiErrorCode.NotFound) { file = null; } // data removed since
            items.Add(new SessionFileView(c, file, file is null ? LogSummary.Empty : ExtentCache.Summarize(StorageRoot, file.FileId)));
        }
        ActivityIndex.For(StorageRoot).Persist();
        return new Page<SessionFileView>(items, count < held.Count ? items[^1].Contribution.File.FileId : null);
    }

    /// <summary>
    /// Entries of one topic (matched by topic id, else by name: same-named logs of several peers
    /// are read together) from every contributing file, each clipped to (its contribution window
    /// ∩ [start, end]), merged in timestamp order. NotFound when no held file carries the topic.
    /// </summary>
    public IEnumerable<LogEntry> GetData(ActivitySession session, string topic, long? startNs = null, long? endNs = null) =>
        Entries(OpenData(session, topic, startNs, endNs));

    /// <summary>The cursor behind <see cref="GetData"/>, with borrowed payload views (dispose it).</summary>
    public ActivityDataCursor OpenData(ActivitySession session, string topic, long? startNs = null, long? endNs = null) =>
        OpenData(session, topic, startNs, endNs, out _);

    /// <summary>
    /// One topic decoded into column batches (<see cref="ActivityTableReader"/>): the columns of
    /// its message type (or the raw <c>payload</c>) kept by Roboto's message-path filters. The
    /// type comes from the logs' manifests and sensor entries; same-named logs of several peers
    /// must carry the same type (InvalidArgument otherwise).
    /// </summary>
    public ActivityTableReader OpenTable(ActivitySession session, string topic, long? startNs, long? endNs,
        IReadOnlyList<string>? include, IReadOnlyList<string>? exclude)
    {
        var schema = SchemaOf(session, topic).Select(include, exclude);
        return new ActivityTableReader(OpenData(session, topic, startNs, endNs), schema);
    }

    /// <summary>Every column the topic's message type has (before any message-path filter).</summary>
    public Datatypes.PayloadSchema SchemaOf(ActivitySession session, string topic)
    {
        using var cursor = OpenData(session, topic, null, null, out var files);
        Google.Protobuf.Reflection.MessageDescriptor? type = null;
        string? typedBy = null;
        foreach (var file in files)
        {
            var t = Inspect.TypedLog.Of(Inspect.StoreWalker.Describe(StorageRoot, file.Directory, scanSegments: false)).Type;
            if (typedBy is not null && t != type)
                throw AukiException.Invalid($"topic \"{topic}\" joins logs of different types ({typedBy}: {type?.FullName ?? "raw bytes"}, {file.FileId}: {t?.FullName ?? "raw bytes"}): read them by topic id");
            type = t;
            typedBy = file.FileId;
        }
        return Datatypes.PayloadSchema.For(type);
    }

    private ActivityDataCursor OpenData(ActivitySession session, string topic, long? startNs, long? endNs, out List<RecordedFile> files)
    {
        if (string.IsNullOrEmpty(topic)) throw AukiException.Invalid("topic must not be empty");
        if (startNs > endNs) throw AukiException.Invalid($"start_ns ({startNs}) must be <= end_ns ({endNs})");
        var contributions = new List<(RecordedFile File, SessionFile Window, int Order, long Offset)>();
        for (int i = 0; i < session.Files.Count; i++)
        {
            var c = session.Files[i];
            RecordedFile file;
            try { file = RecordedFile.Resolve(StorageRoot, c.File.FileId); }
            catch (AukiException e) when (e.Code == AukiErrorCode.NotFound) { continue; }
            contributions.Add((file, c.File, i, session.OffsetOf(c, file.SourcePeerId)));
        }
        var matching = contributions.Where(c => c.File.TopicId == topic).ToList();
        if (matching.Count == 0) matching = contributions.Where(c => c.File.TopicName == topic).ToList();
        if (matching.Count == 0) throw AukiException.NotFound($"topic \"{topic}\" has no data in session {session.SessionId}");

        files = matching.Select(m => m.File).ToList();
        var sources = new List<ActivityDataCursor.Source>();
        foreach (var (file, window, order, offset) in matching)
        {
            if (ExtentCache.Of(StorageRoot, file.FileId) is not { } extent) continue;
            // The requested window is in session time; windows and extents are in the file's own time.
            long? start = startNs is { } s0 ? ActivityDataCursor.Shift(s0, -offset) : null;
            long? end = endNs is { } e0 ? ActivityDataCursor.Shift(e0, -offset) : null;
            long lo = Math.Max(extent.Min, Math.Max(window.RangeMinTimestampNs ?? long.MinValue, start ?? long.MinValue));
            long hi = Math.Min(window.RangeMaxTimestampNs ?? long.MaxValue, end ?? long.MaxValue);
            if (lo <= hi) sources.Add(new ActivityDataCursor.Source(file.Directory, lo, hi, order, offset));
        }
        return new ActivityDataCursor(sources);
    }

    /// <summary>Every recorded log of one boot session.</summary>
    public IEnumerable<RecordedFile> FilesOfRecording(string bootSessionId)
    {
        string logs = StorageLayout.RecordingLogs(StorageRoot, bootSessionId); // refuses an id that is not one path segment
        if (!System.IO.Directory.Exists(logs)) yield break;
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
        if (!PathId.IsValid(peerId, PathId.Form.Nested) || !PathId.IsValid(peerId, PathId.Form.Flattened)) return false;
        string seg = RegistryId.PathSegment(peerId);
        foreach (var kind in new[] { "sensors", "clocks", "frames", "detectors" })
            if (System.IO.Directory.Exists(Path.Combine(StorageRoot, "registries", kind, seg))) return true;
        if (System.IO.Directory.Exists(Path.Combine(StorageRoot, StorageLayout.LogsDirectoryName, peerId))) return true;
        if (!System.IO.Directory.Exists(StorageRoot)) return false;
        foreach (var dir in System.IO.Directory.EnumerateDirectories(StorageRoot))
            if (System.IO.Directory.Exists(Path.Combine(dir, StorageLayout.LogsDirectoryName, peerId))) return true;
        return false;
    }

    // ---- internals -----------------------------------------------------------------------------

    private void RequireKnownPeer(string deviceId)
    {
        // A device id is a peer id, not a path: "/tmp" or "../x" is refused as such, whatever exists there.
        PathId.Validate(deviceId, "device id", PathId.Form.Nested);
        PathId.Validate(deviceId, "device id", PathId.Form.Flattened);
        if (!IsKnownPeer(deviceId)) throw AukiException.NotFound($"unknown device \"{deviceId}\": no peer with that id in {StorageRoot}");
    }

    private ActivitySession Change(string sessionId, Func<ActivitySession, ActivitySession> change)
    {
        Get(sessionId); // an unknown id is NotFound before any lock file is made for it
        using var _ = Lock(sessionId);
        ActivitySession current;
        try { current = Get(sessionId); }
        catch (AukiException e) when (e.Code == AukiErrorCode.NotFound)
        {
            RemoveLock(sessionId); // deleted while we waited: leave nothing behind
            throw;
        }
        var next = change(current);
        if (ReferenceEquals(next, current)) return current;
        next = next with { ModifiedNs = Math.Max(NowNs(), current.ModifiedNs + 1), ModifiedBy = Actor };
        Save(next);
        return next;
    }

    private void Save(ActivitySession session) =>
        IoErrors.Guard(() => AtomicFile.Write(DocumentPath(session.SessionId), CanonicalJson.Serialize(session.ToJson())), "io: ");

    /// <summary>True for the form of an activity session id: <c>ss_</c> and a ULID (one path segment by construction).</summary>
    public static bool IsSessionId(string id) =>
        id.StartsWith(IdPrefix, StringComparison.Ordinal) && Ulid.IsValid(id[IdPrefix.Length..]);

    private string DocumentPath(string sessionId)
    {
        if (!IsSessionId(sessionId)) throw NotFound(sessionId);
        return Path.Combine(Directory, sessionId + ".json");
    }

    private string LockDirectory(string sessionId)
    {
        DocumentPath(sessionId); // validates the id before it names a directory
        return Path.Combine(Directory, ".locks", sessionId);
    }

    // The lock goes with its session: whoever still waits on it then finds no document, and ids are never reused.
    private void RemoveLock(string sessionId)
    {
        try { System.IO.Directory.Delete(LockDirectory(sessionId), recursive: true); }
        catch (IOException) { } // already gone, or held by a waiter: it finds no document either way
        catch (UnauthorizedAccessException) { } // a lock directory we may not remove changes no session
    }

    private IDisposable Lock(string sessionId)
    {
        string dir = LockDirectory(sessionId);
        var deadline = DateTime.UtcNow + LockTimeout;
        while (true)
        {
            try
            {
                IoErrors.Guard(() => System.IO.Directory.CreateDirectory(dir), "io: ");
                return WriterLock.Acquire(dir);
            }
            catch (DirectoryNotFoundException) when (DateTime.UtcNow < deadline) { } // deleted with its session meanwhile: retry, then Get says NotFound
            catch (AukiException e) when (e.Code == AukiErrorCode.Busy && DateTime.UtcNow < deadline) { Thread.Sleep(2); }
            catch (AukiException e) when (e.Code == AukiErrorCode.Busy)
            {
                throw AukiException.Timeout($"activity session {sessionId} is being changed by another process (waited {LockTimeout.TotalSeconds:0} s)");
            }
        }
    }

    private static readonly Lock IdGate = new();
    private static string _lastUlid = "";

    // ULID in its monotonic form: within one millisecond the next id is the last one plus one, so
    // ids created by this process sort in creation order.
    private static string NextUlid()
    {
        const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
        string next = Ulid.NewUlid();
        lock (IdGate)
        {
            if (string.CompareOrdinal(next, _lastUlid) <= 0)
            {
                var chars = _lastUlid.ToCharArray();
                int i = chars.Length - 1;
                while (i >= 10 && chars[i] == 'Z') chars[i--] = '0'; // carry through the random part only
                if (i < 10) return _lastUlid = next; // 2^80 ids in one millisecond: start afresh
                chars[i] = Alphabet[Alphabet.IndexOf(chars[i]) + 1];
                next = new string(chars);
            }
            return _lastUlid = next;
        }
    }

    private static AukiException NotFound(string sessionId) => AukiException.NotFound($"unknown activity session \"{sessionId}\"");

    private static long NowNs() => (DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) * 100;

    private static void CheckLimit(int limit)
    {
        if (limit < 0) throw AukiException.Invalid($"limit must be >= 0 (0 = everything), got {limit}");
    }


    private static IEnumerable<LogEntry> Entries(ActivityDataCursor cursor)
    {
        using (cursor)
            while (cursor.TryNext(out LogEntry entry)) yield return entry;
    }

    private static string DefaultActor()
    {
        try
        {
            string name = Environment.UserName;
            return string.IsNullOrEmpty(name) ? "unknown" : name;
        }
        catch (Exception e) when (e is InvalidOperationException or PlatformNotSupportedException) { return "unknown"; }
    }
}
