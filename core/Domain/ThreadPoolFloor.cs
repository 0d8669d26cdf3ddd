namespace Auki.Domains;

/// <summary>
/// A floor under the thread pool's minimum worker count, raised when a session joins a domain.
/// A domain's work runs on the pool as async code, but some of it blocks a worker for a while: a
/// served stream reads its next entries from disk synchronously (a 6.9 MB frame is milliseconds),
/// a catalog publish reads each log's totals. With the pool's default minimum (one worker per
/// core, two here) two such reads leave a control reply, a registry fetch or a new stream's accept
/// queued until the pool's starvation heuristic adds a thread, which it does about twice a
/// second: that was the tail of <c>open_stream</c> and <c>resolve_static_transform</c> under a
/// camera stream (docs/benchmarks.md, Domains). The minimum only lets the pool start that many
/// workers at once when work is queued; idle ones retire as before. It is only ever raised.
/// </summary>
internal static class ThreadPoolFloor
{
    /// <summary>Workers the pool may start without delay (a few blocked readers plus the control traffic).</summary>
    public const int MinWorkers = 16;

    public static void Ensure()
    {
        ThreadPool.GetMinThreads(out int workers, out int completionPorts);
        if (workers < MinWorkers) ThreadPool.SetMinThreads(MinWorkers, completionPorts);
    }
}
