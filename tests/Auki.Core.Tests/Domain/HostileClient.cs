using System.Buffers;
using System.Collections.Concurrent;
using MQTTnet;
using MQTTnet.Protocol;

namespace Auki.Core.Tests.Domain;

/// <summary>
/// A hand-made MQTT 5 client that speaks the domain topics without being a member: it subscribes
/// wherever it likes (other peers' inboxes included) and publishes whatever it likes, as an
/// unauthenticated attacker on the same broker could.
/// </summary>
public sealed class HostileClient : IDisposable
{
    private readonly IMqttClient _client;
    private readonly ConcurrentQueue<(string Topic, byte[] Payload, string? ResponseTopic)> _received = new();

    public HostileClient(string brokerUrl, string clientId = "mallory")
    {
        var uri = new Uri(brokerUrl);
        _client = new MqttClientFactory().CreateMqttClient();
        _client.ApplicationMessageReceivedAsync += e =>
        {
            var m = e.ApplicationMessage;
            byte[] payload = m.Payload.IsEmpty ? [] : m.Payload.ToArray();
            _received.Enqueue((m.Topic, payload, m.ResponseTopic));
            OnMessage?.Invoke(m.Topic, payload, m.ResponseTopic);
            return Task.CompletedTask;
        };
        var options = new MqttClientOptionsBuilder().WithTcpServer(uri.Host, uri.Port).WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500)
            .WithClientId(clientId + "-" + Guid.NewGuid().ToString("N")).WithCleanStart(true).Build();
        _client.ConnectAsync(options).GetAwaiter().GetResult();
    }

    /// <summary>Called on MQTTnet's receive loop for every message (topic, payload, response topic).</summary>
    public Action<string, byte[], string?>? OnMessage { get; set; }

    public IEnumerable<(string Topic, byte[] Payload, string? ResponseTopic)> Received => _received;

    public void Subscribe(string filter) =>
        _client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter(f => f.WithTopic(filter).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)).Build())
            .GetAwaiter().GetResult();

    public void Publish(string topic, byte[] payload, string? responseTopic = null, bool retain = false)
    {
        var message = new MqttApplicationMessage
        {
            Topic = topic,
            Payload = new ReadOnlySequence<byte>(payload),
            QualityOfServiceLevel = MqttQualityOfServiceLevel.AtLeastOnce,
            Retain = retain,
        };
        if (responseTopic is not null) message.ResponseTopic = responseTopic;
        _client.PublishAsync(message).GetAwaiter().GetResult();
    }

    /// <summary>Publish many messages at once (not one round trip after the other), as a flood would.</summary>
    public void PublishAll(IEnumerable<(string Topic, byte[] Payload, string? ResponseTopic)> messages) =>
        Task.WhenAll(messages.Select(m =>
        {
            var message = new MqttApplicationMessage
            {
                Topic = m.Topic,
                Payload = new ReadOnlySequence<byte>(m.Payload),
                QualityOfServiceLevel = MqttQualityOfServiceLevel.AtLeastOnce,
            };
            if (m.ResponseTopic is not null) message.ResponseTopic = m.ResponseTopic;
            return _client.PublishAsync(message);
        })).GetAwaiter().GetResult();

    public void Dispose()
    {
        try { _client.DisconnectAsync().GetAwaiter().GetResult(); } catch (Exception) { }
        _client.Dispose();
    }
}
