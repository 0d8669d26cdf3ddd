namespace Auki.Export;

/// <summary>
/// Joins IEEE CRC-32 values: given CRC(A), CRC(B) and the length of B, gives CRC(A‖B) without
/// reading A or B again (zlib's crc32_combine, by multiplication with x^(8·len) modulo the
/// polynomial). The MCAP writer checksums each chunk once and folds it into the data-section CRC.
/// </summary>
internal static class Crc32Combine
{
    private const uint Polynomial = 0xEDB88320u; // reflected IEEE polynomial

    /// <summary>x^(2^k) mod p for k = 0..31.</summary>
    private static readonly uint[] PowersOfX = BuildPowers();

    /// <summary>CRC of A‖B from <paramref name="crcA"/>, <paramref name="crcB"/> and B's length.</summary>
    public static uint Combine(uint crcA, uint crcB, long lengthB) =>
        lengthB == 0 ? crcA : MultiplyModP(XPowerModP(lengthB, 3), crcA) ^ crcB;

    /// <summary>a(x)·b(x) mod p(x), in the reflected bit order CRC-32 uses.</summary>
    private static uint MultiplyModP(uint a, uint b)
    {
        uint m = 1u << 31, product = 0;
        while (true)
        {
            if ((a & m) != 0)
            {
                product ^= b;
                if ((a & (m - 1)) == 0) break;
            }
            m >>= 1;
            b = (b & 1) != 0 ? (b >> 1) ^ Polynomial : b >> 1;
        }
        return product;
    }

    /// <summary>x^(n·2^k) mod p.</summary>
    private static uint XPowerModP(long n, int k)
    {
        uint p = 1u << 31; // x^0
        while (n != 0)
        {
            if ((n & 1) != 0) p = MultiplyModP(PowersOfX[k & 31], p);
            n >>= 1;
            k++;
        }
        return p;
    }

    private static uint[] BuildPowers()
    {
        var table = new uint[32];
        uint p = 1u << 30; // x^1
        table[0] = p;
        for (int i = 1; i < 32; i++) table[i] = p = MultiplyModP(p, p);
        return table;
    }
}
