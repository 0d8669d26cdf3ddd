using System.Text.Json.Nodes;

namespace Auki.Logs;

/// <summary>
/// Read side of a log directory: its manifest, its segments, its entries. Holds no open files
/// (each enumeration or cursor opens its own), takes no lock, and works while a writer appends,
/// seeing complete entries only. Thread-safe for concurrent enumerations.
/// </summary>
public sealed class LogReader
{
    private readonly string _segmentsDir;
    private readonly JsonObject _manifest;
    private readonly long[] _starts;

    private LogReader(string root, JsonObject manifest, LogManifestFile.Durations durations, long[] starts)
    {
        Root = root;
        _segmentsDir = SegmentDirectory.SegmentsPath(root);
        _manifest = manifest;
        SegmentDurationNs = durations.SegmentDurationNs;
        RetentionNs = durations.RetentionNs;
        _starts = starts;
    }

    /// <summary>
    /// Open the log at <paramref name="root"/>: reads <c>log_manifest.json</c> (errors:
    /// <c>io: …</c> when missing, <c>manifest: …</c> when invalid) and lists the segments once.
    /// </summary>
    public static LogReader Open(string root)
    {
        LogErrors.RequireRoot(root);
        try
        {
            var manifest = LogManifestFile.Read(SegmentDirectory.ManifestPath(root), "parsing manifest");
            var durations = LogManifestFile.Validate(manifest);
            var starts = SegmentIndex.For(SegmentDirectory.SegmentsPath(root)).Starts();
            return new LogReader(root, manifest, durations, starts);
        }
        catch (Exception e) when (LogErrors.IsIo(e))
        {
            throw LogErrors.Io(e);
        }
    }

    /// <summary>The log directory as given.</summary>
    public string Root { get; }

    /// <summary>A copy of the manifest (mutating it changes nothing on disk).</summary>
    public JsonObject Manifest
    {
        get
        {
            // Parsed JSON nodes materialize lazily, which is not safe to race; readers may be shared.
            lock (_manifest) return (JsonObject)_manifest.DeepClone();
        }
    }

    /// <summary><c>segment_duration_ns</c> from the manifest.</summary>
    public long SegmentDurationNs { get; }

    /// <summary><c>retention_ns</c> from the manifest.</summary>
    public long RetentionNs { get; }

    /// <summary>Start of every segment present when the reader was opened, ascending.</summary>
    public IReadOnlyList<long> SegmentStarts => _starts;

    /// <summary><see cref="SegmentStarts"/> as the array it is (never changed), for loops over 36,000 of them.</summary>
    internal long[] SegmentStartsArray => _starts;

    /// <summary>Every entry, in order (segments by start, entries in file order).</summary>
    public IEnumerable<LogEntry> Entries() => Read(null, null);

    /// <summary>
    /// Entries with <paramref name="startNs"/> ≤ timestamp ≤ <paramref name="endNs"/> (both inclusive;
    /// null leaves that side open). Segments whose window cannot overlap are not opened.
    /// </summary>
    public IEnumerable<LogEntry> Read(long? startNs, long? endNs)
    {
        using var cursor = OpenCursor(startNs, endNs);
        while (cursor.TryNext(out LogEntry entry)) yield return entry;
    }

    /// <summary>An allocation-free cursor over the same window as <see cref="Read"/>; dispose it when done.</summary>
    public LogCursor OpenCursor(long? startNs = null, long? endNs = null) =>
        new(_segmentsDir, _starts, SegmentDurationNs, startNs ?? long.MinValue, endNs ?? long.MaxValue);

    /// <summary>
    /// The log's last timestamp and how many entries carry it (null, 0 for an empty log): where a
    /// resumed copy or a "latest" stream continues without a gap or a duplicate, even when several
    /// entries share that timestamp. Scans only the newest segment that holds entries.
    /// </summary>
    public (long? Last, long Count) LastTimestampRun()
    {
        long? last = null;
        long count = 0;
        for (int i = _starts.Length - 1; i >= 0 && last is null; i--)
        {
            using var cursor = OpenCursor(_starts[i], null);
            while (cursor.TryNext(out long ts, out ReadOnlySpan<byte> _))
            {
                if (ts == last) count++;
                else { last = ts; count = 1; }
            }
        }
        return (last, count);
    }
}
