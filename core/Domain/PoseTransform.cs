using System.Buffers.Binary;
using System.Globalization;
using System.Text.Json.Nodes;
using Auki.Json;

namespace Auki.Domains;

/// <summary>
/// The payload of a pose-log entry (ours; upstream leaves it to protobuf): 56 bytes, seven
/// little-endian IEEE-754 f64 — translation <c>tx, ty, tz</c>, then a Hamilton unit quaternion
/// <c>qx, qy, qz, qw</c>. It maps points from the log's <c>to_frame</c> into its <c>from_frame</c>.
/// </summary>
public readonly record struct PoseTransform(double Tx, double Ty, double Tz, double Qx, double Qy, double Qz, double Qw)
{
    /// <summary>Bytes of one encoded pose.</summary>
    public const int PayloadSize = 56;

    /// <summary>The identity transform.</summary>
    public static PoseTransform Identity => new(0, 0, 0, 0, 0, 0, 1);

    /// <summary>Encode into <paramref name="destination"/> (at least 56 bytes).</summary>
    public void Encode(Span<byte> destination)
    {
        if (destination.Length < PayloadSize) throw AukiException.Invalid("pose payload buffer must hold 56 bytes");
        BinaryPrimitives.WriteDoubleLittleEndian(destination, Tx);
        BinaryPrimitives.WriteDoubleLittleEndian(destination[8..], Ty);
        BinaryPrimitives.WriteDoubleLittleEndian(destination[16..], Tz);
        BinaryPrimitives.WriteDoubleLittleEndian(destination[24..], Qx);
        BinaryPrimitives.WriteDoubleLittleEndian(destination[32..], Qy);
        BinaryPrimitives.WriteDoubleLittleEndian(destination[40..], Qz);
        BinaryPrimitives.WriteDoubleLittleEndian(destination[48..], Qw);
    }

    /// <summary>The 56 payload bytes.</summary>
    public byte[] Encode()
    {
        byte[] bytes = new byte[PayloadSize];
        Encode(bytes);
        return bytes;
    }

    /// <summary>Decode a payload; InvalidArgument unless it is exactly 56 bytes.</summary>
    public static PoseTransform Decode(ReadOnlySpan<byte> payload)
    {
        if (payload.Length != PayloadSize)
            throw AukiException.Invalid(string.Create(CultureInfo.InvariantCulture,
                $"pose payload must be 56 bytes (7 little-endian f64: tx, ty, tz, qx, qy, qz, qw), got {payload.Length}"));
        return new PoseTransform(
            BinaryPrimitives.ReadDoubleLittleEndian(payload),
            BinaryPrimitives.ReadDoubleLittleEndian(payload[8..]),
            BinaryPrimitives.ReadDoubleLittleEndian(payload[16..]),
            BinaryPrimitives.ReadDoubleLittleEndian(payload[24..]),
            BinaryPrimitives.ReadDoubleLittleEndian(payload[32..]),
            BinaryPrimitives.ReadDoubleLittleEndian(payload[40..]),
            BinaryPrimitives.ReadDoubleLittleEndian(payload[48..]));
    }

    /// <summary><c>{"translation":{"x","y","z"},"rotation":{"x","y","z","w"}}</c>.</summary>
    public JsonObject ToJson() => new()
    {
        ["translation"] = new JsonObject { ["x"] = Tx, ["y"] = Ty, ["z"] = Tz },
        ["rotation"] = new JsonObject { ["x"] = Qx, ["y"] = Qy, ["z"] = Qz, ["w"] = Qw },
    };

    /// <summary>Parse the JSON form.</summary>
    public static PoseTransform FromJson(JsonNode? node)
    {
        var f = JsonFields.Of(node, "struct SpatialTransform");
        var t = JsonFields.Of(f.Required("translation"), "struct Vec3");
        var r = JsonFields.Of(f.Required("rotation"), "struct Quaternion");
        return new PoseTransform(t.F64("x"), t.F64("y"), t.F64("z"), r.F64("x"), r.F64("y"), r.F64("z"), r.F64("w"));
    }
}
