namespace Auki.Logs;

public sealed partial class LogWriter
{
    /// <summary>
    /// The segments directory changed (a segment was created or evicted) since the last record:
    /// the next write into the file records the log again. Set off the append path (rollover,
    /// eviction), tested once per write of the buffer, never per append.
    /// </summary>
    private bool _recordAfterWrite;

    /// <summary>
    /// A record needs the totals of the segments that were on disk before this writer opened, which it
    /// scans once. On the write path (a rollover's first write, inside an append) a reopened long log
    /// would stall the append for seconds, so there a record is made only while at most this many are
    /// still unknown; otherwise it waits for <see cref="Close"/> (or a later write, once stats resolved them).
    /// </summary>
    private const int MaxScansForARecordOnTheWritePath = 64;

    /// <summary>Where this writer's records go, found at the first record (null until then).</summary>
    private Activity.WriterRecords.Targets? _recordTargets;

    /// <summary>
    /// Tell the activity index of every storage root holding this log what the log's segments hold
    /// now (<see cref="Activity.WriterRecords"/>), so the next query needs no rescan of it. Called
    /// after the first write into a new segment, after an eviction's next write, and at close; never
    /// per append. Best effort: a record that cannot be made or saved only leaves the query to rescan,
    /// as it would without one, and the writer never fails because of it.
    /// </summary>
    private void RecordExtent()
    {
        _recordAfterWrite = false;
        try
        {
            if (!Activity.WriterRecords.Wanted(Root, ref _recordTargets)) return;
            ResolveUnknownSegments();
            Activity.WriterRecords.Record(_recordTargets!, Snapshot());
        }
        catch (Exception e) when (LogErrors.IsIo(e) || e is AukiException)
        {
            // The index is a cache: without this record the next query rescans the log, as before.
        }
    }

    /// <summary>What the segments on disk hold, as this writer (the only one of the log) knows it.</summary>
    private WrittenSegments Snapshot()
    {
        int sealedCount = _ledger.Count;
        bool open = SegmentOpen && _current is not null;
        // Without an open segment, the newest on disk is the ledger's last (e.g. a log opened and closed without appends).
        int sealedEnd = open ? sealedCount : sealedCount - 1;
        long entries = 0, bytes = 0, first = 0, last = 0;
        for (int i = 0; i < sealedEnd; i++)
        {
            ref var r = ref _ledger[i];
            bytes += r.Bytes;
            if (r.Entries == 0) continue;
            if (entries == 0) first = r.FirstTimestampNs;
            entries += r.Entries;
            last = r.LastTimestampNs;
        }
        var sealedTotals = new WrittenSegments.Totals(entries, first, last, bytes);
        long sealedNewest = sealedEnd > 0 ? _ledger[sealedEnd - 1].Start : -1;
        if (open)
        {
            long written = _currentEntries - _bufferedEntries;
            return new WrittenSegments(_segmentsDir, sealedCount + 1, sealedTotals, sealedNewest, _currentStart,
                new WrittenSegments.Totals(written, _currentFirstTs, _writtenLastTs, _written));
        }
        if (sealedCount == 0) return new WrittenSegments(_segmentsDir, 0, sealedTotals, -1, -1, default);
        ref var latest = ref _ledger[sealedCount - 1];
        return new WrittenSegments(_segmentsDir, sealedCount, sealedTotals, sealedNewest, latest.Start,
            new WrittenSegments.Totals(latest.Entries, latest.FirstTimestampNs, latest.LastTimestampNs, latest.Bytes));
    }
}

/// <summary>
/// A log's segments as its writer knows them: <see cref="Count"/> files, the older ones'
/// <see cref="Sealed"/> totals (the newest of them starting at <see cref="SealedNewestStart"/>, -1
/// for none), and the newest's, starting at <see cref="NewestStart"/> (its <see cref="Totals.Bytes"/>
/// is the file's length).
/// </summary>
internal readonly record struct WrittenSegments(
    string SegmentsDir, int Count, WrittenSegments.Totals Sealed, long SealedNewestStart, long NewestStart, WrittenSegments.Totals Newest)
{
    /// <summary>Entries, first and last timestamps (0 without entries) and file bytes.</summary>
    internal readonly record struct Totals(long Entries, long First, long Last, long Bytes);
}
