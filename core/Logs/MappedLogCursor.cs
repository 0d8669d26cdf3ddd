using System.Buffers.Binary;

namespace Auki.Logs;

/// <summary>
/// A <see cref="LogCursor"/> for bulk readers (the MCAP export) that reads sealed segments where
/// they lie in the page cache: each is mapped read-only (<see cref="MappedSegment"/>), every entry's
/// CRC32C is checked in place and its payload handed out as a view into the mapping, so the bytes are
/// not copied into a buffer first. The same entries, in the same order, with the same errors as
/// <see cref="LogCursor"/>. Not thread-safe.
/// </summary>
/// <remarks>
/// <para>Which segments are mapped: every one but the newest of the list taken at open. The newest
/// is the only one a writer appends to, cuts back after ENOSPC, or repairs at open (torn tail), and
/// a mapped file that gets shorter kills the process with SIGBUS on the next read past its new end;
/// so the newest goes through <see cref="SegmentReader"/>, which sees a shorter or longer file as
/// "no entry yet". An older segment was fsync'ed and closed before the newer one existed and is
/// never written again: only eviction touches it, and an unlink leaves a mapping valid. Each is
/// mapped to the length <c>fstat</c> gave when it was opened.</para>
/// <para>Only well-formed entries are read from the mapping: at the first bytes that are not a whole
/// entry with a matching checksum, the segment continues through <see cref="SegmentReader"/> from that
/// offset, which judges them (Corrupt, with the message a <see cref="LogCursor"/> gives).</para>
/// <para>Payload views: one from a mapping (<see cref="PayloadIsMapped"/>) stays valid as long as
/// the mapping, which the cursor hands to <c>retain</c> when it moves on (the caller disposes them
/// once done with the views; without <c>retain</c> the cursor unmaps as it goes, and a view is valid
/// until the next call, as for <see cref="LogCursor"/>). One from the read path is valid until the
/// next call.</para>
/// </remarks>
internal sealed unsafe class MappedLogCursor : IDisposable
{
    private const int ReadBufferSize = 1 << 20;

    private readonly string _segmentsDir;
    private readonly long[] _starts;
    private readonly long _segmentDurationNs;
    private readonly long _fromNs;
    private readonly long _toNs;
    private readonly List<MappedSegment>? _retain;
    private SegmentReader? _reader;
    private bool _reading;
    private MappedSegment? _map;
    private long _pos;
    private int _entryHeaderSize;
    private bool _checksummed;
    private int _nextSegment;
    private bool _disposed;

    private MappedLogCursor(LogReader log, long fromNs, long toNs, List<MappedSegment>? retain)
    {
        _segmentsDir = SegmentDirectory.SegmentsPath(log.Root);
        _starts = log.SegmentStarts as long[] ?? [.. log.SegmentStarts];
        _segmentDurationNs = log.SegmentDurationNs;
        _fromNs = fromNs;
        _toNs = toNs;
        _retain = retain;
        // The first segment whose window reaches past fromNs, as LogCursor finds it.
        int low = 0, high = _starts.Length;
        while (low < high)
        {
            int mid = low + (high - low) / 2;
            if (SegmentFormat.SaturatingAdd(_starts[mid], _segmentDurationNs) <= fromNs) low = mid + 1;
            else high = mid;
        }
        _nextSegment = low;
    }

    /// <summary>
    /// A cursor over <paramref name="log"/>'s entries in [<paramref name="startNs"/>, <paramref name="endNs"/>]
    /// (null: open). Mappings it is done with go to <paramref name="retain"/> when given (see the remarks).
    /// </summary>
    public static MappedLogCursor Open(LogReader log, long? startNs, long? endNs, List<MappedSegment>? retain) =>
        new(log, startNs ?? long.MinValue, endNs ?? long.MaxValue, retain);

    /// <summary>Whether the payload the last <see cref="TryNext"/> returned lies in a mapping (see the remarks).</summary>
    public bool PayloadIsMapped { get; private set; }

    /// <summary>The next entry inside the window; false at the end of the log. See the remarks for how long the view lives.</summary>
    public bool TryNext(out long timestampNs, out ReadOnlySpan<byte> payload)
    {
        if (_disposed) throw LogErrors.Closed("cursor has been closed");
        try
        {
            while (true)
            {
                if (_map is not null)
                {
                    while (TryReadMapped(out timestampNs, out payload))
                    {
                        if (timestampNs >= _fromNs && timestampNs <= _toNs)
                        {
                            PayloadIsMapped = true;
                            return true;
                        }
                    }
                }
                if (_reading)
                {
                    while (_reader!.TryRead(out timestampNs, out payload))
                    {
                        if (timestampNs >= _fromNs && timestampNs <= _toNs)
                        {
                            PayloadIsMapped = false;
                            return true;
                        }
                    }
                    _reader.Close();
                    _reading = false;
                }
                if (!OpenNextSegment())
                {
                    timestampNs = 0;
                    payload = default;
                    return false;
                }
            }
        }
        catch (Exception e) when (LogErrors.IsIo(e))
        {
            throw LogErrors.Io(e);
        }
    }

    /// <summary>
    /// The next whole, intact entry of the mapped segment. False when there is none: at the end the
    /// mapping is released; before bytes that are not such an entry the read path takes over there.
    /// </summary>
    private bool TryReadMapped(out long timestampNs, out ReadOnlySpan<byte> payload)
    {
        var map = _map!;
        long remaining = map.Length - _pos;
        if (remaining >= _entryHeaderSize)
        {
            byte* entry = map.Pointer + _pos;
            var header = new ReadOnlySpan<byte>(entry, _entryHeaderSize);
            long ts = BinaryPrimitives.ReadInt64LittleEndian(header);
            uint length = BinaryPrimitives.ReadUInt32LittleEndian(header[8..]);
            long total = _entryHeaderSize + (long)length;
            if (total <= remaining && length <= int.MaxValue)
            {
                var body = new ReadOnlySpan<byte>(entry + _entryHeaderSize, (int)length);
                if (!_checksummed || BinaryPrimitives.ReadUInt32LittleEndian(header[SegmentFormat.ChecksummedHeaderSize..])
                    == Crc32C.Finish(Crc32C.Update(Crc32C.Update(Crc32C.InitialState, header[..SegmentFormat.ChecksummedHeaderSize]), body)))
                {
                    _pos += total;
                    timestampNs = ts;
                    payload = body;
                    return true;
                }
            }
        }
        long at = _pos;
        Release();
        if (remaining > 0 && Reader.TryOpen(map.Path, at))
        {
            _reader!.IsLatest = false; // mapped segments are never the newest
            _reading = true;
        }
        timestampNs = 0;
        payload = default;
        return false;
    }

    private SegmentReader Reader => _reader ??= new SegmentReader(ReadBufferSize);

    private bool OpenNextSegment()
    {
        while (_nextSegment < _starts.Length)
        {
            long start = _starts[_nextSegment++];
            if (start > _toNs)
            {
                _nextSegment = _starts.Length;
                return false;
            }
            if (SegmentFormat.SaturatingAdd(start, _segmentDurationNs) <= _fromNs) continue;
            string path = SegmentDirectory.SegmentPath(_segmentsDir, start);
            bool latest = _nextSegment == _starts.Length;
            if (!latest && TryMap(path)) return true;
            if (Reader.TryOpen(path, SegmentFormat.HeaderSize))
            {
                _reader!.IsLatest = latest;
                _reading = true;
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// Map the segment at <paramref name="path"/> positioned at its first entry; false when it is
    /// better read (gone, shorter than a header, mapping refused): the read path then opens it.
    /// </summary>
    private bool TryMap(string path)
    {
        if (!MappedSegment.IsSupported) return false;
        MappedSegment? map;
        try
        {
            using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            long length = RandomAccess.GetLength(handle);
            if (length < SegmentFormat.HeaderSize) return false;
            map = MappedSegment.TryMap(handle, path, length);
        }
        catch (FileNotFoundException)
        {
            return false;
        }
        catch (DirectoryNotFoundException)
        {
            return false;
        }
        if (map is null) return false;
        ushort version;
        try
        {
            version = SegmentFormat.ValidateHeader(map.Slice(0, SegmentFormat.HeaderSize), path);
        }
        catch
        {
            map.Dispose();
            throw;
        }
        _map = map;
        _pos = SegmentFormat.HeaderSize;
        _entryHeaderSize = SegmentFormat.EntryHeaderSize(version);
        _checksummed = version == SegmentFormat.Version2;
        return true;
    }

    /// <summary>Done with the mapped segment: to <c>retain</c> when views into it may still be held, unmapped otherwise.</summary>
    private void Release()
    {
        var map = _map;
        _map = null;
        if (map is null) return;
        if (_retain is not null) _retain.Add(map);
        else map.Dispose();
    }

    /// <summary>Close the open segment; later calls throw Closed. Mappings go to <c>retain</c> as when moving on.</summary>
    public void Dispose()
    {
        _disposed = true;
        Release();
        _reader?.Dispose();
    }
}
