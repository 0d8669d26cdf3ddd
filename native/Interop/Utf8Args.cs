using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json.Nodes;
using Auki.Json;

namespace Auki.Native.Interop;

/// <summary>
/// Borrowed NUL-terminated UTF-8 arguments to .NET strings. Decoding is strict: invalid UTF-8 is
/// <c>&lt;param&gt;: invalid UTF-8</c>, a NULL required string is <c>&lt;param&gt; must not be NULL</c>
/// (both InvalidArgument), so nothing is ever silently replaced with U+FFFD.
/// </summary>
internal static unsafe class Utf8Args
{
    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>A required string argument.</summary>
    public static string Required(byte* text, string param) =>
        text == null ? throw Guard.NullArgument(param) : Decode(text, param);

    /// <summary>An optional string argument: NULL gives null.</summary>
    public static string? Optional(byte* text, string param) =>
        text == null ? null : Decode(text, param);

    /// <summary>A required JSON argument, parsed (malformed JSON is InvalidArgument <c>invalid JSON: …</c>).</summary>
    public static JsonNode? Json(byte* text, string param) => JsonText.Parse(Required(text, param));

    private static string Decode(byte* text, string param)
    {
        var bytes = MemoryMarshal.CreateReadOnlySpanFromNullTerminated(text);
        if (bytes.IsEmpty) return "";
        try
        {
            return Strict.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw new AukiException(AukiErrorCode.InvalidArgument, param + ": invalid UTF-8");
        }
    }
}
