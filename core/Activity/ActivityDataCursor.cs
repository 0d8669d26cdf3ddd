using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Auki.Logs;

namespace Auki.Activity;

/// <summary>
/// Entries of one topic of an activity session: every contributing file read through its own
/// <see cref="LogCursor"/>, clipped to (its contribution window ∩ the requested window), merged
/// in timestamp order (ties: the order the files are held in the session). Each file's timestamps
/// are shifted by its Unix-epoch offset (0 unless one is set), so the merge and the timestamps
/// returned are in session time. Payloads are borrowed views, valid until the next call on this
/// cursor or its disposal, one at a time or in batches (<see cref="ReadViews"/>). Not thread-safe.
/// </summary>
/// <remarks>
/// A file is opened only when the merge reaches the first time it can hold (the later of its
/// window start and its first entry), and closed when it is exhausted, so files that follow each
/// other in time cost one open reader at a time, not one each.
/// </remarks>
public sealed unsafe class ActivityDataCursor : IDisposable
{
    internal sealed class Source(string directory, long lo, long hi, int order, long offset = 0)
    {
        public readonly string Directory = directory;
        public readonly long Lo = lo; // file time
        public readonly long Hi = hi; // file time
        public readonly int Order = order;
        public readonly long Offset = offset;
        public readonly long SessionLo = Shift(lo, offset);
        public LogCursor? Cursor;
        public long Timestamp;
        public byte* Data; // into the cursor's pinned buffer: valid until the cursor moves
        public int Length;
    }

    private readonly Source[] _pending; // by Lo, then Order
    private readonly PriorityQueue<Source, (long, int)> _heap = new();
    private int _nextPending;
    private Source? _current;
    private bool _consumed = true;
    private bool _disposed;

    internal ActivityDataCursor(List<Source> sources)
    {
        sources.Sort((a, b) => a.SessionLo != b.SessionLo ? a.SessionLo.CompareTo(b.SessionLo) : a.Order.CompareTo(b.Order));
        _pending = [.. sources];
    }

    /// <summary>The next entry without consuming it (a repeated peek returns the same entry); false at the end.</summary>
    public bool TryPeek(out long timestampNs, out ReadOnlySpan<byte> payload)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_current is not null && _consumed)
        {
            Advance(_current);
            _current = null;
        }
        if (_current is null)
        {
            while (_nextPending < _pending.Length && (_heap.Count == 0 || _pending[_nextPending].SessionLo <= _heap.Peek().Timestamp))
                Advance(_pending[_nextPending++]);
            if (!_heap.TryDequeue(out var next, out _))
            {
                timestampNs = 0;
                payload = default;
                return false;
            }
            _current = next;
            _consumed = false;
        }
        timestampNs = _current.Timestamp;
        payload = new ReadOnlySpan<byte>(_current.Data, _current.Length);
        return true;
    }

    /// <summary>Consume the entry the last <see cref="TryPeek"/> returned.</summary>
    public void Consume()
    {
        if (_current is not null) _consumed = true;
    }

    /// <summary>The next entry (a borrowed view); false at the end.</summary>
    public bool TryNext(out long timestampNs, out ReadOnlySpan<byte> payload)
    {
        if (!TryPeek(out timestampNs, out payload)) return false;
        _consumed = true;
        return true;
    }

    /// <summary>The next entry with its own copy of the payload; false at the end.</summary>
    public bool TryNext(out LogEntry entry)
    {
        if (TryNext(out long ts, out ReadOnlySpan<byte> payload))
        {
            entry = new LogEntry(ts, payload.ToArray());
            return true;
        }
        entry = default;
        return false;
    }

    /// <summary>
    /// Copy up to <c>timestamps.Length</c> next entries: payload i goes to
    /// <c>buffer[offsets[i]..offsets[i+1]]</c> (<paramref name="offsets"/> needs one more item than
    /// <paramref name="timestamps"/>). Returns the count, 0 at the end. When the very next payload
    /// does not fit the buffer, BufferTooSmall is thrown and nothing is consumed.
    /// </summary>
    public int ReadBatch(Span<long> timestamps, Span<ulong> offsets, Span<byte> buffer)
    {
        if (offsets.Length < timestamps.Length + 1)
            throw AukiException.Invalid($"offsets needs {timestamps.Length + 1} items for {timestamps.Length} entries (has {offsets.Length})");
        int count = 0, used = 0;
        offsets[0] = 0;
        while (count < timestamps.Length && TryPeek(out long ts, out ReadOnlySpan<byte> payload))
        {
            if (payload.Length > buffer.Length - used)
            {
                if (count > 0) break;
                throw AukiException.BufferTooSmall($"the next payload is {payload.Length} bytes but the buffer holds {buffer.Length}: read it alone");
            }
            payload.CopyTo(buffer[used..]);
            used += payload.Length;
            timestamps[count++] = ts;
            offsets[count] = (ulong)used;
            _consumed = true;
        }
        return count;
    }

    /// <summary>
    /// Up to <c>timestamps.Length</c> next entries as borrowed views, in the order
    /// <see cref="TryNext(out long, out ReadOnlySpan{byte})"/> and <see cref="ReadBatch"/> return
    /// them, copying no payload: entry i gets <c>timestamps[i]</c> and the payload
    /// <c>buffer[starts[i] .. starts[i] + lengths[i]]</c>, where <paramref name="buffer"/> is the
    /// read buffer of one file's <see cref="LogCursor"/> (pinned; it and every view stay valid until
    /// the next call on this cursor or its disposal). Returns the count, 0 at the end. Fewer
    /// entries than asked for is not the end.
    /// </summary>
    /// <remarks>
    /// A batch holds consecutive entries of ONE file that already lie in its cursor's buffer: it
    /// ends where the merge moves to another file or where that file would have to be read again.
    /// So no view is ever left pointing into a buffer that was refilled or closed, and the merge
    /// order is decided entry by entry exactly as <see cref="TryPeek"/> decides it. Damaged bytes
    /// end a batch here and are reported by the next call, as an error.
    /// </remarks>
    public int ReadViews(Span<long> timestamps, Span<nint> starts, Span<nuint> lengths, out ReadOnlySpan<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        buffer = default;
        int max = Math.Min(timestamps.Length, Math.Min(starts.Length, lengths.Length));
        if (max == 0 || !TryPeek(out long first, out ReadOnlySpan<byte> payload)) return 0;
        Source s = _current!;
        LogCursor cursor = s.Cursor!;
        _consumed = true;
        buffer = cursor.Buffer;
        byte* bufferStart = (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetReference(buffer));
        timestamps[0] = first;
        starts[0] = cursor.BufferOffsetOf(payload);
        lengths[0] = (nuint)payload.Length;
        int count = 1;
        // s's next entry comes next in the merge when its key is below every other queued file's
        // and no pending file opens at or before it (TryPeek's two rules, with s queued again).
        bool otherQueued = _heap.TryPeek(out _, out (long Timestamp, int Order) other);
        bool pendingFile = _nextPending < _pending.Length;
        long pendingLo = pendingFile ? _pending[_nextPending].SessionLo : 0;
        while (count < max && cursor.TryNextBuffered(out long fileTs, out int start, out int length))
        {
            long ts = Shift(fileTs, s.Offset);
            bool beforeOthers = !otherQueued || ts < other.Timestamp || (ts == other.Timestamp && s.Order < other.Order);
            if (!beforeOthers || (pendingFile && pendingLo <= ts))
            {
                cursor.StepBack();
                break;
            }
            timestamps[count] = ts;
            starts[count] = start;
            lengths[count] = (nuint)length;
            count++;
            // s stays the consumed current entry, so the next call moves its cursor on from here.
            s.Timestamp = ts;
            s.Data = bufferStart + start;
            s.Length = length;
        }
        return count;
    }

    /// <summary>Close every open file; later calls throw.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _current = null;
        foreach (var s in _pending) s.Cursor?.Dispose();
        _heap.Clear();
    }

    /// <summary><paramref name="t"/> + <paramref name="offset"/>, saturated at the ends of the int64 range.</summary>
    internal static long Shift(long t, long offset)
    {
        long r = t + offset;
        if (((t ^ r) & (offset ^ r)) < 0) return offset > 0 ? long.MaxValue : long.MinValue; // overflowed
        return r;
    }

    // Open the source on first use, move it to its next entry and queue it, or close it at its end.
    private void Advance(Source s)
    {
        s.Cursor ??= LogReader.Open(s.Directory).OpenCursor(s.Lo, s.Hi);
        if (s.Cursor.TryNext(out long ts, out ReadOnlySpan<byte> payload))
        {
            s.Timestamp = Shift(ts, s.Offset);
            s.Data = (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetReference(payload));
            s.Length = payload.Length;
            _heap.Enqueue(s, (s.Timestamp, s.Order));
        }
        else
        {
            s.Cursor.Dispose();
            s.Data = null;
        }
    }
}
