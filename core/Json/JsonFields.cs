using System.Text.Json;
using System.Text.Json.Nodes;

namespace Auki.Json;

/// <summary>
/// Typed, serde-faithful access to the fields of one JSON object. Unknown keys are ignored (as
/// upstream's structs do), missing and mistyped fields fail with serde's wording.
/// </summary>
internal readonly struct JsonFields
{
    private readonly JsonObject _obj;

    private JsonFields(JsonObject obj) => _obj = obj;

    /// <summary>Require <paramref name="node"/> to be an object; <paramref name="expected"/> names it in the error.</summary>
    public static JsonFields Of(JsonNode? node, string expected) =>
        node is JsonObject obj ? new JsonFields(obj) : throw SerdeText.InvalidType(node, expected);

    public JsonObject Object => _obj;

    public bool Has(string key) => _obj.TryGetPropertyValue(key, out var v) && v is not null;

    public JsonNode? Raw(string key) => _obj.TryGetPropertyValue(key, out var v) ? v : null;

    public JsonNode Required(string key) =>
        _obj.TryGetPropertyValue(key, out var v) ? v ?? throw SerdeText.InvalidType(null, "a value") : throw SerdeText.MissingField(key);

    public string String(string key)
    {
        if (!_obj.TryGetPropertyValue(key, out var v)) throw SerdeText.MissingField(key);
        return AsString(v);
    }

    /// <summary>Option&lt;String&gt;: absent or null gives null.</summary>
    public string? OptionalString(string key) =>
        _obj.TryGetPropertyValue(key, out var v) && v is not null ? AsString(v) : null;

    public static string AsString(JsonNode? v) =>
        v is JsonValue value && value.GetValueKind() == JsonValueKind.String
            ? value.GetValue<string>()
            : throw SerdeText.InvalidType(v, "a string");

    public bool Bool(string key)
    {
        if (!_obj.TryGetPropertyValue(key, out var v)) throw SerdeText.MissingField(key);
        return v is JsonValue value && value.GetValueKind() is JsonValueKind.True or JsonValueKind.False
            ? value.GetValue<bool>()
            : throw SerdeText.InvalidType(v, "a boolean");
    }

    public uint U32(string key)
    {
        if (!_obj.TryGetPropertyValue(key, out var v)) throw SerdeText.MissingField(key);
        return (uint)Integer(v, 0, uint.MaxValue, "u32");
    }

    public uint? OptionalU32(string key) =>
        _obj.TryGetPropertyValue(key, out var v) && v is not null ? (uint)Integer(v, 0, uint.MaxValue, "u32") : null;

    public ulong U64(string key)
    {
        if (!_obj.TryGetPropertyValue(key, out var v)) throw SerdeText.MissingField(key);
        return (ulong)Integer(v, 0, ulong.MaxValue, "u64");
    }

    public long I64(string key)
    {
        if (!_obj.TryGetPropertyValue(key, out var v)) throw SerdeText.MissingField(key);
        return (long)Integer(v, long.MinValue, long.MaxValue, "i64");
    }

    public double F64(string key)
    {
        if (!_obj.TryGetPropertyValue(key, out var v)) throw SerdeText.MissingField(key);
        return AsF64(v);
    }

    public static double AsF64(JsonNode? v) =>
        v is JsonValue value && value.GetValueKind() == JsonValueKind.Number
            ? JsonNumbers.AsDouble(value)
            : throw SerdeText.InvalidType(v, "f64");

    public static Int128 Integer(JsonNode? v, Int128 min, Int128 max, string expected)
    {
        if (v is JsonValue value && value.GetValueKind() == JsonValueKind.Number)
        {
            if (!JsonNumbers.TryGetInteger(value, out var i)) throw SerdeText.InvalidType(v, expected);
            if (i < min || i > max) throw SerdeText.InvalidValue($"integer `{i}`", expected);
            return i;
        }
        throw SerdeText.InvalidType(v, expected);
    }

    public JsonArray Array(string key, string expected = "a sequence")
    {
        if (!_obj.TryGetPropertyValue(key, out var v)) throw SerdeText.MissingField(key);
        return v as JsonArray ?? throw SerdeText.InvalidType(v, expected);
    }

    /// <summary>A closed string enum: the value must be one of <paramref name="variants"/>.</summary>
    public string Enum(string key, IReadOnlyList<string> variants)
    {
        if (!_obj.TryGetPropertyValue(key, out var v)) throw SerdeText.MissingField(key);
        return AsEnum(v, variants);
    }

    public static string AsEnum(JsonNode? v, IReadOnlyList<string> variants)
    {
        if (v is not JsonValue value || value.GetValueKind() != JsonValueKind.String)
            throw SerdeText.InvalidType(v, "variant identifier");
        string s = value.GetValue<string>();
        foreach (var variant in variants) if (variant == s) return s;
        throw SerdeText.UnknownVariant(s, variants);
    }
}
