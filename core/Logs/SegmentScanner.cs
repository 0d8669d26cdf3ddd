using System.Buffers.Binary;
using System.Globalization;

namespace Auki.Logs;

/// <summary>
/// Walks one segment file and reports what is in it and what is wrong with it, without throwing
/// for bad data: the base of a <c>verify</c> tool, of <see cref="LogStats"/> and of the writer's
/// torn-tail repair.
/// </summary>
/// <remarks>
/// The torn-tail rule is <see cref="TornTail"/>'s: bytes at the end of the newest segment that
/// are not an intact entry (cut short, or a v2 last entry whose checksum fails, because a crash
/// can leave a file extended over bytes that never got written) are torn when no intact entry
/// follows them; anywhere else they are a problem (<see cref="SegmentProblemKind.ChecksumMismatch"/>
/// or <see cref="SegmentProblemKind.DamagedEntry"/>) and the scan goes on at the next intact entry.
/// </remarks>
public static class SegmentScanner
{
    private const int WindowSize = 64 * 1024;

    /// <summary>
    /// Scan <paramref name="path"/>. With <paramref name="verifyAllChecksums"/> (the default) every
    /// v2 payload is read and checked; without it only entry headers are read, payloads are
    /// skipped, and only the last entry's checksum is checked (enough to find a torn tail, not to
    /// prove one: confirm with a full scan before cutting anything). <paramref name="isLatest"/>
    /// says whether this is the log's newest segment, the only place a torn tail can be.
    /// </summary>
    public static SegmentScanReport Scan(string path, bool verifyAllChecksums = true, bool isLatest = true)
    {
        var problems = new List<SegmentProblem>();
        var state = new ScanState();
        long fileBytes = 0;
        try
        {
            using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            fileBytes = RandomAccess.GetLength(handle);
            var window = new FileWindow(handle, fileBytes, WindowSize);
            ScanFile(path, window, verifyAllChecksums, isLatest, ref state, problems);
        }
        catch (Exception e) when (LogErrors.IsIo(e))
        {
            problems.Add(new SegmentProblem(SegmentProblemKind.Unreadable, state.Offset, $"segment {path} could not be read: {e.Message}"));
        }
        return new SegmentScanReport
        {
            Path = path,
            Version = state.Version,
            StartNs = state.StartNs,
            FileBytes = fileBytes,
            Entries = state.Entries,
            PayloadBytes = state.PayloadBytes,
            FirstTimestampNs = state.Entries > 0 ? state.FirstTs : null,
            LastTimestampNs = state.Entries > 0 ? state.LastTs : null,
            ValidLength = state.ValidLength,
            TornTail = state.Torn && state.ValidLength < fileBytes && state.HeaderOk,
            HeaderIncomplete = state.HeaderIncomplete,
            Problems = problems,
        };
    }

    private struct ScanState
    {
        public ushort Version;
        public long? StartNs;
        public bool HeaderOk;
        public bool HeaderIncomplete;
        public bool Torn;
        public long Offset;
        public long ValidLength;
        public long Entries;
        public long PayloadBytes;
        public long FirstTs;
        public long LastTs;

        /// <summary>Timestamp of the last entry whose checksum was verified (a quick scan's others may be misread).</summary>
        public long VerifiedLastTs;
    }

    private static void ScanFile(string path, FileWindow window, bool verifyAll, bool isLatest, ref ScanState s, List<SegmentProblem> problems)
    {
        long length = window.FileLength;
        if (length < SegmentFormat.HeaderSize)
        {
            ReadOnlySpan<byte> prefix = length > 0 && window.TryGet(0, (int)length, out var p) ? p : default;
            if (SegmentFormat.IsPlausibleHeaderPrefix(prefix))
            {
                // A header still being written, or cut by a crash: no entries, nothing wrong yet.
                s.HeaderIncomplete = true;
                s.HeaderOk = true;
                s.Torn = true;
            }
            else
            {
                problems.Add(new SegmentProblem(SegmentProblemKind.BadMagic, 0, SegmentFormat.BadMagicMessage(path)));
            }
            return;
        }
        if (!window.TryGet(0, SegmentFormat.HeaderSize, out var header)) return;
        if (!header[..4].SequenceEqual(SegmentFormat.Magic))
        {
            problems.Add(new SegmentProblem(SegmentProblemKind.BadMagic, 0, SegmentFormat.BadMagicMessage(path)));
            return;
        }
        s.Version = BinaryPrimitives.ReadUInt16LittleEndian(header[4..]);
        if (!SegmentFormat.IsSupported(s.Version))
        {
            problems.Add(new SegmentProblem(SegmentProblemKind.UnsupportedVersion, 4, SegmentFormat.UnsupportedVersionMessage(path, s.Version)));
            return;
        }
        long start = BinaryPrimitives.ReadInt64LittleEndian(header[8..]);
        s.StartNs = start;
        s.HeaderOk = true;
        if (SegmentFormat.TryParseFileName(Path.GetFileName(path.AsSpan()), out long nameStart) && nameStart != start)
        {
            problems.Add(new SegmentProblem(SegmentProblemKind.StartMismatch, 8,
                $"segment {path} header start_ns {Num(start)} differs from its file name ({Num(nameStart)})"));
        }

        bool v2 = s.Version == SegmentFormat.Version2;
        int entryHeader = SegmentFormat.EntryHeaderSize(s.Version);
        long offset = SegmentFormat.HeaderSize;
        while (offset < length)
        {
            s.Offset = offset;
            bool complete = TryReadEntryHeader(window, offset, entryHeader, out long ts, out uint payloadLength, out uint storedCrc);
            long end = offset + entryHeader + payloadLength;
            bool checksumFailed = false;
            bool verified = false;
            if (complete && v2 && (verifyAll || end == length))
            {
                verified = TornTail.ChecksumMatches(window, offset, payloadLength, storedCrc, out bool readable);
                if (!readable) complete = false; // the file shrank under us: as if cut short
                else checksumFailed = !verified;
            }
            if (complete && !checksumFailed)
            {
                Count(path, offset, ts, payloadLength, verified, ref s, problems);
                offset = end;
                continue;
            }

            // Not an intact entry: torn only at the end of the newest segment with nothing intact after it.
            long resume = v2 ? TornTail.FindIntactEntry(window, offset, s.VerifiedLastTs) : TornTail.None;
            if (isLatest && resume == TornTail.None)
            {
                s.Torn = true;
                break;
            }
            problems.Add(new SegmentProblem(checksumFailed ? SegmentProblemKind.ChecksumMismatch : SegmentProblemKind.DamagedEntry,
                offset, TornTail.DamageMessage(path, offset, checksumFailed, isLatest)));
            if (resume < 0) break;
            offset = resume;
        }
        s.ValidLength = Math.Min(offset, length);
    }

    private static void Count(string path, long offset, long ts, uint payloadLength, bool verified, ref ScanState s, List<SegmentProblem> problems)
    {
        if (ts < 0)
            problems.Add(new SegmentProblem(SegmentProblemKind.NegativeTimestamp, offset,
                $"segment {path} has a negative timestamp_ns {Num(ts)} at offset {Num(offset)}"));
        else if (s.Entries > 0 && ts < s.LastTs)
            problems.Add(new SegmentProblem(SegmentProblemKind.TimestampOutOfOrder, offset,
                $"segment {path} has timestamp_ns {Num(ts)} at offset {Num(offset)}, earlier than the entry before it ({Num(s.LastTs)})"));
        if (s.Entries == 0) s.FirstTs = ts;
        s.LastTs = ts;
        if (verified && ts >= 0) s.VerifiedLastTs = ts;
        s.Entries++;
        s.PayloadBytes += payloadLength;
    }

    /// <summary>Reads an entry header whose whole entry fits in the file; false at a torn or clean end.</summary>
    private static bool TryReadEntryHeader(FileWindow window, long offset, int entryHeader, out long ts, out uint payloadLength, out uint crc)
    {
        ts = 0;
        payloadLength = 0;
        crc = 0;
        if (window.FileLength - offset < entryHeader || !window.TryGet(offset, entryHeader, out var h)) return false;
        ts = BinaryPrimitives.ReadInt64LittleEndian(h);
        payloadLength = BinaryPrimitives.ReadUInt32LittleEndian(h[8..]);
        if (entryHeader == SegmentFormat.V2EntryHeaderSize) crc = BinaryPrimitives.ReadUInt32LittleEndian(h[12..]);
        return offset + entryHeader + payloadLength <= window.FileLength;
    }

    private static string Num(long value) => value.ToString(CultureInfo.InvariantCulture);
}
