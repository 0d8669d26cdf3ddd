using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Auki.Logs;

/// <summary>
/// Write-behind for a segment being written: every <see cref="Stride"/> bytes the kernel is asked to
/// start writing the new bytes to disk (<c>sync_file_range(SYNC_FILE_RANGE_WRITE)</c>), and the pages
/// more than <see cref="CachedBehind"/> before the new ones, written out by then, are dropped from the page cache
/// (<c>posix_fadvise(POSIX_FADV_DONTNEED)</c>, which leaves dirty, in-flight and mapped pages alone;
/// pages it skipped are tried again at the next hint, and walking the already dropped part is cheap).
/// <para>
/// Why both: the start of writeback alone lets the fsync at a rollover find little left to do, but a
/// camera's 200 MB/s still fills the page cache within minutes, and from then on every written page
/// first has to be reclaimed. Sustained 6.9 MB writes cost 14–17 ms of CPU each on this machine with
/// plain <c>write()</c> (also with writeback started), 2.6–2.7 ms with the pages dropped behind
/// (<c>bench/logs/writeback.c</c>; docs/benchmarks.md), and a recording no longer evicts every other
/// process's cached files. A writer keeps about 72 MiB of its open segment cached: a reader
/// following the live log reads it from memory; one further behind reads from disk.
/// </para>
/// <para>
/// Only hints: durability still comes from the fsync, failures are ignored, and on other systems it
/// does nothing. The calls submit I/O and walk pages (0.2–0.4 ms per 8 MiB here), so they run on the
/// thread pool, not the appending thread.
/// </para>
/// </summary>
internal static partial class Writeback
{
    /// <summary>Bytes written between two hints (a hint per small write would cost more than it saves).</summary>
    public const long Stride = 8 * 1024 * 1024;

    /// <summary>
    /// How much of the open segment before the newest hint stays cached: a server or tail a few frames
    /// behind a 30 Hz camera still reads from memory (with two strides, ~2 frames, a copy that fell
    /// behind read from disk and fell further behind: 15-28 instead of 30 frames/s).
    /// </summary>
    public const long CachedBehind = 64 * 1024 * 1024;

    private const uint SyncFileRangeWrite = 2;
    private const int PosixFadviseDontNeed = 4;

    private static bool _unavailable = !OperatingSystem.IsLinux();

    /// <summary>
    /// Ask for <paramref name="length"/> bytes at <paramref name="offset"/> of <paramref name="file"/> to be
    /// written out, and for the clean pages before <paramref name="dropBefore"/> to be dropped from the
    /// cache, without waiting for either.
    /// </summary>
    public static void Start(SafeFileHandle file, long offset, long length, long dropBefore)
    {
        if (_unavailable || length <= 0) return;
        ThreadPool.UnsafeQueueUserWorkItem(new Hint(file, offset, length, dropBefore), preferLocal: false);
    }

    private sealed class Hint(SafeFileHandle file, long offset, long length, long dropBefore) : IThreadPoolWorkItem
    {
        public void Execute()
        {
            try
            {
                SyncFileRange(file, offset, length, SyncFileRangeWrite);
                if (dropBefore > 0) PosixFadvise(file, 0, dropBefore, PosixFadviseDontNeed);
            }
            catch (ObjectDisposedException)
            {
                // The segment was sealed and closed first: its fsync did the writing.
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
            {
                _unavailable = true;
            }
        }
    }

    [LibraryImport("libc", EntryPoint = "sync_file_range", SetLastError = true)]
    private static partial int SyncFileRange(SafeFileHandle fd, long offset, long nbytes, uint flags);

    [LibraryImport("libc", EntryPoint = "posix_fadvise")]
    private static partial int PosixFadvise(SafeFileHandle fd, long offset, long length, int advice);
}
