using System.Text;
using Auki.Hashing;
using Auki.Ids;
using Auki.Json;
using Auki.Storage;

namespace Auki.Registry;

/// <summary>
/// Content-addressed registry files under an app root:
/// <c>&lt;root&gt;/registries/&lt;kind&gt;/&lt;seg(peer)&gt;/&lt;seg(id)&gt;/&lt;hash&gt;.json</c>, holding exactly the
/// canonical bytes. Writes are idempotent (an existing file is left alone) and atomic.
/// </summary>
public static class RegistryStore
{
    /// <summary>Largest canonical entry accepted (upstream MAX_REGISTRY_ENTRY_BYTES).</summary>
    public const int MaxEntryBytes = 64 * 1024;

    /// <summary>Directory of all versions of one id.</summary>
    public static string EntryDirectory(string root, RegistryKind kind, string peerId, string id) =>
        StorageLayout.RegistryEntryDirectory(root, kind.Directory(), peerId, id);

    /// <summary>Path of one version.</summary>
    public static string EntryPath(string root, RegistryKind kind, string peerId, string id, string hash) =>
        StorageLayout.RegistryEntryPath(root, kind.Directory(), peerId, id, hash);

    /// <summary>
    /// Validate and persist <paramref name="entry"/>; returns true if a file was created, false if
    /// identical content was already there. Sensors must reference a frame that exists under the same root.
    /// </summary>
    public static bool Write(string root, RegistryEntry entry)
    {
        byte[] bytes = entry.CanonicalBytes();
        if (bytes.Length > MaxEntryBytes)
            throw AukiException.Invalid($"invalid entry: canonical registry entry is {bytes.Length} bytes, the limit is {MaxEntryBytes}");
        if (entry.Kind == RegistryKind.Sensor) ValidateSensor(root, entry);
        string path = EntryPath(root, entry.Kind, entry.PeerId, entry.Id, entry.Hash());
        return IoErrors.Guard(() =>
        {
            if (File.Exists(path)) return false;
            AtomicFile.Write(path, bytes);
            return true;
        }, "io: ");
    }

    private static void ValidateSensor(string root, RegistryEntry entry)
    {
        SensorBody.Validate(entry.Body);
        var frame = SensorBody.FrameOf(entry.Body);
        if (frame is null) return;
        // Upstream's newest registry reports a malformed hash as `invalid blob: …`, its tests expect
        // `references missing frame`; both say true things, so the message carries both.
        if (frame.Hash.Length > 0 && !ContentHash.IsWellFormed(frame.Hash))
            throw AukiException.Invalid(
                $"sensor {RustDebug.Str(entry.Id)} references missing frame ({RustDebug.Str(frame.Id)}, {RustDebug.Str(frame.Hash)}): " +
                "invalid blob: registry hash must be 32 lowercase hex characters");
        if (frame.Id.Length == 0 || frame.Hash.Length == 0 || ReadBytes(root, RegistryKind.Frame, frame.PeerId, frame.Id, frame.Hash) is null)
            throw AukiException.Invalid(
                $"sensor {RustDebug.Str(entry.Id)} references missing frame ({RustDebug.Str(frame.Id)}, {RustDebug.Str(frame.Hash)})");
    }

    /// <summary>The stored bytes of one version, or null if absent (including malformed hashes, which cannot name a file).</summary>
    public static byte[]? ReadBytes(string root, RegistryKind kind, string peerId, string id, string hash)
    {
        if (!ContentHash.IsWellFormed(hash)) return null;
        string path = EntryPath(root, kind, peerId, id, hash);
        return IoErrors.Guard(() => File.Exists(path) ? File.ReadAllBytes(path) : null, "io: ");
    }

    /// <summary>
    /// Read one version as JSON text, checking that the stored entry really is that peer's id
    /// (<c>id mismatch: expected "…", found "…"</c>) and that its bytes hash to its name.
    /// </summary>
    public static string? Read(string root, RegistryKind kind, string peerId, string id, string hash)
    {
        byte[]? bytes = ReadBytes(root, kind, peerId, id, hash);
        if (bytes is null) return null;
        string actual = ContentHash.Of(bytes);
        if (actual != hash)
            throw AukiException.Corrupt($"hash mismatch: {kind.Directory()}/{peerId}/{id} stored as {hash} hashes to {actual}");
        var f = JsonFields.Of(JsonText.Parse(bytes), "struct " + kind.Singular());
        string storedId = f.String(kind.IdField());
        string storedPeer = f.String("peer_id");
        if (storedId != id) throw AukiException.Corrupt($"id mismatch: expected {RustDebug.Str(id)}, found {RustDebug.Str(storedId)}");
        if (storedPeer != peerId) throw AukiException.Corrupt($"id mismatch: expected {RustDebug.Str(peerId)}, found {RustDebug.Str(storedPeer)}");
        // Upstream validates maps and device models on read too (invalid map: … / invalid device model: …).
        if (kind is RegistryKind.Map or RegistryKind.DeviceModel) RegistryEntryJson.Parse(kind, f.Object);
        return Encoding.UTF8.GetString(bytes);
    }
}
