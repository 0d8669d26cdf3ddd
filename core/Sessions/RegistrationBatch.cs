namespace Auki.Sessions;

/// <summary>
/// The scope of one <see cref="Peer.BeginBatch"/>: disposing it commits (<see cref="Peer.CommitBatch"/>)
/// exactly once, also when the block ends with an exception — what was registered is kept and made durable.
/// </summary>
public sealed class RegistrationBatch : IDisposable
{
    private Peer? _peer;

    internal RegistrationBatch(Peer peer) => _peer = peer;

    /// <summary>Commit this batch (idempotent).</summary>
    public void Dispose() => Interlocked.Exchange(ref _peer, null)?.CommitBatch();
}
