using System.Runtime.InteropServices;
using Auki.Hashing;
using Auki.Ids;
using Auki.Json;
using Auki.Native.Interop;

namespace Auki.Native.Exports;

/// <summary>auki_string_free, auki_hash_bytes, auki_canonical_json, auki_ulid_new.</summary>
internal static unsafe class UtilityExports
{
    [UnmanagedCallersOnly(EntryPoint = "auki_string_free")]
    public static void StringFree(byte* s) => OutStrings.Free(s);

    [UnmanagedCallersOnly(EntryPoint = "auki_hash_bytes")]
    public static int HashBytes(byte* data, nuint len, byte* outHash)
    {
        try
        {
            Guard.NotNull(outHash, "out_hash");
            if (data == null && len != 0) throw new AukiException(AukiErrorCode.InvalidArgument, "data must not be NULL when len > 0");
            if (len > int.MaxValue)
                throw new AukiException(AukiErrorCode.Overflow, $"len {len} exceeds the largest hashable buffer ({int.MaxValue} bytes)");
            OutStrings.WriteFixed(outHash, ContentHash.Of(new ReadOnlySpan<byte>(data, (int)len)));
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "auki_canonical_json")]
    public static int CanonicalJsonOf(byte* json, byte** output)
    {
        try
        {
            OutStrings.Begin(output, "out");
            OutStrings.Set(output, CanonicalJson.Serialize(Utf8Args.Json(json, "json")));
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "auki_ulid_new")]
    public static int UlidNew(byte* output)
    {
        try
        {
            Guard.NotNull(output, "out");
            OutStrings.WriteFixed(output, Ulid.NewUlid());
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }
}
