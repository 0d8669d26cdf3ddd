using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Auki.Catalog;
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
/// <remarks>
/// This class joins, routes each incoming message to the part that owns it, and leaves; the work
/// is in the parts: <see cref="MqttLink"/> (the control, data and small-stream connections), <see cref="CatalogBook"/>
/// (everyone's catalogs), <see cref="CatalogPublisher"/> (ours), <see cref="BrokerRequests"/>
/// (request/response and barriers), <see cref="RegistryExchange"/> (entries by content address),
/// <see cref="StreamServer"/> (streams of our logs), <see cref="RemoteStream"/> (streams we read) and
/// <see cref="Materialization"/> (copies we keep).
/// </remarks>
public sealed class Domain : IDisposable
{
    private readonly object _gate = new();
    private readonly ConcurrentDictionary<string, RemoteStream> _streams = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Materialization> _materializations = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _leaving = new();
    private readonly StreamServer _server;
    private readonly CatalogPublisher _catalog;
    private readonly RegistryExchange _registries;
    private Task _catalogLoop = Task.CompletedTask;
    private bool _left;

    private Domain(Session session, DomainConfig config)
    {
        Session = session;
        Config = config;
        Topics = new DomainTopics(config.DomainId, session.PeerId);
        Book = new CatalogBook();
        _server = new StreamServer(this);
        Link = new MqttLink(config, Topics, $"auki/{config.DomainId}/{session.PeerId}", Topics.ControlSubscriptions,
            clearCatalogOnDeath: true, "control", OnMessage);
        Link.Connected += OnConnected;
        Link.Disconnected += OnDisconnected;
        // A second connection for bulk stream messages and a third for small ones (ids start "auki-data/" and
        // "auki-small/", so no peer id can collide with one): a camera's frames queued for this reader in the
        // broker never delay another stream's Accept or its first entries (docs/domains.md, "Lanes").
        DataLink = new MqttLink(config, Topics, $"auki-data/{config.DomainId}/{DomainTopics.Escape(session.PeerId)}", Topics.DataSubscriptions,
            clearCatalogOnDeath: false, "data", OnMessage);
        DataLink.Connected += OnDataConnected;
        DataLink.Disconnected += () => _server.CancelAll();
        SmallLink = new MqttLink(config, Topics, $"auki-small/{config.DomainId}/{DomainTopics.Escape(session.PeerId)}", Topics.SmallSubscriptions,
            clearCatalogOnDeath: false, "small-stream", OnMessage);
        SmallLink.Connected += OnSmallConnected;
        SmallLink.Disconnected += () => _server.CancelAll();
        Requests = new BrokerRequests(Link, Topics.Replies(session.PeerId));
        // Other peers act on a published row (fetch its entries, stream its log): what it names is made durable first.
        _catalog = new CatalogPublisher(Link, Topics.Catalog(session.PeerId), config, () => { session.Peer.SyncBatch(); return CatalogDocument(); });
        _registries = new RegistryExchange(this);
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
    /// <summary>The control connection: catalogs, requests and replies, stream requests and control.</summary>
    internal MqttLink Link { get; }
    /// <summary>The data connection: the messages (Accept, Decline, Entries, Chunk, EndOfStream) of bulk-lane streams, sent and received.</summary>
    internal MqttLink DataLink { get; }
    /// <summary>The small-stream connection: the messages of small-lane streams (no Chunk; MoveToBulk), sent and received.</summary>
    internal MqttLink SmallLink { get; }

    /// <summary>The connection carrying a lane's stream messages.</summary>
    internal MqttLink StreamLink(bool small) => small ? SmallLink : DataLink;

    /// <summary>Generations of the three connections: a served stream ends when any of them reconnected.</summary>
    internal (int Control, int Data, int Small) Generations => (Link.Generation, DataLink.Generation, SmallLink.Generation);

    /// <summary>Whether every connection is up.</summary>
    internal bool AllConnected => Link.IsConnected && DataLink.IsConnected && SmallLink.IsConnected;
    internal StreamServer Server => _server;
    /// <summary>Request/response and barriers over the control connection.</summary>
    internal BrokerRequests Requests { get; }

    /// <summary>How often this member's streams repeat their acknowledgement when quiet (tests shorten it with the server's expiry).</summary>
    internal TimeSpan StreamHeartbeat { get; set; } = DomainLimits.StreamHeartbeat;

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
            if (Memberships.Of(session) is { } joined)
                throw AukiException.Invalid($"session {session.SessionId} already joined domain {Ids.RustDebug.Str(joined.DomainId)}");
            var domain = new Domain(session, config);
            try
            {
                domain.Link.ConnectAsync().GetAwaiter().GetResult();
                domain.DataLink.ConnectAsync().GetAwaiter().GetResult();
                domain.SmallLink.ConnectAsync().GetAwaiter().GetResult();
                using var deadline = domain.NewDeadline();
                deadline.Wait(domain._catalog.PublishAsync(force: true, deadline.Token), $"joining domain {Ids.RustDebug.Str(config.DomainId)}");
                deadline.Wait(domain.Requests.BarrierAsync(deadline.Token), $"joining domain {Ids.RustDebug.Str(config.DomainId)}");
            }
            catch (Exception)
            {
                domain.Link.DisposeAsync().AsTask().GetAwaiter().GetResult();
                domain.DataLink.DisposeAsync().AsTask().GetAwaiter().GetResult();
                domain.SmallLink.DisposeAsync().AsTask().GetAwaiter().GetResult();
                throw;
            }
            domain._catalogLoop = Task.Run(() => domain._catalog.RunAsync(domain._leaving.Token));
            Memberships.Add(session, domain);
            return domain;
        }
    }

    // ---- connection ----------------------------------------------------------------------------

    private bool _firstConnect = true;

    private void OnConnected()
    {
        if (_firstConnect) { _firstConnect = false; return; } // Join publishes itself
        int resync = Book.ResyncEpoch;
        _ = Task.Run(async () =>
        {
            using var deadline = NewDeadline();
            try
            {
                await _catalog.PublishAsync(force: true, deadline.Token).ConfigureAwait(false);
                // The broker sent its retained catalogs on subscribing; once this round trip is back they
                // have all arrived, and peers without one (they left while it was away) leave the view.
                await Requests.BarrierAsync(deadline.Token).ConfigureAwait(false);
                foreach (var gone in Book.EndResync(resync, keep: PeerId)) OnPeerGone(gone, definitive: false);
            }
            catch (Exception) { } // the link drops again or the domain is left: the next reconnect resynchronizes
            finally
            {
                foreach (var s in _streams.Values.Distinct()) s.OnReconnected();
            }
        });
    }

    private bool _firstDataConnect = true;

    /// <summary>The data connection is back (its subscription too): readers ask again from their last entry.</summary>
    private void OnDataConnected()
    {
        if (_firstDataConnect) { _firstDataConnect = false; return; }
        foreach (var s in _streams.Values.Distinct()) s.OnReconnected();
    }

    private bool _firstSmallConnect = true;

    /// <summary>The small-stream connection is back: readers ask again from their last entry.</summary>
    private void OnSmallConnected()
    {
        if (_firstSmallConnect) { _firstSmallConnect = false; return; }
        foreach (var s in _streams.Values.Distinct()) s.OnReconnected();
    }

    private void OnDisconnected()
    {
        Book.BeginResync();
        _server.CancelAll();
    }

    // ---- messages ------------------------------------------------------------------------------

    private void OnMessage(MqttApplicationMessage message)
    {
        if (Topics.Parse(message.Topic) is not var (peer, rest)) return;
        // Bounded before anything is copied or parsed (DomainLimits): whoever can publish on the broker cannot make us hold more.
        if (message.Payload.Length > MaxPayload(peer, rest)) return;
        if (peer == PeerId && DomainTopics.StreamOf(rest) is var (id, _))
        {
            // Not copied here: a chunk goes straight from MQTTnet's buffer into its entry's.
            if (_streams.TryGetValue(id, out var stream)) stream.OnMessage(id, message.Payload);
            return;
        }
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
                Requests.OnReply(message.CorrelationData, payload);
                break;
            case "in/registry":
                if (message.ResponseTopic is { Length: > 0 } replyTo)
                {
                    byte[] correlation = message.CorrelationData ?? [];
                    _ = Task.Run(() => _registries.ServeAsync(payload, replyTo, correlation));
                }
                break;
            case "in/stream":
                _server.OnRequest(message, payload);
                break;
            case "in/ctl":
                _server.OnControl(payload);
                break;
        }
    }

    /// <summary>The largest payload taken on a topic (a stream's messages only while that stream is open here); 0 = none.</summary>
    private long MaxPayload(string peer, string rest)
    {
        if (rest == "catalog") return DomainLimits.MaxCatalogBytes;
        if (peer != PeerId) return 0;
        return rest switch
        {
            "in/reply" => DomainLimits.MaxReplyBytes,
            "in/registry" or "in/stream" or "in/ctl" => DomainLimits.MaxRequestBytes,
            _ when DomainTopics.StreamOf(rest) is var (id, _) && _streams.ContainsKey(id) => DomainLimits.MaxStreamMessageBytes,
            _ => 0,
        };
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
        if (present) NotifyStreams(peer, present: true, definitive: true);
        else OnPeerGone(peer, definitive: true);
    }

    private void OnPeerGone(string peer, bool definitive)
    {
        _server.CancelFor(peer);
        NotifyStreams(peer, present: false, definitive);
    }

    private void NotifyStreams(string peer, bool present, bool definitive)
    {
        foreach (var s in _streams.Values.Distinct())
        {
            var log = s.LogRef;
            bool advertises = present && Book.Row(peer, log.SourcePeerId, log.ResourceId) is not null;
            s.OnCatalog(peer, present, advertises, definitive, PreferredServer(log));
        }
    }

    internal void SwapStream(string oldId, string newId, RemoteStream stream)
    {
        if (oldId.Length > 0) _streams.TryRemove(new KeyValuePair<string, RemoteStream>(oldId, stream));
        if (newId.Length > 0) _streams[newId] = stream;
    }

    /// <summary>
    /// Publish without waiting for the broker: streams retry on their own (watchdog, reconnect) and acks are cumulative, so
    /// a failure needs no answer. Started on the caller's thread, not the pool's: under load a queued pool item made a
    /// stream request wait tens of milliseconds before it was even sent (MQTTnet's publish only awaits, never blocks).
    /// </summary>
    internal void PublishInBackground(string topic, byte[] payload, string? responseTopic) => _ = PublishQuietlyAsync(topic, payload, responseTopic);

    private async Task PublishQuietlyAsync(string topic, byte[] payload, string? responseTopic)
    {
        using var deadline = NewDeadline();
        try
        {
            await Link.PublishAsync(topic, payload, responseTopic: responseTopic, token: deadline.Token).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Streams retry on their own (watchdog, reconnect); acks are cumulative.
        }
    }

    // ---- this peer's catalog -------------------------------------------------------------------

    /// <summary>
    /// The document this peer publishes: <c>{"peer_id","app_id","session_id","resources":[rows]}</c>, the
    /// session's logs followed by the logs it materializes (<c>source_peer_id</c> = owner, <c>writer_peer_id</c> = this peer),
    /// and <c>"static_transforms"</c> when the session has sealed rigid pose logs (<see cref="AdvertisedTransforms"/>).
    /// </summary>
    public JsonObject CatalogDocument()
    {
        var rows = CatalogRows.For(Session);
        Materialization[] copies;
        lock (_gate)
            copies = _materializations.OrderBy(m => m.Key, StringComparer.Ordinal).Select(m => m.Value).Where(m => m is not null).ToArray();
        foreach (var m in copies) rows.Add((JsonNode)CatalogRows.Row(Session, m.Handle));
        var document = new JsonObject
        {
            ["peer_id"] = PeerId,
            ["protocol"] = StreamProtocol.Version,
            ["app_id"] = Session.AppId,
            ["session_id"] = Session.SessionId,
            ["resources"] = rows,
        };
        if (AdvertisedTransforms.For(Session) is { } transforms) document["static_transforms"] = transforms;
        return document;
    }

    /// <summary>What <c>auki_domain_info</c> reports: the config as joined (password left out), <c>peer_id</c> and <c>left</c>.</summary>
    public JsonObject Info()
    {
        var info = Config.ToJson();
        info["peer_id"] = PeerId;
        info["left"] = HasLeft;
        return info;
    }

    /// <summary>Publish this peer's catalog now if it changed (logs declared or grown), instead of at the next interval.</summary>
    public void RefreshCatalog()
    {
        ThrowIfLeft();
        using var deadline = NewDeadline();
        deadline.Wait(_catalog.PublishAsync(force: false, deadline.Token), "refresh_catalog");
    }

    // ---- other members -------------------------------------------------------------------------

    /// <summary>Peers whose catalog the broker holds now (this one included), sorted.</summary>
    public IReadOnlyList<string> Peers()
    {
        using var deadline = NewDeadline();
        Sync(deadline, $"peers of domain {Ids.RustDebug.Str(DomainId)}");
        return Book.Peers();
    }

    /// <summary>A peer's catalog rows as the broker holds them now; NotFound when the peer is not in the domain.</summary>
    public JsonArray FetchResourcesCatalog(string peerId)
    {
        using var deadline = NewDeadline();
        Sync(deadline, $"catalog of peer {Ids.RustDebug.Str(peerId)}");
        return Book.Rows(peerId) ?? throw AukiException.NotFound(
            $"peer {Ids.RustDebug.Str(peerId)} is not in domain {Ids.RustDebug.Str(DomainId)}");
    }

    /// <summary>Watch catalog rows appear, change and disappear (starting with every row known now).</summary>
    public CatalogWatch WatchCatalog()
    {
        using var deadline = NewDeadline();
        Sync(deadline, "watch_catalog");
        return Book.Watch();
    }

    /// <summary>A new budget of <see cref="DomainConfig.RequestTimeout"/> for one blocking call.</summary>
    internal Deadline NewDeadline() => new(Config.RequestTimeout);

    // ---- registries ----------------------------------------------------------------------------

    /// <summary>
    /// Fetch one registry entry by content address from <paramref name="fromPeer"/> (default: the
    /// entry's own peer). Returns its canonical bytes after checking they hash to
    /// <paramref name="hash"/> and name that peer and id (Corrupt otherwise: refused).
    /// </summary>
    public byte[] FetchRegistryEntry(RegistryKind kind, string peerId, string id, string hash, string? fromPeer = null)
    {
        using var deadline = NewDeadline();
        return FetchRegistryEntry(kind, peerId, id, hash, fromPeer, deadline);
    }

    internal byte[] FetchRegistryEntry(RegistryKind kind, string peerId, string id, string hash, string? fromPeer, Deadline deadline)
    {
        ThrowIfLeft();
        return _registries.Fetch(kind, peerId, id, hash, fromPeer, deadline);
    }

    /// <summary>Fetch (as <see cref="FetchRegistryEntry(RegistryKind, string, string, string, string?)"/>) and store the entry under this session's storage root.</summary>
    public void CopyRegistryEntry(RegistryKind kind, RegistryRef entry, string fromPeer)
    {
        ThrowIfLeft();
        _registries.Copy(kind, entry, fromPeer);
    }

    // ---- streams and materialization -----------------------------------------------------------

    /// <summary>
    /// Open a stream of a remote log from its owner, or — when the owner does not advertise it — from a
    /// member advertising a materialized copy. Decline (NotFound with the server's reason), nobody
    /// serving it (NotFound) and no answer (Timeout) are errors.
    /// </summary>
    public RemoteStream OpenStream(LogRef logRef, ReadFrom readFrom)
    {
        using var deadline = NewDeadline();
        return OpenStream(logRef, readFrom, deadline);
    }

    internal RemoteStream OpenStream(LogRef logRef, ReadFrom readFrom, Deadline deadline)
    {
        string what = $"stream of {logRef}";
        ThrowIfLeft();
        // When the book already names a server, the request goes out now and the barrier (every catalog the broker held
        // at this call applied) runs beside it: the answer is asked for again elsewhere only if the barrier changes who
        // serves. Under a camera's load each broker round trip costs tens of milliseconds at p99; this saves one.
        if (PreferredServer(logRef) is string guess)
        {
            var early = new RemoteStream(this, logRef, guess, readFrom, persistent: false);
            var barrier = Requests.BarrierAsync(deadline.Token);
            try
            {
                early.Ask();
                deadline.Wait(barrier, what);
            }
            catch
            {
                early.Dispose();
                throw;
            }
            if (ResolveServer(logRef).Peer == guess)
            {
                early.AwaitAccept(deadline);
                return early;
            }
            early.Dispose();
        }
        else
        {
            Sync(deadline, what);
        }
        var stream = new RemoteStream(this, logRef, ResolveServer(logRef).Peer, readFrom, persistent: false);
        stream.Open(deadline);
        return stream;
    }

    internal RemoteStream OpenPersistentStream(LogRef logRef, string server, ReadFrom readFrom, long? resumeTs, long resumeCount, Deadline deadline)
    {
        var stream = new RemoteStream(this, logRef, server, readFrom, persistent: true);
        if (resumeTs is long ts) stream.ResumeAfter(ts, resumeCount);
        stream.Open(deadline);
        return stream;
    }

    /// <summary>
    /// Make a round trip through the broker, so every catalog it held when called has been applied;
    /// Timeout naming <paramref name="what"/> when <paramref name="deadline"/> runs out first.
    /// </summary>
    internal void Sync(Deadline deadline, string what)
    {
        ThrowIfLeft();
        deadline.Wait(Requests.BarrierAsync(deadline.Token), what);
    }

    /// <summary>
    /// Who serves a log, by upstream's consumer resolution: the owner when it advertises the log, else
    /// any other member advertising the pair (a materializer; the first by peer id), else the owner when
    /// it is in the domain at all (it answers with its reason). NotFound when none of these exists.
    /// The row is the one the server advertises (null when it advertises none).
    /// </summary>
    internal (string Peer, JsonObject? Row) ResolveServer(LogRef logRef)
    {
        string owner = logRef.SourcePeerId;
        if (PreferredServer(logRef) is string server) return (server, Book.Row(server, owner, logRef.ResourceId));
        if (Book.Has(owner)) return (owner, null);
        throw AukiException.NotFound(
            $"peer {Ids.RustDebug.Str(owner)} is not in domain {Ids.RustDebug.Str(DomainId)} and no member advertises a copy of {logRef}");
    }

    /// <summary>The owner when it advertises the log, else the first other member (not this one) advertising it, else null.</summary>
    internal string? PreferredServer(LogRef logRef)
    {
        string owner = logRef.SourcePeerId;
        if (owner != PeerId && Book.Row(owner, owner, logRef.ResourceId) is not null) return owner;
        foreach (string peer in Book.Advertisers(owner, logRef.ResourceId))
            if (peer != PeerId) return peer;
        return null;
    }

    /// <summary>See <see cref="SessionRemoteLogs.MaterializeRemoteLog"/>.</summary>
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
            using var deadline = NewDeadline();
            var m = Materialization.Start(this, logRef, retentionNs, segmentDurationNs, deadline);
            lock (_gate) _materializations[key] = m;
            try
            {
                // Advertise the copy now, not at the next round.
                deadline.Wait(_catalog.PublishAsync(force: false, deadline.Token), $"materialization of {logRef}");
            }
            catch (AukiException)
            {
                // The catalog loop publishes it once the broker takes it.
            }
            return m.Handle;
        }
        catch
        {
            lock (_gate) _materializations.Remove(key);
            throw;
        }
    }

    /// <summary>State, lag and rate of this session's materialization of a log; NotFound when it runs none.</summary>
    public StreamStatus MaterializationStatus(LogRef logRef) =>
        (FindMaterialization(logRef) ?? throw AukiException.NotFound($"this session materializes no log {logRef}")).Status();

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
        // One budget for the whole call: with a broker that does not answer, leaving still ends in time
        // (the broker's last will then clears the catalog when it notices the closed connection).
        using var deadline = NewDeadline();
        _leaving.Cancel();
        foreach (var m in materializations) m.Stop();
        foreach (var s in _streams.Values.Distinct().ToArray()) { s.OnLeft(); s.Dispose(); }
        try
        {
            deadline.Wait(ClearCatalogAsync(deadline.Token), $"leaving domain {Ids.RustDebug.Str(DomainId)}");
        }
        catch (Exception)
        {
            // Leaving anyway; the last will clears the catalog if the clean path failed.
        }
        // Leaving releases what it can within the budget; a step that fails or times out must not stop the next.
        try { _catalogLoop.Wait(deadline.Remaining); } catch (Exception) { }
        try { Link.CloseAsync(deadline.Remaining).AsTask().Wait(deadline.Remaining + TimeSpan.FromMilliseconds(200)); } catch (Exception) { }
        try { DataLink.CloseAsync(deadline.Remaining).AsTask().Wait(deadline.Remaining + TimeSpan.FromMilliseconds(200)); } catch (Exception) { }
        try { SmallLink.CloseAsync(deadline.Remaining).AsTask().Wait(deadline.Remaining + TimeSpan.FromMilliseconds(200)); } catch (Exception) { }
        Book.CloseAll();
        lock (Session)
            Memberships.Remove(Session, this);
    }

    /// <summary>Leaving: EndOfStream to every reader of this peer, then the empty retained catalog.</summary>
    private async Task ClearCatalogAsync(CancellationToken token)
    {
        await _server.EndAllAsync($"peer {PeerId} left the domain", token).ConfigureAwait(false);
        await _catalog.ClearAsync(token).ConfigureAwait(false);
    }

    /// <summary>Same as <see cref="Leave"/>.</summary>
    public void Dispose() => Leave();

    /// <summary>True once <see cref="Leave"/> ran.</summary>
    public bool HasLeft { get { lock (_gate) return _left; } }

    private void ThrowIfLeft()
    {
        if (HasLeft) throw AukiException.Closed($"domain {Ids.RustDebug.Str(DomainId)} has been left");
        if (Link.TakenOver)
            throw AukiException.Closed($"peer {PeerId} joined domain {Ids.RustDebug.Str(DomainId)} again elsewhere; this membership was taken over");
    }
}
