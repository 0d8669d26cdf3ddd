using System.Text.Json.Nodes;
using Auki.Hashing;
using Auki.Json;

namespace Auki.Registry;

/// <summary>
/// One registry entry: <c>{peer_id, &lt;kind&gt;_id, …body}</c> with the body's keys flattened into
/// the top level. The entry is immutable once built; its canonical bytes and hash are its identity.
/// </summary>
public sealed class RegistryEntry
{
    /// <summary>Which registry this belongs to.</summary>
    public RegistryKind Kind { get; }
    /// <summary>The registering peer.</summary>
    public string PeerId { get; }
    /// <summary>The registered id.</summary>
    public string Id { get; }
    /// <summary>The normalized body (only known keys, typed values).</summary>
    public JsonObject Body { get; }
    /// <summary>Era B/C clocks carry the session they were minted in; null for everything else.</summary>
    public string? SessionId { get; }

    private byte[]? _canonical;
    private string? _hash;

    /// <summary>Build an entry from an already-normalized body.</summary>
    public RegistryEntry(RegistryKind kind, string peerId, string id, JsonObject body, string? sessionId = null)
    {
        Kind = kind;
        PeerId = peerId;
        Id = id;
        Body = body;
        SessionId = sessionId;
    }

    /// <summary>The full entry as JSON (a fresh tree each call).</summary>
    public JsonObject ToJson()
    {
        var obj = (JsonObject)Body.DeepClone();
        obj["peer_id"] = PeerId;
        obj[Kind.IdField()] = Id;
        if (SessionId is not null) obj["session_id"] = SessionId;
        return obj;
    }

    /// <summary>RFC 8785 bytes: what is hashed and what is stored on disk.</summary>
    public byte[] CanonicalBytes() => _canonical ??= CanonicalJson.Serialize(ToJson());

    /// <summary>XXH3-128 of the canonical bytes, 32 lowercase hex chars.</summary>
    public string Hash() => _hash ??= ContentHash.Of(CanonicalBytes());

    /// <summary>The reference a registration returns.</summary>
    public RegistryRef Ref() => new(PeerId, Id, Hash());
}
