using System.Collections.Concurrent;

namespace Auki.Logs;

/// <summary>
/// What this process knows about one segments directory: its sorted segment starts, and the
/// totals of segments that are not the newest (those never change by the rules of FORMAT.md).
/// Kept fresh by one <c>stat</c> of the directory per call: creating or deleting a segment
/// changes the directory's mtime, and only then is the directory listed again. So reading a time
/// window, <c>log_info</c> and the catalog's counters cost O(1) system calls plus an O(log n) search
/// on a log that is not changing, instead of a listing (and a scan of every segment) per call.
/// </summary>
/// <remarks>
/// A listing is trusted only when the directory's mtime was at least <see cref="RacyMargin"/>
/// older than the moment the listing began: a change in the same clock tick as the last one would
/// not move the mtime, so a "racy" listing is taken again on the next call (git's racy-index
/// rule). A live log whose writer rolls over more often than that is listed on each call, as
/// before. Cached totals are checked against each file's length whenever the directory changed,
/// because the segment before a deleted newest one may be continued by a new writer.
/// </remarks>
internal sealed class SegmentIndex
{
    private static readonly TimeSpan RacyMargin = TimeSpan.FromSeconds(1);

    /// <summary>Directories indexed per process before the table is cleared (an analysis over a whole store opens many logs).</summary>
    private const int MaxIndexed = 8192;

    private static readonly ConcurrentDictionary<string, SegmentIndex> Indexed = new(StringComparer.Ordinal);

    /// <summary>Totals of one segment that is not the newest, and the file length they were measured at.</summary>
    internal readonly record struct Summary(long FileBytes, long Entries, long? FirstTimestampNs, long? LastTimestampNs);

    private readonly Lock _gate = new();
    private readonly string _segmentsDir;
    private long[] _starts = [];
    private DateTime _listedMtime = DateTime.MinValue;
    private bool _trusted;
    private bool _summariesChecked = true;
    private SegmentSummaries _summaries = new();

    /// <summary>Totals scanned since the sidecar was loaded or saved (see <see cref="Persist"/>).</summary>
    private int _unsaved;

    private SegmentIndex(string segmentsDir)
    {
        _segmentsDir = segmentsDir;
        // What an earlier process learned, if it left a sidecar: its totals are checked against the
        // files' lengths (as after any change of the directory) unless the directory is as it was
        // then, in which case its listing is used too and nothing is listed or scanned but the newest.
        // Then the sealed segments' sum is taken as the sidecar is read and its rows stay in the file
        // until a change of the directory needs them (CheckedSummaries): a new process's first
        // log_info of 36,000 segments neither builds nor faults in a table of them.
        if (SegmentIndexFile.TryLoadSummed(segmentsDir) is { StartsTrusted: true, SealedTotals: { } sealedTotals } summed
            && LastWriteTimeUtc(segmentsDir) is { } listedMtime && listedMtime.Ticks == summed.DirectoryMtimeTicks && IsSorted(summed.Starts))
        {
            _starts = summed.Starts;
            _listedMtime = listedMtime;
            _trusted = true;
            _summariesChecked = true;
            _summaries = SegmentSummaries.Deferred();
            _sealedTotalsOf = summed.Starts;
            _sealedTotals = sealedTotals;
            return;
        }
        if (SegmentIndexFile.TryLoad(segmentsDir) is not { } saved) return;
        _summaries = saved.Summaries;
        _summariesChecked = false;
        if (LastWriteTimeUtc(segmentsDir) is not { } mtime) return;
        if (saved.StartsTrusted && mtime.Ticks == saved.DirectoryMtimeTicks && IsSorted(saved.Starts))
        {
            _starts = saved.Starts;
            _listedMtime = mtime;
            _trusted = true;
            _summariesChecked = true;
        }
    }

    private static DateTime? LastWriteTimeUtc(string dir)
    {
        try
        {
            return Directory.GetLastWriteTimeUtc(dir);
        }
        catch (Exception e) when (LogErrors.IsIo(e))
        {
            return null;
        }
    }

    /// <summary>
    /// The totals, under the lock: rows left in the sidecar are read now (whatever sidecar is there:
    /// an earlier process may have rewritten it) and, like those of any sidecar of a changed
    /// directory, checked against the files' lengths before use.
    /// </summary>
    private SegmentSummaries CheckedSummaries()
    {
        if (_summaries.IsDeferred)
        {
            _summaries.Adopt(SegmentIndexFile.TryLoad(_segmentsDir)?.Summaries);
            _summariesChecked = false;
        }
        if (!_summariesChecked) CheckSummaries();
        return _summaries;
    }

    private static bool IsSorted(long[] starts)
    {
        for (int i = 1; i < starts.Length; i++)
            if (starts[i] <= starts[i - 1]) return false;
        return true;
    }

    /// <summary>
    /// Write the sidecar when enough was scanned since it was read or written (a scan of one new
    /// segment on a live log is cheaper than rewriting the totals of thousands): at least 64
    /// segments, or one in a hundred of the log's. Best effort (a read-only store keeps none).
    /// </summary>
    public void Persist()
    {
        SegmentIndexFile.Contents contents;
        lock (_gate)
        {
            if (_unsaved == 0 || (_unsaved < 64 && _unsaved * 100L < _starts.Length)) return;
            if (!_summariesChecked || _summaries.IsDeferred) return; // totals not yet checked against the files are not written back
            contents = new SegmentIndexFile.Contents(_trusted, _listedMtime.Ticks, _starts, _summaries.Copy());
            _unsaved = 0;
        }
        SegmentIndexFile.TrySave(_segmentsDir, contents);
    }

    /// <summary>The index of <paramref name="segmentsDir"/> (one per full path and process).</summary>
    public static SegmentIndex For(string segmentsDir)
    {
        string key = Path.GetFullPath(segmentsDir);
        if (Indexed.TryGetValue(key, out var index)) return index;
        if (Indexed.Count >= MaxIndexed) Indexed.Clear();
        return Indexed.GetOrAdd(key, static k => new SegmentIndex(k));
    }

    /// <summary>
    /// Drop what this process knows about <paramref name="segmentsDir"/>, so the next use starts as a
    /// new process would (from the sidecar, if any). For tests.
    /// </summary>
    internal static void Forget(string segmentsDir) => Indexed.TryRemove(Path.GetFullPath(segmentsDir), out _);

    /// <summary>The segment starts now, ascending (a snapshot: the array is never changed).</summary>
    public long[] Starts()
    {
        lock (_gate) return CurrentStarts();
    }

    /// <summary>
    /// Totals of the segment at <paramref name="start"/>: a quick scan the first time (and after it
    /// changed), remembered unless it is the newest, which is scanned on every call. Null when the
    /// segment was deleted meanwhile (evicted). Header problems throw as in <see cref="LogStats.Compute"/>.
    /// </summary>
    public Summary? SummaryOf(long start, bool isNewest)
    {
        lock (_gate)
        {
            if (isNewest) _summaries.Remove(start);
            else if (CheckedSummaries().TryGetValue(start, out var known)) return known;
        }
        var report = SegmentScanner.Scan(SegmentDirectory.SegmentPath(_segmentsDir, start), verifyAllChecksums: false, isLatest: isNewest);
        if (!LogStats.ThrowOnHeaderProblem(report)) return null;
        var measured = new Summary(report.FileBytes, report.Entries, report.FirstTimestampNs, report.LastTimestampNs);
        if (!isNewest)
        {
            lock (_gate)
            {
                _summaries.Set(start, measured);
                _unsaved++;
            }
        }
        return measured;
    }

    /// <summary>Totals of a run of segments (see <see cref="SealedTotals"/>).</summary>
    internal readonly record struct Totals(long Bytes, long Entries, long? FirstTimestampNs, long? LastTimestampNs)
    {
        public Totals Then(Summary s) => s.Entries == 0
            ? this with { Bytes = Bytes + s.FileBytes }
            : new Totals(Bytes + s.FileBytes, Entries + s.Entries, FirstTimestampNs ?? s.FirstTimestampNs, s.LastTimestampNs);
    }

    private long[]? _sealedTotalsOf;
    private Totals _sealedTotals;

    /// <summary>
    /// Totals of every segment of <paramref name="starts"/> (a snapshot from <see cref="Starts"/>) but
    /// the newest, in order; remembered for that snapshot, so asking again about a log that has not
    /// changed costs nothing per segment. Evicted segments count as absent.
    /// </summary>
    public Totals SealedTotals(long[] starts)
    {
        lock (_gate)
        {
            if (ReferenceEquals(_sealedTotalsOf, starts)) return _sealedTotals;
        }
        // Known totals are taken under one lock (a first call after a sidecar load meets 36,000 of
        // them, and sums them in one walk beside the sidecar's sorted rows); only the segments not
        // yet summarized are scanned, outside it, in order.
        int sealedCount = Math.Max(0, starts.Length - 1);
        Summary?[] known;
        lock (_gate)
        {
            var summaries = CheckedSummaries();
            if (summaries.TrySumInOrder(starts, sealedCount, out var allKnown))
            {
                _sealedTotalsOf = starts;
                _sealedTotals = allKnown;
                return allKnown;
            }
            known = new Summary?[sealedCount];
            for (int i = 0; i < known.Length; i++)
                if (summaries.TryGetValue(starts[i], out var s)) known[i] = s;
        }
        var totals = default(Totals);
        for (int i = 0; i < known.Length; i++)
            if ((known[i] ?? SummaryOf(starts[i], isNewest: false)) is { } s) totals = totals.Then(s);
        lock (_gate)
        {
            _sealedTotalsOf = starts;
            _sealedTotals = totals;
        }
        return totals;
    }

    private long[] CurrentStarts()
    {
        var mtime = Directory.GetLastWriteTimeUtc(_segmentsDir);
        if (_trusted && mtime == _listedMtime) return _starts;
        var listedAt = DateTime.UtcNow;
        var starts = SegmentDirectory.ListStarts(_segmentsDir).ToArray();
        // The mtime read before listing: a change during the listing shows up as a newer mtime next time.
        _trusted = mtime < listedAt - RacyMargin;
        if (mtime != _listedMtime) _summariesChecked = false;
        _listedMtime = mtime;
        _starts = starts;
        return starts;
    }

    /// <summary>After the directory changed: forget totals of segments that are gone or whose length moved.</summary>
    private void CheckSummaries()
    {
        _summariesChecked = true;
        var present = new HashSet<long>(_starts);
        var stale = new List<long>();
        foreach (var (start, summary) in _summaries.InOrder())
        {
            if (!present.Contains(start))
            {
                stale.Add(start);
                continue;
            }
            var file = new FileInfo(SegmentDirectory.SegmentPath(_segmentsDir, start));
            if (!file.Exists || file.Length != summary.FileBytes) stale.Add(start);
        }
        foreach (long start in stale) _summaries.Remove(start);
    }
}
