using System.Text.Json.Nodes;
using Auki.Activity;
using Auki.Logs;

namespace Auki.Core.Tests.Activity;

/// <summary>
/// Log writers record their logs in the root's activity index (<c>.activity_journal</c>, and this
/// process's index directly): a query after a writer's close or rollover answers that log equal to
/// a full scan without listing or scanning it, in this process and in a new one; a journal cut at
/// any byte (a writer killed mid-write), damaged, or replaced by an older copy (a stale record)
/// leaves every answer equal to a full scan.
/// </summary>
public sealed class WriterRecordsTests
{
    private const long SegmentNs = 100;

    private static readonly string[] Logs = ["B1/logs/p1/cam", "B1/logs/p2/imu", "logs/p3/lidar"];

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_query_after_a_writer_closes_equals_a_full_scan_without_rescanning_it(bool newProcess)
    {
        using var dir = new TempDir();
        var (store, session) = Indexed(dir);
        using (var w = Open(dir, 0))
            for (int i = 0; i < 5; i++) w.Append(w.LastTimestampNs!.Value + 60, [9, 9]); // rolls over three times
        if (newProcess) ActivityStore.ClearCaches();
        AssertAnsweredWithoutRescan(dir, store, session);
    }

    [Fact]
    public void A_query_after_a_live_writer_rolls_over_equals_a_full_scan_without_rescanning_it()
    {
        using var dir = new TempDir();
        var (store, session) = Indexed(dir);
        using var w = Open(dir, 1);
        w.Append(w.LastTimestampNs!.Value + 150, [1]); // a new segment...
        w.Flush(); // ...whose first write records the log
        AssertAnsweredWithoutRescan(dir, store, session);
        ActivityStore.ClearCaches();
        AssertAnsweredWithoutRescan(dir, store, session);
        w.Append(w.LastTimestampNs!.Value + 1, [2]);
        w.Flush(); // appends are not recorded: the query rescans the newest segment alone
        Check(dir, store, session);
    }

    [Fact]
    public void A_writer_that_opens_and_closes_without_appending_leaves_the_log_answered_without_rescan()
    {
        using var dir = new TempDir();
        var (store, session) = Indexed(dir);
        Open(dir, 2).Dispose();
        ActivityStore.ClearCaches();
        AssertAnsweredWithoutRescan(dir, store, session);
    }

    [Fact]
    public void Writers_of_two_logs_closing_concurrently_both_reach_the_journal()
    {
        using var dir = new TempDir();
        var (store, session) = Indexed(dir);
        var threads = new[] { 0, 2 }.Select(log => new Thread(() =>
        {
            for (int round = 0; round < 20; round++)
            {
                using var w = Open(dir, log);
                w.Append(w.LastTimestampNs!.Value + 70, [(byte)round]);
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        ActivityStore.ClearCaches();
        AssertAnsweredWithoutRescan(dir, store, session);
    }

    [Fact]
    public void A_journal_cut_at_any_byte_or_damaged_leaves_every_answer_equal_to_a_full_scan()
    {
        using var dir = new TempDir();
        var (store, session) = Indexed(dir);
        string journal = dir[ActivityJournal.FileName];
        using (var w = Open(dir, 0)) w.Append(w.LastTimestampNs!.Value + 130, [7]);
        using (var w = Open(dir, 1)) w.Append(w.LastTimestampNs!.Value + 5, [7]);
        var whole = File.ReadAllBytes(journal);
        Assert.True(whole.Length > ActivityJournal.HeaderSize, "the writers appended records");
        for (int cut = 0; cut <= whole.Length; cut++)
        {
            File.WriteAllBytes(journal, whole[..cut]); // a writer killed inside its write, or the file torn
            ActivityStore.ClearCaches();
            Check(dir, store, session);
        }
        for (int at = ActivityJournal.HeaderSize; at < whole.Length; at += 7)
        {
            var damaged = (byte[])whole.Clone();
            damaged[at] ^= 0x5A;
            File.WriteAllBytes(journal, damaged);
            ActivityStore.ClearCaches();
            Check(dir, store, session);
        }
    }

    [Fact]
    public void A_stale_record_from_an_older_journal_costs_a_rescan_never_a_wrong_answer()
    {
        using var dir = new TempDir();
        var (store, session) = Indexed(dir);
        string journal = dir[ActivityJournal.FileName];
        using (var w = Open(dir, 0)) w.Append(w.LastTimestampNs!.Value + 130, [7]);
        var older = File.ReadAllBytes(journal);
        // The log changes after its record without a new one reaching the journal (as a writer killed before its close would leave it).
        using (var w = LogWriter.Open(dir[Logs[0]], new JsonObject())) w.Append(w.LastTimestampNs!.Value + 300, [8]);
        File.WriteAllBytes(journal, older);
        ActivityStore.ClearCaches();
        Check(dir, store, session);
    }

    // ---- the store ------------------------------------------------------------------------------

    /// <summary>A store of three logs, left alone (mtimes set back), whose index a first query saved.</summary>
    private static (ActivityStore, ActivitySession) Indexed(TempDir dir)
    {
        for (int i = 0; i < Logs.Length; i++)
        {
            using var w = Open(dir, i);
            for (long ts = 10 * i; ts < 250; ts += 40) w.Append(ts, [(byte)i, 1, 2, 3]);
        }
        var store = new ActivityStore(dir.Path);
        var session = store.Create(null, []);
        session = store.AddFiles(session.SessionId, Logs.Select(id => new SessionFile(id)).ToList());
        Age(dir);
        ActivityStore.ClearCaches();
        Check(dir, store, session);
        Assert.True(File.Exists(dir[ActivityIndexFile.FileName]) && File.Exists(dir[ActivityJournal.FileName]), "the first query saved the index and created the journal");
        return (store, session);
    }

    private static LogWriter Open(TempDir dir, int log) =>
        LogWriter.Open(dir[Logs[log]], new JsonObject { ["segment_duration_ns"] = SegmentNs, ["retention_ns"] = 0L });

    private static void Age(TempDir dir)
    {
        var when = new DateTime(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        foreach (var log in Logs)
        {
            string segments = Path.Combine(dir[log], "segments");
            foreach (var f in Directory.EnumerateFiles(segments)) File.SetLastWriteTimeUtc(f, when);
            Directory.SetLastWriteTimeUtc(segments, when);
        }
    }

    private static void AssertAnsweredWithoutRescan(TempDir dir, ActivityStore store, ActivitySession session)
    {
        long listings = ExtentCache.Listings, scans = ExtentCache.SegmentScans;
        var current = store.Get(session.SessionId);
        var bounds = store.Bounds(current);
        var topics = store.Topics(current).Select(t => t.TopicId).ToList();
        Assert.Equal((0L, 0L), (ExtentCache.Listings - listings, ExtentCache.SegmentScans - scans));
        Check(dir, store, session);
        Assert.Equal(bounds, store.Bounds(current));
        Assert.Equal(topics, store.Topics(current).Select(t => t.TopicId).ToList());
    }

    // ---- the full scan --------------------------------------------------------------------------

    private static (long Entries, long Min, long Max, long Bytes, int Segments) OracleSummary(TempDir dir, int log)
    {
        long entries = 0, min = long.MaxValue, max = long.MinValue, bytes = 0;
        string segmentsDir = Path.Combine(dir[Logs[log]], "segments");
        var segments = Directory.GetFiles(segmentsDir, "*.seg").Order(StringComparer.Ordinal).ToArray();
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

    private static void Check(TempDir dir, ActivityStore store, ActivitySession session)
    {
        long? min = null, max = null;
        for (int i = 0; i < Logs.Length; i++)
        {
            var summary = OracleSummary(dir, i);
            if (summary.Entries > 0)
            {
                min = min is null ? summary.Min : Math.Min(min.Value, summary.Min);
                max = max is null ? summary.Max : Math.Max(max.Value, summary.Max);
            }
        }
        var current = store.Get(session.SessionId);
        Assert.Equal((min, max), store.Bounds(current));
        Assert.Equal(["p1/cam", "p2/imu", "p3/lidar"], store.Topics(current).Select(t => t.TopicId).Order(StringComparer.Ordinal).ToList());
        for (int i = 0; i < Logs.Length; i++)
        {
            var indexed = ExtentCache.Summarize(store.StorageRoot, Logs[i]);
            Assert.Equal(OracleSummary(dir, i), (indexed.Entries, indexed.MinTimestampNs, indexed.MaxTimestampNs, indexed.Bytes, indexed.Segments));
        }
    }
}
