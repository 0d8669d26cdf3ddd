using System.Text.Json.Nodes;
using Auki.Manifests;

namespace Auki.Sessions;

/// <summary>
/// JSON views of a session and its logs, the shapes the C ABI (and so the Python binding) hands
/// out: <see cref="Info"/> for auki_session_info, <see cref="LogList"/> for auki_session_logs,
/// and the short log kind names (<c>sensor</c>, <c>pose</c>, <c>time_transform</c>, <c>detection</c>).
/// </summary>
public static class SessionJson
{
    /// <summary>The short name of a log kind, as <see cref="LogKinds.Parse"/> accepts it.</summary>
    public static string KindName(LogKind kind) => kind switch
    {
        LogKind.Sensor => "sensor",
        LogKind.Pose => "pose",
        LogKind.TimeTransform => "time_transform",
        LogKind.Detection => "detection",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>
    /// <c>{"peer_id","app_id","session_id","storage_root","standalone","monotonic_clock","utc_clock"}</c>;
    /// the clocks are RegistryRef objects, or null for a standalone session.
    /// </summary>
    public static JsonObject Info(Session session) => new()
    {
        ["peer_id"] = session.PeerId,
        ["app_id"] = session.AppId,
        ["session_id"] = session.SessionId,
        ["storage_root"] = session.StorageRoot,
        ["standalone"] = session.IsStandalone,
        ["monotonic_clock"] = session.MonotonicClock?.ToJson(),
        ["utc_clock"] = session.UtcClock?.ToJson(),
    };

    /// <summary>One <c>{"kind","resource_id","root"}</c> object per declared log of <paramref name="kind"/> (null: all kinds), in declaration order.</summary>
    public static JsonArray LogList(Session session, LogKind? kind)
    {
        var list = new JsonArray();
        foreach (var log in kind is { } k ? session.Logs(k) : session.AllLogs())
            list.Add((JsonNode)new JsonObject
            {
                ["kind"] = KindName(log.Kind),
                ["resource_id"] = log.ResourceId,
                ["root"] = log.Root,
            });
        return list;
    }
}
