using System.Text.Json.Nodes;

namespace Auki.Domains;

/// <summary>
/// What a stream or a materialization is doing now (docs/domains.md, "Observability").
/// <see cref="State"/>: <c>connecting</c> (asked, no Accept yet), <c>catching_up</c> (the server
/// advertises entries not received yet), <c>live</c> (received what the server advertised),
/// <c>stalled</c> (no connection, no server, or behind with nothing arriving for 2 s), <c>ended</c>
/// (<see cref="EndReason"/> says why). Lag: what the server's catalog row advertises beyond what
/// arrived (entries; ns of log time), plus what arrived and is not yet taken by the consumer.
/// <see cref="Lane"/>: <c>small</c> or <c>bulk</c>, the lane the stream is asked on now (docs/domains.md, "Lanes").
/// </summary>
public sealed record StreamStatus(string State, string? EndReason, string Server, long ReceivedEntries, long ReceivedBytes,
    double BytesPerSecond, long LagEntries, long LagNs, string Lane)
{
    /// <summary>The JSON form of the C ABI and Python.</summary>
    public JsonObject ToJson() => new()
    {
        ["state"] = State,
        ["end_reason"] = EndReason,
        ["server"] = Server,
        ["received_entries"] = ReceivedEntries,
        ["received_bytes"] = ReceivedBytes,
        ["bytes_per_second"] = Math.Round(BytesPerSecond),
        ["lag_entries"] = LagEntries,
        ["lag_ns"] = LagNs,
        ["lane"] = Lane,
    };
}
