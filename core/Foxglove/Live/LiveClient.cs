using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Net.WebSockets;

namespace Auki.Foxglove.Live;

/// <summary>
/// One connected client: a receive loop (subscribe, unsubscribe, close) and a send loop that
/// drains the client's <see cref="OutboundQueue"/>. Nothing the feed does waits for this client:
/// the feed only enqueues, and a client that reads too slowly loses its oldest frames.
/// </summary>
internal sealed class LiveClient
{
    private const int MaxRequestBytes = 1 << 20;

    /// <summary>Messages up to this size (header included) are sent as one frame from a per-client scratch buffer.</summary>
    private const int SmallMessageBytes = 64 * 1024;

    /// <summary>How long a stopping server lets a client finish the frame it is sending and answer the close.</summary>
    private static readonly TimeSpan CloseGrace = TimeSpan.FromSeconds(1);

    private readonly FoxgloveServer _server;
    private readonly TcpClient _tcp;
    private readonly WebSocket _socket;
    private readonly OutboundQueue _queue;
    private readonly CancellationTokenSource _abort = new();

    /// <summary>Channel id → the client's subscription id (one subscription per channel, as the protocol says).</summary>
    private readonly ConcurrentDictionary<uint, uint> _byChannel = new();
    private readonly ConcurrentDictionary<uint, uint> _bySubscription = new();
    private long _reportedDrops;
    private byte[]? _pendingDropStatus;

    public LiveClient(FoxgloveServer server, TcpClient tcp, WebSocket socket, OutboundQueue queue, string endpoint)
    {
        _server = server;
        _tcp = tcp;
        _socket = socket;
        _queue = queue;
        Endpoint = endpoint;
    }

    /// <summary>The peer's address, for messages.</summary>
    public string Endpoint { get; }

    public OutboundQueue Queue => _queue;

    /// <summary>Both loops, ended (and the socket disposed) when the client is gone.</summary>
    public Task Completion { get; private set; } = Task.CompletedTask;

    public void Start() => Completion = RunAsync();

    /// <summary>Queue a control message (JSON).</summary>
    public void Send(byte[] json) => _queue.Enqueue(OutboundMessage.Control(json));

    /// <summary>Queue <paramref name="message"/> if this client subscribes to <paramref name="channelId"/>; never waits.</summary>
    public void Publish(uint channelId, long logTimeNs, ReadOnlyMemory<byte> message)
    {
        if (!_byChannel.TryGetValue(channelId, out uint subscription)) return;
        _queue.Enqueue(OutboundMessage.Data(subscription, logTimeNs, message));
        // One drop report waiting at a time (a client that does not read must not collect them).
        long dropped = _queue.Dropped;
        if (dropped == _reportedDrops || Volatile.Read(ref _pendingDropStatus) is not null) return;
        _reportedDrops = dropped;
        var status = ServerMessages.Status(ServerMessages.Warning,
            $"this client is not keeping up: {dropped} messages dropped so far (the oldest queued go first)", "auki.dropped");
        Volatile.Write(ref _pendingDropStatus, status);
        Send(status);
    }

    /// <summary>Tell the client goodbye (close frame after what it is sending now), then let go of it.</summary>
    public async Task StopAsync()
    {
        _queue.Complete();
        var done = await Task.WhenAny(Completion, Task.Delay(CloseGrace)).ConfigureAwait(false);
        if (done != Completion) CancelQuietly();
        try
        {
            await Completion.ConfigureAwait(false);
        }
        catch (Exception)
        {
            // The loops report nothing: a client that went away is not an error of the server.
        }
    }

    private async Task RunAsync()
    {
        var sending = SendLoopAsync();
        var receiving = ReceiveLoopAsync();
        try
        {
            await Task.WhenAll(sending, receiving).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Each loop ends on the first error of its own; the other follows through _abort.
        }
        finally
        {
            foreach (uint subscription in _bySubscription.Keys) Unsubscribe(subscription);
            _queue.Clear();
            _socket.Dispose();
            _tcp.Dispose();
            _abort.Dispose();
            _server.Forget(this);
        }
    }

    private async Task SendLoopAsync()
    {
        var header = new byte[MessageDataHeader.Size];
        var small = new byte[SmallMessageBytes];
        var token = _abort.Token;
        try
        {
            while (true)
            {
                var (ok, message) = await _queue.DequeueAsync(token).ConfigureAwait(false);
                if (!ok) break;
                if (message.Text is byte[] json)
                {
                    if (ReferenceEquals(json, Volatile.Read(ref _pendingDropStatus))) Volatile.Write(ref _pendingDropStatus, null);
                    await _socket.SendAsync(json, WebSocketMessageType.Text, true, token).ConfigureAwait(false);
                    continue;
                }
                int length = MessageDataHeader.Size + message.Payload.Length;
                if (length <= small.Length)
                {
                    // A small message (a pose) is copied behind its header: one frame, one write.
                    MessageDataHeader.Write(small, message.SubscriptionId, message.LogTimeNs);
                    message.Payload.Span.CopyTo(small.AsSpan(MessageDataHeader.Size));
                    await _socket.SendAsync(small.AsMemory(0, length), WebSocketMessageType.Binary, true, token).ConfigureAwait(false);
                    continue;
                }
                // A large one (an image) goes as two fragments of one message: the payload is shared
                // by every client, so it is not copied to put this client's subscription id before it.
                MessageDataHeader.Write(header, message.SubscriptionId, message.LogTimeNs);
                await _socket.SendAsync(header, WebSocketMessageType.Binary, false, token).ConfigureAwait(false);
                await _socket.SendAsync(message.Payload, WebSocketMessageType.Binary, true, token).ConfigureAwait(false);
            }
            if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "server stopping", token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
        {
            // The client went away or the server gave up on it: end the receive loop too. (After a
            // clean close frame the receive loop waits for the client's answer instead.)
            CancelQuietly();
        }
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[64 * 1024];
        var text = new MemoryStream();
        var token = _abort.Token;
        try
        {
            while (true)
            {
                var result = await _socket.ReceiveAsync(buffer.AsMemory(), token).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close) break;
                if (result.MessageType == WebSocketMessageType.Binary)
                {
                    // Client publishing is not offered; a binary message is skipped whole.
                    if (result.EndOfMessage) Send(ServerMessages.Status(ServerMessages.Error, "this server does not accept client messages (no clientPublish)"));
                    continue;
                }
                text.Write(buffer, 0, result.Count);
                if (text.Length > MaxRequestBytes)
                {
                    Send(ServerMessages.Status(ServerMessages.Error, $"a client message longer than {MaxRequestBytes} bytes was refused"));
                    break;
                }
                if (!result.EndOfMessage) continue;
                Handle(text.GetBuffer().AsSpan(0, (int)text.Length));
                text.SetLength(0);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
        {
            // Gone without a close frame, or the server is stopping.
        }
        finally
        {
            // No more requests: send what is queued, then the close frame.
            _queue.Complete();
        }
    }

    private void Handle(ReadOnlySpan<byte> json)
    {
        ClientRequest request;
        try
        {
            request = ClientRequest.Parse(json);
        }
        catch (AukiException e)
        {
            Send(ServerMessages.Status(ServerMessages.Error, e.Message));
            return;
        }
        switch (request.Op)
        {
            case "subscribe":
                foreach (var (subscription, channelId) in request.Subscriptions) Subscribe(subscription, channelId);
                break;
            case "unsubscribe":
                foreach (uint subscription in request.SubscriptionIds) Unsubscribe(subscription);
                break;
            default:
                Send(ServerMessages.Status(ServerMessages.Error, $"unsupported op {request.Op} (this server only publishes logs)"));
                break;
        }
    }

    private void Subscribe(uint subscription, uint channelId)
    {
        var channel = _server.Channel(channelId);
        if (channel is null)
        {
            Send(ServerMessages.Status(ServerMessages.Warning, $"subscribe: no channel {channelId}"));
            return;
        }
        if (_bySubscription.ContainsKey(subscription))
        {
            Send(ServerMessages.Status(ServerMessages.Error, $"subscribe: subscription id {subscription} is already in use"));
            return;
        }
        if (!_byChannel.TryAdd(channelId, subscription))
        {
            Send(ServerMessages.Status(ServerMessages.Warning, $"subscribe: already subscribed to channel {channelId}"));
            return;
        }
        _bySubscription[subscription] = channelId;
        channel.AddSubscriber();
        // A latched message (a camera's calibration) stands for the whole channel: every new subscriber gets it.
        if (channel.Channel.Latched is byte[] latched)
            _queue.Enqueue(OutboundMessage.Data(subscription, channel.Log.LastLogTimeNs, latched));
    }

    private void Unsubscribe(uint subscription)
    {
        if (!_bySubscription.TryRemove(subscription, out uint channelId)) return;
        _byChannel.TryRemove(channelId, out _);
        _server.Channel(channelId)?.RemoveSubscriber();
    }

    /// <summary>Forget the subscriptions to channels that were unadvertised (their counts go with them).</summary>
    public void Unadvertised(IEnumerable<uint> channelIds)
    {
        foreach (uint channelId in channelIds)
            if (_byChannel.TryRemove(channelId, out uint subscription)) _bySubscription.TryRemove(subscription, out _);
    }

    private void CancelQuietly()
    {
        try { _abort.Cancel(); }
        catch (ObjectDisposedException) { /* RunAsync already finished and disposed it. */ }
    }
}
