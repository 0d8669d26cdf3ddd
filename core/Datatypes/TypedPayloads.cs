using System.Text.Json.Nodes;
using Auki.Manifests;
using Auki.Registry;
using Google.Protobuf.Reflection;

namespace Auki.Datatypes;

/// <summary>
/// The checks a typed append makes: the payload decodes as the log's message type and, for a raw
/// camera, its frame has the size the sensor body promises. Bytes appended untyped skip them.
/// </summary>
public static class TypedPayloads
{
    /// <summary>Throws InvalidArgument (naming the field) unless <paramref name="payload"/> fits the log.</summary>
    public static void Check(MessageDescriptor? type, CameraLayout? layout, ReadOnlySpan<byte> payload)
    {
        if (type is null) return;
        PayloadJson.Check(type, payload);
        if (layout is not null && type == Camera.CameraFrame.Descriptor) layout.CheckFrame(FrameLength(payload));
    }

    /// <summary>The length of a CameraFrame's <c>frame</c> (field 2, last occurrence wins), without copying it.</summary>
    public static long FrameLength(ReadOnlySpan<byte> payload)
    {
        var reader = new WireReader(payload);
        long length = 0;
        while (!reader.AtEnd)
        {
            ulong key = reader.Varint();
            if (key == (2 << 3 | 2)) length = reader.LengthDelimited().Length;
            else reader.Skip((int)(key & 7));
        }
        return length;
    }

    /// <summary>A sensor's body from the registry store (the file is the canonical body), or null.</summary>
    public static JsonObject? SensorBodyFromStore(string storageRoot, RegistryRef sensor)
    {
        byte[]? bytes = RegistryStore.ReadBytes(storageRoot, RegistryKind.Sensor, sensor.PeerId, sensor.Id, sensor.Hash);
        return bytes is null ? null : Json.JsonText.Parse(bytes) as JsonObject;
    }

    /// <summary>The message type of a recorded log from its kind name (<c>sensor</c>, <c>pose</c>, …) and sensor body.</summary>
    public static MessageDescriptor? Of(string? kind, JsonObject? sensorBody) =>
        kind is null ? null : PayloadTypes.Of(LogKinds.Parse(kind), sensorBody);
}
