using System.Text;
using System.Text.Json.Nodes;
using Auki.Json;

namespace Auki.Domains;

/// <summary>
/// This peer's catalog on the broker: a retained message on its catalog topic, re-measured every
/// <see cref="DomainConfig.CatalogInterval"/> and published when it changed. Publishes run one at a
/// time (the loop, refresh_catalog, a reconnect and a new materialization may overlap), so an older
/// measurement never replaces a newer one, nor the empty catalog of leaving.
/// </summary>
internal sealed class CatalogPublisher(MqttLink link, string topic, DomainConfig config, Func<JsonObject> measure)
{
    private readonly SemaphoreSlim _publishing = new(1, 1);
    private string? _published;
    private volatile bool _cleared;

    /// <summary>Measure and publish; unless <paramref name="force"/>, only when the document changed since the last publish.</summary>
    public async Task PublishAsync(bool force, CancellationToken token)
    {
        await _publishing.WaitAsync(token).ConfigureAwait(false);
        try
        {
            if (_cleared) return;
            byte[] bytes = CanonicalJson.Serialize(measure());
            string text = Encoding.UTF8.GetString(bytes);
            if (!force && text == _published) return;
            await link.PublishAsync(topic, bytes, retain: true, token: token).ConfigureAwait(false);
            _published = text;
        }
        finally
        {
            _publishing.Release();
        }
    }

    /// <summary>Publish changes every interval until <paramref name="leaving"/> is cancelled.</summary>
    public async Task RunAsync(CancellationToken leaving)
    {
        while (!leaving.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(config.CatalogInterval, leaving).ConfigureAwait(false);
                using var round = CancellationTokenSource.CreateLinkedTokenSource(leaving);
                round.CancelAfter(config.RequestTimeout);
                if (link.IsConnected) await PublishAsync(force: false, round.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (leaving.IsCancellationRequested)
            {
                return;
            }
            catch (Exception)
            {
                // Try again next round (the connection may be coming back).
            }
        }
    }

    /// <summary>Leaving: replace the retained catalog with the empty message; no publish after this sends anything.</summary>
    public async Task ClearAsync(CancellationToken token)
    {
        _cleared = true; // a publish that starts from now on sends nothing
        await _publishing.WaitAsync(token).ConfigureAwait(false);
        try
        {
            if (link.IsConnected) await link.PublishAsync(topic, [], retain: true, token: token).ConfigureAwait(false);
        }
        finally
        {
            _publishing.Release();
        }
    }
}
