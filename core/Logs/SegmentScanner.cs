using System.Buffers.Binary;
using System.Globalization;

namespace Auki.Logs;

/// <summary>
/// Walks one segment file and reports what is in it and what is wrong with it, without throwing
/// for bad data: the base of a <c>verify</c> tool, of <see cref="LogStats"/> and of the writer's
/// torn-tail repair.
/// </summary>
/// <remarks>
/// The torn-tail rule, shared with the reader and the tail: a cut-short header or payload at
/// the end is torn, and so is (v2) a last complete entry whose checksum fails, because a crash
/// can leave a file extended over bytes that never got written. A bad checksum with a complete
/// entry after it cannot come from a crash and is a <see cref="SegmentProblemKind.ChecksumMismatch"/>.
/// </remarks>
public static class SegmentScanner
{
    private const int WindowSize = 64 * 1024;

    /// <summary>
    /// Scan <paramref name="path"/>. With <paramref name="verifyAllChecksums"/> (the default) every
    /// v2 payload is read and checked; without it only entry headers are read, payloads are
    /// skipped, and only the last entry's checksum is checked (enough to find a torn tail).
    /// </summary>
    public static SegmentScanReport Scan(string path, bool verifyAllChecksums = true)
    {
        var problems = new List<SegmentProblem>();
        var state = new ScanState();
        long fileBytes = 0;
        try
        {
            using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            fileBytes = RandomAccess.GetLength(handle);
            var window = new FileWindow(handle, fileBytes, WindowSize);
            ScanFile(path, window, verifyAllChecksums, ref state, problems);
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
            TornTail = state.ValidLength < fileBytes && state.HeaderOk,
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
        public long Offset;
        public long ValidLength;
        public long Entries;
        public long PayloadBytes;
        public long FirstTs;
        public long LastTs;
        public long PreviousTs;
        public long LastEntryOffset;
        public long LastPayloadLength;
    }

    private static void ScanFile(string path, FileWindow window, bool verifyAll, ref ScanState s, List<SegmentProblem> problems)
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
        while (true)
        {
            s.Offset = offset;
            if (!TryReadEntryHeader(window, offset, entryHeader, out long ts, out uint payloadLength, out uint storedCrc))
                break;
            long end = offset + entryHeader + payloadLength;
            bool intact = true;
            if (v2 && verifyAll && !ChecksumMatches(window, offset, payloadLength, storedCrc, out bool readable))
            {
                if (!readable || IsLastCompleteEntry(window, end, entryHeader)) break; // torn tail
                problems.Add(new SegmentProblem(SegmentProblemKind.ChecksumMismatch, offset,
                    $"segment {path} has a checksum mismatch in the entry at offset {Num(offset)}"));
                intact = false;
            }
            if (intact)
            {
                if (ts < 0)
                    problems.Add(new SegmentProblem(SegmentProblemKind.NegativeTimestamp, offset,
                        $"segment {path} has a negative timestamp_ns {Num(ts)} at offset {Num(offset)}"));
                else if (s.Entries > 0 && ts < s.LastTs)
                    problems.Add(new SegmentProblem(SegmentProblemKind.TimestampOutOfOrder, offset,
                        $"segment {path} has timestamp_ns {Num(ts)} at offset {Num(offset)}, earlier than the entry before it ({Num(s.LastTs)})"));
                if (s.Entries == 0) s.FirstTs = ts;
                s.PreviousTs = s.LastTs;
                s.LastTs = ts;
                s.Entries++;
                s.PayloadBytes += payloadLength;
                s.LastEntryOffset = offset;
                s.LastPayloadLength = payloadLength;
            }
            offset = end;
        }
        s.ValidLength = offset;

        // The quick scan skipped payloads; the last entry is the one a crash can leave garbled.
        if (v2 && !verifyAll && s.Entries > 0 && s.LastEntryOffset + entryHeader + s.LastPayloadLength == offset)
        {
            TryReadEntryHeader(window, s.LastEntryOffset, entryHeader, out _, out _, out uint lastCrc);
            if (!ChecksumMatches(window, s.LastEntryOffset, (uint)s.LastPayloadLength, lastCrc, out _))
            {
                s.ValidLength = s.LastEntryOffset;
                s.Entries--;
                s.PayloadBytes -= s.LastPayloadLength;
                s.LastTs = s.PreviousTs;
            }
        }
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

    private static bool IsLastCompleteEntry(FileWindow window, long nextOffset, int entryHeader) =>
        !TryReadEntryHeader(window, nextOffset, entryHeader, out _, out _, out _);

    /// <summary>CRC32C over the entry's timestamp and length fields, then its payload, streamed through the window.</summary>
    private static bool ChecksumMatches(FileWindow window, long offset, uint payloadLength, uint storedCrc, out bool readable)
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

    private static string Num(long value) => value.ToString(CultureInfo.InvariantCulture);
}
