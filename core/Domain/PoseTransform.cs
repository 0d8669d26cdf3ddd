using System.Text.Json.Nodes;
using Auki.Datatypes;
using Auki.Datatypes.Pose;
using Auki.Json;
using Google.Protobuf;

namespace Auki.Domains;

/// <summary>
/// One pose-log entry, upstream's <c>auki.pose.SpatialTransform</c>: translation <c>x, y, z</c> and a
/// Hamilton quaternion <c>x, y, z, w</c> (doubles), mapping points from the log's <c>to_frame</c> into
/// its <c>from_frame</c>. The payload is the protobuf message, byte-identical with upstream; an unset
/// field reads as 0 (upstream's defaults, so a missing orientation is not the identity).
/// </summary>
public readonly record struct PoseTransform(double Tx, double Ty, double Tz, double Qx, double Qy, double Qz, double Qw)
{
    /// <summary>The largest encoded pose: both sub-messages with every component set.</summary>
    public const int MaxPayloadSize = 67;

    /// <summary>The pre-protobuf payload size (seven f64); such entries are no longer read.</summary>
    private const int RetiredPayloadSize = 56;

    /// <summary>The identity transform.</summary>
    public static PoseTransform Identity => new(0, 0, 0, 0, 0, 0, 1);

    /// <summary>The message (both sub-messages present, as upstream's producers write them).</summary>
    public SpatialTransform ToMessage() => new()
    {
        Translation = new Vec3 { X = Tx, Y = Ty, Z = Tz },
        Orientation = new Quat { X = Qx, Y = Qy, Z = Qz, W = Qw },
    };

    /// <summary>The payload bytes.</summary>
    public byte[] Encode() => ToMessage().ToByteArray();

    /// <summary>Encode into <paramref name="destination"/>; the number of bytes written.</summary>
    public int Encode(Span<byte> destination)
    {
        var message = ToMessage();
        int size = message.CalculateSize();
        if (destination.Length < size) throw AukiException.Invalid($"pose payload buffer holds {destination.Length} bytes, the pose needs {size}");
        message.WriteTo(destination[..size]);
        return size;
    }

    /// <summary>Decode a payload; InvalidArgument naming the field when it is not a SpatialTransform.</summary>
    public static PoseTransform Decode(ReadOnlySpan<byte> payload)
    {
        try { PayloadJson.Check(SpatialTransform.Descriptor, payload); }
        catch (AukiException e) when (payload.Length == RetiredPayloadSize)
        {
            throw AukiException.Invalid(e.Message + " (56 bytes: the retired seven-f64 pose format, which is no longer read; rewrite the entry as a SpatialTransform)");
        }
        return From(SpatialTransform.Parser.ParseFrom(payload));
    }

    /// <summary>From the message (unset sub-messages read as zeros).</summary>
    public static PoseTransform From(SpatialTransform m)
    {
        Vec3 t = m.Translation ?? new Vec3();
        Quat q = m.Orientation ?? new Quat();
        return new PoseTransform(t.X, t.Y, t.Z, q.X, q.Y, q.Z, q.W);
    }

    /// <summary>The canonical JSON form (proto3 JSON of the message: <c>{"translation":{…},"orientation":{…}}</c>, zeros omitted).</summary>
    public JsonObject ToJson() => PayloadJson.ToJson(SpatialTransform.Descriptor, Encode());

    /// <summary>Parse the JSON form (missing components are 0).</summary>
    public static PoseTransform FromJson(JsonNode? node)
    {
        var f = JsonFields.Of(node, "struct SpatialTransform");
        var t = JsonFields.Of(f.Raw("translation") ?? new JsonObject(), "struct Vec3");
        var r = JsonFields.Of(f.Raw("orientation") ?? new JsonObject(), "struct Quat");
        return new PoseTransform(F(t, "x"), F(t, "y"), F(t, "z"), F(r, "x"), F(r, "y"), F(r, "z"), F(r, "w"));
    }

    private static double F(JsonFields f, string key) => f.Has(key) ? f.F64(key) : 0.0;
}
