using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Auki.Logs;
using Auki.Manifests;
using Auki.Sessions;

namespace Auki.Domains;

/// <summary>
/// The catalog document's <c>static_transforms</c>: the single entry of each sealed rigid pose log of this
/// session, so <c>resolve_static_transform</c> is answered from the catalog a reader already holds (one
/// barrier round trip, as <c>peers()</c>) instead of by opening a stream, waiting for its entry and its end,
/// which behind a camera stream cost a tail of up to a second. A sealed log never changes, so each is read
/// once per handle. Readers that do not know the field ignore it; a reader finding no value streams as before
/// (docs/domains.md).
/// </summary>
internal static class AdvertisedTransforms
{
    /// <summary>A value larger than this is not advertised (a SpatialTransform has well under 100 bytes).</summary>
    public const int MaxPayloadBytes = 1024;

    // What a sealed handle advertises (null: nothing); a class, as ConditionalWeakTable holds references.
    private sealed record Sealed(LogEntry? Value);

    private static readonly ConditionalWeakTable<LogHandle, Sealed> Read = new();

    /// <summary><c>[{"resource_id","timestamp_ns","payload": base64}]</c> for this session's sealed rigid pose logs; null when there is none.</summary>
    public static JsonArray? For(Session session)
    {
        JsonArray? list = null;
        foreach (var handle in session.AllLogs())
        {
            if (handle.Spec is not PoseLogSpec { WriterMode: "rigid" } || handle.SourcePeerId != session.PeerId) continue;
            if (!Read.TryGetValue(handle, out var known))
            {
                if (!handle.Data.IsSealed) continue;
                known = Read.GetValue(handle, h => new Sealed(Single(h)));
            }
            if (known.Value is not { } value) continue;
            (list ??= new JsonArray()).Add((JsonNode)new JsonObject
            {
                ["resource_id"] = handle.ResourceId,
                ["timestamp_ns"] = value.TimestampNs,
                ["payload"] = Convert.ToBase64String(value.Payload),
            });
        }
        return list;
    }

    // Exactly one small entry, or nothing to advertise (resolve then streams and reports what is wrong).
    private static LogEntry? Single(LogHandle handle)
    {
        try
        {
            LogEntry? found = null;
            foreach (var entry in handle.Data.Read())
            {
                if (found is not null) return null;
                found = entry;
            }
            return found is { Payload.Length: <= MaxPayloadBytes } ? found : null;
        }
        catch (Exception e) when (e is AukiException or IOException)
        {
            return null; // unreadable (corrupt): not advertised; a resolve streams it and gets the error
        }
    }
}
