using System.Text.Json.Nodes;
using Auki.Json;
using Auki.Storage;

namespace Auki.Registry;

/// <summary>
/// upstream's <c>list_device_models</c>: every valid <c>(device_model_id, hash)</c> stored for a
/// peer, sorted by id then hash. A missing peer directory is an empty list; a file that does not
/// parse, validate, belong to the peer or hash to its own name is skipped, as upstream does.
/// </summary>
public static class DeviceModelList
{
    /// <summary>Rows <c>{"id", "hash"}</c>.</summary>
    public static JsonArray List(string root, string peerId)
    {
        string peerDir = StorageLayout.DeviceModelsPeerDirectory(root, peerId);
        var rows = new List<(string Id, string Hash)>();
        IoErrors.Guard(() =>
        {
            if (!Directory.Exists(peerDir)) return;
            foreach (var modelDir in Directory.EnumerateDirectories(peerDir))
                foreach (var file in Directory.EnumerateFiles(modelDir, "*.json"))
                {
                    if (new FileInfo(file).Length > RegistryStore.MaxEntryBytes) continue;
                    RegistryEntry entry;
                    try
                    {
                        entry = RegistryEntryJson.Parse(RegistryKind.DeviceModel, JsonText.Parse(File.ReadAllBytes(file)));
                        if (entry.PeerId != peerId) continue;
                    }
                    catch (AukiException) { continue; }
                    if (Path.GetFileNameWithoutExtension(file) != entry.Hash()) continue;
                    rows.Add((entry.Id, entry.Hash()));
                }
        }, "io: ");
        rows.Sort((a, b) => string.CompareOrdinal(a.Id, b.Id) is var c && c != 0 ? c : string.CompareOrdinal(a.Hash, b.Hash));
        var result = new JsonArray();
        foreach (var (id, hash) in rows) result.Add((JsonNode)new JsonObject { ["id"] = id, ["hash"] = hash });
        return result;
    }
}
