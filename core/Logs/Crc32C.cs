using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using ArmCrc = System.Runtime.Intrinsics.Arm.Crc32;
using X86Crc = System.Runtime.Intrinsics.X86.Sse42;

namespace Auki.Logs;

/// <summary>
/// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), the checksum of format v2.
/// System.IO.Hashing only ships the IEEE CRC-32, so this is ours: the CPU's crc32 instruction
/// where there is one (SSE4.2, ARMv8), a slicing-by-8 table otherwise. Check value:
/// CRC-32C("123456789") = 0xE3069283.
/// </summary>
internal static class Crc32C
{
    private const uint ReflectedPolynomial = 0x82F63B78u;

    /// <summary>The register value before any data (the CRC is pre- and post-inverted).</summary>
    public const uint InitialState = 0xFFFFFFFFu;

    public static uint Compute(ReadOnlySpan<byte> data) => Finish(Update(InitialState, data));

    public static uint Finish(uint state) => ~state;

    /// <summary>Feed more bytes; lets callers checksum an entry header and its payload without joining them.</summary>
    public static uint Update(uint state, ReadOnlySpan<byte> data)
    {
        if (X86Crc.X64.IsSupported) return UpdateX64(state, data);
        if (ArmCrc.Arm64.IsSupported) return UpdateArm64(state, data);
        return UpdateSoftware(state, data);
    }

    /// <summary>Bytes per lane of the three-lane loop; long buffers go through it.</summary>
    private const int LaneBytes = 4096;

    /// <summary>
    /// "Append <see cref="LaneBytes"/> zero bytes" as four byte tables (the operator is linear), so
    /// independent lanes can be joined: CRC(A‖B) = shift(CRC(A)) ^ CRC(B) with B started from 0.
    /// A holder class, so the tables are built when a buffer first needs the three-lane loop, not
    /// when a process first checksums anything (a first <c>log_info</c> checks a small sidecar).
    /// </summary>
    private static class LaneShift
    {
        public static readonly uint[] Table = Build();

        /// <summary>
        /// The 32 single-bit shifts (512 dependent crc32 steps each), then every byte value of each
        /// of the four positions as the XOR of its bits' shifts: 1/32 of the crc32 steps of shifting
        /// all 1,024 entries one by one (about half a millisecond at the first call otherwise).
        /// </summary>
        private static uint[] Build()
        {
            Span<uint> bit = stackalloc uint[32];
            for (int k = 0; k < 32; k++)
            {
                ulong c = 1UL << k;
                for (int i = 0; i < LaneBytes / 8; i++) c = X86Crc.X64.Crc32(c, 0UL);
                bit[k] = (uint)c;
            }
            var table = new uint[4 * 256];
            for (int k = 0; k < 4; k++)
                for (int b = 1; b < 256; b++)
                {
                    // b with its lowest set bit cleared was filled in before b.
                    int low = System.Numerics.BitOperations.TrailingZeroCount(b);
                    table[k * 256 + b] = table[k * 256 + (b & (b - 1))] ^ bit[8 * k + low];
                }
            return table;
        }
    }

    private static uint ShiftLane(uint[] t, ulong crc) =>
        t[crc & 0xFF] ^ t[256 + ((crc >> 8) & 0xFF)] ^ t[512 + ((crc >> 16) & 0xFF)] ^ t[768 + ((crc >> 24) & 0xFF)];

    private static uint UpdateX64(uint state, ReadOnlySpan<byte> data)
    {
        ulong crc = state;
        ref byte start = ref MemoryMarshal.GetReference(data);
        int i = 0;
        // The crc32 instruction takes 3 cycles but can start every cycle: three lanes at once
        // keep it busy, then the lanes are joined with the zero-append tables.
        uint[]? shift = null;
        for (; i + 3 * LaneBytes <= data.Length; i += 3 * LaneBytes)
        {
            shift ??= LaneShift.Table;
            ulong crc1 = 0, crc2 = 0;
            for (int j = i; j < i + LaneBytes; j += 8)
            {
                crc = X86Crc.X64.Crc32(crc, Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref start, j)));
                crc1 = X86Crc.X64.Crc32(crc1, Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref start, j + LaneBytes)));
                crc2 = X86Crc.X64.Crc32(crc2, Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref start, j + 2 * LaneBytes)));
            }
            crc = ShiftLane(shift, crc) ^ crc1;
            crc = ShiftLane(shift, crc) ^ crc2;
        }
        for (; i + 8 <= data.Length; i += 8)
            crc = X86Crc.X64.Crc32(crc, Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref start, i)));
        uint c = (uint)crc;
        for (; i < data.Length; i++)
            c = X86Crc.Crc32(c, Unsafe.Add(ref start, i));
        return c;
    }

    private static uint UpdateArm64(uint state, ReadOnlySpan<byte> data)
    {
        uint c = state;
        int i = 0;
        for (; i + 8 <= data.Length; i += 8)
            c = ArmCrc.Arm64.ComputeCrc32C(c, BinaryPrimitives.ReadUInt64LittleEndian(data[i..]));
        for (; i < data.Length; i++)
            c = ArmCrc.ComputeCrc32C(c, data[i]);
        return c;
    }

    internal static uint UpdateSoftware(uint state, ReadOnlySpan<byte> data)
    {
        uint c = state;
        uint[] t = SoftwareTables.Table;
        int i = 0;
        for (; i + 8 <= data.Length; i += 8)
        {
            uint lo = c ^ BinaryPrimitives.ReadUInt32LittleEndian(data[i..]);
            uint hi = BinaryPrimitives.ReadUInt32LittleEndian(data[(i + 4)..]);
            c = t[7 * 256 + (lo & 0xFF)] ^ t[6 * 256 + ((lo >> 8) & 0xFF)]
              ^ t[5 * 256 + ((lo >> 16) & 0xFF)] ^ t[4 * 256 + (lo >> 24)]
              ^ t[3 * 256 + (hi & 0xFF)] ^ t[2 * 256 + ((hi >> 8) & 0xFF)]
              ^ t[1 * 256 + ((hi >> 16) & 0xFF)] ^ t[hi >> 24];
        }
        for (; i < data.Length; i++)
            c = t[(c ^ data[i]) & 0xFF] ^ (c >> 8);
        return c;
    }

    /// <summary>Eight 256-entry tables, for CPUs without a crc32 instruction: table k advances a byte through k further zero bytes.</summary>
    private static class SoftwareTables
    {
        public static readonly uint[] Table = Build();

        private static uint[] Build()
        {
            var t = new uint[8 * 256];
            for (uint b = 0; b < 256; b++)
            {
                uint c = b;
                for (int k = 0; k < 8; k++)
                    c = (c & 1) != 0 ? (c >> 1) ^ ReflectedPolynomial : c >> 1;
                t[b] = c;
            }
            for (int k = 1; k < 8; k++)
                for (int b = 0; b < 256; b++)
                {
                    uint prev = t[(k - 1) * 256 + b];
                    t[k * 256 + b] = t[prev & 0xFF] ^ (prev >> 8);
                }
            return t;
        }
    }
}
