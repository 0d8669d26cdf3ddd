namespace Auki.Registry;

/// <summary>The registries, each a directory under <c>&lt;root&gt;/registries/</c>.</summary>
public enum RegistryKind
{
    /// <summary><c>registries/sensors</c>, id field <c>sensor_id</c>.</summary>
    Sensor,
    /// <summary><c>registries/clocks</c>, id field <c>clock_id</c>.</summary>
    Clock,
    /// <summary><c>registries/frames</c>, id field <c>frame_id</c>.</summary>
    Frame,
    /// <summary><c>registries/detectors</c>, id field <c>detector_id</c>.</summary>
    Detector,
    /// <summary><c>registries/maps</c>, id field <c>map_id</c> (era C voxel maps).</summary>
    Map,
    /// <summary><c>registries/device_models</c>, id field <c>device_model_id</c> (URDF models; newest registry).</summary>
    DeviceModel,
}

/// <summary>Names that belong to each registry kind.</summary>
public static class RegistryKinds
{
    /// <summary>Directory name under <c>registries/</c>.</summary>
    public static string Directory(this RegistryKind kind) => kind switch
    {
        RegistryKind.Sensor => "sensors",
        RegistryKind.Clock => "clocks",
        RegistryKind.Frame => "frames",
        RegistryKind.Detector => "detectors",
        RegistryKind.Map => "maps",
        RegistryKind.DeviceModel => "device_models",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>The entry's id key (<c>sensor_id</c>, …).</summary>
    public static string IdField(this RegistryKind kind) => kind switch
    {
        RegistryKind.Sensor => "sensor_id",
        RegistryKind.Clock => "clock_id",
        RegistryKind.Frame => "frame_id",
        RegistryKind.Detector => "detector_id",
        RegistryKind.Map => "map_id",
        RegistryKind.DeviceModel => "device_model_id",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>Singular name used in messages and the C ABI (<c>sensor</c>, …).</summary>
    public static string Singular(this RegistryKind kind) => kind switch
    {
        RegistryKind.Sensor => "sensor",
        RegistryKind.Clock => "clock",
        RegistryKind.Frame => "frame",
        RegistryKind.Detector => "detector",
        RegistryKind.Map => "map",
        RegistryKind.DeviceModel => "device_model",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>Parse a singular or plural kind name.</summary>
    public static RegistryKind Parse(string name) => name switch
    {
        "sensor" or "sensors" => RegistryKind.Sensor,
        "clock" or "clocks" => RegistryKind.Clock,
        "frame" or "frames" => RegistryKind.Frame,
        "detector" or "detectors" => RegistryKind.Detector,
        "map" or "maps" => RegistryKind.Map,
        "device_model" or "device_models" => RegistryKind.DeviceModel,
        _ => throw AukiException.Invalid($"unknown registry kind `{name}`, expected one of `sensor`, `clock`, `frame`, `detector`, `map`, `device_model`"),
    };
}
