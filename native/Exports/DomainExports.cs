using System.Runtime.InteropServices;

using Auki.Domains;
using Auki.Json;
using Auki.Native.Interop;
using Auki.Registry;

namespace Auki.Native.Exports;

/// <summary>Typed lookups for the domain handle kinds.</summary>
internal static class DomainHandles
{
    public static Domain Domain(nint handle) => HandleTable.Target<Domain>(handle, HandleKind.Domain);
    public static RemoteStream Stream(nint handle) => HandleTable.Target<RemoteStream>(handle, HandleKind.Stream);
    public static CatalogWatch Watch(nint handle) => HandleTable.Target<CatalogWatch>(handle, HandleKind.CatalogWatch);

    // A domain handle names a membership the session shares (auki_session_domain hands out another
    // handle to it): freeing the handle does not leave; auki_domain_leave does.
    public static nint New(Domain domain) => HandleTable.Add(HandleKind.Domain, domain);

    // The watch and the stream are the handle's own: freeing ends them. A stream's Next takes no
    // token, so its Dispose is also what interrupts a wait in progress before the free takes the gate.
    public static nint New(CatalogWatch watch) => Owned(HandleKind.CatalogWatch, watch, interrupt: false);
    public static nint New(RemoteStream stream) => Owned(HandleKind.Stream, stream, interrupt: true);

    private static nint Owned(HandleKind kind, IDisposable target, bool interrupt)
    {
        try { return HandleTable.Add(kind, new HandleBox(target, Dispose, interrupt ? Dispose : null)); }
        catch { target.Dispose(); throw; }
    }

    private static void Dispose(object target) => ((IDisposable)target).Dispose();
}

/// <summary>auki_domain_*, auki_stream_*, auki_catalog_watch_*, auki_resource_entry_*: domains over an MQTT 5 broker.</summary>
internal static unsafe class DomainExports
{
    [UnmanagedCallersOnly(EntryPoint = "auki_domain_config_defaults")]
    public static int ConfigDefaults(byte** outJson)
    {
        try
        {
            OutStrings.Begin(outJson, "out_json");
            OutStrings.Set(outJson, CanonicalJson.Serialize(DomainConfig.Defaults()));
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "auki_domain_join")]
    public static int Join(nint session, byte* configJson, nint* output)
    {
        try
        {
            OutStrings.Begin(output, "out");
            var target = Handles.Session(session);
            var config = DomainConfig.FromJson(Utf8Args.Json(configJson, "config_json"));
            *output = DomainHandles.New(Domain.Join(target, config));
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "auki_session_domain")]
    public static int SessionDomain(nint session, nint* output)
    {
        try
        {
            OutStrings.Begin(output, "out");
            var domain = Memberships.Of(Handles.Session(session))
                ?? throw new AukiException(AukiErrorCode.NotFound, "this session has not joined a domain");
            *output = DomainHandles.New(domain);
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "auki_domain_free")]
    public static void Free(nint domain) => HandleTable.Free(domain, HandleKind.Domain);

    [UnmanagedCallersOnly(EntryPoint = "auki_domain_leave")]
    public static int Leave(nint domain)
    {
        try
        {
            DomainHandles.Domain(domain).Leave();
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "auki_domain_info")]
    public static int Info(nint domain, byte** outJson)
    {
        try
        {
            OutStrings.Begin(outJson, "out_json");
            OutStrings.Set(outJson, CanonicalJson.Serialize(DomainHandles.Domain(domain).Info()));
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "auki_domain_peers")]
    public static int Peers(nint domain, byte** outJson)
    {
        try
        {
            OutStrings.Begin(outJson, "out_json");
            var array = new System.Text.Json.Nodes.JsonArray();
            foreach (var p in DomainHandles.Domain(domain).Peers()) array.Add((System.Text.Json.Nodes.JsonNode?)p);
            OutStrings.Set(outJson, CanonicalJson.Serialize(array));
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "auki_domain_fetch_resources_catalog")]
    public static int FetchResourcesCatalog(nint domain, byte* peerId, byte** outJson)
    {
        try
        {
            OutStrings.Begin(outJson, "out_json");
            var d = DomainHandles.Domain(domain);
            OutStrings.Set(outJson, CanonicalJson.Serialize(d.FetchResourcesCatalog(Utf8Args.Required(peerId, "peer_id"))));
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "auki_domain_refresh_catalog")]
    public static int RefreshCatalog(nint domain)
    {
        try
        {
            DomainHandles.Domain(domain).RefreshCatalog();
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "auki_domain_fetch_registry_entry")]
    public static int FetchRegistryEntry(nint domain, byte* kind, byte* peerId, byte* id, byte* hash, byte* fromPeer, byte** outCanonical)
    {
        try
        {
            OutStrings.Begin(outCanonical, "out_canonical");
            var d = DomainHandles.Domain(domain);
            var k = RegistryKinds.Parse(Utf8Args.Required(kind, "kind"));
            byte[] bytes = d.FetchRegistryEntry(k, Utf8Args.Required(peerId, "peer_id"), Utf8Args.Required(id, "id"),
                Utf8Args.Required(hash, "hash"), Utf8Args.Optional(fromPeer, "from_peer"));
            OutStrings.Set(outCanonical, bytes);
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }

    // ---- catalog watches -----------------------------------------------------------------------

    [UnmanagedCallersOnly(EntryPoint = "auki_domain_watch_catalog")]
    public static int WatchCatalog(nint domain, nint* output)
    {
        try
        {
            OutStrings.Begin(output, "out");
            *output = DomainHandles.New(DomainHandles.Domain(domain).WatchCatalog());
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "auki_catalog_watch_next")]
    public static int WatchNext(nint watch, long timeoutMs, byte** outEventJson)
    {
        try
        {
            OutStrings.Begin(outEventJson, "out_event_json");
            // The watch serializes itself; its free ends a wait in progress (no gate held across it).
            var e = DomainHandles.Watch(watch).Next(Args.Wait(timeoutMs));
            if (e is not null) OutStrings.Set(outEventJson, CanonicalJson.Serialize(e));
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "auki_catalog_watch_free")]
    public static void WatchFree(nint watch) => HandleTable.Free(watch, HandleKind.CatalogWatch);

    // ---- streams -------------------------------------------------------------------------------

    [UnmanagedCallersOnly(EntryPoint = "auki_domain_open_stream")]
    public static int OpenStream(nint domain, byte* logRefJson, byte* readFromJson, nint* output)
    {
        try
        {
            OutStrings.Begin(output, "out");
            var d = DomainHandles.Domain(domain);
            var logRef = LogRef.FromJson(Utf8Args.Json(logRefJson, "log_ref_json"));
            var readFrom = readFromJson == null ? ReadFrom.Latest : ReadFrom.FromJson(Utf8Args.Json(readFromJson, "read_from_json"));
            *output = DomainHandles.New(d.OpenStream(logRef, readFrom));
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "auki_stream_manifest")]
    public static int StreamManifest(nint stream, byte** outJson)
    {
        try
        {
            OutStrings.Begin(outJson, "out_json");
            OutStrings.Set(outJson, CanonicalJson.Serialize(DomainHandles.Stream(stream).Describe()));
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "auki_stream_next")]
    public static int StreamNextEntry(nint stream, long timeoutMs, int* status, long* timestampNs, long* seq, byte** data, nuint* length)
    {
        try
        {
            Guard.NotNull(status, "status");
            Guard.NotNull(timestampNs, "timestamp_ns");
            Guard.NotNull(seq, "seq");
            Guard.NotNull(data, "data");
            Guard.NotNull(length, "len");
            *status = AbiConstants.STREAM_TIMEOUT;
            *data = null;
            *length = 0;
            var box = HandleTable.Get(stream, HandleKind.Stream);
            using (box.Enter(HandleKind.Stream))
            {
                box.Unpin(); // the previous call's view ends here
                var next = ((RemoteStream)box.Target).Next(Args.Wait(timeoutMs), out var entry);
                *status = next switch { StreamNext.Entry => AbiConstants.STREAM_ENTRY, StreamNext.End => AbiConstants.STREAM_ENDED, _ => AbiConstants.STREAM_TIMEOUT };
                if (next == StreamNext.Entry)
                {
                    *timestampNs = entry.TimestampNs;
                    *seq = entry.Seq;
                    *data = box.Pin(entry.Payload);
                    *length = (nuint)entry.Payload.Length;
                }
            }
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "auki_stream_end_reason")]
    public static int StreamEndReason(nint stream, byte** output)
    {
        try
        {
            OutStrings.Begin(output, "out");
            if (DomainHandles.Stream(stream).EndReason is string reason) OutStrings.Set(output, reason);
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "auki_stream_status")]
    public static int StreamStatus(nint stream, byte** outJson)
    {
        try
        {
            OutStrings.Begin(outJson, "out_json");
            OutStrings.Set(outJson, CanonicalJson.Serialize(DomainHandles.Stream(stream).Status().ToJson()));
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "auki_domain_materialization_status")]
    public static int MaterializationStatus(nint domain, byte* logRefJson, byte** outJson)
    {
        try
        {
            OutStrings.Begin(outJson, "out_json");
            var d = DomainHandles.Domain(domain);
            var logRef = LogRef.FromJson(Utf8Args.Json(logRefJson, "log_ref_json"));
            OutStrings.Set(outJson, CanonicalJson.Serialize(d.MaterializationStatus(logRef).ToJson()));
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "auki_log_set_callback")]
    public static int LogSetCallback(nint callback, byte* userPointer)
    {
        nint user = (nint)userPointer;
        try
        {
            if (callback == 0)
            {
                DomainLog.SetSink(null);
                return LastError.Ok();
            }
            var fn = (delegate* unmanaged<nint, int, byte*, void>)callback;
            DomainLog.SetSink((level, message) =>
            {
                // NUL-terminated UTF-8, borrowed for the call only.
                byte[] text = new byte[System.Text.Encoding.UTF8.GetByteCount(message) + 1];
                System.Text.Encoding.UTF8.GetBytes(message, text);
                fixed (byte* p = text) fn(user, level, p);
            });
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "auki_stream_free")]
    public static void StreamFree(nint stream) => HandleTable.Free(stream, HandleKind.Stream);

    // ---- catalog rows and pose payloads --------------------------------------------------------

    [UnmanagedCallersOnly(EntryPoint = "auki_resource_entry_from_dict")]
    public static int ResourceEntryFromDict(byte* json, byte** outJson)
    {
        try
        {
            OutStrings.Begin(outJson, "out_json");
            var node = Utf8Args.Json(json, "json");
            OutStrings.Set(outJson, CanonicalJson.Serialize(ResourceEntry.FromDict(node)));
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "auki_resource_entry_from_json")]
    public static int ResourceEntryFromJson(byte* json, byte** outJson)
    {
        try
        {
            OutStrings.Begin(outJson, "out_json");
            OutStrings.Set(outJson, CanonicalJson.Serialize(ResourceEntry.FromJson(Utf8Args.Required(json, "json"))));
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }

}
