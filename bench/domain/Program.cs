// Domain benchmark: `DomainBench <broker_url> [quick]` (bench/domain/run.sh starts mosquitto).
// 1. Materialization throughput: an owner holds N entries of one size; a second member (same
//    process, own MQTT connection) materializes the log from the start; time until the local log
//    holds all of it (its segment files reach the owner's size). Baseline in the same run: a raw
//    MQTTnet publisher -> subscriber through the same broker, the same N payloads at QoS 1 with 4
//    publishes in flight, no AukiNative, no disk.
// 2. Live latency: the owner appends one 64-byte entry every 10 ms (written through); time from
//    the append to the entry's arrival in the materialized log (read by a 100 us poll), p50 and p99.
using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Auki.Domains;
using Auki.Logs;
using Auki.Manifests;
using Auki.Registry;
using Auki.Sessions;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

string broker = args.Length > 0 ? args[0] : "mqtt://127.0.0.1:1883";
bool quick = args.Length > 1 && args[1] == "quick";
var cases = quick
    ? new[] { (Size: 16, Count: 20_000), (Size: 64 * 1024, Count: 200), (Size: 6_900_000, Count: 8) }
    : new[] { (Size: 16, Count: 200_000), (Size: 64 * 1024, Count: 2_000), (Size: 6_900_000, Count: 12) };
string tmp = Path.Combine(Path.GetTempPath(), "auki-domain-bench-" + Guid.NewGuid().ToString("N"));
Directory.CreateDirectory(tmp);
int run = 0;
try
{
    Console.WriteLine($"broker {broker}; {Environment.ProcessorCount} cores");
    Console.WriteLine($"{"payload",-10} {"entries",8} {"MQTT baseline",16} {"materialize",14} {"ratio",6}");
    foreach (var (size, count) in cases)
    {
        double baseline = RawMqtt(broker, size, count).GetAwaiter().GetResult(); // main thread: no await, so no pool thread blocks below
        double ours = Materialize(broker, size, count, Path.Combine(tmp, "t" + run++));
        Console.WriteLine($"{Label(size),-10} {count,8} {Rate(baseline, size),16} {Rate(ours, size),14} {ours / baseline,6:0.00}x");
    }
    var (p50, p99, n) = Latency(broker, Path.Combine(tmp, "lat"));
    Console.WriteLine($"live latency append -> materialized log (64 B, {n} samples at 100 Hz): p50 {p50:0.00} ms, p99 {p99:0.00} ms");
}
finally
{
    Directory.Delete(tmp, recursive: true);
}
return 0;

static string Label(int size) => size >= 1_000_000 ? $"{size / 1e6:0.0} MB" : size >= 1024 ? $"{size / 1024} KiB" : $"{size} B";

static string Rate(double entriesPerSecond, int size)
{
    string rate = entriesPerSecond >= 100 ? entriesPerSecond.ToString("0", CultureInfo.InvariantCulture) : entriesPerSecond.ToString("0.##", CultureInfo.InvariantCulture);
    return rate + "/s " + (entriesPerSecond * size / 1e6).ToString("0.0", CultureInfo.InvariantCulture) + " MB/s";
}

static byte[] Payload(long i, int size)
{
    var p = new byte[size];
    for (int k = 0; k < Math.Min(size, 64); k++) p[k] = (byte)(i * 31 + k * 7);
    return p;
}

static (Session, LogHandle) Owner(string root, string peerId)
{
    var peer = new Peer(peerId, "bench") { StorageRoot = root };
    var frame = peer.RegisterFrame("cam_optical", FrameDef.RosOptical);
    var sensor = peer.RegisterSensor("cam", new JsonObject
    {
        ["kind"] = "camera", ["type"] = "rgb", ["width"] = 1920, ["height"] = 1200, ["frame_rate_hz"] = 30,
        ["pixel_format"] = "rgb8", ["color_space"] = "srgb", ["intrinsics_model"] = "pinhole",
        ["distortion_model"] = "brown_conrady", ["frame"] = frame.ToJson(),
    });
    var session = peer.StartSession();
    var log = session.RegisterLog(new SensorLogSpec(sensor, session.MonotonicClock!, HeadSpec.Rolling(0), 1_000_000_000, 0, frame));
    return (session, log);
}

static long SegmentBytes(string logRoot)
{
    string dir = Path.Combine(logRoot, "segments");
    if (!Directory.Exists(dir)) return 0;
    long total = 0;
    foreach (var f in new DirectoryInfo(dir).EnumerateFiles("*.seg")) total += f.Length;
    return total;
}

static double Materialize(string broker, int size, int count, string root)
{
    var (owner, log) = Owner(Path.Combine(root, "owner"), "galbot");
    for (int i = 0; i < count; i++) log.Data.Append(i * 1_000_000L, Payload(i, size));
    log.Data.Flush();
    long expected = SegmentBytes(log.Root);
    var config = new DomainConfig("bench", broker) { CatalogInterval = TimeSpan.FromSeconds(1) };
    var ownerDomain = Domain.Join(owner, config);
    var reader = new Peer("park", "bench") { StorageRoot = Path.Combine(root, "reader") }.StartSession();
    var readerDomain = Domain.Join(reader, config);
    var sw = Stopwatch.StartNew();
    var local = reader.MaterializeRemoteLog(new LogRef("galbot", "cam"), 0, 1_000_000_000);
    while (SegmentBytes(local.Root) < expected) Thread.Sleep(1);
    double seconds = sw.Elapsed.TotalSeconds;
    readerDomain.Leave();
    ownerDomain.Leave();
    Directory.Delete(root, recursive: true);
    return count / seconds;
}

static async Task<double> RawMqtt(string broker, int size, int count)
{
    var (host, port) = (new Uri(broker).Host, new Uri(broker).Port);
    var factory = new MqttClientFactory();
    using var sub = factory.CreateMqttClient();
    using var pub = factory.CreateMqttClient();
    MqttClientOptions Options(string id) => new MqttClientOptionsBuilder().WithTcpServer(host, port)
        .WithProtocolVersion(MqttProtocolVersion.V500).WithClientId(id).WithCleanStart(true).Build().WithSocketBuffers();
    var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    long received = 0, bytes = 0;
    sub.ApplicationMessageReceivedAsync += e =>
    {
        bytes += e.ApplicationMessage.Payload.Length;
        if (++received == count) done.TrySetResult();
        return Task.CompletedTask;
    };
    await sub.ConnectAsync(Options("bench-sub-" + Guid.NewGuid().ToString("N")));
    await sub.SubscribeAsync("bench/raw", MqttQualityOfServiceLevel.AtLeastOnce);
    await pub.ConnectAsync(Options("bench-pub-" + Guid.NewGuid().ToString("N")));
    var payloads = Enumerable.Range(0, Math.Min(count, 64)).Select(i => Payload(i, size)).ToArray();
    var sw = Stopwatch.StartNew();
    var inFlight = new Queue<Task>();
    for (int i = 0; i < count; i++)
    {
        var message = new MqttApplicationMessage
        {
            Topic = "bench/raw",
            Payload = new System.Buffers.ReadOnlySequence<byte>(payloads[i % payloads.Length]),
            QualityOfServiceLevel = MqttQualityOfServiceLevel.AtLeastOnce,
        };
        inFlight.Enqueue(pub.PublishAsync(message));
        if (inFlight.Count >= 4) await inFlight.Dequeue();
    }
    while (inFlight.Count > 0) await inFlight.Dequeue();
    await done.Task.WaitAsync(TimeSpan.FromMinutes(5));
    double seconds = sw.Elapsed.TotalSeconds;
    await pub.DisconnectAsync();
    await sub.DisconnectAsync();
    return count / seconds;
}

static (double P50, double P99, int N) Latency(string broker, string root)
{
    var (owner, log) = Owner(Path.Combine(root, "owner"), "galbot");
    log.Data.Configure(new LogWriterOptions { BufferSize = 0 });
    log.Data.Append(0, new byte[64]);
    var config = new DomainConfig("bench", broker) { CatalogInterval = TimeSpan.FromSeconds(1) };
    var ownerDomain = Domain.Join(owner, config);
    var reader = new Peer("park", "bench") { StorageRoot = Path.Combine(root, "reader") }.StartSession();
    var readerDomain = Domain.Join(reader, config);
    var local = reader.MaterializeRemoteLog(new LogRef("galbot", "cam"), 0, 1_000_000_000);
    while (SegmentBytes(local.Root) < 16 + 12 + 64) Thread.Sleep(1);
    using var tail = LogTail.Open(local.Root);
    const int samples = 500;
    var latencies = new List<double>(samples);
    var payload = new byte[64];
    for (int i = 1; i <= samples + 20; i++)
    {
        long sent = Stopwatch.GetTimestamp();
        BinaryPrimitives.WriteInt64LittleEndian(payload, sent);
        log.Data.Append(i * 1_000_000L, payload);
        while (true)
        {
            if (tail.TryNext(out _, out ReadOnlySpan<byte> got) && BinaryPrimitives.ReadInt64LittleEndian(got) == sent) break;
            Thread.Sleep(TimeSpan.FromMicroseconds(100));
        }
        if (i > 20) latencies.Add(Stopwatch.GetElapsedTime(sent).TotalMilliseconds); // the first 20 warm up
        Thread.Sleep(10);
    }
    readerDomain.Leave();
    ownerDomain.Leave();
    latencies.Sort();
    return (latencies[latencies.Count / 2], latencies[(int)(latencies.Count * 0.99)], latencies.Count);
}

static class MqttOptionsExtensions
{
    /// <summary>The same socket buffers as AukiNative's links (MQTTnet's 8 KiB default holds loopback to ~2 MB/s).</summary>
    public static MqttClientOptions WithSocketBuffers(this MqttClientOptions options)
    {
        ((MqttClientTcpOptions)options.ChannelOptions).BufferSize = 1024 * 1024;
        return options;
    }
}
