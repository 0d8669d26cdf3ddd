using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Auki.Foxglove;

/// <summary>
/// How one recorded log appears to Foxglove: a topic, a schema and the conversion of each entry's
/// payload into the message a Foxglove panel decodes. The MCAP export and the live WebSocket server
/// both take their channels from <see cref="FoxgloveProfile"/>, so a recording looks the same in a
/// file and live.
/// </summary>
public abstract class FoxgloveChannel
{
    /// <summary>The topic, <c>/&lt;peer&gt;/&lt;resource_id&gt;</c> for a log's main channel.</summary>
    public required string Topic { get; init; }

    /// <summary>The message encoding, <c>protobuf</c> for typed channels.</summary>
    public required string MessageEncoding { get; init; }

    /// <summary>The schema, or null for a channel of opaque bytes.</summary>
    public FoxgloveSchema? Schema { get; init; }

    /// <summary>Channel metadata (MCAP Channel.metadata): the log's identity and manifest.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// A message that stands for the whole channel rather than for one entry (a camera's
    /// calibration): the export writes it once at the log's first timestamp, the live server sends
    /// it to each new subscriber. Null for channels fed by entries.
    /// </summary>
    public byte[]? Latched { get; init; }

    /// <summary>
    /// How entry timestamps (the log's own clock) become message times: Unix-epoch ns when the
    /// log's clock maps to UTC (<see cref="WallClock"/>), else as recorded. Converted messages carry
    /// it in their <c>timestamp</c> field; callers stamp log_time with <see cref="LogTime"/>.
    /// </summary>
    public ClockMapping Clock { get; init; } = ClockMapping.AsRecorded();

    /// <summary>
    /// The full name of the recorded payload type a converting channel reads (<c>auki.camera.CameraFrame</c>),
    /// or null when messages are the payloads as recorded.
    /// </summary>
    public string? ConvertedFrom { get; init; }

    /// <summary>The time to write an entry at (MCAP log_time, the WebSocket message time): <see cref="Clock"/> applied.</summary>
    public long LogTime(long timestampNs) => Clock.Map(timestampNs);

    /// <summary>
    /// Writes the Foxglove message for one entry (timestamp <paramref name="timestampNs"/> in the
    /// log's own clock; a converted message's <c>timestamp</c> field gets <see cref="LogTime"/> of
    /// it) into <paramref name="message"/>. Throws <see cref="AukiException"/> with code Corrupt or
    /// InvalidArgument when the payload does not decode; a caller reports it and never writes a
    /// guessed message.
    /// </summary>
    public abstract void Convert(long timestampNs, ReadOnlySpan<byte> payload, IBufferWriter<byte> message);

    /// <summary>
    /// <see cref="Convert"/> for a caller that can leave the message's bulk where it lies in the
    /// payload (the MCAP export, whose chunks hold views into mapped segments, so a camera frame goes
    /// from the page cache to the file once): writes the message's bytes before the bulk to
    /// <paramref name="prefix"/>, those after it to <paramref name="suffix"/>, and returns where the
    /// bulk lies in <paramref name="payload"/>. Prefix, bulk and suffix together are byte for byte
    /// what <see cref="Convert"/> writes, and it throws as Convert does. By default the whole message
    /// is the prefix and the bulk is empty.
    /// </summary>
    internal virtual (int Start, int Length) ConvertAround(long timestampNs, ReadOnlySpan<byte> payload, IBufferWriter<byte> prefix,
        IBufferWriter<byte> suffix)
    {
        Convert(timestampNs, payload, prefix);
        return (0, 0);
    }

    /// <summary>Where <paramref name="part"/>, a slice of <paramref name="payload"/>, starts in it.</summary>
    private protected static int OffsetIn(ReadOnlySpan<byte> payload, ReadOnlySpan<byte> part) =>
        (int)Unsafe.ByteOffset(ref MemoryMarshal.GetReference(payload), ref MemoryMarshal.GetReference(part));
}
