using System.Buffers;
using System.Text;
using System.Text.Json.Nodes;
using Auki.Json;
using Auki.Registry;

namespace Auki.Domains;

/// <summary>What <see cref="RemoteStream.Next"/> found.</summary>
public enum StreamNext
{
    /// <summary>An entry.</summary>
    Entry,
    /// <summary>Nothing arrived within the timeout.</summary>
    Timeout,
    /// <summary>The stream ended (<see cref="RemoteStream.EndReason"/> says why).</summary>
    End,
}

/// <summary>
/// The reading side of a stream: upstream's Accept / Decline / Entry / EndOfStream over MQTT.
/// It is served by the log's owner or, when the owner is not in the domain, by a member that
/// advertises a materialized copy (<see cref="Server"/>). Survives lost connections: after a
/// reconnect, a gap in sequence numbers, or (for a persistent stream) its server leaving — it then
/// moves to another advertiser, or waits — and the owner coming back, it asks again from its last
/// received entry (<c>from_timestamp(last)</c>, skipping the entries at that timestamp it already
/// holds), so no entry is lost or repeated. Entries above the server's chunk size arrive in chunks and
/// are taken all or nothing: a missing or out-of-order chunk drops the partial entry and asks again from
/// the last whole one. Grants the server credit as it consumes (a window of
/// <see cref="DomainLimits.StreamWindowBytes"/> beyond what was taken), so at most that much is ever
/// queued for a slow consumer. Starts on the small lane (its own connection, a window of
/// <see cref="DomainLimits.SmallStreamWindowBytes"/>, no chunks) so its Accept and first entries never
/// wait behind another stream's frames; moves to the bulk lane when its server says so (MoveToBulk).
/// Thread-safe; <see cref="Next"/> blocks.
/// </summary>
public sealed class RemoteStream : IDisposable
{
    private const int AckEveryMessages = 4;
    private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(2);

    /// <summary>How long an accepted stream may stay silent while its server advertises entries it has not sent.</summary>
    private static readonly TimeSpan SilentAfter = TimeSpan.FromSeconds(5);

    private readonly Domain _domain;
    private readonly ReadFrom _initial;
    private readonly bool _persistent;
    private readonly object _gate = new();
    private readonly Queue<QueuedEntry> _queue = new();
    private string _streamId = "";
    private string _server;
    private long? _serverMissingSince;
    private long _expectedSeq;
    private long? _lastTs;
    private long _countAtLast;
    private bool _resumeFromStart;
    private long _delivered;
    private int _consumedSinceAck;
    private TaskCompletionSource<bool>? _firstAccept;
    private Task<bool>? _asked; // the first request's answer (Ask), kept for AwaitAccept after OnMessage clears _firstAccept
    private bool _awaitingAccept;
    private long _requestedAtTicks;
    private bool _waitingForOwner;
    private bool _ended;
    private bool _refusedStream;
    private long _lastAckSeq = -1;
    private long _consumedBytes;
    private long _releasedSinceAck;
    private Partial? _partial;
    // Lanes (protocol 3): a stream starts on the small lane unless its server speaks only protocol 2, and stays on
    // the bulk lane once its server moved it there; the credit window is the current lane's.
    private bool _bulk;
    private bool _small;
    private long _window = DomainLimits.StreamWindowBytes;
    // Payload arrays of chunked entries the consumer handed back (Recycle): a camera's frames all have one size, so
    // reassembly reuses them instead of allocating a frame-sized (large-object heap) array per frame.
    private readonly Stack<byte[]> _spare = new();
    private const int MaxSpare = 4;
    // Observability (Status): what arrived, when, how fast; the state last reported to DomainLog.
    private long _receivedEntries, _receivedBytes, _lastMessageTicks = Environment.TickCount64;
    private long? _firstTs, _takenTs;
    private long _rateStartTicks = Environment.TickCount64, _rateBytes;
    private double _rate;
    private string _reportedState = "connecting";
    private long _lastControlTicks;
    private AukiException? _failure;
    private Timer? _watchdog;

    /// <summary>An entry and, on the last entry a message (or an entry's chunks) carried, that message's bytes: credit to give back once it is taken.</summary>
    private readonly record struct QueuedEntry(StreamEntry Entry, bool EndOfMessage, string StreamId, long ReleaseBytes);

    /// <summary>An entry arriving in chunks: its header, the bytes so far, and the bytes of the chunk messages that carried them.</summary>
    private sealed class Partial(long timestampNs, long seq, byte[] payload)
    {
        public long TimestampNs { get; } = timestampNs;
        public long Seq { get; } = seq;
        public byte[] Payload { get; } = payload;
        public int Received { get; set; }
        public long MessageBytes { get; set; }
    }

    internal RemoteStream(Domain domain, LogRef logRef, string server, ReadFrom readFrom, bool persistent)
    {
        _domain = domain;
        LogRef = logRef;
        _server = server;
        _initial = readFrom;
        _persistent = persistent;
    }

    /// <summary>The log this stream reads.</summary>
    public LogRef LogRef { get; }

    /// <summary>The peer serving this stream now: the owner, or a member with a materialized copy.</summary>
    public string Server { get { lock (_gate) return _server; } }

    /// <summary>The log's manifest from the first Accept (a copy's names its materializer as <c>writer_peer_id</c>).</summary>
    public JsonObject? Manifest { get; private set; }

    /// <summary>The server's catalog row of the log, from its latest Accept.</summary>
    public JsonObject? Row { get; private set; }

    /// <summary>What <c>auki_stream_manifest</c> reports: <c>{"manifest", "row", "log_ref"}</c> (copies; null until accepted).</summary>
    public JsonObject Describe() => new()
    {
        ["manifest"] = Manifest?.DeepClone(),
        ["row"] = Row?.DeepClone(),
        ["log_ref"] = LogRef.ToJson(),
    };

    /// <summary>Why the stream ended (EndOfStream reason), once it has.</summary>
    public string? EndReason { get; private set; }

    /// <summary>Entries received and not yet taken.</summary>
    public int Queued { get { lock (_gate) return _queue.Count; } }

    /// <summary>
    /// Resume after the given last entry instead of at the requested start: ask for
    /// <c>from_timestamp(lastTs)</c> and drop the <paramref name="countAtLast"/> entries with that timestamp already held.
    /// </summary>
    internal void ResumeAfter(long lastTs, long countAtLast)
    {
        _lastTs = lastTs;
        _countAtLast = countAtLast;
    }

    /// <summary>Ask the server and wait for its Accept within <paramref name="deadline"/> (Timeout, NotFound on a Decline).</summary>
    internal void Open(Deadline deadline)
    {
        Ask();
        AwaitAccept(deadline);
    }

    /// <summary>Send the first request; <see cref="AwaitAccept"/> waits for its answer (NotFound when the server is not in the domain).</summary>
    internal void Ask()
    {
        if (!_domain.Book.Has(_server))
            throw AukiException.NotFound($"peer {Ids.RustDebug.Str(_server)} is not in domain {Ids.RustDebug.Str(_domain.DomainId)}");
        var accept = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate) _firstAccept = accept;
        _asked = accept.Task;
        Request();
    }

    /// <summary>Wait within <paramref name="deadline"/> for the Accept of the request <see cref="Ask"/> sent (Timeout; NotFound on a Decline); disposes the stream when it fails.</summary>
    internal void AwaitAccept(Deadline deadline)
    {
        var asked = _asked ?? throw new InvalidOperationException("AwaitAccept before Ask");
        bool answered;
        try
        {
            answered = asked.Wait(deadline.Remaining);
        }
        catch (AggregateException e) when (e.InnerException is AukiException inner)
        {
            Dispose();
            throw AukiException.Again(inner);
        }
        if (!answered)
        {
            Dispose();
            throw AukiException.Timeout($"no answer from peer {Ids.RustDebug.Str(Server)} to a stream request for {LogRef} within {Timeouts.Seconds(deadline.Budget)} s (request_timeout)");
        }
        _watchdog = new Timer(_ => Watchdog(), null, 500, 500);
    }

    /// <summary>Send a (new) request from where this stream is; the previous stream id is dropped.</summary>
    private void Request(string? previousServer = null)
    {
        string oldId, newId, server;
        bool small;
        JsonObject request;
        lock (_gate)
        {
            if (_ended) return;
            server = _server;
            oldId = _streamId;
            newId = Ids.Ulid.NewUlid();
            _streamId = newId;
            _expectedSeq = 0;
            _refusedStream = false;
            _lastAckSeq = -1;
            _consumedBytes = 0;
            _releasedSinceAck = 0;
            _partial = null; // all or nothing: a half-received entry of the old stream is dropped; it comes again whole
            _lastControlTicks = Environment.TickCount64;
            _consumedSinceAck = 0;
            _awaitingAccept = true;
            small = !_bulk && _domain.Book.Protocol(server) >= StreamProtocol.SmallLaneVersion;
            _small = small;
            _window = small ? DomainLimits.SmallStreamWindowBytes : DomainLimits.StreamWindowBytes;
            _requestedAtTicks = Environment.TickCount64;
            // Entries of the old stream still queued stay valid; ack state starts over.
            ReadFrom from;
            long skip = 0;
            if (_lastTs is long last) { from = ReadFrom.FromTimestamp(last); skip = _countAtLast; }
            else if (_resumeFromStart) from = ReadFrom.FromStart;
            else from = _initial;
            request = new JsonObject
            {
                ["stream_id"] = newId,
                ["requester"] = _domain.PeerId,
                ["source_peer_id"] = LogRef.SourcePeerId,
                ["resource_id"] = LogRef.ResourceId,
                ["read_from"] = from.ToJson(),
                ["skip"] = skip,
                ["credit"] = _window,
            };
        }
        _domain.SwapStream(oldId, newId, this);
        if (oldId.Length > 0)
            DomainLog.Write(DomainLog.Info, $"stream of {LogRef}: asking peer {server} again{(_lastTs is long t ? $" from timestamp {t}" : "")}");
        if (oldId.Length > 0) SendControl(previousServer ?? server, oldId, new JsonObject { ["cancel"] = true });
        _domain.PublishInBackground(_domain.Topics.StreamRequests(server), CanonicalJson.Serialize(request),
            small ? _domain.Topics.SmallStreamData(_domain.PeerId, newId) : _domain.Topics.StreamData(_domain.PeerId, newId));
    }

    private void Watchdog()
    {
        bool again;
        string? silent = null;
        (string Server, string StreamId, long Ack, long Credit)? heartbeat = null;
        lock (_gate)
        {
            if (!_ended && _serverMissingSince is long since && !_domain.Book.Has(_server)
                && Environment.TickCount64 - since > _domain.Config.RequestTimeout.TotalMilliseconds)
            {
                // Not back after a reconnect: it left while the broker was away.
                _ended = true;
                EndReason = $"peer {_server} left the domain";
                Monitor.PulseAll(_gate);
                return;
            }
            again = !_ended && !_waitingForOwner && _awaitingAccept && _domain.Link.IsConnected
                && Environment.TickCount64 - _requestedAtTicks > RetryAfter.TotalMilliseconds;
            // An accepted stream that fell silent while its server advertises entries it has not sent, with
            // everything received taken (so credit is not what holds it), is lost: its server stream ended
            // while the broker was away, and its EndOfStream with it, so heartbeats go to a stream nobody
            // serves. Ask again from the last entry held, as after a reconnect.
            long now = Environment.TickCount64;
            if (!again && !_ended && !_waitingForOwner && !_awaitingAccept && !_refusedStream && _queue.Count == 0
                && _domain.AllConnected
                && now - _lastMessageTicks > SilentAfter.TotalMilliseconds && now - _requestedAtTicks > SilentAfter.TotalMilliseconds
                && BehindServerLocked().Entries > 0)
            {
                silent = _server;
                again = true;
            }
            // Nothing new to acknowledge for a while (a quiet live log, a slow consumer): repeat the last
            // acknowledgement so the server does not expire the stream (DomainLimits.StreamIdleExpiry).
            if (!_ended && !_waitingForOwner && !_awaitingAccept && !_refusedStream && _streamId.Length > 0
                && Environment.TickCount64 - _lastControlTicks > _domain.StreamHeartbeat.TotalMilliseconds)
            {
                _lastControlTicks = Environment.TickCount64;
                heartbeat = (_server, _streamId, _lastAckSeq, _consumedBytes + _window);
            }
        }
        Report();
        if (silent is not null)
            DomainLog.Write(DomainLog.Info, $"stream of {LogRef}: nothing from peer {silent} for {SilentAfter.TotalSeconds:0} s while it advertises more; asking again");
        if (heartbeat is var (server, streamId, ack, credit))
            SendControl(server, streamId, new JsonObject { ["ack"] = ack, ["credit"] = credit });
        if (again) Request();
    }

    /// <summary>Tell DomainLog when the state changed to or from stalled, and when the stream ended.</summary>
    private void Report()
    {
        StreamStatus status;
        string before;
        lock (_gate)
        {
            status = StatusLocked();
            before = _reportedState;
            if (status.State == before) return;
            _reportedState = status.State;
        }
        if (status.State == "stalled")
            DomainLog.Write(DomainLog.Warning, $"stream of {LogRef} from peer {status.Server} stalled ({(Link() ? "no server or nothing arriving" : "not connected to the broker")}, {status.LagEntries} entries behind)");
        else if (status.State == "ended")
            DomainLog.Write(DomainLog.Info, $"stream of {LogRef} from peer {status.Server} ended: {status.EndReason}");
        else if (before == "stalled")
            DomainLog.Write(DomainLog.Info, $"stream of {LogRef} from peer {status.Server} {status.State.Replace('_', ' ')} again");
    }

    private bool Link() => _domain.AllConnected;

    /// <summary>A message on this stream's topic.</summary>
    internal void OnMessage(string streamId, ReadOnlySequence<byte> message)
    {
        if (message.IsEmpty) return;
        byte kind = message.FirstSpan[0];
        // A chunk is copied once, from MQTTnet's buffer into its entry's (no per-chunk array: 256 KiB ones are large-object garbage).
        byte[] payload = kind == StreamProtocol.Chunk ? [] : message.ToArray();
        bool rerequest = false;
        string? moved = null;
        (string Server, string StreamId)? cancel = null;
        lock (_gate)
        {
            if (streamId != _streamId || _ended || _refusedStream) return;
            _lastMessageTicks = Environment.TickCount64;
            if (kind is StreamProtocol.Chunk or StreamProtocol.Entries) CountRate(message.Length);
            switch (kind)
            {
                case StreamProtocol.Accept:
                    var accept = JsonText.Parse(payload.AsSpan(1)) as JsonObject;
                    Manifest ??= accept?["manifest"] as JsonObject;
                    Row = accept?["row"] as JsonObject;
                    if (_lastTs is null && !_resumeFromStart)
                    {
                        if (accept?["position"] is JsonObject position && position["timestamp_ns"] is JsonNode ts)
                        {
                            _lastTs = (long)ts;
                            _countAtLast = (long?)position["skip"] ?? 0;
                        }
                        else if (_initial.Kind == "latest") _resumeFromStart = true;
                    }
                    _awaitingAccept = false;
                    _firstAccept?.TrySetResult(true);
                    _firstAccept = null;
                    break;
                case StreamProtocol.Decline:
                    string reason = Encoding.UTF8.GetString(payload.AsSpan(1));
                    _awaitingAccept = false;
                    if (_firstAccept is { } first)
                    {
                        _firstAccept = null;
                        _ended = true;
                        first.TrySetException(Declined(reason));
                    }
                    else if (_persistent) _waitingForOwner = true;
                    else Fail(Declined(reason));
                    break;
                case StreamProtocol.Entries:
                    List<StreamEntry> entries;
                    try
                    {
                        entries = StreamProtocol.DecodeEntries(payload);
                    }
                    catch (AukiException e)
                    {
                        cancel = Refuse(e.Message);
                        break;
                    }
                    for (int i = 0; i < entries.Count; i++)
                    {
                        var e = entries[i];
                        if (e.Seq < _expectedSeq) continue; // redelivered
                        if (e.Seq > _expectedSeq) { rerequest = true; break; } // lost: ask again from the last entry held
                        if (RemoteEntries.Check(e.TimestampNs, _lastTs, e.Payload.Length) is string invalid)
                        {
                            // Refused like a local append: neither this entry nor any later one of this stream is taken.
                            cancel = Refuse(invalid);
                            break;
                        }
                        _expectedSeq++;
                        if (e.TimestampNs == _lastTs) _countAtLast++;
                        else { _lastTs = e.TimestampNs; _countAtLast = 1; }
                        _queue.Enqueue(new QueuedEntry(e, i == entries.Count - 1, streamId, i == entries.Count - 1 ? payload.Length : 0));
                        Received(e.TimestampNs, e.Payload.Length);
                    }
                    break;
                case StreamProtocol.Chunk:
                    switch (TakeChunk(message))
                    {
                        case ChunkResult.Gap: rerequest = true; break;
                        case ChunkResult.Refused: cancel = (_server, _streamId); break;
                    }
                    break;
                case StreamProtocol.MoveToBulk:
                    // Its next entry needs chunks or it has a backlog: ask again from the last entry held, on the bulk lane.
                    _bulk = true;
                    rerequest = true;
                    moved = Encoding.UTF8.GetString(payload.AsSpan(1));
                    break;
                case StreamProtocol.EndOfStream:
                    string why = Encoding.UTF8.GetString(payload.AsSpan(1));
                    if (_persistent && why.StartsWith(StreamProtocol.ExpiredReason, StringComparison.Ordinal)) rerequest = true;
                    else if (_persistent && why != StreamProtocol.SealedReason) _waitingForOwner = true;
                    else
                    {
                        _ended = true;
                        EndReason = why;
                    }
                    break;
            }
            Monitor.PulseAll(_gate);
        }
        if (cancel is var (server, refusedId)) SendControl(server, refusedId, new JsonObject { ["cancel"] = true });
        if (moved is not null) DomainLog.Write(DomainLog.Debug, $"stream of {LogRef}: moved to the bulk lane ({moved})");
        if (rerequest) Request();
    }

    private enum ChunkResult { Taken, Gap, Refused }

    /// <summary>An entry arrived whole (under the lock).</summary>
    private void Received(long ts, int length)
    {
        _receivedEntries++;
        _receivedBytes += length;
        _firstTs ??= ts;
    }

    private void CountRate(long bytes)
    {
        _rateBytes += bytes;
        long now = Environment.TickCount64, elapsed = now - _rateStartTicks;
        if (elapsed >= 1000)
        {
            _rate = _rateBytes * 1000.0 / elapsed;
            _rateBytes = 0;
            _rateStartTicks = now;
        }
    }

    /// <summary>Entries the copy held before this stream started and the first one's timestamp (materializations), so lag covers the whole log.</summary>
    internal void CountsFrom(long entries, long? firstTs)
    {
        lock (_gate)
        {
            _baseEntries = entries;
            _firstTs = firstTs ?? _firstTs;
        }
    }

    private long _baseEntries;

    /// <summary>State, lag and rate now (see <see cref="StreamStatus"/>).</summary>
    public StreamStatus Status()
    {
        lock (_gate) return StatusLocked();
    }

    /// <summary>How far behind the server's advertised log this reader is (0 when unknown: only a stream from the log's first entry knows). Under the lock.</summary>
    private (long Entries, long Ns) BehindServerLocked()
    {
        long behindEntries = 0, behindNs = 0;
        bool covering = _persistent || _initial.Kind == "from_start";
        if (covering && _domain.Book.Row(_server, LogRef.SourcePeerId, LogRef.ResourceId)?["available"] is JsonObject available)
        {
            long advertised = (long?)available["entries"] ?? 0;
            behindEntries = Math.Max(0, advertised - (_baseEntries + _receivedEntries));
            if (_firstTs is long first && _lastTs is long last && (long?)available["duration_ns"] is long duration)
                behindNs = Math.Max(0, first + duration - last);
        }
        return (behindEntries, behindNs);
    }

    private StreamStatus StatusLocked()
    {
        long now = Environment.TickCount64;
        double rate = now - _rateStartTicks > 2000 ? 0 : _rate; // nothing for 2 s: not moving
        // Behind the server: only known when this stream covers the log from its first entry.
        var (behindEntries, behindNs) = BehindServerLocked();
        long queuedNs = _queue.Count > 0 && _lastTs is long newest ? Math.Max(0, newest - (_takenTs ?? _queue.Peek().Entry.TimestampNs)) : 0;
        string state;
        if (_ended) state = "ended";
        else if (_waitingForOwner || !_domain.AllConnected) state = "stalled";
        else if (_awaitingAccept) state = "connecting";
        else if (behindEntries > 0) state = now - _lastMessageTicks > 2000 ? "stalled" : "catching_up";
        else state = "live";
        return new StreamStatus(state, _ended ? EndReason ?? _failure?.Message : null, _server, _receivedEntries, _receivedBytes, rate,
            behindEntries + _queue.Count, behindNs + queuedNs, _small ? "small" : "bulk");
    }

    /// <summary>
    /// One chunk of a large entry (under the lock). The first chunk (offset 0) is checked like a whole entry
    /// (<see cref="RemoteEntries"/>, so its announced size is bounded before anything is allocated); later ones
    /// must continue exactly where the previous one ended. Whole: queued as one entry. A chunk of an earlier
    /// entry is a redelivery (ignored); one that skips ahead is a gap (the partial entry is dropped).
    /// </summary>
    private ChunkResult TakeChunk(ReadOnlySequence<byte> message)
    {
        (long ts, long seq, uint length, uint offset) header;
        try
        {
            Span<byte> head = stackalloc byte[StreamProtocol.ChunkHeaderSize];
            if (message.Length < head.Length) throw AukiException.Corrupt("stream: chunk message too short");
            message.Slice(0, head.Length).CopyTo(head);
            header = StreamProtocol.DecodeChunkHeader(head);
        }
        catch (AukiException e)
        {
            Refuse(e.Message);
            return ChunkResult.Refused;
        }
        var (ts, seq, total, offset) = header;
        int n = (int)(message.Length - StreamProtocol.ChunkHeaderSize);
        if (seq < _expectedSeq) return ChunkResult.Taken; // redelivered
        if (seq > _expectedSeq) { _partial = null; return ChunkResult.Gap; }
        if (_partial is null)
        {
            if (offset != 0) return ChunkResult.Gap; // its first chunks were lost
            if (RemoteEntries.Check(ts, _lastTs, total) is string invalid) { Refuse(invalid); return ChunkResult.Refused; }
            _partial = new Partial(ts, seq, SpareOrNew((int)total));
        }
        var partial = _partial;
        if (offset != (uint)partial.Received) { _partial = null; return ChunkResult.Gap; }
        if (ts != partial.TimestampNs || total != (uint)partial.Payload.Length || n > partial.Payload.Length - partial.Received || n == 0)
        {
            _partial = null;
            Refuse($"stream: chunk at offset {offset} of entry {seq} does not continue it");
            return ChunkResult.Refused;
        }
        message.Slice(StreamProtocol.ChunkHeaderSize).CopyTo(partial.Payload.AsSpan(partial.Received));
        partial.Received += n;
        partial.MessageBytes += message.Length;
        if (partial.Received < partial.Payload.Length) return ChunkResult.Taken;
        _partial = null;
        _expectedSeq++;
        if (ts == _lastTs) _countAtLast++;
        else { _lastTs = ts; _countAtLast = 1; }
        _queue.Enqueue(new QueuedEntry(new StreamEntry(ts, seq, partial.Payload), true, _streamId, partial.MessageBytes));
        Received(ts, partial.Payload.Length);
        return ChunkResult.Taken;
    }

    /// <summary>A handed-back array of exactly <paramref name="length"/> bytes, else a new one (under the lock).</summary>
    private byte[] SpareOrNew(int length)
    {
        while (_spare.TryPop(out var spare))
            if (spare.Length == length) return spare; // others are of an old size: dropped
        return GC.AllocateUninitializedArray<byte>(length);
    }

    /// <summary>
    /// The consumer is done with an entry's payload (it holds no reference to it any more): a chunked entry's
    /// array may be reused for the next entry of the same size. Internal consumers only (materialization).
    /// </summary>
    internal void Recycle(byte[] payload)
    {
        if (payload.Length < 64 * 1024) return; // small arrays are cheap to allocate
        lock (_gate)
            if (_spare.Count < MaxSpare) _spare.Push(payload);
    }

    /// <summary>
    /// The server sent an entry a local append would refuse (or a malformed batch): the stream stops taking
    /// anything from this server stream. A plain stream fails (its reader gets the error after the entries
    /// taken before it); a persistent one keeps the error in <see cref="Refusal"/> and waits, as after a
    /// Decline, for the catalog to name a server again. Returns the server stream to cancel. Under the lock.
    /// </summary>
    private (string Server, string StreamId) Refuse(string reason)
    {
        var error = AukiException.Corrupt(
            $"stream of {LogRef} from peer {Ids.RustDebug.Str(_server)}: refused an entry ({reason}); nothing of it was written");
        _refusedStream = true;
        _awaitingAccept = false;
        Refusal = error;
        if (_persistent) _waitingForOwner = true;
        else Fail(error);
        return (_server, _streamId);
    }

    /// <summary>Why the last entry from a server was refused (see <see cref="RemoteEntries"/>), if one was.</summary>
    public AukiException? Refusal { get; private set; }

    /// <summary>A Decline as an error: Busy when the server is at one of its stream limits, else NotFound (no such log).</summary>
    private AukiException Declined(string reason) => new(
        reason.StartsWith(DomainLimits.BusyReason, StringComparison.Ordinal) ? AukiErrorCode.Busy : AukiErrorCode.NotFound,
        $"stream declined by peer {Ids.RustDebug.Str(_server)}: {reason}");

    private void Fail(AukiException e)
    {
        _failure = e;
        _ended = true;
        Monitor.PulseAll(_gate);
    }

    /// <summary>The connection came back: ask again from the last entry received.</summary>
    internal void OnReconnected()
    {
        lock (_gate)
            if (_ended || _waitingForOwner) return;
        Request();
    }

    /// <summary>
    /// A member's catalog changed (<paramref name="present"/>: it is in the domain; <paramref name="advertises"/>:
    /// it advertises this log; <paramref name="definitive"/>: an absence its own empty catalog or last will
    /// announced, not one noticed after a reconnect). A plain stream ends when its server left; a persistent
    /// one follows <paramref name="preferred"/> (the owner when it advertises the log, else another
    /// advertiser, null when nobody does: it waits) and resumes from its last entry.
    /// </summary>
    internal void OnCatalog(string peer, bool present, bool advertises, bool definitive, string? preferred)
    {
        bool resume = false;
        string? previous = null;
        lock (_gate)
        {
            if (_ended) return;
            if (!_persistent)
            {
                if (peer != _server) return;
                if (present)
                {
                    _serverMissingSince = null;
                    resume = advertises && _awaitingAccept;
                }
                else if (definitive)
                {
                    _ended = true;
                    EndReason = $"peer {peer} left the domain";
                    Monitor.PulseAll(_gate);
                }
                else _serverMissingSince ??= Environment.TickCount64; // the watchdog ends it unless it comes back
            }
            else if (preferred is null)
            {
                if (peer == _server && !advertises) _waitingForOwner = true;
            }
            else if (preferred != _server)
            {
                previous = _server;
                _server = preferred;
                _waitingForOwner = false;
                resume = true;
            }
            else if (peer == _server && advertises && (_waitingForOwner || _awaitingAccept))
            {
                _waitingForOwner = false;
                resume = true;
            }
        }
        if (resume) Request(previous);
    }

    /// <summary>The domain was left: end the stream.</summary>
    internal void OnLeft()
    {
        lock (_gate)
        {
            if (_ended) return;
            _ended = true;
            EndReason ??= "left the domain";
            Monitor.PulseAll(_gate);
        }
    }

    /// <summary>
    /// The next entry (its <see cref="StreamEntry.Seq"/> counts entries taken from this stream, from 0),
    /// waiting up to <paramref name="timeout"/> (null = forever).
    /// </summary>
    public StreamNext Next(TimeSpan? timeout, out StreamEntry entry)
    {
        long deadline = timeout is TimeSpan t ? Environment.TickCount64 + (long)Math.Ceiling(t.TotalMilliseconds) : long.MaxValue;
        long ackSeq = -1, credit = 0;
        string ackStream = "", ackServer = "";
        lock (_gate)
        {
            while (_queue.Count == 0)
            {
                if (_failure is not null) throw AukiException.Again(_failure);
                if (_ended) { entry = default; return StreamNext.End; }
                long left = deadline - Environment.TickCount64;
                if (left <= 0) { entry = default; return StreamNext.Timeout; }
                Monitor.Wait(_gate, (int)Math.Min(left, int.MaxValue));
            }
            var q = _queue.Dequeue();
            entry = q.Entry with { Seq = _delivered++ };
            _takenTs = q.Entry.TimestampNs;
            if (q.StreamId == _streamId)
            {
                _consumedBytes += q.ReleaseBytes;
                _releasedSinceAck += q.ReleaseBytes;
            }
            // Acknowledge every few messages, when the queue ran dry, or once a quarter of the window was taken
            // (one camera frame), so the server's credit never runs out while the reader keeps up.
            if (q.EndOfMessage && q.StreamId == _streamId
                && (++_consumedSinceAck >= (_queue.Count == 0 ? 1 : AckEveryMessages) || _releasedSinceAck >= _window / 16))
            {
                _consumedSinceAck = 0;
                _releasedSinceAck = 0;
                credit = _consumedBytes + _window;
                ackSeq = q.Entry.Seq;
                _lastAckSeq = ackSeq;
                _lastControlTicks = Environment.TickCount64;
                ackStream = q.StreamId;
                ackServer = _server;
            }
        }
        if (ackSeq >= 0) SendControl(ackServer, ackStream, new JsonObject { ["ack"] = ackSeq, ["credit"] = credit });
        return StreamNext.Entry;
    }

    private void SendControl(string server, string streamId, JsonObject body)
    {
        body["stream_id"] = streamId;
        body["requester"] = _domain.PeerId;
        _domain.PublishInBackground(_domain.Topics.StreamControl(server), CanonicalJson.Serialize(body), null);
    }

    /// <summary>Stop the stream (the owner is told) and forget queued entries.</summary>
    public void Dispose()
    {
        string id, server;
        bool wasOpen;
        lock (_gate)
        {
            wasOpen = !_ended;
            _ended = true;
            EndReason ??= "closed";
            id = _streamId;
            server = _server;
            _queue.Clear();
            Monitor.PulseAll(_gate);
        }
        _watchdog?.Dispose();
        _domain.SwapStream(id, "", this);
        if (wasOpen && id.Length > 0 && _domain.Link.IsConnected) SendControl(server, id, new JsonObject { ["cancel"] = true });
    }
}
