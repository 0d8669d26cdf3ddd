using System.Text.Json;
using System.Text.Json.Nodes;

namespace Auki.Json;

/// <summary>
/// Distinguishes integer literals from floats the way serde_json does: "30" is an integer,
/// "30.0" and "3e1" are floats (and a float is rejected where an integer is expected).
/// </summary>
internal static class JsonNumbers
{
    public static bool IsIntegerLiteral(JsonValue value)
    {
        if (value.TryGetValue<JsonElement>(out var element))
            return element.ValueKind == JsonValueKind.Number && element.GetRawText().AsSpan().IndexOfAny(".eE") < 0;
        return value.TryGetValue<long>(out _) || value.TryGetValue<ulong>(out _) || value.TryGetValue<int>(out _) || value.TryGetValue<uint>(out _);
    }

    public static bool TryGetInteger(JsonValue value, out Int128 result)
    {
        result = 0;
        if (value.GetValueKind() != JsonValueKind.Number || !IsIntegerLiteral(value)) return false;
        if (value.TryGetValue<JsonElement>(out var element))
            return Int128.TryParse(element.GetRawText(), System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out result);
        if (value.TryGetValue<long>(out long l)) { result = l; return true; }
        if (value.TryGetValue<ulong>(out ulong ul)) { result = ul; return true; }
        if (value.TryGetValue<int>(out int i)) { result = i; return true; }
        if (value.TryGetValue<uint>(out uint ui)) { result = ui; return true; }
        return false;
    }

    public static double AsDouble(JsonValue value)
    {
        if (value.TryGetValue<JsonElement>(out var element)) return element.GetDouble();
        if (value.TryGetValue<double>(out double d)) return d;
        if (value.TryGetValue<long>(out long l)) return l;
        if (value.TryGetValue<ulong>(out ulong ul)) return ul;
        if (value.TryGetValue<int>(out int i)) return i;
        if (value.TryGetValue<uint>(out uint ui)) return ui;
        if (value.TryGetValue<float>(out float f)) return f;
        return value.GetValue<double>();
    }
}
