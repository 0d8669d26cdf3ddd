using Auki.Logs;
using CsCheck;

namespace Auki.Core.Tests.Logs;

public class LogStatsTests
{
    [Fact]
    public void Stats_count_file_bytes_entries_and_time_span()
    {
        using var log = new TempLog();
        using (var writer = log.Open(segmentNs: Ns.Second))
        {
            writer.Append(10, Bytes.Of("abc"));
            writer.Append(Ns.Second + 10, new byte[500_000]);
            writer.Append(Ns.Second + 20, []);
        }
        var stats = LogStats.Compute(log.Root);
        Assert.Equal(3, stats.Entries);
        Assert.Equal(2 * 16 + 3 * 12 + 3 + 500_000, stats.Bytes);
        Assert.Equal(10, stats.FirstTimestampNs);
        Assert.Equal(Ns.Second + 20, stats.LastTimestampNs);
        Assert.Equal(Ns.Second + 10, stats.DurationNs);
    }

    [Fact]
    public void Stats_of_an_empty_log_have_no_timestamps_and_zero_duration()
    {
        using var log = new TempLog();
        using (log.Open()) { }
        var stats = LogStats.Compute(log.Root);
        Assert.Equal(new LogStats(0, 0, null, null), stats);
        Assert.Equal(0, stats.DurationNs);
    }

    [Fact]
    public void Stats_of_a_single_entry_have_zero_duration()
    {
        using var log = new TempLog();
        using (var writer = log.Open()) writer.Append(42, Bytes.Of("x"));
        var stats = LogStats.Compute(log.Root);
        Assert.Equal(42, stats.FirstTimestampNs);
        Assert.Equal(42, stats.LastTimestampNs);
        Assert.Equal(0, stats.DurationNs);
    }

    [Fact]
    public void Stats_count_a_torn_tail_in_bytes_but_not_in_entries()
    {
        using var log = new TempLog();
        byte[] bytes = [.. SegmentBytes.V1Segment(0, (1, Bytes.Of("a"))), .. new byte[5]];
        SegmentBytes.Write(log, 0, bytes);
        var stats = LogStats.Compute(log.Root);
        Assert.Equal(1, stats.Entries);
        Assert.Equal(bytes.Length, stats.Bytes);
    }

    [Fact]
    public void Stats_of_a_mixed_v1_v2_log()
    {
        using var log = new TempLog();
        using (var writer = log.Open(options: new LogWriterOptions { Integrity = false })) writer.Append(1, Bytes.Of("a"));
        using (var writer = log.Open(options: new LogWriterOptions { Integrity = true })) writer.Append(Ns.Second, Bytes.Of("b"));
        var stats = LogStats.Compute(log.Root);
        Assert.Equal(2, stats.Entries);
        Assert.Equal(16 + 12 + 1 + 16 + 16 + 1, stats.Bytes);
    }
}

/// <summary>
/// <see cref="LogWriter.GetWrittenStats"/> is what a catalog reports for a log being written: it
/// must always equal what a scan of the files finds (buffered entries excluded), whatever mix of
/// small, direct-written and buffer-filling appends, rolls, evictions, flushes and reopens led there.
/// </summary>
public class WrittenStatsTests
{
    private const long SegmentNs = 100;

    private abstract record Op;
    private sealed record AppendOp(long Delta, int Size) : Op;
    private sealed record WriteBufferedOp : Op;
    private sealed record ReopenOp(int BufferSize) : Op;

    private static readonly Gen<Op> GenOp = Gen.Frequency(
        (10, Gen.Select(Gen.Long[0, 120], Gen.OneOf(Gen.Int[0, 40], Gen.Int[60_000, 70_000], Gen.Int[32_768, 40_000]),
            (d, n) => (Op)new AppendOp(d, n))),
        (2, Gen.Const((Op)new WriteBufferedOp())),
        (1, Gen.OneOfConst(0, 200, 70_000, LogWriterOptions.DefaultBufferSize).Select(b => (Op)new ReopenOp(b))));

    [Fact]
    public void Written_stats_of_a_live_writer_match_a_scan_of_its_files()
    {
        Gen.Select(Gen.OneOfConst(0L, 250L), GenOp.Array[1, 40]).Sample((retention, ops) =>
        {
            using var log = new TempLog();
            var writer = log.Open(segmentNs: SegmentNs, retentionNs: retention, options: new LogWriterOptions { BufferSize = 200 });
            long ts = 0;
            try
            {
                foreach (var op in ops)
                {
                    switch (op)
                    {
                        case AppendOp a:
                            ts += a.Delta;
                            writer.Append(ts, new byte[a.Size]);
                            break;
                        case WriteBufferedOp:
                            writer.WriteBuffered();
                            break;
                        case ReopenOp r:
                            writer.Dispose();
                            writer = log.Open(options: new LogWriterOptions { BufferSize = r.BufferSize });
                            break;
                    }
                    Assert.Equal(LogStats.Compute(log.Root), writer.GetWrittenStats());
                }
                writer.WriteBuffered();
                Assert.Equal(writer.GetStats(), writer.GetWrittenStats());
            }
            finally
            {
                writer.Dispose();
            }
        }, iter: 100);
    }

    [Fact]
    public void Buffered_entries_are_left_out_until_they_are_handed_to_the_os()
    {
        using var log = new TempLog();
        using var writer = log.Open(options: new LogWriterOptions { BufferSize = 1 << 20 });
        writer.Append(10, [1, 2, 3]);
        writer.WriteBuffered();
        writer.Append(20, [4]);
        Assert.Equal(new LogStats(16 + 12 + 3, 1, 10, 10), writer.GetWrittenStats());
        Assert.Equal(2, writer.GetStats().Entries);
        writer.WriteBuffered();
        Assert.Equal(new LogStats(16 + 2 * 12 + 4, 2, 10, 20), writer.GetWrittenStats());
    }
}
