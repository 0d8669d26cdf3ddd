using System.Collections.Concurrent;
using Auki.Logs;

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
/// A log's timeline extent read from its segments, cached per log directory so a warm query
/// costs two <c>stat</c> calls: the <c>segments/</c> directory and its newest segment file.
/// </summary>
/// <remarks>
/// Why that is enough: a writer only ever appends to the newest segment (timestamps never go
/// back), and every other change — a new segment, eviction, torn-tail repair deleting the newest —
/// creates or removes a file and so changes the directory's mtime. A directory listing whose mtime
/// was within <see cref="RacyMarginNs"/> of the clock when it was taken is not trusted (a file
/// created in the same timestamp tick would not move the mtime): such logs are listed again
/// on the next call. Segment scans themselves are kept by (length, mtime), so a re-listing
/// rescans only segments that changed.
/// </remarks>
public static class ExtentCache
{
    /// <summary>A listing is trusted only when the directory's mtime is older than this at listing time.</summary>
    public const long RacyMarginNs = 2_000_000_000;

    private readonly record struct Segment(string Path, long Length, long MtimeTicks, long Entries, long First, long Last);

    private sealed record State(long DirMtimeTicks, bool Trusted, Segment[] Segments, LogSummary Summary);

    private static readonly ConcurrentDictionary<string, State> Cache = new(StringComparer.Ordinal);

    /// <summary>(min, max) timestamps of the log at <paramref name="logDir"/>, or null when it holds no entries.</summary>
    public static (long Min, long Max)? Of(string logDir) => Summarize(logDir).Extent;

    /// <summary>Entries, extent, size and last write of the log at <paramref name="logDir"/> (empty when it has no segments).</summary>
    public static LogSummary Summarize(string logDir)
    {
        string segmentsDir = Path.Combine(logDir, "segments");
        var dir = new DirectoryInfo(segmentsDir);
        if (!dir.Exists)
        {
            Cache.TryRemove(segmentsDir, out _);
            return LogSummary.Empty;
        }
        long dirMtime = dir.LastWriteTimeUtc.Ticks;
        if (Cache.TryGetValue(segmentsDir, out var cached) && cached.Trusted && cached.DirMtimeTicks == dirMtime)
        {
            if (cached.Segments.Length == 0) return cached.Summary;
            var newest = cached.Segments[^1];
            var info = new FileInfo(newest.Path);
            if (info.Exists)
            {
                if (info.Length == newest.Length && info.LastWriteTimeUtc.Ticks == newest.MtimeTicks) return cached.Summary;
                // The newest segment grew: rescan it alone.
                var segments = (Segment[])cached.Segments.Clone();
                segments[^1] = Scan(info, null);
                return Store(segmentsDir, cached with { Segments = segments, Summary = Sum(segments) });
            }
        }
        return Store(segmentsDir, List(dir, dirMtime, cached));
    }

    /// <summary>Forget everything (tests and benchmarks measure cold calls with it).</summary>
    public static void Clear() => Cache.Clear();

    private static State List(DirectoryInfo dir, long dirMtimeTicks, State? previous)
    {
        long now = DateTime.UtcNow.Ticks;
        var known = new Dictionary<string, Segment>(StringComparer.Ordinal);
        if (previous is not null) foreach (var s in previous.Segments) known[s.Path] = s;
        var segments = new List<(long Start, Segment Segment)>();
        try
        {
            foreach (var info in dir.EnumerateFiles("*.seg"))
            {
                if (!SegmentFormat.TryParseFileName(info.Name, out long start)) continue;
                try
                {
                    segments.Add((start, Scan(info, known.TryGetValue(info.FullName, out var old) ? old : null)));
                }
                catch (FileNotFoundException) { } // evicted while we looked
                catch (DirectoryNotFoundException) { } // the whole log was removed while we looked
            }
        }
        catch (DirectoryNotFoundException) { } // the log was removed meanwhile
        segments.Sort((a, b) => a.Start.CompareTo(b.Start));
        var ordered = segments.Select(s => s.Segment).ToArray();
        bool trusted = now - dirMtimeTicks > RacyMarginNs / 100;
        return new State(dirMtimeTicks, trusted, ordered, Sum(ordered));
    }

    private static Segment Scan(FileInfo info, Segment? old)
    {
        long length = info.Length, mtime = info.LastWriteTimeUtc.Ticks;
        if (old is { } o && o.Length == length && o.MtimeTicks == mtime) return o;
        var report = SegmentScanner.Scan(info.FullName, verifyAllChecksums: false);
        // Entries are non-decreasing within a log (the writer's rule), so first/last are min/max.
        return new Segment(info.FullName, length, mtime, report.Entries, report.FirstTimestampNs ?? 0, report.LastTimestampNs ?? 0);
    }

    private static LogSummary Sum(Segment[] segments)
    {
        long entries = 0, min = long.MaxValue, max = long.MinValue, bytes = 0, lastWrite = long.MinValue;
        foreach (var s in segments)
        {
            bytes += s.Length;
            lastWrite = Math.Max(lastWrite, s.MtimeTicks);
            if (s.Entries == 0) continue;
            entries += s.Entries;
            min = Math.Min(min, s.First);
            max = Math.Max(max, s.Last);
        }
        long? lastWriteNs = segments.Length == 0 ? null : (lastWrite - DateTime.UnixEpoch.Ticks) * 100;
        return entries == 0
            ? new LogSummary(0, 0, 0, bytes, segments.Length, lastWriteNs)
            : new LogSummary(entries, min, max, bytes, segments.Length, lastWriteNs);
    }

    private static LogSummary Store(string segmentsDir, State state)
    {
        Cache[segmentsDir] = state;
        return state.Summary;
    }
}
