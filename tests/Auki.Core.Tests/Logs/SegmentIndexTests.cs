using Auki.Logs;
using CsCheck;

namespace Auki.Core.Tests.Logs;

/// <summary>
/// The per-process segment index (starts and totals served from memory while the segments
/// directory is unchanged) always agrees with a fresh directory scan: across rollovers, retention,
/// reopen, a newest segment deleted or torn as after a crash, and a segment continued after the one
/// after it was deleted. "Aging" sets the directory's mtime back, so the index trusts its listing and
/// serves the next calls from memory, as it does for any log left alone for a second.
/// </summary>
public class SegmentIndexTests
{
    private const long SegmentNs = 100;

    private abstract record Op;
    private sealed record AppendOp(long Delta, int Size) : Op;
    private sealed record FlushOp : Op;
    private sealed record ReopenOp : Op;
    private sealed record RetentionOp(long RetentionNs) : Op;
    private sealed record DeleteNewestOp : Op;
    private sealed record TearNewestOp : Op;
    private sealed record AgeOp : Op;
    private sealed record CheckOp : Op;

    private static readonly Gen<Op> GenOp = Gen.Frequency(
        (10, Gen.Select(Gen.Long[0, 180], Gen.Int[0, 40], (d, s) => (Op)new AppendOp(d, s))),
        (2, Gen.Const((Op)new FlushOp())),
        (2, Gen.Const((Op)new ReopenOp())),
        (1, Gen.OneOfConst(0L, 200L, 500L).Select(r => (Op)new RetentionOp(r))),
        (1, Gen.Const((Op)new DeleteNewestOp())),
        (1, Gen.Const((Op)new TearNewestOp())),
        (3, Gen.Const((Op)new AgeOp())),
        (4, Gen.Const((Op)new CheckOp())));

    [Fact]
    public void Index_agrees_with_a_directory_scan_after_every_change()
    {
        int aged = 0;
        GenOp.Array[1, 50].Sample(ops =>
        {
            using var log = TempLog.InMemory();
            LogWriter? writer = log.Open(segmentNs: SegmentNs);
            try
            {
                foreach (var op in ops) Apply(op, log, ref writer, ref aged);
            }
            finally
            {
                writer?.Dispose();
            }
            Check(log);
            Age(log, ref aged);
            Check(log);
            Check(log); // served from memory now
        }, iter: 60);
    }

    /// <summary>One of the operations both properties share, applied to the log.</summary>
    private static void Apply(Op op, TempLog log, ref LogWriter? writer, ref int aged)
    {
        switch (op)
        {
            case AppendOp a:
                writer ??= log.Open(segmentNs: SegmentNs);
                writer.Append((writer.LastTimestampNs ?? 0) + a.Delta, new byte[a.Size]);
                break;
            case FlushOp:
                writer?.Flush();
                break;
            case ReopenOp:
                writer?.Dispose();
                writer = log.Open(segmentNs: SegmentNs);
                break;
            case RetentionOp r:
                writer ??= log.Open(segmentNs: SegmentNs);
                writer.SetRetention(r.RetentionNs);
                break;
            case DeleteNewestOp:
                // As the next writer's repair does with a newest segment a crash left without entries.
                writer?.Dispose();
                writer = null;
                var starts = SegmentDirectory.ListStarts(log.SegmentsDir);
                if (starts.Count > 0) File.Delete(log.SegmentPath(starts[^1]));
                break;
            case TearNewestOp:
                writer?.Dispose();
                writer = null;
                var all = SegmentDirectory.ListStarts(log.SegmentsDir);
                if (all.Count > 0)
                {
                    var file = new FileInfo(log.SegmentPath(all[^1]));
                    if (file.Length > 20) using (var s = file.Open(FileMode.Open)) s.SetLength(file.Length - 3);
                }
                break;
            case AgeOp:
                Age(log, ref aged);
                break;
            case CheckOp:
                Check(log);
                break;
        }
    }

    /// <summary>Set the segments directory's mtime back (a later second each time), as a log left alone has.</summary>
    private static void Age(TempLog log, ref int aged)
    {
        if (Directory.Exists(log.SegmentsDir))
            Directory.SetLastWriteTimeUtc(log.SegmentsDir, new DateTime(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddSeconds(++aged));
    }

    private sealed record NewProcessOp : Op;
    private sealed record DeleteSidecarOp : Op;
    private sealed record DamageSidecarOp(int At, byte Flip, bool Truncate) : Op;
    private sealed record SnapshotSidecarOp : Op;
    private sealed record RestoreStaleSidecarOp : Op;
    private sealed record RestoreStaleSidecarUnderProcessOp : Op;

    private static readonly Gen<Op> GenSidecarOp = Gen.Frequency(
        (12, GenOp),
        (3, Gen.Const((Op)new NewProcessOp())),
        (1, Gen.Const((Op)new DeleteSidecarOp())),
        (1, Gen.Select(Gen.Int[0, 4000], Gen.Byte[1, 255], Gen.Bool, (at, flip, cut) => (Op)new DamageSidecarOp(at, flip, cut))),
        (1, Gen.Const((Op)new SnapshotSidecarOp())),
        (1, Gen.Const((Op)new RestoreStaleSidecarOp())),
        (1, Gen.Const((Op)new RestoreStaleSidecarUnderProcessOp())));

    /// <summary>
    /// The same property with the sidecar in play: a "new process" (the in-memory index forgotten)
    /// starts from whatever <c>.segment_index</c> holds — current, deleted, damaged (a flipped byte, or
    /// cut short as by a kill mid-write), or an older copy put back, also under a running index — and
    /// still agrees with the scan.
    /// </summary>
    [Fact]
    public void Index_from_a_sidecar_agrees_with_a_directory_scan_whatever_the_sidecar_holds()
    {
        int aged = 0;
        GenSidecarOp.Array[1, 60].Sample(ops =>
        {
            using var log = TempLog.InMemory();
            string sidecar = Path.Combine(log.Root, ".segment_index");
            byte[]? snapshot = null;
            LogWriter? writer = log.Open(segmentNs: SegmentNs);
            try
            {
                foreach (var op in ops)
                {
                    switch (op)
                    {
                        default:
                            Apply(op, log, ref writer, ref aged);
                            break;
                        case NewProcessOp:
                            SegmentIndex.Forget(log.SegmentsDir);
                            break;
                        case DeleteSidecarOp:
                            File.Delete(sidecar);
                            break;
                        case DamageSidecarOp d when File.Exists(sidecar) && new FileInfo(sidecar).Length > 0:
                            // (An earlier cut may have left the sidecar empty: nothing is left to damage.)
                            var bytes = File.ReadAllBytes(sidecar);
                            int at = d.At % bytes.Length;
                            if (d.Truncate) bytes = bytes[..at];
                            else bytes[at] ^= d.Flip;
                            File.WriteAllBytes(sidecar, bytes);
                            SegmentIndex.Forget(log.SegmentsDir);
                            break;
                        case SnapshotSidecarOp when File.Exists(sidecar):
                            snapshot = File.ReadAllBytes(sidecar);
                            break;
                        case RestoreStaleSidecarOp when snapshot is not null:
                            File.WriteAllBytes(sidecar, snapshot);
                            SegmentIndex.Forget(log.SegmentsDir);
                            break;
                        case RestoreStaleSidecarUnderProcessOp when snapshot is not null:
                            // Another process's older sidecar, put back while this one still holds an
                            // index that may have left its totals in the sidecar it first read.
                            File.WriteAllBytes(sidecar, snapshot);
                            break;
                    }
                }
            }
            finally
            {
                writer?.Dispose();
            }
            Check(log);
            Age(log, ref aged);
            Check(log);
            SegmentIndex.Forget(log.SegmentsDir);
            Check(log); // from the sidecar the checks above left
            SegmentIndex.Forget(log.SegmentsDir);
            Check(log);
            // A new process answers from the sidecar's sums, then the log grows: the totals it left in
            // the sidecar are read and checked against the files.
            SegmentIndex.Forget(log.SegmentsDir);
            Check(log);
            using (var grower = log.Open(segmentNs: SegmentNs)) grower.Append((grower.LastTimestampNs ?? 0) + 3 * SegmentNs, [1]);
            Check(log);
        }, iter: 300);
    }

    [Fact]
    public void A_new_process_takes_an_unchanged_logs_totals_from_the_sidecar_and_a_scan_reports_damage()
    {
        using var log = TempLog.InMemory();
        using (var writer = log.Open(segmentNs: SegmentNs))
        {
            for (long ts = 0; ts < 300 * SegmentNs; ts += SegmentNs / 2) writer.Append(ts, BitConverter.GetBytes(ts));
        }
        Directory.SetLastWriteTimeUtc(log.SegmentsDir, new DateTime(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        var expected = LogStats.Compute(log.Root);
        Assert.True(File.Exists(Path.Combine(log.Root, ".segment_index")));
        // Make the sealed segments unreadable as segments without changing their lengths or the
        // directory: totals that still come out right were not scanned again.
        var starts = SegmentDirectory.ListStarts(log.SegmentsDir);
        var mtime = Directory.GetLastWriteTimeUtc(log.SegmentsDir);
        foreach (long start in starts.Take(starts.Count - 1))
        {
            using var f = File.Open(log.SegmentPath(start), FileMode.Open);
            f.Write("XXXX"u8);
        }
        Directory.SetLastWriteTimeUtc(log.SegmentsDir, mtime);
        SegmentIndex.Forget(log.SegmentsDir);
        Assert.Equal(expected, LogStats.Compute(log.Root));
        // Without the sidecar the next process scans, and the damage is reported, not counted.
        File.Delete(Path.Combine(log.Root, ".segment_index"));
        SegmentIndex.Forget(log.SegmentsDir);
        var error = Assert.Throws<AukiException>(() => LogStats.Compute(log.Root));
        Assert.Equal(AukiErrorCode.Corrupt, error.Code);
    }

    [Fact]
    public void A_sidecar_whose_totals_are_not_in_start_order_is_still_used()
    {
        // Sidecars written before the totals were kept sorted list them in a dictionary's order.
        using var log = TempLog.InMemory();
        using (var writer = log.Open(segmentNs: SegmentNs))
        {
            for (long ts = 0; ts < 50 * SegmentNs; ts += SegmentNs / 2) writer.Append(ts, BitConverter.GetBytes(ts));
        }
        Directory.SetLastWriteTimeUtc(log.SegmentsDir, new DateTime(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        var expected = LogStats.Compute(log.Root);
        string sidecar = Path.Combine(log.Root, ".segment_index");
        var bytes = File.ReadAllBytes(sidecar);
        int startCount = BitConverter.ToInt32(bytes, 16), summaryCount = BitConverter.ToInt32(bytes, 20);
        Assert.Equal(49, summaryCount);
        int rows = 24 + 8 * startCount;
        var reversed = Enumerable.Range(0, summaryCount).Reverse().SelectMany(i => bytes.Skip(rows + 40 * i).Take(40)).ToArray();
        reversed.CopyTo(bytes, rows);
        BitConverter.GetBytes(Crc32C.Compute(bytes.AsSpan(0, bytes.Length - 4))).CopyTo(bytes, bytes.Length - 4);
        File.WriteAllBytes(sidecar, bytes);
        // Damage the sealed segments without changing their lengths or the directory: totals that
        // still come out right came from the sidecar.
        var mtime = Directory.GetLastWriteTimeUtc(log.SegmentsDir);
        var starts = SegmentDirectory.ListStarts(log.SegmentsDir);
        foreach (long start in starts.Take(starts.Count - 1))
        {
            using var f = File.Open(log.SegmentPath(start), FileMode.Open);
            f.Write("XXXX"u8);
        }
        Directory.SetLastWriteTimeUtc(log.SegmentsDir, mtime);
        SegmentIndex.Forget(log.SegmentsDir);
        Assert.Equal(expected, LogStats.Compute(log.Root));
    }

    [Fact]
    public void A_window_near_the_end_of_a_long_log_reads_only_its_entries()
    {
        using var log = TempLog.InMemory();
        using (var writer = log.Open(segmentNs: SegmentNs))
        {
            for (long ts = 0; ts < 2000 * SegmentNs; ts += SegmentNs / 4) writer.Append(ts, BitConverter.GetBytes(ts));
        }
        var reader = LogReader.Open(log.Root);
        var window = reader.Read(1990 * SegmentNs + 10, 1995 * SegmentNs).Select(e => e.TimestampNs).ToList();
        var expected = Enumerable.Range(0, 2000 * 4).Select(i => i * (SegmentNs / 4)).Where(ts => ts >= 1990 * SegmentNs + 10 && ts <= 1995 * SegmentNs).ToList();
        Assert.Equal(expected, window);
    }

    private static void Check(TempLog log)
    {
        if (!File.Exists(log.ManifestPath)) return;
        var scanned = SegmentDirectory.ListStarts(log.SegmentsDir);
        Assert.Equal(scanned, LogReader.Open(log.Root).SegmentStarts);
        long entries = 0, bytes = 0;
        long? first = null, last = null;
        for (int i = 0; i < scanned.Count; i++)
        {
            var report = SegmentScanner.Scan(log.SegmentPath(scanned[i]), verifyAllChecksums: false, isLatest: i == scanned.Count - 1);
            entries += report.Entries;
            bytes += report.FileBytes;
            if (report.Entries > 0)
            {
                first ??= report.FirstTimestampNs;
                last = report.LastTimestampNs;
            }
        }
        Assert.Equal(new LogStats(bytes, entries, first, last), LogStats.Compute(log.Root));
        Assert.Equal(entries, LogReader.Open(log.Root).Entries().Count());
    }
}
