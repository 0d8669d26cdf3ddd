using System.Text.Json.Nodes;
using Auki.Json;

namespace Auki.Inspect;

/// <summary>
/// Which logs of a store a caller wants: one peer's (the device), one boot session's, one kind's,
/// and those holding data in a time window. Every given condition must hold; null matches all.
/// </summary>
/// <param name="PeerId">The peer directory (the device) the log is recorded under.</param>
/// <param name="BootSessionId">The boot session.</param>
/// <param name="Kind"><c>sensor</c>, <c>pose</c>, <c>time_transform</c> or <c>detection</c>.</param>
/// <param name="StartNs">Window start, inclusive: the log's last entry is at or after it.</param>
/// <param name="EndNs">Window end, inclusive: the log's first entry is at or before it.</param>
/// <remarks>
/// The window compares each log's entry timestamps, in that log's own clock, with the numbers
/// given (as activity sessions do); a log without entries is outside every window.
/// </remarks>
public sealed record StoreQuery(string? PeerId = null, string? BootSessionId = null, string? Kind = null, long? StartNs = null, long? EndNs = null)
{
    private static readonly string[] Keys = ["peer_id", "boot_session_id", "kind", "start_ns", "end_ns"];

    /// <summary>Everything.</summary>
    public static StoreQuery All { get; } = new();

    /// <summary>True when <paramref name="log"/> meets every condition.</summary>
    public bool Matches(StoreLog log)
    {
        if (PeerId is not null && log.PeerId != PeerId) return false;
        if (BootSessionId is not null && log.BootSessionId != BootSessionId) return false;
        if (Kind is not null && log.Kind != Kind) return false;
        if (StartNs is null && EndNs is null) return true;
        if (log.FirstTimestampNs is not long first || log.LastTimestampNs is not long last) return false;
        return (StartNs is not long start || last >= start) && (EndNs is not long end || first <= end);
    }

    /// <summary>
    /// <c>{"peer_id", "boot_session_id", "kind", "start_ns", "end_ns"}</c>, each optional (null or
    /// absent = any); an unknown key or a wrong type is InvalidArgument naming it.
    /// </summary>
    public static StoreQuery Parse(JsonNode? node, string name)
    {
        if (node is null) return All;
        var f = JsonFields.Of(node, name);
        if (f.UnknownKeys(Keys).FirstOrDefault() is { } unknown)
            throw AukiException.Invalid($"{name}: unknown field `{unknown}`, expected one of {string.Join(", ", Keys)}").AtField(unknown);
        var query = new StoreQuery(
            f.OptionalString("peer_id"), f.OptionalString("boot_session_id"), f.OptionalString("kind"),
            f.Has("start_ns") ? f.I64("start_ns") : null, f.Has("end_ns") ? f.I64("end_ns") : null);
        if (query.StartNs is long s && query.EndNs is long e && s > e)
            throw AukiException.Invalid($"{name}: start_ns ({s}) must be <= end_ns ({e})");
        return query;
    }
}
