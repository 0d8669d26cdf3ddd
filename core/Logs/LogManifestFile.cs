using System.Text.Json;
using System.Text.Json.Nodes;
using Auki.Json;

namespace Auki.Logs;

/// <summary>
/// <c>log_manifest.json</c>: a JSON object with the two durations the engine needs; every other
/// key belongs to the caller and is kept as is. On disk it is JCS-canonical bytes, no newline.
/// </summary>
internal static class LogManifestFile
{
    public const string SegmentDurationKey = "segment_duration_ns";
    public const string RetentionKey = "retention_ns";

    public readonly record struct Durations(long SegmentDurationNs, long RetentionNs);

    /// <summary>Upstream's checks and messages, in upstream's order (presence first, then range).</summary>
    public static Durations Validate(JsonObject manifest)
    {
        if (!TryGetInt64(manifest[SegmentDurationKey], out long segment))
            throw LogErrors.Manifest("manifest missing or non-integer segment_duration_ns");
        if (!TryGetInt64(manifest[RetentionKey], out long retention))
            throw LogErrors.Manifest("manifest missing or non-integer retention_ns");
        if (segment <= 0) throw LogErrors.Manifest("segment_duration_ns must be > 0");
        if (retention < 0) throw LogErrors.Manifest("retention_ns must be ≥ 0");
        return new Durations(segment, retention);
    }

    /// <summary>
    /// "Integer" as serde_json's <c>as_i64</c> sees it: a JSON number without fraction or exponent
    /// that fits 64 signed bits. Floats (even 1e9 or 5.0) do not count.
    /// </summary>
    public static bool TryGetInt64(JsonNode? node, out long value)
    {
        value = 0;
        if (node is not JsonValue v || v.GetValueKind() != JsonValueKind.Number) return false;
        if (v.TryGetValue(out value)) return true;
        if (v.TryGetValue(out int i)) { value = i; return true; }
        if (v.TryGetValue(out uint ui)) { value = ui; return true; }
        if (v.TryGetValue(out short s)) { value = s; return true; }
        if (v.TryGetValue(out ushort us)) { value = us; return true; }
        if (v.TryGetValue(out sbyte sb)) { value = sb; return true; }
        if (v.TryGetValue(out byte b)) { value = b; return true; }
        if (v.TryGetValue(out ulong ul)) { value = (long)ul; return ul <= long.MaxValue; }
        if (v.TryGetValue(out JsonElement e))
        {
            // serde reads "1e9" and "5.0" as floats; refuse any fraction or exponent in the text.
            string raw = e.GetRawText();
            return raw.AsSpan().IndexOfAny(".eE") < 0 && e.TryGetInt64(out value);
        }
        return false;
    }

    /// <summary>Parse manifest bytes read from disk; <paramref name="context"/> names the read in the error.</summary>
    public static JsonObject Parse(ReadOnlySpan<byte> bytes, string context)
    {
        JsonNode? node;
        try
        {
            node = JsonText.Parse(bytes);
        }
        catch (AukiException e)
        {
            throw LogErrors.Manifest(context + ": " + e.Message);
        }
        return node as JsonObject ?? throw LogErrors.Manifest("manifest is not a JSON object");
    }

    public static JsonObject Read(string path, string context) => Parse(File.ReadAllBytes(path), context);

    public static void Write(string path, JsonObject manifest) => Storage.AtomicFile.Write(path, CanonicalBytes(manifest));

    /// <summary>
    /// Every check a new log's manifest must pass, and its bytes on disk: done before anything is
    /// created, so a refused manifest leaves no directory or lock file behind.
    /// </summary>
    public static (Durations Durations, byte[] Canonical) Canonical(JsonObject manifest) => (Validate(manifest), CanonicalBytes(manifest));

    private static byte[] CanonicalBytes(JsonObject manifest)
    {
        try
        {
            return CanonicalJson.Serialize(manifest);
        }
        catch (AukiException e) when (e.Code == AukiErrorCode.InvalidArgument)
        {
            throw LogErrors.Manifest(e.Message);
        }
    }
}
