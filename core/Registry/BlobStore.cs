using System.Security.Cryptography;
using Auki.Storage;

namespace Auki.Registry;

/// <summary>
/// SHA-256-addressed blobs under an app root (the URDF and mesh files device models name):
/// writes are idempotent and atomic, reads check the bytes still hash to their address, and no
/// blob is larger than <see cref="MaxBlobBytes"/> (upstream's MAX_BLOB_BYTES, 64 MiB).
/// </summary>
public static class BlobStore
{
    /// <summary>Largest blob stored or read.</summary>
    public const long MaxBlobBytes = 64L * 1024 * 1024;

    /// <summary>SHA-256 as 64 lowercase hex characters.</summary>
    public static string Sha256Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>Whether <paramref name="value"/> is 64 lowercase hex characters.</summary>
    public static bool IsSha256Hex(string value)
    {
        if (value.Length != 64) return false;
        foreach (char c in value) if (c is not (>= '0' and <= '9' or >= 'a' and <= 'f')) return false;
        return true;
    }

    /// <summary>Store <paramref name="bytes"/> (refused past the limit, nothing written) and return its address.</summary>
    public static string Put(string root, ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > MaxBlobBytes) throw TooLarge(bytes.Length);
        string sha256 = Sha256Hex(bytes);
        string path = StorageLayout.BlobPath(root, sha256);
        byte[] copy = bytes.ToArray();
        IoErrors.Guard(() => { if (!File.Exists(path)) AtomicFile.Write(path, copy); }, "io: ");
        return sha256;
    }

    /// <summary>The blob at <paramref name="sha256"/>, or null when none is stored.</summary>
    public static byte[]? Get(string root, string sha256)
    {
        if (!IsSha256Hex(sha256)) throw AukiException.Invalid("invalid blob: sha256 must be 64 lowercase hex characters");
        string path = StorageLayout.BlobPath(root, sha256);
        byte[]? bytes = IoErrors.Guard(() =>
        {
            var info = new FileInfo(path);
            if (!info.Exists) return null;
            // Checked before reading so a planted huge file cannot make us allocate it.
            if (info.Length > MaxBlobBytes) throw TooLarge(info.Length);
            return File.ReadAllBytes(path);
        }, "io: ");
        if (bytes is not null && Sha256Hex(bytes) != sha256)
            throw AukiException.Invalid("invalid blob: on-disk bytes do not match SHA-256 address");
        return bytes;
    }

    private static AukiException TooLarge(long length) =>
        AukiException.Invalid($"invalid blob: blob is {length} bytes, the limit is {MaxBlobBytes}");
}
