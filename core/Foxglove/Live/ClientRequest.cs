using System.Text.Json;

namespace Auki.Foxglove.Live;

/// <summary>
/// A JSON message from a client, parsed with <see cref="Utf8JsonReader"/> (no reflection). Only
/// <c>subscribe</c> and <c>unsubscribe</c> do anything here; any other op is reported back to the
/// client as unsupported (the server advertises no capability that would invite one).
/// </summary>
internal sealed class ClientRequest
{
    public required string Op { get; init; }

    /// <summary><c>subscribe</c>: (subscription id, channel id) pairs.</summary>
    public IReadOnlyList<(uint SubscriptionId, uint ChannelId)> Subscriptions { get; init; } = [];

    /// <summary><c>unsubscribe</c>: subscription ids.</summary>
    public IReadOnlyList<uint> SubscriptionIds { get; init; } = [];

    /// <summary>Parse one text message; InvalidArgument naming what is wrong.</summary>
    public static ClientRequest Parse(ReadOnlySpan<byte> json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json.ToArray());
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw AukiException.Invalid("a client message must be a JSON object");
            if (!root.TryGetProperty("op", out var op) || op.ValueKind != JsonValueKind.String)
                throw AukiException.Invalid("a client message needs a string field op");
            string name = op.GetString()!;
            return name switch
            {
                "subscribe" => new ClientRequest { Op = name, Subscriptions = Subscribe(root) },
                "unsubscribe" => new ClientRequest { Op = name, SubscriptionIds = Ids(root, "subscriptionIds") },
                _ => new ClientRequest { Op = name },
            };
        }
        catch (JsonException e)
        {
            throw AukiException.Invalid($"a client message is not JSON: {e.Message}");
        }
    }

    private static List<(uint, uint)> Subscribe(JsonElement root)
    {
        var list = new List<(uint, uint)>();
        foreach (var s in Array(root, "subscriptions"))
        {
            if (s.ValueKind != JsonValueKind.Object) throw AukiException.Invalid("subscribe: subscriptions[] must hold objects");
            list.Add((U32(s, "id", "subscribe: subscriptions[].id"), U32(s, "channelId", "subscribe: subscriptions[].channelId")));
        }
        return list;
    }

    private static List<uint> Ids(JsonElement root, string field)
    {
        var list = new List<uint>();
        foreach (var e in Array(root, field))
        {
            if (e.ValueKind != JsonValueKind.Number || !e.TryGetUInt32(out uint id))
                throw AukiException.Invalid($"{field}[] must hold unsigned 32-bit integers");
            list.Add(id);
        }
        return list;
    }

    private static JsonElement.ArrayEnumerator Array(JsonElement root, string field)
    {
        if (!root.TryGetProperty(field, out var a) || a.ValueKind != JsonValueKind.Array)
            throw AukiException.Invalid($"{root.GetProperty("op").GetString()}: field {field} must be an array");
        return a.EnumerateArray();
    }

    private static uint U32(JsonElement o, string field, string what)
    {
        if (!o.TryGetProperty(field, out var v) || v.ValueKind != JsonValueKind.Number || !v.TryGetUInt32(out uint n))
            throw AukiException.Invalid($"{what} must be an unsigned 32-bit integer");
        return n;
    }
}
