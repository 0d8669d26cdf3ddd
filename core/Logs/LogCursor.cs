using System.Globalization;

namespace Auki.Logs;

/// <summary>
/// Forward-only reader over a log's entries in order, handing out borrowed views: the payload
/// span (and its address) is valid until the next call to <see cref="TryNext(out long, out ReadOnlySpan{byte})"/> or
/// <see cref="Dispose"/>. This is the path for the C ABI and for bulk readers: one large read
/// per buffer-full, no allocation per entry. Not thread-safe.
/// </summary>
/// <remarks>
/// Works on the segment list taken when it was created. A segment evicted before the cursor gets
/// to it is skipped; one evicted while open is read to its end (the open file outlives the
/// delete). The last segment may still be growing: the cursor returns the complete entries it
/// finds there and stops at the first incomplete one. Bytes that are not an entry anywhere a torn
/// write cannot be (<see cref="TornTail"/>) are a Corrupt error, not an early end.
/// </remarks>
public sealed class LogCursor : IDisposable
{
    private const int BufferSize = 1 << 20;

    private readonly string _segmentsDir;
    private readonly long[] _starts;
    private readonly long _segmentDurationNs;
    private readonly long _fromNs;
    private readonly long _toNs;
    private readonly SegmentReader _reader = new(BufferSize);
    private int _nextSegment;
    private bool _disposed;

    internal LogCursor(string segmentsDir, long[] starts, long segmentDurationNs, long fromNs, long toNs)
    {
        _segmentsDir = segmentsDir;
        _starts = starts;
        _segmentDurationNs = segmentDurationNs;
        _fromNs = fromNs;
        _toNs = toNs;
        _nextSegment = FirstSegmentEndingAfter(starts, segmentDurationNs, fromNs);
    }

    /// <summary>
    /// The first segment whose window reaches past <paramref name="fromNs"/> (a binary search: a time
    /// window near the end of a long log does not walk every segment before it).
    /// </summary>
    private static int FirstSegmentEndingAfter(long[] starts, long segmentDurationNs, long fromNs)
    {
        int low = 0, high = starts.Length;
        while (low < high)
        {
            int mid = low + (high - low) / 2;
            if (SegmentFormat.SaturatingAdd(starts[mid], segmentDurationNs) <= fromNs) low = mid + 1;
            else high = mid;
        }
        return low;
    }

    /// <summary>
    /// Advance to the next entry inside the window; false at the end of the log. The payload view
    /// is borrowed (see the type's remarks).
    /// </summary>
    public bool TryNext(out long timestampNs, out ReadOnlySpan<byte> payload)
    {
        if (_disposed) throw LogErrors.Closed("cursor has been closed");
        try
        {
            while (true)
            {
                if (_reader.IsOpen)
                {
                    while (_reader.TryRead(out timestampNs, out payload))
                    {
                        if (timestampNs >= _fromNs && timestampNs <= _toNs) return true;
                    }
                    _reader.Close();
                }
                if (!OpenNextSegment())
                {
                    timestampNs = 0;
                    payload = default;
                    return false;
                }
            }
        }
        catch (Exception e) when (LogErrors.IsIo(e))
        {
            throw LogErrors.Io(e);
        }
    }

    /// <summary>Like <see cref="TryNext(out long, out ReadOnlySpan{byte})"/> but copies the payload into a <see cref="LogEntry"/>.</summary>
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
    /// Up to <c>timestamps.Length</c> next entries as borrowed views, copying no payload: entry i
    /// gets <c>timestamps[i]</c> and the payload <c>buffer[starts[i] .. starts[i] + lengths[i]]</c>,
    /// where <paramref name="buffer"/> is the cursor's pinned buffer (its address, and so every view,
    /// stays valid until the next call or <see cref="Dispose"/>). Returns the number of entries, 0 at
    /// the end of the log. A batch holds what one read of the file brought in, so it may end early
    /// (at the end of the buffer or of a segment): fewer entries than asked for is not the end.
    /// </summary>
    public int ReadViews(Span<long> timestamps, Span<nint> starts, Span<nuint> lengths, out ReadOnlySpan<byte> buffer)
    {
        buffer = default;
        if (timestamps.IsEmpty || starts.IsEmpty || lengths.IsEmpty)
        {
            if (_disposed) throw LogErrors.Closed("cursor has been closed");
            return 0;
        }
        // The first entry may need the file read (or the next segment opened); the rest are the
        // entries that read brought into the buffer, parsed where they lie.
        if (!TryNext(out long ts, out ReadOnlySpan<byte> payload)) return 0;
        buffer = _reader.Buffer;
        timestamps[0] = ts;
        starts[0] = _reader.BufferOffsetOf(payload);
        lengths[0] = (nuint)payload.Length;
        return 1 + _reader.TakeBuffered(timestamps[1..], starts[1..], lengths[1..], _fromNs, _toNs);
    }

    /// <summary>
    /// Copy up to <c>timestamps.Length</c> next entries into caller buffers: entry i gets
    /// <c>timestamps[i]</c> and the payload <c>buffer[offsets[i]..offsets[i+1]]</c>, so
    /// <paramref name="offsets"/> needs one element more than the entries asked for
    /// (<c>offsets[0] = 0</c>). Returns the number copied, 0 at the end of the log. An entry that
    /// does not fit the space left stays for the next call; when the very first one does not fit
    /// the whole buffer, nothing is consumed and the error is BufferTooSmall (read that entry with
    /// <see cref="TryNext(out long, out ReadOnlySpan{byte})"/>). Each payload is copied once, from
    /// the cursor's buffer (see <see cref="ReadViews"/> for none).
    /// </summary>
    public int ReadBatch(Span<long> timestamps, Span<ulong> offsets, Span<byte> buffer)
    {
        if (offsets.Length < timestamps.Length + 1)
            throw AukiException.Invalid("offsets must have room for one more element than the entries asked for");
        offsets[0] = 0;
        int count = 0;
        int used = 0;
        while (count < timestamps.Length && TryNext(out long ts, out ReadOnlySpan<byte> payload))
        {
            if (payload.Length > buffer.Length - used)
            {
                StepBack();
                if (count > 0) break;
                throw AukiException.BufferTooSmall(string.Create(CultureInfo.InvariantCulture,
                    $"the next entry's payload ({payload.Length} bytes) does not fit the buffer ({buffer.Length} bytes)"));
            }
            payload.CopyTo(buffer[used..]);
            used += payload.Length;
            timestamps[count++] = ts;
            offsets[count] = (ulong)used;
            // The entries already in the cursor's buffer, without a call per entry.
            int taken = _reader.CopyBuffered(timestamps[count..], offsets[count..], buffer, ref used, _fromNs, _toNs);
            count += taken;
        }
        return count;
    }

    /// <summary>
    /// The next entry inside the window only when it already lies whole in the buffer: no read of
    /// the file, no move to the next segment, so views into <see cref="Buffer"/> handed out since
    /// the last <see cref="TryNext(out long, out ReadOnlySpan{byte})"/> stay valid. Its payload is
    /// <c>Buffer[start .. start + length]</c>; <see cref="StepBack"/> undoes it. False when getting
    /// the next entry needs <see cref="TryNext(out long, out ReadOnlySpan{byte})"/> (which also judges
    /// damaged bytes). Used by <see cref="Auki.Activity.ActivityDataCursor.ReadViews"/>.
    /// </summary>
    internal bool TryNextBuffered(out long timestampNs, out int start, out int length)
    {
        if (_disposed) throw LogErrors.Closed("cursor has been closed");
        if (_reader.IsOpen) return _reader.TryTakeBuffered(_fromNs, _toNs, out timestampNs, out start, out length);
        timestampNs = 0;
        start = length = 0;
        return false;
    }

    /// <summary>The pinned buffer the views of this cursor point into (valid until the next read of the file).</summary>
    internal ReadOnlySpan<byte> Buffer => _reader.Buffer;

    /// <summary>Where in <see cref="Buffer"/> a payload this cursor returned starts.</summary>
    internal int BufferOffsetOf(ReadOnlySpan<byte> payload) => _reader.BufferOffsetOf(payload);

    /// <summary>Make the entry just returned by TryNext or TryNextBuffered the next one again.</summary>
    internal void StepBack()
    {
        if (!_reader.StepBack()) throw AukiException.Internal("internal error: cursor cannot step back");
    }

    private bool OpenNextSegment()
    {
        while (_nextSegment < _starts.Length)
        {
            long start = _starts[_nextSegment++];
            // Segments are sorted by start and entries stay inside their segment's window, so
            // windows entirely before or after the requested range hold nothing for us.
            if (start > _toNs)
            {
                _nextSegment = _starts.Length;
                return false;
            }
            if (SegmentFormat.SaturatingAdd(start, _segmentDurationNs) <= _fromNs) continue;
            if (_reader.TryOpen(SegmentDirectory.SegmentPath(_segmentsDir, start), SegmentFormat.HeaderSize))
            {
                // Only the newest segment may end in a torn write; a cut-short older one is damage.
                _reader.IsLatest = _nextSegment == _starts.Length;
                return true;
            }
        }
        return false;
    }

    /// <summary>Close the open segment file; later calls throw Closed.</summary>
    public void Dispose()
    {
        _disposed = true;
        _reader.Dispose();
    }
}
