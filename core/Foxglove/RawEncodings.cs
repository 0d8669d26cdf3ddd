namespace Auki.Foxglove;

/// <summary>
/// A camera's <c>pixel_format</c> as a <c>foxglove.RawImage</c> encoding (the reference's section
/// 2.3), with what a row must hold at least. Formats Foxglove cannot show (rgb16, i420, nv21, …)
/// have none: those logs keep their <c>auki.camera.CameraFrame</c> schema.
/// </summary>
internal static class RawEncodings
{
    /// <param name="Encoding">The RawImage encoding.</param>
    /// <param name="BytesPerPixel">Bytes a pixel takes in a row (the minimum step is width × this).</param>
    internal readonly record struct RawEncoding(string Encoding, int BytesPerPixel);

    private static readonly Dictionary<string, RawEncoding> ByPixelFormat = new(StringComparer.OrdinalIgnoreCase)
    {
        ["rgb8"] = new("rgb8", 3),
        ["rgba8"] = new("rgba8", 4),
        ["bgr8"] = new("bgr8", 3),
        ["bgra8"] = new("bgra8", 4),
        ["mono8"] = new("mono8", 1),
        ["luma8"] = new("mono8", 1),
        ["gray8"] = new("mono8", 1),
        ["mono16"] = new("mono16", 2),
        ["luma16"] = new("mono16", 2),
        ["z16"] = new("mono16", 2), // depth in u16 little-endian units
        ["yuyv"] = new("yuyv", 2),
        ["uyvy"] = new("uyvy", 2),
        ["yuv422"] = new("yuv422", 2),
        ["nv12"] = new("nv12", 1),
        ["yuv_nv12"] = new("nv12", 1),
        ["bayer_rggb8"] = new("bayer_rggb8", 1),
        ["bayer_bggr8"] = new("bayer_bggr8", 1),
        ["bayer_gbrg8"] = new("bayer_gbrg8", 1),
        ["bayer_grbg8"] = new("bayer_grbg8", 1),
    };

    /// <summary>The RawImage encoding of <paramref name="pixelFormat"/>, or null when Foxglove has none.</summary>
    public static RawEncoding? Of(string pixelFormat) => ByPixelFormat.TryGetValue(pixelFormat, out var e) ? e : null;

    /// <summary>Compressed image formats CompressedImage carries (<c>image_encoding</c> values).</summary>
    public static bool IsCompressedFormat(string? imageEncoding) => imageEncoding is "jpeg" or "png" or "webp" or "avif";
}
