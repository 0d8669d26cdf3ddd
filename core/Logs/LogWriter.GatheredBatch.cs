using System.Buffers.Binary;

namespace Auki.Logs;

public sealed partial class LogWriter
{
    /// <summary>
    /// Batch entries at least this large go to the file from the caller's memory (gathered) rather
    /// than through the buffer. Measured: at 1 KiB gathering was slower than copying (0.68× against
    /// 0.93× of fwrite), the kernel walking a vector per entry; at 64 KiB it wins (1.0× against 0.7×).
    /// </summary>
    private const int GatherThreshold = DirectWriteThreshold;

    /// <summary>Entries per gathered write: two vectors each, plus the buffer's, within Linux's IOV_MAX of 1024.</summary>
    private const int MaxGatheredEntries = 511;

    /// <summary>Bytes per gathered write (well under Linux's 2 GiB per write).</summary>
    private const int MaxGatheredBytes = 256 * 1024 * 1024;

    private readonly List<ReadOnlyMemory<byte>> _gather = new(2 * MaxGatheredEntries + 1);
    private byte[]? _gatherHeaders;

    /// <summary>One wrapper per payload of a gathered write (each may lie anywhere), made once and reused.</summary>
    private PinnedSpanMemory[]? _gatherPayloads;

    /// <summary>Where entry i's payload lies in a batch's payload memory.</summary>
    private interface IPayloadLayout
    {
        ulong Start(int i);

        int Length(int i);
    }

    private readonly unsafe struct SignedOffsets(long* offsets) : IPayloadLayout
    {
        public ulong Start(int i) => (ulong)offsets[i];

        public int Length(int i) => (int)(offsets[i + 1] - offsets[i]);
    }

    private readonly unsafe struct UnsignedOffsets(ulong* offsets) : IPayloadLayout
    {
        public ulong Start(int i) => offsets[i];

        public int Length(int i) => (int)(offsets[i + 1] - offsets[i]);
    }

    private readonly struct FixedSize(ulong size) : IPayloadLayout
    {
        public ulong Start(int i) => (ulong)i * size;

        public int Length(int i) => (int)size;
    }

    /// <summary>Payloads anywhere: entry i at address <c>payloads[i]</c> (relative to a null base).</summary>
    private readonly unsafe struct Addresses(nint* payloads, nuint* lengths) : IPayloadLayout
    {
        public ulong Start(int i) => (ulong)payloads[i];

        public int Length(int i) => (int)lengths[i];
    }

    /// <summary>
    /// Append a validated batch. Small entries go through the buffer as single appends do; runs of
    /// large ones (≥ 32 KiB) go from the caller's memory to the file in one <c>pwritev</c> per run,
    /// headers and payloads interleaved: no copy, one syscall per up to 511 entries.
    /// </summary>
    private unsafe void AppendEntries<TLayout>(ReadOnlySpan<long> timestampsNs, byte* payloads, TLayout layout)
        where TLayout : struct, IPayloadLayout
    {
        int i = 0;
        try
        {
            while (i < timestampsNs.Length)
            {
                int length = layout.Length(i);
                if (length >= GatherThreshold && i + 1 < timestampsNs.Length && layout.Length(i + 1) >= GatherThreshold)
                {
                    AppendGathered(timestampsNs, payloads, layout, ref i);
                    continue;
                }
                AppendChecked(timestampsNs[i], new ReadOnlySpan<byte>(payloads + layout.Start(i), length));
                i++;
            }
        }
        catch (AukiException e) when (i > 0)
        {
            throw PartialBatch(e, i);
        }
    }

    /// <summary>One run of large entries from <paramref name="i"/> on, in one vectored write; advances <paramref name="i"/> past what was appended.</summary>
    private unsafe void AppendGathered<TLayout>(ReadOnlySpan<long> timestampsNs, byte* payloads, TLayout layout, ref int i)
        where TLayout : struct, IPayloadLayout
    {
        long first = timestampsNs[i];
        if (first >= _currentEnd) Roll(first);
        if (first >= _evictAtNs) Evict(first);
        if (_current is null)
        {
            // The previous segment's fsync is still running: this entry waits in memory like a single append.
            AppendChecked(first, new ReadOnlySpan<byte>(payloads + layout.Start(i), layout.Length(i)));
            i++;
            return;
        }
        int headerSize = _entryHeaderSize;
        _gatherHeaders ??= new byte[MaxGatheredEntries * SegmentFormat.V2EntryHeaderSize];
        if (_gatherPayloads is null)
        {
            _gatherPayloads = new PinnedSpanMemory[MaxGatheredEntries];
            for (int k = 0; k < MaxGatheredEntries; k++) _gatherPayloads[k] = new PinnedSpanMemory();
        }
        int end = i;
        long runBytes = 0;
        while (end < timestampsNs.Length && end - i < MaxGatheredEntries)
        {
            int length = layout.Length(end);
            long ts = timestampsNs[end];
            if (length < GatherThreshold || ts >= _currentEnd || (end > i && ts >= _evictAtNs)) break;
            if (runBytes + headerSize + length > MaxGatheredBytes) break;
            runBytes += headerSize + (long)length;
            end++;
        }
        if (end == i)
        {
            // Even the first entry alone is larger than one gathered write: it goes on its own.
            AppendChecked(first, new ReadOnlySpan<byte>(payloads + layout.Start(i), layout.Length(i)));
            i++;
            return;
        }
        int run = end - i;
        try
        {
            _gather.Clear();
            if (_buffered > 0) _gather.Add(_buffer.AsMemory(0, _buffered));
            for (int k = i; k < end; k++)
            {
                var payload = _gatherPayloads[k - i].Wrap(payloads + layout.Start(k), layout.Length(k));
                var header = _gatherHeaders.AsMemory((k - i) * headerSize, headerSize);
                WriteEntryHeader(header.Span, timestampsNs[k], payload.Span);
                _gather.Add(header);
                _gather.Add(payload);
            }
            try
            {
                RandomAccess.Write(_current, _gather, _written);
            }
            catch (Exception e) when (LogErrors.IsIo(e))
            {
                i += KeepWholeGatheredEntries(timestampsNs, layout, i, end);
                throw LogErrors.Io(e);
            }
        }
        finally
        {
            _gather.Clear();
            for (int k = 0; k < run; k++) _gatherPayloads[k].Clear();
        }
        _written += _buffered + runBytes;
        _buffered = 0;
        _bufferedEntries = 0;
        for (int k = i; k < end; k++) CountWritten(timestampsNs[k]);
        i = end;
        StartWriteback();
        if (_fsyncIntervalTicks != 0 && System.Diagnostics.Stopwatch.GetTimestamp() - _lastSyncTicks >= _fsyncIntervalTicks) PeriodicSync();
    }

    /// <summary>An entry that reached the file: count it in the open segment.</summary>
    private void CountWritten(long timestampNs)
    {
        if (_currentEntries++ == 0) _currentFirstTs = timestampNs;
        _lastTs = timestampNs;
        _writtenLastTs = timestampNs;
    }

    /// <summary>
    /// After a gathered write failed part-way: as <see cref="RollBack"/> for the buffered bytes;
    /// of the run, the whole entries that reached the file stay (they are appended), the cut-short
    /// one is truncated away. Returns how many of the run's entries were appended.
    /// </summary>
    private int KeepWholeGatheredEntries<TLayout>(ReadOnlySpan<long> timestampsNs, TLayout layout, int from, int end)
        where TLayout : struct, IPayloadLayout
    {
        int kept = 0;
        try
        {
            long reached = RandomAccess.GetLength(_current!) - _written;
            if (reached < _buffered)
            {
                RollBack(pendingEntryStart: -1);
                return 0;
            }
            _written += _buffered;
            reached -= _buffered;
            _buffered = 0;
            _bufferedEntries = 0;
            _writtenLastTs = _lastTs;
            for (int k = from; k < end; k++)
            {
                long size = _entryHeaderSize + (long)layout.Length(k);
                if (size > reached) break;
                reached -= size;
                _written += size;
                CountWritten(timestampsNs[k]);
                kept++;
            }
            RandomAccess.SetLength(_current!, _written);
            return kept;
        }
        catch (Exception e) when (LogErrors.IsIo(e))
        {
            // The entries counted are whole in the file; the next open cuts the partial one as a torn tail.
            _broken = e.Message;
            return kept;
        }
    }
}
