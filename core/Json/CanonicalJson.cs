using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Auki.Json;

/// <summary>
/// RFC 8785 (JCS) canonical serialization of a <see cref="JsonNode"/> tree: keys sorted by
/// UTF-16 code units, no whitespace, minimal string escaping, ECMAScript number formatting.
/// These bytes are what we hash and what we write to disk, so they must match upstream exactly.
/// </summary>
public static class CanonicalJson
{
    /// <summary>Canonical UTF-8 bytes of <paramref name="node"/> (null means JSON null).</summary>
    public static byte[] Serialize(JsonNode? node)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        Write(buffer, node);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Canonical form as a string.</summary>
    public static string SerializeToString(JsonNode? node) => Encoding.UTF8.GetString(Serialize(node));

    /// <summary>Parse any JSON text and return its canonical bytes.</summary>
    public static byte[] Canonicalize(string json) => Serialize(JsonText.Parse(json));

    /// <summary>Append the canonical bytes of <paramref name="node"/> to <paramref name="output"/>.</summary>
    public static void Write(IBufferWriter<byte> output, JsonNode? node)
    {
        switch (node)
        {
            case null:
                WriteAscii(output, "null");
                break;
            case JsonObject obj:
                WriteObject(output, obj);
                break;
            case JsonArray arr:
                WriteByte(output, (byte)'[');
                for (int i = 0; i < arr.Count; i++)
                {
                    if (i > 0) WriteByte(output, (byte)',');
                    Write(output, arr[i]);
                }
                WriteByte(output, (byte)']');
                break;
            case JsonValue value:
                WriteValue(output, value);
                break;
        }
    }

    private static void WriteObject(IBufferWriter<byte> output, JsonObject obj)
    {
        // Ordinal comparison of .NET strings is exactly "by UTF-16 code units".
        var keys = new string[obj.Count];
        int n = 0;
        foreach (var kv in obj) keys[n++] = kv.Key;
        Array.Sort(keys, string.CompareOrdinal);
        WriteByte(output, (byte)'{');
        for (int i = 0; i < keys.Length; i++)
        {
            if (i > 0) WriteByte(output, (byte)',');
            WriteString(output, keys[i]);
            WriteByte(output, (byte)':');
            Write(output, obj[keys[i]]);
        }
        WriteByte(output, (byte)'}');
    }

    private static void WriteValue(IBufferWriter<byte> output, JsonValue value)
    {
        switch (value.GetValueKind())
        {
            case JsonValueKind.String:
                WriteString(output, value.GetValue<string>());
                break;
            case JsonValueKind.True:
                WriteAscii(output, "true");
                break;
            case JsonValueKind.False:
                WriteAscii(output, "false");
                break;
            case JsonValueKind.Null:
                WriteAscii(output, "null");
                break;
            case JsonValueKind.Number:
                WriteAscii(output, FormatNumber(value));
                break;
            default:
                throw AukiException.Invalid("unsupported JSON value");
        }
    }

    /// <summary>
    /// Integers that fit 64 bits print as plain digits (serde_json keeps them exact);
    /// everything else is a double in ECMAScript form.
    /// </summary>
    internal static string FormatNumber(JsonValue value)
    {
        if (value.TryGetValue<long>(out long l)) return l.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (value.TryGetValue<ulong>(out ulong ul)) return ul.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (value.TryGetValue<int>(out int i)) return i.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (value.TryGetValue<uint>(out uint ui)) return ui.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (value.TryGetValue<double>(out double d)) return EcmaNumber.Format(d);
        if (value.TryGetValue<JsonElement>(out var element))
        {
            string raw = element.GetRawText();
            if (raw.AsSpan().IndexOfAny(".eE") < 0)
            {
                if (long.TryParse(raw, out l)) return l.ToString(System.Globalization.CultureInfo.InvariantCulture);
                if (ulong.TryParse(raw, out ul)) return ul.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
            return EcmaNumber.Format(element.GetDouble());
        }
        return EcmaNumber.Format(value.GetValue<double>());
    }

    private static void WriteString(IBufferWriter<byte> output, string s)
    {
        WriteByte(output, (byte)'"');
        int runStart = 0;
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            string? escape = c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\b' => "\\b",
                '\f' => "\\f",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                < ' ' => "\\u00" + ((int)c).ToString("x2", System.Globalization.CultureInfo.InvariantCulture),
                _ => null,
            };
            if (char.IsSurrogate(c))
            {
                bool paired = char.IsHighSurrogate(c) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]);
                if (!paired) throw AukiException.Invalid("JSON strings must be valid Unicode (lone surrogate)");
                i++;
                continue;
            }
            if (escape is null) continue;
            WriteUtf8(output, s.AsSpan(runStart, i - runStart));
            WriteAscii(output, escape);
            runStart = i + 1;
        }
        WriteUtf8(output, s.AsSpan(runStart));
        WriteByte(output, (byte)'"');
    }

    private static void WriteUtf8(IBufferWriter<byte> output, ReadOnlySpan<char> chars)
    {
        if (chars.IsEmpty) return;
        int max = Encoding.UTF8.GetMaxByteCount(chars.Length);
        var span = output.GetSpan(max);
        int written = Encoding.UTF8.GetBytes(chars, span);
        output.Advance(written);
    }

    private static void WriteAscii(IBufferWriter<byte> output, string ascii)
    {
        var span = output.GetSpan(ascii.Length);
        for (int i = 0; i < ascii.Length; i++) span[i] = (byte)ascii[i];
        output.Advance(ascii.Length);
    }

    private static void WriteByte(IBufferWriter<byte> output, byte b)
    {
        output.GetSpan(1)[0] = b;
        output.Advance(1);
    }
}
