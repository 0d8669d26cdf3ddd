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
/// duplicate). Batches small entries into one message and sends entries above the chunk size in
/// chunks; sends no more than the reader's credit per stream, so a slow reader never makes the broker
/// queue or drop, and streams interleave chunk by chunk on the data connection. A stream asked for on
/// the small lane is answered on the small-stream connection until it needs more than that lane
/// carries (an entry in chunks, or a backlog beyond the reader's small window): it is then moved to
/// the bulk lane (<see cref="StreamProtocol.MoveToBulk"/>) and the reader asks again there.
/// </summary>
internal sealed class StreamServer
{
    /// <summary>Small entries are batched up to this many bytes per message.</summary>
    public const int MaxBatchBytes = 64 * 1024;
    public const int MaxBatchEntries = 8192;
    /// <summary>QoS 1 publishes awaiting the broker's PUBACK per stream: 16 x 256 KiB kept 127.0.0.1 busiest (docs/benchmarks.md).</summary>
    public const int PublishesInFlight = 16;
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
        var generation = _domain.Generations;
        _ = Task.Run(() => StartAsync(responseTopic, payload, generation));
    }

    private async Task StartAsync(string responseTopic, byte[] payload, (int Control, int Data, int Small) generation)
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
            // Protocol 1 readers send no credit: they get one window (and acknowledge within it).
            long credit = request.Has("credit") ? (long)Math.Min(request.U64("credit"), long.MaxValue) : DomainLimits.StreamWindowBytes;
            // Answers go to the requester's own stream topic only (either lane): this peer is nobody's amplifier.
            bool small = responseTopic == _domain.Topics.SmallStreamData(requester, streamId);
            if (!small && responseTopic != _domain.Topics.StreamData(requester, streamId)) return;
            var link = _domain.StreamLink(small);

            // Our own log, or a copy this peer materializes (and advertises) of another peer's.
            LogHandle? log = source.Length == 0 || source == _domain.PeerId
                ? _domain.Session.FindLog(resourceId)
                : _domain.FindMaterialization(new LogRef(source, resourceId))?.Handle;
            if (log is null)
            {
                string what = source.Length == 0 ? resourceId : source + "/" + resourceId;
                using var deadline = _domain.NewDeadline();
                await link.PublishAsync(responseTopic, StreamProtocol.Text(StreamProtocol.Decline,
                    $"unknown log {what}: peer {_domain.PeerId} has no such log"), token: deadline.Token).ConfigureAwait(false);
                return;
            }

            var candidate = new ServedStream(_domain, this, requester, streamId, responseTopic, log, small, readFrom, skip, credit, generation);
            string? refused = Admit(candidate, out bool repeated);
            if (repeated) return; // a repeated request (QoS 1 redelivery)
            if (refused is not null)
            {
                using var deadline = _domain.NewDeadline();
                await link.PublishAsync(responseTopic, StreamProtocol.Text(StreamProtocol.Decline, refused), token: deadline.Token).ConfigureAwait(false);
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
            else stream.Ack(f.Has("credit") ? (long)Math.Min(f.U64("credit"), long.MaxValue) : null);
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
                await _domain.StreamLink(s.Small).PublishAsync(s.ResponseTopic, StreamProtocol.Text(StreamProtocol.EndOfStream, reason), token: token).ConfigureAwait(false);
            }
            catch (AukiException) { } // the reader is gone or the link is down: nobody to tell the stream ended
        }
    }

    private static string Key(string requester, string streamId) => requester + "\0" + streamId;
}

