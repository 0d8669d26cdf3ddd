using System.Buffers;
using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Auki.Catalog;
using Auki.Json;
using Auki.Logs;
using Auki.Registry;
using Auki.Sessions;
using MQTTnet;

namespace Auki.Domains;

/// <summary>
/// The owner's side of <c>/auki/stream</c> over MQTT: answers stream requests with Accept or
/// Decline, then serves each accepted stream from one <see cref="LogTail"/> positioned at the
/// requested start, so history and live entries come through one position (no gap, no
/// duplicate). Batches small entries into one message; keeps at most a window of unacknowledged
/// messages and bytes in flight per stream so a slow reader never makes the broker queue or drop.
/// </summary>
internal sealed class StreamServer
{
    /// <summary>Small entries are batched up to this many bytes per message.</summary>
    public const int MaxBatchBytes = 64 * 1024;
    public const int MaxBatchEntries = 8192;
    public const int WindowMessages = 32;
    public const long WindowBytes = 64L * 1024 * 1024;
    public const int PublishesInFlight = 4;
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(2);

    internal static readonly ArrayPool<byte> Buffers = ArrayPool<byte>.Create(16 * 1024 * 1024, 16);

    private readonly Domain _domain;
    private readonly ConcurrentDictionary<string, ServedStream> _streams = new(StringComparer.Ordinal);
    private readonly object _admission = new();

    public StreamServer(Domain domain) => _domain = domain;

    public int Count => _streams.Count;

    /// <summary>A stream whose requester acknowledged nothing (heartbeats included) for this long ends (tests shorten it).</summary>
    public TimeSpan IdleExpiry { get; set; } = DomainLimits.StreamIdleExpiry;

    /// <summary>A stream request arrived on this peer's <c>in/stream</c> topic.</summary>
    public void OnRequest(MqttApplicationMessage message, byte[] payload)
    {
        string? responseTopic = message.ResponseTopic;
        if (string.IsNullOrEmpty(responseTopic)) return;
        int generation = _domain.Link.Generation;
        _ = Task.Run(() => StartAsync(responseTopic, payload, generation));
    }

    private async Task StartAsync(string responseTopic, byte[] payload, int generation)
    {
        ServedStream? stream = null;
        try
        {
            var request = JsonFields.Of(JsonText.Parse(payload), "struct StreamRequest");
            string streamId = request.String("stream_id");
            string requester = request.String("requester");
            string source = request.String("source_peer_id");
            string resourceId = request.String("resource_id");
            var readFrom = ReadFrom.FromJson(request.Required("read_from"));
            long skip = request.Has("skip") ? (long)request.U64("skip") : 0;
            // Answers go to the requester's own stream topic only: this peer is nobody's amplifier.
            if (responseTopic != _domain.Topics.StreamData(requester, streamId)) return;

            // Our own log, or a copy this peer materializes (and advertises) of another peer's.
            LogHandle? log = source.Length == 0 || source == _domain.PeerId
                ? _domain.Session.FindLog(resourceId)
                : _domain.FindMaterialization(new LogRef(source, resourceId))?.Handle;
            if (log is null)
            {
                string what = source.Length == 0 ? resourceId : source + "/" + resourceId;
                using var deadline = _domain.NewDeadline();
                await _domain.Link.PublishAsync(responseTopic, StreamProtocol.Text(StreamProtocol.Decline,
                    $"unknown log {what}: peer {_domain.PeerId} has no such log"), token: deadline.Token).ConfigureAwait(false);
                return;
            }

            var candidate = new ServedStream(_domain, this, requester, streamId, responseTopic, log, readFrom, skip, generation);
            string? refused = Admit(candidate, out bool repeated);
            if (repeated) return; // a repeated request (QoS 1 redelivery)
            if (refused is not null)
            {
                using var deadline = _domain.NewDeadline();
                await _domain.Link.PublishAsync(responseTopic, StreamProtocol.Text(StreamProtocol.Decline, refused), token: deadline.Token).ConfigureAwait(false);
                return;
            }
            stream = candidate;
            await stream.RunAsync().ConfigureAwait(false);
        }
        catch (Exception)
        {
            // A malformed request or a failed publish ends that stream only; the reader resumes.
        }
        finally
        {
            if (stream is not null) _streams.TryRemove(new KeyValuePair<string, ServedStream>(Key(stream.Requester, stream.StreamId), stream));
        }
    }

    /// <summary>Register a stream unless it repeats one or a count bound (<see cref="DomainLimits"/>) is reached: the Decline reason then.</summary>
    private string? Admit(ServedStream stream, out bool repeated)
    {
        repeated = false;
        lock (_admission)
        {
            var key = Key(stream.Requester, stream.StreamId);
            if (_streams.ContainsKey(key)) { repeated = true; return null; }
            int total = _streams.Count, mine = 0;
            foreach (var s in _streams.Values) if (s.Requester == stream.Requester) mine++;
            if (mine >= DomainLimits.MaxStreamsPerRequester)
                return $"{DomainLimits.BusyReason}: peer {_domain.PeerId} serves {mine} streams to {stream.Requester} (at most {DomainLimits.MaxStreamsPerRequester} per requester)";
            if (total >= DomainLimits.MaxStreams)
                return $"{DomainLimits.BusyReason}: peer {_domain.PeerId} serves {total} streams (at most {DomainLimits.MaxStreams})";
            _streams[key] = stream;
            return null;
        }
    }

    /// <summary>An acknowledgement or a cancel on this peer's <c>in/ctl</c> topic.</summary>
    public void OnControl(byte[] payload)
    {
        try
        {
            var f = JsonFields.Of(JsonText.Parse(payload), "struct StreamControl");
            if (!_streams.TryGetValue(Key(f.String("requester"), f.String("stream_id")), out var stream)) return;
            if (f.Has("cancel")) stream.Cancel();
            else stream.Ack(f.I64("ack"));
        }
        catch (AukiException)
        {
        }
    }

    /// <summary>The requester left the domain (its catalog was cleared): its streams go.</summary>
    public void CancelFor(string requester)
    {
        foreach (var s in _streams.Values) if (s.Requester == requester) s.Cancel();
    }

    /// <summary>The connection was lost: every stream ends; readers re-request when they are back.</summary>
    public void CancelAll()
    {
        foreach (var s in _streams.Values) s.Cancel();
    }

    /// <summary>Leaving: tell every reader with an EndOfStream, then stop.</summary>
    public async Task EndAllAsync(string reason, CancellationToken token)
    {
        var all = _streams.Values.ToArray();
        foreach (var s in all) s.Cancel();
        foreach (var s in all)
        {
            await s.Finished.WaitAsync(token).ConfigureAwait(false);
            try
            {
                await _domain.Link.PublishAsync(s.ResponseTopic, StreamProtocol.Text(StreamProtocol.EndOfStream, reason), token: token).ConfigureAwait(false);
            }
            catch (AukiException) { }
        }
    }

    private static string Key(string requester, string streamId) => requester + "\0" + streamId;
}

/// <summary>One accepted stream on the owner's side.</summary>
internal sealed class ServedStream
{
    private readonly Domain _domain;
    private readonly LogHandle _log;
    private readonly ReadFrom _readFrom;
    private readonly long _skip;
    private readonly int _generation;
    private readonly CancellationTokenSource _cancel = new();
    private readonly object _gate = new();
    private readonly Queue<(long LastSeq, long Bytes)> _unacked = new();
    private readonly SemaphoreSlim _acked = new(0);
    private readonly TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _unackedBytes;
    private long _lastAckTicks = Environment.TickCount64;

    private readonly StreamServer _server;

    public ServedStream(Domain domain, StreamServer server, string requester, string streamId, string responseTopic, LogHandle log,
        ReadFrom readFrom, long skip, int generation)
    {
        _server = server;
        _domain = domain;
        Requester = requester;
        StreamId = streamId;
        ResponseTopic = responseTopic;
        _log = log;
        _readFrom = readFrom;
        _skip = skip;
        _generation = generation;
    }

    public string Requester { get; }
    public string StreamId { get; }
    public string ResponseTopic { get; }
    public Task Finished => _finished.Task;

    public void Cancel()
    {
        try { _cancel.Cancel(); } catch (ObjectDisposedException) { }
        _acked.Release();
    }

    /// <summary>How long the requester has been silent (no acknowledgement or heartbeat).</summary>
    private TimeSpan IdleFor()
    {
        lock (_gate) return TimeSpan.FromMilliseconds(Environment.TickCount64 - _lastAckTicks);
    }

    public void Ack(long seq)
    {
        lock (_gate)
        {
            while (_unacked.Count > 0 && _unacked.Peek().LastSeq <= seq)
                _unackedBytes -= _unacked.Dequeue().Bytes;
            _lastAckTicks = Environment.TickCount64;
        }
        _acked.Release();
    }

    public async Task RunAsync()
    {
        try
        {
            await RunCoreAsync().ConfigureAwait(false);
        }
        finally
        {
            _finished.TrySetResult();
        }
    }

    private async Task RunCoreAsync()
    {
        var token = _cancel.Token;
        string root = _log.Root;
        long fromNs = long.MinValue;
        long skip = _skip;
        JsonObject? position = null;
        switch (_readFrom.Kind)
        {
            case "latest":
                (long? last, long count) = Materialization.LastLocalEntry(root);
                if (last is long l)
                {
                    fromNs = l;
                    skip = count;
                    position = new JsonObject { ["timestamp_ns"] = l, ["skip"] = count };
                }
                break;
            case "from_timestamp":
                fromNs = _readFrom.TimestampNs!.Value;
                position = new JsonObject { ["timestamp_ns"] = fromNs, ["skip"] = skip };
                break;
        }
        var accept = new JsonObject
        {
            ["manifest"] = _log.Manifest.DeepClone(),
            ["row"] = CatalogRows.Row(_domain.Session, _log),
            ["position"] = position,
        };
        await _domain.Link.PublishAsync(ResponseTopic, StreamProtocol.Json(StreamProtocol.Accept, accept), token: token).ConfigureAwait(false);

        using var tail = LogTail.OpenAt(root, fromNs == long.MinValue ? null : fromNs);
        var inFlight = new Queue<(Task Publish, byte[] Buffer)>();
        long seq = 0;
        try
        {
            while (!token.IsCancellationRequested)
            {
                if (_domain.Link.Generation != _generation) return; // reconnected: the reader asks again
                if (IdleFor() > _server.IdleExpiry)
                {
                    await _domain.Link.PublishAsync(ResponseTopic, StreamProtocol.Text(StreamProtocol.EndOfStream,
                        $"{StreamProtocol.ExpiredReason}: no acknowledgement from {Requester} for {Timeouts.Seconds(_server.IdleExpiry)} s"),
                        token: token).ConfigureAwait(false);
                    return;
                }
                bool sealedBefore = _log.Data.IsSealed; // sealed.json is written after the last entry
                var batch = NextBatch(tail, ref fromNs, ref skip, ref seq, out string? tooLarge);
                if (tooLarge is not null)
                {
                    // Readers take no entry above the limit (nor would the broker deliver it): end here, with the reason.
                    if (batch.Buffer is not null) StreamServer.Buffers.Return(batch.Buffer);
                    await _domain.Link.PublishAsync(ResponseTopic, StreamProtocol.Text(StreamProtocol.EndOfStream, tooLarge), token: token).ConfigureAwait(false);
                    return;
                }
                if (batch.Buffer is null)
                {
                    if (inFlight.Count > 0) { await DrainOne(inFlight).ConfigureAwait(false); continue; }
                    if (sealedBefore)
                    {
                        await _domain.Link.PublishAsync(ResponseTopic, StreamProtocol.Text(StreamProtocol.EndOfStream, StreamProtocol.SealedReason), token: token).ConfigureAwait(false);
                        return;
                    }
                    await Task.Delay(StreamServer.PollInterval, token).ConfigureAwait(false);
                    continue;
                }
                await WaitForCredit(batch.Length, token).ConfigureAwait(false);
                lock (_gate)
                {
                    _unacked.Enqueue((seq - 1, batch.Length));
                    _unackedBytes += batch.Length;
                }
                var publish = _domain.Link.PublishAsync(ResponseTopic, new ReadOnlySequence<byte>(batch.Buffer, 0, batch.Length),
                    token: token);
                inFlight.Enqueue((publish, batch.Buffer));
                while (inFlight.Count >= StreamServer.PublishesInFlight) await DrainOne(inFlight).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
        finally
        {
            while (inFlight.Count > 0)
            {
                var (publish, buffer) = inFlight.Dequeue();
                try { await publish.ConfigureAwait(false); } catch (Exception) { }
                StreamServer.Buffers.Return(buffer);
            }
        }
    }

    private static async Task DrainOne(Queue<(Task Publish, byte[] Buffer)> inFlight)
    {
        var (publish, buffer) = inFlight.Dequeue();
        try
        {
            await publish.ConfigureAwait(false);
        }
        finally
        {
            StreamServer.Buffers.Return(buffer);
        }
    }

    private async Task WaitForCredit(long bytes, CancellationToken token)
    {
        while (true)
        {
            lock (_gate)
            {
                if (_unacked.Count == 0 || (_unacked.Count < StreamServer.WindowMessages && _unackedBytes + bytes <= StreamServer.WindowBytes))
                    return;
                if (Environment.TickCount64 - _lastAckTicks > _server.IdleExpiry.TotalMilliseconds)
                    throw new OperationCanceledException("stream reader stalled", token);
            }
            await _acked.WaitAsync(TimeSpan.FromMilliseconds(200), token).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Read available entries into one message: up to <see cref="StreamServer.MaxBatchBytes"/> (a larger
    /// entry goes alone) and <see cref="StreamServer.MaxBatchEntries"/>. Buffer null when nothing is available.
    /// </summary>
    // The tail reports entries retention evicted before it read them (NotFound) once, then goes on with
    // the oldest entries still there. What is gone cannot be served: the stream goes on with what is
    // left instead of failing the batch it is building (consumers see the next timestamps).
    private static bool TryNextKept(LogTail tail, out long ts, out ReadOnlySpan<byte> payload)
    {
        for (int reports = 0; ; reports++)
        {
            try
            {
                return tail.TryNext(out ts, out payload);
            }
            catch (AukiException e) when (e.Code == AukiErrorCode.NotFound && reports < 16)
            {
                // evicted under the tail: already reported by it, nothing to send for those entries
            }
        }
    }

    private static (byte[]? Buffer, int Length) NextBatch(LogTail tail, ref long fromNs, ref long skip, ref long seq, out string? tooLarge)
    {
        tooLarge = null;
        byte[]? buffer = null;
        int length = StreamProtocol.BatchHeaderSize;
        int count = 0;
        while (count < StreamServer.MaxBatchEntries && length < StreamServer.MaxBatchBytes && TryNextKept(tail, out long ts, out ReadOnlySpan<byte> payload))
        {
            if (ts < fromNs) continue;
            if (skip > 0)
            {
                if (ts == fromNs) { skip--; continue; }
                skip = 0;
            }
            if (payload.Length > DomainLimits.MaxEntryBytes)
            {
                tooLarge = $"entry at {ts} has {payload.Length} bytes: streams carry entries up to {DomainLimits.MaxEntryBytes} bytes";
                return (buffer, length);
            }
            int need = length + StreamProtocol.EntryHeaderSize + payload.Length;
            if (buffer is null || buffer.Length < need)
            {
                var bigger = StreamServer.Buffers.Rent(Math.Max(need, buffer is null ? 64 * 1024 : buffer.Length * 2));
                if (buffer is not null)
                {
                    buffer.AsSpan(0, length).CopyTo(bigger);
                    StreamServer.Buffers.Return(buffer);
                }
                buffer = bigger;
            }
            StreamProtocol.WriteEntryHeader(buffer.AsSpan(length), ts, seq++, payload.Length);
            payload.CopyTo(buffer.AsSpan(length + StreamProtocol.EntryHeaderSize));
            length = need;
            count++;
        }
        if (buffer is null) return (null, 0);
        buffer[0] = StreamProtocol.Entries;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(buffer.AsSpan(1), (uint)count);
        return (buffer, length);
    }
}
