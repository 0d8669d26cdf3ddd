using System.Text.Json.Nodes;

namespace Auki.Manifests;

/// <summary>
/// Builds and validates the per-log <c>manifest.json</c> (auki-manifests, JCS canonical): the
/// common fields (source and writer peer, app, session, segment duration, retention) plus the
/// kind's refs.
/// </summary>
public static class LogManifest
{
    /// <summary>The manifest JSON for <paramref name="spec"/> written by <paramref name="writerPeerId"/>.</summary>
    public static JsonObject Build(LogSpec spec, string sourcePeerId, string writerPeerId, string appId, string sessionId)
    {
        var m = new JsonObject
        {
            ["source_peer_id"] = sourcePeerId,
            ["writer_peer_id"] = writerPeerId,
            ["app_id"] = appId,
            ["session_id"] = sessionId,
            ["segment_duration_ns"] = ClampToI64(spec.SegmentDurationNs),
            ["retention_ns"] = ClampToI64(spec.RetentionNs),
        };
        spec.AddFields(m);
        return m;
    }

    /// <summary>u64 nanoseconds to the manifest's i64, saturating like upstream.</summary>
    public static long ClampToI64(ulong ns) => ns > long.MaxValue ? long.MaxValue : (long)ns;

    /// <summary>
    /// auki-manifests <c>validate()</c>: every string and ref field non-empty, segment duration
    /// &gt; 0, retention &gt;= 0. Upstream runs it for era-C detection logs only; so do we.
    /// </summary>
    public static void Validate(JsonObject manifest)
    {
        foreach (var (key, value) in manifest)
        {
            switch (value)
            {
                case JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.String:
                    if (v.GetValue<string>().Length == 0) throw Field(key, "must not be empty");
                    break;
                case JsonObject obj when key is not ("source" or "cadence"):
                    foreach (var (sub, subValue) in obj)
                        if (subValue is JsonValue sv && sv.GetValueKind() == System.Text.Json.JsonValueKind.String && sv.GetValue<string>().Length == 0)
                            throw Field($"{key}.{sub}", "must not be empty");
                    break;
            }
        }
        if ((long)manifest["segment_duration_ns"]! <= 0) throw Field("segment_duration_ns", "must be greater than zero");
        if ((long)manifest["retention_ns"]! < 0) throw Field("retention_ns", "must be greater than or equal to zero");
        if (manifest["cadence"] is JsonObject cadence && cadence["period_ns"] is JsonNode period && (ulong)period == 0)
            throw Field("cadence.period_ns", "must be greater than zero");
        if (manifest["instance_id"] is JsonNode instance)
        {
            // Not in upstream: the instance id becomes a directory, so it must not climb out of logs/.
            if (Ids.PathId.Check((string)instance!) is { } reason) throw Field("instance_id", reason);
        }
    }

    private static AukiException Field(string field, string reason) =>
        AukiException.Invalid($"invalid manifest field `{field}`: {reason}");
}
