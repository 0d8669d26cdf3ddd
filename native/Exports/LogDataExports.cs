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
/// on that handle. Every handle's calls run under its own lock.
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
            Handles.Log(log).Data.Append(timestampNs, Payload(data, len));
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
            *output = Handles.New(new LogReaderBox(cursor));
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
            var tail = Handles.Log(log).Data.OpenTail(PollInterval(pollIntervalMs));
            *output = Handles.New(new LogTailBox(tail));
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
            *output = Handles.New(new LogWriterBox(writer));
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "auki_log_writer_free")]
    public static void WriterFree(nint writer)
    {
        try
        {
            (HandleTable.Remove(writer, HandleKind.LogWriter) as LogWriterBox)?.Release();
        }
        catch
        {
            // Nothing may cross the boundary, and free has no status to report.
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "auki_log_writer_append")]
    public static int WriterAppend(nint writer, long timestampNs, byte* data, nuint len)
    {
        try
        {
            var box = Handles.Writer(writer);
            var payload = Payload(data, len);
            lock (box.Gate) box.Writer.Append(timestampNs, payload);
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "auki_log_writer_append_many")]
    public static int WriterAppendMany(nint writer, long* timestampsNs, nuint count, byte* data, nuint dataLen, ulong* offsets)
    {
        try
        {
            var box = Handles.Writer(writer);
            var batch = new OffsetsBatch(timestampsNs, count, data, dataLen, offsets);
            // An empty batch writes nothing, but a closed writer still says so.
            lock (box.Gate) box.Writer.AppendMany(batch.Timestamps, data, dataLen, batch.Offsets);
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "auki_log_writer_append_many_fixed")]
    public static int WriterAppendManyFixed(nint writer, long* timestampsNs, nuint count, byte* data, nuint payloadSize)
    {
        try
        {
            var box = Handles.Writer(writer);
            var timestamps = FixedBatch(timestampsNs, count, data, payloadSize);
            lock (box.Gate) box.Writer.AppendMany(timestamps, data, payloadSize);
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "auki_log_writer_flush")]
    public static int WriterFlush(nint writer)
    {
        try
        {
            var box = Handles.Writer(writer);
            lock (box.Gate) box.Writer.Flush();
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "auki_log_writer_set_retention")]
    public static int WriterSetRetention(nint writer, long retentionNs)
    {
        try
        {
            var box = Handles.Writer(writer);
            lock (box.Gate) box.Writer.SetRetention(retentionNs);
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
            var box = Handles.Writer(writer);
            JsonObject manifest;
            lock (box.Gate) manifest = box.Writer.Manifest;
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
            var box = Handles.Writer(writer);
            lock (box.Gate) box.Writer.Close();
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
            OutStrings.Set(outJson, CanonicalJson.Serialize(LogInfo.Describe(Utf8Args.Required(root, "root"))));
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
            *output = Handles.New(new LogReaderBox(cursor));
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "auki_log_reader_free")]
    public static void ReaderFree(nint reader)
    {
        try
        {
            (HandleTable.Remove(reader, HandleKind.LogReader) as LogReaderBox)?.Release();
        }
        catch
        {
            // Nothing may cross the boundary.
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "auki_log_reader_next")]
    public static int ReaderNext(nint reader, int* hasEntry, long* timestampNs, byte** data, nuint* len)
    {
        try
        {
            BeginEntry(hasEntry, timestampNs, data, len);
            var box = Handles.Reader(reader);
            lock (box.Gate)
            {
                if (box.Cursor is { } cursor && cursor.TryNext(out long ts, out ReadOnlySpan<byte> payload))
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
            var box = Handles.Reader(reader);
            if (maxEntries == 0) return LastError.Ok();
            Guard.NotNull(timestampsNs, "timestamps_ns");
            Guard.NotNull(offsets, "offsets");
            if (buf == null && bufLen != 0) throw Guard.NullArgument("buf");
            // More than a span holds is never needed for one batch: ask for less and call again.
            int n = (int)Math.Min((ulong)maxEntries, int.MaxValue - 1);
            int room = (int)Math.Min((ulong)bufLen, int.MaxValue);
            lock (box.Gate)
            {
                if (box.Cursor is { } cursor)
                    *count = (nuint)cursor.ReadBatch(new Span<long>(timestampsNs, n), new Span<ulong>(offsets, n + 1), new Span<byte>(buf, room));
                else
                    offsets[0] = 0;
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
            var tail = LogTail.Open(Utf8Args.Required(root, "root"), PollInterval(pollIntervalMs));
            *output = Handles.New(new LogTailBox(tail));
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "auki_log_tail_free")]
    public static void TailFree(nint tail)
    {
        try
        {
            (HandleTable.Remove(tail, HandleKind.LogTail) as LogTailBox)?.Release();
        }
        catch
        {
            // Nothing may cross the boundary.
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "auki_log_tail_next")]
    public static int TailNext(nint tail, long timeoutMs, int* hasEntry, long* timestampNs, byte** data, nuint* len)
    {
        try
        {
            BeginEntry(hasEntry, timestampNs, data, len);
            var box = Handles.Tail(tail);
            lock (box.Gate)
            {
                long ts;
                ReadOnlySpan<byte> payload;
                bool got = timeoutMs == 0
                    ? box.Tail.TryNext(out ts, out payload)
                    : box.Tail.WaitNext(Timeout(timeoutMs), box.Freed.Token, out ts, out payload);
                if (box.Freed.IsCancellationRequested)
                    throw new AukiException(AukiErrorCode.Closed, "tail has been closed");
                if (got) SetEntry(hasEntry, timestampNs, data, len, ts, payload);
            }
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }

    // ---- argument conversion -------------------------------------------------------------------

    /// <summary>A payload the caller lends for the call: NULL only with length 0, below 2 GiB.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ReadOnlySpan<byte> Payload(byte* data, nuint len)
    {
        if (len > int.MaxValue) throw new AukiException(AukiErrorCode.Overflow, "len must be smaller than 2 GiB");
        if (data == null && len != 0) throw Guard.NullArgument("data");
        return new ReadOnlySpan<byte>(data, (int)len);
    }

    /// <summary>The arrays of an offsets batch, checked for NULL and size; empty when count is 0.</summary>
    private readonly ref struct OffsetsBatch
    {
        public readonly ReadOnlySpan<long> Timestamps;
        public readonly ReadOnlySpan<ulong> Offsets;

        public OffsetsBatch(long* timestampsNs, nuint count, byte* data, nuint dataLen, ulong* offsets)
        {
            if (count == 0) return;
            int n = BatchCount(count);
            Guard.NotNull(timestampsNs, "timestamps_ns");
            Guard.NotNull(offsets, "offsets");
            if (data == null && dataLen != 0) throw Guard.NullArgument("data");
            Timestamps = new ReadOnlySpan<long>(timestampsNs, n);
            Offsets = new ReadOnlySpan<ulong>(offsets, n + 1);
        }

        public bool IsEmpty => Timestamps.IsEmpty;
    }

    /// <summary>The timestamps of a fixed-size batch, checked for NULL and size; empty when count is 0.</summary>
    private static ReadOnlySpan<long> FixedBatch(long* timestampsNs, nuint count, byte* data, nuint payloadSize)
    {
        if (count == 0) return default;
        int n = BatchCount(count);
        Guard.NotNull(timestampsNs, "timestamps_ns");
        if (payloadSize != 0 && (ulong)payloadSize > ulong.MaxValue / (ulong)count)
            throw new AukiException(AukiErrorCode.Overflow, "count * payload_size does not fit size_t");
        if (data == null && payloadSize != 0) throw Guard.NullArgument("data");
        return new ReadOnlySpan<long>(timestampsNs, n);
    }

    private static int BatchCount(nuint count) =>
        count < int.MaxValue ? (int)count : throw new AukiException(AukiErrorCode.Overflow, "count must be smaller than 2147483647");

    private static LogWriterOptions Options(byte* optionsJson) =>
        LogWriterOptionsJson.Parse(optionsJson == null ? null : Utf8Args.Json(optionsJson, "options_json"));

    private static long? Bound(long* ns) => ns == null ? null : *ns;

    private static TimeSpan? PollInterval(uint ms) => ms == 0 ? null : TimeSpan.FromMilliseconds(ms);

    /// <summary>Negative = no limit; beyond a century is no limit too (TimeSpan cannot hold every int64 of ms).</summary>
    private static TimeSpan? Timeout(long ms) => ms < 0 || ms > 3_155_760_000_000L ? null : TimeSpan.FromMilliseconds(ms);

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
