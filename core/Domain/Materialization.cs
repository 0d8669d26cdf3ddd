using System.Text;
using System.Text.Json.Nodes;
using Auki.Json;
using Auki.Logs;
using Auki.Manifests;
using Auki.Registry;
using Auki.Sessions;
using Auki.Storage;

namespace Auki.Domains;

/// <summary>
/// A local copy of a remote log that keeps itself current (upstream's "#216 plan"): the owner's
/// manifest rewritten with <c>writer_peer_id</c> = this peer at
/// <c>&lt;root&gt;/logs/&lt;source_peer_id&gt;/&lt;resource_id&gt;/</c>, the registry entries it names
/// copied (re-hashed on arrival), then history and live entries from one persistent stream
/// appended by one thread. The source is the owner or, when the owner does not advertise the log,
/// another member's copy. After a restart it continues from its last local entry. The copy is
/// advertised in this peer's catalog, with the writer's counters (<see cref="WrittenStats"/>).
/// </summary>
internal sealed class Materialization
{
    private readonly RemoteStream _stream;
    private readonly LogWriter _writer;
    private readonly Thread _thread;
    private readonly Lock _statsGate = new();
    private LogStats? _stats;
    private volatile bool _stop;

    private Materialization(RemoteStream stream, LogWriter writer, LogHandle handle, string name)
    {
        _stream = stream;
        _writer = writer;
        Handle = handle;
        _thread = new Thread(Run) { IsBackground = true, Name = "auki materialize " + name };
        handle.LiveStats = WrittenStats;
        handle.MaterializationErrorSource = () => Error ?? stream.Refusal;
    }

    /// <summary>The local copy's counters as of the last entries handed to the OS; null once its writer closed.</summary>
    /// <summary>State, lag and rate of the stream feeding this copy (entries it wrote before are counted as held).</summary>
    public StreamStatus Status() => _stream.Status();

    public LogStats? WrittenStats()
    {
        lock (_statsGate) return _stats;
    }

    private void WriteBuffered()
    {
        _writer.WriteBuffered();
        var stats = _writer.GetWrittenStats();
        lock (_statsGate) _stats = stats;
    }

    public LogHandle Handle { get; }

    /// <summary>Why ingestion stopped early (a local write failed), if it did.</summary>
    public AukiException? Error { get; private set; }

    public static Materialization Start(Domain domain, LogRef logRef, ulong retentionNs, ulong segmentDurationNs, Deadline deadline)
    {
        var session = domain.Session;
        if (logRef.SourcePeerId == domain.PeerId)
            throw AukiException.Invalid($"log {logRef} belongs to this peer: only remote logs are materialized");
        // Both ids come from the caller or a remote catalog and name local directories: refused
        // here, before the network is asked anything or a file is touched.
        string root = StorageLayout.LogRoot(session.StorageRoot, null, logRef.SourcePeerId, logRef.ResourceId);
        if (segmentDurationNs == 0) throw AukiException.Invalid("invalid manifest field `segment_duration_ns`: must be greater than zero");

        domain.Sync(deadline, $"materialization of {logRef}");
        var (server, advertised) = domain.ResolveServer(logRef);
        if (advertised is null)
            throw AukiException.NotFound($"peer {Ids.RustDebug.Str(logRef.SourcePeerId)} advertises no log {Ids.RustDebug.Str(logRef.ResourceId)} in domain {Ids.RustDebug.Str(domain.DomainId)} ({domain.Book.Rows(server)?.Count ?? 0} rows)");

        // Registry entries first (named by the catalog row), while the connection is not yet busy
        // with the stream's entries; everything that can fail remotely happens before anything is written.
        var entries = FetchRegistryEntries(domain, server, RefsOf(advertised), deadline);

        (long? lastTs, long countAtLast) = LastLocalEntry(root);
        var stream = domain.OpenPersistentStream(logRef, server, ReadFrom.FromStart, lastTs, countAtLast, deadline);
        try
        {
            var manifest = stream.Manifest ?? throw AukiException.Corrupt($"stream of {logRef} was accepted without a manifest");
            var row = stream.Row ?? throw AukiException.Corrupt($"stream of {logRef} was accepted without a catalog row");
            var kind = LogKinds.Parse((string?)row["variant"] ?? "");
            var spec = SpecFromManifest(kind, manifest, HeadOf(row), segmentDurationNs, retentionNs);
            if (spec.ResourceId != logRef.ResourceId)
                throw AukiException.Corrupt($"peer {logRef.SourcePeerId} answered for {spec.ResourceId}, not {logRef.ResourceId}");

            var local = LogManifest.Build(spec, logRef.SourcePeerId, domain.PeerId, session.AppId, session.SessionId);
            string manifestPath = Path.Combine(root, "manifest.json");
            if (File.Exists(manifestPath))
            {
                var existing = JsonText.Parse(IoErrors.Guard(() => File.ReadAllBytes(manifestPath), "io: ")) as JsonObject
                    ?? throw AukiException.Corrupt($"{manifestPath} is not a JSON object");
                if (CanonicalPart(existing) != CanonicalPart(local))
                    throw AukiException.Invalid($"{root} already holds a different log than {logRef} advertises now; move it away to materialize again");
                local = existing;
            }
            foreach (var (path, bytes) in entries)
                if (!IoErrors.Guard(() => File.Exists(path) && File.ReadAllBytes(path).AsSpan().SequenceEqual(bytes), "io: "))
                    IoErrors.Guard(() => AtomicFile.Write(path, bytes), "io: "); // absent, or damaged by a crash: the checked copy replaces it
            var writer = LogWriter.Open(root, local, new LogWriterOptions { FsyncIntervalNs = 1_000_000_000 });
            var held = writer.GetWrittenStats();
            stream.CountsFrom(held.Entries, held.FirstTimestampNs); // lag then covers the whole log, not just this run
            try
            {
                if (!File.Exists(manifestPath))
                    IoErrors.Guard(() => AtomicFile.Write(manifestPath, CanonicalJson.Serialize(local)), "io: ");
                var handle = new LogHandle(spec, logRef.SourcePeerId, root, local);
                if (spec is SensorLogSpec sensor) handle.RemoteSensor = SensorKindOf(session.StorageRoot, sensor.Sensor);
                if (spec is SensorLogSpec typed) handle.SensorBody = Datatypes.TypedPayloads.SensorBodyFromStore(session.StorageRoot, typed.Sensor);
                var m = new Materialization(stream, writer, handle, logRef.ToString());
                m.WriteBuffered();
                m._thread.Start();
                return m;
            }
            catch
            {
                writer.Close();
                throw;
            }
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    private void Run()
    {
        bool dirty = false;
        try
        {
            while (!_stop)
            {
                switch (_stream.Next(TimeSpan.FromMilliseconds(100), out var entry))
                {
                    case StreamNext.Entry:
                        _writer.Append(entry.TimestampNs, entry.Payload);
                        _stream.Recycle(entry.Payload); // written (or copied into the writer's buffer): the array can carry the next frame
                        dirty = true;
                        if (_stream.Queued == 0) { WriteBuffered(); dirty = false; }
                        break;
                    case StreamNext.Timeout:
                        if (dirty) { WriteBuffered(); dirty = false; }
                        break;
                    case StreamNext.End:
                        if (dirty) WriteBuffered();
                        if (_stream.EndReason == StreamProtocol.SealedReason) Seal();
                        return;
                }
            }
        }
        catch (Exception e)
        {
            Error = e as AukiException ?? AukiException.Internal($"materialization of {Handle.LogRef} stopped: {e.Message}", e);
        }
        finally
        {
            lock (_statsGate) _stats = null; // the catalog measures the closed copy (once, when sealed)
            try { _writer.Close(); } catch (Exception) { } // ingestion has ended and Error says why; closing is best effort
        }
    }

    private void Seal()
    {
        var stats = _writer.GetStats();
        lock (_statsGate) _stats = null;
        _writer.Close();
        if (stats.FirstTimestampNs is long first && stats.LastTimestampNs is long last)
        {
            var extent = new JsonObject { ["start_at_ns"] = first, ["finish_at_ns"] = last };
            IoErrors.Guard(() => AtomicFile.Write(Path.Combine(Handle.Root, LogData.SealedFileName), CanonicalJson.Serialize(extent)), "io: ");
        }
    }

    /// <summary>Wait until the local log holds everything received and is sealed (for sealed remote logs), up to <paramref name="timeout"/>.</summary>
    public bool WaitFinished(TimeSpan timeout) => _thread.Join(timeout);

    /// <summary>Stop ingesting; the local log keeps what it has.</summary>
    public void Stop()
    {
        _stop = true;
        _stream.Dispose();
        if (Thread.CurrentThread != _thread) _thread.Join();
    }

    /// <summary>The last timestamp of a local log and how many entries carry it (none for a new log).</summary>
    internal static (long? Last, long Count) LastLocalEntry(string root) =>
        File.Exists(Path.Combine(root, "log_manifest.json")) ? LogReader.Open(root).LastTimestampRun() : (null, 0);

    /// <summary>The <c>kind</c> and <c>type</c> of a sensor entry copied under <paramref name="root"/>, for the catalog row.</summary>
    private static (string Kind, string Type)? SensorKindOf(string root, RegistryRef sensor)
    {
        byte[]? bytes = RegistryStore.ReadBytes(root, RegistryKind.Sensor, sensor.PeerId, sensor.Id, sensor.Hash);
        if (bytes is null || JsonText.Parse(bytes) is not JsonObject body) return null;
        return ((string?)body["kind"] ?? "camera", (string?)body["type"] ?? "");
    }

    private static string CanonicalPart(JsonObject manifest)
    {
        var copy = (JsonObject)manifest.DeepClone();
        foreach (var local in new[] { "writer_peer_id", "app_id", "session_id", "segment_duration_ns", "retention_ns" })
            copy.Remove(local);
        return Encoding.UTF8.GetString(CanonicalJson.Serialize(copy));
    }

    private static HeadSpec HeadOf(JsonObject row) =>
        row["head"] is JsonObject head && (string?)head["kind"] == "rolling"
            ? HeadSpec.Rolling((long?)head["retention_ns"] ?? 0)
            : HeadSpec.Fixed();

    /// <summary>The spec a log was declared with, rebuilt from its manifest (refs and kind fields) and this peer's durations.</summary>
    internal static LogSpec SpecFromManifest(LogKind kind, JsonObject manifest, HeadSpec head, ulong segmentDurationNs, ulong retentionNs)
    {
        var f = JsonFields.Of(manifest, "struct LogManifest");
        RegistryRef Ref(string key) => RegistryRef.FromJson(f.Required(key));
        return kind switch
        {
            LogKind.Sensor => new SensorLogSpec(Ref("sensor"), Ref("clock"), head, segmentDurationNs, retentionNs,
                f.Has("frame") ? Ref("frame") : null),
            LogKind.Pose => new PoseLogSpec(Ref("from_frame"), Ref("to_frame"), Ref("clock"),
                f.Required("source").DeepClone().AsObject(), f.Enum("writer_mode", ["rigid", "movable"]), f.U32("expected_rate_hz"),
                head, segmentDurationNs, retentionNs),
            LogKind.TimeTransform => new TimeTransformLogSpec(Ref("from_clock"), Ref("to_clock"), f.Required("source").DeepClone().AsObject(),
                head, segmentDurationNs, retentionNs),
            _ => new DetectionLogSpec(f.OptionalString("instance_id"), Ref("detector"), LogRef.FromJson(f.Required("input_log")),
                Ref("input_sensor"), Ref("clock"), f.Raw("cadence")?.DeepClone() as JsonObject, head, segmentDurationNs, retentionNs),
        };
    }

    private static readonly (string Field, RegistryKind Kind)[] RefFields =
    [
        ("frame", RegistryKind.Frame), ("from_frame", RegistryKind.Frame), ("to_frame", RegistryKind.Frame),
        ("clock", RegistryKind.Clock), ("from_clock", RegistryKind.Clock), ("to_clock", RegistryKind.Clock),
        ("sensor", RegistryKind.Sensor), ("input_sensor", RegistryKind.Sensor), ("detector", RegistryKind.Detector),
    ];

    /// <summary>
    /// Every registry entry wanted (and the frame each sensor names), fetched from the
    /// owner (or the entry's own peer) and verified; returned as (path, bytes), frames first.
    /// </summary>
    /// <summary>The registry refs a catalog row names: its manifest pointer block, plus the sensor of a sensor log.</summary>
    private static List<(RegistryKind Kind, RegistryRef Ref)> RefsOf(JsonObject row)
    {
        var wanted = new List<(RegistryKind Kind, RegistryRef Ref)>();
        if (row["sensor"] is JsonObject sensor)
            wanted.Add((RegistryKind.Sensor, new RegistryRef((string)row["source_peer_id"]!, (string)sensor["sensor_id"]!, (string)sensor["sensor_hash"]!)));
        if (row["manifest"] is JsonObject pointer)
            foreach (var (field, kind) in RefFields)
                if (pointer[field] is JsonObject r) wanted.Add((kind, RegistryRef.FromJson(r)));
        return wanted;
    }

    private static List<(string Path, byte[] Bytes)> FetchRegistryEntries(Domain domain, string server, List<(RegistryKind Kind, RegistryRef Ref)> wanted,
        Deadline deadline)
    {
        var fetched = new List<(string Path, byte[] Bytes, int Order)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < wanted.Count; i++)
        {
            var (kind, reference) = wanted[i];
            if (!seen.Add(kind + "/" + reference)) continue;
            string path = RegistryStore.EntryPath(domain.Session.StorageRoot, kind, reference.PeerId, reference.Id, reference.Hash);
            byte[]? bytes = RegistryStore.ReadIntactOrNull(domain.Session.StorageRoot, kind, reference.PeerId, reference.Id, reference.Hash);
            if (bytes is null)
            {
                try
                {
                    bytes = domain.FetchRegistryEntry(kind, reference.PeerId, reference.Id, reference.Hash, server, deadline);
                }
                catch (AukiException e) when (e.Code == AukiErrorCode.NotFound && reference.PeerId != server && domain.Book.Has(reference.PeerId))
                {
                    bytes = domain.FetchRegistryEntry(kind, reference.PeerId, reference.Id, reference.Hash, reference.PeerId, deadline);
                }
            }
            fetched.Add((path, bytes, kind == RegistryKind.Frame ? 0 : 1));
            if (kind == RegistryKind.Sensor && SensorBody.FrameOf((JsonObject)JsonText.Parse(bytes)!) is RegistryRef frame)
                wanted.Add((RegistryKind.Frame, frame));
        }
        return fetched.OrderBy(e => e.Order).Select(e => (e.Path, e.Bytes)).ToList();
    }
}
