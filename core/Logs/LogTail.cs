namespace Auki.Logs;

/// <summary>
/// Follows a log as it grows, starting at its current end (no replay: read history with
/// <see cref="LogReader"/> first). Complete entries only; a half-written entry is "nothing yet".
/// Every entry is delivered once, in order, across rollover; entries evicted before the tail got
/// to them are reported (<see cref="TryNext(out long, out ReadOnlySpan{byte})"/> throws NotFound
/// once, then goes on after the gap), never skipped silently. Takes no lock. Not thread-safe.
/// </summary>
/// <remarks>
/// Finding the next segment costs the same whatever the number of segments: with the manifest's
/// <c>segment_duration_ns</c> the next file name is predictable (<c>start + duration</c>, or up
/// to 16 windows later after a pause), so a rollover costs a <c>stat</c> or a few; the directory
/// is listed only when a longer pause leaves no guess, at most every 100 ms, and then only if it
/// changed (or a second has passed) since the last listing.
/// </remarks>
public sealed class LogTail : IDisposable
{
    private const int BufferSize = 256 * 1024;

    /// <summary>How many windows after the current one are tried by name before the directory is listed.</summary>
    private const int ProbedWindows = 16;

    /// <summary>Upstream's default poll cadence.</summary>
    public static readonly TimeSpan DefaultPollInterval = TimeSpan.FromMilliseconds(10);

    private readonly string _root;
    private readonly string _segmentsDir;
    private readonly SegmentReader _reader = new(BufferSize);
    private bool _hasSegment;
    private long _segmentStart;
    private long _offset;
    private bool _disposed;

    /// <summary><c>segment_duration_ns</c> from the manifest; 0 until it could be read (then every look lists).</summary>
    private long _segmentDurationNs;

    /// <summary>The segment before the current one and where the tail left it (a new writer may delete an empty newest segment and go on there).</summary>
    private long _previousStart = -1;
    private long _previousOffset;
    private bool _deliveredFromCurrent;

    /// <summary>How often this tail listed its segment directory (what rollover must not cost; tests count it).</summary>
    internal int DirectoryListings { get; private set; }

    private DateTime _listedDirectoryStamp;
    private long _listedAtTicks = long.MinValue / 2;

    private LogTail(string root, TimeSpan pollInterval)
    {
        _root = root;
        _segmentsDir = SegmentDirectory.SegmentsPath(root);
        PollInterval = pollInterval;
    }

    /// <summary>
    /// Start tailing <paramref name="root"/> at the end of the last complete entry of its latest
    /// segment (or, for an empty log, at the first segment that appears). A root that exists but
    /// is not a directory is an Io error.
    /// </summary>
    public static LogTail Open(string root, TimeSpan? pollInterval = null)
    {
        var tail = Create(root, pollInterval);
        try
        {
            var starts = tail.ListSegments();
            if (starts.Count > 0)
            {
                tail._hasSegment = true;
                tail._segmentStart = starts[^1];
                // Not the file size: a writer may be halfway through an entry right now.
                tail._offset = EndOfCompleteEntries(tail.CurrentPath);
            }
            return tail;
        }
        catch (Exception e) when (LogErrors.IsIo(e))
        {
            throw LogErrors.Io(e);
        }
    }

    /// <summary>
    /// Start at the segment that holds the first entry with timestamp ≥ <paramref name="fromNs"/>
    /// (null: the log's first segment) instead of at the end, then follow the log as
    /// <see cref="Open"/> does: history and live entries through one position, so nothing is
    /// missed or read twice. Entries of that segment before <paramref name="fromNs"/> are
    /// returned too; the caller skips them.
    /// </summary>
    public static LogTail OpenAt(string root, long? fromNs, TimeSpan? pollInterval = null)
    {
        var tail = Create(root, pollInterval);
        try
        {
            var starts = tail.ListSegments();
            if (starts.Count > 0)
            {
                long start = starts[0];
                if (fromNs is long from)
                    foreach (long s in starts)
                        if (s <= from) start = s;
                tail._hasSegment = true;
                tail._segmentStart = start;
                tail._offset = SegmentFormat.HeaderSize;
            }
            return tail;
        }
        catch (Exception e) when (LogErrors.IsIo(e))
        {
            throw LogErrors.Io(e);
        }
    }

    private static LogTail Create(string root, TimeSpan? pollInterval)
    {
        LogErrors.RequireRoot(root);
        var interval = pollInterval ?? DefaultPollInterval;
        if (interval < TimeSpan.Zero) throw AukiException.Invalid("poll interval must not be negative");
        // A log that does not exist yet is fine (the tail waits for it); a file in its place is not.
        if (File.Exists(root)) throw LogErrors.Io($"log root is not a directory: {root}");
        var tail = new LogTail(root, interval);
        if (File.Exists(tail._segmentsDir)) throw LogErrors.Io($"not a directory: {tail._segmentsDir}");
        return tail;
    }

    /// <summary>How long the blocking calls sleep between looks (upstream's <c>with_poll_interval</c>).</summary>
    public TimeSpan PollInterval { get; set; }

    private string CurrentPath => SegmentDirectory.SegmentPath(_segmentsDir, _segmentStart);

    /// <summary>The next entry if one is complete now, else null. Never waits.</summary>
    public LogEntry? TryNext() =>
        TryNext(out long ts, out ReadOnlySpan<byte> payload) ? new LogEntry(ts, payload.ToArray()) : null;

    /// <summary>
    /// Non-blocking, allocation-free form of <see cref="TryNext()"/>: the payload view is borrowed
    /// and valid until the next call or <see cref="Dispose"/>.
    /// </summary>
    public bool TryNext(out long timestampNs, out ReadOnlySpan<byte> payload)
    {
        if (_disposed) throw LogErrors.Closed("tail has been closed");
        try
        {
            return Advance(out timestampNs, out payload);
        }
        catch (Exception e) when (LogErrors.IsIo(e))
        {
            throw LogErrors.Io(e);
        }
    }

    /// <summary>Wait for the next entry, polling every <see cref="PollInterval"/>; throws OperationCanceledException when cancelled.</summary>
    public LogEntry Next(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            if (TryNext() is LogEntry entry) return entry;
            Sleep(PollInterval, cancellationToken);
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    /// <summary>Wait up to <paramref name="timeout"/> for the next entry; null when none arrived in time.</summary>
    public LogEntry? WaitNext(TimeSpan timeout) =>
        WaitNext(timeout, default, out long ts, out ReadOnlySpan<byte> payload) ? new LogEntry(ts, payload.ToArray()) : null;

    /// <summary>
    /// Allocation-free bounded wait (the C ABI's): look now, then every <see cref="PollInterval"/>
    /// until an entry is complete, <paramref name="timeout"/> has passed (null = no limit) or
    /// <paramref name="cancellationToken"/> is cancelled. False when no entry came; never throws
    /// <see cref="OperationCanceledException"/>. The payload view is borrowed as with
    /// <see cref="TryNext(out long, out ReadOnlySpan{byte})"/>.
    /// </summary>
    public bool WaitNext(TimeSpan? timeout, CancellationToken cancellationToken, out long timestampNs, out ReadOnlySpan<byte> payload)
    {
        long deadline = timeout is TimeSpan t
            ? Environment.TickCount64 + (long)Math.Ceiling(Math.Max(0, t.TotalMilliseconds))
            : long.MaxValue;
        while (true)
        {
            if (TryNext(out timestampNs, out payload)) return true;
            long left = deadline - Environment.TickCount64;
            if (left <= 0 || cancellationToken.IsCancellationRequested) return false;
            var nap = TimeSpan.FromMilliseconds(Math.Min(left, Math.Max(1, PollInterval.TotalMilliseconds)));
            if (cancellationToken.CanBeCanceled) cancellationToken.WaitHandle.WaitOne(nap);
            else Thread.Sleep(nap);
        }
    }

    private static void Sleep(TimeSpan interval, CancellationToken token)
    {
        if (token.CanBeCanceled) token.WaitHandle.WaitOne(interval);
        else Thread.Sleep(interval);
    }

    private bool Advance(out long timestampNs, out ReadOnlySpan<byte> payload)
    {
        while (true)
        {
            if (!_hasSegment)
            {
                var starts = ListSegments();
                if (starts.Count == 0) break;
                _hasSegment = true;
                _segmentStart = starts[0];
                _offset = SegmentFormat.HeaderSize;
            }
            if (!_reader.IsOpen && !_reader.TryOpen(CurrentPath, _offset))
            {
                // Gone before we opened it: evicted (its entries are lost to us), or an empty newest
                // segment deleted by a new writer's repair (nothing lost).
                if (StepBackToPrevious()) continue;
                bool delivered = _offset > SegmentFormat.HeaderSize;
                long gone = _segmentStart;
                if (!MoveToNextSegment()) break;
                throw Evicted(gone, delivered);
            }
            if (ReadOne(out timestampNs, out payload)) return true;

            long? next = NextSegmentAfter(_segmentStart);
            if (next is null)
            {
                if (!File.Exists(CurrentPath))
                {
                    // Deleted with nothing after it: a new writer removed an empty newest segment.
                    if (!StepBackToPrevious()) ResetToEmpty();
                    continue;
                }
                break;
            }
            // A writer fully writes a segment before creating the next one, but it may have
            // finished between our read and the look for the next: read once more, now knowing
            // this segment is complete (a cut-short end is damage, not "not yet").
            _reader.IsLatest = false;
            if (ReadOne(out timestampNs, out payload)) return true;
            bool contiguous = _segmentDurationNs > 0 && next.Value == SegmentFormat.SaturatingAdd(_segmentStart, _segmentDurationNs);
            // Eviction removes the oldest segments first: while ours is still there, nothing
            // between it and the next was evicted, so a gap in the names is only a pause in the data.
            bool lost = !contiguous && !File.Exists(CurrentPath);
            long from = _segmentStart;
            SwitchTo(next.Value);
            if (lost) throw Evicted(from, delivered: true, before: next.Value);
        }
        timestampNs = 0;
        payload = default;
        return false;
    }

    private bool ReadOne(out long timestampNs, out ReadOnlySpan<byte> payload)
    {
        if (_reader.TryRead(out timestampNs, out payload))
        {
            _offset = _reader.Offset;
            _deliveredFromCurrent = true;
            return true;
        }
        // A new writer cuts a crashed writer's torn tail; if that put the end before us, step back
        // to the last complete entry or we would read from the middle of the next one. Only once
        // the header was read: a segment just created is empty, shorter than any offset of ours,
        // and rescanning it while its first entries land would jump over them.
        if (_reader.HeaderRead && _reader.FileLength() < _reader.Offset)
        {
            _offset = Math.Min(_reader.Offset, EndOfCompleteEntries(CurrentPath));
            _reader.Seek(_offset);
        }
        return false;
    }

    private bool MoveToNextSegment()
    {
        long? next = NextSegmentAfter(_segmentStart);
        if (next is null)
        {
            ResetToEmpty();
            return false;
        }
        SwitchTo(next.Value);
        return true;
    }

    private void SwitchTo(long start)
    {
        _reader.Close();
        _previousStart = _segmentStart;
        _previousOffset = _offset;
        _deliveredFromCurrent = false;
        _segmentStart = start;
        _offset = SegmentFormat.HeaderSize;
    }

    /// <summary>
    /// Back to where the tail left the previous segment, when the current one vanished before it
    /// returned anything from it and the previous one is still there.
    /// </summary>
    private bool StepBackToPrevious()
    {
        if (_deliveredFromCurrent || _previousStart < 0) return false;
        if (!File.Exists(SegmentDirectory.SegmentPath(_segmentsDir, _previousStart))) return false;
        if (NextSegmentAfter(_previousStart) is long next && next < _segmentStart) return false;
        _reader.Close();
        _segmentStart = _previousStart;
        _offset = _previousOffset;
        _previousStart = -1;
        _deliveredFromCurrent = true;
        return true;
    }

    private void ResetToEmpty()
    {
        _reader.Close();
        _hasSegment = false;
        _previousStart = -1;
    }

    /// <summary>
    /// The next segment after <paramref name="start"/>, or null if there is none yet: the next
    /// window's file first (one stat, what a rollover needs), then the following windows, then a
    /// listing only if the directory changed or a second passed since the last one.
    /// </summary>
    private long? NextSegmentAfter(long start) =>
        FindSegmentAfter(start) is long found ? EarliestSegmentBetween(start, found) : null;

    /// <summary>
    /// The first segment after <paramref name="start"/>, now that <paramref name="found"/> (a later
    /// one) exists. A look is not a snapshot: the writer may create several segments while the tail
    /// probes window after window (or while a listing runs), so a later window can be seen to exist
    /// after an earlier one was seen missing. Segments are created in order, so once
    /// <paramref name="found"/> exists every earlier one that will ever exist does too, and a second
    /// look at the windows in between is conclusive: probes by name for a short gap, one listing
    /// (which now sees everything created before <paramref name="found"/>) for a long one.
    /// </summary>
    private long EarliestSegmentBetween(long start, long found)
    {
        long d = _segmentDurationNs;
        if (d > 0 && start % d == 0 && (found - start) / d <= ProbedWindows + 1)
        {
            for (long candidate = start + d; candidate < found; candidate += d)
                if (SegmentExists(candidate)) return candidate;
            return found;
        }
        foreach (long s in ListSegments())
            if (s > start) return Math.Min(s, found);
        return found;
    }

    private long? FindSegmentAfter(long start)
    {
        if (_segmentDurationNs == 0) _segmentDurationNs = ReadSegmentDuration();
        long d = _segmentDurationNs;
        if (d > 0 && start % d == 0)
        {
            long candidate = start;
            for (int k = 1; k <= ProbedWindows && candidate <= long.MaxValue - d; k++)
            {
                candidate += d;
                if (SegmentExists(candidate)) return candidate;
            }
        }

        // A longer pause than the probes cover: list, but at most every 100 ms (a live log changes
        // its directory at every rollover, so its time stamp alone would list at each), and then
        // only if the directory changed or a second passed (its time stamp ticks coarsely).
        long now = Environment.TickCount64;
        if (now - _listedAtTicks < 100) return null;
        DateTime stamp = Directory.GetLastWriteTimeUtc(_segmentsDir);
        if (stamp == _listedDirectoryStamp && now - _listedAtTicks < 1000) return null;
        _listedDirectoryStamp = stamp;
        _listedAtTicks = now;
        foreach (long s in ListSegments())
            if (s > start) return s;
        return null;
    }

    private List<long> ListSegments()
    {
        DirectoryListings++;
        return SegmentDirectory.ListStarts(_segmentsDir);
    }

    private bool SegmentExists(long start) => start >= 0 && File.Exists(SegmentDirectory.SegmentPath(_segmentsDir, start));

    /// <summary>The manifest's segment duration, 0 while there is no readable manifest (the tail then lists the directory).</summary>
    private long ReadSegmentDuration()
    {
        try
        {
            string path = SegmentDirectory.ManifestPath(_root);
            if (!File.Exists(path)) return 0;
            return LogManifestFile.Validate(LogManifestFile.Read(path, "parsing manifest")).SegmentDurationNs;
        }
        catch (Exception e) when (e is AukiException || LogErrors.IsIo(e))
        {
            return 0;
        }
    }

    private AukiException Evicted(long segmentStart, bool delivered, long? before = null)
    {
        string which = delivered ? "the rest of segment" : "segment";
        string next = before is long b ? $" and any segment before {Num(b)}" : "";
        return AukiException.NotFound($"tail: entries were evicted before this tail read them ({which} {Num(segmentStart)}{next} of {_root}); it goes on with the oldest entries still there");
    }

    private static string Num(long value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static long EndOfCompleteEntries(string path)
    {
        var report = SegmentScanner.Scan(path, verifyAllChecksums: false);
        LogStats.ThrowOnHeaderProblem(report);
        return Math.Max(report.ValidLength, SegmentFormat.HeaderSize);
    }

    /// <summary>Close the open segment file; later calls throw Closed.</summary>
    public void Dispose()
    {
        _disposed = true;
        _reader.Dispose();
    }
}
