using Auki.Logs;

namespace Auki.Activity;

/// <summary>
/// The writer's side of <see cref="ActivityIndex"/>: a <see cref="LogWriter"/> reports what its
/// log's segments hold after the first write into a new segment (a rollover), after an eviction
/// and at close, and this turns it into the record a query would have made by rescanning the log,
/// with the stat keys the query verifies it by, and hands it to every storage root holding the log:
/// this process's index directly, other processes through the root's <see cref="ActivityJournal"/>.
/// </summary>
/// <remarks>
/// Why the record can be trusted as far as it is: the writer is the only one of its log
/// (<c>.writer.lock</c>) and knows its segments exactly. The newest segment only ever grows, so
/// its length alone names its contents (a later append changes it, a torn-tail cut only removes
/// bytes past what was written): the record's newest key is trusted even when it was taken in the
/// same clock tick as the write. The directory key follows the reader's racy rule
/// (<see cref="ExtentCache.RacyMarginNs"/>), since others may delete segments; an untrusted one costs
/// the next query a listing of the segment names, not a rescan (<see cref="ExtentCache"/>). The
/// stat check stays the source of truth: a record that is stale (the writer crashed before the next
/// one, another process changed the log) does not match the files and costs a rescan.
/// </remarks>
internal static class WriterRecords
{
    /// <summary>The (storage root, file id) pairs a writer's records go to, found once per writer.</summary>
    internal sealed class Targets(IReadOnlyList<(string Root, string FileId)> items)
    {
        public IReadOnlyList<(string Root, string FileId)> Items { get; } = items;
    }

    /// <summary>True when some root holding the log at <paramref name="logDir"/> keeps an index (found at the first call).</summary>
    public static bool Wanted(string logDir, ref Targets? targets)
    {
        targets ??= Find(logDir);
        return targets.Items.Count > 0;
    }

    /// <summary>
    /// Each ancestor of the log under which its path is a file id (<c>&lt;session&gt;/logs/&lt;peer&gt;/…</c>
    /// or <c>logs/&lt;peer&gt;/…</c>) and that has a journal or an index loaded in this process.
    /// </summary>
    private static Targets Find(string logDir)
    {
        var items = new List<(string, string)>();
        string full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(logDir));
        for (string? root = Path.GetDirectoryName(full); root is not null; root = Path.GetDirectoryName(root))
        {
            string fileId = Path.GetRelativePath(root, full).Replace(Path.DirectorySeparatorChar, '/');
            if (!RecordedFile.IsValidId(fileId)) continue;
            if (ActivityIndex.Loaded(root) is not null || File.Exists(ActivityJournal.PathFor(root))) items.Add((root, fileId));
        }
        return new Targets(items);
    }

    /// <summary>Record <paramref name="segments"/> in every target; IO errors reach the caller, which ignores them.</summary>
    public static void Record(Targets targets, WrittenSegments segments)
    {
        if (ExtentOf(segments) is not { } extent) return;
        foreach (var (root, fileId) in targets.Items)
        {
            ActivityIndex.Loaded(root)?.SetExtent(fileId, extent, rescanned: false);
            ActivityJournal.TryAppend(ActivityJournal.PathFor(root), fileId, new ActivityIndexFile.Entry(extent, null));
        }
    }

    /// <summary>The record a rescan would make now, or null when the files do not look as the writer says (then none is made).</summary>
    internal static IndexedExtent? ExtentOf(WrittenSegments s)
    {
        var dir = new DirectoryInfo(s.SegmentsDir);
        if (!dir.Exists) return null;
        long dirMtime = dir.LastWriteTimeUtc.Ticks;
        bool dirTrusted = ExtentCache.IsSettled(dirMtime);
        if (s.Count == 0) return IndexedExtent.NoSegments(dirMtime, dirTrusted);
        var newest = new FileInfo(SegmentDirectory.SegmentPath(s.SegmentsDir, s.NewestStart));
        if (!newest.Exists || newest.Length != s.Newest.Bytes) return null;
        long sealedLastWrite = long.MinValue;
        if (s.SealedNewestStart >= 0)
        {
            // Segments are written in order, so the newest sealed one was modified last.
            var sealedNewest = new FileInfo(SegmentDirectory.SegmentPath(s.SegmentsDir, s.SealedNewestStart));
            if (!sealedNewest.Exists) return null;
            sealedLastWrite = sealedNewest.LastWriteTimeUtc.Ticks;
        }
        return new IndexedExtent(dirMtime, dirTrusted, s.Count, s.NewestStart, newest.Length, newest.LastWriteTimeUtc.Ticks,
            NewestTrusted: true, Totals(s.Sealed), sealedLastWrite, Totals(s.Newest));
    }

    private static SegmentTotals Totals(WrittenSegments.Totals t) =>
        t.Entries == 0 ? new SegmentTotals(0, 0, 0, t.Bytes) : new SegmentTotals(t.Entries, t.First, t.Last, t.Bytes);
}
