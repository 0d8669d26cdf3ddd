using Microsoft.Win32.SafeHandles;

namespace Auki.Storage;

/// <summary>
/// Crash-safe file replacement: write a hidden temp file in the same directory, fsync it,
/// rename over the target, fsync the directory (and the parent of every directory level it had to
/// create, <see cref="DurableDirectory"/>). A reader sees the old bytes or the new, never half.
/// Inside a <see cref="DurabilityBatch"/> both fsyncs are left to the batch's sync.
/// </summary>
public static class AtomicFile
{
    /// <summary>Write <paramref name="bytes"/> to <paramref name="path"/> atomically, creating directories.</summary>
    public static void Write(string path, ReadOnlySpan<byte> bytes) => Write(path, bytes, deferred: null);

    /// <summary>
    /// <see cref="Write(string, ReadOnlySpan{byte})"/>, durable on return unless <paramref name="deferred"/>
    /// is given: then the file is renamed into place unsynced and made durable by that batch.
    /// </summary>
    public static void Write(string path, ReadOnlySpan<byte> bytes, DurabilityBatch? deferred)
    {
        string dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        // Outside a batch new levels are named durably at once: a write that fails after creating them
        // would otherwise leave them for a later write to find existing and never sync.
        var created = DurableDirectory.CreateUnsynced(dir);
        if (deferred is null)
        {
            DurableDirectory.SyncParents(created);
            created.Clear();
        }
        string tmp = Path.Combine(dir, "." + Path.GetFileName(path) + "." + Environment.ProcessId + "." + Environment.CurrentManagedThreadId + ".tmp");
        try
        {
            using (var handle = CreateTemp(tmp))
            {
                RandomAccess.Write(handle, bytes, fileOffset: 0);
                if (deferred is null) RandomAccess.FlushToDisk(handle);
            }
            File.Move(tmp, path, overwrite: true);
        }
        catch
        {
            // The temp file is ours and hidden; if even removing it fails, the write's own error is what matters.
            try { File.Delete(tmp); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            throw;
        }
        // A batch's syncfs makes the new directories' names durable with everything else.
        if (deferred is not null && deferred.Track(path)) return;
        if (deferred is null) FsyncDirectory(dir);
        else FsyncFileAndDirectory(path, dir);
        DurableDirectory.SyncParents(created);
    }

    // O_CREAT|O_EXCL, not FileMode.Create: .NET opens that without O_TRUNC and then ftruncate()s the
    // file to 0, and on ext4 a truncate to 0 arms auto_da_alloc, which starts writeback of the file at
    // close(): every registration in a batch then paid for I/O the batch's one sync was meant to do.
    // A temp name left by a crashed process with the same pid and thread id is removed and retried.
    private static SafeFileHandle CreateTemp(string tmp)
    {
        try
        {
            return File.OpenHandle(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None);
        }
        catch (IOException) when (File.Exists(tmp))
        {
            File.Delete(tmp);
            return File.OpenHandle(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None);
        }
    }

    // A batch closed while this write ran: the file is made durable here, as outside a batch.
    private static void FsyncFileAndDirectory(string path, string dir)
    {
        using (var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
            RandomAccess.FlushToDisk(handle);
        FsyncDirectory(dir);
    }

    /// <summary>Make a rename or unlink in <paramref name="dir"/> durable (best effort; not every FS allows it).</summary>
    public static void FsyncDirectory(string dir)
    {
        if (OperatingSystem.IsWindows()) return;
        // Some file systems cannot fsync a directory, and a directory may not be readable: the rename itself was done.
        DirectorySync.Fsync(dir);
    }
}
