using System.Collections.Concurrent;
using Auki.Json;

namespace Auki.Activity;

/// <summary>
/// Session documents parsed once per (length, mtime) of their file and kept per process, so a
/// query on a fleet-sized session (10,000 contributions: a 2 MB document, ~80 ms to parse) costs
/// one <c>stat</c> of the document when it has not changed. Every save replaces the file (a new
/// mtime); one read within <see cref="ExtentCache.RacyMarginNs"/> of its mtime is not kept (a save
/// of the same length in the same clock tick would not move it), as the extent index rules.
/// </summary>
internal static class SessionDocuments
{
    /// <summary>Documents kept per process before the table is cleared.</summary>
    private const int MaxKept = 256;

    private sealed record Kept(long Length, long MtimeTicks, ActivitySession Session);

    private static readonly ConcurrentDictionary<string, Kept> Cache = new(StringComparer.Ordinal);

    /// <summary>The session stored at <paramref name="path"/>, or null when there is no such file.</summary>
    public static ActivitySession? Read(string path, string sessionId)
    {
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            Cache.TryRemove(path, out _);
            return null;
        }
        if (Cache.TryGetValue(path, out var kept) && kept.Length == info.Length && kept.MtimeTicks == info.LastWriteTimeUtc.Ticks)
            return Fresh(kept.Session);
        byte[] bytes;
        long mtime;
        try
        {
            // Length and mtime from the handle the bytes are read through: they describe exactly these bytes.
            using var handle = File.OpenHandle(path);
            mtime = File.GetLastWriteTimeUtc(handle).Ticks;
            bytes = new byte[RandomAccess.GetLength(handle)];
            int read = 0;
            while (read < bytes.Length)
            {
                int n = RandomAccess.Read(handle, bytes.AsSpan(read), read);
                if (n == 0) break;
                read += n;
            }
            if (read < bytes.Length) Array.Resize(ref bytes, read);
        }
        catch (FileNotFoundException) { return null; }
        catch (DirectoryNotFoundException) { return null; }
        catch (IOException e) { throw AukiException.Io("io: " + e.Message, e); }
        var session = ActivitySession.FromJson(JsonText.Parse(bytes), sessionId);
        if (ExtentCache.IsSettled(mtime))
        {
            if (Cache.Count >= MaxKept) Cache.Clear();
            Cache[path] = new Kept(bytes.Length, mtime, session);
        }
        return Fresh(session);
    }

    /// <summary>Forget every kept document.</summary>
    public static void Clear() => Cache.Clear();

    // The one mutable part of a session is its metadata object: each caller gets its own.
    private static ActivitySession Fresh(ActivitySession kept) => kept with { Metadata = kept.Metadata.DeepClone().AsObject() };
}
