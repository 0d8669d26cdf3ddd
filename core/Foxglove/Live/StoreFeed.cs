using Auki.Inspect;
using Auki.Logs;

namespace Auki.Foxglove.Live;

/// <summary>
/// The one thread that follows a storage root for a <see cref="FoxgloveServer"/>: walks the root for
/// logs (every <see cref="FoxgloveServerOptions.DiscoveryInterval"/>), keeps a <see cref="LogTail"/>
/// on each, converts every new entry once and hands it to the server, which queues it for each
/// subscribed client. It never waits for a client. Logs there when the server starts are followed
/// from their end (live viewing, not replay); logs that appear later are followed from their first
/// entry, so nothing written after the start is missed.
/// </summary>
internal sealed class StoreFeed
{
    /// <summary>Entries taken from one log before the next log gets its turn (a 1 kHz log does not starve a camera).</summary>
    private const int EntriesPerTurn = 64;

    private readonly FoxgloveServer _server;
    private readonly string _root;
    private readonly FoxgloveServerOptions _options;
    private readonly Dictionary<string, LiveLog> _logs = new(StringComparer.Ordinal);
    private readonly HashSet<string> _refused = new(StringComparer.Ordinal);
    private readonly ManualResetEventSlim _stop = new();
    private readonly Thread _thread;

    public StoreFeed(FoxgloveServer server, string root, FoxgloveServerOptions options)
    {
        _server = server;
        _root = root;
        _options = options;
        // The logs present now are read before Start returns: a client that connects right after sees them.
        Discover(initial: true);
        _thread = new Thread(Run) { IsBackground = true, Name = "auki foxglove feed" };
        _thread.Start();
    }

    /// <summary>End the thread and close every tail; returns once the thread has ended.</summary>
    public void Stop()
    {
        _stop.Set();
        _thread.Join();
        foreach (var log in _logs.Values) log.Dispose();
        _logs.Clear();
        _stop.Dispose();
    }

    private void Run()
    {
        long nextDiscovery = Environment.TickCount64 + (long)_options.DiscoveryInterval.TotalMilliseconds;
        while (!_stop.IsSet)
        {
            if (Environment.TickCount64 >= nextDiscovery)
            {
                Discover(initial: false);
                nextDiscovery = Environment.TickCount64 + (long)_options.DiscoveryInterval.TotalMilliseconds;
            }
            bool delivered = false;
            foreach (var log in _logs.Values) delivered |= Drain(log);
            if (!delivered) _stop.Wait(_options.PollInterval);
        }
    }

    /// <summary>Up to <see cref="EntriesPerTurn"/> entries of one log to the server; true if there was any.</summary>
    private bool Drain(LiveLog log)
    {
        int taken = 0;
        try
        {
            while (taken < EntriesPerTurn && log.TryNext(out long logTimeNs, out var message, out string? problem))
            {
                taken++;
                if (problem is not null && log.ShouldReport()) _server.Problem(problem);
                if (message is ReadOnlyMemory<byte> m) _server.Publish(log.Channels[0].Id, logTimeNs, m);
            }
        }
        catch (AukiException e)
        {
            // A damaged segment: say so (now and then), try again next turn (a repair may fix it).
            if (log.ShouldReport()) _server.Problem($"{log.Log.Log.FileId}: {e.Message}");
        }
        return taken > 0;
    }

    private void Discover(bool initial)
    {
        var present = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            foreach (var (logsDir, _) in StoreWalker.LogsDirectories(_root))
                foreach (var peerDir in StoreWalker.SortedDirectories(logsDir))
                    foreach (var logDir in StoreWalker.LogDirectoriesUnder(peerDir))
                    {
                        present.Add(logDir);
                        if (!_logs.ContainsKey(logDir) && !_refused.Contains(logDir)) Follow(logDir, initial);
                    }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return; // the root itself is unreadable now: keep what is followed, look again later
        }
        foreach (var gone in _logs.Keys.Where(d => !present.Contains(d)).ToList())
        {
            _server.Unadvertise(_logs[gone]);
            _logs[gone].Dispose();
            _logs.Remove(gone);
        }
    }

    private void Follow(string logDir, bool initial)
    {
        var described = StoreWalker.Describe(_root, logDir, scanSegments: false);
        // A log being declared: its manifest is written before its first entry, look again next round.
        if (described.Manifest is null && described.LogManifest is null) return;
        var typed = TypedLog.Of(described);
        IReadOnlyList<FoxgloveChannel> channels;
        LogTail tail;
        try
        {
            channels = FoxgloveProfile.ChannelsOf(typed);
            tail = initial ? LogTail.Open(logDir) : LogTail.OpenAt(logDir, null);
        }
        catch (AukiException e)
        {
            _refused.Add(logDir);
            _server.Problem($"{described.FileId} is not served: {e.Message}");
            return;
        }
        var log = new LiveLog(typed, tail);
        _logs[logDir] = log;
        _server.Advertise(log, channels);
    }
}
