using System.Text.Json.Nodes;
using Auki.Json;
using Auki.Storage;

namespace Auki.Registry;

/// <summary>
/// upstream's <c>list_device_models</c>: one <c>{id, hash}</c> per device model id of a peer — the
/// tip — sorted by id. The tip is the entry the id directory's <see cref="DeviceModelTip"/> names;
/// a directory without a usable TIP (written before TIP existed, or whose TIP names a bad entry)
/// offers its newest valid entry by modification time, the greater hash breaking a tie, and a
/// TIP-chosen row is never displaced by one chosen by time. A candidate counts only if it parses,
/// validates, belongs to the peer, lies in the directory its id names, is stored under its own hash
/// and has every blob it names present; anything else is skipped silently. A missing peer directory
/// is an empty list. The walk is bounded as upstream's is (512 file-system visits, 64 KiB of rows):
/// past either, <c>device-model registry list limit exceeded</c>.
/// </summary>
public static class DeviceModelList
{
    /// <summary>upstream MAX_DEVICE_MODEL_LIST_VISITS.</summary>
    public const int MaxVisits = 512;

    /// <summary>upstream MAX_DEVICE_MODEL_LIST_BYTES (each row counts its id, its hash and 32).</summary>
    public const int MaxRetainedBytes = 64 * 1024;

    private const string LimitMessage = "device-model registry list limit exceeded";

    /// <summary>Rows <c>{"id", "hash"}</c>.</summary>
    public static JsonArray List(string root, string peerId)
    {
        string peerDir = StorageLayout.DeviceModelsPeerDirectory(root, peerId);
        var walk = new Walk(root, peerId);
        IoErrors.Guard(() =>
        {
            // A peer path that is a file is an I/O error, as upstream's read_dir reports it.
            if (File.Exists(peerDir)) throw new IOException($"Not a directory: {peerDir}");
            if (!Directory.Exists(peerDir)) return;
            foreach (var entry in new DirectoryInfo(peerDir).EnumerateFileSystemInfos())
            {
                walk.Visit();
                if (entry is not DirectoryInfo modelDir) continue;
                if (walk.FromTip(modelDir.FullName) is { } tip)
                {
                    walk.Retain(tip, byTip: true, DateTime.MinValue);
                    continue;
                }
                walk.Visit();
                foreach (var file in modelDir.EnumerateFiles())
                {
                    walk.Visit();
                    if (file.Extension != ".json") continue;
                    if (walk.Candidate(file.FullName) is not { } candidate) continue;
                    walk.Visit();
                    walk.Retain(candidate, byTip: false, file.LastWriteTimeUtc);
                }
            }
        }, "io: ");
        var result = new JsonArray();
        foreach (var (id, hash) in walk.Rows())
            result.Add((JsonNode)new JsonObject { ["id"] = id, ["hash"] = hash });
        return result;
    }

    private sealed class Walk(string root, string peerId)
    {
        private readonly Dictionary<string, (bool ByTip, DateTime Modified, string Hash)> _tips = new(StringComparer.Ordinal);
        private int _visits;
        private long _retainedBytes;

        public void Visit()
        {
            if (++_visits > MaxVisits) throw AukiException.Invalid(LimitMessage);
        }

        public (string Id, string Hash)? FromTip(string modelDir)
        {
            Visit();
            return DeviceModelTip.Read(modelDir) is { } hash ? Candidate(Path.Combine(modelDir, hash + ".json")) : null;
        }

        /// <summary>The entry at <paramref name="path"/> as a row, or null if it does not qualify.</summary>
        public (string Id, string Hash)? Candidate(string path)
        {
            Visit();
            byte[]? bytes;
            try { bytes = CappedFile.Read(path, RegistryStore.MaxDeviceModelEntryBytes); }
            catch (AukiException e) when (e.Code == AukiErrorCode.InvalidArgument) { return null; }
            if (bytes is null) return null;
            RegistryEntry entry;
            try { entry = RegistryEntryJson.Parse(RegistryKind.DeviceModel, JsonText.Parse(bytes)); }
            catch (AukiException e) when (e.Code != AukiErrorCode.Io) { return null; }
            if (entry.PeerId != peerId) return null;
            if (Path.GetFileName(Path.GetDirectoryName(path)) != StorageLayout.IdToSegment(entry.Id)) return null;
            string hash = entry.Hash();
            if (Path.GetFileNameWithoutExtension(path) != hash) return null;
            if (!BlobsPresent(entry)) return null;
            return (entry.Id, hash);
        }

        private bool BlobsPresent(RegistryEntry entry)
        {
            foreach (string sha256 in DeviceModelBody.BlobAddresses(entry.Body))
            {
                Visit();
                try
                {
                    if (!BlobStore.Exists(root, sha256)) return false;
                }
                catch (AukiException e) when (e.Code == AukiErrorCode.InvalidArgument) { return false; }
            }
            return true;
        }

        public void Retain((string Id, string Hash) row, bool byTip, DateTime modified)
        {
            bool known = _tips.TryGetValue(row.Id, out var current);
            bool replace = byTip || !known
                || (!current.ByTip && (modified > current.Modified
                    || (modified == current.Modified && string.CompareOrdinal(row.Hash, current.Hash) > 0)));
            if (!replace) return;
            long previous = known ? RowBytes(row.Id, current.Hash) : 0;
            long next = _retainedBytes - previous + RowBytes(row.Id, row.Hash);
            if (next > MaxRetainedBytes) throw AukiException.Invalid(LimitMessage);
            _retainedBytes = next;
            _tips[row.Id] = (byTip, modified, row.Hash);
        }

        private static long RowBytes(string id, string hash) =>
            System.Text.Encoding.UTF8.GetByteCount(id) + hash.Length + 32;

        public IEnumerable<(string Id, string Hash)> Rows() =>
            _tips.Select(kv => (kv.Key, kv.Value.Hash))
                .OrderBy(r => r.Key, StringComparer.Ordinal)
                .ThenBy(r => r.Hash, StringComparer.Ordinal)
                .Select(r => (r.Key, r.Hash));
    }
}
