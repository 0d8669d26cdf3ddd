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
        var frame = Frame(payload);
        long time = LogTime(timestampNs);
        var w = new WireWriter(message.GetSpan(HeadSize(time) + WireWriter.SizeOfBytes(frame.Length) + WireWriter.SizeOfString(FrameId)));
        WriteHead(ref w, time);
        w.Bytes(6, frame);
        w.String(7, FrameId);
        message.Advance(w.Position);
    }

    /// <summary>The fields before <c>data</c> and its tag and length, then <c>frame_id</c>; the pixels are left in the payload.</summary>
    internal override (int Start, int Length) ConvertAround(long timestampNs, ReadOnlySpan<byte> payload, IBufferWriter<byte> prefix,
        IBufferWriter<byte> suffix)
    {
        var frame = Frame(payload);
        if (frame.IsEmpty) return base.ConvertAround(timestampNs, payload, prefix, suffix); // an empty data field is not written
        long time = LogTime(timestampNs);
        var w = new WireWriter(prefix.GetSpan(HeadSize(time) + WireWriter.SizeOfBytes(frame.Length) - frame.Length));
        WriteHead(ref w, time);
        w.BytesHeader(6, frame.Length);
        prefix.Advance(w.Position);
        var s = new WireWriter(suffix.GetSpan(WireWriter.SizeOfString(FrameId)));
        s.String(7, FrameId);
        suffix.Advance(s.Position);
        return (OffsetIn(payload, frame), frame.Length);
    }

    private ReadOnlySpan<byte> Frame(ReadOnlySpan<byte> payload)
    {
        var frame = CameraFrames.Pixels(payload);
        if (frame.Length != FrameBytes)
            throw AukiException.Invalid(string.Create(CultureInfo.InvariantCulture,
                $"frame: {frame.Length} bytes, expected {FrameBytes} ({Width}×{Height} {Encoding}, step {Step})"));
        return frame;
    }

    private int HeadSize(long time) => WireWriter.SizeOfTimestamp(time) + WireWriter.SizeOfString(FrameId) + WireWriter.SizeOfFixed32(Width)
        + WireWriter.SizeOfFixed32(Height) + WireWriter.SizeOfString(Encoding) + WireWriter.SizeOfFixed32(Step);

    /// <summary>Fields 1–5, in field-number order as protoc's serializers write them.</summary>
    private void WriteHead(ref WireWriter w, long time)
    {
        w.Timestamp(1, time);
        w.Fixed32(2, Width);
        w.Fixed32(3, Height);
        w.String(4, Encoding);
        w.Fixed32(5, Step);
    }
}
