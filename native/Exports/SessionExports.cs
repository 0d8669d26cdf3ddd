using System.Runtime.InteropServices;
using Auki.Catalog;
using Auki.Domains;
using Auki.Ids;
using Auki.Json;
using Auki.Manifests;
using Auki.Native.Interop;
using Auki.Registry;
using Auki.Sessions;

namespace Auki.Native.Exports;

/// <summary>auki_session_* and auki_log_spec_check: sessions, their clocks, their logs and their catalog.</summary>
internal static unsafe class SessionExports
{
    [UnmanagedCallersOnly(EntryPoint = "auki_session_new_standalone")]
    public static int NewStandalone(nint* output, byte* peerId, byte* appId)
    {
        try
        {
            OutStrings.Begin(output, "out");
            var session = Session.CreateStandalone(Utf8Args.Required(peerId, "peer_id"), Utf8Args.Required(appId, "app_id"));
            *output = Handles.New(session);
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "auki_session_free")]
    public static void Free(nint session) => HandleTable.Free(session, HandleKind.Session);

    [UnmanagedCallersOnly(EntryPoint = "auki_session_peer")]
    public static int PeerOf(nint session, nint* output)
    {
        try
        {
            OutStrings.Begin(output, "out");
            *output = Handles.New(Handles.Session(session).Peer);
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "auki_session_id")]
    public static int Id(nint session, byte** output)
    {
        try
        {
            OutStrings.Begin(output, "out");
            OutStrings.Set(output, Handles.Session(session).SessionId);
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "auki_session_info")]
    public static int Info(nint session, byte** outJson)
    {
        try
        {
            OutStrings.Begin(outJson, "out_json");
            OutStrings.Set(outJson, CanonicalJson.Serialize(SessionJson.Info(Handles.Session(session))));
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "auki_session_register_clock")]
    public static int RegisterClock(nint session, byte* clockId, byte* bodyJson, byte* outHash)
    {
        try
        {
            Guard.NotNull(outHash, "out_hash");
            var target = Handles.Session(session);
            string id = Utf8Args.Required(clockId, "clock_id");
            var body = Utf8Args.Json(bodyJson, "body_json");
            OutStrings.WriteFixed(outHash, target.RegisterClock(id, body).Hash);
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "auki_log_spec_check")]
    public static int LogSpecCheck(byte* kind, byte* specJson)
    {
        try
        {
            ParseSpec(kind, specJson);
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "auki_session_register_log")]
    public static int RegisterLog(nint session, byte* kind, byte* specJson, nint* output)
    {
        try
        {
            OutStrings.Begin(output, "out");
            var target = Handles.Session(session);
            *output = Handles.New(target.RegisterLog(ParseSpec(kind, specJson)));
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "auki_session_logs")]
    public static int Logs(nint session, byte* kind, byte** outJson)
    {
        try
        {
            OutStrings.Begin(outJson, "out_json");
            var target = Handles.Session(session);
            string? kindName = Utf8Args.Optional(kind, "kind");
            LogKind? logKind = kindName is null ? null : LogKinds.Parse(kindName);
            OutStrings.Set(outJson, CanonicalJson.Serialize(SessionJson.LogList(target, logKind)));
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "auki_session_find_log")]
    public static int FindLog(nint session, byte* resourceId, nint* output)
    {
        try
        {
            OutStrings.Begin(output, "out");
            var target = Handles.Session(session);
            string id = Utf8Args.Required(resourceId, "resource_id");
            var log = target.FindLog(id)
                ?? throw new AukiException(AukiErrorCode.NotFound, $"no log with resource id {RustDebug.Str(id)} in this session");
            *output = Handles.New(log);
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "auki_session_catalog")]
    public static int Catalog(nint session, byte** outJson)
    {
        try
        {
            OutStrings.Begin(outJson, "out_json");
            OutStrings.Set(outJson, CanonicalJson.Serialize(CatalogRows.For(Handles.Session(session))));
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "auki_session_check_peer")]
    public static int CheckPeer(nint session, nint peer)
    {
        try
        {
            Handles.Session(session).RequireBelongsTo(Handles.Peer(peer));
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "auki_session_materialize_remote_log")]
    public static int MaterializeRemoteLog(nint session, byte* logRefJson, ulong retentionNs, ulong segmentDurationNs, nint* output)
    {
        try
        {
            OutStrings.Begin(output, "out");
            var target = Handles.Session(session);
            var logRef = LogRef.FromJson(Utf8Args.Json(logRefJson, "log_ref_json"));
            *output = Handles.New(target.MaterializeRemoteLog(logRef, retentionNs, segmentDurationNs));
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "auki_session_resolve_static_transform")]
    public static int ResolveStaticTransform(nint session, byte* logRefJson, byte** outJson)
    {
        try
        {
            OutStrings.Begin(outJson, "out_json");
            var target = Handles.Session(session);
            var logRef = LogRef.FromJson(Utf8Args.Json(logRefJson, "log_ref_json"));
            OutStrings.Set(outJson, CanonicalJson.Serialize(target.ResolveStaticTransform(logRef)));
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }

    private static LogSpec ParseSpec(byte* kind, byte* specJson)
    {
        var logKind = LogKinds.Parse(Utf8Args.Required(kind, "kind"));
        return LogSpecJson.Parse(logKind, Utf8Args.Json(specJson, "spec_json"));
    }
}
