using System.Text.Json.Nodes;
using Auki.Logs;
using Auki.Manifests;
using Auki.Registry;
using Auki.Sessions;

namespace Auki.Core.Tests.Support;

/// <summary>
/// A storage root recorded through the public API, as a robot would: peers, a boot session,
/// sensor logs with data. Each test gets its own, removed afterwards.
/// </summary>
internal sealed class RecordedStore : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly Peer _peer;
    private readonly RegistryRef _frame;

    public RecordedStore(string peerId = "galbot")
    {
        _peer = new Peer(peerId, peerId + "-ctrl") { StorageRoot = _dir.Path };
        _frame = _peer.RegisterFrame("optical", FrameDef.RosOptical);
        Session = _peer.StartSession();
    }

    public string Root => _dir.Path;

    public Session Session { get; }

    /// <summary>A camera sensor log with one entry per timestamp (payload: "&lt;id&gt;@&lt;ts&gt;", or <paramref name="payload"/>'s).</summary>
    public LogHandle Camera(string sensorId, bool integrity, HeadSpec? head = null, long segmentNs = 1_000_000_000,
        Func<long, byte[]>? payload = null, params long[] timestamps)
    {
        var sensor = _peer.RegisterSensor(sensorId, new JsonObject
        {
            ["kind"] = "camera",
            ["type"] = "rgb",
            ["width"] = 2,
            ["height"] = 2,
            ["frame_rate_hz"] = 10,
            ["pixel_format"] = "rgb8",
            ["color_space"] = "srgb",
            ["intrinsics_model"] = "pinhole",
            ["distortion_model"] = "none",
            ["frame"] = _frame.ToJson(),
        });
        var log = Session.RegisterLog(new SensorLogSpec(sensor, Session.MonotonicClock!, head ?? HeadSpec.Rolling(0), (ulong)segmentNs, 0, _frame));
        log.Data.Configure(new LogWriterOptions { Integrity = integrity });
        foreach (long ts in timestamps) log.Data.Append(ts, payload?.Invoke(ts) ?? Payload(sensorId, ts));
        log.Data.Close();
        return log;
    }

    public static byte[] Payload(string id, long ts) => System.Text.Encoding.ASCII.GetBytes($"{id}@{ts}");

    /// <summary>The log's path relative to the root (its activity-session file id).</summary>
    public string FileId(LogHandle log) => Path.GetRelativePath(Root, log.Root).Replace('\\', '/');

    public string SegmentPath(LogHandle log, long start) => Path.Combine(log.Root, "segments", start.ToString("D20") + ".seg");

    public void Dispose() => _dir.Dispose();
}
