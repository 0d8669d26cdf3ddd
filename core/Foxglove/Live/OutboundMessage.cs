namespace Auki.Foxglove.Live;

/// <summary>
/// One message waiting to go to a client: a JSON text message (control: serverInfo, advertise,
/// status), or a Message Data frame for one subscription (its payload shared by every client that
/// receives it, never copied per client).
/// </summary>
internal readonly struct OutboundMessage
{
    private OutboundMessage(byte[]? text, uint subscriptionId, long logTimeNs, ReadOnlyMemory<byte> payload)
    {
        Text = text;
        SubscriptionId = subscriptionId;
        LogTimeNs = logTimeNs;
        Payload = payload;
    }

    /// <summary>UTF-8 JSON of a control message, or null for a data frame.</summary>
    public byte[]? Text { get; }

    public uint SubscriptionId { get; }

    public long LogTimeNs { get; }

    public ReadOnlyMemory<byte> Payload { get; }

    public bool IsControl => Text is not null;

    /// <summary>Bytes this message holds in a client's queue (what the byte bound counts).</summary>
    public long Size => Text?.Length ?? MessageDataHeader.Size + Payload.Length;

    public static OutboundMessage Control(byte[] json) => new(json, 0, 0, default);

    public static OutboundMessage Data(uint subscriptionId, long logTimeNs, ReadOnlyMemory<byte> payload) =>
        new(null, subscriptionId, logTimeNs, payload);
}
