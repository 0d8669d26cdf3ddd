using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Auki.Domains;

/// <summary>
/// MQTT 5 request/response over one connection: a request carries a response topic and random
/// correlation data, and the reply that comes back with the same correlation completes it. A
/// request to our own reply topic that expects no answer is a barrier: when it arrives, every
/// message the broker had queued for us before it (retained catalogs included) has been applied.
/// </summary>
internal sealed class BrokerRequests(MqttLink link, string replyTopic)
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource<byte[]>> _pending = new(StringComparer.Ordinal);

    /// <summary>
    /// Publish <paramref name="payload"/> on <paramref name="topic"/> and wait for the reply; cancelled
    /// (the caller's <see cref="Deadline"/> turns that into Timeout) when <paramref name="token"/> is.
    /// </summary>
    public Task<byte[]> AskAsync(string topic, byte[] payload, CancellationToken token) => SendAsync(topic, payload, token, expectReply: true);

    /// <summary>A round trip through the broker to ourselves (see the class summary).</summary>
    public Task BarrierAsync(CancellationToken token) => SendAsync(replyTopic, [], token, expectReply: false);

    /// <summary>A message on our reply topic: completes the request it answers; unknown correlations are dropped.</summary>
    public void OnReply(byte[]? correlation, byte[] payload)
    {
        if (correlation is { Length: > 0 } && _pending.TryRemove(Convert.ToHexString(correlation), out var waiter))
            waiter.TrySetResult(payload);
    }

    private async Task<byte[]> SendAsync(string topic, byte[] payload, CancellationToken token, bool expectReply)
    {
        byte[] correlation = RandomNumberGenerator.GetBytes(16);
        string key = Convert.ToHexString(correlation);
        var waiter = new TaskCompletionSource<byte[]>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[key] = waiter;
        try
        {
            // Without a reply expected the message goes to our own reply topic: its arrival is the answer.
            await link.PublishAsync(topic, payload, responseTopic: expectReply ? replyTopic : null, correlation: correlation,
                token: token).ConfigureAwait(false);
            return await waiter.Task.WaitAsync(token).ConfigureAwait(false);
        }
        finally
        {
            _pending.TryRemove(key, out _);
        }
    }
}
