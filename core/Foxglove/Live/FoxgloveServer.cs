using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using Auki.Ids;

namespace Auki.Foxglove.Live;

/// <summary>
/// A Foxglove WebSocket server (protocol v1; subprotocols <c>foxglove.websocket.v1</c> and
/// <c>foxglove.sdk.v1</c>) over the live logs of a storage root: a channel per log, as
/// <see cref="FoxgloveProfile"/> maps it for the MCAP export; new entries go to the clients that
/// subscribed to their channel; logs that appear under the root while it runs are advertised.
/// One thread (<see cref="StoreFeed"/>) follows every log; each client has its own bounded queue, so
/// a slow client loses its oldest frames and never holds up the writer, the feed or another client.
/// </summary>
public sealed class FoxgloveServer : IDisposable
{
    private readonly TcpListener _listener;
    private readonly FoxgloveServerOptions _options;
    private readonly string _sessionId = Ulid.NewUlid();
    private readonly CancellationTokenSource _stopping = new();
    private readonly StoreFeed _feed;
    private readonly Task _accepting;

    /// <summary>Guards the channel table and the client list, so a client connecting while logs appear misses no advertisement.</summary>
    private readonly Lock _gate = new();
    private readonly Dictionary<uint, LiveChannel> _channels = new();
    private readonly HashSet<LiveClient> _clients = new();
    private readonly List<Task> _handshakes = new();
    private LiveClient[] _clientSnapshot = [];
    private uint _nextChannelId = 1;
    private int _stopped;

    private FoxgloveServer(string root, FoxgloveServerOptions options, TcpListener listener)
    {
        Root = root;
        _options = options;
        _listener = listener;
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        _feed = new StoreFeed(this, root, options);
        _accepting = AcceptLoopAsync();
    }

    /// <summary>The storage root served.</summary>
    public string Root { get; }

    /// <summary>The port bound (the one asked for, or the one picked for port 0).</summary>
    public int Port { get; }

    /// <summary>The address bound.</summary>
    public string Host => _options.Host;

    /// <summary>Clients connected now.</summary>
    public int ClientCount
    {
        get { lock (_gate) return _clients.Count; }
    }

    /// <summary>Data frames dropped so far for clients that did not keep up (connected clients only).</summary>
    public long DroppedMessages => Volatile.Read(ref _clientSnapshot).Sum(c => c.Queue.Dropped);

    /// <summary>
    /// Bind and start serving <paramref name="root"/>. NotFound when the root is not a directory;
    /// InvalidArgument for a host that is not an IP address or a port outside 0–65535; Io when the
    /// address cannot be bound (in use, not local).
    /// </summary>
    public static FoxgloveServer Start(string root, FoxgloveServerOptions? options = null)
    {
        options ??= new FoxgloveServerOptions();
        if (string.IsNullOrEmpty(root)) throw AukiException.Invalid("root must not be empty");
        if (!Directory.Exists(root)) throw AukiException.NotFound($"no such directory: {root}");
        if (options.Port is < 0 or > 65535) throw AukiException.Invalid($"port must be 0-65535, not {options.Port}");
        var address = ParseHost(options.Host);
        var listener = new TcpListener(address, options.Port);
        try
        {
            listener.Start();
        }
        catch (SocketException e)
        {
            throw AukiException.Io($"cannot listen on {options.Host}:{options.Port}: {e.Message}", e);
        }
        try
        {
            return new FoxgloveServer(Path.GetFullPath(root), options, listener);
        }
        catch
        {
            listener.Stop();
            throw;
        }
    }

    private static IPAddress ParseHost(string host)
    {
        if (host == "localhost") return IPAddress.Loopback;
        if (IPAddress.TryParse(host, out var address)) return address;
        throw AukiException.Invalid($"host must be an IP address (e.g. 127.0.0.1, or 0.0.0.0 for every interface), not '{host}'");
    }

    /// <summary>
    /// Stop: no new connections, the feed thread joined, every client sent a close frame after the
    /// frame it is receiving (a client that does not read is cut off after a second), every
    /// connection closed. Idempotent.
    /// </summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0) return;
        _stopping.Cancel();
        _listener.Stop();
        _feed.Stop();
        WaitQuietly([_accepting]);
        Task[] handshakes;
        lock (_gate) handshakes = [.. _handshakes];
        WaitQuietly(handshakes);
        // Every client that got through its handshake is in the list now; no more can join.
        LiveClient[] clients;
        lock (_gate) clients = [.. _clients];
        WaitQuietly([.. clients.Select(c => c.StopAsync())]);
        _stopping.Dispose();
    }

    private static void WaitQuietly(Task[] tasks)
    {
        try
        {
            Task.WaitAll(tasks);
        }
        catch (AggregateException)
        {
            // Every task ends itself on cancellation; a fault here is a connection that broke while closing.
        }
    }

    // ---- called by the feed thread -------------------------------------------------------------

    /// <summary>Give the channels of a newly followed log their ids and advertise them to every client.</summary>
    internal void Advertise(LiveLog log, IReadOnlyList<FoxgloveChannel> channels)
    {
        lock (_gate)
        {
            var live = channels.Select(c => new LiveChannel(_nextChannelId++, c, log)).ToList();
            log.Channels = live;
            foreach (var c in live) _channels[c.Id] = c;
            if (live.Count == 0) return;
            var message = ServerMessages.Advertise(live);
            foreach (var client in _clients) client.Send(message);
        }
    }

    /// <summary>Withdraw the channels of a log that went away.</summary>
    internal void Unadvertise(LiveLog log)
    {
        lock (_gate)
        {
            var ids = log.Channels.Select(c => c.Id).ToList();
            foreach (uint id in ids) _channels.Remove(id);
            if (ids.Count == 0) return;
            var message = ServerMessages.Unadvertise(ids);
            foreach (var client in _clients)
            {
                client.Unadvertised(ids);
                client.Send(message);
            }
        }
    }

    /// <summary>Hand one message to every client subscribed to <paramref name="channelId"/>; never waits.</summary>
    internal void Publish(uint channelId, long logTimeNs, ReadOnlyMemory<byte> message)
    {
        foreach (var client in Volatile.Read(ref _clientSnapshot)) client.Publish(channelId, logTimeNs, message);
    }

    /// <summary>Tell the user (through <see cref="FoxgloveServerOptions.OnProblem"/>) and every client.</summary>
    internal void Problem(string message)
    {
        _options.OnProblem?.Invoke(message);
        var status = ServerMessages.Status(ServerMessages.Warning, message);
        foreach (var client in Volatile.Read(ref _clientSnapshot)) client.Send(status);
    }

    // ---- called by clients ---------------------------------------------------------------------

    internal LiveChannel? Channel(uint id)
    {
        lock (_gate) return _channels.GetValueOrDefault(id);
    }

    internal void Forget(LiveClient client)
    {
        lock (_gate)
        {
            _clients.Remove(client);
            _clientSnapshot = [.. _clients];
        }
    }

    // ---- connections ---------------------------------------------------------------------------

    private async Task AcceptLoopAsync()
    {
        var token = _stopping.Token;
        while (!token.IsCancellationRequested)
        {
            TcpClient tcp;
            try
            {
                tcp = await _listener.AcceptTcpClientAsync(token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                if (token.IsCancellationRequested) return;
                continue; // a connection reset before it was accepted
            }
            lock (_gate)
            {
                _handshakes.RemoveAll(t => t.IsCompleted);
                _handshakes.Add(ConnectAsync(tcp, token));
            }
        }
    }

    private async Task ConnectAsync(TcpClient tcp, CancellationToken token)
    {
        string endpoint = tcp.Client.RemoteEndPoint?.ToString() ?? "?";
        try
        {
            tcp.NoDelay = true;
            var stream = tcp.GetStream();
            // A client that connects and says nothing must not hold a handshake open forever.
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(token);
            timeout.CancelAfter(TimeSpan.FromSeconds(10));
            var result = await WebSocketHandshake.RunAsync(stream, timeout.Token).ConfigureAwait(false);
            if (!result.Accepted)
            {
                tcp.Dispose();
                return;
            }
            var socket = WebSocket.CreateFromStream(stream, new WebSocketCreationOptions
            {
                IsServer = true,
                SubProtocol = result.Subprotocol,
                KeepAliveInterval = TimeSpan.FromSeconds(30),
            });
            var client = new LiveClient(this, tcp, socket, new OutboundQueue(_options.ClientQueueMessages, _options.ClientQueueBytes), endpoint);
            bool stopping;
            lock (_gate)
            {
                stopping = token.IsCancellationRequested;
                if (!stopping)
                {
                    // serverInfo first, then every channel known now (an empty advertise when there is none yet),
                    // under the lock that new channels take.
                    client.Send(ServerMessages.ServerInfo(_options.Name, _sessionId, Root));
                    client.Send(ServerMessages.Advertise(_channels.Values.OrderBy(c => c.Id)));
                    _clients.Add(client);
                    _clientSnapshot = [.. _clients];
                }
            }
            if (!stopping)
            {
                client.Start();
                return;
            }
            // Upgraded just as the server stopped: a close frame rather than a silent hang-up.
            try
            {
                using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(1));
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "server stopping", grace.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException)
            {
                // The client is gone already.
            }
            socket.Dispose();
            tcp.Dispose();
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or SocketException or ObjectDisposedException)
        {
            tcp.Dispose();
        }
    }
}
