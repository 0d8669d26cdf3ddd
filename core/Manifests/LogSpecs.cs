using System.Text.Json.Nodes;
using Auki.Registry;

namespace Auki.Manifests;

/// <summary>
/// Everything a session needs to declare one log. Durations are unsigned like upstream's
/// <c>Duration</c>; manifests store them as i64, clamped at <see cref="long.MaxValue"/>.
/// </summary>
public abstract record LogSpec(RegistryRef Clock, HeadSpec Head, ulong SegmentDurationNs, ulong RetentionNs)
{
    /// <summary>Which kind of log this declares.</summary>
    public abstract LogKind Kind { get; }

    /// <summary>The log's resource id (section 8.4 of the compatibility reference).</summary>
    public abstract string ResourceId { get; }

    /// <summary>The manifest fields specific to this kind (refs, source, …).</summary>
    internal abstract void AddFields(JsonObject manifest);

    /// <summary>The catalog's <c>manifest</c> pointer block for this kind.</summary>
    internal abstract JsonObject CatalogPointer();

    /// <summary>The registry entries the manifest names, with their kinds.</summary>
    public abstract IEnumerable<(RegistryKind Kind, RegistryRef Ref)> References();
}

/// <summary>A sensor log: resource id = sensor id.</summary>
public sealed record SensorLogSpec(RegistryRef Sensor, RegistryRef Clock, HeadSpec Head, ulong SegmentDurationNs, ulong RetentionNs, RegistryRef? Frame = null)
    : LogSpec(Clock, Head, SegmentDurationNs, RetentionNs)
{
    /// <inheritdoc/>
    public override LogKind Kind => LogKind.Sensor;
    /// <inheritdoc/>
    public override string ResourceId => Sensor.Id;

    /// <inheritdoc/>
    public override IEnumerable<(RegistryKind Kind, RegistryRef Ref)> References()
    {
        yield return (RegistryKind.Sensor, Sensor);
        yield return (RegistryKind.Clock, Clock);
        if (Frame is not null) yield return (RegistryKind.Frame, Frame);
    }

    internal override void AddFields(JsonObject m)
    {
        m["sensor"] = Sensor.ToJson();
        m["clock"] = Clock.ToJson();
        if (Frame is not null) m["frame"] = Frame.ToJson();
    }

    internal override JsonObject CatalogPointer()
    {
        var p = new JsonObject { ["clock"] = Clock.ToJson() };
        if (Frame is not null) p["frame"] = Frame.ToJson();
        return p;
    }
}

/// <summary>A pose log: resource id = <c>from_frame.id-&gt;to_frame.id</c>.</summary>
public sealed record PoseLogSpec(RegistryRef FromFrame, RegistryRef ToFrame, RegistryRef Clock, JsonObject Source, string WriterMode,
    uint ExpectedRateHz, HeadSpec Head, ulong SegmentDurationNs, ulong RetentionNs)
    : LogSpec(Clock, Head, SegmentDurationNs, RetentionNs)
{
    /// <inheritdoc/>
    public override LogKind Kind => LogKind.Pose;
    /// <inheritdoc/>
    public override string ResourceId => $"{FromFrame.Id}->{ToFrame.Id}";

    /// <inheritdoc/>
    public override IEnumerable<(RegistryKind Kind, RegistryRef Ref)> References() =>
        [(RegistryKind.Frame, FromFrame), (RegistryKind.Frame, ToFrame), (RegistryKind.Clock, Clock)];

    internal override void AddFields(JsonObject m)
    {
        m["from_frame"] = FromFrame.ToJson();
        m["to_frame"] = ToFrame.ToJson();
        m["clock"] = Clock.ToJson();
        m["source"] = Source.DeepClone();
        m["writer_mode"] = WriterMode;
        m["expected_rate_hz"] = ExpectedRateHz;
    }

    internal override JsonObject CatalogPointer() => new()
    {
        ["from_frame"] = FromFrame.ToJson(),
        ["to_frame"] = ToFrame.ToJson(),
        ["clock"] = Clock.ToJson(),
        ["source"] = Source.DeepClone(),
        ["expected_rate_hz"] = ExpectedRateHz,
    };
}

/// <summary>A time-transform log: resource id = <c>from_clock.id-&gt;to_clock.id</c>.</summary>
public sealed record TimeTransformLogSpec(RegistryRef FromClock, RegistryRef ToClock, JsonObject Source, HeadSpec Head, ulong SegmentDurationNs, ulong RetentionNs)
    : LogSpec(FromClock, Head, SegmentDurationNs, RetentionNs)
{
    /// <inheritdoc/>
    public override LogKind Kind => LogKind.TimeTransform;
    /// <inheritdoc/>
    public override string ResourceId => $"{FromClock.Id}->{ToClock.Id}";

    /// <inheritdoc/>
    public override IEnumerable<(RegistryKind Kind, RegistryRef Ref)> References() =>
        [(RegistryKind.Clock, FromClock), (RegistryKind.Clock, ToClock)];

    internal override void AddFields(JsonObject m)
    {
        m["from_clock"] = FromClock.ToJson();
        m["to_clock"] = ToClock.ToJson();
        m["source"] = Source.DeepClone();
    }

    internal override JsonObject CatalogPointer() => new()
    {
        ["from_clock"] = FromClock.ToJson(),
        ["to_clock"] = ToClock.ToJson(),
        ["source"] = Source.DeepClone(),
    };
}

/// <summary>
/// A detection log. Era C gives an <see cref="InstanceId"/> (the resource id) and a cadence;
/// without them the era-A/B resource id <c>detector@input_sensor</c> is used.
/// </summary>
public sealed record DetectionLogSpec(string? InstanceId, RegistryRef Detector, LogRef InputLog, RegistryRef InputSensor, RegistryRef Clock,
    JsonObject? Cadence, HeadSpec Head, ulong SegmentDurationNs, ulong RetentionNs)
    : LogSpec(Clock, Head, SegmentDurationNs, RetentionNs)
{
    /// <inheritdoc/>
    public override LogKind Kind => LogKind.Detection;
    /// <inheritdoc/>
    public override string ResourceId => InstanceId ?? $"{Detector.Id}@{InputSensor.Id}";

    /// <inheritdoc/>
    public override IEnumerable<(RegistryKind Kind, RegistryRef Ref)> References() =>
        [(RegistryKind.Detector, Detector), (RegistryKind.Sensor, InputSensor), (RegistryKind.Clock, Clock)];

    internal override void AddFields(JsonObject m)
    {
        m["detector"] = Detector.ToJson();
        m["input_log"] = InputLog.ToJson();
        m["input_sensor"] = InputSensor.ToJson();
        m["clock"] = Clock.ToJson();
        if (InstanceId is not null) m["instance_id"] = InstanceId;
        if (Cadence is not null) m["cadence"] = Cadence.DeepClone();
    }

    internal override JsonObject CatalogPointer()
    {
        var p = new JsonObject
        {
            ["detector"] = Detector.ToJson(),
            ["input_log"] = InputLog.ToJson(),
            ["input_sensor"] = InputSensor.ToJson(),
            ["clock"] = Clock.ToJson(),
        };
        if (InstanceId is not null) p["instance_id"] = InstanceId;
        if (Cadence is not null) p["cadence"] = Cadence.DeepClone();
        return p;
    }
}
