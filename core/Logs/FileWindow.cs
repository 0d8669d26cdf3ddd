using Microsoft.Win32.SafeHandles;

namespace Auki.Logs;

/// <summary>
/// Random-access reads through one reusable buffer: a read that falls inside what was last
/// fetched costs no syscall, so walking entry headers of small entries stays cheap, and skipping
/// a large payload is just asking for a later offset.
/// </summary>
internal sealed class FileWindow
{
    private readonly SafeFileHandle _handle;
    private readonly byte[] _buffer;
    private long _start;
    private int _length;

    public FileWindow(SafeFileHandle handle, long fileLength, int bufferSize)
    {
        _handle = handle;
        FileLength = fileLength;
        // No bigger than the file (a small segment needs no 64 KiB), and not zeroed: only bytes read are looked at.
        _buffer = GC.AllocateUninitializedArray<byte>((int)Math.Clamp(fileLength, 1, bufferSize));
    }

    /// <summary>The file length the scan works against (a snapshot; later growth is ignored).</summary>
    public long FileLength { get; }

    /// <summary>Largest span one call can return.</summary>
    public int Capacity => _buffer.Length;

    /// <summary>
    /// Bytes [offset, offset+count); false when the file turned out shorter (it shrank after
    /// the length was taken), which callers treat like a torn tail.
    /// </summary>
    public bool TryGet(long offset, int count, out ReadOnlySpan<byte> bytes)
    {
        if (offset >= _start && offset + count <= _start + _length)
        {
            bytes = _buffer.AsSpan((int)(offset - _start), count);
            return true;
        }
        int want = (int)Math.Min(_buffer.Length, FileLength - offset);
        int got = 0;
        while (got < want)
        {
            int n = RandomAccess.Read(_handle, _buffer.AsSpan(got, want - got), offset + got);
            if (n == 0) break;
            got += n;
        }
        _start = offset;
        _length = got;
        bytes = got >= count ? _buffer.AsSpan(0, count) : default;
        return got >= count;
    }
}
