using System.Security.Cryptography;
using Auki.Storage;

namespace Auki.Registry;

/// <summary>
/// SHA-256-addressed blobs under an app root (the URDF and mesh files device models name), at
/// upstream's <c>&lt;root&gt;/blobs/&lt;sha256&gt;</c>: writes are atomic and never replace a stored
/// blob (one whose bytes no longer hash to its name is reported, not overwritten), reads check the
/// bytes still hash to their address, and no blob is larger than <see cref="MaxBlobBytes"/>
/// (upstream's MAX_BLOB_BYTES, 64 MiB). Messages are upstream's.
/// </summary>
public static class BlobStore
{
    /// <summary>Largest blob stored or read.</summary>
    public const long MaxBlobBytes = 64L * 1024 * 1024;

    /// <summary>upstream's <c>BlobHashMismatch</c> text (it has no <c>invalid blob:</c> prefix).</summary>
    public const string HashMismatchMessage = "on-disk bytes do not match SHA-256 address";

    /// <summary>SHA-256 as 64 lowercase hex characters.</summary>
    public static string Sha256Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>Whether <paramref name="value"/> is 64 lowercase hex characters.</summary>
    public static bool IsSha256Hex(string value)
    {
        if (value.Length != 64) return false;
        foreach (char c in value) if (c is not (>= '0' and <= '9' or >= 'a' and <= 'f')) return false;
        return true;
    }

    /// <summary>
    /// Store <paramref name="bytes"/> and return its address. Past the limit nothing is written; an
    /// address already stored with the right bytes is left alone, one stored with other bytes is an error.
    /// </summary>
    public static string Put(string root, ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > MaxBlobBytes)
            throw AukiException.Invalid($"invalid blob: blob exceeds MAX_BLOB_BYTES ({MaxBlobBytes})");
        string sha256 = Sha256Hex(bytes);
        if (Get(root, sha256) is not null) return sha256;
        string path = StorageLayout.BlobPath(root, sha256);
        byte[] copy = bytes.ToArray();
        IoErrors.Guard(() => AtomicFile.Write(path, copy), "io: ");
        return sha256;
    }

    /// <summary>The blob at <paramref name="sha256"/>, or null when none is stored.</summary>
    public static byte[]? Get(string root, string sha256)
    {
        if (!IsSha256Hex(sha256)) throw AukiException.Invalid("invalid blob: sha256 must be 64 lowercase hex characters");
        byte[]? bytes = CappedFile.Read(StorageLayout.BlobPath(root, sha256), MaxBlobBytes);
        if (bytes is not null && Sha256Hex(bytes) != sha256) throw AukiException.Invalid(HashMismatchMessage);
        return bytes;
    }

    /// <summary>
    /// upstream's <c>blob_exists</c>: whether the address is stored (by size, without re-hashing);
    /// an on-disk file past the limit is an <c>invalid blob</c> error.
    /// </summary>
    public static bool Exists(string root, string sha256)
    {
        if (!IsSha256Hex(sha256)) throw AukiException.Invalid("invalid blob: sha256 must be 64 lowercase hex characters");
        var info = new FileInfo(StorageLayout.BlobPath(root, sha256));
        bool exists = IoErrors.Guard(() => info.Exists, "io: ");
        if (exists && info.Length > MaxBlobBytes)
            throw AukiException.Invalid($"invalid blob: on-disk blob exceeds MAX_BLOB_BYTES ({MaxBlobBytes})");
        return exists;
    }
}
