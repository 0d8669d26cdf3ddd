using System.Text.Json.Nodes;
using Auki.Json;
using Auki.Registry;

namespace Auki.Manifests;

/// <summary>
/// Log specs as JSON, the form the C ABI and the Python binding pass in. Field names are the
/// Python keyword names; each parse error is prefixed with its field (<c>source: …</c>), as upstream.
/// </summary>
public static class LogSpecJson
{
    /// <summary>Parse a spec of the given kind.</summary>
    public static LogSpec Parse(LogKind kind, JsonNode? node)
    {
        var f = JsonFields.Of(node, "struct LogSpec");
        return kind switch
        {
            LogKind.Sensor => new SensorLogSpec(
                Ref(f, "sensor"), Ref(f, "clock"), Head(f), Duration(f, "segment_duration_ns"), Duration(f, "retention_ns"),
                f.Has("frame") ? Ref(f, "frame") : null),
            LogKind.Pose => new PoseLogSpec(
                Ref(f, "from_frame"), Ref(f, "to_frame"), Ref(f, "clock"),
                Field(f, "source", ManifestEnums.ParsePoseSource),
                Field(f, "writer_mode", ManifestEnums.ParseWriterMode),
                Field(f, "expected_rate_hz", n => (uint)JsonFields.Integer(n, 0, uint.MaxValue, "u32")),
                Head(f), Duration(f, "segment_duration_ns"), Duration(f, "retention_ns")),
            LogKind.TimeTransform => new TimeTransformLogSpec(
                Ref(f, "from_clock"), Ref(f, "to_clock"),
                Field(f, "source", ManifestEnums.ParseTimeTransformSource),
                Head(f), Duration(f, "segment_duration_ns"), Duration(f, "retention_ns")),
            LogKind.Detection => new DetectionLogSpec(
                f.Has("instance_id") ? Field(f, "instance_id", JsonFields.AsString) : null,
                Ref(f, "detector"), Field(f, "input_log", LogRef.FromJson), Ref(f, "input_sensor"), Ref(f, "clock"),
                f.Has("cadence") ? Field(f, "cadence", ManifestEnums.ParseCadence) : null,
                Head(f), Duration(f, "segment_duration_ns"), Duration(f, "retention_ns")),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
    }

    private static T Field<T>(JsonFields f, string name, Func<JsonNode?, T> parse)
    {
        try { return parse(f.Required(name)); }
        catch (AukiException e) { throw e.WithPrefix(name); }
    }

    private static RegistryRef Ref(JsonFields f, string name) => Field(f, name, RegistryRef.FromJson);

    private static HeadSpec Head(JsonFields f) => Field(f, "head", HeadSpec.FromJson);

    private static ulong Duration(JsonFields f, string name) =>
        Field(f, name, n => (ulong)JsonFields.Integer(n, 0, ulong.MaxValue, "u64"));
}
