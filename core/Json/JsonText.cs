using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Auki.Json;

/// <summary>Parsing JSON text into nodes with errors of our own type (never a JsonException).</summary>
public static class JsonText
{
    private const int MaxDepth = 128;
    private static readonly JsonDocumentOptions Options = new() { MaxDepth = MaxDepth, AllowDuplicateProperties = false };

    /// <summary>Parse <paramref name="json"/>; malformed text is an InvalidArgument error.</summary>
    public static JsonNode? Parse(string json) => Parse(Encoding.UTF8.GetBytes(json));

    /// <summary>Parse UTF-8 bytes; malformed text (including an escaped lone surrogate) is an InvalidArgument error.</summary>
    public static JsonNode? Parse(ReadOnlySpan<byte> utf8)
    {
        try
        {
            RefuseLoneSurrogates(utf8);
            return JsonNode.Parse(utf8, documentOptions: Options);
        }
        catch (JsonException e)
        {
            throw AukiException.Invalid("invalid JSON: " + e.Message);
        }
        catch (ArgumentException e)
        {
            // Duplicate keys surface as ArgumentException from JsonObject.
            throw AukiException.Invalid("invalid JSON: " + e.Message);
        }
    }

    // JsonNode decodes strings lazily, so an escaped lone surrogate ("\ud800") would parse fine and
    // throw InvalidOperationException at the first read, far from here, as if it were our bug. Such a
    // string has no UTF-8 form: it is invalid input, refused before a node exists. Only escaped
    // strings can hold one (the bytes themselves are valid UTF-8), so only those are decoded.
    private static void RefuseLoneSurrogates(ReadOnlySpan<byte> utf8)
    {
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = MaxDepth });
        while (reader.Read())
        {
            if (reader.TokenType is not (JsonTokenType.String or JsonTokenType.PropertyName) || !reader.ValueIsEscaped) continue;
            try
            {
                reader.GetString();
            }
            catch (InvalidOperationException)
            {
                string what = reader.TokenType == JsonTokenType.PropertyName ? "key" : "string";
                throw AukiException.Invalid($"invalid JSON: {what} at byte {reader.TokenStartIndex} holds an unpaired UTF-16 surrogate escape (no valid UTF-8 form)");
            }
        }
    }
}
