using System.Collections.Concurrent;
using Auki.Logs;

namespace Auki.Inspect;

/// <summary>
/// Header scans of segment files, kept per file by (length, mtime): a store listed again in the
/// same process (Python asking for peers, then one device's logs, then a window) costs a
/// <c>stat</c> per segment instead of a scan. A writer only ever appends to a segment (the length
/// changes), and repair, eviction and rollover change the length or the file; those are the cases
/// the key catches, as <c>core/Activity/ExtentCache</c> does for its extents.
/// </summary>
internal static class SegmentScans
{
    private readonly record struct Key(long Length, long MtimeTicks);

    private static readonly ConcurrentDictionary<string, (Key Key, StoreSegment Segment)> Cache = new(StringComparer.Ordinal);

    /// <summary>What a header scan of <paramref name="path"/> finds (cached while its length and mtime stay).</summary>
    public static StoreSegment Scan(string path, long start)
    {
        Key key;
        try
        {
            var info = new FileInfo(path);
            key = info.Exists ? new Key(info.Length, info.LastWriteTimeUtc.Ticks) : default;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            key = default;
        }
        if (key != default && Cache.TryGetValue(path, out var known) && known.Key == key) return known.Segment;
        var report = SegmentScanner.Scan(path, verifyAllChecksums: false);
        var segment = new StoreSegment(path, start, report.FileBytes, report.Entries, report.FirstTimestampNs,
            report.LastTimestampNs, report.Version, report.IsHealthy);
        // Only what was scanned at the length the key says is kept (a file growing during the scan is scanned again next time).
        if (key != default && report.FileBytes == key.Length) Cache[path] = (key, segment);
        else Cache.TryRemove(path, out _);
        return segment;
    }
}
