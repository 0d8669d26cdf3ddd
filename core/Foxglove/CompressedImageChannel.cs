using System.Buffers;

namespace Auki.Foxglove;

/// <summary>A camera log of jpeg/png/webp/avif files as <c>foxglove.CompressedImage</c>: the file bytes as recorded.</summary>
internal sealed class CompressedImageChannel : FoxgloveChannel
{
    public required string FrameId { get; init; }
    public required string Format { get; init; }

    public override void Convert(long timestampNs, ReadOnlySpan<byte> payload, IBufferWriter<byte> message)
    {
        var frame = CameraFrames.Pixels(payload);
        long time = LogTime(timestampNs);
        int size = WireWriter.SizeOfTimestamp(time) + WireWriter.SizeOfBytes(frame.Length) + WireWriter.SizeOfString(Format)
            + WireWriter.SizeOfString(FrameId);
        var w = new WireWriter(message.GetSpan(size));
        w.Timestamp(1, time);
        w.Bytes(2, frame);
        w.String(3, Format);
        w.String(4, FrameId);
        message.Advance(w.Position);
    }
}
