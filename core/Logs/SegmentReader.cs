using System.Buffers.Binary;
using System.Globalization;
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
    /// The next complete entry, or false when there is none (yet): end of file, a cut-short entry,
    /// a header still being written, or a torn last entry. Throws Corrupt for a foreign header or a
    /// checksum failure that a crash cannot explain.
    /// </summary>
    public bool TryRead(out long timestampNs, out ReadOnlySpan<byte> payload)
    {
        timestampNs = 0;
        payload = default;
        _lastEntrySize = 0;
        if (!_headerRead && !TryReadHeader()) return false;
        int headerSize = _entryHeaderSize;
        if (_end - _pos < headerSize && !Fill(headerSize)) return NoEntryYet();
        ReadOnlySpan<byte> entry = _buffer.AsSpan(_pos);
        long ts = BinaryPrimitives.ReadInt64LittleEndian(entry);
        uint length = BinaryPrimitives.ReadUInt32LittleEndian(entry[8..]);
        long total = headerSize + (long)length;
        if (_end - _pos < total)
        {
            if (total > Array.MaxLength)
            {
                if (Offset + total > FileLength()) return NoEntryYet();
                throw LogErrors.Corrupt($"segment {Path} has an entry at offset {Num(Offset)} too large to read ({Num(length)} bytes)");
            }
            if (!Fill((int)total)) return NoEntryYet();
            entry = _buffer.AsSpan(_pos);
        }
        ReadOnlySpan<byte> body = entry.Slice(headerSize, (int)length);
        if (_version == SegmentFormat.Version2)
        {
            uint stored = BinaryPrimitives.ReadUInt32LittleEndian(entry[SegmentFormat.ChecksummedHeaderSize..]);
            uint actual = Crc32C.Finish(Crc32C.Update(Crc32C.Update(Crc32C.InitialState, entry[..SegmentFormat.ChecksummedHeaderSize]), body));
            if (stored != actual)
            {
                if (!HasCompleteEntryAt(Offset + total)) return NoEntryYet();
                throw LogErrors.Corrupt($"segment {Path} has a checksum mismatch in the entry at offset {Num(Offset)}");
            }
        }
        _pos += (int)total;
        _lastEntrySize = (int)total;
        timestampNs = ts;
        payload = body;
        return true;
    }

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

    /// <summary>Whether a whole entry (header and payload) starts at <paramref name="offset"/>.</summary>
    private bool HasCompleteEntryAt(long offset)
    {
        Span<byte> header = stackalloc byte[SegmentFormat.V2EntryHeaderSize];
        Span<byte> part = header[.._entryHeaderSize];
        if (ReadAt(offset, part) < part.Length) return false;
        uint length = BinaryPrimitives.ReadUInt32LittleEndian(part[8..]);
        return offset + _entryHeaderSize + length <= FileLength();
    }

    private static string Num(long value) => value.ToString(CultureInfo.InvariantCulture);
}
