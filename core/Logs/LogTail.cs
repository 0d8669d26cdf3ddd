namespace Auki.Logs;

/// <summary>
/// Follows a log as it grows, starting at its current end (no replay: read history with
/// <see cref="LogReader"/> first). Complete entries only; a half-written entry is "nothing yet".
/// Moves to the next segment at rollover and jumps over segments evicted under it. Takes no
/// lock, needs no manifest. Not thread-safe.
/// </summary>
public sealed class LogTail : IDisposable
{
    private const int BufferSize = 256 * 1024;

    /// <summary>Upstream's default poll cadence.</summary>
    public static readonly TimeSpan DefaultPollInterval = TimeSpan.FromMilliseconds(10);

    private readonly string _segmentsDir;
    private readonly SegmentReader _reader = new(BufferSize);
    private bool _hasSegment;
    private long _segmentStart;
    private long _offset;
    private bool _disposed;

    private LogTail(string segmentsDir, TimeSpan pollInterval)
    {
        _segmentsDir = segmentsDir;
        PollInterval = pollInterval;
    }

    /// <summary>
    /// Start tailing <paramref name="root"/> at the end of the last complete entry of its latest
    /// segment (or, for an empty log, at the first segment that appears).
    /// </summary>
    public static LogTail Open(string root, TimeSpan? pollInterval = null)
    {
        LogErrors.RequireRoot(root);
        var interval = pollInterval ?? DefaultPollInterval;
        if (interval < TimeSpan.Zero) throw AukiException.Invalid("poll interval must not be negative");
        try
        {
            var tail = new LogTail(SegmentDirectory.SegmentsPath(root), interval);
            var starts = SegmentDirectory.ListStarts(tail._segmentsDir);
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
        LogErrors.RequireRoot(root);
        var interval = pollInterval ?? DefaultPollInterval;
        if (interval < TimeSpan.Zero) throw AukiException.Invalid("poll interval must not be negative");
        try
        {
            var tail = new LogTail(SegmentDirectory.SegmentsPath(root), interval);
            var starts = SegmentDirectory.ListStarts(tail._segmentsDir);
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
                var starts = SegmentDirectory.ListStarts(_segmentsDir);
                if (starts.Count == 0) break;
                _hasSegment = true;
                _segmentStart = starts[0];
                _offset = SegmentFormat.HeaderSize;
            }
            if (!_reader.IsOpen && !_reader.TryOpen(CurrentPath, _offset))
            {
                if (!MoveToNextSegment()) break;
                continue;
            }
            if (ReadOne(out timestampNs, out payload)) return true;

            long? next = NextSegmentAfter(_segmentStart);
            if (next is null)
            {
                // Evicted with nothing after it: wait for whatever segment comes next.
                if (!File.Exists(CurrentPath)) ResetToEmpty();
                break;
            }
            // A writer fully writes a segment before creating the next one, but it may have
            // finished between our read and the listing: look once more before leaving.
            if (ReadOne(out timestampNs, out payload)) return true;
            SwitchTo(next.Value);
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
            return true;
        }
        // A new writer cuts a crashed writer's torn tail; if that put the end before us, step back
        // to the last complete entry or we would read from the middle of the next one.
        if (_reader.FileLength() < _reader.Offset)
        {
            _offset = EndOfCompleteEntries(CurrentPath);
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
        _segmentStart = start;
        _offset = SegmentFormat.HeaderSize;
    }

    private void ResetToEmpty()
    {
        _reader.Close();
        _hasSegment = false;
    }

    private long? NextSegmentAfter(long start)
    {
        foreach (long s in SegmentDirectory.ListStarts(_segmentsDir))
            if (s > start) return s;
        return null;
    }

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
