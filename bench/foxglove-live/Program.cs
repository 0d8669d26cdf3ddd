// Live Foxglove server benchmark: `FoxgloveLiveBench [quick]` (bench/foxglove-live/run.sh builds and runs it).
// A camera log (1920x1200 rgb8, 6.9 MB frames) and a pose log recorded through the core API
// (written through: buffer 0), served by a FoxgloveServer on 127.0.0.1; the client is a plain
// System.Net.WebSockets client in this process, subscribed over the protocol, reading whole messages.
// 1. Latency, append -> the client has the whole message: frames at 30 Hz, poses at 1 kHz, p50/p99.
//    Baseline, same run and same poll interval: an in-process LogTail on the same log (what any
//    reader of the files gets; the server adds conversion, queueing and the socket).
// 2. Append rate of the writer at full speed: no client, a subscribed client, a client that
//    subscribed and never reads (interleaved: alone, subscribed, stalled, alone).
using System.Buffers.Binary;
using System.Diagnostics;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Auki.Datatypes.Camera;
using Auki.Datatypes.Pose;
using Auki.Foxglove.Live;
using Auki.Logs;
using Auki.Manifests;
using Auki.Registry;
using Auki.Sessions;
using Google.Protobuf;

bool quick = args.Length > 0 && args[0] == "quick";
double seconds = quick ? 4 : 15;
// Where the logs go: the temp directory (a disk, as on a robot), or a second argument (e.g. /dev/shm).
string baseDir = args.Length > 1 && args[1] != "" ? args[1] : Path.GetTempPath();
string tmp = Path.Combine(baseDir, "auki-foxglove-bench-" + Guid.NewGuid().ToString("N"));
Directory.CreateDirectory(tmp);
try
{
    var peer = new Peer("bench", "bench-app") { StorageRoot = tmp };
    var session = peer.StartSession();
    var optical = peer.RegisterFrame("cam_optical", FrameDef.RosOptical);
    var world = peer.RegisterFrame("world", FrameDef.RosBody);
    var body = peer.RegisterFrame("body", FrameDef.RosBody);
    var sensor = peer.RegisterSensor("cam", new JsonObject
    {
        ["kind"] = "camera",
        ["type"] = "rgb",
        ["width"] = 1920,
        ["height"] = 1200,
        ["frame_rate_hz"] = 30,
        ["image_encoding"] = "raw",
        ["row_stride_bytes"] = 1920 * 3,
        ["pixel_format"] = "rgb8",
        ["color_space"] = "srgb",
        ["intrinsics_model"] = "pinhole",
        ["distortion_model"] = "none",
        ["frame"] = optical.ToJson(),
    });
    var camera = session.RegisterLog(new SensorLogSpec(sensor, session.MonotonicClock!, HeadSpec.Rolling(0), 1_000_000_000, 0, optical));
    var pose = session.RegisterLog(new PoseLogSpec(world, body, session.MonotonicClock!, new JsonObject { ["kind"] = "manual" }, "rigid", 1000,
        HeadSpec.Fixed(), 1_000_000_000, 0));
    foreach (var log in new[] { camera, pose }) log.Data.Configure(new LogWriterOptions { BufferSize = 0 });
    byte[] frame = new CameraFrame { Frame = ByteString.CopyFrom(new byte[1920 * 1200 * 3]) }.ToByteArray();
    byte[] transform = new SpatialTransform
    {
        Translation = new Vec3 { X = 1, Y = 2, Z = 3 },
        Orientation = new Quat { W = 1 },
    }.ToByteArray();
    long clock = 1; // entry timestamps: strictly increasing across the whole run

    using var server = FoxgloveServer.Start(tmp, new FoxgloveServerOptions { Port = 0 });
    var poll = new FoxgloveServerOptions().PollInterval;
    Console.WriteLine($"{Environment.ProcessorCount} cores, load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}; logs in {baseDir}; server poll interval {poll.TotalMilliseconds} ms; {seconds} s per latency run");

    Console.WriteLine();
    Console.WriteLine($"{"latency append -> receipt",-34} {"samples",8} {"LogTail p50",12} {"p99",8} {"server p50",11} {"p99",8}");
    foreach (var (name, log, payload, hz) in new[] { ("1920x1200 rgb8 frames at 30 Hz", camera, frame, 30), ("poses at 1 kHz", pose, transform, 1000) })
    {
        var tail = TailLatency(log, payload, hz, seconds / 2, ref clock);
        var served = ServerLatency(server, log, payload, hz, seconds, ref clock);
        Console.WriteLine($"{name,-34} {served.Count,8} {Ms(tail, 50),12} {Ms(tail, 99),8} {Ms(served, 50),11} {Ms(served, 99),8}");
    }

    Console.WriteLine();
    Console.WriteLine($"{"writer append rate, full speed",-34} {"alone",10} {"subscribed",11} {"stalled",10} {"alone",10}");
    foreach (var (name, log, payload, count, unit) in new[] { ("6.9 MB frames (frames/s)", camera, frame, quick ? 60 : 300, 1.0), ("poses (k appends/s)", pose, transform, quick ? 50_000 : 200_000, 1000.0) })
    {
        double alone1 = AppendRate(log, payload, count, ref clock);
        double subscribed;
        using (var reader = Subscriber.Connect(server, log))
        {
            reader.StartDraining();
            subscribed = AppendRate(log, payload, count, ref clock);
        }
        double stalled;
        long dropped;
        using (var idle = StalledClient.Connect(server, log))
        {
            stalled = AppendRate(log, payload, count, ref clock);
            Thread.Sleep(200);
            dropped = server.DroppedMessages;
        }
        double alone2 = AppendRate(log, payload, count, ref clock);
        Console.WriteLine($"{name,-34} {alone1 / unit,10:0.0} {subscribed / unit,11:0.0} {stalled / unit,10:0.0} {alone2 / unit,10:0.0}   ({dropped} dropped for the stalled client)");
    }
}
finally
{
    Directory.Delete(tmp, recursive: true);
}
return 0;

static string Ms(List<double> samples, int percentile)
{
    if (samples.Count == 0) return "-";
    var sorted = samples.Order().ToList();
    return $"{sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(percentile / 100.0 * sorted.Count) - 1)]:0.00} ms";
}

// Append at `hz` (absolute schedule, so a late append does not shift the rest) and record when each went in.
static Dictionary<long, long> Paced(LogHandle log, byte[] payload, int hz, double seconds, ref long clock, Func<bool>? stop = null)
{
    var started = new Dictionary<long, long>();
    long period = Stopwatch.Frequency / hz, t0 = Stopwatch.GetTimestamp();
    int n = (int)(seconds * hz);
    for (int i = 0; i < n; i++)
    {
        long due = t0 + i * period;
        // Sleep, never spin: on 2 cores a spinning writer would take the server's core. A late append goes at once.
        while (Stopwatch.GetTimestamp() < due) Thread.Sleep(1);
        long ts = clock++;
        started[ts] = Stopwatch.GetTimestamp();
        log.Data.Append(ts, payload);
    }
    return started;
}

static List<double> TailLatency(LogHandle log, byte[] payload, int hz, double seconds, ref long clock)
{
    using var tail = LogTail.Open(log.Root, new FoxgloveServerOptions().PollInterval);
    var got = new Dictionary<long, long>();
    using var stop = new CancellationTokenSource();
    var reader = new Thread(() =>
    {
        while (!stop.IsCancellationRequested)
            if (tail.WaitNext(TimeSpan.FromMilliseconds(100), stop.Token, out long ts, out _)) got[ts] = Stopwatch.GetTimestamp();
    });
    reader.Start();
    var started = Paced(log, payload, hz, seconds, ref clock);
    Thread.Sleep(200);
    stop.Cancel();
    reader.Join();
    return Latencies(started, got);
}

static List<double> ServerLatency(FoxgloveServer server, LogHandle log, byte[] payload, int hz, double seconds, ref long clock)
{
    using var client = Subscriber.Connect(server, log);
    client.StartDraining();
    var started = Paced(log, payload, hz, seconds, ref clock);
    Thread.Sleep(300);
    return Latencies(started, client.Received);
}

static List<double> Latencies(Dictionary<long, long> started, IReadOnlyDictionary<long, long> got)
{
    var list = new List<double>();
    foreach (var (ts, at) in started.OrderBy(p => p.Key))
        if (got.TryGetValue(ts, out long arrived)) list.Add((arrived - at) * 1000.0 / Stopwatch.Frequency);
    if (Environment.GetEnvironmentVariable("AUKI_BENCH_SERIES") == "1")
        Console.Error.WriteLine(string.Join(" ", list.Select(x => x.ToString("0"))));
    return list;
}

static double AppendRate(LogHandle log, byte[] payload, int count, ref long clock)
{
    long t0 = Stopwatch.GetTimestamp();
    for (int i = 0; i < count; i++) log.Data.Append(clock++, payload);
    return count / Stopwatch.GetElapsedTime(t0).TotalSeconds;
}

/// <summary>A subscribed client that reads everything and notes when each message (by log time) was complete.</summary>
sealed class Subscriber : IDisposable
{
    private readonly ClientWebSocket _ws = new();
    private readonly CancellationTokenSource _stop = new();
    private Thread? _thread;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<long, long> _received = new();

    public IReadOnlyDictionary<long, long> Received => _received;

    public uint ChannelId { get; private set; }

    public static Subscriber Connect(FoxgloveServer server, LogHandle log)
    {
        var s = new Subscriber();
        s._ws.Options.AddSubProtocol("foxglove.websocket.v1");
        s._ws.ConnectAsync(new Uri($"ws://127.0.0.1:{server.Port}"), CancellationToken.None).GetAwaiter().GetResult();
        uint channel = s.ChannelId = ChannelOf(s, $"/{log.SourcePeerId}/{log.ResourceId}");
        s._ws.SendAsync(Encoding.UTF8.GetBytes($$"""{"op":"subscribe","subscriptions":[{"id":1,"channelId":{{channel}}}]}"""),
            WebSocketMessageType.Text, true, CancellationToken.None).GetAwaiter().GetResult();
        Thread.Sleep(200); // the subscription is read by the server before the first append
        return s;
    }

    private static uint ChannelOf(Subscriber s, string topic)
    {
        var buffer = new byte[1 << 20];
        while (true)
        {
            int n = 0;
            ValueWebSocketReceiveResult r;
            do
            {
                r = s._ws.ReceiveAsync(buffer.AsMemory(n), CancellationToken.None).AsTask().GetAwaiter().GetResult();
                n += r.Count;
            } while (!r.EndOfMessage);
            var doc = JsonDocument.Parse(buffer.AsMemory(0, n));
            if (doc.RootElement.GetProperty("op").GetString() != "advertise") continue;
            foreach (var c in doc.RootElement.GetProperty("channels").EnumerateArray())
                if (c.GetProperty("topic").GetString() == topic) return c.GetProperty("id").GetUInt32();
        }
    }

    public void StartDraining()
    {
        _thread = new Thread(() =>
        {
            var buffer = new byte[8 << 20];
            try
            {
                while (!_stop.IsCancellationRequested)
                {
                    int n = 0;
                    ValueWebSocketReceiveResult r;
                    do
                    {
                        r = _ws.ReceiveAsync(buffer.AsMemory(n), _stop.Token).AsTask().GetAwaiter().GetResult();
                        n += r.Count;
                    } while (!r.EndOfMessage);
                    if (r.MessageType == WebSocketMessageType.Binary && buffer[0] == 1)
                        _received[(long)BinaryPrimitives.ReadUInt64LittleEndian(buffer.AsSpan(5))] = Stopwatch.GetTimestamp();
                }
            }
            catch (Exception e) when (e is OperationCanceledException or WebSocketException) { }
        })
        { IsBackground = true };
        _thread.Start();
    }

    public void Dispose()
    {
        _stop.Cancel();
        _thread?.Join();
        _ws.Abort();
        _ws.Dispose();
    }
}

/// <summary>A client that upgrades, subscribes and never reads again (its kernel buffers fill, then its queue).</summary>
sealed class StalledClient : IDisposable
{
    private readonly TcpClient _tcp = new() { ReceiveBufferSize = 4096 };

    public static StalledClient Connect(FoxgloveServer server, LogHandle log)
    {
        uint channel;
        using (var probe = Subscriber.Connect(server, log)) channel = probe.ChannelId;
        var c = new StalledClient();
        c._tcp.Connect("127.0.0.1", server.Port);
        var s = c._tcp.GetStream();
        s.Write(Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: foxglove.websocket.v1\r\n\r\n"));
        // A client's text frame must be masked (RFC 6455); the mask 0 leaves the bytes as they are.
        var json = Encoding.UTF8.GetBytes($$"""{"op":"subscribe","subscriptions":[{"id":7,"channelId":{{channel}}}]}""");
        s.Write([0x81, (byte)(0x80 | json.Length), 0, 0, 0, 0, .. json]);
        Thread.Sleep(200);
        return c;
    }

    public void Dispose() => _tcp.Dispose();
}
