using System.Text.Json.Nodes;
using Auki.Ids;
using Auki.Json;
using Auki.Logs;
using Auki.Manifests;
using Auki.Registry;
using Auki.Storage;

namespace Auki.Sessions;

/// <summary>
/// One boot session of a peer: a ULID, the session's clocks and the logs it declares.
/// Two forms exist, as upstream had both: era C (<see cref="Peer.StartSession"/>: auto clocks,
/// manifests under <c>&lt;root&gt;/&lt;session_id&gt;/logs/…</c>) and the Quickstart's era A
/// (<see cref="CreateStandalone"/>: the session is its own peer, no auto clocks, clocks without
/// <c>session_id</c>, manifests under <c>&lt;root&gt;/logs/…</c>).
/// </summary>
public sealed class Session
{
    private readonly object _gate = new();
    private readonly Dictionary<string, RegistryEntry> _clocks = new(StringComparer.Ordinal);
    private readonly Dictionary<LogKind, List<LogHandle>> _logs = new()
    {
        [LogKind.Sensor] = [],
        [LogKind.Pose] = [],
        [LogKind.TimeTransform] = [],
        [LogKind.Detection] = [],
    };

    private Session(Peer peer, string sessionId, bool standalone)
    {
        Peer = peer;
        SessionId = sessionId;
        IsStandalone = standalone;
    }

    /// <summary>The owning peer (for a standalone session, its private peer).</summary>
    public Peer Peer { get; }
    /// <summary>26-char ULID.</summary>
    public string SessionId { get; }
    /// <summary>True for the era-A form created by <see cref="CreateStandalone"/>.</summary>
    public bool IsStandalone { get; }
    /// <summary>Live from the peer.</summary>
    public string PeerId => Peer.PeerId;
    /// <summary>Live from the peer.</summary>
    public string AppId => Peer.AppId;
    /// <summary>Live from the peer.</summary>
    public string StorageRoot => Peer.StorageRoot;
    /// <summary>The auto-registered monotonic clock (null for a standalone session).</summary>
    public RegistryRef? MonotonicClock { get; private set; }
    /// <summary>The auto-registered UTC clock (null for a standalone session).</summary>
    public RegistryRef? UtcClock { get; private set; }

    /// <summary>The Quickstart's <c>Session(peer_id, app_id)</c>: nothing is written until something is registered.</summary>
    public static Session CreateStandalone(string peerId, string appId) => new(new Peer(peerId, appId), Ulid.NewUlid(), standalone: true);

    internal static Session Start(Peer peer)
    {
        var session = new Session(peer, Ulid.NewUlid(), standalone: false);
        session.MonotonicClock = session.CommitClock($"{peer.PeerId}/{session.SessionId}/monotonic", ClockBody.SessionMonotonic());
        session.UtcClock = session.CommitClock($"{peer.PeerId}/{session.SessionId}/utc", ClockBody.SessionUtc());
        return session;
    }

    /// <summary>Register a clock in this session (era C entries carry <c>session_id</c>).</summary>
    public RegistryRef RegisterClock(string clockId, JsonNode? body)
    {
        JsonObject parsed = Peer.Prefixed("body", () => ClockBody.Parse(body));
        return CommitClock(clockId, parsed);
    }

    private RegistryRef CommitClock(string clockId, JsonObject body)
    {
        RegistryId.Validate(clockId);
        var entry = new RegistryEntry(RegistryKind.Clock, PeerId, clockId, body, IsStandalone ? null : SessionId);
        RegistryStore.Write(StorageRoot, entry, Peer.Deferred);
        lock (_gate) _clocks[clockId] = entry;
        return entry.Ref();
    }

    /// <summary>True when exactly this clock (peer, id and hash) was registered in this session.</summary>
    public bool ContainsClockRef(RegistryRef clock)
    {
        lock (_gate)
            return clock.PeerId == PeerId && _clocks.TryGetValue(clock.Id, out var e) && e.Hash() == clock.Hash;
    }

    /// <summary>The clock entry registered under <paramref name="clockId"/> in this session, if any.</summary>
    public RegistryEntry? Clock(string clockId) { lock (_gate) return _clocks.GetValueOrDefault(clockId); }

    /// <summary>
    /// Declare a log: derive its resource id, refuse duplicates and unregistered sensors (with
    /// upstream's texts), write its manifest, and return its handle.
    /// </summary>
    public LogHandle RegisterLog(LogSpec spec)
    {
        string resourceId = spec.ResourceId;
        lock (_gate)
        {
            if (_logs[spec.Kind].Exists(h => h.ResourceId == resourceId))
                throw AukiException.Invalid($"duplicate log {PeerId}/{resourceId}");
            if (spec is SensorLogSpec sensor && Peer.Sensor(sensor.Sensor.Id) is null)
                // Upstream reuses DuplicateLog for this ("acceptable for Phase 4"); the text is the contract.
                throw AukiException.Invalid($"duplicate log {PeerId}/sensor not registered: {sensor.Sensor.Id}");

            var manifest = LogManifest.Build(spec, PeerId, PeerId, AppId, SessionId);
            if (spec is DetectionLogSpec { InstanceId: not null }) LogManifest.Validate(manifest);
            string root = LogRoot(resourceId); // refuses a resource id that is not path-safe, before anything is written
            string manifestPath = StorageLayout.LogManifestPath(root);
            // The manifest names these entries: in a batch, they become durable before it can.
            foreach (var (kind, reference) in spec.References()) Peer.Require(kind, reference);
            using (RefuseLiveWriter(root))
                IoErrors.Guard(() => AtomicFile.Write(manifestPath, CanonicalJson.Serialize(manifest), Peer.Deferred), "io: ");
            var handle = new LogHandle(spec, PeerId, root, manifest);
            var peer = Peer;
            handle.Data.BeforeFirstWrite = () => peer.Require(manifestPath); // segments must not outlive their manifest
            if (spec is SensorLogSpec typed) handle.SensorBody = Datatypes.TypedPayloads.SensorBodyFromStore(StorageRoot, typed.Sensor);
            _logs[spec.Kind].Add(handle);
            return handle;
        }
    }

    // An era-A log's directory is the same for every process with the same ids. While another
    // writer holds it, replacing its manifest would change segment duration, retention and session
    // id under that writer: refused (BUSY) before anything is written. The lock is held while the
    // manifest is replaced, so no writer can start in between. No lock file means no writer ever ran.
    private static WriterLock? RefuseLiveWriter(string root) =>
        File.Exists(Path.Combine(root, WriterLock.FileName)) ? WriterLock.Acquire(root) : null;

    /// <summary>The directory a log of this session lives in.</summary>
    public string LogRoot(string resourceId) => StorageLayout.LogRoot(StorageRoot, IsStandalone ? null : SessionId, PeerId, resourceId);

    /// <summary>Snapshot of the declared logs of one kind, in registration order.</summary>
    public IReadOnlyList<LogHandle> Logs(LogKind kind) { lock (_gate) return _logs[kind].ToArray(); }

    /// <summary>Snapshot of every declared log: sensor, pose, time-transform, then detection logs.</summary>
    public IReadOnlyList<LogHandle> AllLogs()
    {
        lock (_gate)
            return [.. _logs[LogKind.Sensor], .. _logs[LogKind.Pose], .. _logs[LogKind.TimeTransform], .. _logs[LogKind.Detection]];
    }

    /// <summary>
    /// InvalidArgument unless this session was started by a peer with <paramref name="peer"/>'s id:
    /// the check behind upstream's <c>catalog(peer, session)</c> and <c>Domain.join(peer, session, …)</c>.
    /// </summary>
    public void RequireBelongsTo(Peer peer)
    {
        if (peer.PeerId != PeerId) throw AukiException.Invalid($"session {SessionId} belongs to peer '{PeerId}', not '{peer.PeerId}'");
    }

    /// <summary>The log declared with <paramref name="resourceId"/> (any kind), or null.</summary>
    public LogHandle? FindLog(string resourceId)
    {
        lock (_gate)
            foreach (var list in _logs.Values)
                foreach (var h in list)
                    if (h.ResourceId == resourceId) return h;
        return null;
    }
}
