using Auki.Inspect;
using Auki.Logs;

namespace Auki.Foxglove.Live;

/// <summary>
/// One log the server follows: its tail, its channels (the first fed by entries, the others
/// latched); its entry-fed channel maps timestamps to log time (the wall clock the MCAP export
/// uses, <see cref="FoxgloveChannel.LogTime"/>), so live and recorded data line up. Used by the feed thread only, except
/// <see cref="LastLogTimeNs"/> which subscribers read for latched messages.
/// </summary>
internal sealed class LiveLog : IDisposable
{
    private readonly LogTail _tail;

    public LiveLog(TypedLog log, LogTail tail)
    {
        Log = log;
        _tail = tail;
    }

    public TypedLog Log { get; }

    public string Directory => Log.Log.Directory;

    /// <summary>The advertised channels, the entry-fed one first (set once, right after construction).</summary>
    public IReadOnlyList<LiveChannel> Channels { get; set; } = [];

    /// <summary>Log time of the latest entry seen, or of none yet (0): what latched messages are stamped with.</summary>
    public long LastLogTimeNs => Volatile.Read(ref _lastLogTimeNs);

    private long _lastLogTimeNs;

    /// <summary>Entries whose payload did not convert (skipped; see <see cref="ShouldReport"/>).</summary>
    public long Undecodable { get; private set; }

    /// <summary>Problems of one log are told at most this often: a damaged log must not flood the clients' queues.</summary>
    private static readonly long ReportIntervalMs = 10_000;

    private long _nextReportAt = long.MinValue;

    /// <summary>True for this log's first problem and then at most once per 10 s.</summary>
    public bool ShouldReport()
    {
        long now = Environment.TickCount64;
        if (now < _nextReportAt) return false;
        _nextReportAt = now + ReportIntervalMs;
        return true;
    }

    /// <summary>
    /// The next complete entry converted to its channel's message (a fresh buffer: clients share it
    /// while it waits in their queues), or not converted (null) when no client subscribes to the
    /// channel. False when none is complete now. An entry that does not convert is skipped and
    /// returned through <paramref name="problem"/> instead.
    /// </summary>
    public bool TryNext(out long logTimeNs, out ReadOnlyMemory<byte>? message, out string? problem)
    {
        message = null;
        problem = null;
        logTimeNs = 0;
        long ts;
        ReadOnlySpan<byte> payload;
        try
        {
            if (!_tail.TryNext(out ts, out payload)) return false;
        }
        catch (AukiException e) when (e.Code == AukiErrorCode.NotFound)
        {
            // Entries evicted before we read them: the tail goes on after the gap.
            problem = e.Message;
            return true;
        }
        logTimeNs = Channels.Count > 0 ? Channels[0].Channel.LogTime(ts) : ts;
        Volatile.Write(ref _lastLogTimeNs, logTimeNs);
        if (Channels.Count == 0 || Channels[0].Subscribers == 0) return true;
        // Sized for the payload plus a message's own fields: one copy of a large image, not two.
        var buffer = new MessageBuffer(payload.Length + 256);
        try
        {
            Channels[0].Channel.Convert(ts, payload, buffer);
        }
        catch (AukiException e)
        {
            Undecodable++;
            problem = $"{Channels[0].Channel.Topic}: the entry at {ts} does not convert ({Undecodable} so far): {e.Message}";
            return true;
        }
        message = buffer.WrittenMemory;
        return true;
    }

    public void Dispose() => _tail.Dispose();
}
