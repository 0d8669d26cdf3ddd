using System.Security.Cryptography;

namespace Auki.Ids;

/// <summary>
/// ULIDs for session ids: 48-bit millisecond timestamp + 80 random bits, Crockford base32,
/// 26 uppercase characters, so ids sort by creation time (what upstream's <c>ulid::Ulid::new()</c> gives).
/// </summary>
public static class Ulid
{
    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    /// <summary>A new ULID string for the current time.</summary>
    public static string NewUlid() => Create(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());

    /// <summary>A new ULID for the given Unix-epoch milliseconds (random part from the OS RNG).</summary>
    public static string Create(long unixMs)
    {
        Span<byte> bytes = stackalloc byte[16];
        ulong ms = (ulong)unixMs;
        for (int i = 5; i >= 0; i--) { bytes[i] = (byte)(ms & 0xFF); ms >>= 8; }
        RandomNumberGenerator.Fill(bytes[6..]);
        UInt128 value = 0;
        foreach (byte b in bytes) value = (value << 8) | b;
        Span<char> chars = stackalloc char[26];
        for (int i = 25; i >= 0; i--)
        {
            chars[i] = Alphabet[(int)(value & 31)];
            value >>= 5;
        }
        return new string(chars);
    }

    /// <summary>True for a 26-char Crockford base32 string whose first char is at most '7' (128-bit range).</summary>
    public static bool IsValid(string s)
    {
        if (s.Length != 26 || s[0] > '7') return false;
        foreach (char c in s) if (Alphabet.IndexOf(c) < 0) return false;
        return true;
    }
}
