using System.Runtime.InteropServices;
using Auki.Ids;
using Auki.Native.Interop;
using Auki.Registry;

namespace Auki.Native.Exports;

/// <summary>auki_registry_*: id validation and whole-entry normalize / write / read on a storage root; auki_frame_def_body.</summary>
internal static unsafe class RegistryExports
{
    [UnmanagedCallersOnly(EntryPoint = "auki_registry_validate_id")]
    public static int ValidateId(byte* id)
    {
        try
        {
            RegistryId.Validate(Utf8Args.Required(id, "id"));
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "auki_frame_def_body")]
    public static int FrameDefBody(byte* frameDef, byte** output)
    {
        try
        {
            OutStrings.Begin(output, "out_json");
            var def = FrameDef.Parse(Utf8Args.Required(frameDef, "frame_def"));
            def.Validate();
            OutStrings.Set(output, Json.CanonicalJson.Serialize(def.ToBody()));
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "auki_registry_entry_canonical")]
    public static int EntryCanonical(byte* kind, byte* entryJson, byte** outCanonical, byte* outHash)
    {
        try
        {
            OutStrings.Begin(outCanonical, "out_canonical");
            Guard.NotNull(outHash, "out_hash");
            var entry = ParseEntry(kind, entryJson);
            OutStrings.Set(outCanonical, entry.CanonicalBytes());
            OutStrings.WriteFixed(outHash, entry.Hash());
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "auki_registry_write")]
    public static int Write(byte* root, byte* kind, byte* entryJson, byte* outHash)
    {
        try
        {
            Guard.NotNull(outHash, "out_hash");
            string rootPath = Utf8Args.Required(root, "root");
            var entry = ParseEntry(kind, entryJson);
            RegistryStore.Write(rootPath, entry);
            OutStrings.WriteFixed(outHash, entry.Hash());
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "auki_registry_read")]
    public static int Read(byte* root, byte* kind, byte* peerId, byte* id, byte* hash, byte** output)
    {
        try
        {
            OutStrings.Begin(output, "out");
            string rootPath = Utf8Args.Required(root, "root");
            var registryKind = RegistryKinds.Parse(Utf8Args.Required(kind, "kind"));
            string peer = Utf8Args.Required(peerId, "peer_id");
            string entryId = Utf8Args.Required(id, "id");
            string entryHash = Utf8Args.Required(hash, "hash");
            string json = RegistryStore.Read(rootPath, registryKind, peer, entryId, entryHash)
                ?? throw new AukiException(AukiErrorCode.NotFound,
                    $"{registryKind.Singular()} entry not found: {peer}/{entryId}@{entryHash}");
            OutStrings.Set(output, json);
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }

    private static RegistryEntry ParseEntry(byte* kind, byte* entryJson)
    {
        var registryKind = RegistryKinds.Parse(Utf8Args.Required(kind, "kind"));
        return RegistryEntryJson.Parse(registryKind, Utf8Args.Json(entryJson, "entry_json"));
    }
}
