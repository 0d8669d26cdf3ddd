using System.Buffers.Binary;
using System.Globalization;
using Auki.Datatypes;
using Auki.Foxglove;
using Auki.Inspect;
using Auki.Logs;

namespace Auki.Export;

/// <summary>What <see cref="CameraSnapshot.Write"/> wrote: the entry's timestamp, and how (a PNG made from raw rows, or a file copied).</summary>
public sealed record CameraSnapshotResult(long TimestampNs, string Format, uint Width, uint Height, bool Copied, long Bytes);

/// <summary>
/// One camera frame as an image file (<c>auki frame</c>): the entry nearest a time, raw frames
/// written as PNG (rgb/bgr/rgba/bgra 8-bit, grey 8 and 16-bit), jpeg/png/webp/avif frames copied as
/// recorded. A user without Foxglove can look at what the camera saw.
/// </summary>
public static class CameraSnapshot
{
    /// <summary>The pixel formats a raw frame can be written as PNG from.</summary>
    public static readonly string[] PngFormats = ["rgb8", "bgr8", "rgba8", "bgra8", "mono8", "luma8", "gray8", "mono16", "luma16", "z16"];

    /// <summary>
    /// Write the frame of <paramref name="log"/> nearest <paramref name="atNs"/> (ties: the earlier)
    /// to <paramref name="output"/>. InvalidArgument for a log that is not a camera, a frame that does
    /// not fit the camera's layout or a pixel format PNG cannot carry; NotFound for an empty log.
    /// </summary>
    public static CameraSnapshotResult Write(TypedLog log, long atNs, Stream output)
    {
        if (log.Type != Datatypes.Camera.CameraFrame.Descriptor || log.Layout is not { } layout)
            throw AukiException.Invalid($"{log.Log.FileId} is not a camera log (its sensor is {log.Log.SensorDescription ?? "unknown"})");
        if (!RawEncodings.IsCompressedFormat(layout.ImageEncoding) && !layout.IsRaw)
            throw AukiException.Invalid($"{log.Log.FileId}: image_encoding {layout.ImageEncoding ?? "(none)"} is neither raw nor jpeg/png/webp/avif");
        if (!log.Log.HasLogManifest) throw AukiException.NotFound($"{log.Log.FileId} has no entries");
        var (ts, payload) = Nearest(LogReader.Open(log.Log.Directory), atNs)
            ?? throw AukiException.NotFound($"{log.Log.FileId} has no entries");
        byte[] frame;
        try { frame = CameraFrames.Pixels(payload).ToArray(); }
        catch (AukiException e) { throw AukiException.Invalid(string.Create(CultureInfo.InvariantCulture, $"entry at {ts} ns: {e.Message}")); }

        if (RawEncodings.IsCompressedFormat(layout.ImageEncoding))
        {
            output.Write(frame);
            return new CameraSnapshotResult(ts, layout.ImageEncoding!, layout.Width, layout.Height, Copied: true, frame.Length);
        }
        try { layout.CheckFrame(frame.Length); }
        catch (AukiException e) { throw AukiException.Invalid(string.Create(CultureInfo.InvariantCulture, $"entry at {ts} ns: {e.Message}")); }
        var (color, depth) = PngLayout(layout.PixelFormat)
            ?? throw AukiException.Invalid($"pixel format {layout.PixelFormat} cannot be written as PNG (supported: {string.Join(", ", PngFormats)})");
        int rowBytes = (int)layout.Width * PngEncoder.Channels(color) * depth / 8;
        ToPngSamples(frame, layout, rowBytes);
        long before = output.CanSeek ? output.Position : 0;
        PngEncoder.Write(output, layout.Width, layout.Height, color, depth, frame, (int)layout.RowStrideBytes);
        return new CameraSnapshotResult(ts, "png", layout.Width, layout.Height, Copied: false, output.CanSeek ? output.Position - before : 0);
    }

    private static (PngColor, int)? PngLayout(string pixelFormat) => pixelFormat switch
    {
        "rgb8" or "bgr8" => (PngColor.Rgb, 8),
        "rgba8" or "bgra8" => (PngColor.Rgba, 8),
        "mono8" or "luma8" or "gray8" => (PngColor.Gray, 8),
        "mono16" or "luma16" or "z16" => (PngColor.Gray, 16),
        _ => null,
    };

    // In place: blue-first rows swapped to red-first, 16-bit little-endian samples to PNG's big-endian.
    private static void ToPngSamples(byte[] frame, CameraLayout layout, int rowBytes)
    {
        int stride = (int)layout.RowStrideBytes;
        for (int row = 0; row < layout.Height; row++)
        {
            var line = frame.AsSpan(row * stride, rowBytes);
            switch (layout.PixelFormat)
            {
                case "bgr8":
                    for (int i = 0; i + 2 < line.Length; i += 3) (line[i], line[i + 2]) = (line[i + 2], line[i]);
                    break;
                case "bgra8":
                    for (int i = 0; i + 3 < line.Length; i += 4) (line[i], line[i + 2]) = (line[i + 2], line[i]);
                    break;
                case "mono16" or "luma16" or "z16":
                    for (int i = 0; i + 1 < line.Length; i += 2)
                        BinaryPrimitives.WriteUInt16BigEndian(line[i..], BinaryPrimitives.ReadUInt16LittleEndian(line[i..]));
                    break;
            }
        }
    }

    /// <summary>The entry nearest <paramref name="atNs"/> (the earlier on a tie), its payload copied; null for an empty log.</summary>
    internal static (long Ts, byte[] Payload)? Nearest(LogReader reader, long atNs)
    {
        (long, byte[])? before = null, after = null;
        var starts = reader.SegmentStarts;
        // The last entry at or before atNs: the segment holding atNs first, then earlier ones until
        // one has an entry (timestamps only; the one payload wanted is read again below).
        long? last = null;
        for (int i = starts.Count - 1; i >= 0 && last is null; i--)
        {
            if (starts[i] > atNs) continue;
            using var cursor = reader.OpenCursor(starts[i], atNs);
            while (cursor.TryNext(out long ts, out _)) last = ts;
        }
        if (last is long at)
        {
            using var cursor = reader.OpenCursor(at, at);
            while (cursor.TryNext(out long ts, out var payload)) before = (ts, payload.ToArray()); // the last of equal timestamps
        }
        if (atNs < long.MaxValue)
        {
            using var cursor = reader.OpenCursor(atNs + 1, null);
            if (cursor.TryNext(out long ts, out var payload)) after = (ts, payload.ToArray());
        }
        if (before is null) return after;
        if (after is null) return before;
        return (Int128)atNs - before.Value.Item1 <= (Int128)after.Value.Item1 - atNs ? before : after;
    }
}
