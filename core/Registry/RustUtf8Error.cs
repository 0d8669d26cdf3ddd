namespace Auki.Registry;

/// <summary>
/// Rust's <c>Utf8Error</c> display for bytes that are not UTF-8: <c>invalid utf-8 sequence of N bytes
/// from index I</c>, or <c>incomplete utf-8 byte sequence from index I</c> when the input ends inside
/// a sequence (I is the length of the valid prefix).
/// </summary>
internal static class RustUtf8Error
{
    public static string Describe(ReadOnlySpan<byte> bytes)
    {
        int i = 0;
        while (i < bytes.Length)
        {
            int bad = InvalidLength(bytes[i..], out bool incomplete);
            if (bad == 0) { i += SequenceLength(bytes[i]); continue; }
            return incomplete
                ? $"incomplete utf-8 byte sequence from index {i}"
                : $"invalid utf-8 sequence of {bad} bytes from index {i}";
        }
        return "invalid utf-8";
    }

    private static int SequenceLength(byte first) => first < 0x80 ? 1 : first < 0xE0 ? 2 : first < 0xF0 ? 3 : 4;

    /// <summary>0 if a valid sequence starts here, else the bytes Rust reports as the bad sequence (its <c>error_len</c>).</summary>
    private static int InvalidLength(ReadOnlySpan<byte> s, out bool incomplete)
    {
        incomplete = false;
        byte b0 = s[0];
        if (b0 < 0x80) return 0;
        int width = b0 switch { >= 0xC2 and <= 0xDF => 2, >= 0xE0 and <= 0xEF => 3, >= 0xF0 and <= 0xF4 => 4, _ => 0 };
        if (width == 0) return 1;
        for (int k = 1; k < width; k++)
        {
            if (k >= s.Length) { incomplete = true; return -1; }
            byte b = s[k];
            (byte lo, byte hi) = k == 1 ? SecondByteRange(b0) : ((byte)0x80, (byte)0xBF);
            if (b < lo || b > hi) return k;
        }
        return 0;
    }

    private static (byte, byte) SecondByteRange(byte b0) => b0 switch
    {
        0xE0 => (0xA0, 0xBF),
        0xED => (0x80, 0x9F),
        0xF0 => (0x90, 0xBF),
        0xF4 => (0x80, 0x8F),
        _ => (0x80, 0xBF),
    };
}
