namespace Auki.Manifests;

/// <summary>The four log kinds a session declares (the catalog's <c>variant</c>).</summary>
public enum LogKind
{
    /// <summary>Raw sensor data; resource id = sensor id.</summary>
    Sensor,
    /// <summary>Transforms between two frames; resource id = <c>from-&gt;to</c>.</summary>
    Pose,
    /// <summary>Mapping between two clocks; resource id = <c>from-&gt;to</c>.</summary>
    TimeTransform,
    /// <summary>Detector output; resource id = instance id or <c>detector@sensor</c>.</summary>
    Detection,
}

/// <summary>Names of log kinds.</summary>
public static class LogKinds
{
    /// <summary>The catalog variant name (<c>sensor_log</c>, …).</summary>
    public static string Variant(this LogKind kind) => kind switch
    {
        LogKind.Sensor => "sensor_log",
        LogKind.Pose => "pose_log",
        LogKind.TimeTransform => "time_transform_log",
        LogKind.Detection => "detection_log",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>Parse a variant name or a short kind (<c>sensor</c>, <c>pose</c>, …).</summary>
    public static LogKind Parse(string name) => name switch
    {
        "sensor" or "sensor_log" => LogKind.Sensor,
        "pose" or "pose_log" => LogKind.Pose,
        "time_transform" or "time_transform_log" => LogKind.TimeTransform,
        "detection" or "detection_log" => LogKind.Detection,
        _ => throw AukiException.Invalid($"unknown log kind `{name}`, expected one of `sensor`, `pose`, `time_transform`, `detection`"),
    };
}
