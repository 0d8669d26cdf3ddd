namespace Auki.Logs;

/// <summary>
/// Size and time span of a log, for catalogs. <see cref="Bytes"/> is the total size of the
/// segment files on disk (headers, entry headers, payloads, and any torn tail); the other fields
/// count complete entries only.
/// </summary>
/// <param name="Bytes">Total bytes of all segment files.</param>
/// <param name="Entries">Number of complete entries.</param>
/// <param name="FirstTimestampNs">Timestamp of the first entry (first segment, file order); null for an empty log.</param>
/// <param name="LastTimestampNs">Timestamp of the last entry (last segment, file order); null for an empty log.</param>
public readonly record struct LogStats(long Bytes, long Entries, long? FirstTimestampNs, long? LastTimestampNs)
{
    /// <summary>Last minus first timestamp; 0 when the log has fewer than two entries.</summary>
    public long DurationNs => Entries >= 2 && FirstTimestampNs is long first && LastTimestampNs is long last ? last - first : 0;

    /// <summary>
    /// Stats of the log at <paramref name="root"/> from entry headers alone (payloads are skipped,
    /// checksums not verified except a v2 segment's last entry), so the cost grows with the
    /// number of entries, not their size. Needs no manifest and takes no lock; a segment evicted
    /// during the scan is left out. A segment that is not ours is a Corrupt error.
    /// </summary>
    public static LogStats Compute(string root)
    {
        LogErrors.RequireRoot(root);
        try
        {
            string segmentsDir = SegmentDirectory.SegmentsPath(root);
            // Segments other than the newest never change: their totals come from the index after the first scan.
            var index = SegmentIndex.For(segmentsDir);
            var starts = index.Starts();
            var totals = index.SealedTotals(starts);
            if (starts.Length > 0 && index.SummaryOf(starts[^1], isNewest: true) is { } newest) totals = totals.Then(newest);
            // What was scanned here is kept for the next process too (a sidecar, when enough was new).
            index.Persist();
            return new LogStats(totals.Bytes, totals.Entries, totals.FirstTimestampNs, totals.LastTimestampNs);
        }
        catch (Exception e) when (LogErrors.IsIo(e))
        {
            throw LogErrors.Io(e);
        }
    }

    /// <summary>
    /// Turns a scan's header problems into the reader's errors; false for a file that vanished
    /// (evicted) so the caller skips it.
    /// </summary>
    internal static bool ThrowOnHeaderProblem(SegmentScanReport report)
    {
        foreach (var problem in report.Problems)
        {
            switch (problem.Kind)
            {
                case SegmentProblemKind.BadMagic:
                case SegmentProblemKind.UnsupportedVersion:
                    throw LogErrors.Corrupt(problem.Message);
                case SegmentProblemKind.Unreadable:
                    if (!File.Exists(report.Path)) return false;
                    throw LogErrors.Io(problem.Message);
            }
        }
        return true;
    }
}
