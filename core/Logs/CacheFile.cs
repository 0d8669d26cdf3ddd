using System.Globalization;

namespace Auki.Logs;

/// <summary>
/// Replacing a cache file beside the data it describes (<c>.segment_index</c>, <c>.activity_index</c>):
/// a temporary file renamed over it, so readers see the old file or the new one, never a mix. No
/// fsync: after a crash the file is old, empty or torn, and its reader's checks (a checksum, then the
/// stat keys of what it describes) turn each of those into a rescan, never a wrong answer. Best
/// effort: false, with nothing left behind, when it cannot be written (e.g. a read-only store).
/// </summary>
internal static class CacheFile
{
    public static bool TryReplace(string path, ReadOnlySpan<byte> contents)
    {
        string temp = path + "." + Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "."
            + Environment.CurrentManagedThreadId.ToString(CultureInfo.InvariantCulture) + ".tmp";
        try
        {
            using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1))
                file.Write(contents);
            File.Move(temp, path, overwrite: true);
            return true;
        }
        catch (Exception e) when (LogErrors.IsIo(e))
        {
            try { File.Delete(temp); }
            catch (Exception cleanup) when (LogErrors.IsIo(cleanup)) { /* best effort: a stray .tmp is ignored by everything */ }
            return false;
        }
    }
}
