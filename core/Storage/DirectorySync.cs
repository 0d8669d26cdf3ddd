using System.Runtime.InteropServices;

namespace Auki.Storage;

/// <summary>
/// fsync and syncfs through a directory's own descriptor. .NET will not hand one out
/// (<c>File.OpenHandle</c> opens a directory, then throws <see cref="UnauthorizedAccessException"/>),
/// which had silently turned every directory fsync after a rename into a no-op; libc's
/// <c>open(O_DIRECTORY)</c> gives it.
/// </summary>
internal static partial class DirectorySync
{
    private const int ORdOnly = 0, ODirectory = 0x10000, OCloExec = 0x80000;

    /// <summary>fsync(2) the directory (makes its renames and new entries durable); false when the system cannot open or sync it.</summary>
    public static bool Fsync(string dir) => Run(dir, Fsync);

    /// <summary>syncfs(2) the file system holding the directory; throws when the system reports a failure to write.</summary>
    public static void SyncFs(string dir)
    {
        if (!Run(dir, SyncFs))
            throw new IOException($"syncfs {dir}: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
    }

    private static bool Run(string dir, Func<int, int> call)
    {
        int fd = Open(dir, ORdOnly | ODirectory | OCloExec);
        if (fd < 0) return false;
        try { return call(fd) == 0; }
        finally { Close(fd); }
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "syncfs", SetLastError = true)]
    private static partial int SyncFs(int fd);
}
