using System.Buffers.Binary;

namespace Auki.Logs;

/// <summary>
/// The torn-tail rule, in one place for the reader, the tail and the scanner (and through the
/// scanner the writer's repair and <c>auki verify</c>): bytes that are not an intact entry can be
/// a torn write only at the end of the newest segment, and only if no intact entry follows them.
/// Anything else is damage (Corrupt), never a reason to stop quietly or to cut data.
/// </summary>
/// <remarks>
/// Why this holds: the writer fsyncs a segment before it creates the next one, and it only ever
/// appends, so a crash can cut short or garble the last write into the newest segment and
/// nothing else. A damaged field in a v2 entry (a flipped bit in <c>payload_len</c>, say) fails
/// the CRC, which covers the length, but the length can no longer say where the next entry is;
/// a search for the next intact entry answers that: a torn write has none after it, damage in
/// the middle of a file does. v1 entries carry no checksum, so in the newest v1 segment nothing
/// can be told apart and whatever does not parse at the end is taken as torn.
/// </remarks>
internal static class TornTail
{
    /// <summary>No intact entry follows: the bytes may be a torn write.</summary>
    public const long None = -1;

    /// <summary>The search ran out of budget: treated as damage, never as a torn tail.</summary>
    public const long GaveUp = -2;

    /// <summary>
    /// CRC work (bytes checksummed) one search may spend on candidates. Only a pathological
    /// payload comes near it; reaching it makes the bytes count as damage, the safe side.
    /// </summary>
    private const long SearchBudgetBytes = 256L << 20;

    /// <summary>
    /// The offset of the first intact v2 entry that starts after <paramref name="offset"/>
    /// (timestamp ≥ <paramref name="minTimestampNs"/>, whole inside the file, CRC32C matching),
    /// <see cref="None"/> when there is none, <see cref="GaveUp"/> when the budget ran out.
    /// </summary>
    public static long FindIntactEntry(FileWindow window, long offset, long minTimestampNs)
    {
        long length = window.FileLength;
        long budget = SearchBudgetBytes;
        for (long p = offset + 1; p + SegmentFormat.V2EntryHeaderSize <= length; p++)
        {
            if (!window.TryGet(p, SegmentFormat.V2EntryHeaderSize, out var header)) return None;
            long ts = BinaryPrimitives.ReadInt64LittleEndian(header);
            uint payloadLength = BinaryPrimitives.ReadUInt32LittleEndian(header[8..]);
            uint storedCrc = BinaryPrimitives.ReadUInt32LittleEndian(header[SegmentFormat.ChecksummedHeaderSize..]);
            if (ts < minTimestampNs || p + SegmentFormat.V2EntryHeaderSize + payloadLength > length) continue;
            budget -= SegmentFormat.ChecksummedHeaderSize + payloadLength;
            if (budget < 0) return GaveUp;
            if (ChecksumMatches(window, p, payloadLength, storedCrc, out _)) return p;
        }
        return None;
    }

    /// <summary>CRC32C over a v2 entry's timestamp and length fields, then its payload, streamed through the window.</summary>
    public static bool ChecksumMatches(FileWindow window, long offset, uint payloadLength, uint storedCrc, out bool readable)
    {
        readable = false;
        if (!window.TryGet(offset, SegmentFormat.ChecksummedHeaderSize, out var fields)) return false;
        uint state = Crc32C.Update(Crc32C.InitialState, fields);
        long position = offset + SegmentFormat.V2EntryHeaderSize;
        long remaining = payloadLength;
        while (remaining > 0)
        {
            int chunk = (int)Math.Min(remaining, window.Capacity);
            if (!window.TryGet(position, chunk, out var bytes)) return false;
            state = Crc32C.Update(state, bytes);
            position += chunk;
            remaining -= chunk;
        }
        readable = true;
        return Crc32C.Finish(state) == storedCrc;
    }

    /// <summary>Why the bytes at an offset are damage, for the error message.</summary>
    public static string DamageMessage(string path, long offset, bool checksumFailed, bool isLatest) =>
        checksumFailed
            ? SegmentFormat.ChecksumMismatchMessage(path, offset)
            : isLatest
                ? $"segment {path} has a damaged entry at offset {Num(offset)}: it runs past the end of the file, but intact entries follow it"
                : $"segment {path} ends inside the entry at offset {Num(offset)}, but a newer segment exists, so this is damage, not a torn write";

    private static string Num(long value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
