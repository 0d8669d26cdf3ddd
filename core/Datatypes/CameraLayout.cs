using System.Globalization;
using System.Text.Json.Nodes;

namespace Auki.Datatypes;

/// <summary>
/// How a camera log's <c>CameraFrame.frame</c> bytes are laid out, from the camera's sensor body:
/// a raw frame is <c>height</c> rows of <c>row_stride_bytes</c>, each starting with <c>width</c> pixels of
/// the pixel format; any other encoding (jpeg, …) is a complete compressed file.
/// </summary>
public sealed record CameraLayout(string? ImageEncoding, string PixelFormat, uint Width, uint Height, uint RowStrideBytes)
{
    // Known single-plane raw formats: channels and bytes per channel. Others are accepted (upstream
    // does) but cannot be checked or viewed as an array.
    private static readonly Dictionary<string, (int Channels, int BytesPerChannel)> RawFormats = new()
    {
        ["rgb8"] = (3, 1),
        ["bgr8"] = (3, 1),
        ["rgba8"] = (4, 1),
        ["bgra8"] = (4, 1),
        ["luma8"] = (1, 1),
        ["mono8"] = (1, 1),
        ["gray8"] = (1, 1),
        ["luma16"] = (1, 2),
        ["mono16"] = (1, 2),
        ["rgb16"] = (3, 2),
    };

    // Formats in use upstream (e.g. the locked era-C camera's YUV_NV12) that are planar or packed
    // chroma, or spelled upstream-style (RealSense depth Z16): known names, so no warning, but not
    // in the table above, so their frames are not checked or viewed.
    private static readonly string[] OtherFormats = ["nv12", "nv21", "yuv_nv12", "yuv_nv21", "yuyv", "uyvy", "i420", "yuv420p", "yuv422", "z16", "bayer_rggb8", "bayer_bggr8", "bayer_gbrg8", "bayer_grbg8"];

    /// <summary>Every pixel format name that is not a typo: the raw table's, then the planar ones.</summary>
    public static IEnumerable<string> KnownNames => RawFormats.Keys.Concat(OtherFormats);

    /// <summary>True for a known name; planar names match in any case (upstream writes <c>YUV_NV12</c>).</summary>
    public static bool IsKnownName(string pixelFormat) =>
        RawFormats.ContainsKey(pixelFormat) || OtherFormats.Contains(pixelFormat.ToLowerInvariant());

    /// <summary>The pixel formats whose layout is known.</summary>
    public static IEnumerable<string> KnownPixelFormats => RawFormats.Keys;

    /// <summary>The layout of a camera body; null for other sensor kinds.</summary>
    public static CameraLayout? Of(JsonObject? body) => (string?)body?["kind"] != "camera" ? null : new(
        (string?)body!["image_encoding"], (string?)body["pixel_format"] ?? "",
        (uint?)body["width"] ?? 0, (uint?)body["height"] ?? 0, (uint?)body["row_stride_bytes"] ?? 0);

    /// <summary>(channels, bytes per channel) of a known raw pixel format, else null.</summary>
    public static (int Channels, int BytesPerChannel)? FormatOf(string pixelFormat) =>
        RawFormats.TryGetValue(pixelFormat, out var f) ? f : null;

    /// <summary>True when frames are raw rows this layout can check and view.</summary>
    public bool IsRaw => ImageEncoding == "raw" && RowStrideBytes > 0;

    // 4:2:0 formats carry a chroma plane of half the luma rows after the height rows of luma
    // (upstream's own M1 camera is YUV_NV12 with row_stride_bytes = width).
    private static readonly string[] HalfChromaFormats = ["nv12", "nv21", "yuv_nv12", "yuv_nv21", "i420", "yuv420p"];

    /// <summary>Rows of row_stride_bytes a frame holds: height, or height × 3/2 for a 4:2:0 format.</summary>
    public long FrameRows => HalfChromaFormats.Contains(PixelFormat.ToLowerInvariant()) ? (long)Height * 3 / 2 : Height;

    /// <summary>Refuse a raw frame whose size is not <see cref="FrameRows"/> × row_stride_bytes (the numbers in the message).</summary>
    public void CheckFrame(long frameBytes)
    {
        if (!IsRaw) return;
        long expected = FrameRows * RowStrideBytes;
        if (frameBytes == expected) return;
        string rows = FrameRows == Height ? $"height {Height}" : $"height {Height} × 3/2 rows for {PixelFormat}'s chroma plane";
        throw AukiException.Invalid(string.Create(CultureInfo.InvariantCulture,
            $"frame: {frameBytes} bytes, expected {expected} ({rows} × row_stride_bytes {RowStrideBytes}, {Width} px wide {PixelFormat})"));
    }

    /// <summary>The JSON the bindings read: encoding, format, sizes, and channels/bytes per channel when known.</summary>
    public JsonObject ToJson()
    {
        var o = new JsonObject
        {
            ["image_encoding"] = ImageEncoding,
            ["pixel_format"] = PixelFormat,
            ["width"] = Width,
            ["height"] = Height,
            ["row_stride_bytes"] = RowStrideBytes,
        };
        if (FormatOf(PixelFormat) is { } f) { o["channels"] = f.Channels; o["bytes_per_channel"] = f.BytesPerChannel; }
        return o;
    }
}
