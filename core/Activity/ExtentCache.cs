using System.Collections.Concurrent;
using Auki.Logs;
using Auki.Storage;

namespace Auki.Activity;

/// <summary>What a log's segments hold now: entry count, timeline extent, bytes, last write.</summary>
/// <param name="Entries">Complete entries over all segments.</param>
/// <param name="MinTimestampNs">First entry's timestamp (meaningless when <paramref name="Entries"/> is 0).</param>
/// <param name="MaxTimestampNs">Last entry's timestamp (meaningless when <paramref name="Entries"/> is 0).</param>
/// <param name="Bytes">Total size of the segment files.</param>
/// <param name="Segments">Number of segment files.</param>
/// <param name="LastWriteNs">Latest modification time of a segment file (Unix ns), null without segments.</param>
public readonly record struct LogSummary(long Entries, long MinTimestampNs, long MaxTimestampNs, long Bytes, int Segments, long? LastWriteNs)
{
    /// <summary>(min, max) entry timestamps, or null when the log holds no entries.</summary>
    public (long Min, long Max)? Extent => Entries > 0 ? (MinTimestampNs, MaxTimestampNs) : null;

    /// <summary>A log without segments.</summary>
    public static LogSummary Empty => new(0, 0, 0, 0, 0, null);
}

/// <summary>
/// A log's timeline extent read from its segments, kept per log in the storage root's
/// <see cref="ActivityIndex"/> (in this process and in <c>&lt;root&gt;/.activity_index</c>), so a
/// query costs two <c>stat</c> calls per log — the <c>segments/</c> directory and its newest segment
/// file — in a new process too.
/// </summary>
/// <remarks>
/// Why that is enough: a writer only ever appends to the newest segment (timestamps never go
/// back), and every other change — a new segment, eviction, torn-tail repair deleting the newest —
/// creates or removes a file and so changes the directory's mtime. A directory or newest segment
/// whose mtime was within <see cref="RacyMarginNs"/> of the clock when it was looked at is not
/// trusted (a change in the same timestamp tick would not move the mtime): such logs are looked at
/// again on the next call. Segment scans are kept per process by (length, mtime), so a re-listing
/// rescans only segments that changed.
/// </remarks>
public static class ExtentCache
{
    /// <summary>A listing is trusted only when the directory's mtime is older than this at listing time.</summary>
    public const long RacyMarginNs = 2_000_000_000;

    private const long RacyMarginTicks = RacyMarginNs / 100;

    /// <summary>Segment scans kept per process before the table is cleared.</summary>
    private const int MaxScans = 1 << 20;

    private readonly record struct Scan(long Length, long MtimeTicks, SegmentTotals Totals);

    private static readonly ConcurrentDictionary<string, Scan> Scans = new(StringComparer.Ordinal);

    /// <summary>(min, max) timestamps of the log at <paramref name="logDir"/>, or null when it holds no entries (kept in this process only).</summary>
    public static (long Min, long Max)? Of(string logDir) => Summarize(logDir).Extent;

    /// <summary>Entries, extent, size and last write of the log at <paramref name="logDir"/> (kept in this process only).</summary>
    public static LogSummary Summarize(string logDir) => Summarize(ActivityIndex.Unrooted, Path.GetFullPath(logDir), logDir);

    /// <summary>(min, max) timestamps of the recorded file <paramref name="fileId"/> of <paramref name="storageRoot"/>, or null when it holds no entries.</summary>
    public static (long Min, long Max)? Of(string storageRoot, string fileId) => Summarize(storageRoot, fileId).Extent;

    /// <summary>Entries, extent, size and last write of the recorded file <paramref name="fileId"/>, through the root's index.</summary>
    public static LogSummary Summarize(string storageRoot, string fileId) =>
        Summarize(ActivityIndex.For(storageRoot), fileId, StorageLayout.FileDirectory(storageRoot, fileId));

    /// <summary>
    /// Forget everything this process holds, the roots' index records included (their files stay):
    /// the next call starts as a new process would. Tests and benchmarks measure cold calls with it.
    /// </summary>
    public static void Clear()
    {
        Scans.Clear();
        ActivityIndex.ForgetAll();
    }

    internal static LogSummary Summarize(ActivityIndex index, string key, string logDir)
    {
        string segmentsDir = Path.Combine(logDir, SegmentFormat.SegmentsDirectoryName);
        var dir = new DirectoryInfo(segmentsDir);
        if (!dir.Exists)
        {
            index.Remove(key);
            return LogSummary.Empty;
        }
        long dirMtime = dir.LastWriteTimeUtc.Ticks;
        if (index.Extent(key) is { } known && known.DirMtimeTicks == dirMtime && (known.DirTrusted || SameSegmentNames(dir, ref known)))
        {
            bool nowTrusted = known.DirTrusted && index.Extent(key) is { DirTrusted: false };
            if (known.Segments == 0)
            {
                if (nowTrusted) index.SetExtent(key, known, rescanned: false);
                return known.Summary;
            }
            var newest = new FileInfo(SegmentDirectory.SegmentPath(segmentsDir, known.NewestStart));
            if (newest.Exists)
            {
                long length = newest.Length, mtime = newest.LastWriteTimeUtc.Ticks;
                if (known.NewestTrusted && length == known.NewestLength && mtime == known.NewestMtimeTicks)
                {
                    if (nowTrusted) index.SetExtent(key, known, rescanned: false);
                    return known.Summary;
                }
                // The newest segment grew (or was looked at too soon after a write): rescan it alone.
                var again = known with
                {
                    NewestLength = length,
                    NewestMtimeTicks = mtime,
                    NewestTrusted = IsSettled(mtime),
                    Newest = ScanNewest(newest.FullName, length),
                };
                index.SetExtent(key, again, rescanned: false);
                return again.Summary;
            }
        }
        var listed = List(dir, dirMtime);
        index.SetExtent(key, listed, rescanned: true);
        return listed.Summary;
    }

    /// <summary>
    /// A record whose directory key was taken too soon after a change (a writer's record right
    /// after its rollover, a listing during one) is checked by the segment names instead of a
    /// rescan: segments are only ever added after the newest and removed whole, and a sealed one
    /// never changes, so the same count and newest start mean the same sealed segments (the newest
    /// is checked by its own keys next). The record is trusted from then on when the directory's
    /// mtime has settled meanwhile.
    /// </summary>
    private static bool SameSegmentNames(DirectoryInfo dir, ref IndexedExtent known)
    {
        bool settled = IsSettled(known.DirMtimeTicks); // judged before listing, as List does
        int count = 0;
        long newest = long.MinValue;
        try
        {
            foreach (string name in Directory.EnumerateFiles(dir.FullName, "*.seg"))
            {
                if (!SegmentFormat.TryParseFileName(Path.GetFileName(name), out long start)) continue;
                count++;
                newest = Math.Max(newest, start);
            }
        }
        catch (DirectoryNotFoundException) { return false; }
        s_nameChecks++;
        if (count != known.Segments || (count > 0 && newest != known.NewestStart)) return false;
        known = known with { DirTrusted = settled };
        return true;
    }

    // Per thread (a query runs on its caller's thread), so a test counts its own queries' work only.
    [ThreadStatic] private static long s_listings;
    [ThreadStatic] private static long s_segmentScans;
    [ThreadStatic] private static long s_nameChecks;

    /// <summary>Logs listed and scanned (not answered from their record) on this thread: the tests' view of "rescanned".</summary>
    internal static long Listings => s_listings;

    /// <summary>Segment files read (any log's, the newest included) on this thread.</summary>
    internal static long SegmentScans => s_segmentScans;

    /// <summary>Records checked by their segment names (<see cref="SameSegmentNames"/>) on this thread.</summary>
    internal static long NameChecks => s_nameChecks;

    /// <summary>True when a file last changed at <paramref name="mtimeTicks"/> is old enough for its stat keys to be trusted.</summary>
    internal static bool IsSettled(long mtimeTicks) => DateTime.UtcNow.Ticks - mtimeTicks > RacyMarginTicks;

    private static IndexedExtent List(DirectoryInfo dir, long dirMtimeTicks)
    {
        s_listings++;
        bool trusted = IsSettled(dirMtimeTicks); // judged before listing: a change during it moves the mtime past this one
        var segments = new List<(long Start, FileInfo Info)>();
        try
        {
            foreach (var info in dir.EnumerateFiles("*.seg"))
                if (SegmentFormat.TryParseFileName(info.Name, out long start)) segments.Add((start, info));
        }
        catch (DirectoryNotFoundException) { } // the log was removed meanwhile
        if (segments.Count == 0) return IndexedExtent.NoSegments(dirMtimeTicks, trusted);
        segments.Sort((a, b) => a.Start.CompareTo(b.Start));
        var sealedTotals = SegmentTotals.None;
        long sealedLastWrite = long.MinValue;
        int present = 0;
        for (int i = 0; i < segments.Count - 1; i++)
        {
            if (ScanSealed(segments[i].Info) is not { } scan) continue; // evicted while we looked
            sealedTotals = sealedTotals.Then(scan.Totals);
            sealedLastWrite = Math.Max(sealedLastWrite, scan.MtimeTicks);
            present++;
        }
        var (newestStart, newestInfo) = segments[^1];
        long length, mtime;
        SegmentTotals newestTotals;
        try
        {
            length = newestInfo.Length;
            mtime = newestInfo.LastWriteTimeUtc.Ticks;
            newestTotals = ScanNewest(newestInfo.FullName, length);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            // Deleted while we looked (torn-tail repair, the whole log removed): the directory's mtime moved, so this is redone next time.
            return new IndexedExtent(dirMtimeTicks, false, present, newestStart, -1, long.MinValue, false, sealedTotals, sealedLastWrite, SegmentTotals.None);
        }
        return new IndexedExtent(dirMtimeTicks, trusted, present + 1, newestStart, length, mtime, IsSettled(mtime),
            sealedTotals, sealedLastWrite, newestTotals);
    }

    private static Scan? ScanSealed(FileInfo info)
    {
        long length, mtime;
        try
        {
            length = info.Length;
            mtime = info.LastWriteTimeUtc.Ticks;
            if (Scans.TryGetValue(info.FullName, out var known) && known.Length == length && known.MtimeTicks == mtime) return known;
            var scan = new Scan(length, mtime, ScanFile(info.FullName, length));
            if (Scans.Count >= MaxScans) Scans.Clear();
            Scans[info.FullName] = scan;
            return scan;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    // The newest is never kept in Scans: it is the one segment that grows, and its record holds its scan.
    private static SegmentTotals ScanNewest(string path, long length) => ScanFile(path, length);

    private static SegmentTotals ScanFile(string path, long statLength)
    {
        s_segmentScans++;
        var report = SegmentScanner.Scan(path, verifyAllChecksums: false);
        // Entries are non-decreasing within a log (the writer's rule), so first/last are min/max.
        // Bytes are the length the file was stat'ed at, the one its record is verified by.
        return report.Entries == 0
            ? new SegmentTotals(0, 0, 0, statLength)
            : new SegmentTotals(report.Entries, report.FirstTimestampNs ?? 0, report.LastTimestampNs ?? 0, statLength);
    }
}
