using System.Text.Json.Nodes;
using Auki.Json;

namespace Auki.Manifests;

/// <summary>
/// The flat manifests upstream's <c>auki_manifests</c> Python module builds: refs spelled as
/// <c>&lt;name&gt;_id</c> / <c>&lt;name&gt;_hash</c> pairs, no peer ids (the shape before refs
/// carried peers). Field lists and their order are upstream's, which is also the order
/// <see cref="Validate"/> reports the first empty one in.
/// </summary>
public static class FlatManifest
{
    private static readonly string[] SensorFields = ["app_id", "session_id", "sensor_id", "sensor_hash", "clock_id", "clock_hash"];
    private static readonly string[] PoseFields = ["app_id", "session_id", "from_frame_id", "from_frame_hash", "to_frame_id", "to_frame_hash", "clock_id", "clock_hash"];
    private static readonly string[] TimeTransformFields = ["app_id", "session_id", "from_clock_id", "from_clock_hash", "to_clock_id", "to_clock_hash"];
    private static readonly string[] DetectionFields = ["app_id", "session_id", "detector_id", "detector_hash", "input_log_id", "input_sensor_id", "input_sensor_hash", "clock_id", "clock_hash"];

    /// <summary>Build a flat manifest of <paramref name="kind"/> from its keyword arguments.</summary>
    internal static JsonObject Build(LogKind kind, JsonFields args)
    {
        var m = new JsonObject();
        foreach (var name in FieldsOf(kind)) m[name] = Field(args, name, JsonFields.AsString);
        switch (kind)
        {
            case LogKind.Sensor:
                // Upstream: optional frame_id / frame_hash, each key omitted when None.
                if (args.Has("frame_id")) m["frame_id"] = Field(args, "frame_id", JsonFields.AsString);
                if (args.Has("frame_hash")) m["frame_hash"] = Field(args, "frame_hash", JsonFields.AsString);
                break;
            case LogKind.Pose:
                m["source"] = Field(args, "source", ManifestEnums.ParsePoseSource);
                m["writer_mode"] = Field(args, "writer_mode", ManifestEnums.ParseWriterMode);
                m["expected_rate_hz"] = Field(args, "expected_rate_hz", n => (uint)JsonFields.Integer(n, 0, uint.MaxValue, "u32"));
                break;
            case LogKind.TimeTransform:
                m["source"] = Field(args, "source", ManifestEnums.ParseTimeTransformSource);
                break;
        }
        m["segment_duration_ns"] = Duration(args, "segment_duration_ns");
        m["retention_ns"] = Duration(args, "retention_ns");
        return m;
    }

    /// <summary>Upstream's flat <c>validate()</c>: string fields non-empty, frame id and hash paired, durations.</summary>
    public static void Validate(JsonObject manifest)
    {
        var f = JsonFields.Of(manifest, "struct LogManifest");
        var kind = KindOf(manifest);
        foreach (var name in FieldsOf(kind))
            if (Field(f, name, JsonFields.AsString).Length == 0) throw Invalid(name, "must not be empty");
        if (kind == LogKind.Sensor)
        {
            string? id = f.OptionalString("frame_id"), hash = f.OptionalString("frame_hash");
            if (id is null && hash is not null) throw Invalid("frame_id", "must be set when paired field is set");
            if (id is not null && hash is null) throw Invalid("frame_hash", "must be set when paired field is set");
            if (id is { Length: 0 }) throw Invalid("frame_id", "must not be empty");
            if (hash is { Length: 0 }) throw Invalid("frame_hash", "must not be empty");
        }
        if (Field(f, "segment_duration_ns", n => (long)JsonFields.Integer(n, long.MinValue, long.MaxValue, "i64")) <= 0)
            throw Invalid("segment_duration_ns", "must be greater than zero");
        if (Field(f, "retention_ns", n => (long)JsonFields.Integer(n, long.MinValue, long.MaxValue, "i64")) < 0)
            throw Invalid("retention_ns", "must be greater than or equal to zero");
    }

    private static LogKind KindOf(JsonObject m) =>
        m.ContainsKey("detector_id") ? LogKind.Detection
        : m.ContainsKey("from_frame_id") ? LogKind.Pose
        : m.ContainsKey("from_clock_id") ? LogKind.TimeTransform
        : m.ContainsKey("sensor_id") ? LogKind.Sensor
        : throw AukiException.Invalid("invalid manifest: not a sensor, pose, time transform or detection log manifest");

    private static string[] FieldsOf(LogKind kind) => kind switch
    {
        LogKind.Sensor => SensorFields,
        LogKind.Pose => PoseFields,
        LogKind.TimeTransform => TimeTransformFields,
        LogKind.Detection => DetectionFields,
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    private static long Duration(JsonFields f, string name) =>
        LogManifest.ClampToI64(Field(f, name, n => (ulong)JsonFields.Integer(n, 0, ulong.MaxValue, "u64")));

    private static T Field<T>(JsonFields f, string name, Func<JsonNode?, T> parse)
    {
        try { return parse(f.Required(name)); }
        catch (AukiException e) { throw e.WithPrefix(name); }
    }

    private static AukiException Invalid(string field, string reason) =>
        AukiException.Invalid($"invalid manifest field `{field}`: {reason}");
}
