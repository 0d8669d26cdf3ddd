using System.Text.Json.Nodes;

namespace Auki.Logs;

/// <summary>
/// What a reader learns about a log directory in one look, as the C ABI's <c>auki_log_info</c>
/// hands it out: <c>{"manifest","segment_starts","bytes","entries","min_timestamp_ns","max_timestamp_ns"}</c>,
/// plus <c>first_timestamp_ns</c>/<c>last_timestamp_ns</c>, the same values under their ABI 2.0 names
/// (kept for 2.0 callers until ABI 3; docs/names.md).
/// </summary>
public static class LogInfo
{
    /// <summary>
    /// Describe the log at <paramref name="root"/>: its manifest, the segments present now and the
    /// totals of <see cref="LogStats.Compute"/> (timestamps null for an empty log). Errors as
    /// <see cref="LogReader.Open"/> and <see cref="LogStats.Compute"/>.
    /// </summary>
    public static JsonObject Describe(string root)
    {
        var reader = LogReader.Open(root);
        var stats = LogStats.Compute(root);
        var starts = new JsonArray();
        foreach (long start in reader.SegmentStarts) starts.Add((JsonNode)JsonValue.Create(start));
        return new JsonObject
        {
            ["manifest"] = reader.Manifest,
            ["segment_starts"] = starts,
            ["bytes"] = stats.Bytes,
            ["entries"] = stats.Entries,
            ["min_timestamp_ns"] = stats.FirstTimestampNs,
            ["max_timestamp_ns"] = stats.LastTimestampNs,
            ["first_timestamp_ns"] = stats.FirstTimestampNs,
            ["last_timestamp_ns"] = stats.LastTimestampNs,
        };
    }
}
