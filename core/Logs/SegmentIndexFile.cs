using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

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
/// segment without entries; ascending by start since 2026-12-03, older files are sorted when read),
/// then CRC32C of everything before it.
/// </remarks>
internal static class SegmentIndexFile
{
    public const string FileName = ".segment_index";

    private static ReadOnlySpan<byte> Magic => "AKSX"u8;
    private const ushort Version = 1;
    private const int HeaderSize = 4 + 2 + 2 + 8 + 4 + 4;
    private const int SummarySize = SegmentSummaries.RowSize;

    /// <summary>What the sidecar recorded.</summary>
    internal sealed record Contents(bool StartsTrusted, long DirectoryMtimeTicks, long[] Starts, SegmentSummaries Summaries);

    public static string PathFor(string segmentsDir) => Path.Combine(Path.GetDirectoryName(segmentsDir) ?? ".", FileName);

    /// <summary>The sidecar's contents, or null when there is none or it cannot be trusted as a file.</summary>
    /// <remarks>
    /// The file is read into an array the GC does not clear and its summaries stay there (see
    /// <see cref="SegmentSummaries"/>): at 36,000 segments that is 1.7 MB, which a new process's
    /// first <c>log_info</c> would otherwise copy into 2.3 MB of dictionary.
    /// </remarks>
    public static Contents? TryLoad(string segmentsDir)
    {
        byte[] bytes;
        try
        {
            bytes = ReadWhole(PathFor(segmentsDir));
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
        var starts = GC.AllocateUninitializedArray<long>(startCount);
        var startBytes = data.Slice(HeaderSize, 8 * startCount);
        if (BitConverter.IsLittleEndian) MemoryMarshal.Cast<byte, long>(startBytes).CopyTo(starts);
        else for (int i = 0; i < startCount; i++) starts[i] = BinaryPrimitives.ReadInt64LittleEndian(startBytes[(8 * i)..]);
        int rowsOffset = HeaderSize + 8 * startCount;
        bool ascending = true;
        long previous = long.MinValue;
        for (int i = 0, pos = rowsOffset; i < summaryCount; i++, pos += SummarySize)
        {
            var s = data.Slice(pos, SummarySize);
            long start = BinaryPrimitives.ReadInt64LittleEndian(s);
            if (BinaryPrimitives.ReadInt64LittleEndian(s[8..]) < 0 || BinaryPrimitives.ReadInt64LittleEndian(s[16..]) < 0) return null;
            if (i > 0 && start <= previous) ascending = false;
            previous = start;
        }
        if (!ascending)
        {
            // Sidecars written before the summaries were kept sorted list them in a dictionary's order.
            if (SortedRows(data.Slice(rowsOffset, SummarySize * summaryCount), summaryCount) is not { } sorted) return null;
            return new Contents(trusted, mtime, starts, new SegmentSummaries(sorted, 0, summaryCount));
        }
        return new Contents(trusted, mtime, starts, new SegmentSummaries(bytes, rowsOffset, summaryCount));
    }

    /// <summary>
    /// What <see cref="TryLoadSummed"/> learned: the sidecar's listing and, when every segment of it
    /// but the newest has a total there, their sum in order (null otherwise).
    /// </summary>
    internal sealed record Summed(bool StartsTrusted, long DirectoryMtimeTicks, long[] Starts, SegmentIndex.Totals? SealedTotals);

    /// <summary>Rows read per <c>pread</c> by <see cref="TryLoadSummed"/> (64 KB at most).</summary>
    private const int RowsPerRead = 65536 / SummarySize;

    /// <summary>
    /// The sidecar checked exactly as <see cref="TryLoad"/> checks it, but its summaries only summed
    /// (those of <c>Starts[..^1]</c>, in order) through a 64 KB buffer instead of kept: for a log whose
    /// directory is as the sidecar recorded, that sum is all a first <c>log_info</c> needs, and not
    /// faulting in 1.7 MB of fresh memory was a fifth of its time at 36,000 segments. Null as for
    /// <see cref="TryLoad"/>, and when the summaries are not in start order (<see cref="TryLoad"/> sorts those).
    /// </summary>
    public static Summed? TryLoadSummed(string segmentsDir)
    {
        string path = PathFor(segmentsDir);
        byte[]? buffer = null;
        try
        {
            using var handle = File.OpenHandle(path);
            long length = RandomAccess.GetLength(handle);
            Span<byte> header = stackalloc byte[HeaderSize];
            if (length < HeaderSize + 4 || !ReadExactly(handle, header, 0)) return null;
            if (!header[..4].SequenceEqual(Magic) || BinaryPrimitives.ReadUInt16LittleEndian(header[4..]) != Version) return null;
            bool trusted = (BinaryPrimitives.ReadUInt16LittleEndian(header[6..]) & 1) != 0;
            long mtime = BinaryPrimitives.ReadInt64LittleEndian(header[8..]);
            int startCount = BinaryPrimitives.ReadInt32LittleEndian(header[16..]);
            int summaryCount = BinaryPrimitives.ReadInt32LittleEndian(header[20..]);
            if (startCount < 0 || summaryCount < 0 || (long)HeaderSize + 8L * startCount + (long)SummarySize * summaryCount + 4 != length)
                return null;
            uint crc = Crc32C.Update(Crc32C.InitialState, header);
            var starts = GC.AllocateUninitializedArray<long>(startCount);
            var startBytes = MemoryMarshal.AsBytes(starts.AsSpan());
            if (!ReadExactly(handle, startBytes, HeaderSize)) return null;
            crc = Crc32C.Update(crc, startBytes);
            if (!BitConverter.IsLittleEndian)
                for (int i = 0; i < startCount; i++) starts[i] = BinaryPrimitives.ReverseEndianness(starts[i]);

            // The summaries, summed beside the starts as they stream past (both ascending).
            int sealedCount = Math.Max(0, startCount - 1), next = 0;
            var totals = default(SegmentIndex.Totals);
            bool ascending = true;
            long previous = long.MinValue;
            buffer = ArrayPool<byte>.Shared.Rent(RowsPerRead * SummarySize);
            long offset = HeaderSize + 8L * startCount;
            for (int done = 0; done < summaryCount;)
            {
                int rows = Math.Min(RowsPerRead, summaryCount - done);
                var chunk = buffer.AsSpan(0, rows * SummarySize);
                if (!ReadExactly(handle, chunk, offset)) return null;
                crc = Crc32C.Update(crc, chunk);
                for (int r = 0; r < rows; r++)
                {
                    var row = chunk.Slice(r * SummarySize, SummarySize);
                    long start = BinaryPrimitives.ReadInt64LittleEndian(row);
                    long fileBytes = BinaryPrimitives.ReadInt64LittleEndian(row[8..]);
                    long entries = BinaryPrimitives.ReadInt64LittleEndian(row[16..]);
                    if (fileBytes < 0 || entries < 0) return null;
                    if (done + r > 0 && start <= previous) ascending = false;
                    previous = start;
                    while (next < sealedCount && starts[next] < start) next = int.MaxValue; // a sealed segment without a total
                    if (next < sealedCount && starts[next] == start)
                    {
                        totals = totals.Then(entries == 0
                            ? new SegmentIndex.Summary(fileBytes, 0, null, null)
                            : new SegmentIndex.Summary(fileBytes, entries, BinaryPrimitives.ReadInt64LittleEndian(row[24..]), BinaryPrimitives.ReadInt64LittleEndian(row[32..])));
                        next++;
                    }
                }
                done += rows;
                offset += chunk.Length;
            }
            Span<byte> stored = stackalloc byte[4];
            if (!ReadExactly(handle, stored, offset)) return null;
            if (Crc32C.Finish(crc) != BinaryPrimitives.ReadUInt32LittleEndian(stored)) return null;
            if (!ascending) return null;
            return new Summed(trusted, mtime, starts, next == sealedCount ? totals : null);
        }
        catch (Exception e) when (LogErrors.IsIo(e))
        {
            return null; // missing or unreadable: the index is rebuilt from the directory
        }
        finally
        {
            if (buffer is not null) ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Fill <paramref name="into"/> from <paramref name="offset"/>; false when the file ends first (cut meanwhile).</summary>
    private static bool ReadExactly(SafeFileHandle handle, Span<byte> into, long offset)
    {
        for (int read = 0; read < into.Length;)
        {
            int n = RandomAccess.Read(handle, into[read..], offset + read);
            if (n == 0) return false;
            read += n;
        }
        return true;
    }

    /// <summary>The file's bytes in an array the GC does not clear first (it is filled whole or not used).</summary>
    private static byte[] ReadWhole(string path)
    {
        using var handle = File.OpenHandle(path);
        long length = RandomAccess.GetLength(handle);
        if (length > int.MaxValue) throw new IOException($"{path}: too large for a segment index");
        var bytes = GC.AllocateUninitializedArray<byte>((int)length);
        int read = 0;
        while (read < bytes.Length)
        {
            int n = RandomAccess.Read(handle, bytes.AsSpan(read), read);
            if (n == 0) throw new IOException($"{path}: shorter than its length"); // cut while we read
            read += n;
        }
        return bytes;
    }

    /// <summary><paramref name="rows"/> sorted by start, or null when a start appears twice (not a file we write).</summary>
    private static byte[]? SortedRows(ReadOnlySpan<byte> rows, int count)
    {
        var keys = new long[count];
        var order = new int[count];
        for (int i = 0; i < count; i++)
        {
            keys[i] = BinaryPrimitives.ReadInt64LittleEndian(rows[(i * SummarySize)..]);
            order[i] = i;
        }
        Array.Sort(keys, order);
        var sorted = new byte[rows.Length];
        for (int i = 0; i < count; i++)
        {
            if (i > 0 && keys[i] == keys[i - 1]) return null;
            rows.Slice(order[i] * SummarySize, SummarySize).CopyTo(sorted.AsSpan(i * SummarySize));
        }
        return sorted;
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
        foreach (var (start, summary) in contents.Summaries.InOrder())
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
