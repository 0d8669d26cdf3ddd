using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Auki.Logs;

/// <summary>
/// A read-only <c>mmap</c> of a segment file's first <see cref="Length"/> bytes (the length taken
/// with <c>fstat</c> when it was mapped), so its entries can be read, checked and handed out
/// where they lie in the page cache: no copy into a buffer. Linux only (<see cref="IsSupported"/>).
/// </summary>
/// <remarks>
/// A mapping is only safe for a file that never gets shorter while mapped: a read of a page past a
/// truncated end raises SIGBUS, which kills the process. <see cref="MappedLogCursor"/> therefore maps
/// only segments that are not their log's newest (see there); the engine never writes to, repairs or
/// truncates those, and eviction's unlink leaves an existing mapping valid.
/// </remarks>
internal sealed unsafe partial class MappedSegment : IDisposable
{
    private const int ProtRead = 0x1;
    private const int MapShared = 0x01;
    private const int MapPopulate = 0x08000;

    private nint _address;

    private MappedSegment(string path, nint address, long length)
    {
        Path = path;
        _address = address;
        Length = length;
    }

    /// <summary>Whether mappings are available here (the constants below are Linux's).</summary>
    public static bool IsSupported => OperatingSystem.IsLinux() && Environment.Is64BitProcess;

    /// <summary>The segment's path, for messages.</summary>
    public string Path { get; }

    /// <summary>Bytes mapped: the file's length when it was mapped.</summary>
    public long Length { get; }

    /// <summary>The first mapped byte; valid until <see cref="Dispose"/>.</summary>
    public byte* Pointer => (byte*)_address;

    /// <summary>
    /// Map <paramref name="handle"/>'s first <paramref name="length"/> bytes (its length now), pages
    /// populated up front (one call instead of a fault per 64 KiB). Null when the system refuses, the
    /// caller then reads the file instead.
    /// </summary>
    public static MappedSegment? TryMap(SafeFileHandle handle, string path, long length)
    {
        if (!IsSupported || length <= 0) return null;
        bool added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            nint address = Mmap(0, (nuint)length, ProtRead, MapShared | MapPopulate, (int)handle.DangerousGetHandle(), 0);
            return address == -1 ? null : new MappedSegment(path, address, length);
        }
        finally
        {
            if (added) handle.DangerousRelease();
        }
    }

    /// <summary>Bytes [offset, offset + count) of the mapping.</summary>
    public ReadOnlySpan<byte> Slice(long offset, int count) => new((byte*)_address + offset, count);

    /// <summary>Unmap; views into the mapping must not be used after this.</summary>
    public void Dispose()
    {
        Unmap();
        GC.SuppressFinalize(this);
    }

    /// <summary>A mapping dropped on an error path is still given back (address space, not memory).</summary>
    ~MappedSegment() => Unmap();

    private void Unmap()
    {
        nint address = Interlocked.Exchange(ref _address, 0);
        if (address != 0) _ = Munmap(address, (nuint)Length);
    }

    [LibraryImport("libc", EntryPoint = "mmap", SetLastError = true)]
    private static partial nint Mmap(nint address, nuint length, int protection, int flags, int fd, long offset);

    [LibraryImport("libc", EntryPoint = "munmap")]
    private static partial int Munmap(nint address, nuint length);
}
