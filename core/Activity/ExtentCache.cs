using System.Collections.Concurrent;
using Auki.Logs;

namespace Auki.Activity;

/// <summary>
/// A log's timeline extent (first and last entry timestamp) read from its segments. Segment
/// scans are cached by (path, length, mtime), so a warm query costs one directory listing and a
/// stat per segment, while a growing log is re-scanned only where it changed.
/// </summary>
public static class ExtentCache
{
    private readonly record struct Key(string Path, long Length, long MtimeTicks);
    private readonly record struct SegmentExtent(long Entries, long First, long Last);

    private static readonly ConcurrentDictionary<string, (Key Key, SegmentExtent Extent)> Cache = new();

    /// <summary>(min, max) timestamps of the log at <paramref name="logDir"/>, or null when it holds no entries.</summary>
    public static (long Min, long Max)? Of(string logDir)
    {
        string segments = Path.Combine(logDir, "segments");
        if (!Directory.Exists(segments)) return null;
        long min = long.MaxValue, max = long.MinValue;
        bool any = false;
        foreach (var info in new DirectoryInfo(segments).EnumerateFiles("*.seg"))
        {
            SegmentExtent extent;
            try
            {
                extent = Scan(info);
            }
            catch (IOException) { continue; } // evicted while we looked
            if (extent.Entries == 0) continue;
            any = true;
            if (extent.First < min) min = extent.First;
            if (extent.Last > max) max = extent.Last;
        }
        return any ? (min, max) : null;
    }

    private static SegmentExtent Scan(FileInfo info)
    {
        var key = new Key(info.FullName, info.Length, info.LastWriteTimeUtc.Ticks);
        if (Cache.TryGetValue(info.FullName, out var cached) && cached.Key == key) return cached.Extent;
        var report = SegmentScanner.Scan(info.FullName, verifyAllChecksums: false);
        // Entries are non-decreasing within a log (the writer's policy), so first/last are min/max.
        var extent = new SegmentExtent(report.Entries, report.FirstTimestampNs ?? 0, report.LastTimestampNs ?? 0);
        Cache[info.FullName] = (key, extent);
        return extent;
    }
}
