using System.Buffers.Binary;
using System.Globalization;

namespace Auki.Logs;

/// <summary>
/// The byte layout shared by every segment file (FORMAT.md): a 16-byte header
/// (<c>AKLG</c>, u16 version, u16 reserved, i64 start_ns, little-endian) followed by entries.
/// Version 1 is upstream's format; version 2 adds a CRC32C per entry.
/// </summary>
internal static class SegmentFormat
{
    public const int HeaderSize = 16;
    public const ushort Version1 = 1;
    public const ushort Version2 = 2;

    /// <summary>v1 entry header: i64 timestamp_ns, u32 payload_len.</summary>
    public const int V1EntryHeaderSize = 12;

    /// <summary>v2 entry header: the v1 fields, then u32 crc32c of those 12 bytes plus the payload.</summary>
    public const int V2EntryHeaderSize = 16;

    /// <summary>The part of an entry header the v2 checksum covers (timestamp and length).</summary>
    public const int ChecksummedHeaderSize = 12;

    public const string SegmentsDirectoryName = "segments";
    public const string ManifestFileName = "log_manifest.json";
    public const string Extension = ".seg";
    private const int FileNameDigits = 20;

    public static ReadOnlySpan<byte> Magic => "AKLG"u8;

    public static bool IsSupported(ushort version) => version is Version1 or Version2;

    public static int EntryHeaderSize(ushort version) => version == Version2 ? V2EntryHeaderSize : V1EntryHeaderSize;

    /// <summary><c>00000000001000000000.seg</c>: zero padding makes name order equal time order.</summary>
    public static string FileName(long startNs) =>
        startNs.ToString("D" + FileNameDigits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) + Extension;

    /// <summary>
    /// Accepts only names this format produces (20 digits + <c>.seg</c>); anything else in the
    /// directory (temp files, stray copies) is not a segment.
    /// </summary>
    public static bool TryParseFileName(ReadOnlySpan<char> fileName, out long startNs)
    {
        startNs = 0;
        if (fileName.Length != FileNameDigits + Extension.Length || !fileName.EndsWith(Extension, StringComparison.Ordinal))
            return false;
        var digits = fileName[..FileNameDigits];
        foreach (char c in digits)
            if (c is < '0' or > '9') return false;
        return long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out startNs);
    }

    public static void WriteHeader(Span<byte> destination, ushort version, long startNs)
    {
        Magic.CopyTo(destination);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[4..], version);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[6..], 0);
        BinaryPrimitives.WriteInt64LittleEndian(destination[8..], startNs);
    }

    /// <summary>
    /// A file shorter than a header is a segment whose header is still being written (or was cut
    /// by a crash) only if the bytes it has agree with the magic; otherwise it is not ours.
    /// </summary>
    public static bool IsPlausibleHeaderPrefix(ReadOnlySpan<byte> prefix)
    {
        int n = Math.Min(prefix.Length, Magic.Length);
        return prefix[..n].SequenceEqual(Magic[..n]);
    }

    public static string BadMagicMessage(string path) => $"segment {path} has bad magic";

    public static string ChecksumMismatchMessage(string path, long offset) =>
        $"segment {path} has a checksum mismatch in the entry at offset {offset.ToString(CultureInfo.InvariantCulture)}";

    public static string UnsupportedVersionMessage(string path, ushort version) =>
        $"segment {path} has unsupported version {version.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Checks a complete header; throws Corrupt with upstream's wording when it is not ours.</summary>
    public static ushort ValidateHeader(ReadOnlySpan<byte> header, string path)
    {
        if (!header[..4].SequenceEqual(Magic)) throw LogErrors.Corrupt(BadMagicMessage(path));
        ushort version = BinaryPrimitives.ReadUInt16LittleEndian(header[4..]);
        if (!IsSupported(version)) throw LogErrors.Corrupt(UnsupportedVersionMessage(path, version));
        return version;
    }

    /// <summary>start + duration without wrapping past long.MaxValue (a window end far in the future).</summary>
    public static long SaturatingAdd(long a, long b)
    {
        long sum = unchecked(a + b);
        return ((a ^ sum) & (b ^ sum)) < 0 ? (a < 0 ? long.MinValue : long.MaxValue) : sum;
    }
}
