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
            using (var fs = new FileStream(tmp, FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.None))
            {
                fs.Write(bytes);
                fs.Flush(flushToDisk: deferred is null);
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
