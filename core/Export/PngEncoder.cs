using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;

namespace Auki.Export;

/// <summary>PNG colour types this encoder writes (PNG spec, IHDR).</summary>
public enum PngColor : byte
{
    /// <summary>One grey sample per pixel.</summary>
    Gray = 0,
    /// <summary>Red, green, blue.</summary>
    Rgb = 2,
    /// <summary>Red, green, blue, alpha.</summary>
    Rgba = 6,
}

/// <summary>
/// Writes a PNG file (W3C PNG, 3rd edition): signature, IHDR, one zlib-compressed IDAT of the rows
/// each behind filter byte 0 (none), IEND; every chunk with its CRC-32. Samples are given as PNG
/// stores them (16-bit samples big-endian), rows <c>stride</c> bytes apart.
/// </summary>
public static class PngEncoder
{
    private static ReadOnlySpan<byte> Signature => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Channels per pixel of a colour type.</summary>
    public static int Channels(PngColor color) => color switch { PngColor.Gray => 1, PngColor.Rgb => 3, _ => 4 };

    /// <summary>
    /// Encode <paramref name="height"/> rows of <paramref name="width"/> pixels, each row starting
    /// <paramref name="stride"/> bytes after the previous one in <paramref name="pixels"/>.
    /// </summary>
    public static void Write(Stream output, uint width, uint height, PngColor color, int bitDepth, ReadOnlySpan<byte> pixels, int stride)
    {
        if (width == 0 || height == 0) throw AukiException.Invalid("a PNG needs at least one pixel");
        if (bitDepth is not (8 or 16)) throw AukiException.Invalid($"bit depth {bitDepth}: 8 or 16 only");
        int rowBytes = checked((int)width * Channels(color) * bitDepth / 8);
        if (stride < rowBytes || (long)stride * (height - 1) + rowBytes > pixels.Length)
            throw AukiException.Invalid($"{pixels.Length} bytes do not hold {height} rows of {rowBytes} bytes, {stride} apart");

        output.Write(Signature);
        Span<byte> header = stackalloc byte[13];
        BinaryPrimitives.WriteUInt32BigEndian(header, width);
        BinaryPrimitives.WriteUInt32BigEndian(header[4..], height);
        header[8] = (byte)bitDepth;
        header[9] = (byte)color;
        header[10] = 0; // deflate
        header[11] = 0; // adaptive filtering (each row names its filter)
        header[12] = 0; // not interlaced
        WriteChunk(output, "IHDR"u8, header);

        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            Span<byte> filter = [0];
            for (int row = 0; row < height; row++)
            {
                zlib.Write(filter);
                zlib.Write(pixels.Slice(row * stride, rowBytes));
            }
        }
        WriteChunk(output, "IDAT"u8, compressed.GetBuffer().AsSpan(0, (int)compressed.Length));
        WriteChunk(output, "IEND"u8, []);
    }

    // length (big-endian), type, data, CRC-32 of type and data.
    private static void WriteChunk(Stream output, ReadOnlySpan<byte> type, ReadOnlySpan<byte> data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(word, (uint)data.Length);
        output.Write(word);
        output.Write(type);
        output.Write(data);
        var crc = new Crc32();
        crc.Append(type);
        crc.Append(data);
        BinaryPrimitives.WriteUInt32BigEndian(word, crc.GetCurrentHashAsUInt32());
        output.Write(word);
    }
}
