using System.Runtime.InteropServices;
using Auki.Native.Interop;
using Auki.Registry;
using Auki.Sessions;

namespace Auki.Native.Exports;

/// <summary>auki_peer_*: create and free peers, read their identity, register frames, sensors and detectors, start sessions.</summary>
internal static unsafe class PeerExports
{
    [UnmanagedCallersOnly(EntryPoint = "auki_peer_new")]
    public static int New(nint* output, byte* peerId, byte* appId)
    {
        try
        {
            OutStrings.Begin(output, "out");
            var peer = new Peer(Utf8Args.Required(peerId, "peer_id"), Utf8Args.Required(appId, "app_id"));
            *output = Handles.New(peer);
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "auki_peer_free")]
    public static void Free(nint peer) => HandleTable.Free(peer, HandleKind.Peer);

    [UnmanagedCallersOnly(EntryPoint = "auki_peer_set_storage_root")]
    public static int SetStorageRoot(nint peer, byte* storageRoot)
    {
        try
        {
            var target = Handles.Peer(peer);
            target.StorageRoot = Utf8Args.Required(storageRoot, "storage_root");
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "auki_peer_id")]
    public static int Id(nint peer, byte** output)
    {
        try
        {
            OutStrings.Begin(output, "out");
            OutStrings.Set(output, Handles.Peer(peer).PeerId);
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "auki_peer_app_id")]
    public static int AppId(nint peer, byte** output)
    {
        try
        {
            OutStrings.Begin(output, "out");
            OutStrings.Set(output, Handles.Peer(peer).AppId);
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "auki_peer_storage_root")]
    public static int StorageRoot(nint peer, byte** output)
    {
        try
        {
            OutStrings.Begin(output, "out");
            OutStrings.Set(output, Handles.Peer(peer).StorageRoot);
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "auki_peer_register_frame")]
    public static int RegisterFrame(nint peer, byte* frameId, byte* frameDef, byte* outHash)
    {
        try
        {
            Guard.NotNull(outHash, "out_hash");
            var target = Handles.Peer(peer);
            string id = Utf8Args.Required(frameId, "frame_id");
            var def = FrameDef.Parse(Utf8Args.Required(frameDef, "frame_def"));
            OutStrings.WriteFixed(outHash, target.RegisterFrame(id, def).Hash);
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "auki_peer_register_sensor")]
    public static int RegisterSensor(nint peer, byte* sensorId, byte* bodyJson, byte* outHash)
    {
        try
        {
            Guard.NotNull(outHash, "out_hash");
            var target = Handles.Peer(peer);
            string id = Utf8Args.Required(sensorId, "sensor_id");
            var body = Utf8Args.Json(bodyJson, "body_json");
            OutStrings.WriteFixed(outHash, target.RegisterSensor(id, body).Hash);
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "auki_peer_register_detector")]
    public static int RegisterDetector(nint peer, byte* detectorId, byte* bodyJson, byte* outputTypesJson,
                                       byte* inputTypesJson, byte* outHash)
    {
        try
        {
            Guard.NotNull(outHash, "out_hash");
            var target = Handles.Peer(peer);
            string id = Utf8Args.Required(detectorId, "detector_id");
            var body = Utf8Args.Json(bodyJson, "body_json");
            var outputTypes = Utf8Args.Json(outputTypesJson, "output_types_json");
            var inputTypes = inputTypesJson == null ? null : Utf8Args.Json(inputTypesJson, "input_types_json");
            OutStrings.WriteFixed(outHash, target.RegisterDetector(id, body, outputTypes, inputTypes).Hash);
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "auki_peer_start_session")]
    public static int StartSession(nint peer, nint* output)
    {
        try
        {
            OutStrings.Begin(output, "out");
            *output = Handles.New(Handles.Peer(peer).StartSession());
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "auki_peer_batch_begin")]
    public static int BatchBegin(nint peer)
    {
        try
        {
            Handles.Peer(peer).BeginBatch();
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "auki_peer_batch_commit")]
    public static int BatchCommit(nint peer)
    {
        try
        {
            Handles.Peer(peer).CommitBatch();
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }
}
