using System.Buffers.Binary;

namespace Auki.Logs;

/// <summary>
/// <see cref="SegmentIndex"/>'s sidecar, <c>&lt;root&gt;/.segment_index</c>: the segment starts a
/// listing found, the segments directory's mtime it was found at, and the totals of segments that
/// are not the newest, so the first <c>log_info</c> in a process neither lists nor scans a log that
/// has not changed. A cache, never the truth: written atomically (a temporary file renamed over
/// it) by whoever scanned, checksummed, and used only as <see cref="SegmentIndex"/> says (starts
/// only while the directory's mtime is the recorded one, every total checked against its file's
/// length once the directory changed). A file that is missing, short, of another version or whose
/// checksum fails is ignored and rewritten after the next scan.
/// </summary>
/// <remarks>
/// Layout (little-endian): "AKSX", u16 version 1, u16 flags (bit 0: the starts are a trusted
/// listing), i64 directory mtime ticks, i32 start count, i32 summary count, the starts (i64 each),
/// the summaries (start, file bytes, entries, first, last: i64 each; first/last are -1 for a
/// segment without entries), then CRC32C of everything before it.
/// </remarks>
internal static class SegmentIndexFile
{
    public const string FileName = ".segment_index";

    private static ReadOnlySpan<byte> Magic => "AKSX"u8;
    private const ushort Version = 1;
    private const int HeaderSize = 4 + 2 + 2 + 8 + 4 + 4;
    private const int SummarySize = 5 * 8;

    /// <summary>What the sidecar recorded.</summary>
    internal sealed record Contents(bool StartsTrusted, long DirectoryMtimeTicks, long[] Starts, Dictionary<long, SegmentIndex.Summary> Summaries);

    public static string PathFor(string segmentsDir) => Path.Combine(Path.GetDirectoryName(segmentsDir) ?? ".", FileName);

    /// <summary>The sidecar's contents, or null when there is none or it cannot be trusted as a file.</summary>
    public static Contents? TryLoad(string segmentsDir)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(PathFor(segmentsDir));
        }
        catch (Exception e) when (LogErrors.IsIo(e))
        {
            return null; // missing or unreadable: the index is rebuilt from the directory
        }
        ReadOnlySpan<byte> data = bytes;
        if (data.Length < HeaderSize + 4 || !data[..4].SequenceEqual(Magic)) return null;
        if (BinaryPrimitives.ReadUInt16LittleEndian(data[4..]) != Version) return null;
        uint stored = BinaryPrimitives.ReadUInt32LittleEndian(data[^4..]);
        if (Crc32C.Finish(Crc32C.Update(Crc32C.InitialState, data[..^4])) != stored) return null;
        bool trusted = (BinaryPrimitives.ReadUInt16LittleEndian(data[6..]) & 1) != 0;
        long mtime = BinaryPrimitives.ReadInt64LittleEndian(data[8..]);
        int startCount = BinaryPrimitives.ReadInt32LittleEndian(data[16..]);
        int summaryCount = BinaryPrimitives.ReadInt32LittleEndian(data[20..]);
        if (startCount < 0 || summaryCount < 0 || (long)HeaderSize + 8L * startCount + (long)SummarySize * summaryCount + 4 != data.Length)
            return null;
        var starts = new long[startCount];
        int pos = HeaderSize;
        for (int i = 0; i < startCount; i++, pos += 8) starts[i] = BinaryPrimitives.ReadInt64LittleEndian(data[pos..]);
        var summaries = new Dictionary<long, SegmentIndex.Summary>(summaryCount);
        for (int i = 0; i < summaryCount; i++, pos += SummarySize)
        {
            var s = data.Slice(pos, SummarySize);
            long start = BinaryPrimitives.ReadInt64LittleEndian(s);
            long fileBytes = BinaryPrimitives.ReadInt64LittleEndian(s[8..]);
            long entries = BinaryPrimitives.ReadInt64LittleEndian(s[16..]);
            long first = BinaryPrimitives.ReadInt64LittleEndian(s[24..]);
            long last = BinaryPrimitives.ReadInt64LittleEndian(s[32..]);
            if (fileBytes < 0 || entries < 0) return null;
            summaries[start] = entries == 0
                ? new SegmentIndex.Summary(fileBytes, 0, null, null)
                : new SegmentIndex.Summary(fileBytes, entries, first, last);
        }
        return new Contents(trusted, mtime, starts, summaries);
    }

    /// <summary>
    /// Replace the sidecar with <paramref name="contents"/>, atomically; false (and nothing changed)
    /// when it cannot be written, e.g. a read-only store: the sidecar is an optimization only.
    /// </summary>
    public static bool TrySave(string segmentsDir, Contents contents)
    {
        string path = PathFor(segmentsDir);
        var bytes = new byte[HeaderSize + 8 * contents.Starts.Length + SummarySize * contents.Summaries.Count + 4];
        Span<byte> data = bytes;
        Magic.CopyTo(data);
        BinaryPrimitives.WriteUInt16LittleEndian(data[4..], Version);
        BinaryPrimitives.WriteUInt16LittleEndian(data[6..], contents.StartsTrusted ? (ushort)1 : (ushort)0);
        BinaryPrimitives.WriteInt64LittleEndian(data[8..], contents.DirectoryMtimeTicks);
        BinaryPrimitives.WriteInt32LittleEndian(data[16..], contents.Starts.Length);
        BinaryPrimitives.WriteInt32LittleEndian(data[20..], contents.Summaries.Count);
        int pos = HeaderSize;
        foreach (long start in contents.Starts)
        {
            BinaryPrimitives.WriteInt64LittleEndian(data[pos..], start);
            pos += 8;
        }
        foreach (var (start, summary) in contents.Summaries)
        {
            var s = data.Slice(pos, SummarySize);
            BinaryPrimitives.WriteInt64LittleEndian(s, start);
            BinaryPrimitives.WriteInt64LittleEndian(s[8..], summary.FileBytes);
            BinaryPrimitives.WriteInt64LittleEndian(s[16..], summary.Entries);
            BinaryPrimitives.WriteInt64LittleEndian(s[24..], summary.FirstTimestampNs ?? -1);
            BinaryPrimitives.WriteInt64LittleEndian(s[32..], summary.LastTimestampNs ?? -1);
            pos += SummarySize;
        }
        BinaryPrimitives.WriteUInt32LittleEndian(data[pos..], Crc32C.Finish(Crc32C.Update(Crc32C.InitialState, data[..pos])));
        return CacheFile.TryReplace(path, bytes);
    }
}
