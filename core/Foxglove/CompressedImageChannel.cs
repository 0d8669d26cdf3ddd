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
        var w = new WireWriter(message.GetSpan(WireWriter.SizeOfTimestamp(time) + WireWriter.SizeOfBytes(frame.Length) + TailSize));
        w.Timestamp(1, time);
        w.Bytes(2, frame);
        WriteTail(ref w);
        message.Advance(w.Position);
    }

    /// <summary>The timestamp and <c>data</c>'s tag and length, then format and frame_id; the file's bytes are left in the payload.</summary>
    internal override (int Start, int Length) ConvertAround(long timestampNs, ReadOnlySpan<byte> payload, IBufferWriter<byte> prefix,
        IBufferWriter<byte> suffix)
    {
        var frame = CameraFrames.Pixels(payload);
        if (frame.IsEmpty) return base.ConvertAround(timestampNs, payload, prefix, suffix); // an empty data field is not written
        long time = LogTime(timestampNs);
        var w = new WireWriter(prefix.GetSpan(WireWriter.SizeOfTimestamp(time) + WireWriter.SizeOfBytes(frame.Length) - frame.Length));
        w.Timestamp(1, time);
        w.BytesHeader(2, frame.Length);
        prefix.Advance(w.Position);
        var s = new WireWriter(suffix.GetSpan(TailSize));
        WriteTail(ref s);
        suffix.Advance(s.Position);
        return (OffsetIn(payload, frame), frame.Length);
    }

    private int TailSize => WireWriter.SizeOfString(Format) + WireWriter.SizeOfString(FrameId);

    private void WriteTail(ref WireWriter w)
    {
        w.String(3, Format);
        w.String(4, FrameId);
    }
}
