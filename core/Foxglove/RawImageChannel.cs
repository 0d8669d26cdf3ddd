using System.Buffers;
using System.Globalization;

namespace Auki.Foxglove;

/// <summary>A raw camera log as <c>foxglove.RawImage</c>: the frame's rows untouched, <c>step</c> = <c>row_stride_bytes</c>.</summary>
internal sealed class RawImageChannel : FoxgloveChannel
{
    public required string FrameId { get; init; }
    public required string Encoding { get; init; }
    public required uint Width { get; init; }
    public required uint Height { get; init; }
    public required uint Step { get; init; }

    /// <summary>Bytes a frame must have: height × step (× 3/2 for nv12's chroma plane).</summary>
    public required long FrameBytes { get; init; }

    public override void Convert(long timestampNs, ReadOnlySpan<byte> payload, IBufferWriter<byte> message)
    {
        var frame = CameraFrames.Pixels(payload);
        if (frame.Length != FrameBytes)
            throw AukiException.Invalid(string.Create(CultureInfo.InvariantCulture,
                $"frame: {frame.Length} bytes, expected {FrameBytes} ({Width}×{Height} {Encoding}, step {Step})"));
        long time = LogTime(timestampNs);
        int size = WireWriter.SizeOfTimestamp(time) + WireWriter.SizeOfString(FrameId) + WireWriter.SizeOfFixed32(Width)
            + WireWriter.SizeOfFixed32(Height) + WireWriter.SizeOfString(Encoding) + WireWriter.SizeOfFixed32(Step)
            + WireWriter.SizeOfBytes(frame.Length);
        var w = new WireWriter(message.GetSpan(size));
        // In field-number order, as protoc's serializers write them.
        w.Timestamp(1, time);
        w.Fixed32(2, Width);
        w.Fixed32(3, Height);
        w.String(4, Encoding);
        w.Fixed32(5, Step);
        w.Bytes(6, frame);
        w.String(7, FrameId);
        message.Advance(w.Position);
    }
}
