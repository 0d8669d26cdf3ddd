using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Auki.Activity;
using Auki.Logs;

// bench/activity: see run.sh. Commands:
//   generate <root> <logs> <entries>      write the store (segment files directly, auki-logs v1)
//   session  <root> <files>               create one activity session over <files> logs, print its id
//   measure  <root> <session_id>          time Bounds and Topics, cold and warm, beside stat/walk baselines
//   touched  <root> <session_id> <pct>    time Bounds after log writers appended to and rolled over pct % of the held logs,
//                                         with their records (.activity_journal) and without (the journal deleted: rescans)
return args.Length > 0 ? args[0] switch
{
    "generate" => Generate(args[1], int.Parse(args[2], CultureInfo.InvariantCulture), int.Parse(args[3], CultureInfo.InvariantCulture)),
    "session" => MakeSession(args[1], int.Parse(args[2], CultureInfo.InvariantCulture)),
    "measure" => Measure(args[1], args[2]),
    "touched" => Touched(args[1], args[2], double.Parse(args[3], CultureInfo.InvariantCulture)),
    _ => Usage(),
} : Usage();

static int Usage()
{
    Console.Error.WriteLine("usage: ActivityBench generate <root> <logs> <entries> | session <root> <files> | measure <root> <session_id>");
    return 2;
}

// Boot sessions of 100 sensor logs each, 10 boot sessions per peer (so logs / 1,000 peers, at
// least one, and logs / 10 distinct topics); 1 entry every 100 ms with a 4-byte payload, 30 s
// segments (so 1,000 entries make 4 segment files, 300 make 1 or 2), a ~500-byte manifest.json.
// At 10,000 logs this is the layout the first figures were taken on (10 peers x 10 x 100).
static int Generate(string root, int logs, int entries)
{
    const long StepNs = 100_000_000, SegmentNs = 30_000_000_000;
    var sw = Stopwatch.StartNew();
    if (logs > 100 * 10 * 100) throw new ArgumentException("at most 100,000 logs (peer ids have two digits)");
    long files = 0, bytes = 0;
    var buffer = new byte[16 + entries * 16];
    for (int i = 0; i < logs; i++)
    {
        int peer = i / 1000, boot = i / 100 % 10, k = i % 100;
        string peerId = $"robot{peer:D2}", bootId = BootId(peer, boot), resource = $"sensor_{k:D4}";
        string dir = Path.Combine(root, bootId, "logs", peerId, resource);
        string segments = Path.Combine(dir, "segments");
        Directory.CreateDirectory(segments);
        File.WriteAllText(Path.Combine(dir, "manifest.json"),
            $$"""{"app_id":"bench","clock":{"hash":"fb0120a35f4fd1de8a7d46f5e76b7f68","id":"session/sdk_clock","peer_id":"{{peerId}}"},"frame":{"hash":"3055a8ac27eecd57aa37235b05871c01","id":"head_left_camera_optical","peer_id":"{{peerId}}"},"retention_ns":0,"segment_duration_ns":{{SegmentNs}},"sensor":{"hash":"8295922307fa2b426453486ba87a59ef","id":"{{resource}}","peer_id":"{{peerId}}"},"session_id":"{{bootId}}","source_peer_id":"{{peerId}}","writer_peer_id":"{{peerId}}"}""");
        File.WriteAllText(Path.Combine(dir, "log_manifest.json"), $$"""{"retention_ns":0,"segment_duration_ns":{{SegmentNs}}}""");
        long t0 = 1_000_000_000L * (1 + boot * 1000 + k % 7);
        int e = 0;
        while (e < entries)
        {
            long ts = t0 + e * StepNs;
            long start = ts / SegmentNs * SegmentNs;
            int n = 16;
            "AKLG"u8.CopyTo(buffer);
            BinaryPrimitives.WriteUInt16LittleEndian(buffer.AsSpan(4), 1);
            BinaryPrimitives.WriteUInt16LittleEndian(buffer.AsSpan(6), 0);
            BinaryPrimitives.WriteInt64LittleEndian(buffer.AsSpan(8), start);
            for (; e < entries && (ts = t0 + e * StepNs) < start + SegmentNs; e++)
            {
                BinaryPrimitives.WriteInt64LittleEndian(buffer.AsSpan(n), ts);
                BinaryPrimitives.WriteUInt32LittleEndian(buffer.AsSpan(n + 8), 4);
                BinaryPrimitives.WriteInt32LittleEndian(buffer.AsSpan(n + 12), e);
                n += 16;
            }
            File.WriteAllBytes(Path.Combine(segments, start.ToString("D20", CultureInfo.InvariantCulture) + ".seg"), buffer.AsSpan(0, n));
            files++;
            bytes += n;
        }
    }
    Console.WriteLine($"generated {logs} logs x {entries} entries: {files} segment files, {bytes / 1e6:F1} MB of segments, {sw.Elapsed.TotalSeconds:F1} s");
    return 0;
}

static string BootId(int peer, int boot) => $"01JBENCH{peer:D2}{boot:D2}0000000000000000"[..26];

// The first <files> logs of the store's listing order (whole files; every tenth one windowed).
static int MakeSession(string root, int files)
{
    var store = new ActivityStore(root);
    var ids = new List<SessionFile>();
    foreach (var boot in Directory.EnumerateDirectories(root, "01JBENCH*").Order(StringComparer.Ordinal))
        foreach (var peer in Directory.EnumerateDirectories(Path.Combine(boot, "logs")).Order(StringComparer.Ordinal))
            foreach (var log in Directory.EnumerateDirectories(peer).Order(StringComparer.Ordinal))
            {
                if (ids.Count == files) break;
                string id = Path.GetRelativePath(root, log).Replace('\\', '/');
                ids.Add(ids.Count % 10 == 9 ? new SessionFile(id, 5_000_000_000, 50_000_000_000) : new SessionFile(id));
            }
    var session = store.Create("bench", []);
    store.AddFiles(session.SessionId, ids);
    Console.WriteLine(session.SessionId);
    return 0;
}

// C# in-process (core, JIT): one warm-up call of each (JIT), then rebuild and cold (below; the OS
// page cache stays warm), warm = median of 15.
static int Measure(string root, string sessionId)
{
    var store = new ActivityStore(root);
    var session = store.Get(sessionId);
    var segmentFiles = session.Files.SelectMany(c => Directory.EnumerateFiles(Path.Combine(root, c.File.FileId, "segments"))).ToArray();
    string bounds = "", topics = "";
    void DoBounds() => bounds = store.Bounds(store.Get(sessionId)).ToString();
    void DoTopics() => topics = store.Topics(store.Get(sessionId)).Count.ToString(CultureInfo.InvariantCulture);
    static double Time(Action a)
    {
        var sw = Stopwatch.StartNew();
        a();
        return sw.Elapsed.TotalMilliseconds;
    }
    static double Warm(Action a)
    {
        var samples = Enumerable.Range(0, 15).Select(_ => Time(a)).Order().ToArray();
        return samples[samples.Length / 2];
    }
    string index = Path.Combine(root, ".activity_index");
    File.Delete(index); // so the warm-up calls run (and JIT-compile) the rebuild path too
    DoBounds();
    DoTopics();
    ActivityStore.ClearCaches();
    DoBounds(); // and the path from the index file
    // Cold: this process's caches forgotten, the root's .activity_index as the last call left it
    // (what a new process finds); rebuild: the index file deleted too (every held log scanned).
    double Cold(Action a, bool rebuild)
    {
        if (rebuild) File.Delete(index);
        ActivityStore.ClearCaches();
        return Time(a);
    }
    double boundsRebuild = Cold(DoBounds, rebuild: true), topicsRebuild = Cold(DoTopics, rebuild: true);
    DoBounds(); // leaves the index saved
    double boundsCold = Cold(DoBounds, rebuild: false), topicsCold = Cold(DoTopics, rebuild: false);
    double boundsWarm = Warm(DoBounds), topicsWarm = Warm(DoTopics);
    double get = Warm(() => store.Get(sessionId)); // the document alone, part of both figures above
    double stat = Warm(() => { foreach (var f in segmentFiles) _ = new FileInfo(f).Length; });
    double walk = Warm(() => { foreach (var c in session.Files) foreach (var f in new DirectoryInfo(Path.Combine(root, c.File.FileId, "segments")).EnumerateFiles()) _ = f.Length; });
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"impl=C#\tbounds_rebuild={boundsRebuild:F1}\ttopics_rebuild={topicsRebuild:F1}\tbounds_cold={boundsCold:F1}\tbounds_warm={boundsWarm:F1}\ttopics_cold={topicsCold:F1}\ttopics_warm={topicsWarm:F1}\tget={get:F1}\tstat={stat:F1}\twalk={walk:F1}\tsegments={segmentFiles.Length}\tbounds={bounds}\ttopics={topics}"));
    return 0;
}

// A fraction of the held logs changed since the last query, by their writers (LogWriter: open,
// 3 entries of which the first starts a new 30 s segment, close), then Bounds timed twice per
// round, interleaved: "records" with the journal the writers appended to, "rescans" with the
// journal deleted first (what a query met before writers recorded their logs: every touched log
// listed and scanned). Cold = this process's caches forgotten (a new process); warm = caches kept
// from the previous query (the sealed-segment scans of the touched logs stay cached then).
static int Touched(string root, string sessionId, double percent)
{
    var store = new ActivityStore(root);
    var held = store.Get(sessionId).Files.Where(c => !c.File.IsWindowed).Select(c => c.File.FileId).ToArray();
    int step = Math.Max(1, (int)Math.Round(100 / percent));
    string journal = Path.Combine(root, ".activity_journal");
    string bounds = "";
    void DoBounds() => bounds = store.Bounds(store.Get(sessionId)).ToString();
    int offset = 0;
    double writers = 0;
    int touchedLogs = 0;
    void Touch()
    {
        var sw = Stopwatch.StartNew();
        touchedLogs = 0;
        for (int i = offset++ % step; i < held.Length; i += step)
        {
            using var w = LogWriter.Open(Path.Combine(root, held[i]), new JsonObject());
            long ts = (w.LastTimestampNs ?? 0) / 30_000_000_000 * 30_000_000_000 + 30_000_000_000;
            for (int k = 0; k < 3; k++) w.Append(ts + k * 100_000_000, [1, 2, 3, 4]);
            touchedLogs++;
        }
        writers = Math.Min(writers == 0 ? double.MaxValue : writers, sw.Elapsed.TotalMilliseconds);
    }
    static double Time(Action a)
    {
        var sw = Stopwatch.StartNew();
        a();
        return sw.Elapsed.TotalMilliseconds;
    }
    File.Delete(Path.Combine(root, ".activity_index"));
    DoBounds(); // JIT, and the index saved (which creates the journal)
    ActivityStore.ClearCaches();
    DoBounds();
    double coldRecords = double.MaxValue, coldRescans = double.MaxValue, warmRecords = double.MaxValue, warmRescans = double.MaxValue;
    string? expected = null;
    for (int round = 0; round < 3; round++)
    {
        foreach (bool records in new[] { round % 2 == 0, round % 2 != 0 })
        {
            foreach (bool cold in new[] { true, false })
            {
                Thread.Sleep(2500); // the last logs touched settle (the racy rule), as logs left alone for a few seconds do
                DoBounds(); // caches warm, index saved as a query leaves it
                Touch();
                if (!records) File.Delete(journal);
                if (cold) ActivityStore.ClearCaches();
                double t = Time(DoBounds);
                if (cold && records) coldRecords = Math.Min(coldRecords, t);
                else if (cold) coldRescans = Math.Min(coldRescans, t);
                else if (records) warmRecords = Math.Min(warmRecords, t);
                else warmRescans = Math.Min(warmRescans, t);
                ActivityStore.ClearCaches();
                File.Delete(Path.Combine(root, ".activity_index"));
                string scanned = store.Bounds(store.Get(sessionId)).ToString(); // the full scan, and the index saved again
                if (scanned != bounds) throw new InvalidOperationException($"bounds {bounds} differ from a full scan's {scanned}");
                expected = scanned;
            }
        }
    }
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"touched={touchedLogs}\theld={held.Length}\twriters_ms={writers:F1}\tcold_records={coldRecords:F1}\tcold_rescans={coldRescans:F1}\twarm_records={warmRecords:F1}\twarm_rescans={warmRescans:F1}\tbounds={expected}"));
    return 0;
}
