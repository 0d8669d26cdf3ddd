using System.Buffers;
using System.Net.Sockets;
using MQTTnet;
using MQTTnet.Exceptions;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace Auki.Domains;

/// <summary>
/// One MQTT 5 connection of a joined peer: connect within the configured timeout, optionally a last
/// will that clears the peer's retained catalog, the link's subscriptions, and reconnection after the
/// broker goes away (with fresh subscriptions: sessions are clean). A member holds three: control
/// (catalogs, requests, replies, stream control), data (bulk stream messages) and small-stream (the
/// messages of new and small streams), so that megabytes of stream data queued in one TCP connection
/// never delay a control message or a small stream (docs/domains.md).
/// Received messages go to one handler on MQTTnet's receive loop, which must not block.
/// </summary>
internal sealed class MqttLink : IAsyncDisposable
{
    /// <summary>Socket send and receive buffer of every connection.</summary>
    public const int SocketBufferBytes = 1024 * 1024;

    private readonly IMqttClient _client;
    private readonly MqttClientOptions _options;
    private readonly DomainConfig _config;
    private readonly DomainTopics _topics;
    private readonly Action<MqttApplicationMessage> _onMessage;
    private readonly string[] _subscriptions;
    private readonly string _name;
    private readonly CancellationTokenSource _closing = new();
    private readonly object _gate = new();
    private Task _reconnect = Task.CompletedTask;
    private int _generation;

    /// <param name="config">Broker, timeouts, credentials.</param>
    /// <param name="topics">This member's topics.</param>
    /// <param name="clientId">MQTT client id (unique per connection).</param>
    /// <param name="subscriptions">Topic filters (QoS 1) subscribed after every connect.</param>
    /// <param name="clearCatalogOnDeath">Whether this connection's last will clears the member's retained catalog.</param>
    /// <param name="role">What the connection carries, for log lines ("control", "data", "small-stream").</param>
    /// <param name="onMessage">Handler for every received message.</param>
    public MqttLink(DomainConfig config, DomainTopics topics, string clientId, string[] subscriptions, bool clearCatalogOnDeath,
        string role, Action<MqttApplicationMessage> onMessage)
    {
        _config = config;
        _topics = topics;
        _onMessage = onMessage;
        _subscriptions = subscriptions;
        _name = $"domain {config.DomainId} {role} connection";
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(config.Host, config.Port)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithClientId(clientId)
            .WithCleanStart(true)
            .WithKeepAlivePeriod(config.KeepAlive)
            .WithTimeout(Timeouts.Cap(config.RequestTimeout))
            .WithMaximumPacketSize(DomainLimits.MaxPacketBytes);
        if (clearCatalogOnDeath)
            builder = builder
                .WithWillTopic(topics.Catalog(topics.Me))
                .WithWillPayload(Array.Empty<byte>())
                .WithWillRetain(true)
                .WithWillQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce);
        if (config.Username is not null) builder = builder.WithCredentials(config.Username, config.Password ?? "");
        _options = builder.Build();
        // MQTTnet sets the socket's send and receive buffers to this (default 8 KiB), which held a 6.9 MB
        // frame to ~2 MB/s on 127.0.0.1 while mosquitto itself moves it in milliseconds (docs/benchmarks.md).
        ((MqttClientTcpOptions)_options.ChannelOptions).BufferSize = SocketBufferBytes;
        _client = new MqttClientFactory().CreateMqttClient();
        _client.ApplicationMessageReceivedAsync += e =>
        {
            try { _onMessage(e.ApplicationMessage); }
            catch (Exception) { /* a bad message must not take the connection down */ }
            return Task.CompletedTask;
        };
        _client.DisconnectedAsync += OnDisconnected;
    }

    /// <summary>Raised (on a pool thread) after every successful connect, once the subscriptions are in place.</summary>
    public event Action? Connected;

    /// <summary>Raised when an established connection is lost (not on a deliberate close).</summary>
    public event Action? Disconnected;

    public bool IsConnected => _client.IsConnected;

    /// <summary>Incremented on every (re)connect: lets callers tell one connection from the next.</summary>
    public int Generation => Volatile.Read(ref _generation);

    /// <summary>True when the broker dropped us because the same peer joined again elsewhere.</summary>
    public bool TakenOver { get; private set; }

    /// <summary>First connection: fails with Timeout or Io (and leaves nothing behind) when the broker cannot be reached in time.</summary>
    public async Task ConnectAsync()
    {
        using var timeout = new CancellationTokenSource(Timeouts.Cap(_config.ConnectTimeout));
        try
        {
            await ConnectOnceAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not AukiException)
        {
            throw Unreachable(e, timeout.IsCancellationRequested);
        }
        Connected?.Invoke();
    }

    private AukiException Unreachable(Exception e, bool timedOut)
    {
        string where = $"mqtt://{_config.Host}:{_config.Port}";
        if (timedOut)
            return AukiException.Timeout($"cannot reach MQTT broker {where} for domain {Ids.RustDebug.Str(_config.DomainId)}: no answer within {_config.ConnectTimeout.TotalSeconds:0.###} s", e);
        string reason = Innermost(e).Message;
        return AukiException.Io($"cannot reach MQTT broker {where} for domain {Ids.RustDebug.Str(_config.DomainId)}: {reason}", e);
    }

    private static Exception Innermost(Exception e)
    {
        while (e.InnerException is not null && e is not SocketException) e = e.InnerException;
        return e;
    }

    private async Task ConnectOnceAsync(CancellationToken token)
    {
        var result = await _client.ConnectAsync(_options, token).ConfigureAwait(false);
        if (result.ResultCode != MqttClientConnectResultCode.Success)
            throw AukiException.Io($"MQTT broker refused the connection: {result.ResultCode} {result.ReasonString}");
        var builder = new MqttClientSubscribeOptionsBuilder();
        foreach (string filter in _subscriptions)
            builder = builder.WithTopicFilter(f => f.WithTopic(filter).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce));
        var subscribe = builder.Build();
        var subscribed = await _client.SubscribeAsync(subscribe, token).ConfigureAwait(false);
        foreach (var item in subscribed.Items)
            if ((int)item.ResultCode > 2)
                throw AukiException.Io($"MQTT broker refused the subscription to {item.TopicFilter.Topic}: {item.ResultCode}");
        Interlocked.Increment(ref _generation);
    }

    private Task OnDisconnected(MqttClientDisconnectedEventArgs e)
    {
        if (_closing.IsCancellationRequested || !e.ClientWasConnected) return Task.CompletedTask;
        if (e.Reason == MqttClientDisconnectReason.SessionTakenOver)
        {
            TakenOver = true;
            Disconnected?.Invoke();
            return Task.CompletedTask;
        }
        DomainLog.Write(DomainLog.Warning, $"{_name}: connection to mqtt://{_config.Host}:{_config.Port} lost ({e.Reason}); reconnecting");
        Disconnected?.Invoke();
        lock (_gate)
        {
            if (_reconnect.IsCompleted) _reconnect = Task.Run(ReconnectLoopAsync);
        }
        return Task.CompletedTask;
    }

    private async Task ReconnectLoopAsync()
    {
        var delay = TimeSpan.FromMilliseconds(100);
        while (!_closing.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(delay, _closing.Token).ConfigureAwait(false);
                using var attempt = CancellationTokenSource.CreateLinkedTokenSource(_closing.Token);
                attempt.CancelAfter(Timeouts.Cap(_config.ConnectTimeout));
                if (!_client.IsConnected) await ConnectOnceAsync(attempt.Token).ConfigureAwait(false);
                DomainLog.Write(DomainLog.Info, $"{_name}: reconnected to mqtt://{_config.Host}:{_config.Port}");
                Connected?.Invoke();
                return;
            }
            catch (OperationCanceledException) when (_closing.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                delay = TimeSpan.FromMilliseconds(Math.Min(1000, delay.TotalMilliseconds * 2));
                DomainLog.Write(DomainLog.Debug, $"{_name}: reconnect to mqtt://{_config.Host}:{_config.Port} failed ({Innermost(e).Message}); retrying in {delay.TotalMilliseconds:0} ms");
            }
        }
    }

    /// <summary>Publish; Io error when not connected or the broker refuses.</summary>
    public async Task PublishAsync(string topic, ReadOnlySequence<byte> payload, bool retain = false,
        string? responseTopic = null, byte[]? correlation = null, MqttQualityOfServiceLevel qos = MqttQualityOfServiceLevel.AtLeastOnce,
        CancellationToken token = default)
    {
        var message = new MqttApplicationMessage
        {
            Topic = topic,
            Payload = payload,
            QualityOfServiceLevel = qos,
            Retain = retain,
        };
        if (responseTopic is not null) message.ResponseTopic = responseTopic;
        if (correlation is not null) message.CorrelationData = correlation;
        MqttClientPublishResult result;
        try
        {
            result = await _client.PublishAsync(message, token).ConfigureAwait(false);
        }
        catch (Exception e) when (token.IsCancellationRequested && e is not OperationCanceledException)
        {
            // MQTTnet reports a cancelled wait for the acknowledgement in its own types: the caller's deadline decides.
            throw new OperationCanceledException($"MQTT publish to {topic} cancelled", e, token);
        }
        catch (Exception e) when (e is MqttCommunicationException or ObjectDisposedException or InvalidOperationException)
        {
            throw AukiException.Io($"MQTT publish to {topic} failed: {e.Message}", e);
        }
        if (!result.IsSuccess && result.ReasonCode != MqttClientPublishReasonCode.NoMatchingSubscribers)
            throw AukiException.Io($"MQTT broker refused a publish to {topic}: {result.ReasonCode} {result.ReasonString}");
    }

    public Task PublishAsync(string topic, byte[] payload, bool retain = false, string? responseTopic = null, byte[]? correlation = null,
        CancellationToken token = default) =>
        PublishAsync(topic, new ReadOnlySequence<byte>(payload), retain, responseTopic, correlation, MqttQualityOfServiceLevel.AtLeastOnce, token);

    /// <summary>Disconnect cleanly (no last will), stop reconnecting. Idempotent.</summary>
    public ValueTask DisposeAsync() => CloseAsync(_config.ConnectTimeout);

    /// <summary>As <see cref="DisposeAsync"/>, giving the broker at most <paramref name="budget"/> to take the disconnect.</summary>
    public async ValueTask CloseAsync(TimeSpan budget)
    {
        if (_closing.IsCancellationRequested) return;
        _closing.Cancel();
        try
        {
            if (_client.IsConnected && budget > TimeSpan.Zero)
            {
                using var timeout = new CancellationTokenSource(Timeouts.Cap(budget));
                await _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder()
                    .WithReason(MqttClientDisconnectOptionsReason.NormalDisconnection).Build(), timeout.Token).ConfigureAwait(false);
            }
        }
        catch (Exception)
        {
            // Leaving anyway: the broker will notice the closed socket.
        }
        try { await _reconnect.ConfigureAwait(false); } catch (Exception) { } // the reconnect loop ends with the link; its failures were logged
        _client.Dispose();
    }
}
