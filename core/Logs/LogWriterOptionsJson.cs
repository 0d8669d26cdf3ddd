using System.Text.Json;
using System.Text.Json.Nodes;

namespace Auki.Logs;

/// <summary>
/// Writer options as JSON (the C ABI's <c>options_json</c>):
/// <c>{"integrity": bool, "fsync_interval_ns": N, "buffer_size": N}</c>, every key optional
/// (absent or null = the default). Unknown keys are refused so a typo is not silently ignored.
/// </summary>
public static class LogWriterOptionsJson
{
    /// <summary>The keys understood, in the order the error message lists them.</summary>
    public static readonly string[] Keys = ["integrity", "fsync_interval_ns", "buffer_size"];

    /// <summary>
    /// Options from <paramref name="node"/> (null = defaults). Errors are InvalidArgument with an
    /// <c>options: …</c> message.
    /// </summary>
    public static LogWriterOptions Parse(JsonNode? node)
    {
        if (node is null) return new LogWriterOptions();
        if (node is not JsonObject obj) throw Invalid("must be a JSON object");
        bool? integrity = null;
        long fsyncIntervalNs = 0;
        int bufferSize = LogWriterOptions.DefaultBufferSize;
        foreach (var (key, value) in obj)
        {
            switch (key)
            {
                case "integrity":
                    if (value is null) break;
                    if (value is not JsonValue v || v.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False))
                        throw Invalid("integrity must be true or false");
                    integrity = v.GetValueKind() == JsonValueKind.True;
                    break;
                case "fsync_interval_ns":
                    if (value is null) break;
                    if (!LogManifestFile.TryGetInt64(value, out fsyncIntervalNs) || fsyncIntervalNs < 0)
                        throw Invalid("fsync_interval_ns must be an integer ≥ 0");
                    break;
                case "buffer_size":
                    if (value is null) break;
                    if (!LogManifestFile.TryGetInt64(value, out long size) || size < 0 || size > int.MaxValue)
                        throw Invalid("buffer_size must be an integer from 0 to 2147483647");
                    bufferSize = (int)size;
                    break;
                default:
                    throw Invalid($"unknown key \"{key}\" (known: {string.Join(", ", Keys)})");
            }
        }
        return new LogWriterOptions { Integrity = integrity, FsyncIntervalNs = fsyncIntervalNs, BufferSize = bufferSize };
    }

    private static AukiException Invalid(string message) => AukiException.Invalid("options: " + message);
}
