using System.Text.Json.Nodes;
using Auki.Ids;
using Auki.Registry;

namespace Auki.Sessions;

/// <summary>
/// A device's identity (peer id, app id) and the registries it owns: frames, sensors and
/// detectors, written content-addressed under the storage root and remembered in memory for
/// log registration. Sessions read the peer's identity and storage root live.
/// </summary>
public sealed partial class Peer
{
    private readonly object _gate = new();
    private readonly Dictionary<string, RegistryEntry> _sensors = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RegistryEntry> _frames = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RegistryEntry> _detectors = new(StringComparer.Ordinal);
    private string _storageRoot = ".";

    /// <summary>A peer rooted at <c>"."</c> until <see cref="StorageRoot"/> is set.</summary>
    public Peer(string peerId, string appId)
    {
        // Not in upstream (which takes any string): the peer id names directories under the root,
        // so one that would leave it ("..", "/abs", "a//b") is refused here, before anything exists.
        PathId.Validate(peerId, "peer id", PathId.Form.Nested);
        PathId.Validate(peerId, "peer id", PathId.Form.Flattened);
        PeerId = peerId;
        AppId = appId;
    }

    /// <summary>The peer id (libp2p peer id in a domain; any string locally).</summary>
    public string PeerId { get; }
    /// <summary>The application id.</summary>
    public string AppId { get; }

    /// <summary>Where registries and logs are written; used exactly as given.</summary>
    public string StorageRoot
    {
        get { lock (_gate) return _storageRoot; }
        set { lock (_gate) _storageRoot = value; }
    }

    /// <summary>Register a frame convention under <paramref name="frameId"/>.</summary>
    public RegistryRef RegisterFrame(string frameId, FrameDef def)
    {
        RegistryId.Validate(frameId);
        def.Validate();
        return Commit(_frames, new RegistryEntry(RegistryKind.Frame, PeerId, frameId, def.ToBody()));
    }

    /// <summary>Register a sensor; the body is parsed first (errors prefixed <c>body: </c>), then the id checked.</summary>
    public RegistryRef RegisterSensor(string sensorId, JsonNode? body)
    {
        JsonObject parsed = Prefixed("body", () => SensorBody.Parse(body));
        RegistryId.Validate(sensorId);
        return Commit(_sensors, new RegistryEntry(RegistryKind.Sensor, PeerId, sensorId, parsed));
    }

    /// <summary>Register a detector with its output types and, optionally (era C), its input types.</summary>
    public RegistryRef RegisterDetector(string detectorId, JsonNode? body, JsonNode? outputTypes, JsonNode? inputTypes = null)
    {
        JsonObject parsed = Prefixed("body", () => DetectorBody.Parse(body));
        parsed["output_types"] = Prefixed("output_types", () => DetectorBody.ParseOutputTypes(outputTypes));
        if (inputTypes is not null) parsed["input_types"] = Prefixed("input_types", () => DetectorBody.ParseInputTypes(inputTypes));
        RegistryId.Validate(detectorId);
        return Commit(_detectors, new RegistryEntry(RegistryKind.Detector, PeerId, detectorId, parsed));
    }

    /// <summary>Start a boot session: mints a ULID and registers its monotonic and UTC clocks.</summary>
    public Session StartSession() => Session.Start(this);

    /// <summary>The sensor entry last registered under <paramref name="sensorId"/> by this object, if any.</summary>
    public RegistryEntry? Sensor(string sensorId) { lock (_gate) return _sensors.GetValueOrDefault(sensorId); }
    /// <summary>The frame entry last registered under <paramref name="frameId"/>, if any.</summary>
    public RegistryEntry? Frame(string frameId) { lock (_gate) return _frames.GetValueOrDefault(frameId); }
    /// <summary>The detector entry last registered under <paramref name="detectorId"/>, if any.</summary>
    public RegistryEntry? Detector(string detectorId) { lock (_gate) return _detectors.GetValueOrDefault(detectorId); }

    /// <summary>Persist under the current root, then remember it (replacing an older version of the id).</summary>
    internal RegistryRef Commit(Dictionary<string, RegistryEntry> store, RegistryEntry entry)
    {
        RegistryStore.Write(StorageRoot, entry, Deferred);
        lock (_gate) store[entry.Id] = entry;
        return entry.Ref();
    }

    internal static T Prefixed<T>(string prefix, Func<T> parse)
    {
        try { return parse(); }
        catch (AukiException e) { throw e.WithPrefix(prefix); }
    }
}
