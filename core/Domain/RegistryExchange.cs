using System.Text;
using System.Text.Json.Nodes;
using Auki.Hashing;
using Auki.Json;
using Auki.Registry;

namespace Auki.Domains;

/// <summary>
/// Registry entries between members, by content address: this peer answers requests for entries
/// in its storage root, and fetches others' entries, refusing (Corrupt) bytes that do not hash to
/// the address asked for or that name another peer or id.
/// </summary>
internal sealed class RegistryExchange(Domain domain)
{
    /// <summary>Answer one request on this peer's registry topic (a reply that cannot be sent is the requester's timeout).</summary>
    public async Task ServeAsync(byte[] payload, string replyTo, byte[] correlation)
    {
        JsonObject answer;
        try
        {
            var f = JsonFields.Of(JsonText.Parse(payload), "struct RegistryRequest");
            var kind = RegistryKinds.Parse(f.String("kind"));
            string peer = f.String("peer_id"), id = f.String("id"), hash = f.String("hash");
            byte[]? bytes = RegistryStore.ReadUnchecked(domain.Session.StorageRoot, kind, peer, id, hash); // the requester rehashes
            answer = bytes is null
                ? new JsonObject { ["found"] = false, ["error"] = $"{kind.Directory()}/{peer}/{id}@{hash} is not in the registry of peer {domain.PeerId}" }
                : new JsonObject { ["found"] = true, ["canonical"] = Encoding.UTF8.GetString(bytes) };
        }
        catch (AukiException e)
        {
            answer = new JsonObject { ["found"] = false, ["error"] = e.Message };
        }
        try
        {
            using var deadline = domain.NewDeadline();
            await domain.Link.PublishAsync(replyTo, CanonicalJson.Serialize(answer), correlation: correlation, token: deadline.Token)
                .ConfigureAwait(false);
        }
        catch (Exception) { } // a reply that cannot be sent: the requester's own deadline reports it
    }

    /// <summary>One entry's canonical bytes from <paramref name="fromPeer"/> (default: the entry's own peer), checked.</summary>
    public byte[] Fetch(RegistryKind kind, string peerId, string id, string hash, string? fromPeer, Deadline deadline)
    {
        string from = fromPeer ?? peerId;
        if (!domain.Book.Has(from))
            throw AukiException.NotFound($"peer {Ids.RustDebug.Str(from)} is not in domain {Ids.RustDebug.Str(domain.DomainId)}");
        var request = new JsonObject { ["kind"] = kind.Singular(), ["peer_id"] = peerId, ["id"] = id, ["hash"] = hash };
        byte[] reply = deadline.Wait(domain.Requests.AskAsync(domain.Topics.RegistryRequests(from), CanonicalJson.Serialize(request), deadline.Token),
            $"registry entry {kind.Directory()}/{peerId}/{id} from peer {Ids.RustDebug.Str(from)}");
        var f = JsonFields.Of(JsonText.Parse(reply), "struct RegistryReply");
        if (!f.Bool("found")) throw AukiException.NotFound(f.String("error"));
        byte[] bytes = Encoding.UTF8.GetBytes(f.String("canonical"));
        string actual = ContentHash.Of(bytes);
        if (actual != hash)
            throw AukiException.Corrupt($"registry entry {kind.Directory()}/{peerId}/{id} from peer {from} hashes to {actual}, not {hash}: refused");
        var entry = JsonFields.Of(JsonText.Parse(bytes), "struct " + kind.Singular());
        if (entry.String("peer_id") != peerId || entry.String(kind.IdField()) != id)
            throw AukiException.Corrupt($"registry entry from peer {from} is not {kind.Directory()}/{peerId}/{id}: refused");
        return bytes;
    }

    /// <summary>Fetch an entry and store it under this session's storage root, unless it is there already.</summary>
    public void Copy(RegistryKind kind, RegistryRef entry, string fromPeer)
    {
        string root = domain.Session.StorageRoot;
        if (RegistryStore.ReadIntactOrNull(root, kind, entry.PeerId, entry.Id, entry.Hash) is not null) return; // a damaged copy is fetched again
        using var deadline = domain.NewDeadline();
        byte[] bytes = Fetch(kind, entry.PeerId, entry.Id, entry.Hash, fromPeer, deadline);
        Storage.IoErrors.Guard(() => Storage.AtomicFile.Write(RegistryStore.EntryPath(root, kind, entry.PeerId, entry.Id, entry.Hash), bytes), "io: ");
    }
}
