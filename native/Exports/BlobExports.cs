using System.Runtime.InteropServices;
using Auki.Json;
using Auki.Native.Interop;
using Auki.Registry;

namespace Auki.Native.Exports;

/// <summary>auki_sha256_hex, auki_blob_put, auki_blob_get, auki_urdf_package_put(_with_package_root), auki_device_models_list: the registry's SHA-256 blobs, URDF packages and device model listing.</summary>
internal static unsafe class BlobExports
{
    [UnmanagedCallersOnly(EntryPoint = "auki_sha256_hex")]
    public static int Sha256(byte* data, nuint len, byte* output)
    {
        try
        {
            Guard.NotNull(output, "out");
            OutStrings.WriteFixed(output, BlobStore.Sha256Hex(Span(data, len)));
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "auki_blob_put")]
    public static int Put(byte* root, byte* data, nuint len, byte* outSha256)
    {
        try
        {
            Guard.NotNull(outSha256, "out_sha256");
            string rootPath = Utf8Args.Required(root, "root");
            OutStrings.WriteFixed(outSha256, BlobStore.Put(rootPath, Span(data, len)));
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "auki_blob_get")]
    public static int Get(byte* root, byte* sha256, byte* buf, nuint cap, nuint* outLen)
    {
        try
        {
            Guard.NotNull(outLen, "out_len");
            string rootPath = Utf8Args.Required(root, "root");
            string address = Utf8Args.Required(sha256, "sha256");
            byte[] bytes = BlobStore.Get(rootPath, address)
                ?? throw new AukiException(AukiErrorCode.NotFound, $"blob not found: {address}");
            *outLen = (nuint)bytes.Length;
            if (cap < (nuint)bytes.Length)
                throw new AukiException(AukiErrorCode.BufferTooSmall, $"blob {address} is {bytes.Length} bytes, the buffer holds {cap}");
            if (bytes.Length > 0)
            {
                if (buf == null) throw Guard.NullArgument("buf");
                bytes.CopyTo(new Span<byte>(buf, bytes.Length));
            }
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "auki_urdf_package_put")]
    public static int UrdfPackagePut(byte* root, byte* urdfPath, byte* rootConvention, byte** output)
    {
        try
        {
            OutStrings.Begin(output, "out_json");
            var package = UrdfPackage.Put(Utf8Args.Required(root, "root"), Utf8Args.Required(urdfPath, "urdf_path"),
                Utf8Args.Optional(rootConvention, "root_convention"));
            OutStrings.Set(output, CanonicalJson.Serialize(package));
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "auki_urdf_package_put_with_package_root")]
    public static int UrdfPackagePutWithPackageRoot(byte* root, byte* urdfPath, byte* rootConvention, byte* packageRoot, byte** output)
    {
        try
        {
            OutStrings.Begin(output, "out_json");
            var package = UrdfPackage.Put(Utf8Args.Required(root, "root"), Utf8Args.Required(urdfPath, "urdf_path"),
                Utf8Args.Optional(rootConvention, "root_convention"), Utf8Args.Optional(packageRoot, "package_root"));
            OutStrings.Set(output, CanonicalJson.Serialize(package));
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "auki_device_models_list")]
    public static int DeviceModelsList(byte* root, byte* peerId, byte** output)
    {
        try
        {
            OutStrings.Begin(output, "out_json");
            var rows = DeviceModelList.List(Utf8Args.Required(root, "root"), Utf8Args.Required(peerId, "peer_id"));
            OutStrings.Set(output, CanonicalJson.Serialize(rows));
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }

    private static ReadOnlySpan<byte> Span(byte* data, nuint len)
    {
        if (data == null && len != 0) throw new AukiException(AukiErrorCode.InvalidArgument, "data must not be NULL when len > 0");
        // Past the blob limit either way; refuse before building a span .NET cannot hold.
        if (len > int.MaxValue) throw new AukiException(AukiErrorCode.Overflow, $"len {len} exceeds {int.MaxValue} bytes");
        return new ReadOnlySpan<byte>(data, (int)len);
    }
}
