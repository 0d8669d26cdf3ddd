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
    /// <summary>Largest canonical entry accepted (upstream MAX_REGISTRY_ENTRY_BYTES), device models aside.</summary>
    public const int MaxEntryBytes = 64 * 1024;

    /// <summary>Largest canonical device model entry (upstream MAX_DEVICE_MODEL_ENTRY_BYTES).</summary>
    public const int MaxDeviceModelEntryBytes = 1024 * 1024;

    /// <summary>Directory of all versions of one id.</summary>
    public static string EntryDirectory(string root, RegistryKind kind, string peerId, string id) =>
        StorageLayout.RegistryEntryDirectory(root, kind.Directory(), peerId, id);

    /// <summary>Path of one version.</summary>
    public static string EntryPath(string root, RegistryKind kind, string peerId, string id, string hash) =>
        StorageLayout.RegistryEntryPath(root, kind.Directory(), peerId, id, hash);

    /// <summary>
    /// Validate and persist <paramref name="entry"/>; returns true if a file was written, false if
    /// identical content was already there. Sensors must reference a frame that exists under the same
    /// root; device models, blobs that are stored and intact. A file already at the entry's path with
    /// other bytes is an error and is left as it is — unless it is what a crash leaves of this very
    /// entry (empty, short, or zeros where bytes were due: <see cref="IsCrashRemnantOf"/>), which is
    /// replaced. A device model write also points its id's <see cref="DeviceModelTip"/> at the entry,
    /// as upstream's List expects. With <paramref name="deferred"/> the file is made durable by that
    /// batch, after the frame a sensor names.
    /// </summary>
    public static bool Write(string root, RegistryEntry entry, DurabilityBatch? deferred = null)
    {
        if (entry.Kind == RegistryKind.Sensor) ValidateSensor(root, entry, deferred);
        if (entry.Kind == RegistryKind.DeviceModel) EnsureBlobs(root, entry);
        byte[] bytes = entry.CanonicalBytes();
        if (entry.Kind == RegistryKind.DeviceModel)
        {
            if (bytes.Length > MaxDeviceModelEntryBytes)
                throw AukiException.Invalid($"invalid device model: entry exceeds size cap ({MaxDeviceModelEntryBytes} bytes)");
        }
        else if (bytes.Length > MaxEntryBytes)
            throw AukiException.Invalid($"invalid blob: registry entry exceeds size cap ({MaxEntryBytes} bytes)");
        string hash = entry.Hash();
        string path = EntryPath(root, entry.Kind, entry.PeerId, entry.Id, hash);
        bool created = IoErrors.Guard(() =>
        {
            var existing = new FileInfo(path);
            // Read once (a re-registration of an identical entry is the common case); a longer file cannot be this entry's remnant.
            byte[]? stored = existing.Exists && existing.Length <= bytes.Length ? File.ReadAllBytes(path) : null;
            if (!existing.Exists || (stored is not null && IsCrashRemnantOf(stored, bytes)))
            {
                AtomicFile.Write(path, bytes, deferred);
                return true;
            }
            // Upstream's write_entry_at: the same name must hold the same bytes; anything else is reported, never replaced.
            if (existing.Length != bytes.Length)
                throw AukiException.Invalid($"invalid blob: existing registry entry at {path} size {existing.Length} does not match canonical bytes ({bytes.Length}) for hash {hash}");
            if (!stored.AsSpan().SequenceEqual(bytes))
                throw AukiException.Invalid($"invalid blob: existing registry entry at {path} does not match canonical bytes for hash {hash}");
            DurabilityBatch.Settle(path, deferred);
            return false;
        }, "io: ");
        if (entry.Kind == RegistryKind.DeviceModel) DeviceModelTip.Write(Path.GetDirectoryName(path)!, hash);
        return created;
    }

    /// <summary>
    /// True when <paramref name="stored"/> differs from <paramref name="canonical"/> only as a crash can
    /// leave a file renamed into place before its data reached the disk: shorter (empty included) and,
    /// where a byte differs, a zero (an unwritten block). Canonical JSON never holds a zero byte, so an
    /// intact file never qualifies; a file that differs in any other way is someone else's and is kept.
    /// </summary>
    public static bool IsCrashRemnantOf(ReadOnlySpan<byte> stored, ReadOnlySpan<byte> canonical)
    {
        if (stored.Length > canonical.Length) return false;
        if (stored.Length == canonical.Length && stored.SequenceEqual(canonical)) return false;
        for (int i = 0; i < stored.Length; i++)
            if (stored[i] != canonical[i] && stored[i] != 0) return false;
        return true;
    }

    /// <summary>upstream's <c>ensure_device_model_blobs</c>: every blob the model names is stored and still hashes to its address.</summary>
    private static void EnsureBlobs(string root, RegistryEntry entry)
    {
        foreach (string sha256 in DeviceModelBody.BlobAddresses(entry.Body))
            if (BlobStore.Get(root, sha256) is null)
                throw AukiException.Invalid($"invalid device model: referenced blob {sha256} not found");
    }

    private static void ValidateSensor(string root, RegistryEntry entry, DurabilityBatch? deferred)
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
        // The sensor names the frame: the frame's file must not be able to vanish in a crash that keeps the sensor's.
        DurabilityBatch.Require(EntryPath(root, RegistryKind.Frame, frame.PeerId, frame.Id, frame.Hash), deferred);
    }

    /// <summary>
    /// The stored bytes of one version, or null if absent (including malformed hashes, which cannot name
    /// a file); bytes that do not hash to their name (a file a crash left empty or short) are
    /// <see cref="AukiErrorCode.Corrupt"/>, never returned.
    /// </summary>
    public static byte[]? ReadBytes(string root, RegistryKind kind, string peerId, string id, string hash)
    {
        byte[]? bytes = ReadUnchecked(root, kind, peerId, id, hash);
        if (bytes is null) return null;
        string actual = ContentHash.Of(bytes);
        if (actual != hash)
            throw AukiException.Corrupt($"hash mismatch: {kind.Directory()}/{peerId}/{id} stored as {hash} hashes to {actual}" +
                (bytes.Length == 0 || bytes.AsSpan().Contains((byte)0) ? " (what a crash leaves before a write is durable; registering the entry again repairs it)" : ""));
        return bytes;
    }

    /// <summary>Like <see cref="ReadBytes"/>, but a damaged file reads as absent: for callers that fetch a fresh copy then.</summary>
    public static byte[]? ReadIntactOrNull(string root, RegistryKind kind, string peerId, string id, string hash)
    {
        byte[]? bytes = ReadUnchecked(root, kind, peerId, id, hash);
        return bytes is not null && ContentHash.Of(bytes) == hash ? bytes : null;
    }

    /// <summary>The file's bytes as stored, unchecked: only for the domain's registry server, whose requester rehashes what arrives and names the damage.</summary>
    internal static byte[]? ReadUnchecked(string root, RegistryKind kind, string peerId, string id, string hash)
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
