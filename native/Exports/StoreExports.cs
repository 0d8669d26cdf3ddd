using System.Runtime.InteropServices;
using Auki.Inspect;
using Auki.Native.Interop;

namespace Auki.Native.Exports;

/// <summary>
/// auki_store_*: discovery over a storage root (core/Inspect/StoreIndex), the listing <c>auki ls
/// --json</c> prints, as compact JSON with the same field names (docs/names.md); a log found that
/// way is read through an ordinary auki_log_reader.
/// </summary>
internal static unsafe class StoreExports
{
    [UnmanagedCallersOnly(EntryPoint = "auki_store_list")]
    public static int List(byte* storageRoot, byte** outJson)
    {
        try
        {
            OutStrings.Begin(outJson, "out_json");
            OutStrings.Set(outJson, StoreIndex.ListingJson(Root(storageRoot)));
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "auki_store_peers")]
    public static int Peers(byte* storageRoot, byte** outJson)
    {
        try
        {
            OutStrings.Begin(outJson, "out_json");
            var peers = StoreIndex.Peers(Root(storageRoot));
            OutStrings.Set(outJson, StoreJson.Compact(w => StoreJson.WritePeers(w, peers)));
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "auki_store_boot_sessions")]
    public static int BootSessions(byte* storageRoot, byte* peerId, byte** outJson)
    {
        try
        {
            OutStrings.Begin(outJson, "out_json");
            var sessions = StoreIndex.BootSessions(Root(storageRoot), Utf8Args.Optional(peerId, "peer_id"));
            OutStrings.Set(outJson, StoreJson.Compact(w => StoreJson.WriteBootSessions(w, sessions)));
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "auki_store_logs")]
    public static int Logs(byte* storageRoot, byte* queryJson, byte** outJson)
    {
        try
        {
            OutStrings.Begin(outJson, "out_json");
            string root = Root(storageRoot);
            var query = queryJson == null ? StoreQuery.All : StoreQuery.Parse(Utf8Args.Json(queryJson, "query_json"), "query_json");
            var logs = StoreIndex.Logs(root, query);
            OutStrings.Set(outJson, StoreJson.Compact(w => StoreJson.WriteLogs(w, logs)));
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "auki_store_log")]
    public static int Log(byte* storageRoot, byte* log, byte** outJson)
    {
        try
        {
            OutStrings.Begin(outJson, "out_json");
            var found = StoreIndex.Resolve(Root(storageRoot), Utf8Args.Required(log, "log"));
            OutStrings.Set(outJson, StoreJson.Compact(w => StoreJson.WriteLog(w, found)));
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "auki_store_find_log")]
    public static int FindLog(byte* storageRoot, byte* sourcePeerId, byte* resourceId, byte* bootSessionId, byte** outJson)
    {
        try
        {
            OutStrings.Begin(outJson, "out_json");
            var found = StoreIndex.Resolve(Root(storageRoot), Utf8Args.Required(sourcePeerId, "source_peer_id"),
                Utf8Args.Required(resourceId, "resource_id"), Utf8Args.Optional(bootSessionId, "boot_session_id"));
            OutStrings.Set(outJson, StoreJson.Compact(w => StoreJson.WriteLog(w, found)));
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "auki_store_open_reader")]
    public static int OpenReader(nint* output, byte* storageRoot, byte* log, long* startNs, long* endNs)
    {
        try
        {
            OutStrings.Begin(output, "out");
            var found = StoreIndex.Resolve(Root(storageRoot), Utf8Args.Required(log, "log"));
            *output = LogDataExports.NewReader(StoreIndex.OpenCursor(found, startNs == null ? null : *startNs, endNs == null ? null : *endNs));
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }

    private static string Root(byte* storageRoot) => Utf8Args.Required(storageRoot, "storage_root");
}
