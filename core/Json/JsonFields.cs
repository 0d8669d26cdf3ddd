using System.Text.Json;
using System.Text.Json.Nodes;

namespace Auki.Json;

/// <summary>
/// Typed, serde-faithful access to the fields of one JSON object. Unknown keys are ignored (as
/// upstream's structs do), missing and mistyped fields fail with serde's wording, and each such
/// error carries the key in <see cref="AukiException.Field"/>.
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

    /// <summary>The keys not in <paramref name="known"/>, in document order (what serde silently skips).</summary>
    public IEnumerable<string> UnknownKeys(IReadOnlyCollection<string> known) =>
        _obj.Select(p => p.Key).Where(k => !known.Contains(k));

    public JsonNode? Raw(string key) => _obj.TryGetPropertyValue(key, out var v) ? v : null;

    public JsonNode Required(string key) =>
        _obj.TryGetPropertyValue(key, out var v) ? v ?? throw SerdeText.InvalidType(null, "a value").AtField(key) : throw Missing(key);

    private static AukiException Missing(string key) => SerdeText.MissingField(key).AtField(key);

    private JsonNode? Value(string key) => _obj.TryGetPropertyValue(key, out var v) ? v : throw Missing(key);

    public string String(string key)
    {
        var v = Value(key);
        try { return AsString(v); } catch (AukiException e) { throw e.AtField(key); }
    }

    /// <summary>Option&lt;String&gt;: absent or null gives null.</summary>
    public string? OptionalString(string key)
    {
        if (!_obj.TryGetPropertyValue(key, out var v) || v is null) return null;
        try { return AsString(v); } catch (AukiException e) { throw e.AtField(key); }
    }

    public static string AsString(JsonNode? v) =>
        v is JsonValue value && value.GetValueKind() == JsonValueKind.String
            ? value.GetValue<string>()
            : throw SerdeText.InvalidType(v, "a string");

    public bool Bool(string key)
    {
        var v = Value(key);
        return v is JsonValue value && value.GetValueKind() is JsonValueKind.True or JsonValueKind.False
            ? value.GetValue<bool>()
            : throw SerdeText.InvalidType(v, "a boolean").AtField(key);
    }

    public uint U32(string key)
    {
        var v = Value(key);
        try { return (uint)Integer(v, 0, uint.MaxValue, "u32"); } catch (AukiException e) { throw e.AtField(key); }
    }

    public uint? OptionalU32(string key)
    {
        if (!_obj.TryGetPropertyValue(key, out var v) || v is null) return null;
        try { return (uint)Integer(v, 0, uint.MaxValue, "u32"); } catch (AukiException e) { throw e.AtField(key); }
    }

    public ulong U64(string key)
    {
        var v = Value(key);
        try { return (ulong)Integer(v, 0, ulong.MaxValue, "u64"); } catch (AukiException e) { throw e.AtField(key); }
    }

    public long I64(string key)
    {
        var v = Value(key);
        try { return (long)Integer(v, long.MinValue, long.MaxValue, "i64"); } catch (AukiException e) { throw e.AtField(key); }
    }

    public double F64(string key)
    {
        var v = Value(key);
        try { return AsF64(v); } catch (AukiException e) { throw e.AtField(key); }
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
        var v = Value(key);
        return v as JsonArray ?? throw SerdeText.InvalidType(v, expected).AtField(key);
    }

    /// <summary>A closed string enum: the value must be one of <paramref name="variants"/>.</summary>
    public string Enum(string key, IReadOnlyList<string> variants)
    {
        var v = Value(key);
        try { return AsEnum(v, variants); } catch (AukiException e) { throw e.AtField(key); }
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
