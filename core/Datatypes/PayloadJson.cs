using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.Unicode;
using System.Text.Json.Nodes;
using Auki.Json;
using Google.Protobuf.Reflection;

namespace Auki.Datatypes;

/// <summary>
/// One payload as canonical JSON (proto3 JSON mapping: lowerCamelCase names, defaults omitted,
/// 64-bit integers as strings, bytes as base64, sub-messages present when on the wire — what
/// upstream's Python <c>to_dict()</c> gives), written by walking the wire bytes against the message
/// descriptors. Not Google.Protobuf's JsonFormatter: that reads values through reflection
/// accessors, which NativeAOT cannot trim safely. The same walk checks that a payload decodes.
/// </summary>
public static class PayloadJson
{
    private const int MaxDepth = 64;
    private static readonly UTF8Encoding StrictUtf8 = new(false, throwOnInvalidBytes: true);

    /// <summary>Canonical JSON bytes of <paramref name="payload"/> as <paramref name="type"/>.</summary>
    public static byte[] Serialize(MessageDescriptor type, ReadOnlySpan<byte> payload) => CanonicalJson.Serialize(ToJson(type, payload));

    /// <summary>The JSON object of <paramref name="payload"/>; InvalidArgument saying why it does not decode.</summary>
    public static JsonObject ToJson(MessageDescriptor type, ReadOnlySpan<byte> payload)
    {
        try { return Walk(type, payload, build: true, 0)!; }
        catch (FormatException e) { throw DoesNotDecode(type, e); }
    }

    /// <summary>Throws InvalidArgument unless <paramref name="payload"/> decodes as <paramref name="type"/>.</summary>
    public static void Check(MessageDescriptor type, ReadOnlySpan<byte> payload)
    {
        try { Walk(type, payload, build: false, 0); }
        catch (FormatException e) { throw DoesNotDecode(type, e); }
    }

    private static AukiException DoesNotDecode(MessageDescriptor type, FormatException e) =>
        AukiException.Invalid($"payload does not decode as {type.FullName}: {e.Message}");

    private static JsonObject? Walk(MessageDescriptor type, ReadOnlySpan<byte> data, bool build, int depth)
    {
        if (depth > MaxDepth) throw new FormatException($"messages nested deeper than {MaxDepth}");
        var obj = build ? new JsonObject() : null;
        var reader = new WireReader(data);
        while (!reader.AtEnd)
        {
            ulong key = reader.Varint();
            int wire = (int)(key & 7);
            ulong number = key >> 3;
            if (number == 0 || number > 536_870_911) throw new FormatException($"invalid field number {number}");
            var field = FieldLookup.Find(type, number);
            if (field is null) { reader.Skip(wire); continue; } // unknown fields are ignored, as upstream
            if (field.IsRepeated && wire == 2 && IsPackable(field.FieldType))
            {
                var packed = new WireReader(reader.LengthDelimited());
                while (!packed.AtEnd) Add(obj, field, Scalar(field, ref packed, build));
                continue;
            }
            int expected = WireTypeOf(field.FieldType);
            if (wire != expected) throw new FormatException($"{WireReader.FieldName(field)} has wire type {wire}, expected {expected} ({TypeName(field)})");
            JsonNode? value = field.FieldType == FieldType.Message
                ? Walk(field.MessageType, reader.LengthDelimited(), build, depth + 1)
                : Scalar(field, ref reader, build);
            if (field.IsRepeated) Add(obj, field, value);
            else if (obj is not null) Set(obj, field, value);
        }
        if (obj is not null) DropDefaults(type, obj);
        return obj;
    }

    private static void Add(JsonObject? obj, FieldDescriptor field, JsonNode? value)
    {
        if (obj is null) return;
        if (obj[field.JsonName] is not JsonArray array) obj[field.JsonName] = array = new JsonArray();
        array.Add(value);
    }

    private static void Set(JsonObject obj, FieldDescriptor field, JsonNode? value)
    {
        // A repeated occurrence of a singular field: scalars take the last value, messages merge (protobuf rules).
        if (value is JsonObject next && obj[field.JsonName] is JsonObject previous)
        {
            foreach (var (k, v) in next.ToList())
            {
                next.Remove(k);
                previous[k] = v;
            }
            return;
        }
        obj[field.JsonName] = value;
        if (field.ContainingOneof is { } oneof)
            foreach (var other in oneof.Fields)
                if (other != field) obj.Remove(other.JsonName);
    }

    // proto3: a singular scalar equal to its default is not part of the message (oneof members and
    // sub-messages are: their presence is the information).
    private static void DropDefaults(MessageDescriptor type, JsonObject obj)
    {
        foreach (var field in type.Fields.InFieldNumberOrder())
        {
            if (field.IsRepeated || field.FieldType == FieldType.Message || field.ContainingOneof is not null) continue;
            if (obj[field.JsonName] is not JsonValue v) continue;
            bool isDefault = v.TryGetValue(out string? s) ? s is "" or "0" : v.TryGetValue(out bool b) ? !b : v.TryGetValue(out double d) && d == 0;
            if (isDefault) obj.Remove(field.JsonName);
        }
    }

    private static JsonNode? Scalar(FieldDescriptor field, ref WireReader reader, bool build)
    {
        if (!build) { CheckScalar(field, ref reader); return null; }
        switch (field.FieldType)
        {
            case FieldType.Double: return Number(BitConverter.Int64BitsToDouble(BinaryPrimitives.ReadInt64LittleEndian(reader.Take(8, field))));
            case FieldType.Float: return Number(BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadInt32LittleEndian(reader.Take(4, field))));
            case FieldType.Fixed64: return Text(BinaryPrimitives.ReadUInt64LittleEndian(reader.Take(8, field)));
            case FieldType.SFixed64: return Text(BinaryPrimitives.ReadInt64LittleEndian(reader.Take(8, field)));
            case FieldType.Fixed32: return JsonValue.Create(BinaryPrimitives.ReadUInt32LittleEndian(reader.Take(4, field)));
            case FieldType.SFixed32: return JsonValue.Create(BinaryPrimitives.ReadInt32LittleEndian(reader.Take(4, field)));
            case FieldType.String:
                try { return JsonValue.Create(StrictUtf8.GetString(reader.LengthDelimited())); }
                catch (DecoderFallbackException) { throw NotUtf8(field); }
            case FieldType.Bytes: return JsonValue.Create(Convert.ToBase64String(reader.LengthDelimited()));
        }
        ulong v = reader.Varint();
        return field.FieldType switch
        {
            FieldType.Int64 => Text((long)v),
            FieldType.UInt64 => Text(v),
            FieldType.SInt64 => Text((long)(v >> 1) ^ -(long)(v & 1)),
            FieldType.Int32 => JsonValue.Create((int)v),
            FieldType.UInt32 => JsonValue.Create((uint)v),
            FieldType.SInt32 => JsonValue.Create((int)((uint)v >> 1) ^ -(int)(v & 1)),
            FieldType.Bool => JsonValue.Create(v != 0),
            FieldType.Enum => field.EnumType.FindValueByNumber((int)v) is { } named ? JsonValue.Create(named.Name) : JsonValue.Create((int)v),
            _ => throw Unsupported(field),
        };
    }

    // What a typed append pays for every entry: the same reads as the JSON walk, and the same
    // messages when they fail, but nothing allocated (no JSON node, no field name) when they succeed.
    private static void CheckScalar(FieldDescriptor field, ref WireReader reader)
    {
        switch (field.FieldType)
        {
            case FieldType.Double or FieldType.Fixed64 or FieldType.SFixed64: reader.Take(8, field); return;
            case FieldType.Float or FieldType.Fixed32 or FieldType.SFixed32: reader.Take(4, field); return;
            case FieldType.String: if (!Utf8.IsValid(reader.LengthDelimited())) throw NotUtf8(field); return;
            case FieldType.Bytes: reader.LengthDelimited(); return; // a 7 MB frame is not base64-encoded to be checked
            case FieldType.Int64 or FieldType.UInt64 or FieldType.SInt64 or FieldType.Int32 or FieldType.UInt32
                or FieldType.SInt32 or FieldType.Bool or FieldType.Enum:
                reader.Varint(); return;
            default: throw Unsupported(field);
        }
    }

    private static FormatException NotUtf8(FieldDescriptor field) => new($"{WireReader.FieldName(field)} is not valid UTF-8");

    private static FormatException Unsupported(FieldDescriptor field) => new($"{WireReader.FieldName(field)}: unsupported type {field.FieldType}");

    // proto3 JSON writes non-finite doubles as strings; RFC 8785 has no NaN.
    private static JsonNode Number(double d) => double.IsFinite(d) ? JsonValue.Create(d)
        : JsonValue.Create(double.IsNaN(d) ? "NaN" : d > 0 ? "Infinity" : "-Infinity");

    private static JsonNode Text<T>(T value) where T : IFormattable => JsonValue.Create(value.ToString(null, CultureInfo.InvariantCulture))!;

    private static bool IsPackable(FieldType t) => t is not (FieldType.String or FieldType.Bytes or FieldType.Message or FieldType.Group);

    private static int WireTypeOf(FieldType t) => t switch
    {
        FieldType.Double or FieldType.Fixed64 or FieldType.SFixed64 => 1,
        FieldType.Float or FieldType.Fixed32 or FieldType.SFixed32 => 5,
        FieldType.String or FieldType.Bytes or FieldType.Message => 2,
        FieldType.Group => 3,
        _ => 0,
    };

    private static string TypeName(FieldDescriptor f) =>
        f.FieldType == FieldType.Message ? f.MessageType.FullName : f.FieldType.ToString().ToLowerInvariant();
}
