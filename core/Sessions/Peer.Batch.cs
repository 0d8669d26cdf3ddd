using Auki.Registry;
using Auki.Storage;

namespace Auki.Sessions;

public sealed partial class Peer
{
    private DurabilityBatch? _batch;
    private int _batchDepth;

    /// <summary>
    /// Open a registration batch (beyond upstream): until the matching <see cref="CommitBatch"/>, the
    /// registrations of this peer and its sessions — from any thread, as in a database connection's
    /// transaction — write each file atomically but leave its fsync to the commit, which makes all of
    /// them durable at once. A batch is not a transaction: each registration that returned is there
    /// and readable at once, one that failed wrote nothing, and the others are unaffected. Batches
    /// nest; the outermost commit syncs. A file that names one not yet durable waits for it (a
    /// barrier): a sensor for its frame, a log's manifest for its entries, a log's first append or
    /// tail for its manifest, a domain's catalog for all of them.
    /// </summary>
    public RegistrationBatch BeginBatch()
    {
        lock (_gate)
        {
            _batch ??= new DurabilityBatch();
            _batchDepth++;
        }
        return new RegistrationBatch(this);
    }

    /// <summary>
    /// Close the innermost open batch; the outermost makes everything the batch wrote durable
    /// (one <c>syncfs</c> per file system) before it returns. InvalidArgument without an open batch;
    /// an I/O error if the system reports one while syncing (what the batch wrote may then be lost).
    /// </summary>
    public void CommitBatch()
    {
        DurabilityBatch? closing;
        lock (_gate)
        {
            if (_batchDepth == 0) throw AukiException.Invalid($"no registration batch is open on peer {PeerId}");
            if (--_batchDepth > 0) return;
            closing = _batch;
            _batch = null;
        }
        IoErrors.Guard(() => closing!.Close(), "io: ");
    }

    /// <summary>True while a batch is open.</summary>
    public bool InBatch { get { lock (_gate) return _batchDepth > 0; } }

    /// <summary>Make everything the open batch wrote so far durable (a barrier); a no-op without one.</summary>
    public void SyncBatch()
    {
        var batch = Deferred;
        if (batch is not null) IoErrors.Guard(batch.Sync, "io: ");
    }

    /// <summary>The open batch's deferred durability, or null: registrations are then durable on return.</summary>
    internal DurabilityBatch? Deferred { get { lock (_gate) return _batch; } }

    /// <summary>Before writing a file that names <paramref name="path"/>: make that file durable if a batch has not yet.</summary>
    internal void Require(string path) => IoErrors.Guard(() => DurabilityBatch.Require(path, Deferred), "io: ");

    /// <summary><see cref="Require(string)"/> for a registry entry a manifest names.</summary>
    internal void Require(RegistryKind kind, RegistryRef reference)
    {
        if (!Hashing.ContentHash.IsWellFormed(reference.Hash)) return; // names no file, so none can be pending
        string path;
        try { path = RegistryStore.EntryPath(StorageRoot, kind, reference.PeerId, reference.Id, reference.Hash); }
        catch (AukiException) { return; } // an id that cannot be a path names no file either
        Require(path);
    }
}
