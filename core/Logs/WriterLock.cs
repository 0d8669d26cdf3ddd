using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Auki.Logs;

/// <summary>
/// One writer per log, across processes: an exclusive, non-blocking lock on
/// <c>&lt;root&gt;/.writer.lock</c>, held until the writer closes (or its process dies, which
/// releases it). Readers never take it.
/// </summary>
/// <remarks>
/// .NET's <see cref="FileShare.None"/> already takes <c>flock(LOCK_EX|LOCK_NB)</c> on Unix, but
/// <c>DOTNET_SYSTEM_IO_DISABLEFILELOCKING=1</c> silently turns that off, so on Unix we also call
/// <c>flock</c> ourselves. flock locks belong to the open file description, so a second writer in
/// the same process is refused just like one in another process. The lock file is never deleted:
/// deleting it would let two writers lock two different inodes.
/// </remarks>
internal sealed partial class WriterLock : IDisposable
{
    public const string FileName = ".writer.lock";

    private const int LockExclusive = 2;
    private const int LockNonBlocking = 4;
    private const int EIntr = 4;

    private SafeFileHandle? _handle;

    private WriterLock(SafeFileHandle handle) => _handle = handle;

    public static WriterLock Acquire(string root)
    {
        string path = Path.Combine(root, FileName);
        SafeFileHandle handle;
        try
        {
            handle = File.OpenHandle(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e) when (IsContention(e.HResult))
        {
            throw LogErrors.Busy(root);
        }
        if (!OperatingSystem.IsWindows())
        {
            int result;
            do
            {
                result = Flock(handle, LockExclusive | LockNonBlocking);
            } while (result != 0 && Marshal.GetLastPInvokeError() == EIntr);
            if (result != 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                handle.Dispose();
                if (IsContention(errno)) throw LogErrors.Busy(root);
                throw LogErrors.Io($"cannot lock {path} (errno {errno})");
            }
        }
        return new WriterLock(handle);
    }

    /// <summary>EWOULDBLOCK (Linux 11, macOS 35) or a Windows sharing/lock violation.</summary>
    private static bool IsContention(int code) =>
        code is 11 or 35 or unchecked((int)0x80070020) or unchecked((int)0x80070021);

    public void Dispose()
    {
        // Closing the descriptor releases the flock.
        _handle?.Dispose();
        _handle = null;
    }

    [LibraryImport("libc", EntryPoint = "flock", SetLastError = true)]
    private static partial int Flock(SafeFileHandle fd, int operation);
}
