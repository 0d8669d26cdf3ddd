using System.Collections.Concurrent;

namespace Auki.Activity;

/// <summary>
/// The per-root index of what activity queries need of each recorded log: its extent
/// (<see cref="IndexedExtent"/>) and owner (<see cref="IndexedOwner"/>), keyed by file id, kept in
/// this process and in <c>&lt;root&gt;/.activity_index</c> (<see cref="ActivityIndexFile"/>), so the
/// bounds and topics of a session over thousands of logs cost a few <c>stat</c>s per log, in a new
/// process too, instead of a listing and a scan of every segment.
/// </summary>
/// <remarks>
/// Every record is verified by <see cref="ExtentCache"/> / <see cref="RecordedFile"/> against the
/// log's files before it is used, so a stale record (another process changed the log, the file is
/// old after a crash) costs a rescan of that log, never a wrong answer. The file is loaded at first
/// use in a process and saved (merged with what another process saved meanwhile, last writer wins)
/// after a query that rescanned enough logs to be worth it. Log writers do not rewrite it (a fleet's
/// writers would all serialize on one ~15 MB file): they append their records to the root's
/// <see cref="ActivityJournal"/> (<see cref="WriterRecords"/>), which every query folds in first
/// (<see cref="FoldJournal"/>: one open and read of what was appended since) and a save resets.
/// </remarks>
internal sealed class ActivityIndex
{
    private static readonly ConcurrentDictionary<string, ActivityIndex> Roots = new(StringComparer.Ordinal);

    /// <summary>Roots indexed per process before the table is cleared (each holds its logs' records).</summary>
    private const int MaxRoots = 64;

    /// <summary>Records of logs named by directory only (no storage root): kept in this process, never saved.</summary>
    public static readonly ActivityIndex Unrooted = new(null);

    private readonly string? _path;
    private readonly string? _journalPath;
    private readonly Lock _gate = new();
    private ActivityJournal.Cursor _journal;
    private ConcurrentDictionary<string, ActivityIndexFile.Entry>? _records;

    /// <summary>Records changed by a rescan (not by a grown newest segment: those are cheap to redo) since the last load or save.</summary>
    private int _unsaved;

    private ActivityIndex(string? path)
    {
        _path = path;
        _journalPath = path is null ? null : Path.Combine(Path.GetDirectoryName(path)!, ActivityJournal.FileName);
    }

    /// <summary>The index of <paramref name="storageRoot"/> (one per full path and process).</summary>
    public static ActivityIndex For(string storageRoot)
    {
        // Asked once per log of a query: an absolute root names itself, so the lookup skips normalizing it.
        if (Path.IsPathFullyQualified(storageRoot) && Roots.TryGetValue(storageRoot, out var same)) return same;
        string root = Path.GetFullPath(storageRoot);
        if (Roots.TryGetValue(root, out var index)) return index;
        if (Roots.Count >= MaxRoots) Roots.Clear();
        return Roots.GetOrAdd(root, static r => new ActivityIndex(ActivityIndexFile.PathFor(r)));
    }

    /// <summary>The index of <paramref name="storageRoot"/> when this process has loaded it, else null (nothing is loaded).</summary>
    public static ActivityIndex? Loaded(string storageRoot) =>
        Roots.TryGetValue(storageRoot, out var index) && index._records is not null ? index : null;

    /// <summary>Forget every record this process holds (the files stay): the next query starts as a new process would.</summary>
    public static void ForgetAll()
    {
        Roots.Clear();
        Unrooted.Records.Clear();
    }

    private ConcurrentDictionary<string, ActivityIndexFile.Entry> Records
    {
        get
        {
            if (_records is { } loaded) return loaded;
            lock (_gate)
            {
                if (_records is not null) return _records;
                var saved = _path is null ? null : ActivityIndexFile.TryLoad(_path);
                _records = saved is null
                    ? new ConcurrentDictionary<string, ActivityIndexFile.Entry>(StringComparer.Ordinal)
                    : new ConcurrentDictionary<string, ActivityIndexFile.Entry>(saved, StringComparer.Ordinal);
                FoldJournal();
                return _records;
            }
        }
    }

    /// <summary>
    /// Take in the records log writers appended to the root's journal since this process last
    /// looked (a query's first step): one open and read, however many logs the query holds. A
    /// writer's record replaces the one held unless that one describes a later state of the log.
    /// </summary>
    public void FoldJournal()
    {
        if (_journalPath is null) return;
        var records = Records;
        lock (_gate)
        {
            foreach (var (key, entry) in ActivityJournal.ReadNew(_journalPath, ref _journal))
            {
                if (entry.Extent is not { } written) continue;
                if (records.TryGetValue(key, out var held) && held.Extent is { } known && IsLater(known, written)) continue;
                SetExtent(key, written, rescanned: false);
            }
        }
    }

    /// <summary>True when <paramref name="a"/> was taken after <paramref name="b"/>: a log's newest segment and its length only grow.</summary>
    private static bool IsLater(IndexedExtent a, IndexedExtent b) =>
        a.NewestStart != b.NewestStart ? a.NewestStart > b.NewestStart
        : a.NewestLength != b.NewestLength ? a.NewestLength > b.NewestLength
        : a.DirMtimeTicks > b.DirMtimeTicks;

    public IndexedExtent? Extent(string key) => Records.TryGetValue(key, out var e) ? e.Extent : null;

    public IndexedOwner? Owner(string key) => Records.TryGetValue(key, out var e) ? e.Owner : null;

    /// <summary>Record a log's extent; <paramref name="rescanned"/> when it took more than a rescan of the newest segment.</summary>
    public void SetExtent(string key, IndexedExtent extent, bool rescanned)
    {
        Records.AddOrUpdate(key, static (_, x) => new ActivityIndexFile.Entry(x, null), static (_, old, x) => old with { Extent = x }, extent);
        if (rescanned) Interlocked.Increment(ref _unsaved);
    }

    public void SetOwner(string key, IndexedOwner owner)
    {
        Records.AddOrUpdate(key, static (_, o) => new ActivityIndexFile.Entry(null, o), static (_, old, o) => old with { Owner = o }, owner);
        Interlocked.Increment(ref _unsaved);
    }

    /// <summary>Forget a log whose data is gone.</summary>
    public void Remove(string key)
    {
        if (Records.TryRemove(key, out _)) Interlocked.Increment(ref _unsaved);
    }

    /// <summary>
    /// Save the records when enough changed since they were loaded or saved (at least 64 logs, or
    /// one in a hundred): one rewrite per query that did real work, none for a live log whose newest
    /// segment grew. Records another process saved meanwhile for logs this one does not hold are
    /// kept. Best effort (a read-only store keeps none).
    /// </summary>
    /// <remarks>
    /// A save also resets the root's journal (after folding in what it holds): the records are in
    /// the index file now. A journal past <see cref="ActivityJournal.CompactBytes"/> is a reason to save.
    /// </remarks>
    public void Persist()
    {
        if (_path is null || _records is not { } records) return;
        int unsaved = Volatile.Read(ref _unsaved);
        bool journalLong = _journal.Length > ActivityJournal.CompactBytes;
        if (!journalLong && (unsaved == 0 || (unsaved < 64 && unsaved * 100L < records.Count))) return;
        lock (_gate)
        {
            unsaved = Volatile.Read(ref _unsaved);
            if (unsaved == 0 && !journalLong) return;
            FoldJournal();
            var merged = new Dictionary<string, ActivityIndexFile.Entry>(records, StringComparer.Ordinal);
            if (ActivityIndexFile.TryLoad(_path) is { } onDisk)
                foreach (var (key, entry) in onDisk) merged.TryAdd(key, entry);
            if (!ActivityIndexFile.TrySave(_path, merged)) return;
            Interlocked.Add(ref _unsaved, -unsaved);
            // Records a writer appends between the fold above and this reset are lost: a rescan of those logs.
            if (ActivityJournal.TryReset(_journalPath!)) _journal = default;
        }
    }
}
