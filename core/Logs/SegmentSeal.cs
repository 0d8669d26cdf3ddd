using Microsoft.Win32.SafeHandles;

namespace Auki.Logs;

/// <summary>
/// A closed segment's fsync and close, run on the thread pool so a rollover does not stall the
/// append that caused it (a 200 MB segment's fsync took 100+ ms). The writer waits for it before
/// the next segment's file exists on disk, before a flush claims durability and before it releases
/// the log, so every guarantee of FORMAT.md holds as if the fsync had run inline.
/// </summary>
internal sealed class SegmentSeal
{
    private readonly Task _task;

    private SegmentSeal(Task task) => _task = task;

    /// <summary>
    /// Start making <paramref name="segment"/> durable, and its name too when
    /// <paramref name="directoryToSync"/> is given (a segment created since that directory's last
    /// fsync); the seal owns (and closes) the handle.
    /// </summary>
    public static SegmentSeal Start(SafeFileHandle segment, string? directoryToSync) =>
        new(Task.Run(() => Seal(segment, directoryToSync)));

    /// <summary>fsync the segments directory, so the names of segments created in it survive a power loss; Io error when the system refuses.</summary>
    public static void FsyncDirectory(string segmentsDir)
    {
        if (!Storage.DirectorySync.Fsync(segmentsDir))
            throw new IOException($"fsync of the segments directory {segmentsDir} failed");
    }

    /// <summary>True once the fsync has finished, successfully or not.</summary>
    public bool IsCompleted => _task.IsCompleted;

    /// <summary>Wait for the fsync; the error message when it failed, null when the segment is durable.</summary>
    public string? Wait()
    {
        try
        {
            _task.GetAwaiter().GetResult();
            return null;
        }
        catch (Exception e) when (LogErrors.IsIo(e))
        {
            return e.Message;
        }
    }

    private static void Seal(SafeFileHandle segment, string? directoryToSync)
    {
        try
        {
            RandomAccess.FlushToDisk(segment);
            if (directoryToSync is not null) FsyncDirectory(directoryToSync);
        }
        finally
        {
            segment.Dispose();
        }
    }
}
