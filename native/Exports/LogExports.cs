using System.Runtime.InteropServices;
using Auki.Json;
using Auki.Native.Interop;
using Auki.Sessions;

namespace Auki.Native.Exports;

/// <summary>auki_log_*: read a declared log's kind, resource id, directory, LogRef and manifest.</summary>
internal static unsafe class LogExports
{
    [UnmanagedCallersOnly(EntryPoint = "auki_log_free")]
    public static void Free(nint log) => HandleTable.Free(log, HandleKind.Log);

    [UnmanagedCallersOnly(EntryPoint = "auki_log_kind")]
    public static int Kind(nint log, byte** output)
    {
        try
        {
            OutStrings.Begin(output, "out");
            OutStrings.Set(output, SessionJson.KindName(Handles.Log(log).Kind));
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "auki_log_resource_id")]
    public static int ResourceId(nint log, byte** output)
    {
        try
        {
            OutStrings.Begin(output, "out");
            OutStrings.Set(output, Handles.Log(log).ResourceId);
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "auki_log_root")]
    public static int Root(nint log, byte** output)
    {
        try
        {
            OutStrings.Begin(output, "out");
            OutStrings.Set(output, Handles.Log(log).Root);
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "auki_log_ref")]
    public static int Ref(nint log, byte** outJson)
    {
        try
        {
            OutStrings.Begin(outJson, "out_json");
            OutStrings.Set(outJson, CanonicalJson.Serialize(Handles.Log(log).LogRef.ToJson()));
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "auki_log_manifest")]
    public static int Manifest(nint log, byte** outJson)
    {
        try
        {
            OutStrings.Begin(outJson, "out_json");
            OutStrings.Set(outJson, CanonicalJson.Serialize(Handles.Log(log).Manifest));
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }
}
