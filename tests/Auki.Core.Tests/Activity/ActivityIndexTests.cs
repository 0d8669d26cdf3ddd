using System.Text.Json.Nodes;
using Auki.Activity;
using Auki.Logs;
using CsCheck;

namespace Auki.Core.Tests.Activity;

/// <summary>
/// Bounds, topics and per-file summaries of an activity session, answered from the root's
/// <c>.activity_index</c> and this process's records, always equal a full scan of the logs' segments:
/// over a generated store with damaged segments, live writers (held open across queries, appending,
/// rolling over, evicting), torn tails, rewritten manifests, a "new process" (every in-memory record
/// forgotten), and an index file deleted, damaged (a flipped byte, cut short) or replaced by an older
/// copy (as another process's save, last writer wins). "Aging" sets mtimes back, so records are
/// trusted and answered from two stats, as for any log left alone for a few seconds.
/// </summary>
public sealed class ActivityIndexTests
{
    private const long SegmentNs = 100;

    private static readonly string[] Logs = ["B1/logs/p1/cam", "B1/logs/p2/cam", "B2/logs/p1/cam", "B2/logs/p1/imu"];

    private abstract record Op;
    private sealed record AppendOp(int Log, long Delta, int Size) : Op;
    private sealed record FlushOp(int Log) : Op;
    private sealed record CloseOp(int Log) : Op;
    private sealed record EvictOldestOp(int Log) : Op;
    private sealed record TearNewestOp(int Log, bool Garbage) : Op;
    private sealed record ManifestOp(int Log, string? SourcePeer) : Op;
    private sealed record AgeOp : Op;
    private sealed record NewProcessOp : Op;
    private sealed record DeleteIndexOp : Op;
    private sealed record DamageIndexOp(int At, byte Flip, bool Truncate) : Op;
    private sealed record SnapshotIndexOp : Op;
    private sealed record RestoreStaleIndexOp : Op;
    private sealed record CheckOp : Op;

    private static readonly Gen<int> GenLog = Gen.Int[0, Logs.Length - 1];

    private static readonly Gen<Op> GenOp = Gen.Frequency(
        (12, Gen.Select(GenLog, Gen.Long[0, 150], Gen.Int[0, 24], (l, d, s) => (Op)new AppendOp(l, d, s))),
        (3, GenLog.Select(l => (Op)new FlushOp(l))),
        (2, GenLog.Select(l => (Op)new CloseOp(l))),
        (1, GenLog.Select(l => (Op)new EvictOldestOp(l))),
        (1, Gen.Select(GenLog, Gen.Bool, (l, g) => (Op)new TearNewestOp(l, g))),
        (1, Gen.Select(GenLog, Gen.OneOfConst<string?>(null, "p1", "p9"), (l, p) => (Op)new ManifestOp(l, p))),
        (4, Gen.Const((Op)new AgeOp())),
        (3, Gen.Const((Op)new NewProcessOp())),
        (1, Gen.Const((Op)new DeleteIndexOp())),
        (1, Gen.Select(Gen.Int[0, 1000], Gen.Byte[1, 255], Gen.Bool, (at, flip, cut) => (Op)new DamageIndexOp(at, flip, cut))),
        (1, Gen.Const((Op)new SnapshotIndexOp())),
        (1, Gen.Const((Op)new RestoreStaleIndexOp())),
        (5, Gen.Const((Op)new CheckOp())));

    /// <summary>Per held file: null = the whole file, else a window.</summary>
    private static readonly Gen<(long Min, long Max)?[]> GenWindows = Gen.Frequency(
        (2, Gen.Select(Gen.Long[0, 400], Gen.Long[0, 400], (a, b) => ((long, long)?)(Math.Min(a, b), Math.Max(a, b)))),
        (3, Gen.Const(((long, long)?)null))).Array[Logs.Length];

    [Fact]
    public void Bounds_and_topics_from_the_index_equal_a_full_scan()
    {
        Gen.Select(GenWindows, Gen.Bool.Array[Logs.Length], GenOp.Array[1, 60]).Sample((windows, damaged, ops) =>
        {
            using var dir = new TempDir();
            var store = new ActivityStore(dir.Path);
            var writers = new LogWriter?[Logs.Length];
            int aged = 0;
            byte[]? snapshot = null;
            string indexPath = dir[".activity_index"];
            try
            {
                Generate(dir, writers, damaged);
                var session = store.Create(null, []);
                session = store.AddFiles(session.SessionId, Logs.Select((id, i) =>
                    windows[i] is { } w ? new SessionFile(id, w.Min, w.Max) : new SessionFile(id)).ToList());
                foreach (var op in ops)
                {
                    switch (op)
                    {
                        case AppendOp a:
                            var writer = writers[a.Log] ??= Open(dir, a.Log);
                            writer.Append((writer.LastTimestampNs ?? 0) + a.Delta, new byte[a.Size]);
                            break;
                        case FlushOp f:
                            writers[f.Log]?.Flush();
                            break;
                        case CloseOp c:
                            writers[c.Log]?.Dispose();
                            writers[c.Log] = null;
                            break;
                        case EvictOldestOp e:
                            var segments = Segments(dir, e.Log);
                            if (segments.Length > 1 && writers[e.Log] is null) File.Delete(segments[0]);
                            break;
                        case TearNewestOp t when writers[t.Log] is null && Segments(dir, t.Log) is { Length: > 0 } all:
                            // A crash mid-write: the newest segment cut inside its last entry, or garbage after it.
                            var newest = new FileInfo(all[^1]);
                            using (var s = newest.Open(FileMode.Open))
                            {
                                if (t.Garbage) { s.Seek(0, SeekOrigin.End); s.Write([0xFF, 0x13, 0x37]); }
                                else if (newest.Length > 20) s.SetLength(newest.Length - 3);
                            }
                            break;
                        case ManifestOp m:
                            WriteManifest(dir, m.Log, m.SourcePeer);
                            break;
                        case AgeOp:
                            Age(dir, ++aged);
                            break;
                        case NewProcessOp:
                            ActivityStore.ClearCaches();
                            break;
                        case DeleteIndexOp:
                            File.Delete(indexPath);
                            break;
                        case DamageIndexOp d when File.Exists(indexPath) && new FileInfo(indexPath).Length > 0:
                            var bytes = File.ReadAllBytes(indexPath);
                            int at = d.At % bytes.Length;
                            if (d.Truncate) bytes = bytes[..at];
                            else bytes[at] ^= d.Flip;
                            File.WriteAllBytes(indexPath, bytes);
                            ActivityStore.ClearCaches();
                            break;
                        case SnapshotIndexOp when File.Exists(indexPath):
                            snapshot = File.ReadAllBytes(indexPath);
                            break;
                        case RestoreStaleIndexOp when snapshot is not null:
                            File.WriteAllBytes(indexPath, snapshot);
                            ActivityStore.ClearCaches();
                            break;
                        case CheckOp:
                            Check(dir, store, session);
                            break;
                    }
                }
                Check(dir, store, session);
                Age(dir, ++aged);
                Check(dir, store, session); // records trusted from here
                Check(dir, store, session);
                Save(store, session);
                ActivityStore.ClearCaches();
                Check(dir, store, session); // from the index file the checks above left
            }
            finally
            {
                foreach (var w in writers) w?.Dispose();
                ActivityStore.ClearCaches();
            }
        }, iter: 150);
    }

    /// <summary>
    /// A writer appending and rolling over on another thread while this one queries: every answer
    /// lies within the data written so far, and once the writer stops, the next answer is the scan's.
    /// </summary>
    [Fact]
    public void Queries_during_concurrent_appends_end_equal_to_a_full_scan()
    {
        using var dir = new TempDir();
        var store = new ActivityStore(dir.Path);
        var writers = new LogWriter?[Logs.Length];
        Generate(dir, writers, new bool[Logs.Length]);
        var session = store.Create(null, []);
        session = store.AddFiles(session.SessionId, Logs.Select(id => new SessionFile(id)).ToList());
        Age(dir, 1);
        Check(dir, store, session);
        var appender = new Thread(() =>
        {
            using var w = Open(dir, 0);
            long ts = w.LastTimestampNs ?? 0;
            for (int i = 0; i < 3000; i++)
            {
                w.Append(ts += 7, [1, 2, 3]);
                if (i % 10 == 0) w.Flush();
            }
        });
        var maxima = new List<long>();
        appender.Start();
        while (appender.IsAlive)
        {
            var (_, max) = store.Bounds(store.Get(session.SessionId));
            maxima.Add(max!.Value);
            Assert.Equal(3, store.Topics(store.Get(session.SessionId)).Count);
        }
        appender.Join();
        Check(dir, store, session);
        long final = store.Bounds(session).Max!.Value;
        for (int i = 0; i < maxima.Count; i++)
            Assert.True(maxima[i] <= final && (i == 0 || maxima[i] >= maxima[i - 1]), $"answer {i}: {maxima[i]} (before: {(i > 0 ? maxima[i - 1] : null)}, final {final})");
        ActivityStore.ClearCaches();
        Check(dir, store, session);
    }

    // ---- the store ------------------------------------------------------------------------------

    private static LogWriter Open(TempDir dir, int log) =>
        LogWriter.Open(dir[Logs[log]], new JsonObject { ["segment_duration_ns"] = SegmentNs, ["retention_ns"] = 0L });

    private static void Generate(TempDir dir, LogWriter?[] writers, bool[] damaged)
    {
        for (int i = 0; i < Logs.Length; i++)
        {
            using (var w = Open(dir, i))
                for (long ts = 10 * i; ts < 250; ts += 40) w.Append(ts, [(byte)i, 1, 2, 3]);
            if (i == 3) WriteManifest(dir, i, "p9"); // a materialized log: another peer's topic
            if (damaged[i] && Segments(dir, i) is { Length: > 1 } segs)
            {
                // Damage inside a sealed segment, as a bad disk leaves: the entry's length field is garbage.
                using var s = new FileStream(segs[0], FileMode.Open);
                s.Seek(16 + 8, SeekOrigin.Begin);
                s.Write([0xFF, 0xFF, 0xFF, 0x7F]);
            }
        }
    }

    private static void WriteManifest(TempDir dir, int log, string? sourcePeer)
    {
        string path = Path.Combine(dir[Logs[log]], "manifest.json");
        var manifest = new JsonObject { ["kind"] = "sensor" };
        if (sourcePeer is not null) manifest["source_peer_id"] = sourcePeer;
        Auki.Storage.AtomicFile.Write(path, System.Text.Encoding.UTF8.GetBytes(manifest.ToJsonString()));
    }

    private static string[] Segments(TempDir dir, int log)
    {
        string segments = Path.Combine(dir[Logs[log]], "segments");
        return Directory.Exists(segments) ? Directory.GetFiles(segments, "*.seg").Order(StringComparer.Ordinal).ToArray() : [];
    }

    /// <summary>Set every mtime of the logs back (a later second each time), as logs left alone have.</summary>
    private static void Age(TempDir dir, int aged)
    {
        var when = new DateTime(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddSeconds(aged);
        foreach (var log in Logs)
        {
            string root = dir[log], segments = Path.Combine(root, "segments");
            foreach (var f in Directory.EnumerateFiles(root).Concat(Directory.Exists(segments) ? Directory.EnumerateFiles(segments) : []))
                File.SetLastWriteTimeUtc(f, when);
            if (Directory.Exists(segments)) Directory.SetLastWriteTimeUtc(segments, when);
            Directory.SetLastWriteTimeUtc(root, when);
        }
    }

    private static void Save(ActivityStore store, ActivitySession session)
    {
        // Enough rescans for the index to be written: every record is forgotten, then rebuilt.
        ActivityStore.ClearCaches();
        File.Delete(Path.Combine(store.StorageRoot, ".activity_index"));
        store.Bounds(session);
        store.Topics(session);
    }

    // ---- the full scan --------------------------------------------------------------------------

    private static (long Entries, long Min, long Max, long Bytes, int Segments) OracleSummary(TempDir dir, int log)
    {
        long entries = 0, min = long.MaxValue, max = long.MinValue, bytes = 0;
        var segments = Segments(dir, log);
        foreach (var path in segments)
        {
            var report = SegmentScanner.Scan(path, verifyAllChecksums: false);
            bytes += new FileInfo(path).Length;
            if (report.Entries == 0) continue;
            entries += report.Entries;
            min = Math.Min(min, report.FirstTimestampNs!.Value);
            max = Math.Max(max, report.LastTimestampNs!.Value);
        }
        return entries == 0 ? (0, 0, 0, bytes, segments.Length) : (entries, min, max, bytes, segments.Length);
    }

    private static (long Min, long Max)? OracleExtent(TempDir dir, int log) =>
        OracleSummary(dir, log) is { Entries: > 0 } s ? (s.Min, s.Max) : null;

    private static string OracleTopicId(TempDir dir, int log)
    {
        string manifest = Path.Combine(dir[Logs[log]], "manifest.json");
        string? source = File.Exists(manifest) && JsonNode.Parse(File.ReadAllText(manifest)) is JsonObject m && m["source_peer_id"] is JsonValue v
            ? v.GetValue<string>() : null;
        var parts = Logs[log].Split('/');
        return (source ?? parts[2]) + "/" + parts[3];
    }

    private static void Check(TempDir dir, ActivityStore store, ActivitySession session)
    {
        long? min = null, max = null;
        var topics = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i < Logs.Length; i++)
        {
            var summary = OracleSummary(dir, i);
            var file = session.Files[i].File;
            var extent = OracleExtent(dir, i);
            var range = file.IsWindowed ? (file.RangeMinTimestampNs!.Value, file.RangeMaxTimestampNs!.Value) : extent;
            if (range is { } r)
            {
                min = min is null ? r.Item1 : Math.Min(min.Value, r.Item1);
                max = max is null ? r.Item2 : Math.Max(max.Value, r.Item2);
            }
            string topic = OracleTopicId(dir, i);
            if (!topics.ContainsKey(topic) && extent is { } x && !(file.IsWindowed && (file.RangeMaxTimestampNs < x.Min || file.RangeMinTimestampNs > x.Max)))
                topics[topic] = Logs[i].Split('/')[3];
            var indexed = ExtentCache.Summarize(store.StorageRoot, Logs[i]);
            Assert.Equal(summary, (indexed.Entries, indexed.MinTimestampNs, indexed.MaxTimestampNs, indexed.Bytes, indexed.Segments));
        }
        var current = store.Get(session.SessionId);
        Assert.Equal((min, max), store.Bounds(current));
        var expected = topics.OrderBy(t => t.Value, StringComparer.Ordinal).ThenBy(t => t.Key, StringComparer.Ordinal).Select(t => t.Key).ToList();
        Assert.Equal(expected, store.Topics(current).Select(t => t.TopicId).ToList());
    }
}
