using System.Text.Json.Nodes;
using Auki.Manifests;
using Google.Protobuf.Reflection;

namespace Auki.Datatypes;

/// <summary>
/// Which upstream message a log's entries carry (the reference's section 5): from the log's kind
/// and, for sensor logs, its sensor's body. Null means the log is opaque bytes (an <c>rf</c> sensor,
/// a rangefinder that is not a point cloud, or a sensor whose entry is unknown).
/// </summary>
public static class PayloadTypes
{
    private static readonly MessageDescriptor[] All =
    [
        Camera.CameraFrame.Descriptor, PointCloud.Data.Descriptor, Audio.Data.Descriptor, JointEncoders.Data.Descriptor,
        Scalar.Data.Descriptor, Pose.SpatialTransform.Descriptor, TimeTransform.TimeTransformEntry.Descriptor,
        Detection.DetectionFrame.Descriptor, Map.MapUpdate.Descriptor,
    ];

    /// <summary>The message type of a log's entries, or null when its payloads are opaque.</summary>
    public static MessageDescriptor? Of(LogKind kind, JsonObject? sensorBody) => kind switch
    {
        LogKind.Pose => Pose.SpatialTransform.Descriptor,
        LogKind.TimeTransform => TimeTransform.TimeTransformEntry.Descriptor,
        LogKind.Detection => Detection.DetectionFrame.Descriptor,
        LogKind.Sensor => OfSensor(sensorBody),
        _ => null,
    };

    /// <summary>A sensor log's message type from its sensor body (kind, and type for rangefinders).</summary>
    public static MessageDescriptor? OfSensor(JsonObject? body) => (string?)body?["kind"] switch
    {
        "camera" => Camera.CameraFrame.Descriptor,
        "rangefinder" when (string?)body!["type"] == "point_cloud" => PointCloud.Data.Descriptor,
        "audio" => Audio.Data.Descriptor,
        "joint_encoders" => JointEncoders.Data.Descriptor,
        "scalar" => Scalar.Data.Descriptor,
        _ => null,
    };

    /// <summary>A log payload type by its protobuf full name (<c>auki.pose.SpatialTransform</c>); null if it is none.</summary>
    public static MessageDescriptor? Find(string fullName)
    {
        foreach (var d in All)
            if (d.FullName == fullName) return d;
        return null;
    }

    /// <summary>Like <see cref="Find"/>, but an unknown name is an InvalidArgument naming the known ones.</summary>
    public static MessageDescriptor Require(string fullName) => Find(fullName)
        ?? throw AukiException.Invalid($"type: unknown payload type `{fullName}`, expected one of {string.Join(", ", All.Select(d => $"`{d.FullName}`"))}");
}
