using System.Text.Json.Nodes;
using Auki.Manifests;
using Auki.Registry;

namespace Auki.Sessions;

/// <summary>
/// A declared log: its resource id, where it lives, and the manifest written for it. Data flows
/// through the log directory at <see cref="Root"/> (auki-logs layout beside <c>manifest.json</c>).
/// </summary>
public sealed class LogHandle
{
    /// <summary>Sensor, pose, time-transform or detection.</summary>
    public LogKind Kind { get; }
    /// <summary>The resource id (section 8.4 rules).</summary>
    public string ResourceId { get; }
    /// <summary>The peer whose data this is.</summary>
    public string SourcePeerId { get; }
    /// <summary>The log directory (holds manifest.json).</summary>
    public string Root { get; }
    /// <summary>The spec the log was declared with.</summary>
    public LogSpec Spec { get; }
    /// <summary>The manifest as written (canonical JSON).</summary>
    public JsonObject Manifest { get; }

    internal LogHandle(LogSpec spec, string sourcePeerId, string root, JsonObject manifest)
    {
        Kind = spec.Kind;
        ResourceId = spec.ResourceId;
        SourcePeerId = sourcePeerId;
        Root = root;
        Spec = spec;
        Manifest = manifest;
        Data = new LogData(root, manifest, sealOnClose: !spec.Head.IsRolling);
    }

    /// <summary>Append, read and tail this log's data (beyond upstream).</summary>
    public LogData Data { get; }

    /// <summary>
    /// Counters of the writer this process runs for the log, if any (the catalog uses them instead
    /// of scanning segments). Default: <see cref="LogData.WrittenStats"/>; a materialization supplies its own.
    /// </summary>
    internal Func<Logs.LogStats?>? LiveStats { get; set; }

    /// <summary>The availability a sealed log was last measured with (it cannot change any more).</summary>
    internal System.Runtime.CompilerServices.StrongBox<Catalog.LogAvailability>? SealedAvailability { get; set; }

    /// <summary>For a copy of a remote sensor log: the sensor's <c>kind</c> and <c>type</c> from its copied registry entry.</summary>
    internal (string Kind, string Type)? RemoteSensor { get; set; }

    /// <summary>
    /// For a materialized copy: why ingestion stopped or refused its server's entries (a local write failed,
    /// or the server sent an entry a local append refuses: that entry and what followed were not written); null while all is well.
    /// </summary>
    public AukiException? MaterializationError => MaterializationErrorSource?.Invoke();

    internal Func<AukiException?>? MaterializationErrorSource { get; set; }

    /// <summary>For a sensor log: its sensor's body (from this peer's registry or the copied entry); null when unknown.</summary>
    internal JsonObject? SensorBody
    {
        get => _sensorBody;
        set { _sensorBody = value; _payloadType = null; }
    }

    private JsonObject? _sensorBody;

    // What a typed append checks against, read from the body once (not per entry: that parse cost
    // more than the append itself); replaced whenever the body is. A class, so a reader on another
    // thread sees the old pair or the new one, never half of each.
    private sealed record TypedCheck(Google.Protobuf.Reflection.MessageDescriptor? Type, Datatypes.CameraLayout? Layout);

    private TypedCheck? _payloadType;

    private TypedCheck Typed => _payloadType ??= new(Datatypes.PayloadTypes.Of(Kind, _sensorBody), Datatypes.CameraLayout.Of(_sensorBody));

    /// <summary>The message type of this log's entries (issue 11: from its kind and sensor kind); null for opaque payloads.</summary>
    public Google.Protobuf.Reflection.MessageDescriptor? PayloadType => Typed.Type;

    /// <summary>For a camera log: how its frames are laid out; null otherwise.</summary>
    public Datatypes.CameraLayout? FrameLayout => Typed.Layout;

    /// <summary>Append a typed entry: checked against <see cref="PayloadType"/> and <see cref="FrameLayout"/>, refused (nothing written) when it does not fit.</summary>
    public void AppendTyped(long timestampNs, ReadOnlySpan<byte> payload)
    {
        var (type, layout) = Typed;
        Datatypes.TypedPayloads.Check(type, layout, payload);
        Data.Append(timestampNs, payload);
    }

    /// <summary>A fresh LogRef naming this log.</summary>
    public LogRef LogRef => new(SourcePeerId, ResourceId);

    /// <summary>The head the catalog reports.</summary>
    public HeadSpec Head => Spec.Head;

    /// <summary>Path of the manifest file.</summary>
    public string ManifestPath => Storage.StorageLayout.LogManifestPath(Root);
}
