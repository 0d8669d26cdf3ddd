using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using Auki.Activity;
using Auki.Json;
using Auki.Native.Interop;

namespace Auki.Native.Exports;

/// <summary>
/// auki_activity_*: Roboto-style activity sessions over the recorded logs of a storage root
/// (core/Activity). Plain functions taking the root; results are JSON; topic data comes through
/// an auki_activity_reader handle with borrowed views or batches.
/// </summary>
internal static unsafe class ActivityExports
{
    // ---- sessions ----------------------------------------------------------------------------

    [UnmanagedCallersOnly(EntryPoint = "auki_activity_create")]
    public static int Create(byte* root, byte* name, byte* deviceIdsJson, byte** outJson)
    {
        try
        {
            OutStrings.Begin(outJson, "out_json");
            var store = Store(root);
            string? sessionName = Utf8Args.Optional(name, "name");
            var devices = deviceIdsJson == null ? [] : ActivityJson.Strings(Utf8Args.Json(deviceIdsJson, "device_ids_json"), "device_ids_json");
            SetRecord(outJson, store, store.Create(sessionName, devices));
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "auki_activity_get")]
    public static int Get(byte* root, byte* sessionId, byte** outJson)
    {
        try
        {
            OutStrings.Begin(outJson, "out_json");
            var store = Store(root);
            SetRecord(outJson, store, store.Get(Id(sessionId)));
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "auki_activity_list")]
    public static int List(byte* root, byte* deviceId, byte* pageToken, nuint limit, byte** outJson)
    {
        try
        {
            OutStrings.Begin(outJson, "out_json");
            var store = Store(root);
            var page = store.ListSessions(Utf8Args.Optional(deviceId, "device_id"), Utf8Args.Optional(pageToken, "page_token"), Limit(limit));
            SetJson(outJson, page.ToJson(s => s.ToRecordJson(store.Bounds(s))));
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "auki_activity_update")]
    public static int Update(byte* root, byte* sessionId, byte* changesJson, byte** outJson)
    {
        try
        {
            OutStrings.Begin(outJson, "out_json");
            var store = Store(root);
            string id = Id(sessionId);
            var update = ActivityJson.Update(Utf8Args.Json(changesJson, "changes_json"));
            SetRecord(outJson, store, store.Update(id, update));
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "auki_activity_delete")]
    public static int Delete(byte* root, byte* sessionId)
    {
        try
        {
            Store(root).Delete(Id(sessionId));
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "auki_activity_bounds")]
    public static int Bounds(byte* root, byte* sessionId, byte** outJson)
    {
        try
        {
            OutStrings.Begin(outJson, "out_json");
            var store = Store(root);
            SetJson(outJson, store.BoundsJson(store.Get(Id(sessionId))));
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }

    // ---- composition and devices -------------------------------------------------------------

    [UnmanagedCallersOnly(EntryPoint = "auki_activity_add_files")]
    public static int AddFiles(byte* root, byte* sessionId, byte* filesJson, byte** outJson)
    {
        try
        {
            OutStrings.Begin(outJson, "out_json");
            var store = Store(root);
            string id = Id(sessionId);
            var files = ActivityJson.Files(Utf8Args.Json(filesJson, "files_json"));
            SetRecord(outJson, store, store.AddFiles(id, files));
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "auki_activity_add_recording")]
    public static int AddRecording(byte* root, byte* sessionId, byte* bootSessionId, byte** outJson)
    {
        try
        {
            OutStrings.Begin(outJson, "out_json");
            var store = Store(root);
            string id = Id(sessionId);
            SetRecord(outJson, store, store.AddRecording(id, Utf8Args.Required(bootSessionId, "boot_session_id")));
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "auki_activity_remove_files")]
    public static int RemoveFiles(byte* root, byte* sessionId, byte* fileIdsJson, int strict, byte** outJson, byte** outSkippedJson)
    {
        try
        {
            OutStrings.Begin(outJson, "out_json");
            if (outSkippedJson != null) *outSkippedJson = null;
            var store = Store(root);
            string id = Id(sessionId);
            var ids = ActivityJson.Strings(Utf8Args.Json(fileIdsJson, "file_ids_json"), "file_ids_json");
            var session = store.RemoveFiles(id, ids, strict != 0, out var skipped);
            SetRecord(outJson, store, session);
            if (outSkippedJson != null) SetJson(outSkippedJson, ActivityJson.StringArray(skipped));
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "auki_activity_attach_device")]
    public static int AttachDevice(byte* root, byte* sessionId, byte* deviceId)
    {
        try
        {
            var store = Store(root);
            store.AttachDevice(Id(sessionId), Utf8Args.Required(deviceId, "device_id"));
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "auki_activity_detach_device")]
    public static int DetachDevice(byte* root, byte* sessionId, byte* deviceId)
    {
        try
        {
            var store = Store(root);
            store.DetachDevice(Id(sessionId), Utf8Args.Required(deviceId, "device_id"));
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "auki_activity_check_file")]
    public static int CheckFile(byte* fileJson)
    {
        try
        {
            ActivityJson.File(Utf8Args.Json(fileJson, "file_json"));
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }

    // ---- listings ------------------------------------------------------------------------------

    [UnmanagedCallersOnly(EntryPoint = "auki_activity_list_files")]
    public static int ListFiles(byte* root, byte* sessionId, byte* pageToken, nuint limit, byte** outJson)
    {
        try
        {
            OutStrings.Begin(outJson, "out_json");
            var store = Store(root);
            var session = store.Get(Id(sessionId));
            var page = store.ListFiles(session, Utf8Args.Optional(pageToken, "page_token"), Limit(limit));
            SetJson(outJson, page.ToJson(v => v.ToJson()));
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "auki_activity_get_topic")]
    public static int GetTopic(byte* root, byte* sessionId, byte* topic, byte** outJson)
    {
        try
        {
            OutStrings.Begin(outJson, "out_json");
            var store = Store(root);
            var session = store.Get(Id(sessionId));
            SetJson(outJson, store.FindTopic(session, Utf8Args.Required(topic, "topic")).TopicJson());
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "auki_activity_list_topics")]
    public static int ListTopics(byte* root, byte* sessionId, byte* pageToken, nuint limit, byte** outJson)
    {
        try
        {
            OutStrings.Begin(outJson, "out_json");
            var store = Store(root);
            var session = store.Get(Id(sessionId));
            var page = store.ListTopics(session, Utf8Args.Optional(pageToken, "page_token"), Limit(limit));
            SetJson(outJson, page.ToJson(t => t.TopicJson()));
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }

    // ---- topic data ----------------------------------------------------------------------------

    [UnmanagedCallersOnly(EntryPoint = "auki_activity_reader_open")]
    public static int ReaderOpen(nint* output, byte* root, byte* sessionId, byte* topic, long* startNs, long* endNs)
    {
        try
        {
            OutStrings.Begin(output, "out");
            var store = Store(root);
            var session = store.Get(Id(sessionId));
            string name = Utf8Args.Required(topic, "topic");
            var cursor = store.OpenData(session, name, startNs == null ? null : *startNs, endNs == null ? null : *endNs);
            try { *output = HandleTable.Add(HandleKind.ActivityReader, cursor, c => ((ActivityDataCursor)c).Dispose()); }
            catch { cursor.Dispose(); throw; }
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "auki_activity_reader_free")]
    public static void ReaderFree(nint reader) => HandleTable.Free(reader, HandleKind.ActivityReader);

    [UnmanagedCallersOnly(EntryPoint = "auki_activity_reader_next")]
    public static int ReaderNext(nint reader, int* hasEntry, long* timestampNs, byte** data, nuint* len)
    {
        try
        {
            Guard.NotNull(hasEntry, "has_entry");
            Guard.NotNull(timestampNs, "timestamp_ns");
            Guard.NotNull(data, "data");
            Guard.NotNull(len, "len");
            *hasEntry = 0;
            var box = HandleTable.Get(reader, HandleKind.ActivityReader);
            using (box.Enter(HandleKind.ActivityReader))
            {
                var cursor = (ActivityDataCursor)box.Target;
                if (cursor.TryNext(out long ts, out ReadOnlySpan<byte> payload))
                {
                    *hasEntry = 1;
                    *timestampNs = ts;
                    *data = payload.IsEmpty ? StaticStrings.Empty : (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetReference(payload));
                    *len = (nuint)payload.Length;
                }
            }
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "auki_activity_reader_next_batch")]
    public static int ReaderNextBatch(nint reader, nuint maxEntries, long* timestampsNs, ulong* offsets, byte* buf, nuint bufLen, nuint* count)
    {
        try
        {
            Guard.NotNull(count, "count");
            *count = 0;
            if (maxEntries > 0)
            {
                Guard.NotNull(timestampsNs, "timestamps_ns");
                Guard.NotNull(offsets, "offsets");
            }
            if (buf == null && bufLen != 0) throw new AukiException(AukiErrorCode.InvalidArgument, "buf must not be NULL when buf_len > 0");
            int capacity = Args.Bound(bufLen);
            var box = HandleTable.Get(reader, HandleKind.ActivityReader);
            if (maxEntries == 0) return LastError.Ok();
            int max = Args.Bound(maxEntries);
            using (box.Enter(HandleKind.ActivityReader))
            {
                int n = ((ActivityDataCursor)box.Target).ReadBatch(new Span<long>(timestampsNs, max), new Span<ulong>(offsets, max + 1),
                    new Span<byte>(buf, capacity));
                *count = (nuint)n;
            }
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "auki_activity_reader_next_views")]
    public static int ReaderNextViews(nint reader, nuint maxEntries, long* timestampsNs, byte** data, nuint* lens, nuint* count)
    {
        try
        {
            Guard.NotNull(count, "count");
            *count = 0;
            var box = HandleTable.Get(reader, HandleKind.ActivityReader);
            if (maxEntries == 0) return LastError.Ok();
            Guard.NotNull(timestampsNs, "timestamps_ns");
            Guard.NotNull(data, "data");
            Guard.NotNull(lens, "lens");
            int n = Args.Bound(maxEntries);
            using (box.Enter(HandleKind.ActivityReader))
            {
                // Core writes each payload's offset in its buffer where the pointer goes; adding the
                // buffer's (pinned) address turns the offsets into the views the caller gets.
                int got = ((ActivityDataCursor)box.Target).ReadViews(new Span<long>(timestampsNs, n), new Span<nint>(data, n),
                    new Span<nuint>(lens, n), out ReadOnlySpan<byte> buffer);
                byte* bufferStart = (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetReference(buffer));
                for (int i = 0; i < got; i++) data[i] = bufferStart + (nint)data[i];
                *count = (nuint)got;
            }
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }

    // ---- attributes, search, timeline offsets (ABI 2.1) ----------------------------------------

    [UnmanagedCallersOnly(EntryPoint = "auki_activity_create_v2")]
    public static int CreateV2(byte* root, byte* requestJson, byte** outJson)
    {
        try
        {
            OutStrings.Begin(outJson, "out_json");
            var store = Store(root);
            var request = ActivityJson.Create(Utf8Args.Json(requestJson, "request_json"));
            SetRecord(outJson, store, store.Create(request));
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "auki_activity_search")]
    public static int Search(byte* root, byte* queryJson, byte* pageToken, nuint limit, byte** outJson)
    {
        try
        {
            OutStrings.Begin(outJson, "out_json");
            var store = Store(root);
            var query = SessionQuery.FromJson(Utf8Args.Json(queryJson, "query_json"));
            var page = store.Search(query, Utf8Args.Optional(pageToken, "page_token"), Limit(limit));
            SetJson(outJson, page.ToJson(s => s.ToRecordJson(store.Bounds(s))));
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "auki_activity_set_unix_offset")]
    public static int SetUnixOffset(byte* root, byte* sessionId, byte* targetJson, long* unixOffsetNs, byte** outJson)
    {
        try
        {
            OutStrings.Begin(outJson, "out_json");
            var store = Store(root);
            string id = Id(sessionId);
            var (fileId, deviceId) = ActivityJson.OffsetTarget(Utf8Args.Json(targetJson, "target_json"));
            long? offset = unixOffsetNs == null ? null : *unixOffsetNs;
            var session = fileId is not null ? store.SetFileUnixOffset(id, fileId, offset) : store.SetDeviceUnixOffset(id, deviceId!, offset);
            SetRecord(outJson, store, session);
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "auki_activity_default_unix_offset")]
    public static int DefaultUnixOffset(byte* root, byte* sessionId, byte* targetJson, byte** outJson)
    {
        try
        {
            OutStrings.Begin(outJson, "out_json");
            var store = Store(root);
            var session = store.Get(Id(sessionId));
            var (fileId, deviceId) = ActivityJson.OffsetTarget(Utf8Args.Json(targetJson, "target_json"));
            var suggestion = fileId is not null ? store.DefaultFileUnixOffset(fileId) : store.DefaultDeviceUnixOffset(session, deviceId!);
            OutStrings.Set(outJson, suggestion is null ? "null" : CanonicalJson.SerializeToString(suggestion.ToJson()));
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }

    // ---- decoded tables (ABI 2.1) --------------------------------------------------------------

    [UnmanagedCallersOnly(EntryPoint = "auki_activity_topic_schema")]
    public static int TopicSchema(byte* root, byte* sessionId, byte* topic, byte** outJson)
    {
        try
        {
            OutStrings.Begin(outJson, "out_json");
            var store = Store(root);
            var session = store.Get(Id(sessionId));
            SetJson(outJson, store.SchemaOf(session, Utf8Args.Required(topic, "topic")).ToJson());
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "auki_activity_table_open")]
    public static int TableOpen(nint* output, byte* root, byte* sessionId, byte* topic, long* startNs, long* endNs, byte* fieldsJson)
    {
        try
        {
            OutStrings.Begin(output, "out");
            var store = Store(root);
            var session = store.Get(Id(sessionId));
            string name = Utf8Args.Required(topic, "topic");
            var (include, exclude) = fieldsJson == null ? (null, null) : ActivityJson.Fields(Utf8Args.Json(fieldsJson, "fields_json"));
            var table = store.OpenTable(session, name, startNs == null ? null : *startNs, endNs == null ? null : *endNs, include, exclude);
            try { *output = HandleTable.Add(HandleKind.ActivityTable, table, t => ((ActivityTableReader)t).Dispose()); }
            catch { table.Dispose(); throw; }
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "auki_activity_table_free")]
    public static void TableFree(nint table) => HandleTable.Free(table, HandleKind.ActivityTable);

    [UnmanagedCallersOnly(EntryPoint = "auki_activity_table_schema")]
    public static int TableSchema(nint table, byte** outJson)
    {
        try
        {
            OutStrings.Begin(outJson, "out_json");
            var box = HandleTable.Get(table, HandleKind.ActivityTable);
            using (box.Enter(HandleKind.ActivityTable)) SetJson(outJson, ((ActivityTableReader)box.Target).Table.Schema.ToJson());
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "auki_activity_table_next")]
    public static int TableNext(nint table, nuint maxRows, nuint maxBytes, nuint* rows)
    {
        try
        {
            Guard.NotNull(rows, "rows");
            *rows = 0;
            var box = HandleTable.Get(table, HandleKind.ActivityTable);
            int max = Args.Bound(maxRows);
            long bytes = maxBytes > long.MaxValue ? long.MaxValue : (long)maxBytes;
            using (box.Enter(HandleKind.ActivityTable)) *rows = (nuint)((ActivityTableReader)box.Target).Next(max, bytes);
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "auki_activity_table_timestamps")]
    public static int TableTimestamps(nint table, long** timestampsNs)
    {
        try
        {
            Guard.NotNull(timestampsNs, "timestamps_ns");
            *timestampsNs = null;
            var box = HandleTable.Get(table, HandleKind.ActivityTable);
            using (box.Enter(HandleKind.ActivityTable)) *timestampsNs = ((ActivityTableReader)box.Target).Table.Timestamps;
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "auki_activity_table_column")]
    public static int TableColumn(nint table, nuint index, byte** data, nuint* len, ulong** offsets)
    {
        try
        {
            Guard.NotNull(data, "data");
            Guard.NotNull(len, "len");
            Guard.NotNull(offsets, "offsets");
            *data = null;
            *len = 0;
            *offsets = null;
            var box = HandleTable.Get(table, HandleKind.ActivityTable);
            using (box.Enter(HandleKind.ActivityTable))
            {
                int i = index > int.MaxValue ? int.MaxValue : (int)index;
                ((ActivityTableReader)box.Target).Table.ColumnData(i, out byte* d, out long length, out ulong* o);
                *data = d;
                *len = (nuint)length;
                *offsets = o;
            }
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }

    // ---- helpers -------------------------------------------------------------------------------

    private static ActivityStore Store(byte* root) => new(Utf8Args.Required(root, "storage_root"));

    private static string Id(byte* sessionId) => Utf8Args.Required(sessionId, "session_id");

    // 0 = everything; a limit beyond what one page can hold is no limit either.
    private static int Limit(nuint limit) => limit == 0 ? 0 : Args.Bound(limit);

    private static void SetRecord(byte** output, ActivityStore store, ActivitySession session) =>
        OutStrings.Set(output, CanonicalJson.Serialize(session.ToRecordJson(store.Bounds(session))));

    private static void SetJson(byte** output, JsonNode json) => OutStrings.Set(output, CanonicalJson.Serialize(json));
}
