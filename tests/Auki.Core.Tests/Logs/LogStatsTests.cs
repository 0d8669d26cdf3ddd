using Auki.Logs;

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
