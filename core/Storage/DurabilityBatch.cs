using System.Collections.Concurrent;

namespace Auki.Storage;

/// <summary>
/// Files written atomically (temp file + rename: never torn under their final name) whose fsync is
/// deferred: <see cref="Sync"/> makes all of them durable at once, with one <c>syncfs</c> per file
/// system (<see cref="FileSystemSync"/>). Until then a crash may lose any of them, and a power loss
/// may leave one empty or short under its name, which the registry reports as corrupt and repairs
/// on the next identical write.
/// Ordering: a file that names another must not become durable before it, so a writer calls
/// <see cref="Require"/> with the path it names before writing; a pending path is synced first (a barrier).
/// Which files are pending is known process-wide, so a write outside this batch that finds one of its
/// files does not report it durable before it is.
/// </summary>
public sealed class DurabilityBatch
{
    // Every file some open batch wrote and has not synced yet, and that batch.
    private static readonly ConcurrentDictionary<string, DurabilityBatch> s_pending = new(StringComparer.Ordinal);

    private readonly object _gate = new();
    private readonly List<string> _files = [];
    private bool _closed;

    /// <summary>How many files wait for the next <see cref="Sync"/>.</summary>
    public int PendingCount { get { lock (_gate) return _files.Count; } }

    /// <summary>
    /// Record a file just renamed into place without an fsync; false once the batch is closed (the
    /// writer then makes the file durable itself, as outside a batch).
    /// </summary>
    internal bool Track(string path)
    {
        lock (_gate)
        {
            if (_closed) return false;
            _files.Add(path);
            s_pending[path] = this;
            return true;
        }
    }

    /// <summary>
    /// Before writing something that names <paramref name="path"/>: if that file is not durable yet,
    /// make it so — the whole of <paramref name="mine"/> when it is this batch's (one barrier for
    /// everything pending), else that file's file system.
    /// </summary>
    public static void Require(string path, DurabilityBatch? mine)
    {
        if (!s_pending.TryGetValue(path, out var owner)) return;
        if (owner == mine) mine.Sync();
        else EnsureDurable(path, owner);
    }

    /// <summary>
    /// A write found <paramref name="path"/> already holding its bytes: unless <paramref name="mine"/>
    /// will sync it, make sure it is durable before the write reports success.
    /// </summary>
    public static void Settle(string path, DurabilityBatch? mine)
    {
        if (s_pending.TryGetValue(path, out var owner) && owner != mine) EnsureDurable(path, owner);
    }

    private static void EnsureDurable(string path, DurabilityBatch owner)
    {
        FileSystemSync.Sync([path]);
        s_pending.TryRemove(new KeyValuePair<string, DurabilityBatch>(path, owner));
    }

    /// <summary>A barrier: make every file written so far durable; the batch stays open.</summary>
    public void Sync()
    {
        // Held while syncing, so no write can check a path as durable while its sync is still running.
        lock (_gate)
        {
            if (_files.Count == 0) return;
            FileSystemSync.Sync(_files);
            Forget();
        }
    }

    /// <summary>Sync and close: files written through this batch later are made durable by their writers.</summary>
    public void Close()
    {
        lock (_gate)
        {
            if (_closed) return;
            _closed = true;
            try
            {
                if (_files.Count > 0) FileSystemSync.Sync(_files);
            }
            finally
            {
                Forget(); // after a failed sync nothing is known about these files; the error says so
            }
        }
    }

    private void Forget()
    {
        foreach (string file in _files) s_pending.TryRemove(new KeyValuePair<string, DurabilityBatch>(file, this));
        _files.Clear();
    }
}
