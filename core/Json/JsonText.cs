using System.Text.Json;
using System.Text.Json.Nodes;

namespace Auki.Json;

/// <summary>Parsing JSON text into nodes with errors of our own type (never a JsonException).</summary>
public static class JsonText
{
    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 128, AllowDuplicateProperties = false };

    /// <summary>Parse <paramref name="json"/>; malformed text is an InvalidArgument error.</summary>
    public static JsonNode? Parse(string json)
    {
        try
        {
            return JsonNode.Parse(json, documentOptions: Options);
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

    /// <summary>Parse UTF-8 bytes.</summary>
    public static JsonNode? Parse(ReadOnlySpan<byte> utf8)
    {
        try
        {
            var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = 128 });
            return JsonNode.Parse(ref reader);
        }
        catch (JsonException e)
        {
            throw AukiException.Invalid("invalid JSON: " + e.Message);
        }
        catch (ArgumentException e)
        {
            throw AukiException.Invalid("invalid JSON: " + e.Message);
        }
    }
}
