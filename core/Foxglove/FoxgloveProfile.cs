using System.Buffers;
using Auki.Datatypes;
using Auki.Inspect;

namespace Auki.Foxglove;

/// <summary>
/// The Foxglove channels of a recorded log. Today every typed log keeps its <c>auki.*</c> protobuf
/// schema and its payload unchanged, and an untyped log is opaque bytes; Foxglove's well-known
/// schemas (RawImage, CompressedImage, CameraCalibration, FrameTransform) replace them for camera
/// and pose logs.
/// </summary>
public static class FoxgloveProfile
{
    /// <summary>The message encoding of a channel whose payloads are opaque bytes.</summary>
    public const string OpaqueEncoding = "x-auki-payload";

    /// <summary>The channels of <paramref name="log"/>: its main channel first, then any latched ones.</summary>
    public static IReadOnlyList<FoxgloveChannel> ChannelsOf(TypedLog log)
    {
        string topic = $"/{log.Log.PeerId}/{log.Log.ResourceId}";
        var metadata = new Dictionary<string, string>
        {
            ["peer_id"] = log.Log.PeerId,
            ["resource_id"] = log.Log.ResourceId,
        };
        if (log.Type is null)
            return [new Passthrough { Topic = topic, MessageEncoding = OpaqueEncoding, Metadata = metadata }];
        return [new Passthrough { Topic = topic, MessageEncoding = "protobuf", Schema = FoxgloveSchema.Protobuf(log.Type), Metadata = metadata }];
    }

    // The payload is already the message (an auki.* protobuf, or opaque bytes).
    private sealed class Passthrough : FoxgloveChannel
    {
        public override void Convert(long timestampNs, ReadOnlySpan<byte> payload, IBufferWriter<byte> message) => message.Write(payload);
    }
}
