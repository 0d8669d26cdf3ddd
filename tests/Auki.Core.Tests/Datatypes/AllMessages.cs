using Google.Protobuf.Reflection;

namespace Auki.Core.Tests.Datatypes;

/// <summary>Every message type generated from proto/auki/*.proto, nested ones included.</summary>
static class AllMessages
{
    public static IEnumerable<FileDescriptor> Files() =>
    [
        Auki.Datatypes.Audio.AudioReflection.Descriptor,
        Auki.Datatypes.Camera.CameraReflection.Descriptor,
        Auki.Datatypes.Detection.DetectionReflection.Descriptor,
        Auki.Datatypes.JointEncoders.JointEncodersReflection.Descriptor,
        Auki.Datatypes.Map.MapReflection.Descriptor,
        Auki.Datatypes.Message.MessageReflection.Descriptor,
        Auki.Datatypes.PointCloud.PointCloudReflection.Descriptor,
        Auki.Datatypes.Pose.PoseReflection.Descriptor,
        Auki.Datatypes.Scalar.ScalarReflection.Descriptor,
        Auki.Datatypes.Stream.StreamReflection.Descriptor,
        Auki.Datatypes.TimeTransform.TimeTransformReflection.Descriptor,
    ];

    public static IEnumerable<MessageDescriptor> Descriptors() =>
        Files().SelectMany(f => f.MessageTypes).SelectMany(WithNested);

    static IEnumerable<MessageDescriptor> WithNested(MessageDescriptor m) =>
        new[] { m }.Concat(m.NestedTypes.SelectMany(WithNested));
}
