using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using Auki.Json;
using Auki.Logs;
using Auki.Native.Interop;

namespace Auki.Native.Exports;

/// <summary>
/// The "Log data" section of auki.h: appends, batches, readers and tails over session logs and
/// standalone auki-logs directories. Payloads in are spans over the caller's memory (no copy);
/// payloads out are views into the reader's or tail's pinned buffer, valid until the next call
/// on that handle. Calls on a writer, reader or tail handle run under its box's lock; a session log's
/// data serializes itself (one lock per call).
/// </summary>
internal static unsafe class LogDataExports
{
    // ---- session logs --------------------------------------------------------------------------

    [UnmanagedCallersOnly(EntryPoint = "auki_log_configure")]
    public static int Configure(nint log, byte* optionsJson)
    {
        try
        {
            var data = Handles.Log(log).Data;
            data.Configure(Options(optionsJson));
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "auki_log_append")]
    public static int Append(nint log, long timestampNs, byte* data, nuint len)
    {
        try
        {
            Handles.Log(log).Data.Append(timestampNs, Args.Payload(data, len));
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "auki_log_append_many")]
    public static int AppendMany(nint log, long* timestampsNs, nuint count, byte* data, nuint dataLen, ulong* offsets)
    {
        try
        {
            var target = Handles.Log(log).Data;
            var batch = new OffsetsBatch(timestampsNs, count, data, dataLen, offsets);
            if (!batch.IsEmpty) target.AppendMany(batch.Timestamps, data, dataLen, batch.Offsets);
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "auki_log_append_many_fixed")]
    public static int AppendManyFixed(nint log, long* timestampsNs, nuint count, byte* data, nuint payloadSize)
    {
        try
        {
            var target = Handles.Log(log).Data;
            var timestamps = FixedBatch(timestampsNs, count, data, payloadSize);
            if (!timestamps.IsEmpty) target.AppendMany(timestamps, data, payloadSize);
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "auki_log_append_gather")]
    public static int AppendGather(nint log, long* timestampsNs, nuint count, byte** payloads, nuint* lengths)
    {
        try
        {
            var target = Handles.Log(log).Data;
            var batch = new GatherBatch(timestampsNs, count, payloads, lengths);
            if (!batch.IsEmpty) target.AppendMany(batch.Timestamps, batch.Payloads, batch.Lengths);
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "auki_log_flush")]
    public static int Flush(nint log)
    {
        try
        {
            Handles.Log(log).Data.Flush();
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "auki_log_close")]
    public static int Close(nint log)
    {
        try
        {
            Handles.Log(log).Data.Close();
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "auki_log_open_reader")]
    public static int OpenReader(nint log, long* startNs, long* endNs, nint* output)
    {
        try
        {
            OutStrings.Begin(output, "out");
            var cursor = Handles.Log(log).Data.OpenCursor(Bound(startNs), Bound(endNs));
            *output = NewReader(cursor);
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "auki_log_open_tail")]
    public static int OpenTail(nint log, uint pollIntervalMs, nint* output)
    {
        try
        {
            OutStrings.Begin(output, "out");
            var tail = Handles.Log(log).Data.OpenTail(Args.PollInterval(pollIntervalMs));
            *output = NewTail(tail);
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }

    // ---- standalone writers (auki_logs.Log) ----------------------------------------------------

    [UnmanagedCallersOnly(EntryPoint = "auki_log_writer_open")]
    public static int WriterOpen(nint* output, byte* root, byte* manifestJson, byte* optionsJson)
    {
        try
        {
            OutStrings.Begin(output, "out");
            string path = Utf8Args.Required(root, "root");
            var manifest = Utf8Args.Json(manifestJson, "manifest_json") as JsonObject
                ?? throw new AukiException(AukiErrorCode.InvalidArgument, "manifest: manifest must be a JSON object");
            var writer = LogWriter.Open(path, manifest, Options(optionsJson));
            try { *output = HandleTable.Add(HandleKind.LogWriter, writer, CloseWriter); }
            catch { writer.Dispose(); throw; }
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "auki_log_writer_free")]
    public static void WriterFree(nint writer) => HandleTable.Free(writer, HandleKind.LogWriter);

    [UnmanagedCallersOnly(EntryPoint = "auki_log_writer_append")]
    public static int WriterAppend(nint writer, long timestampNs, byte* data, nuint len)
    {
        try
        {
            var box = HandleTable.Get(writer, HandleKind.LogWriter);
            var payload = Args.Payload(data, len);
            using (box.Enter(HandleKind.LogWriter)) ((LogWriter)box.Target).Append(timestampNs, payload);
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "auki_log_writer_append_many")]
    public static int WriterAppendMany(nint writer, long* timestampsNs, nuint count, byte* data, nuint dataLen, ulong* offsets)
    {
        try
        {
            var box = HandleTable.Get(writer, HandleKind.LogWriter);
            var batch = new OffsetsBatch(timestampsNs, count, data, dataLen, offsets);
            // An empty batch writes nothing, but a closed writer still says so.
            using (box.Enter(HandleKind.LogWriter)) ((LogWriter)box.Target).AppendMany(batch.Timestamps, data, dataLen, batch.Offsets);
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "auki_log_writer_append_many_fixed")]
    public static int WriterAppendManyFixed(nint writer, long* timestampsNs, nuint count, byte* data, nuint payloadSize)
    {
        try
        {
            var box = HandleTable.Get(writer, HandleKind.LogWriter);
            var timestamps = FixedBatch(timestampsNs, count, data, payloadSize);
            using (box.Enter(HandleKind.LogWriter)) ((LogWriter)box.Target).AppendMany(timestamps, data, payloadSize);
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "auki_log_writer_append_gather")]
    public static int WriterAppendGather(nint writer, long* timestampsNs, nuint count, byte** payloads, nuint* lengths)
    {
        try
        {
            var box = HandleTable.Get(writer, HandleKind.LogWriter);
            var batch = new GatherBatch(timestampsNs, count, payloads, lengths);
            using (box.Enter(HandleKind.LogWriter)) ((LogWriter)box.Target).AppendMany(batch.Timestamps, batch.Payloads, batch.Lengths);
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "auki_log_writer_flush")]
    public static int WriterFlush(nint writer)
    {
        try
        {
            var box = HandleTable.Get(writer, HandleKind.LogWriter);
            using (box.Enter(HandleKind.LogWriter)) ((LogWriter)box.Target).Flush();
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "auki_log_writer_set_retention")]
    public static int WriterSetRetention(nint writer, long retentionNs)
    {
        try
        {
            var box = HandleTable.Get(writer, HandleKind.LogWriter);
            using (box.Enter(HandleKind.LogWriter)) ((LogWriter)box.Target).SetRetention(retentionNs);
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "auki_log_writer_manifest")]
    public static int WriterManifest(nint writer, byte** outJson)
    {
        try
        {
            OutStrings.Begin(outJson, "out_json");
            var box = HandleTable.Get(writer, HandleKind.LogWriter);
            JsonObject manifest;
            using (box.Enter(HandleKind.LogWriter)) manifest = ((LogWriter)box.Target).Manifest;
            OutStrings.Set(outJson, CanonicalJson.Serialize(manifest));
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "auki_log_writer_close")]
    public static int WriterClose(nint writer)
    {
        try
        {
            var box = HandleTable.Get(writer, HandleKind.LogWriter);
            using (box.Enter(HandleKind.LogWriter)) ((LogWriter)box.Target).Close();
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }

    // ---- reading any log directory -------------------------------------------------------------

    [UnmanagedCallersOnly(EntryPoint = "auki_log_info")]
    public static int Info(byte* root, byte** outJson)
    {
        try
        {
            OutStrings.Begin(outJson, "out_json");
            OutStrings.Set(outJson, LogInfo.DescribeCanonicalJson(Utf8Args.Required(root, "root")));
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "auki_log_reader_open")]
    public static int ReaderOpen(nint* output, byte* root, long* startNs, long* endNs)
    {
        try
        {
            OutStrings.Begin(output, "out");
            var cursor = LogReader.Open(Utf8Args.Required(root, "root")).OpenCursor(Bound(startNs), Bound(endNs));
            *output = NewReader(cursor);
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "auki_log_reader_free")]
    public static void ReaderFree(nint reader) => HandleTable.Free(reader, HandleKind.LogReader);

    [UnmanagedCallersOnly(EntryPoint = "auki_log_reader_next")]
    public static int ReaderNext(nint reader, int* hasEntry, long* timestampNs, byte** data, nuint* len)
    {
        try
        {
            BeginEntry(hasEntry, timestampNs, data, len);
            var box = HandleTable.Get(reader, HandleKind.LogReader);
            using (box.Enter(HandleKind.LogReader))
            {
                if (box.Target is LogCursor cursor && cursor.TryNext(out long ts, out ReadOnlySpan<byte> payload))
                    SetEntry(hasEntry, timestampNs, data, len, ts, payload);
            }
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "auki_log_reader_next_batch")]
    public static int ReaderNextBatch(nint reader, nuint maxEntries, long* timestampsNs, ulong* offsets, byte* buf, nuint bufLen,
        nuint* count)
    {
        try
        {
            Guard.NotNull(count, "count");
            *count = 0;
            var box = HandleTable.Get(reader, HandleKind.LogReader);
            if (maxEntries == 0) return LastError.Ok();
            Guard.NotNull(timestampsNs, "timestamps_ns");
            Guard.NotNull(offsets, "offsets");
            if (buf == null && bufLen != 0) throw Guard.NullArgument("buf");
            int n = Args.Bound(maxEntries);
            int room = Args.Bound(bufLen);
            using (box.Enter(HandleKind.LogReader))
            {
                if (box.Target is LogCursor cursor)
                    *count = (nuint)cursor.ReadBatch(new Span<long>(timestampsNs, n), new Span<ulong>(offsets, n + 1), new Span<byte>(buf, room));
                else
                    offsets[0] = 0;
            }
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "auki_log_reader_next_views")]
    public static int ReaderNextViews(nint reader, nuint maxEntries, long* timestampsNs, byte** data, nuint* lens, nuint* count)
    {
        try
        {
            Guard.NotNull(count, "count");
            *count = 0;
            var box = HandleTable.Get(reader, HandleKind.LogReader);
            if (maxEntries == 0) return LastError.Ok();
            Guard.NotNull(timestampsNs, "timestamps_ns");
            Guard.NotNull(data, "data");
            Guard.NotNull(lens, "lens");
            int n = Args.Bound(maxEntries);
            using (box.Enter(HandleKind.LogReader))
            {
                if (box.Target is not LogCursor cursor) return LastError.Ok();
                // Core writes each payload's offset in its buffer where the pointer goes; adding the
                // buffer's (pinned) address turns the offsets into the views the caller gets.
                int got = cursor.ReadViews(new Span<long>(timestampsNs, n), new Span<nint>(data, n), new Span<nuint>(lens, n),
                    out ReadOnlySpan<byte> buffer);
                byte* bufferStart = (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetReference(buffer));
                for (int i = 0; i < got; i++) data[i] = bufferStart + (nint)data[i];
                *count = (nuint)got;
            }
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }

    // ---- tails ---------------------------------------------------------------------------------

    [UnmanagedCallersOnly(EntryPoint = "auki_log_tail_open")]
    public static int TailOpen(nint* output, byte* root, uint pollIntervalMs)
    {
        try
        {
            OutStrings.Begin(output, "out");
            var tail = LogTail.Open(Utf8Args.Required(root, "root"), Args.PollInterval(pollIntervalMs));
            *output = NewTail(tail);
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "auki_log_tail_free")]
    public static void TailFree(nint tail) => HandleTable.Free(tail, HandleKind.LogTail);

    [UnmanagedCallersOnly(EntryPoint = "auki_log_tail_next")]
    public static int TailNext(nint tail, long timeoutMs, int* hasEntry, long* timestampNs, byte** data, nuint* len)
    {
        try
        {
            BeginEntry(hasEntry, timestampNs, data, len);
            var box = HandleTable.Get(tail, HandleKind.LogTail);
            using (box.Enter(HandleKind.LogTail))
            {
                var target = (LogTail)box.Target;
                var freed = box.Freed;
                long ts;
                ReadOnlySpan<byte> payload;
                bool got = timeoutMs == 0
                    ? target.TryNext(out ts, out payload)
                    : target.WaitNext(Args.Wait(timeoutMs), freed, out ts, out payload);
                if (freed.IsCancellationRequested)
                    throw new AukiException(AukiErrorCode.Closed, "tail has been closed");
                if (got) SetEntry(hasEntry, timestampNs, data, len, ts, payload);
            }
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }

    // ---- argument conversion -------------------------------------------------------------------

    /// <summary>The arrays of an offsets batch, checked for NULL and size; empty when count is 0.</summary>
    private readonly ref struct OffsetsBatch
    {
        public readonly ReadOnlySpan<long> Timestamps;
        public readonly ReadOnlySpan<ulong> Offsets;

        public OffsetsBatch(long* timestampsNs, nuint count, byte* data, nuint dataLen, ulong* offsets)
        {
            if (count == 0) return;
            int n = Args.Count(count, "count");
            Guard.NotNull(timestampsNs, "timestamps_ns");
            Guard.NotNull(offsets, "offsets");
            if (data == null && dataLen != 0) throw Guard.NullArgument("data");
            Timestamps = new ReadOnlySpan<long>(timestampsNs, n);
            Offsets = new ReadOnlySpan<ulong>(offsets, n + 1);
        }

        public bool IsEmpty => Timestamps.IsEmpty;
    }

    /// <summary>The arrays of a gathered batch (a pointer and a length per payload), checked for NULL and size; empty when count is 0.</summary>
    private readonly ref struct GatherBatch
    {
        public readonly ReadOnlySpan<long> Timestamps;
        public readonly ReadOnlySpan<nint> Payloads;
        public readonly ReadOnlySpan<nuint> Lengths;

        public GatherBatch(long* timestampsNs, nuint count, byte** payloads, nuint* lengths)
        {
            if (count == 0) return;
            int n = Args.Count(count, "count");
            Guard.NotNull(timestampsNs, "timestamps_ns");
            Guard.NotNull(payloads, "payloads");
            Guard.NotNull(lengths, "lengths");
            Timestamps = new ReadOnlySpan<long>(timestampsNs, n);
            Payloads = new ReadOnlySpan<nint>(payloads, n);
            Lengths = new ReadOnlySpan<nuint>(lengths, n);
        }

        public bool IsEmpty => Timestamps.IsEmpty;
    }

    /// <summary>The timestamps of a fixed-size batch, checked for NULL and size; empty when count is 0.</summary>
    private static ReadOnlySpan<long> FixedBatch(long* timestampsNs, nuint count, byte* data, nuint payloadSize)
    {
        if (count == 0) return default;
        int n = Args.Count(count, "count");
        Guard.NotNull(timestampsNs, "timestamps_ns");
        if (payloadSize != 0 && (ulong)payloadSize > ulong.MaxValue / (ulong)count)
            throw new AukiException(AukiErrorCode.Overflow, "count * payload_size does not fit size_t");
        if (data == null && payloadSize != 0) throw Guard.NullArgument("data");
        return new ReadOnlySpan<long>(timestampsNs, n);
    }

    private static LogWriterOptions Options(byte* optionsJson) =>
        LogWriterOptionsJson.Parse(optionsJson == null ? null : Utf8Args.Json(optionsJson, "options_json"));

    private static long? Bound(long* ns) => ns == null ? null : *ns;

    // ---- handles of this section ---------------------------------------------------------------

    // Freeing a standalone writer closes it (flush + fsync + unlock); auki_log_writer_close is the call that reports failures.
    private static void CloseWriter(object writer) => ((LogWriter)writer).Close();

    // A reader over a log with no data yet holds no cursor and reads as empty.
    internal static nint NewReader(LogCursor? cursor) =>
        cursor is null ? HandleTable.Add(HandleKind.LogReader, Empty) : Owned(HandleKind.LogReader, cursor);

    private static readonly object Empty = new();

    private static nint NewTail(LogTail tail) => Owned(HandleKind.LogTail, tail);

    // A handle that owns its target: freeing it disposes the target, and so does a failed Add.
    private static nint Owned(HandleKind kind, IDisposable target)
    {
        try { return HandleTable.Add(kind, target, DisposeTarget); }
        catch { target.Dispose(); throw; }
    }

    private static void DisposeTarget(object target) => ((IDisposable)target).Dispose();

    private static void BeginEntry(int* hasEntry, long* timestampNs, byte** data, nuint* len)
    {
        Guard.NotNull(hasEntry, "has_entry");
        *hasEntry = 0;
        Guard.NotNull(timestampNs, "timestamp_ns");
        Guard.NotNull(data, "data");
        Guard.NotNull(len, "len");
        *timestampNs = 0;
        *data = null;
        *len = 0;
    }

    private static void SetEntry(int* hasEntry, long* timestampNs, byte** data, nuint* len, long ts, ReadOnlySpan<byte> payload)
    {
        *hasEntry = 1;
        *timestampNs = ts;
        // The span lies in the reader's or tail's pinned buffer: the address stays valid until the next call.
        *data = (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetReference(payload));
        *len = (nuint)payload.Length;
    }
}
