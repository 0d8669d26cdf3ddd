using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Auki.Json;

/// <summary>
/// The wording of serde's deserialization errors ("missing field `x`", "invalid type: string
/// \"a\", expected u32", "unknown variant `x`, expected one of ..."), which upstream's Python
/// binding passes through verbatim as ValueError texts.
/// </summary>
internal static class SerdeText
{
    public static AukiException MissingField(string field) => AukiException.Invalid($"missing field `{field}`");

    public static AukiException InvalidType(JsonNode? found, string expected) =>
        AukiException.Invalid($"invalid type: {Describe(found)}, expected {expected}");

    public static AukiException InvalidValue(string found, string expected) =>
        AukiException.Invalid($"invalid value: {found}, expected {expected}");

    public static AukiException UnknownVariant(string found, IReadOnlyList<string> variants) =>
        AukiException.Invalid($"unknown variant `{found}`, expected {ExpectedList(variants)}");

    /// <summary>serde's "expected" phrase for a list of variants.</summary>
    public static string ExpectedList(IReadOnlyList<string> variants) => variants.Count switch
    {
        0 => "nothing",
        1 => $"`{variants[0]}`",
        2 => $"`{variants[0]}` or `{variants[1]}`",
        _ => "one of " + string.Join(", ", variants.Select(v => $"`{v}`")),
    };

    /// <summary>serde's "unexpected" phrase for a JSON value.</summary>
    public static string Describe(JsonNode? node)
    {
        switch (node)
        {
            case null: return "null";
            case JsonObject: return "map";
            case JsonArray: return "sequence";
        }
        var value = (JsonValue)node;
        switch (value.GetValueKind())
        {
            case JsonValueKind.String: return "string " + Ids.RustDebug.Str(value.GetValue<string>());
            case JsonValueKind.True: return "boolean `true`";
            case JsonValueKind.False: return "boolean `false`";
            case JsonValueKind.Null: return "null";
            case JsonValueKind.Number:
                string text = CanonicalJson.FormatNumber(value);
                if (JsonNumbers.IsIntegerLiteral(value)) return $"integer `{text}`";
                double d = JsonNumbers.AsDouble(value);
                string f = d.ToString("R", CultureInfo.InvariantCulture);
                if (!f.Contains('.') && !f.Contains('E')) f += ".0";
                return $"floating point `{f}`";
            default: return "value";
        }
    }
}
