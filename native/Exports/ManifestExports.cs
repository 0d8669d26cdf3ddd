using System.Runtime.InteropServices;
using Auki.Json;
using Auki.Manifests;
using Auki.Native.Interop;

namespace Auki.Native.Exports;

/// <summary>auki_manifest_*: upstream's auki_manifests builders and validate(), over core's one manifest builder.</summary>
internal static unsafe class ManifestExports
{
    [UnmanagedCallersOnly(EntryPoint = "auki_manifest_build")]
    public static int Build(byte* kind, byte* argsJson, byte** output)
    {
        try
        {
            OutStrings.Begin(output, "out_json");
            var logKind = LogKinds.Parse(Utf8Args.Required(kind, "kind"));
            var manifest = ManifestBuilder.Build(logKind, Utf8Args.Json(argsJson, "args_json"));
            OutStrings.Set(output, CanonicalJson.Serialize(manifest));
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "auki_manifest_validate")]
    public static int Validate(byte* manifestJson)
    {
        try
        {
            ManifestBuilder.Validate(Utf8Args.Json(manifestJson, "manifest_json"));
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }
}
