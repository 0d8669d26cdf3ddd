using System.Buffers;
using System.Text.Json.Nodes;
using Auki.Catalog;
using Auki.Logs;
using Auki.Sessions;

namespace Auki.Domains;

/// <summary>
/// One accepted stream on the server's side: reads the log from one <see cref="LogTail"/>, sends small
/// entries in batches and entries above the chunk size in chunks, all on the data connection, and never
/// more Entries/Chunk bytes in total than the reader's credit (its request's <c>credit</c>, raised by
/// every acknowledgement): flow control per stream, chunk by chunk, so other streams and the control
/// connection are never stuck behind one camera frame. On the small lane it sends no chunks and keeps
/// within the small window: it moves the stream to the bulk lane instead (MoveToBulk).
/// </summary>
internal sealed class ServedStream
{
    private readonly Domain _domain;
    private readonly StreamServer _server;
    private readonly LogHandle _log;
    private readonly ReadFrom _readFrom;
    private readonly long _skip;
    private readonly (int Control, int Data, int Small) _generation;
    private readonly MqttLink _link;
    private readonly int _chunkBytes;
    private readonly CancellationTokenSource _cancel = new();
    private readonly object _gate = new();
    private readonly SemaphoreSlim _credited = new(0);
    private readonly TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);
    // Publishes awaiting the broker's PUBACK, with the pooled buffers they read from (returned once acknowledged, in order;
    // none for the Accept).
    private readonly Queue<(Task Publish, byte[]? Buffer, byte[]? Entry)> _inFlight = new();
    private long _credit;
    private long _sent;
    private long _lastAckTicks = Environment.TickCount64;

    // An entry above the chunk size read from the tail, copied (the tail's span does not outlive the next read), not yet sent.
    private (long Ts, long Seq, byte[] Payload, int Length)? _large;

    public ServedStream(Domain domain, StreamServer server, string requester, string streamId, string responseTopic, LogHandle log,
        bool small, ReadFrom readFrom, long skip, long credit, (int Control, int Data, int Small) generation)
    {
        Small = small;
        _link = domain.StreamLink(small);
        _domain = domain;
        _server = server;
        Requester = requester;
        StreamId = streamId;
        ResponseTopic = responseTopic;
        _log = log;
        _readFrom = readFrom;
        _skip = skip;
        _credit = credit;
        _generation = generation;
        _chunkBytes = domain.Config.ChunkBytes;
    }

    public string Requester { get; }
    public string StreamId { get; }
    public string ResponseTopic { get; }
    /// <summary>Whether this stream is on the small lane (the small-stream connection; moved to bulk when it outgrows it).</summary>
    public bool Small { get; }
    public Task Finished => _finished.Task;

    public void Cancel()
    {
        try { _cancel.Cancel(); } catch (ObjectDisposedException) { } // the stream finished and disposed it: nothing left to cancel
        _credited.Release();
    }

    /// <summary>How long the requester has been silent (no acknowledgement or heartbeat).</summary>
    private TimeSpan IdleFor()
    {
        lock (_gate) return TimeSpan.FromMilliseconds(Environment.TickCount64 - _lastAckTicks);
    }

    /// <summary>An acknowledgement (or heartbeat): the reader is alive; <paramref name="credit"/> (cumulative bytes) when it grants more.</summary>
    public void Ack(long? credit)
    {
        lock (_gate)
        {
            if (credit is long c && c > _credit) _credit = c;
            _lastAckTicks = Environment.TickCount64;
        }
        _credited.Release();
    }

    public async Task RunAsync()
    {
        try
        {
            await RunCoreAsync().ConfigureAwait(false);
        }
        finally
        {
            if (_large is { } large) StreamServer.Buffers.Return(large.Payload);
            _large = null;
            _finished.TrySetResult();
        }
    }

    private Task Publish(byte[] message, CancellationToken token) => _link.PublishAsync(ResponseTopic, message, token: token);

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
        // The first entries follow the Accept without waiting for its PUBACK: one connection keeps them in order, and
        // a reader opening a stream under load waits one broker round trip less (a failed Accept still ends the stream
        // when it is drained, like a failed entry).
        _inFlight.Enqueue((Publish(StreamProtocol.Json(StreamProtocol.Accept, accept), token), null, null));

        using var tail = LogTail.OpenAt(root, fromNs == long.MinValue ? null : fromNs);
        long seq = 0;
        try
        {
            while (!token.IsCancellationRequested)
            {
                // Reconnected (either connection): the reader asks again from its last entry.
                if (_domain.Generations != _generation) return;
                if (IdleFor() > _server.IdleExpiry)
                {
                    await Publish(StreamProtocol.Text(StreamProtocol.EndOfStream,
                        $"{StreamProtocol.ExpiredReason}: no acknowledgement from {Requester} for {Timeouts.Seconds(_server.IdleExpiry)} s"), token).ConfigureAwait(false);
                    return;
                }
                if (Small && _large is { } big)
                {
                    // The small lane carries no chunks: the reader asks again on the bulk lane, from its last entry.
                    await MoveToBulkAsync($"entry at {big.Ts} has {big.Length} bytes: sent in chunks on the bulk lane", token).ConfigureAwait(false);
                    return;
                }
                if (_large is { } large)
                {
                    _large = null; // from here the last chunk's publish owns the buffer (or SendChunksAsync returns it on failure)
                    await SendChunksAsync(large.Ts, large.Seq, large.Payload, large.Length, token).ConfigureAwait(false);
                    continue;
                }
                bool sealedBefore = _log.Data.IsSealed; // sealed.json is written after the last entry
                var batch = NextBatch(tail, ref fromNs, ref skip, ref seq, out string? tooLarge);
                if (tooLarge is not null)
                {
                    // Readers take no entry above the limit: end here, with the reason.
                    if (batch.Buffer is not null) StreamServer.Buffers.Return(batch.Buffer);
                    await Publish(StreamProtocol.Text(StreamProtocol.EndOfStream, tooLarge), token).ConfigureAwait(false);
                    return;
                }
                if (batch.Buffer is null)
                {
                    if (_large is not null) continue;
                    if (_inFlight.Count > 0) { await DrainOne().ConfigureAwait(false); continue; }
                    if (sealedBefore)
                    {
                        await Publish(StreamProtocol.Text(StreamProtocol.EndOfStream, StreamProtocol.SealedReason), token).ConfigureAwait(false);
                        return;
                    }
                    await Task.Delay(StreamServer.PollInterval, token).ConfigureAwait(false);
                    continue;
                }
                if (Small && !HasCredit(batch.Length))
                {
                    // A backlog beyond the small window: it would queue on the small lane ahead of other new streams.
                    StreamServer.Buffers.Return(batch.Buffer);
                    await MoveToBulkAsync($"more than {DomainLimits.SmallStreamWindowBytes} bytes not yet taken: a backlog goes on the bulk lane", token).ConfigureAwait(false);
                    return;
                }
                await SendAsync(batch.Buffer, batch.Length, token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
        finally
        {
            while (_inFlight.Count > 0)
            {
                var (publish, buffer, entry) = _inFlight.Dequeue();
                try { await publish.ConfigureAwait(false); } catch (Exception) { } // the stream is ending: only the buffer matters now
                if (buffer is not null) StreamServer.Buffers.Return(buffer);
                if (entry is not null) StreamServer.Buffers.Return(entry);
            }
        }
    }

    /// <summary>
    /// An entry above the chunk size as consecutive chunks of at most <see cref="DomainConfig.ChunkBytes"/>, in
    /// order, each a header plus a slice of <paramref name="payload"/> (no copy); the last chunk's publish
    /// returns the payload buffer to the pool once acknowledged.
    /// </summary>
    private async Task SendChunksAsync(long ts, long seq, byte[] payload, int length, CancellationToken token)
    {
        int offset = 0;
        bool handedOver = false;
        try
        {
            do
            {
                int n = Math.Min(_chunkBytes, length - offset);
                byte[] header = StreamServer.Buffers.Rent(StreamProtocol.ChunkHeaderSize);
                StreamProtocol.WriteChunkHeader(header, ts, seq, length, offset);
                bool last = offset + n == length;
                var message = ChunkSequence.Of(header.AsMemory(0, StreamProtocol.ChunkHeaderSize), payload.AsMemory(offset, n));
                offset += n;
                handedOver = last;
                await SendAsync(header, message, last ? payload : null, token).ConfigureAwait(false);
            }
            while (offset < length);
        }
        catch when (!handedOver)
        {
            // Chunks still in flight read from the payload: wait for them before the buffer is reused.
            while (_inFlight.Count > 0) { try { await DrainOne().ConfigureAwait(false); } catch (Exception) { } } // failed sends end the stream; the wait is for the buffers
            StreamServer.Buffers.Return(payload);
            throw;
        }
    }

    private Task SendAsync(byte[] buffer, int length, CancellationToken token) =>
        SendAsync(buffer, new ReadOnlySequence<byte>(buffer, 0, length), null, token);

    /// <summary>
    /// Wait for credit, then publish <paramref name="message"/>; <paramref name="buffer"/> (and <paramref name="entry"/>,
    /// when given) go back to the pool once the broker acknowledged it, or at once when no credit came.
    /// </summary>
    private async Task SendAsync(byte[] buffer, ReadOnlySequence<byte> message, byte[]? entry, CancellationToken token)
    {
        try
        {
            await WaitForCredit(message.Length, token).ConfigureAwait(false);
        }
        catch
        {
            StreamServer.Buffers.Return(buffer);
            if (entry is not null)
            {
                while (_inFlight.Count > 0) { try { await DrainOne().ConfigureAwait(false); } catch (Exception) { } } // failed sends end the stream; the wait is for the buffers
                StreamServer.Buffers.Return(entry);
            }
            throw;
        }
        lock (_gate) _sent += message.Length;
        var publish = _link.PublishAsync(ResponseTopic, message, token: token);
        _inFlight.Enqueue((publish, buffer, entry));
        while (_inFlight.Count >= StreamServer.PublishesInFlight) await DrainOne().ConfigureAwait(false);
    }

    private async Task DrainOne()
    {
        var (publish, buffer, entry) = _inFlight.Dequeue();
        try
        {
            await publish.ConfigureAwait(false);
        }
        finally
        {
            if (buffer is not null) StreamServer.Buffers.Return(buffer);
            if (entry is not null) StreamServer.Buffers.Return(entry);
        }
    }

    private bool HasCredit(long bytes)
    {
        lock (_gate) return _sent + bytes <= _credit;
    }

    /// <summary>
    /// End this small-lane stream with MoveToBulk (after everything sent before it: same topic, same connection);
    /// the reader asks again, from its last entry, on the bulk lane. Nothing is lost or sent twice.
    /// </summary>
    private async Task MoveToBulkAsync(string reason, CancellationToken token)
    {
        while (_inFlight.Count > 0) await DrainOne().ConfigureAwait(false);
        await Publish(StreamProtocol.Text(StreamProtocol.MoveToBulk, reason), token).ConfigureAwait(false);
    }

    private async Task WaitForCredit(long bytes, CancellationToken token)
    {
        while (true)
        {
            lock (_gate)
            {
                if (_sent + bytes <= _credit) return;
                if (Environment.TickCount64 - _lastAckTicks > _server.IdleExpiry.TotalMilliseconds)
                    throw new OperationCanceledException("stream reader stalled", token);
            }
            await _credited.WaitAsync(TimeSpan.FromMilliseconds(200), token).ConfigureAwait(false);
        }
    }

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

    /// <summary>
    /// Read available entries into one message: up to <see cref="StreamServer.MaxBatchBytes"/> and
    /// <see cref="StreamServer.MaxBatchEntries"/>. An entry above the chunk size ends the batch and waits in
    /// <see cref="_large"/> to go in chunks. Buffer null when no batch is ready.
    /// </summary>
    private (byte[]? Buffer, int Length) NextBatch(LogTail tail, ref long fromNs, ref long skip, ref long seq, out string? tooLarge)
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
            if (payload.Length > _chunkBytes)
            {
                byte[] copy = StreamServer.Buffers.Rent(payload.Length);
                payload.CopyTo(copy);
                _large = (ts, seq++, copy, payload.Length);
                break;
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
