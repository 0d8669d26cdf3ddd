using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Auki.Logs;

/// <summary>
/// Streams the entries of one segment file through a large reusable buffer: one <c>pread</c> per
/// buffer-full, no allocation per entry, payloads handed out as views into the buffer. Used by
/// <see cref="LogCursor"/> (read to the end, then move on) and <see cref="LogTail"/> (ask again
/// later: a "no entry" answer is always "not yet", and the next call re-reads from the file).
/// </summary>
/// <remarks>
/// The buffer lives on the pinned object heap, so a payload's address stays valid until the next
/// call even after the span is turned into a raw pointer (what the C ABI hands out).
/// </remarks>
internal sealed class SegmentReader : IDisposable
{
    private SafeFileHandle? _handle;
    private byte[] _buffer;
    private int _pos;
    private int _end;
    private long _bufferOffset;
    private bool _headerRead;
    private ushort _version;
    private int _entryHeaderSize;

    /// <summary>Timestamp of the last entry returned from this file (0 before the first): later entries are not earlier.</summary>
    private long _lastTs;

    /// <summary>Offset and file length of the last torn-tail verdict (see <see cref="NotAnEntry"/>).</summary>
    private long _tornOffset = -1;
    private long _tornFileLength = -1;

    /// <summary>Size of the entry the last successful <see cref="TryRead"/> returned; 0 once stepped back or after any other read.</summary>
    private int _lastEntrySize;

    public SegmentReader(int bufferSize) => _buffer = GC.AllocateUninitializedArray<byte>(bufferSize, pinned: true);

    public string Path { get; private set; } = "";

    public bool IsOpen => _handle is not null;

    /// <summary>File offset of the next entry to read.</summary>
    public long Offset => _bufferOffset + _pos;

    /// <summary>Open <paramref name="path"/> positioned at <paramref name="offset"/>; false when the file is gone (evicted).</summary>
    public bool TryOpen(string path, long offset)
    {
        Close();
        try
        {
            _handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (FileNotFoundException)
        {
            return false;
        }
        catch (DirectoryNotFoundException)
        {
            return false;
        }
        Path = path;
        _headerRead = false;
        IsLatest = true;
        _lastTs = 0;
        _tornOffset = -1;
        _bufferOffset = Math.Max(offset, SegmentFormat.HeaderSize);
        _pos = 0;
        _end = 0;
        _lastEntrySize = 0;
        return true;
    }

    public void Close()
    {
        _lastEntrySize = 0;
        _handle?.Dispose();
        _handle = null;
    }

    public void Dispose() => Close();

    /// <summary>Current size of the open file (changes while a writer appends or repairs it).</summary>
    public long FileLength() => RandomAccess.GetLength(_handle!);

    /// <summary>Forget buffered bytes and continue from <paramref name="offset"/> (after the file was cut shorter).</summary>
    public void Seek(long offset)
    {
        _lastEntrySize = 0;
        _bufferOffset = Math.Max(offset, SegmentFormat.HeaderSize);
        _pos = 0;
        _end = 0;
    }

    /// <summary>
    /// Whether this is the log's newest segment, the only one that may end in a torn write
    /// (<see cref="TornTail"/>). True until the owner learns that a newer segment exists.
    /// </summary>
    public bool IsLatest { get; set; } = true;

    /// <summary>True once the segment header was read (a file still shorter than a header has none yet).</summary>
    public bool HeaderRead => _headerRead;

    /// <summary>
    /// The next complete entry, or false when there is none (yet): end of file, or (newest
    /// segment only) a cut-short entry, a header still being written, or a torn last entry.
    /// Throws Corrupt for a foreign header and for bytes that are not an entry where
    /// <see cref="TornTail"/> says a torn write cannot be.
    /// </summary>
    public bool TryRead(out long timestampNs, out ReadOnlySpan<byte> payload)
    {
        timestampNs = 0;
        payload = default;
        _lastEntrySize = 0;
        if (!_headerRead && !TryReadHeader()) return false;
        int headerSize = _entryHeaderSize;
        if (_end - _pos < headerSize && !Fill(headerSize))
            return _end == _pos ? NoEntryYet() : NotAnEntry(checksumFailed: false);
        ReadOnlySpan<byte> entry = _buffer.AsSpan(_pos);
        long ts = BinaryPrimitives.ReadInt64LittleEndian(entry);
        uint length = BinaryPrimitives.ReadUInt32LittleEndian(entry[8..]);
        long total = headerSize + (long)length;
        if (_end - _pos < total)
        {
            if (total > Array.MaxLength)
            {
                if (Offset + total > FileLength()) return NotAnEntry(checksumFailed: false);
                throw LogErrors.Corrupt($"segment {Path} has an entry at offset {Num(Offset)} too large to read ({Num(length)} bytes)");
            }
            if (!Fill((int)total)) return NotAnEntry(checksumFailed: false);
            entry = _buffer.AsSpan(_pos);
        }
        ReadOnlySpan<byte> body = entry.Slice(headerSize, (int)length);
        if (_version == SegmentFormat.Version2)
        {
            uint stored = BinaryPrimitives.ReadUInt32LittleEndian(entry[SegmentFormat.ChecksummedHeaderSize..]);
            uint actual = Crc32C.Finish(Crc32C.Update(Crc32C.Update(Crc32C.InitialState, entry[..SegmentFormat.ChecksummedHeaderSize]), body));
            if (stored != actual) return NotAnEntry(checksumFailed: true);
        }
        _pos += (int)total;
        _lastEntrySize = (int)total;
        _lastTs = ts;
        timestampNs = ts;
        payload = body;
        return true;
    }

    /// <summary>
    /// The entries that lie whole in the buffer after <see cref="Offset"/>, parsed in place without
    /// reading the file (so views handed out before stay valid): entry k gets <c>timestamps[k]</c>,
    /// its payload at <c>Buffer[starts[k] .. starts[k] + lengths[k]]</c>. Entries outside
    /// [<paramref name="fromNs"/>, <paramref name="toNs"/>] are skipped. Stops at the first entry that
    /// is not whole in the buffer or fails its checksum: <see cref="TryRead"/> then reads, or judges, it.
    /// Returns the number of entries written.
    /// </summary>
    public int TakeBuffered(Span<long> timestamps, Span<nint> starts, Span<nuint> lengths, long fromNs, long toNs)
    {
        _lastEntrySize = 0;
        int max = Math.Min(timestamps.Length, Math.Min(starts.Length, lengths.Length));
        if (_version != SegmentFormat.Version1 || !_headerRead) return TakeBufferedChecked(timestamps[..max], starts, lengths, fromNs, toNs);
        // v1 (no checksums), the hot loop of a batched read: a few loads and stores per entry. Every
        // read below is inside [0, _end), which the loop condition and the length check ensure.
        ref byte buffer = ref MemoryMarshal.GetArrayDataReference(_buffer);
        const int headerSize = SegmentFormat.V1EntryHeaderSize;
        int pos = _pos;
        int end = _end;
        int count = 0;
        long lastTs = _lastTs;
        while (count < max && end - pos >= headerSize)
        {
            long ts = LittleEndian(Unsafe.ReadUnaligned<long>(ref Unsafe.Add(ref buffer, pos)));
            uint length = LittleEndian(Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref buffer, pos + 8)));
            if (length > (uint)(end - pos - headerSize)) break;
            int payloadStart = pos + headerSize;
            pos = payloadStart + (int)length;
            lastTs = ts;
            if (ts < fromNs || ts > toNs) continue;
            timestamps[count] = ts;
            starts[count] = payloadStart;
            lengths[count] = length;
            count++;
        }
        _pos = pos;
        _lastTs = lastTs;
        return count;
    }

    private static long LittleEndian(long value) => BitConverter.IsLittleEndian ? value : BinaryPrimitives.ReverseEndianness(value);

    private static uint LittleEndian(uint value) => BitConverter.IsLittleEndian ? value : BinaryPrimitives.ReverseEndianness(value);

    /// <summary><see cref="TakeBuffered"/> for v2 segments, every entry's CRC32C checked.</summary>
    private int TakeBufferedChecked(Span<long> timestamps, Span<nint> starts, Span<nuint> lengths, long fromNs, long toNs)
    {
        int count = 0;
        while (count < timestamps.Length && TryParseBuffered(out long ts, out int payloadStart, out int length))
        {
            if (ts < fromNs || ts > toNs) continue;
            timestamps[count] = ts;
            starts[count] = payloadStart;
            lengths[count] = (nuint)length;
            count++;
        }
        return count;
    }

    /// <summary>
    /// Like <see cref="TakeBuffered"/>, but copies the payloads to <c>destination[used..]</c> (entry
    /// k's ends at <c>offsets[k + 1]</c>), stopping before the first one that does not fit.
    /// </summary>
    public int CopyBuffered(Span<long> timestamps, Span<ulong> offsets, Span<byte> destination, ref int used, long fromNs, long toNs)
    {
        _lastEntrySize = 0;
        int max = Math.Min(timestamps.Length, offsets.Length - 1);
        int count = 0;
        while (count < max)
        {
            int before = _pos;
            long lastTs = _lastTs;
            if (!TryParseBuffered(out long ts, out int payloadStart, out int length)) break;
            if (ts < fromNs || ts > toNs) continue;
            if (length > destination.Length - used)
            {
                _pos = before;
                _lastTs = lastTs;
                break;
            }
            _buffer.AsSpan(payloadStart, length).CopyTo(destination[used..]);
            used += length;
            timestamps[count++] = ts;
            offsets[count] = (ulong)used;
        }
        return count;
    }

    /// <summary>
    /// The next entry inside [<paramref name="fromNs"/>, <paramref name="toNs"/>] when it lies whole
    /// in the buffer and passes its checksum (entries outside the window before it are skipped):
    /// consumed, its payload at <c>Buffer[payloadStart ..]</c>, and <see cref="StepBack"/> undoes it.
    /// False when getting it needs a read: <see cref="TryRead"/> then reads, or judges, it.
    /// </summary>
    public bool TryTakeBuffered(long fromNs, long toNs, out long ts, out int payloadStart, out int length)
    {
        _lastEntrySize = 0;
        while (true)
        {
            int before = _pos;
            if (!TryParseBuffered(out ts, out payloadStart, out length)) return false;
            if (ts < fromNs || ts > toNs) continue;
            _lastEntrySize = _pos - before;
            return true;
        }
    }

    /// <summary>
    /// The entry at <see cref="Offset"/> when it lies whole in the buffer and passes its checksum:
    /// consumed, its payload at <c>_buffer[payloadStart ..]</c>. False (nothing consumed) otherwise.
    /// </summary>
    private bool TryParseBuffered(out long ts, out int payloadStart, out int length)
    {
        int headerSize = _entryHeaderSize;
        ReadOnlySpan<byte> entry = _buffer.AsSpan(_pos, _end - _pos);
        if (!_headerRead || entry.Length < headerSize)
        {
            ts = 0;
            payloadStart = length = 0;
            return false;
        }
        ts = BinaryPrimitives.ReadInt64LittleEndian(entry);
        uint size = BinaryPrimitives.ReadUInt32LittleEndian(entry[8..]);
        if (size > (uint)(entry.Length - headerSize))
        {
            payloadStart = length = 0;
            return false;
        }
        length = (int)size;
        if (_version == SegmentFormat.Version2)
        {
            uint stored = BinaryPrimitives.ReadUInt32LittleEndian(entry[SegmentFormat.ChecksummedHeaderSize..]);
            uint actual = Crc32C.Finish(Crc32C.Update(Crc32C.Update(Crc32C.InitialState, entry[..SegmentFormat.ChecksummedHeaderSize]),
                entry.Slice(headerSize, length)));
            if (stored != actual)
            {
                payloadStart = 0;
                return false;
            }
        }
        payloadStart = _pos + headerSize;
        _pos = payloadStart + length;
        _lastTs = ts;
        return true;
    }

    /// <summary>The reader's pinned buffer, which <see cref="TakeBuffered"/>'s offsets index (valid until the next read).</summary>
    public ReadOnlySpan<byte> Buffer => _buffer;

    /// <summary>Where in <see cref="Buffer"/> the payload <see cref="TryRead"/> just returned starts.</summary>
    public int BufferOffsetOf(ReadOnlySpan<byte> payload) =>
        (int)Unsafe.ByteOffset(ref MemoryMarshal.GetArrayDataReference(_buffer), ref MemoryMarshal.GetReference(payload));

    /// <summary>
    /// Make the entry the last <see cref="TryRead"/> returned the next one again. Only right after
    /// a successful read (its bytes are still in the buffer); false otherwise.
    /// </summary>
    public bool StepBack()
    {
        if (_lastEntrySize == 0) return false;
        _pos -= _lastEntrySize;
        _lastEntrySize = 0;
        return true;
    }

    private bool TryReadHeader()
    {
        Span<byte> header = stackalloc byte[SegmentFormat.HeaderSize];
        int got = ReadAt(0, header);
        if (got < SegmentFormat.HeaderSize)
        {
            if (!SegmentFormat.IsPlausibleHeaderPrefix(header[..got])) throw LogErrors.Corrupt(SegmentFormat.BadMagicMessage(Path));
            return false;
        }
        _version = SegmentFormat.ValidateHeader(header, Path);
        _entryHeaderSize = SegmentFormat.EntryHeaderSize(_version);
        _headerRead = true;
        return true;
    }

    /// <summary>Drop what was read past the last whole entry so the next call looks at the file afresh.</summary>
    private bool NoEntryYet()
    {
        _bufferOffset += _pos;
        _pos = 0;
        _end = 0;
        return false;
    }

    /// <summary>Make at least <paramref name="count"/> bytes available at <c>_pos</c>; false if the file has fewer.</summary>
    private bool Fill(int count)
    {
        if (_pos > 0)
        {
            _buffer.AsSpan(_pos, _end - _pos).CopyTo(_buffer);
            _bufferOffset += _pos;
            _end -= _pos;
            _pos = 0;
        }
        if (count > _buffer.Length)
        {
            // Grow only for an entry that is really there: a garbage length must not allocate gigabytes.
            if (_bufferOffset + count > FileLength()) return false;
            var bigger = GC.AllocateUninitializedArray<byte>((int)Math.Min(Array.MaxLength, Math.Max(count, 2L * _buffer.Length)), pinned: true);
            _buffer.AsSpan(0, _end).CopyTo(bigger);
            _buffer = bigger;
        }
        while (_end < count)
        {
            int n = RandomAccess.Read(_handle!, _buffer.AsSpan(_end), _bufferOffset + _end);
            if (n == 0) return false;
            _end += n;
        }
        return true;
    }

    private int ReadAt(long offset, Span<byte> destination)
    {
        int got = 0;
        while (got < destination.Length)
        {
            int n = RandomAccess.Read(_handle!, destination[got..], offset + got);
            if (n == 0) break;
            got += n;
        }
        return got;
    }

    /// <summary>
    /// The bytes at <see cref="Offset"/> are not an intact entry: "not yet" where they may be a
    /// torn (or still running) write, Corrupt anywhere else. The verdict for one offset and file
    /// length is kept, so a tail polling a crashed writer's torn tail does not search it every time.
    /// </summary>
    private bool NotAnEntry(bool checksumFailed)
    {
        long offset = Offset;
        if (!IsLatest) throw LogErrors.Corrupt(TornTail.DamageMessage(Path, offset, checksumFailed, isLatest: false));
        if (_version == SegmentFormat.Version2)
        {
            long length = FileLength();
            if (offset != _tornOffset || length != _tornFileLength)
            {
                var window = new FileWindow(_handle!, length, 64 * 1024);
                if (TornTail.FindIntactEntry(window, offset, _lastTs) != TornTail.None)
                    throw LogErrors.Corrupt(TornTail.DamageMessage(Path, offset, checksumFailed, isLatest: true));
                _tornOffset = offset;
                _tornFileLength = length;
            }
        }
        return NoEntryYet();
    }

    private static string Num(long value) => value.ToString(CultureInfo.InvariantCulture);
}
