using System.IO.Hashing;

namespace Auki.Hashing;

/// <summary>
/// The registry content address: XXH3-128 with seed 0 over the canonical bytes, rendered as
/// 32 lowercase hex characters, high 64 bits first (Rust's <c>format!("{:032x}", u128)</c>).
/// </summary>
public static class ContentHash
{
    /// <summary>Hash bytes to the 32-char lowercase hex form.</summary>
    public static string Of(ReadOnlySpan<byte> bytes)
    {
        UInt128 h = XxHash128.HashToUInt128(bytes);
        return h.ToString("x32", System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>True when <paramref name="hash"/> looks like one of ours: 32 lowercase hex chars.</summary>
    public static bool IsWellFormed(string hash)
    {
        if (hash.Length != 32) return false;
        foreach (char c in hash)
            if (!(c is >= '0' and <= '9' or >= 'a' and <= 'f')) return false;
        return true;
    }
}
