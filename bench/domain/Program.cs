// Domain benchmark: `DomainBench <broker_url> [quick]` (bench/domain/run.sh starts mosquitto).
// 1. Materialization throughput: an owner holds N entries of one size; a second member (same
//    process, own MQTT connection) materializes the log from the start; time until the local log
//    holds all of it (its segment files reach the owner's size). Baseline in the same run: a raw
//    MQTTnet publisher -> subscriber through the same broker, the same N payloads at QoS 1 with 4
//    publishes in flight, no AukiNative, no disk.
// 2. Live camera: the owner appends 6.9 MB frames at 30 Hz for 5 s (quick) / 60 s; a second member
//    materializes them live; frames/s and MB/s that arrive, beside the broker's own rate for the same
//    frames with a minimal client (whole 6.9 MB messages, and 256 KiB chunks as AukiNative sends them),
//    the owner's append cost with and without the reader (after a warm-up, interleaved: alone, served,
//    beside a plain second writer copying every frame to disk (no domain: what a copy on the same machine
//    costs), serving a reader that only reads (no copy written), alone), GC and CPU while serving, and
//    p50/p99 of peers(), catalog fetch, open_stream of a small log and resolve_static_transform
//    called by the reader while the stream runs.
// 3. Live latency: the owner appends one 64-byte entry every 10 ms (written through); time from
//    the append to the entry's arrival in the materialized log (read by a 100 us poll), p50 and p99;
//    then 56-byte poses at 1 kHz.
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
    if (args.Length > 1 && args[1] is "camera" or "soak") { LiveCamera(broker, Path.Combine(tmp, "cam"), args[1] == "soak" ? 60 : 5); return 0; }
    if (args.Length > 1 && args[1] == "served") { ServedOnly(broker, Path.Combine(tmp, "served"), 10); return 0; }
    Console.WriteLine($"{"payload",-10} {"entries",8} {"MQTT baseline",16} {"materialize",14} {"ratio",6}");
    foreach (var (size, count) in cases)
    {
        double baseline = RawMqtt(broker, size, count, 4).GetAwaiter().GetResult(); // main thread: no await, so no pool thread blocks below
        double ours = Materialize(broker, size, count, Path.Combine(tmp, "t" + run++));
        Console.WriteLine($"{Label(size),-10} {count,8} {Rate(baseline, size),16} {Rate(ours, size),14} {ours / baseline,6:0.00}x");
    }
    LiveCamera(broker, Path.Combine(tmp, "cam"), quick ? 5 : 60);
    var (p50, p99, n) = Latency(broker, Path.Combine(tmp, "lat"), 64, 500, TimeSpan.FromMilliseconds(10));
    Console.WriteLine($"live latency append -> materialized log (64 B, {n} samples at 100 Hz): p50 {p50:0.00} ms, p99 {p99:0.00} ms");
    var (q50, q99, m) = Latency(broker, Path.Combine(tmp, "pose"), 56, quick ? 2000 : 10000, TimeSpan.FromMilliseconds(1));
    Console.WriteLine($"live latency append -> materialized log (56 B poses, {m} samples at 1 kHz): p50 {q50:0.00} ms, p99 {q99:0.00} ms");
}
finally
{
    Directory.Delete(tmp, recursive: true);
    foreach (string dir in ReaderRoots) if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
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
        ["kind"] = "camera",
        ["type"] = "rgb",
        ["width"] = 1920,
        ["height"] = 1200,
        ["frame_rate_hz"] = 30,
        ["pixel_format"] = "rgb8",
        ["color_space"] = "srgb",
        ["intrinsics_model"] = "pinhole",
        ["distortion_model"] = "brown_conrady",
        ["frame"] = frame.ToJson(),
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
    var config = new DomainConfig("bench", broker) { CatalogInterval = TimeSpan.FromSeconds(1), ChunkBytes = ChunkBytes() };
    var ownerDomain = Domain.Join(owner, config);
    var reader = new Peer("park", "bench") { StorageRoot = ReaderRoot(root) }.StartSession();
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

static void LiveCamera(string broker, string root, int seconds)
{
    const int size = 6_900_000;
    int frames = seconds * 30;
    double wholeMessages = RawMqtt(broker, size, Math.Min(frames, 150), 4).GetAwaiter().GetResult();
    int chunk = ChunkBytes();
    var gcBefore = GcNow();
    double chunked = RawMqtt(broker, chunk, Math.Min(frames, 150) * (size / chunk + 1), 16).GetAwaiter().GetResult() / (size / chunk + 1);
    var gcRaw = GcNow() - gcBefore; // MQTTnet alone: what its own buffers cost the GC for the same chunks
    AppendOnly(Path.Combine(root, "warm"), 30); // page cache and JIT warm: the first run is not the slow one
    var alone1 = AppendOnly(Path.Combine(root, "a1"), frames);
    double aloneCpu1 = AppendCpu.Spent / frames;
    var served = Served(broker, Path.Combine(root, "s"), frames);
    double servedCpu = AppendCpu.Spent / frames;
    var (gcServed, cpuServed) = (served.Gc, served.Cpu);
    int shortRun = Math.Min(frames, 300);
    var withCopy = AppendOnly(Path.Combine(root, "c"), shortRun, copyToSecondLog: true);
    var streamed = Streamed(broker, Path.Combine(root, "m"), shortRun);
    var alone2 = AppendOnly(Path.Combine(root, "a2"), frames);
    double aloneCpu = (aloneCpu1 + AppendCpu.Spent / frames) / 2;
    double ceiling = DiskCeiling(Path.Combine(root, "d"), shortRun);
    double alone = (alone1 + alone2) / 2;
    Console.WriteLine($"live camera 6.9 MB at 30 Hz for {seconds} s ({frames} frames):");
    Console.WriteLine($"  broker alone, minimal MQTTnet client: whole 6.9 MB messages {wholeMessages:0.0} frames/s ({wholeMessages * size / 1e6:0} MB/s); " +
        $"in {chunk / 1024} KiB chunks, 16 in flight {chunked:0.0} frames/s ({chunked * size / 1e6:0} MB/s; GC gen0/1/2 {gcRaw.Gen0}/{gcRaw.Gen1}/{gcRaw.Gen2} in this process while it ran)");
    Console.WriteLine($"  materialized live: {served.Rate:0.0} frames/s ({served.Rate * size / 1e6:0} MB/s), {served.Frames}/{frames} frames, byte-identical: {served.Identical}; {served.Sustained}");
    Console.WriteLine($"  disk ceiling, no domain: the owner's log and a copy log written at once, unpaced, {shortRun} frames each until both closed (fsynced): " +
        $"{ceiling:0.0} frames/s ({2 * ceiling * size / 1e6:0} MB/s to {(Environment.GetEnvironmentVariable("AUKI_BENCH_READER_DIR") is { Length: > 0 } ? "two file systems" : "this disk")}); " +
        $"materialized live = {served.Rate / Math.Min(30, ceiling):0.00}x of min(30, that)");
    Console.WriteLine($"  owner append 6.9 MB: alone {alone * 1e3:0.00} ms (runs {alone1 * 1e3:0.00}, {alone2 * 1e3:0.00}), serving {served.AppendSeconds * 1e3:0.00} ms mean " +
        $"-> append rate while serving {alone / served.AppendSeconds:0.00}x of alone; the appending thread's own CPU {aloneCpu * 1e3:0.00} ms alone, " +
        $"{servedCpu * 1e3:0.00} ms serving ({aloneCpu / servedCpu:0.00}x): the rest of the difference is time the thread did not run (waiting for a core, or throttled by the kernel's dirty-page limit)");
    Console.WriteLine($"  owner append, {shortRun} frames: beside a thread copying each frame into a second log (what the co-located copy costs, no domain) {withCopy * 1e3:0.00} ms " +
        $"({alone / withCopy:0.00}x of alone); serving a stream the reader only reads (open_stream, no copy written) {streamed.AppendSeconds * 1e3:0.00} ms " +
        $"({alone / streamed.AppendSeconds:0.00}x of alone, {streamed.Frames}/{shortRun} frames arrived)");
    Console.WriteLine($"  while serving (owner and reader in this process): GC gen0/1/2 {gcServed.Gen0}/{gcServed.Gen1}/{gcServed.Gen2}, " +
        $"GC pauses {gcServed.Pause.TotalMilliseconds:0} ms, process CPU {cpuServed.TotalSeconds:0.0} s; load average {File.ReadAllText("/proc/loadavg").Trim()}");
    Console.WriteLine($"  first round of the calls (JIT-compiled here; not in the percentiles below): {string.Join(" / ", FirstRound.Select(ms => ms.ToString("0.0")))} ms");
    foreach (var (name, list) in served.Calls)
    {
        list.Sort();
        Console.WriteLine($"  {name,-26} during the stream: n {list.Count}, p50 {list[list.Count / 2]:0.0} ms, p99 {list[(int)(list.Count * 0.99)]:0.0} ms, max {list[^1]:0.0} ms");
    }
}

// `served`: only the live camera's serving phase (owner, server, reader and materializer in this process), for a
// profiler to see what one materialized frame costs without the baselines around it.
static void ServedOnly(string broker, string root, int seconds)
{
    AppendOnly(Path.Combine(root, "warm"), 30);
    var served = Served(broker, Path.Combine(root, "s"), seconds * 30);
    Console.WriteLine($"served only, {seconds} s: materialized {served.Rate:0.0} frames/s, {served.Frames} frames, byte-identical: {served.Identical}; {served.Sustained}; " +
        $"owner append {served.AppendSeconds * 1e3:0.00} ms mean; GC gen0/1/2 {served.Gc.Gen0}/{served.Gc.Gen1}/{served.Gc.Gen2}, " +
        $"pauses {served.Gc.Pause.TotalMilliseconds:0} ms, process CPU {served.Cpu.TotalSeconds:0.0} s ({served.Cpu.TotalSeconds * 1e3 / Math.Max(1, served.Frames):0.0} ms a frame)");
}

// AUKI_BENCH_READER_DIR: put the reader's store (its materialized copy) under this directory instead of beside
// the owner's, e.g. /dev/shm: the copy's writes then leave the owner's disk, as a reader on another machine would.
// Deleted as each case ends and at exit (a tmpfs copy of the 60 s soak would hold 12 GB: use it for `camera`).
static string ReaderRoot(string root)
{
    if (Environment.GetEnvironmentVariable("AUKI_BENCH_READER_DIR") is not { Length: > 0 } dir) return Path.Combine(root, "reader");
    foreach (string old in ReaderRoots) if (Directory.Exists(old)) Directory.Delete(old, recursive: true);
    string path = Path.Combine(dir, "auki-bench-reader-" + Guid.NewGuid().ToString("N"));
    ReaderRoots.Add(path);
    return path;
}

// AUKI_BENCH_CHUNK_BYTES: another chunk size for both members and the chunked broker baseline (default DomainConfig's).
static int ChunkBytes() => int.TryParse(Environment.GetEnvironmentVariable("AUKI_BENCH_CHUNK_BYTES"), out int n) ? n : DomainConfig.DefaultChunkBytes;

static GcCounts GcNow() => new(GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalPauseDuration());

static byte[] CameraFrame(int i)
{
    var p = new byte[6_900_000];
    new Random(i).NextBytes(p.AsSpan(0, 4096));
    p[^1] = (byte)i;
    return p;
}

// The most a materialized copy on this machine can sustain whatever the network does: the owner's log and a second
// log (on the reader's file system) written at the same time as fast as they go, each closed (fsynced) at the end,
// frames per second of each. When both share a disk, 30 frames/s of 6.9 MB is 414 MB/s of writes.
static double DiskCeiling(string root, int frames)
{
    var (_, log) = Owner(Path.Combine(root, "owner"), "galbot");
    string copyRoot = ReaderRoot(root);
    var (_, copy) = Owner(Path.Combine(copyRoot, "copy"), "park");
    var payloads = Enumerable.Range(0, 4).Select(CameraFrame).ToArray();
    var start = Stopwatch.GetTimestamp();
    var writers = new[] { log, copy }.Select(handle => new Thread(() =>
    {
        for (int i = 0; i < frames; i++) handle.Data.Append(i * 33_333_333L, payloads[i % 4]);
        handle.Data.Close();
    })).ToArray();
    foreach (var w in writers) w.Start();
    foreach (var w in writers) w.Join();
    double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
    Directory.Delete(root, recursive: true);
    if (Directory.Exists(copyRoot)) Directory.Delete(copyRoot, recursive: true);
    return frames / seconds;
}

static double AppendOnly(string root, int frames, bool copyToSecondLog = false)
{
    var (owner, log) = Owner(Path.Combine(root, "owner"), "galbot");
    log.Data.Configure(new LogWriterOptions { BufferSize = 0 });
    var payloads = Enumerable.Range(0, 4).Select(CameraFrame).ToArray();
    // The plain baseline for a copy on the same machine: another thread writes every frame into a second log, as a
    // materialization does, without any domain.
    using var appended = new SemaphoreSlim(0);
    Thread? copier = null;
    if (copyToSecondLog)
    {
        var (_, second) = Owner(Path.Combine(root, "copy"), "park");
        copier = new Thread(() =>
        {
            var copy = new byte[payloads[0].Length];
            for (int i = 0; i < frames; i++)
            {
                appended.Wait();
                payloads[i % 4].CopyTo(copy, 0); // the copy's frame arrives in its own buffer
                second.Data.Append(i * 33_333_333L, copy);
            }
            second.Data.Close();
        });
        copier.Start();
    }
    double spent = 0;
    AppendCpu.Spent = 0;
    var start = Stopwatch.GetTimestamp();
    for (int i = 0; i < frames; i++)
    {
        long t0 = Stopwatch.GetTimestamp();
        double c0 = AppendCpu.ThreadSeconds();
        log.Data.Append(i * 33_333_333L, payloads[i % 4]);
        AppendCpu.Spent += AppendCpu.ThreadSeconds() - c0;
        spent += Stopwatch.GetElapsedTime(t0).TotalSeconds;
        appended.Release();
        while (Stopwatch.GetElapsedTime(start).TotalSeconds < (i + 1) / 30.0) Thread.Sleep(1);
    }
    copier?.Join();
    log.Data.Close();
    Directory.Delete(root, recursive: true);
    return spent / frames;
}

static (double Rate, int Frames, bool Identical, double AppendSeconds, List<(string, List<double>)> Calls, GcCounts Gc, TimeSpan Cpu, Sustained Sustained) Served(string broker, string root, int frames)
{
    var (owner, log) = Owner(Path.Combine(root, "owner"), "galbot");
    log.Data.Configure(new LogWriterOptions { BufferSize = 0 });
    var small = owner.RegisterLog(new PoseLogSpec(
        owner.Peer.RegisterFrame("world", FrameDef.RosBody), owner.Peer.RegisterFrame("head", FrameDef.RosBody), owner.MonotonicClock!,
        new JsonObject { ["kind"] = "manual" }, "rigid", 0, HeadSpec.Fixed(), 1_000_000_000, 0));
    small.Data.Append(0, new PoseTransform(1, 2, 3, 0, 0, 0, 1).Encode());
    small.Data.Close();
    var config = new DomainConfig("bench", broker) { CatalogInterval = TimeSpan.FromSeconds(1), ChunkBytes = ChunkBytes() };
    var ownerDomain = Domain.Join(owner, config);
    var reader = new Peer("park", "bench") { StorageRoot = ReaderRoot(root) }.StartSession();
    var readerDomain = Domain.Join(reader, config);
    var local = reader.MaterializeRemoteLog(new LogRef("galbot", "cam"), 0, 1_000_000_000);
    var payloads = Enumerable.Range(0, 4).Select(CameraFrame).ToArray();
    var calls = new List<(string, List<double>)> { ("peers()", new()), ("fetch_resources_catalog", new()), ("open_stream small + 1st entry", new()), ("resolve_static_transform", new()) };
    bool appending = true;
    var prober = new Thread(() =>
    {
        var pose = new LogRef("galbot", "world->head");
        // One round of the four calls every 100 ms (back to back when a round takes longer): the load the calls
        // put on the machine does not grow when they get faster, so throughput compares across versions.
        var round = Stopwatch.StartNew();
        for (int r = 1; Volatile.Read(ref appending); r++)
        {
            if (r == 1) FirstRound.Clear();
            Time(calls[0].Item2, () => readerDomain.Peers());
            Time(calls[1].Item2, () => readerDomain.FetchResourcesCatalog("galbot"));
            Time(calls[2].Item2, () => { using var s = readerDomain.OpenStream(pose, ReadFrom.FromStart); s.Next(TimeSpan.FromSeconds(10), out _); });
            Time(calls[3].Item2, () => reader.ResolveStaticTransform(pose));
            while (round.Elapsed.TotalMilliseconds < r * 100 && Volatile.Read(ref appending)) Thread.Sleep(5);
        }
    });
    prober.Start();
    double spent = 0;
    AppendCpu.Spent = 0;
    var gc = GcNow();
    var cpu = Process.GetCurrentProcess().TotalProcessorTime;
    var start = Stopwatch.GetTimestamp();
    int appended = 0;
    // Sustained, not averaged: every 100 ms, how many frames the copy holds against how many the owner appended. A copy
    // that keeps up holds a bounded lag; one that falls behind shows it growing.
    var samples = new List<(double Seconds, int Appended, int Copied)>();
    var sampler = new Thread(() =>
    {
        while (Volatile.Read(ref appending))
        {
            samples.Add((Stopwatch.GetElapsedTime(start).TotalSeconds, Volatile.Read(ref appended), (int)(SegmentBytes(local.Root) / payloads[0].Length)));
            Thread.Sleep(100);
        }
    });
    sampler.Start();
    for (int i = 0; i < frames; i++)
    {
        long t0 = Stopwatch.GetTimestamp();
        double c0 = AppendCpu.ThreadSeconds();
        log.Data.Append(i * 33_333_333L, payloads[i % 4]);
        AppendCpu.Spent += AppendCpu.ThreadSeconds() - c0;
        spent += Stopwatch.GetElapsedTime(t0).TotalSeconds;
        Volatile.Write(ref appended, i + 1);
        while (Stopwatch.GetElapsedTime(start).TotalSeconds < (i + 1) / 30.0) Thread.Sleep(1);
    }
    double appendedFor = Stopwatch.GetElapsedTime(start).TotalSeconds;
    Volatile.Write(ref appending, false);
    prober.Join();
    sampler.Join();
    long expected = SegmentBytes(log.Root);
    var drain = Stopwatch.StartNew();
    while (SegmentBytes(local.Root) < expected && drain.Elapsed < TimeSpan.FromSeconds(60)) Thread.Sleep(1);
    double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
    var sustained = Sustained.Of(samples, appendedFor, seconds - appendedFor);
    var gcSpent = GcNow() - gc;
    var cpuSpent = Process.GetCurrentProcess().TotalProcessorTime - cpu;
    readerDomain.Leave();
    ownerDomain.Leave();
    var got = LogReader.Open(local.Root).Read(null, null).ToList();
    bool identical = got.Count == frames && got.Select((e, i) => e.TimestampNs == i * 33_333_333L && e.Payload.AsSpan().SequenceEqual(payloads[i % 4])).All(x => x);
    Directory.Delete(root, recursive: true);
    return (got.Count / seconds, got.Count, identical, spent / frames, calls, gcSpent, cpuSpent, sustained);
}

// The owner serves a stream the reader only reads (RemoteStream.Next, nothing written): serving's cost without the copy's disk writes.
static (double AppendSeconds, int Frames) Streamed(string broker, string root, int frames)
{
    var (owner, log) = Owner(Path.Combine(root, "owner"), "galbot");
    log.Data.Configure(new LogWriterOptions { BufferSize = 0 });
    var config = new DomainConfig("bench", broker) { CatalogInterval = TimeSpan.FromSeconds(1), ChunkBytes = ChunkBytes() };
    var ownerDomain = Domain.Join(owner, config);
    var reader = new Peer("park", "bench") { StorageRoot = ReaderRoot(root) }.StartSession();
    var readerDomain = Domain.Join(reader, config);
    var stream = readerDomain.OpenStream(new LogRef("galbot", "cam"), ReadFrom.FromStart);
    int received = 0;
    var consumer = new Thread(() =>
    {
        while (received < frames && stream.Next(TimeSpan.FromSeconds(10), out _) == StreamNext.Entry) received++;
    });
    consumer.Start();
    var payloads = Enumerable.Range(0, 4).Select(CameraFrame).ToArray();
    double spent = 0;
    AppendCpu.Spent = 0;
    var start = Stopwatch.GetTimestamp();
    for (int i = 0; i < frames; i++)
    {
        long t0 = Stopwatch.GetTimestamp();
        double c0 = AppendCpu.ThreadSeconds();
        log.Data.Append(i * 33_333_333L, payloads[i % 4]);
        AppendCpu.Spent += AppendCpu.ThreadSeconds() - c0;
        spent += Stopwatch.GetElapsedTime(t0).TotalSeconds;
        while (Stopwatch.GetElapsedTime(start).TotalSeconds < (i + 1) / 30.0) Thread.Sleep(1);
    }
    consumer.Join();
    stream.Dispose();
    readerDomain.Leave();
    ownerDomain.Leave();
    Directory.Delete(root, recursive: true);
    return (spent / frames, received);
}

static void Time(List<double> into, Action call)
{
    long t0 = Stopwatch.GetTimestamp();
    try { call(); } catch (Exception e) { Console.Error.WriteLine("control call failed: " + e.Message); }
    double ms = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
    // The first round is reported on its own line, not in the percentiles: it is compilation and
    // first-use setup (e.g. the protobuf descriptors of resolve_static_transform), once per process.
    if (FirstRound.Count < 4) FirstRound.Add(ms);
    else into.Add(ms);
}

static async Task<double> RawMqtt(string broker, int size, int count, int publishesInFlight)
{
    var (host, port) = (new Uri(broker).Host, new Uri(broker).Port);
    var factory = new MqttClientFactory();
    using var sub = factory.CreateMqttClient();
    using var pub = factory.CreateMqttClient();
    MqttClientOptions Options(string id) => new MqttClientOptionsBuilder().WithTcpServer(host, port)
        .WithProtocolVersion(MqttProtocolVersion.V500).WithClientId(id).WithCleanStart(true).Build().WithSocketBuffers();
    var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    long received = 0, bytes = 0, lastArrival = 0;
    sub.ApplicationMessageReceivedAsync += e =>
    {
        bytes += e.ApplicationMessage.Payload.Length;
        Volatile.Write(ref lastArrival, Stopwatch.GetTimestamp());
        if (++received == count) done.TrySetResult();
        return Task.CompletedTask;
    };
    await sub.ConnectAsync(Options("bench-sub-" + Guid.NewGuid().ToString("N")));
    await sub.SubscribeAsync("bench/raw", MqttQualityOfServiceLevel.AtLeastOnce);
    await pub.ConnectAsync(Options("bench-pub-" + Guid.NewGuid().ToString("N")));
    var payloads = Enumerable.Range(0, Math.Min(count, 64)).Select(i => Payload(i, size)).ToArray();
    long start = Stopwatch.GetTimestamp();
    lastArrival = start;
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
        if (inFlight.Count >= publishesInFlight) await inFlight.Dequeue();
    }
    while (inFlight.Count > 0) await inFlight.Dequeue();
    // mosquitto drops QoS 1 messages beyond max_queued_messages (1000) for a subscriber that falls behind:
    // stop 2 s after the last arrival and count what came, timed to the last arrival.
    while (!done.Task.IsCompleted && Stopwatch.GetElapsedTime(Volatile.Read(ref lastArrival)) < TimeSpan.FromSeconds(2)) await Task.Delay(50);
    double seconds = Stopwatch.GetElapsedTime(start, Volatile.Read(ref lastArrival)).TotalSeconds;
    if (received < count) Console.WriteLine($"  (raw baseline: the broker dropped {count - received} of {count} messages for the slow subscriber)");
    await pub.DisconnectAsync();
    await sub.DisconnectAsync();
    return received / seconds;
}

static (double P50, double P99, int N) Latency(string broker, string root, int size, int samples, TimeSpan interval)
{
    var (owner, log) = Owner(Path.Combine(root, "owner"), "galbot");
    log.Data.Configure(new LogWriterOptions { BufferSize = 0 });
    log.Data.Append(0, new byte[64]);
    var config = new DomainConfig("bench", broker) { CatalogInterval = TimeSpan.FromSeconds(1), ChunkBytes = ChunkBytes() };
    var ownerDomain = Domain.Join(owner, config);
    var reader = new Peer("park", "bench") { StorageRoot = ReaderRoot(root) }.StartSession();
    var readerDomain = Domain.Join(reader, config);
    var local = reader.MaterializeRemoteLog(new LogRef("galbot", "cam"), 0, 1_000_000_000);
    while (SegmentBytes(local.Root) < 16 + 12 + 64) Thread.Sleep(1);
    using var tail = LogTail.Open(local.Root);
    var latencies = new List<double>(samples);
    var payload = new byte[size];
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
        while (Stopwatch.GetElapsedTime(sent) < interval) Thread.SpinWait(50); // Thread.Sleep cannot pace 1 kHz
    }
    readerDomain.Leave();
    ownerDomain.Leave();
    latencies.Sort();
    return (latencies[latencies.Count / 2], latencies[(int)(latencies.Count * 0.99)], latencies.Count);
}

static partial class Program
{
    static readonly List<string> ReaderRoots = new();

    /// <summary>The first round's four calls, in order: this bench is JIT-compiled, so the first call of each pays its compilation (libauki, AOT, does not).</summary>
    static readonly List<double> FirstRound = new();
}

readonly record struct GcCounts(int Gen0, int Gen1, int Gen2, TimeSpan Pause)
{
    public static GcCounts operator -(GcCounts a, GcCounts b) => new(a.Gen0 - b.Gen0, a.Gen1 - b.Gen1, a.Gen2 - b.Gen2, a.Pause - b.Pause);
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

/// <summary>
/// A materialization's pace while the owner appended: the copy's rate from the first second to the last append (the
/// first second is the stream's start), the most frames it was behind, how far behind at the last append, and how long
/// it took after that to hold every frame.
/// </summary>
readonly record struct Sustained(double Rate, int MaxLag, int EndLag, double DrainSeconds)
{
    public static Sustained Of(List<(double Seconds, int Appended, int Copied)> samples, double appendedFor, double drainSeconds)
    {
        var from = samples.FirstOrDefault(x => x.Seconds >= 1.0);
        var to = samples.Count > 0 ? samples[^1] : default;
        double rate = to.Seconds > from.Seconds ? (to.Copied - from.Copied) / (to.Seconds - from.Seconds) : 0;
        int maxLag = samples.Count > 0 ? samples.Max(x => x.Appended - x.Copied) : 0;
        return new(rate, maxLag, to.Appended - to.Copied, drainSeconds);
    }

    public override string ToString() =>
        $"sustained {Rate:0.0} frames/s from 1 s to the last append, behind by at most {MaxLag} frames ({EndLag} at the last append, all held {DrainSeconds:0.00} s after it)";
}

/// <summary>
/// The appending thread's own CPU time per append (CLOCK_THREAD_CPUTIME_ID): what serving adds to the append itself,
/// apart from waiting for one of the two cores that the reader and the broker share on this machine, or for writeback.
/// </summary>
static class AppendCpu
{
    [ThreadStatic] public static double Spent;

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clock, out Timespec ts);

    private struct Timespec { public long Sec, Nsec; }

    public static double ThreadSeconds() => ClockGetTime(3, out var ts) == 0 ? ts.Sec + ts.Nsec * 1e-9 : 0;
}
