namespace Auki.Inspect;

/// <summary>One peer directory's logs, grouped by boot session (as <c>auki ls</c> shows them).</summary>
/// <param name="PeerId">The peer directory name.</param>
/// <param name="BootSessions">Its boot sessions in listing order.</param>
public sealed record StorePeer(string PeerId, IReadOnlyList<StoreBootSession> BootSessions)
{
    /// <summary>The distinct <c>app_id</c>s its manifests name, in order of first appearance.</summary>
    public IReadOnlyList<string> AppIds =>
        BootSessions.SelectMany(b => b.Logs).Select(l => l.AppId).OfType<string>().Distinct().ToList();

    /// <summary>Logs over all its boot sessions.</summary>
    public int LogCount => BootSessions.Sum(b => b.Logs.Count);

    /// <summary>Entries over all its logs.</summary>
    public long Entries => BootSessions.Sum(b => b.Entries);

    /// <summary>Segment bytes over all its logs.</summary>
    public long Bytes => BootSessions.Sum(b => b.Bytes);
}

/// <summary>
/// One boot session of a peer (or, for era A, the logs under <c>&lt;root&gt;/logs/</c> naming one
/// <c>session_id</c>): its logs and their totals. The time range spans its logs' own clocks, which
/// for one boot session are its monotonic and UTC clocks: compare logs, not sessions, across clocks.
/// </summary>
/// <param name="PeerId">The peer directory name.</param>
/// <param name="BootSessionId">The boot session id; null for era-A logs whose manifests name none.</param>
/// <param name="Standalone">True for era-A logs under <c>&lt;root&gt;/logs/</c>.</param>
/// <param name="Logs">Its logs by resource id.</param>
public sealed record StoreBootSession(string PeerId, string? BootSessionId, bool Standalone, IReadOnlyList<StoreLog> Logs)
{
    /// <summary>The first <c>app_id</c> its manifests name, or null.</summary>
    public string? AppId => Logs.Select(l => l.AppId).FirstOrDefault(a => a is not null);

    /// <summary>Entries over its logs.</summary>
    public long Entries => Logs.Sum(l => l.Entries);

    /// <summary>Segment bytes over its logs.</summary>
    public long Bytes => Logs.Sum(l => l.Bytes);

    /// <summary>The earliest first entry over its logs, or null when none holds an entry.</summary>
    public long? MinTimestampNs => Logs.Select(l => l.FirstTimestampNs).Min();

    /// <summary>The latest last entry over its logs, or null when none holds an entry.</summary>
    public long? MaxTimestampNs => Logs.Select(l => l.LastTimestampNs).Max();
}

/// <summary>Groups a walker's listing (already ordered by peer, boot session, resource id) into peers and boot sessions.</summary>
public static class StoreGroups
{
    /// <summary>Peers in listing order, each with its boot sessions in listing order.</summary>
    public static IReadOnlyList<StorePeer> Peers(IReadOnlyList<StoreLog> logs) =>
        logs.GroupBy(l => l.PeerId, StringComparer.Ordinal)
            .Select(peer => new StorePeer(peer.Key, peer
                .GroupBy(l => (l.BootSessionId, l.Standalone))
                .Select(b => new StoreBootSession(peer.Key, b.Key.BootSessionId, b.Key.Standalone, b.ToList()))
                .ToList()))
            .ToList();
}
