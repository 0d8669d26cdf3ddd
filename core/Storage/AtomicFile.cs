namespace Auki.Storage;

/// <summary>
/// Crash-safe file replacement: write a hidden temp file in the same directory, fsync it,
/// rename over the target, fsync the directory. A reader sees the old bytes or the new, never half.
/// </summary>
public static class AtomicFile
{
    /// <summary>Write <paramref name="bytes"/> to <paramref name="path"/> atomically, creating directories.</summary>
    public static void Write(string path, ReadOnlySpan<byte> bytes)
    {
        string dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(dir);
        string tmp = Path.Combine(dir, "." + Path.GetFileName(path) + "." + Environment.ProcessId + "." + Environment.CurrentManagedThreadId + ".tmp");
        try
        {
            using (var fs = new FileStream(tmp, FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.None))
            {
                fs.Write(bytes);
                fs.Flush(flushToDisk: true);
            }
            File.Move(tmp, path, overwrite: true);
        }
        catch
        {
            // The temp file is ours and hidden; if even removing it fails, the write's own error is what matters.
            try { File.Delete(tmp); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            throw;
        }
        FsyncDirectory(dir);
    }

    /// <summary>Make a rename or unlink in <paramref name="dir"/> durable (best effort; not every FS allows it).</summary>
    public static void FsyncDirectory(string dir)
    {
        if (OperatingSystem.IsWindows()) return;
        try
        {
            using var handle = File.OpenHandle(dir, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            RandomAccess.FlushToDisk(handle);
        }
        catch (IOException) { } // some file systems cannot fsync a directory; the rename itself was done
        catch (UnauthorizedAccessException) { } // a directory we may not open for reading: likewise
    }
}
