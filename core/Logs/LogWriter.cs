using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Microsoft.Win32.SafeHandles;

namespace Auki.Logs;

/// <summary>
/// Appends timestamped entries to a log directory in upstream's on-disk format (or v2 with
/// <see cref="LogWriterOptions.Integrity"/>). One writer per log across processes
/// (<c>.writer.lock</c>). Not thread-safe: callers serialize access, as with a FileStream.
/// </summary>
/// <remarks>
/// Rules, upstream's unless marked: a new segment starts when there is none open or the
/// timestamp reaches the open one's end, at <c>floor(ts / duration) * duration</c>; the previous
/// segment is flushed and fsynced first. After each append with <c>retention_ns &gt; 0</c>, every
/// closed segment with <c>start + duration ≤ ts − retention_ns</c> is deleted (data time, never
/// the wall clock). Ours: timestamps never go backwards (equal is fine), also across reopen; a
/// reopened log continues its latest segment; a crash's torn tail is cut when the log is opened.
/// Entries sit in a 1 MiB buffer until it fills or <see cref="Flush"/>/<see cref="Close"/>; they
/// are not visible to readers before that, and <see cref="Dispose"/> is what persists them. After a
/// rollover the previous segment's fsync runs on the thread pool (<see cref="SegmentSeal"/>); the
/// new segment's entries stay in memory (the buffer grows up to 64 MiB) until it has finished, so the
/// append that rolls over does not wait for it and no newer segment exists before the older is durable.
/// <para>
/// Failed writes (ENOSPC, EIO): an append that throws has left nothing a reader will ever see,
/// and every entry whose append returned is either in the file or still in the buffer, in order.
/// A write that fails part-way keeps the whole entries that reached the file (a reader may have
/// returned them already), cuts the partial one off (<see cref="RollBack"/>), and keeps the rest
/// buffered for the next write, so <see cref="Flush"/> can be retried once there is space again.
/// A failed fsync leaves the written entries in the file, visible, but not known to be durable.
/// A batch that fails part-way has appended the entries before the failing one (the message says
/// how many).
/// </para>
/// </remarks>
public sealed partial class LogWriter : IDisposable
{
    private const int MinimumBufferCapacity = 64 * 1024;

    /// <summary>
    /// Payloads at least this large may go from the caller's memory to the OS without a copy: at
    /// once when the buffer is small, and gathered into one <c>pwritev</c> per run in a batch.
    /// </summary>
    private const int DirectWriteThreshold = 32 * 1024;

    /// <summary>
    /// Single appends copy payloads up to a quarter of the buffer (256 KiB at the default 1 MiB),
    /// as <c>fwrite</c> does: a syscall per 64 KiB entry cost more than the copy. Larger ones go direct.
    /// </summary>
    private readonly int _copyLimit;

    private readonly string _segmentsDir;
    private readonly string _manifestPath;
    private readonly WriterLock _lock;
    private readonly long _segmentDurationNs;
    private readonly ushort _newSegmentVersion;
    private readonly SegmentLedger _ledger = new();
    private byte[] _buffer;
    private readonly int _flushThreshold;
    private readonly long _fsyncIntervalTicks;
    private readonly ReadOnlyMemory<byte>[] _vector = new ReadOnlyMemory<byte>[2];
    private readonly PinnedSpanMemory _payloadMemory = new();

    private JsonObject _manifest;
    private long _retentionNs;

    /// <summary>Smallest timestamp at which the oldest closed segment falls out of retention.</summary>
    private long _evictAtNs = long.MaxValue;

    /// <summary>The ledger's newest segment was found on open and may be continued by the first append.</summary>
    private bool _latestContinuable;
    private readonly ushort _latestVersion;

    private SafeFileHandle? _current;
    private long _currentStart;

    /// <summary>End of the open segment's window; long.MinValue while none is open, so any timestamp rolls.</summary>
    private long _currentEnd = long.MinValue;
    private int _entryHeaderSize;
    private bool _currentIsV2;

    /// <summary>Bytes of the open segment already handed to the OS (the offset of the buffer's first byte).</summary>
    private long _written;
    private int _buffered;
    private long _currentEntries;
    private long _currentFirstTs;

    /// <summary>Timestamp of the newest entry in the log; -1 for none (valid timestamps are ≥ 0).</summary>
    private long _lastTs = -1;

    /// <summary>Entries of the open segment still in the buffer (readers cannot see them yet).</summary>
    private long _bufferedEntries;

    /// <summary>Timestamp of the newest entry handed to the OS; -1 for none.</summary>
    private long _writtenLastTs = -1;
    private long _lastSyncTicks;
    private bool _closed;

    /// <summary>Offset of the open segment up to which writeback was started (<see cref="Writeback"/>).</summary>
    private long _writebackFrom;

    /// <summary>Set when a failed write could not be undone: the writer refuses further work (reopen the log).</summary>
    private string? _broken;

    /// <summary>A periodic or rollover fsync's failure, reported by the next Flush.</summary>
    private string? _deferredFsyncError;

    /// <summary>
    /// The previous segment's fsync and close, running off the append thread since the rollover
    /// that closed it; null once observed. While it runs, the open segment has no file yet
    /// (<see cref="_current"/> is null) and its entries wait in the buffer, so a newer segment never
    /// exists on disk before the older one is durable (the torn-tail rule of FORMAT.md).
    /// </summary>
    private SegmentSeal? _seal;

    /// <summary>
    /// A segment file was created since the segments directory was last fsynced. An fsync of the
    /// file makes its bytes durable, not its name (POSIX; ext4 happens to commit both, other file
    /// systems need not), so the fsync that claims the segment's entries durable — a flush, a
    /// periodic sync, or the seal at its rollover — also fsyncs the directory, once per new segment.
    /// </summary>
    private bool _segmentNameUnsynced;

    private LogWriter(string root, JsonObject manifest, LogManifestFile.Durations durations, LogWriterOptions options,
        WriterLock writerLock, Recovery recovery)
    {
        Root = root;
        _segmentsDir = SegmentDirectory.SegmentsPath(root);
        _manifestPath = SegmentDirectory.ManifestPath(root);
        _lock = writerLock;
        _manifest = manifest;
        _segmentDurationNs = durations.SegmentDurationNs;
        _retentionNs = durations.RetentionNs;
        _newSegmentVersion = options.Integrity switch
        {
            true => SegmentFormat.Version2,
            false => SegmentFormat.Version1,
            null => recovery.InheritedVersion == SegmentFormat.Version2 ? SegmentFormat.Version2 : SegmentFormat.Version1,
        };
        _buffer = GC.AllocateUninitializedArray<byte>(Math.Max(options.BufferSize, MinimumBufferCapacity));
        _copyLimit = Math.Max(DirectWriteThreshold, _buffer.Length / 4);
        _flushThreshold = options.BufferSize;
        _fsyncIntervalTicks = options.FsyncIntervalNs == 0 ? 0
            : (long)Math.Max(1, options.FsyncIntervalNs * (Stopwatch.Frequency / 1e9));
        _lastSyncTicks = Stopwatch.GetTimestamp();

        foreach (long start in recovery.OlderStarts)
            _ledger.PushBack(new SegmentLedger.Record { Start = start });
        if (recovery.Latest is SegmentLedger.Record latest)
        {
            _ledger.PushBack(latest);
            _latestContinuable = true;
            _latestVersion = recovery.LatestVersion;
            _lastTs = recovery.LastTimestampNs;
            _writtenLastTs = recovery.LastTimestampNs;
        }
        UpdateEvictionTrigger();
    }

    /// <summary>
    /// Open or create the log at <paramref name="root"/>. A new log gets <paramref name="manifest"/>
    /// written as canonical JSON (atomically, once); an existing log's on-disk manifest wins and
    /// <paramref name="manifest"/> is ignored. Errors: <c>manifest: …</c> (InvalidArgument),
    /// <c>log is locked by another writer: …</c> (Busy), <c>format: …</c> (Corrupt latest segment),
    /// <c>io: …</c> (Io).
    /// </summary>
    public static LogWriter Open(string root, JsonObject manifest, LogWriterOptions? options = null)
    {
        LogErrors.RequireRoot(root);
        if (manifest is null) throw LogErrors.Manifest("manifest must be a JSON object");
        options ??= new LogWriterOptions();
        if (options.FsyncIntervalNs < 0) throw AukiException.Invalid("fsync interval must not be negative");
        if (options.BufferSize < 0) throw AukiException.Invalid("buffer size must not be negative");

        // A new log's manifest is checked before anything is created: a refused open leaves no trace.
        try
        {
            if (!File.Exists(SegmentDirectory.ManifestPath(root))) LogManifestFile.Canonical((JsonObject)manifest.DeepClone());
        }
        catch (Exception e) when (LogErrors.IsIo(e))
        {
            throw LogErrors.Io(e);
        }

        WriterLock? writerLock = null;
        try
        {
            // A new log's directories are named durably before its first segment can be claimed durable.
            Storage.DurableDirectory.Create(root);
            writerLock = WriterLock.Acquire(root);
            Storage.DurableDirectory.Create(SegmentDirectory.SegmentsPath(root));
            var (onDisk, durations) = LoadOrCreateManifest(root, manifest);
            var recovery = Recover(SegmentDirectory.SegmentsPath(root));
            return new LogWriter(root, onDisk, durations, options, writerLock, recovery);
        }
        catch (Exception e)
        {
            writerLock?.Dispose();
            if (LogErrors.IsIo(e)) throw LogErrors.Io(e);
            throw;
        }
    }

    /// <summary>The log directory as given.</summary>
    public string Root { get; }

    /// <summary>A copy of the manifest in effect (the on-disk one).</summary>
    public JsonObject Manifest
    {
        get
        {
            ThrowIfClosed();
            return (JsonObject)_manifest.DeepClone();
        }
    }

    /// <summary><c>segment_duration_ns</c> in effect.</summary>
    public long SegmentDurationNs => _segmentDurationNs;

    /// <summary><c>retention_ns</c> in effect (0 = keep everything).</summary>
    public long RetentionNs => _retentionNs;

    /// <summary>Whether segments this writer creates are format v2 (per-entry CRC32C).</summary>
    public bool Integrity => _newSegmentVersion == SegmentFormat.Version2;

    /// <summary>Timestamp of the newest entry in the log (also from before this writer opened); null when empty.</summary>
    public long? LastTimestampNs => _lastTs >= 0 ? _lastTs : null;

    /// <summary>Starts of the log's segments, ascending, including the one being written.</summary>
    public IReadOnlyList<long> SegmentStarts
    {
        get
        {
            ThrowIfClosed();
            var starts = new List<long>(_ledger.Count + 1);
            for (int i = 0; i < _ledger.Count; i++) starts.Add(_ledger[i].Start);
            if (SegmentOpen) starts.Add(_currentStart);
            return starts;
        }
    }

    /// <summary>
    /// Append one entry. <paramref name="timestampNs"/> must be ≥ 0 (<c>format: timestamp_ns must be ≥ 0</c>)
    /// and not earlier than the log's last entry (<c>format: timestamp_ns … is earlier than the last
    /// entry (…)</c>); a rejected append writes nothing. The entry is buffered; see the type's remarks.
    /// </summary>
    public void Append(long timestampNs, ReadOnlySpan<byte> payload)
    {
        ThrowIfClosed();
        if (timestampNs < _lastTs || timestampNs < 0) throw TimestampError(timestampNs, _lastTs);
        AppendChecked(timestampNs, payload);
    }

    /// <summary>
    /// Append a batch laid out as numpy/Arrow hand it over: entry i has timestamp
    /// <c>timestampsNs[i]</c> and payload <c>payloads[offsets[i]..offsets[i+1]]</c>, so
    /// <paramref name="offsets"/> has one element more than <paramref name="timestampsNs"/>
    /// (may be empty for an empty batch). The whole batch is validated before anything is written.
    /// </summary>
    public void AppendMany(ReadOnlySpan<long> timestampsNs, ReadOnlySpan<byte> payloads, ReadOnlySpan<long> offsets)
    {
        ThrowIfClosed();
        int count = timestampsNs.Length;
        if (count == 0 && offsets.IsEmpty) return;
        if (offsets.Length != count + 1)
            throw LogErrors.Payload("offsets must have one element more than timestamps");
        if (offsets[0] < 0 || offsets[count] > payloads.Length)
            throw LogErrors.Payload("offsets must lie within the payload buffer");
        for (int k = 0; k < count; k++)
            if (offsets[k + 1] < offsets[k]) throw LogErrors.Payload("offsets must be non-decreasing");
        ValidateTimestamps(timestampsNs);
        unsafe
        {
            fixed (byte* data = payloads)
            fixed (long* starts = offsets)
                AppendEntries(timestampsNs, data, new SignedOffsets(starts));
        }
    }

    /// <summary>
    /// Append a batch of equal-sized payloads (a 2-D array's rows): entry i has payload
    /// <c>payloads[i*payloadSize..(i+1)*payloadSize]</c>. Validated as a whole before writing.
    /// </summary>
    public void AppendMany(ReadOnlySpan<long> timestampsNs, ReadOnlySpan<byte> payloads, int payloadSize)
    {
        ThrowIfClosed();
        if (payloadSize < 0 || (long)payloadSize * timestampsNs.Length != payloads.Length)
            throw LogErrors.Payload("payload buffer length must be the entry count times the payload size");
        ValidateTimestamps(timestampsNs);
        unsafe
        {
            fixed (byte* data = payloads)
                AppendEntries(timestampsNs, data, new FixedSize((ulong)payloadSize));
        }
    }

    /// <summary>
    /// The offsets batch over native memory (the C ABI): entry i's payload is
    /// <c>payloads[offsets[i]..offsets[i+1]]</c>; the buffer may be larger than a span can address,
    /// each payload must be smaller than 2 GiB. Validated as a whole before anything is written.
    /// </summary>
    public unsafe void AppendMany(ReadOnlySpan<long> timestampsNs, byte* payloads, ulong payloadsLength, ReadOnlySpan<ulong> offsets)
    {
        ThrowIfClosed();
        int count = timestampsNs.Length;
        if (count == 0 && offsets.IsEmpty) return;
        if (offsets.Length != count + 1)
            throw LogErrors.Payload("offsets must have one element more than timestamps");
        if (offsets[count] > payloadsLength)
            throw LogErrors.Payload("offsets must lie within the payload buffer");
        for (int k = 0; k < count; k++)
        {
            if (offsets[k + 1] < offsets[k]) throw LogErrors.Payload("offsets must be non-decreasing");
            if (offsets[k + 1] - offsets[k] > int.MaxValue) throw PayloadTooLarge(k);
        }
        ValidateTimestamps(timestampsNs);
        fixed (ulong* starts = offsets)
            AppendEntries(timestampsNs, payloads, new UnsignedOffsets(starts));
    }

    /// <summary>
    /// The fixed-size batch over native memory (the C ABI): entry i's payload is the
    /// <paramref name="payloadSize"/> bytes at <c>payloads + i * payloadSize</c>. Validated as a whole first.
    /// </summary>
    public unsafe void AppendMany(ReadOnlySpan<long> timestampsNs, byte* payloads, ulong payloadSize)
    {
        ThrowIfClosed();
        if (timestampsNs.IsEmpty) return;
        if (payloadSize > int.MaxValue) throw PayloadTooLarge(0);
        ValidateTimestamps(timestampsNs);
        AppendEntries(timestampsNs, payloads, new FixedSize(payloadSize));
    }

    /// <summary>
    /// The gathered batch over native memory (the C ABI): entry i's payload is the
    /// <c>lengths[i]</c> bytes at <c>payloads[i]</c>, wherever each lies (frames in buffers of their
    /// own). Payloads the writer would not copy go to the file from there, gathered into one
    /// vectored write per run. Validated as a whole before anything is written: a NULL payload with
    /// a length, a payload of 2 GiB or more, or a timestamp out of order refuses the batch, naming
    /// the entry.
    /// </summary>
    public unsafe void AppendMany(ReadOnlySpan<long> timestampsNs, ReadOnlySpan<nint> payloads, ReadOnlySpan<nuint> lengths)
    {
        ThrowIfClosed();
        int count = timestampsNs.Length;
        if (payloads.Length != count || lengths.Length != count)
            throw LogErrors.Payload("payloads and lengths must have one element per timestamp");
        for (int k = 0; k < count; k++)
        {
            if (lengths[k] > int.MaxValue) throw PayloadTooLarge(k);
            if (payloads[k] == 0 && lengths[k] != 0)
                throw LogErrors.Payload($"entry {k.ToString(CultureInfo.InvariantCulture)} has a NULL payload and a length of {lengths[k].ToString(CultureInfo.InvariantCulture)}");
        }
        ValidateTimestamps(timestampsNs);
        fixed (nint* starts = payloads)
        fixed (nuint* sizes = lengths)
            AppendEntries(timestampsNs, null, new Addresses(starts, sizes));
    }

    /// <summary>
    /// Write buffered entries to the current segment and fsync it (upstream's <c>flush</c>). On
    /// return every entry appended so far is durable. On an Io error nothing is lost that was not
    /// lost before: entries that did not reach the file stay buffered (call again once there is
    /// space), and after a failed fsync the written ones are in the file but not known to be durable.
    /// </summary>
    public void Flush()
    {
        ThrowIfClosed();
        Sync();
        ThrowDeferredFsyncError();
    }

    private void ThrowDeferredFsyncError()
    {
        if (_deferredFsyncError is string earlier)
        {
            _deferredFsyncError = null;
            throw LogErrors.Io($"an earlier fsync failed ({earlier}); entries written before it may not be durable");
        }
    }

    /// <summary>
    /// Hand buffered entries to the operating system without an fsync: readers and tails see them
    /// at once and they survive this process dying (not a power loss). Cheaper than <see cref="Flush"/>.
    /// </summary>
    public void WriteBuffered()
    {
        ThrowIfClosed();
        if (SegmentOpen) FlushBuffer();
    }

    /// <summary>
    /// Change <c>retention_ns</c>: the manifest file is rewritten atomically first, then the
    /// writer uses the new value from the next append on (nothing is evicted now). Negative →
    /// <c>manifest: retention_ns must be ≥ 0</c>.
    /// </summary>
    public void SetRetention(long retentionNs)
    {
        ThrowIfClosed();
        if (retentionNs < 0) throw LogErrors.Manifest("retention_ns must be ≥ 0");
        var updated = (JsonObject)_manifest.DeepClone();
        updated[LogManifestFile.RetentionKey] = JsonValue.Create(retentionNs);
        try
        {
            LogManifestFile.Write(_manifestPath, updated);
        }
        catch (Exception e) when (LogErrors.IsIo(e))
        {
            throw LogErrors.Io(e);
        }
        _manifest = updated;
        _retentionNs = retentionNs;
        UpdateEvictionTrigger();
    }

    /// <summary>
    /// Totals for the whole log as this writer sees it, including entries still in its buffer:
    /// O(1) except that segments from before this writer opened are scanned once, on the first call.
    /// </summary>
    public LogStats GetStats() => Totals(includeBuffered: true);

    /// <summary>
    /// Totals of what readers can see now (as <see cref="LogStats.Compute"/> would measure them):
    /// like <see cref="GetStats"/> but without the entries still in this writer's buffer. O(1) after
    /// the first call, so a catalog can report a growing log without rescanning its segments.
    /// </summary>
    public LogStats GetWrittenStats() => Totals(includeBuffered: false);

    private LogStats Totals(bool includeBuffered)
    {
        ThrowIfClosed();
        try
        {
            ResolveUnknownSegments();
        }
        catch (Exception e) when (LogErrors.IsIo(e))
        {
            throw LogErrors.Io(e);
        }
        long currentEntries = includeBuffered ? _currentEntries : _currentEntries - _bufferedEntries;
        long entries = _ledger.KnownEntries + currentEntries;
        long bytes = _ledger.KnownBytes + (SegmentOpen ? _written + (includeBuffered ? _buffered : 0) : 0);
        long? first = null;
        for (int i = 0; i < _ledger.Count && first is null; i++)
            if (_ledger[i].Entries > 0) first = _ledger[i].FirstTimestampNs;
        if (first is null && currentEntries > 0) first = _currentFirstTs;
        long last = includeBuffered ? _lastTs : _writtenLastTs;
        return new LogStats(bytes, entries, first, entries > 0 ? last : null);
    }

    /// <summary>Count the segments that were on disk before this writer opened (scanned once per writer).</summary>
    private void ResolveUnknownSegments()
    {
        for (int i = 0; i < _ledger.Count && _ledger.UnknownCount > 0; i++)
        {
            if (_ledger[i].Known) continue;
            string path = SegmentDirectory.SegmentPath(_segmentsDir, _ledger[i].Start);
            var report = SegmentScanner.Scan(path, verifyAllChecksums: false);
            bool present = LogStats.ThrowOnHeaderProblem(report);
            _ledger.Resolve(i, present ? report.Entries : 0, present ? report.FileBytes : 0, report.FirstTimestampNs ?? 0, report.LastTimestampNs ?? 0);
        }
    }

    /// <summary>
    /// Flush, fsync and close the current segment and release the writer lock. Idempotent. The
    /// writer is closed even when this throws; the message then says how many buffered entries
    /// could not be written.
    /// </summary>
    public void Close()
    {
        if (_closed) return;
        _closed = true;
        try
        {
            if (_broken is not null) throw BrokenError();
            Sync();
            ThrowDeferredFsyncError();
            RecordExtent();
        }
        catch (AukiException e) when (e.Code == AukiErrorCode.Io && _bufferedEntries > 0)
        {
            throw AukiException.Io(string.Create(CultureInfo.InvariantCulture,
                $"{e.Message}; the writer is closed and the {_bufferedEntries} entries still in its buffer were not written"), e);
        }
        finally
        {
            // The lock outlives the previous segment's fsync: a next writer must not create segments before it is durable.
            _seal?.Wait();
            _seal = null;
            _current?.Dispose();
            _current = null;
            _lock.Dispose();
        }
    }

    /// <summary>Same as <see cref="Close"/>.</summary>
    public void Dispose() => Close();

    // ---- append path -------------------------------------------------------------------------

    private void AppendChecked(long timestampNs, ReadOnlySpan<byte> payload)
    {
        if (timestampNs >= _currentEnd) Roll(timestampNs);
        // Everything that can fail without this entry goes first, so a failed append wrote nothing.
        if (timestampNs >= _evictAtNs) Evict(timestampNs);
        int headerSize = _entryHeaderSize;
        long total = headerSize + (long)payload.Length;
        if (total <= _buffer.Length - _buffered && payload.Length < _copyLimit)
        {
            int entryStart = _buffered;
            Span<byte> entry = _buffer.AsSpan(entryStart, (int)total);
            WriteEntryHeader(entry, timestampNs, payload);
            payload.CopyTo(entry[headerSize..]);
            _buffered += (int)total;
            if (_buffered >= _flushThreshold) FlushBuffer(entryStart, mayDefer: true);
        }
        else
        {
            AppendLarge(timestampNs, payload);
        }
        // Every flush above wrote the entries before this one; an empty buffer means this one went out too.
        if (_buffered == 0) _writtenLastTs = timestampNs;
        else _bufferedEntries++;

        if (_currentEntries++ == 0) _currentFirstTs = timestampNs;
        _lastTs = timestampNs;
        if (_fsyncIntervalTicks != 0 && Stopwatch.GetTimestamp() - _lastSyncTicks >= _fsyncIntervalTicks) PeriodicSync();
    }

    /// <summary>
    /// The <c>fsync_interval_ns</c> sync. It runs after the entry is in the writer, so it must
    /// not fail the append: a failed write leaves the entries buffered for the next one, and a
    /// failed fsync is kept for the next <see cref="Flush"/> to report (Linux reports an fsync
    /// error once, so a later fsync would succeed and hide it).
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void PeriodicSync()
    {
        if (_seal is { IsCompleted: false }) return; // a rollover's fsync is running; the next append tries again
        try
        {
            Sync();
        }
        catch (AukiException e) when (e.Code == AukiErrorCode.Io)
        {
            if (_buffered == 0) _deferredFsyncError ??= e.Message;
            _lastSyncTicks = Stopwatch.GetTimestamp();
        }
    }

    /// <summary>Entry header into <paramref name="destination"/>; for v2 the CRC covers the 12 header bytes, then the payload.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void WriteEntryHeader(Span<byte> destination, long timestampNs, ReadOnlySpan<byte> payload)
    {
        BinaryPrimitives.WriteInt64LittleEndian(destination, timestampNs);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[8..], (uint)payload.Length);
        if (_currentIsV2)
        {
            uint crc = Crc32C.Update(Crc32C.InitialState, destination[..SegmentFormat.ChecksummedHeaderSize]);
            BinaryPrimitives.WriteUInt32LittleEndian(destination[SegmentFormat.ChecksummedHeaderSize..], Crc32C.Finish(Crc32C.Update(crc, payload)));
        }
    }

    /// <summary>An entry that does not fit the buffer's free space, or is big enough to skip the copy.</summary>
    private void AppendLarge(long timestampNs, ReadOnlySpan<byte> payload)
    {
        int headerSize = _entryHeaderSize;
        long total = headerSize + (long)payload.Length;
        if (MayWaitForSealInMemory && _buffered + total <= SpillLimit)
        {
            // The previous segment is still being made durable: keep this one's entries in memory
            // rather than wait for the fsync (the rollover stall this writer exists to avoid).
            GrowBuffer(_buffered + (int)total);
            Span<byte> entry = _buffer.AsSpan(_buffered, (int)total);
            WriteEntryHeader(entry, timestampNs, payload);
            payload.CopyTo(entry[headerSize..]);
            _buffered += (int)total;
            return;
        }
        if (_current is null) FlushBuffer(); // waits for the fsync, creates the file, writes what waited
        if (payload.Length >= _copyLimit || total > _buffer.Length)
        {
            if (_buffer.Length - _buffered < headerSize) FlushBuffer();
            WriteEntryHeader(_buffer.AsSpan(_buffered, headerSize), timestampNs, payload);
            _buffered += headerSize;
            WriteBufferAndPayload(payload);
        }
        else
        {
            FlushBuffer();
            Span<byte> entry = _buffer.AsSpan(0, headerSize + payload.Length);
            WriteEntryHeader(entry, timestampNs, payload);
            payload.CopyTo(entry[headerSize..]);
            _buffered = entry.Length;
            if (_buffered >= _flushThreshold) FlushBuffer(pendingEntryStart: 0);
        }
    }

    /// <summary>Most a buffer grows to while a rollover's fsync runs; past it the append waits for the fsync.</summary>
    private const int SpillLimit = 64 * 1024 * 1024;

    /// <summary>Make the buffer hold at least <paramref name="capacity"/> bytes, keeping its contents (kept grown for the next rollover).</summary>
    private void GrowBuffer(int capacity)
    {
        if (capacity <= _buffer.Length) return;
        var grown = GC.AllocateUninitializedArray<byte>((int)Math.Min(SpillLimit, Math.Max(2L * capacity, 2L * _buffer.Length)));
        _buffer.AsSpan(0, _buffered).CopyTo(grown);
        _buffer = grown;
    }

    /// <summary>
    /// One <c>pwritev</c> for the buffered bytes (ending with this entry's header) and the payload
    /// straight from the caller's memory: no copy, one syscall per large entry.
    /// </summary>
    private unsafe void WriteBufferAndPayload(ReadOnlySpan<byte> payload)
    {
        try
        {
            fixed (byte* pointer = payload)
            {
                _vector[0] = _buffer.AsMemory(0, _buffered);
                _vector[1] = _payloadMemory.Wrap(pointer, payload.Length);
                try
                {
                    RandomAccess.Write(_current!, _vector, _written);
                }
                catch (Exception e) when (LogErrors.IsIo(e))
                {
                    RollBack(pendingEntryStart: _buffered - _entryHeaderSize);
                    throw;
                }
                finally
                {
                    _vector[1] = default;
                    _payloadMemory.Clear();
                }
            }
        }
        catch (Exception e) when (LogErrors.IsIo(e))
        {
            throw LogErrors.Io(e);
        }
        _written += _buffered + (long)payload.Length;
        _buffered = 0;
        _bufferedEntries = 0;
        _writtenLastTs = _lastTs;
        StartWriteback();
    }

    /// <summary>Every <see cref="Writeback.Stride"/> bytes, start writing the segment's new bytes to disk.</summary>
    private void StartWriteback()
    {
        if (_written - _writebackFrom < Writeback.Stride) return;
        Writeback.Start(_current!, _writebackFrom, _written - _writebackFrom, dropBefore: _writebackFrom - Writeback.CachedBehind);
        _writebackFrom = _written;
    }

    /// <summary>The ordering rule over a whole batch before anything is written; the error names the entry.</summary>
    private void ValidateTimestamps(ReadOnlySpan<long> timestampsNs)
    {
        long previous = _lastTs;
        for (int i = 0; i < timestampsNs.Length; i++)
        {
            long ts = timestampsNs[i];
            if (ts < previous || ts < 0) throw BatchTimestampError(ts, previous, i);
            previous = ts;
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static AukiException BatchTimestampError(long timestampNs, long lastNs, int index)
    {
        var rule = TimestampRule.Error(timestampNs, lastNs);
        return new(rule.Code, string.Create(CultureInfo.InvariantCulture, $"{rule.Message} (entry {index} of the batch)"));
    }

    private static AukiException PartialBatch(AukiException e, int appended) =>
        new(e.Code, string.Create(CultureInfo.InvariantCulture, $"{e.Message} (the first {appended} entries of the batch were appended)"), e);

    private static AukiException PayloadTooLarge(int index) =>
        LogErrors.Payload($"entry {index.ToString(CultureInfo.InvariantCulture)} is 2 GiB or larger (each payload must be smaller)");

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static AukiException TimestampError(long timestampNs, long lastNs) => TimestampRule.Error(timestampNs, lastNs);

    // ---- segments ----------------------------------------------------------------------------

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Roll(long timestampNs)
    {
        // timestampNs ≥ 0, so integer division is the floor.
        long start = timestampNs / _segmentDurationNs * _segmentDurationNs;
        try
        {
            if (SegmentOpen)
            {
                if (start == _currentStart) return; // window end saturated at long.MaxValue
                CloseCurrent();
            }
            if (_latestContinuable)
            {
                _latestContinuable = false;
                if (_ledger[_ledger.Count - 1].Start == start)
                {
                    ContinueLatest();
                    return;
                }
            }
            if (_ledger.Count > 0 && start <= _ledger[_ledger.Count - 1].Start)
                throw LogErrors.Corrupt(string.Create(CultureInfo.InvariantCulture,
                    $"timestamp_ns {timestampNs} belongs before the newest segment ({_ledger[_ledger.Count - 1].Start}); the log's segments do not match its entries"));
            CreateSegment(start);
        }
        catch (Exception e) when (LogErrors.IsIo(e))
        {
            throw LogErrors.Io(e);
        }
    }

    private void CreateSegment(long start)
    {
        // After a rollover the file waits until the previous segment is durable (OpenPendingFile).
        if (_seal is null)
        {
            _current = File.OpenHandle(SegmentDirectory.SegmentPath(_segmentsDir, start), FileMode.CreateNew, FileAccess.Write, FileShare.Read);
            _segmentNameUnsynced = true;
            _recordAfterWrite = true;
        }
        SetCurrent(start, _newSegmentVersion, written: 0, entries: 0, firstTs: 0);
        // The header goes out with the first entries (readers treat a short file as "not yet").
        SegmentFormat.WriteHeader(_buffer, _newSegmentVersion, start);
        _buffered = SegmentFormat.HeaderSize;
    }

    /// <summary>The open segment's file, created once the previous segment's fsync has finished (waiting for it if need be).</summary>
    private void OpenPendingFile()
    {
        ObserveSeal();
        _current = File.OpenHandle(SegmentDirectory.SegmentPath(_segmentsDir, _currentStart), FileMode.CreateNew, FileAccess.Write, FileShare.Read);
        _segmentNameUnsynced = true;
        _recordAfterWrite = true;
    }

    /// <summary>Wait for the previous segment's fsync; a failure is kept for the next Flush or Close to report.</summary>
    private void ObserveSeal()
    {
        if (_seal is not { } seal) return;
        _seal = null;
        if (seal.Wait() is string error) _deferredFsyncError ??= error;
    }

    /// <summary>
    /// The open segment's file waits for the previous segment's fsync, and entries may wait in
    /// memory meanwhile: not for an unbuffered writer (<c>buffer_size</c> 0), whose every append
    /// must reach the file before it returns, so that one waits for the fsync as before.
    /// </summary>
    private bool MayWaitForSealInMemory => _flushThreshold > 0 && _current is null && _seal is { IsCompleted: false };

    /// <summary>Whether a segment is open (its file may still be pending, see <see cref="_seal"/>).</summary>
    private bool SegmentOpen => _currentEnd != long.MinValue;

    /// <summary>Reopen the latest segment found on open and append after its last complete entry.</summary>
    private void ContinueLatest()
    {
        var latest = _ledger.PopBack();
        string path = SegmentDirectory.SegmentPath(_segmentsDir, latest.Start);
        _current = File.OpenHandle(path, FileMode.Open, FileAccess.Write, FileShare.Read);
        SetCurrent(latest.Start, _latestVersion, latest.Bytes, latest.Entries, latest.FirstTimestampNs);
        UpdateEvictionTrigger();
    }

    private void SetCurrent(long start, ushort version, long written, long entries, long firstTs)
    {
        _currentStart = start;
        _currentEnd = SegmentFormat.SaturatingAdd(start, _segmentDurationNs);
        _currentIsV2 = version == SegmentFormat.Version2;
        _entryHeaderSize = SegmentFormat.EntryHeaderSize(version);
        _written = written;
        _writebackFrom = written;
        _buffered = 0;
        _currentEntries = entries;
        _currentFirstTs = firstTs;
    }

    /// <summary>
    /// Rollover: write out the open segment and file it in the ledger; its fsync (upstream's, kept)
    /// runs off the append thread, and the next segment's file is created only once it is done.
    /// </summary>
    private void CloseCurrent()
    {
        FlushBufferUnchecked();
        _seal = SegmentSeal.Start(_current!, _segmentNameUnsynced ? _segmentsDir : null);
        _segmentNameUnsynced = false;
        _current = null;
        _currentEnd = long.MinValue;
        _ledger.PushBack(new SegmentLedger.Record
        {
            Start = _currentStart,
            Entries = _currentEntries,
            Bytes = _written,
            FirstTimestampNs = _currentFirstTs,
            LastTimestampNs = _writtenLastTs,
            Known = true,
        });
        _currentEntries = 0;
        UpdateEvictionTrigger();
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Evict(long timestampNs)
    {
        long threshold = timestampNs - _retentionNs;
        try
        {
            while (_ledger.Count > 0 && SegmentFormat.SaturatingAdd(_ledger[0].Start, _segmentDurationNs) <= threshold)
            {
                File.Delete(SegmentDirectory.SegmentPath(_segmentsDir, _ledger[0].Start));
                _ledger.PopFront();
                _recordAfterWrite = true;
            }
        }
        catch (Exception e) when (LogErrors.IsIo(e))
        {
            throw LogErrors.Io(e);
        }
        UpdateEvictionTrigger();
    }

    /// <summary>Keeps the per-append retention check to one comparison.</summary>
    private void UpdateEvictionTrigger()
    {
        _evictAtNs = _retentionNs > 0 && _ledger.Count > 0
            ? SegmentFormat.SaturatingAdd(SegmentFormat.SaturatingAdd(_ledger[0].Start, _segmentDurationNs), _retentionNs)
            : long.MaxValue;
    }

    // ---- I/O ---------------------------------------------------------------------------------

    /// <summary>Write the buffer out; the parameters as in <see cref="FlushBufferUnchecked"/>.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void FlushBuffer(int pendingEntryStart = -1, bool mayDefer = false)
    {
        try
        {
            FlushBufferUnchecked(pendingEntryStart, mayDefer);
        }
        catch (Exception e) when (LogErrors.IsIo(e))
        {
            throw LogErrors.Io(e);
        }
    }

    /// <summary>
    /// Write the buffer at the end of what is committed. <paramref name="pendingEntryStart"/> is
    /// where the entry being appended starts in the buffer (-1 when none is): if the write fails,
    /// that entry is dropped, because its append is about to fail. <paramref name="mayDefer"/>: a
    /// flush only to keep the buffer small may wait while the previous segment's fsync runs.
    /// </summary>
    private void FlushBufferUnchecked(int pendingEntryStart = -1, bool mayDefer = false)
    {
        if (_current is null)
        {
            if (mayDefer && MayWaitForSealInMemory) return;
            try
            {
                OpenPendingFile();
            }
            catch (Exception e) when (LogErrors.IsIo(e))
            {
                if (pendingEntryStart >= 0) _buffered = pendingEntryStart;
                throw;
            }
        }
        if (_buffered == 0) return;
        try
        {
            RandomAccess.Write(_current!, _buffer.AsSpan(0, _buffered), _written);
        }
        catch (Exception e) when (LogErrors.IsIo(e))
        {
            RollBack(pendingEntryStart);
            throw;
        }
        _written += _buffered;
        _buffered = 0;
        _bufferedEntries = 0;
        _writtenLastTs = _lastTs;
        StartWriteback();
        if (_recordAfterWrite && _ledger.UnknownCount <= MaxScansForARecordOnTheWritePath) RecordExtent();
    }

    /// <summary>
    /// After a write failed part-way: the whole entries (and the segment header) that reached the
    /// file stay, committed, since a reader may already have returned them; the cut-short one is
    /// truncated away so no reader ever sees more of it; the entries that did not make it stay in
    /// the buffer, in order, for the next write. The entry from <paramref name="pendingEntryStart"/>
    /// on (the one whose append fails) is dropped. If the file cannot be restored the writer is
    /// broken: it refuses further work, and the next open cuts the partial entry as a torn tail.
    /// </summary>
    private void RollBack(int pendingEntryStart)
    {
        int keep = pendingEntryStart >= 0 ? pendingEntryStart : _buffered;
        try
        {
            long reached = RandomAccess.GetLength(_current!) - _written;
            int boundary = 0;
            int pos = 0;
            long entries = 0;
            long lastTs = _writtenLastTs;
            if (_written == 0)
            {
                // A new segment's buffer starts with its header.
                pos = reached >= SegmentFormat.HeaderSize && keep >= SegmentFormat.HeaderSize ? SegmentFormat.HeaderSize : -1;
                boundary = Math.Max(pos, 0);
            }
            while (pos >= 0 && pos + _entryHeaderSize <= keep)
            {
                long end = pos + _entryHeaderSize + (long)BinaryPrimitives.ReadUInt32LittleEndian(_buffer.AsSpan(pos + 8));
                if (end > keep || end > reached) break;
                lastTs = BinaryPrimitives.ReadInt64LittleEndian(_buffer.AsSpan(pos));
                entries++;
                pos = (int)end;
                boundary = pos;
            }
            RandomAccess.SetLength(_current!, _written + boundary);
            _buffer.AsSpan(boundary, keep - boundary).CopyTo(_buffer);
            _written += boundary;
            _buffered = keep - boundary;
            _bufferedEntries -= entries;
            _writtenLastTs = lastTs;
        }
        catch (Exception e) when (LogErrors.IsIo(e))
        {
            _broken = e.Message;
        }
    }

    private AukiException BrokenError() =>
        LogErrors.Io($"a failed write could not be undone ({_broken}); close the writer and open the log again");

    private void Sync()
    {
        try
        {
            ObserveSeal();
            if (SegmentOpen)
            {
                FlushBufferUnchecked();
                RandomAccess.FlushToDisk(_current!);
                if (_segmentNameUnsynced)
                {
                    SegmentSeal.FsyncDirectory(_segmentsDir);
                    _segmentNameUnsynced = false;
                }
            }
        }
        catch (Exception e) when (LogErrors.IsIo(e))
        {
            throw LogErrors.Io(e);
        }
        _lastSyncTicks = Stopwatch.GetTimestamp();
    }

    private void ThrowIfClosed()
    {
        if (_closed) throw LogErrors.Closed();
        if (_broken is not null) throw BrokenError();
    }

    // ---- opening -----------------------------------------------------------------------------

    private static (JsonObject Manifest, LogManifestFile.Durations Durations) LoadOrCreateManifest(string root, JsonObject given)
    {
        string path = SegmentDirectory.ManifestPath(root);
        if (File.Exists(path))
        {
            var onDisk = LogManifestFile.Read(path, "parsing existing manifest");
            return (onDisk, LogManifestFile.Validate(onDisk));
        }
        // Validated before writing (and, in Open, before creating anything), so a bad manifest never reaches the disk.
        var copy = (JsonObject)given.DeepClone();
        var (durations, canonical) = LogManifestFile.Canonical(copy);
        Storage.AtomicFile.Write(path, canonical);
        return (copy, durations);
    }

    /// <summary>What the writer learns from the segments already on disk.</summary>
    private sealed class Recovery
    {
        public List<long> OlderStarts = new();
        public SegmentLedger.Record? Latest;
        public ushort LatestVersion;
        public ushort InheritedVersion;
        public long LastTimestampNs = -1;
    }

    /// <summary>
    /// Make the newest segment appendable: cut a torn tail (crash mid-write) back to the last
    /// complete entry, and delete newest segments that hold no complete entry at all (a crash
    /// between creating the file and writing the first entry). Older segments are left alone.
    /// </summary>
    private static Recovery Recover(string segmentsDir)
    {
        var recovery = new Recovery { OlderStarts = SegmentDirectory.ListStarts(segmentsDir) };
        var starts = recovery.OlderStarts;
        // Once an empty newest segment is deleted, the one before it was fsynced before that one
        // was created: it cannot have a torn tail, so anything torn-looking there is damage.
        bool isLatest = true;
        while (starts.Count > 0)
        {
            long start = starts[^1];
            string path = SegmentDirectory.SegmentPath(segmentsDir, start);
            var report = SegmentScanner.Scan(path, verifyAllChecksums: false, isLatest);
            // The quick scan trusts v2 lengths it has not checked; prove a tail torn before cutting it.
            if (report.TornTail && report.Version == SegmentFormat.Version2)
                report = SegmentScanner.Scan(path, verifyAllChecksums: true, isLatest);
            if (!LogStats.ThrowOnHeaderProblem(report))
            {
                starts.RemoveAt(starts.Count - 1);
                continue;
            }
            foreach (var problem in report.Problems)
                if (problem.Kind is SegmentProblemKind.ChecksumMismatch or SegmentProblemKind.DamagedEntry)
                    throw LogErrors.Corrupt(problem.Message + "; not opened for writing, so no entry is cut (see auki verify)");
            if (recovery.InheritedVersion == 0 && report.Version != 0) recovery.InheritedVersion = report.Version;
            starts.RemoveAt(starts.Count - 1);
            if (report.Entries == 0)
            {
                File.Delete(path);
                isLatest = false;
                continue;
            }
            if (report.TornTail) Truncate(path, report.ValidLength);
            recovery.Latest = new SegmentLedger.Record
            {
                Start = start,
                Entries = report.Entries,
                Bytes = report.ValidLength,
                FirstTimestampNs = report.FirstTimestampNs ?? 0,
                LastTimestampNs = report.LastTimestampNs ?? 0,
                Known = true,
            };
            recovery.LatestVersion = report.Version;
            recovery.LastTimestampNs = report.LastTimestampNs ?? -1;
            break;
        }
        return recovery;
    }

    private static void Truncate(string path, long length)
    {
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
        RandomAccess.SetLength(handle, length);
        RandomAccess.FlushToDisk(handle);
    }
}
