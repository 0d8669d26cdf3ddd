using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Auki.Catalog;
using Auki.Hashing;
using Auki.Json;
using Auki.Registry;
using Auki.Sessions;
using MQTTnet;

namespace Auki.Domains;

/// <summary>
/// A peer's membership of a domain carried by an MQTT 5 broker (docs/domains.md): its catalog
/// kept as a retained message (cleared by leave() or by its last will), every other member's
/// catalog, registry fetches and log streams by request/response, and the materializations
/// this session runs. One per session; <see cref="Leave"/> ends it.
/// </summary>
public sealed class Domain : IDisposable
{
    private readonly object _gate = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<byte[]>> _pending = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, RemoteStream> _streams = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Materialization> _materializations = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _leaving = new();
    private readonly StreamServer _server;
    private Task _catalogLoop = Task.CompletedTask;
    private string? _publishedCatalog;
    private bool _left;

    private Domain(Session session, DomainConfig config)
    {
        Session = session;
        Config = config;
        Topics = new DomainTopics(config.DomainId, session.PeerId);
        Book = new CatalogBook();
        _server = new StreamServer(this);
        Link = new MqttLink(config, Topics, $"auki/{config.DomainId}/{session.PeerId}", OnMessage);
        Link.Connected += OnConnected;
        Link.Disconnected += OnDisconnected;
    }

    /// <summary>The session this membership serves and materializes into.</summary>
    public Session Session { get; }
    /// <summary>How the domain was joined.</summary>
    public DomainConfig Config { get; }
    /// <summary>The domain id.</summary>
    public string DomainId => Config.DomainId;
    /// <summary>This member's peer id.</summary>
    public string PeerId => Session.PeerId;

    internal DomainTopics Topics { get; }
    internal CatalogBook Book { get; }
    internal MqttLink Link { get; }

    /// <summary>
    /// Join: connect to the broker (Timeout/Io error within <see cref="DomainConfig.ConnectTimeout"/>
    /// when it cannot be reached, nothing written), publish this peer's catalog, learn everyone
    /// else's. The session then serves its logs and can materialize remote ones.
    /// </summary>
    public static Domain Join(Session session, DomainConfig config)
    {
        config.Validate();
        lock (session)
        {
            if (session.Domain is { } joined)
                throw AukiException.Invalid($"session {session.SessionId} already joined domain {Ids.RustDebug.Str(joined.DomainId)}");
            var domain = new Domain(session, config);
            try
            {
                domain.Link.ConnectAsync().GetAwaiter().GetResult();
                domain.PublishCatalogAsync(force: true).GetAwaiter().GetResult();
                domain.BarrierAsync().GetAwaiter().GetResult();
            }
            catch (Exception)
            {
                domain.Link.DisposeAsync().AsTask().GetAwaiter().GetResult();
                throw;
            }
            domain._catalogLoop = Task.Run(domain.CatalogLoopAsync);
            session.Domain = domain;
            return domain;
        }
    }

    // ---- connection ----------------------------------------------------------------------------

    private bool _firstConnect = true;

    private void OnConnected()
    {
        if (_firstConnect) { _firstConnect = false; return; } // Join publishes itself
        _ = Task.Run(async () =>
        {
            try
            {
                await PublishCatalogAsync(force: true).ConfigureAwait(false);
            }
            catch (Exception) { }
            foreach (var s in _streams.Values.Distinct()) s.OnReconnected();
        });
    }

    private void OnDisconnected() => _server.CancelAll();

    // ---- messages ------------------------------------------------------------------------------

    private void OnMessage(MqttApplicationMessage message)
    {
        if (Topics.Parse(message.Topic) is not var (peer, rest)) return;
        byte[] payload = message.Payload.IsEmpty ? [] : System.Buffers.BuffersExtensions.ToArray(message.Payload);
        if (rest == "catalog")
        {
            OnCatalog(peer, payload);
            return;
        }
        if (peer != PeerId) return;
        switch (rest)
        {
            case "in/reply":
                if (message.CorrelationData is { Length: > 0 } c && _pending.TryRemove(Convert.ToHexString(c), out var waiter))
                    waiter.TrySetResult(payload);
                break;
            case "in/registry":
                if (message.ResponseTopic is { Length: > 0 } replyTo)
                {
                    byte[] correlation = message.CorrelationData ?? [];
                    _ = Task.Run(() => ServeRegistryAsync(payload, replyTo, correlation));
                }
                break;
            case "in/stream":
                _server.OnRequest(message, payload);
                break;
            case "in/ctl":
                _server.OnControl(payload);
                break;
            default:
                if (rest.StartsWith("in/streams/", StringComparison.Ordinal))
                {
                    string streamId = rest["in/streams/".Length..];
                    if (_streams.TryGetValue(streamId, out var stream)) stream.OnMessage(streamId, payload);
                }
                break;
        }
    }

    private void OnCatalog(string peer, byte[] payload)
    {
        bool present;
        try
        {
            present = Book.Apply(peer, payload);
        }
        catch (AukiException)
        {
            return; // not a catalog of ours
        }
        if (!present) _server.CancelFor(peer);
        foreach (var s in _streams.Values.Distinct())
            if (s.LogRef.SourcePeerId == peer)
                s.OnOwnerCatalog(present, present && Book.Row(peer, s.LogRef.SourcePeerId, s.LogRef.ResourceId) is not null);
    }

    internal void SwapStream(string oldId, string newId, RemoteStream stream)
    {
        if (oldId.Length > 0) _streams.TryRemove(new KeyValuePair<string, RemoteStream>(oldId, stream));
        if (newId.Length > 0) _streams[newId] = stream;
    }

    internal void PublishInBackground(string topic, byte[] payload, string? responseTopic)
    {
        _ = Task.Run(async () =>
        {
            try
            {
                await Link.PublishAsync(topic, payload, responseTopic: responseTopic).ConfigureAwait(false);
            }
            catch (Exception)
            {
                // Streams retry on their own (watchdog, reconnect); acks are cumulative.
            }
        });
    }

    // ---- this peer's catalog -------------------------------------------------------------------

    /// <summary>The document this peer publishes: <c>{"peer_id","app_id","session_id","resources":[rows]}</c>.</summary>
    public JsonObject CatalogDocument() => new()
    {
        ["peer_id"] = PeerId,
        ["app_id"] = Session.AppId,
        ["session_id"] = Session.SessionId,
        ["resources"] = CatalogRows.For(Session),
    };

    private async Task PublishCatalogAsync(bool force)
    {
        byte[] bytes = CanonicalJson.Serialize(CatalogDocument());
        string text = Encoding.UTF8.GetString(bytes);
        if (!force && text == _publishedCatalog) return;
        await Link.PublishAsync(Topics.Catalog(PeerId), bytes, retain: true).ConfigureAwait(false);
        _publishedCatalog = text;
    }

    private async Task CatalogLoopAsync()
    {
        while (!_leaving.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(Config.CatalogInterval, _leaving.Token).ConfigureAwait(false);
                if (Link.IsConnected) await PublishCatalogAsync(force: false).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception)
            {
                // Try again next round (the connection may be coming back).
            }
        }
    }

    /// <summary>Publish this peer's catalog now if it changed (logs declared or grown), instead of at the next interval.</summary>
    public void RefreshCatalog()
    {
        ThrowIfLeft();
        PublishCatalogAsync(force: false).GetAwaiter().GetResult();
    }

    // ---- other members -------------------------------------------------------------------------

    /// <summary>Peers whose catalog the broker holds now (this one included), sorted.</summary>
    public IReadOnlyList<string> Peers()
    {
        ThrowIfLeft();
        BarrierAsync().GetAwaiter().GetResult();
        return Book.Peers();
    }

    /// <summary>A peer's catalog rows as the broker holds them now; NotFound when the peer is not in the domain.</summary>
    public JsonArray FetchResourcesCatalog(string peerId)
    {
        ThrowIfLeft();
        BarrierAsync().GetAwaiter().GetResult();
        return Book.Rows(peerId) ?? throw AukiException.NotFound(
            $"peer {Ids.RustDebug.Str(peerId)} is not in domain {Ids.RustDebug.Str(DomainId)}");
    }

    /// <summary>Watch catalog rows appear, change and disappear (starting with every row known now).</summary>
    public CatalogWatch WatchCatalog()
    {
        ThrowIfLeft();
        BarrierAsync().GetAwaiter().GetResult();
        return Book.Watch();
    }

    /// <summary>
    /// Round trip through the broker: every message the broker had queued for us before this
    /// call (retained catalogs included) has been applied when it returns.
    /// </summary>
    private Task BarrierAsync() => RequestAsync(Topics.Replies(PeerId), [], expectReply: false);

    /// <summary>MQTT 5 request/response: publish with a response topic and correlation data, wait for the reply.</summary>
    private async Task<byte[]> RequestAsync(string topic, byte[] payload, bool expectReply = true)
    {
        byte[] correlation = RandomNumberGenerator.GetBytes(16);
        string key = Convert.ToHexString(correlation);
        var waiter = new TaskCompletionSource<byte[]>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[key] = waiter;
        try
        {
            // Without a reply expected the message goes to our own reply topic: its arrival is the answer.
            await Link.PublishAsync(topic, payload, responseTopic: expectReply ? Topics.Replies(PeerId) : null, correlation: correlation)
                .ConfigureAwait(false);
            var done = await Task.WhenAny(waiter.Task, Task.Delay(Config.RequestTimeout)).ConfigureAwait(false);
            if (done != waiter.Task)
                throw new AukiException(AukiErrorCode.Timeout, $"no answer on {topic} within {Config.RequestTimeout.TotalSeconds:0.###} s");
            return await waiter.Task.ConfigureAwait(false);
        }
        finally
        {
            _pending.TryRemove(key, out _);
        }
    }

    // ---- registries ----------------------------------------------------------------------------

    private async Task ServeRegistryAsync(byte[] payload, string replyTo, byte[] correlation)
    {
        JsonObject answer;
        try
        {
            var f = JsonFields.Of(JsonText.Parse(payload), "struct RegistryRequest");
            var kind = RegistryKinds.Parse(f.String("kind"));
            string peer = f.String("peer_id"), id = f.String("id"), hash = f.String("hash");
            byte[]? bytes = RegistryStore.ReadBytes(Session.StorageRoot, kind, peer, id, hash);
            answer = bytes is null
                ? new JsonObject { ["found"] = false, ["error"] = $"{kind.Directory()}/{peer}/{id}@{hash} is not in the registry of peer {PeerId}" }
                : new JsonObject { ["found"] = true, ["canonical"] = Encoding.UTF8.GetString(bytes) };
        }
        catch (AukiException e)
        {
            answer = new JsonObject { ["found"] = false, ["error"] = e.Message };
        }
        try
        {
            await Link.PublishAsync(replyTo, CanonicalJson.Serialize(answer), correlation: correlation).ConfigureAwait(false);
        }
        catch (Exception) { }
    }

    /// <summary>
    /// Fetch one registry entry by content address from <paramref name="fromPeer"/> (default: the
    /// entry's own peer). Returns its canonical bytes after checking they hash to
    /// <paramref name="hash"/> and name that peer and id (Corrupt otherwise: refused).
    /// </summary>
    public byte[] FetchRegistryEntry(RegistryKind kind, string peerId, string id, string hash, string? fromPeer = null)
    {
        ThrowIfLeft();
        string from = fromPeer ?? peerId;
        if (!Book.Has(from))
            throw AukiException.NotFound($"peer {Ids.RustDebug.Str(from)} is not in domain {Ids.RustDebug.Str(DomainId)}");
        var request = new JsonObject { ["kind"] = kind.Singular(), ["peer_id"] = peerId, ["id"] = id, ["hash"] = hash };
        byte[] reply = RequestAsync(Topics.RegistryRequests(from), CanonicalJson.Serialize(request)).GetAwaiter().GetResult();
        var f = JsonFields.Of(JsonText.Parse(reply), "struct RegistryReply");
        if (!f.Bool("found")) throw AukiException.NotFound(f.String("error"));
        byte[] bytes = Encoding.UTF8.GetBytes(f.String("canonical"));
        string actual = ContentHash.Of(bytes);
        if (actual != hash)
            throw AukiException.Corrupt($"registry entry {kind.Directory()}/{peerId}/{id} from peer {from} hashes to {actual}, not {hash}: refused");
        var entry = JsonFields.Of(JsonText.Parse(bytes), "struct " + kind.Singular());
        if (entry.String("peer_id") != peerId || entry.String(kind.IdField()) != id)
            throw AukiException.Corrupt($"registry entry from peer {from} is not {kind.Directory()}/{peerId}/{id}: refused");
        return bytes;
    }

    /// <summary>Fetch (as <see cref="FetchRegistryEntry"/>) and store the entry under this session's storage root.</summary>
    public void CopyRegistryEntry(RegistryKind kind, RegistryRef entry, string fromPeer)
    {
        if (RegistryStore.ReadBytes(Session.StorageRoot, kind, entry.PeerId, entry.Id, entry.Hash) is not null) return;
        byte[] bytes = FetchRegistryEntry(kind, entry.PeerId, entry.Id, entry.Hash, fromPeer);
        Storage.IoErrors.Guard(() => Storage.AtomicFile.Write(RegistryStore.EntryPath(Session.StorageRoot, kind, entry.PeerId, entry.Id, entry.Hash), bytes), "io: ");
    }

    // ---- streams and materialization -----------------------------------------------------------

    /// <summary>Open a stream of a remote log; Decline (NotFound with the owner's reason) and no answer (Timeout) are errors.</summary>
    public RemoteStream OpenStream(LogRef logRef, ReadFrom readFrom)
    {
        ThrowIfLeft();
        var stream = new RemoteStream(this, logRef, readFrom, persistent: false);
        stream.Open();
        return stream;
    }

    internal RemoteStream OpenPersistentStream(LogRef logRef, ReadFrom readFrom, long? resumeTs, long resumeCount)
    {
        var stream = new RemoteStream(this, logRef, readFrom, persistent: true);
        if (resumeTs is long ts) stream.ResumeAfter(ts, resumeCount);
        stream.Open();
        return stream;
    }

    /// <summary>See <see cref="Session.MaterializeRemoteLog"/>.</summary>
    public LogHandle Materialize(LogRef logRef, ulong retentionNs, ulong segmentDurationNs)
    {
        ThrowIfLeft();
        string key = logRef.SourcePeerId + "\0" + logRef.ResourceId;
        lock (_gate)
        {
            if (_materializations.ContainsKey(key))
                throw AukiException.Invalid($"duplicate log {logRef.SourcePeerId}/{logRef.ResourceId}");
            // Reserve the slot while the (slow) setup runs.
            _materializations[key] = null!;
        }
        try
        {
            var m = Materialization.Start(this, logRef, retentionNs, segmentDurationNs);
            lock (_gate) _materializations[key] = m;
            return m.Handle;
        }
        catch
        {
            lock (_gate) _materializations.Remove(key);
            throw;
        }
    }

    /// <summary>The running materialization of a log, if any.</summary>
    internal Materialization? FindMaterialization(LogRef logRef)
    {
        lock (_gate)
            return _materializations.GetValueOrDefault(logRef.SourcePeerId + "\0" + logRef.ResourceId);
    }

    // ---- leaving -------------------------------------------------------------------------------

    /// <summary>
    /// Leave: readers of this peer's logs get EndOfStream, materializations stop (their data stays),
    /// the retained catalog is cleared, the connection closed. Idempotent.
    /// </summary>
    public void Leave()
    {
        Materialization[] materializations;
        lock (_gate)
        {
            if (_left) return;
            _left = true;
            materializations = _materializations.Values.Where(m => m is not null).ToArray();
            _materializations.Clear();
        }
        _leaving.Cancel();
        foreach (var m in materializations) m.Stop();
        foreach (var s in _streams.Values.Distinct().ToArray()) { s.OnLeft(); s.Dispose(); }
        try
        {
            _server.EndAllAsync($"peer {PeerId} left the domain").GetAwaiter().GetResult();
            if (Link.IsConnected) Link.PublishAsync(Topics.Catalog(PeerId), [], retain: true).GetAwaiter().GetResult();
        }
        catch (Exception)
        {
            // Leaving anyway; the last will clears the catalog if the clean path failed.
        }
        try { _catalogLoop.GetAwaiter().GetResult(); } catch (Exception) { }
        Link.DisposeAsync().AsTask().GetAwaiter().GetResult();
        Book.CloseAll();
        lock (Session)
            if (Session.Domain == this) Session.Domain = null;
    }

    /// <summary>Same as <see cref="Leave"/>.</summary>
    public void Dispose() => Leave();

    /// <summary>True once <see cref="Leave"/> ran.</summary>
    public bool HasLeft { get { lock (_gate) return _left; } }

    private void ThrowIfLeft()
    {
        if (HasLeft) throw new AukiException(AukiErrorCode.Closed, $"domain {Ids.RustDebug.Str(DomainId)} has been left");
        if (Link.TakenOver)
            throw new AukiException(AukiErrorCode.Closed, $"peer {PeerId} joined domain {Ids.RustDebug.Str(DomainId)} again elsewhere; this membership was taken over");
    }
}
