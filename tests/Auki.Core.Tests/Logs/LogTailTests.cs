using Auki.Logs;

namespace Auki.Core.Tests.Logs;

public class LogTailTests
{
    private static readonly LogWriterOptions Unbuffered = new() { BufferSize = 0 };

    [Fact]
    public void Tail_starts_at_the_end_and_does_not_replay()
    {
        using var log = new TempLog();
        using var writer = log.Open(options: Unbuffered);
        writer.Append(1, Bytes.Of("old"));
        using var tail = LogTail.Open(log.Root);
        Assert.Null(tail.TryNext());
        writer.Append(2, Bytes.Of("new"));
        var entry = tail.TryNext();
        Assert.NotNull(entry);
        Assert.Equal(2, entry.Value.TimestampNs);
        Assert.Null(tail.TryNext());
    }

    [Fact]
    public void Tail_of_an_empty_log_picks_up_the_first_segment()
    {
        using var log = new TempLog();
        using var writer = log.Open(options: Unbuffered);
        using var tail = LogTail.Open(log.Root);
        Assert.Null(tail.TryNext());
        writer.Append(5, Bytes.Of("first"));
        Assert.Equal(5, tail.TryNext()?.TimestampNs);
    }

    [Fact]
    public void Tail_follows_rollover_into_the_next_segment()
    {
        using var log = new TempLog();
        using var writer = log.Open(segmentNs: Ns.Second, options: Unbuffered);
        writer.Append(1, Bytes.Of("a"));
        using var tail = LogTail.Open(log.Root);
        writer.Append(2, Bytes.Of("b"));
        writer.Append(Ns.Second, Bytes.Of("c"));
        writer.Append(3 * Ns.Second, Bytes.Of("d"));
        Assert.Equal([2L, Ns.Second, 3 * Ns.Second], Drain(tail));
    }

    [Fact]
    public void Tail_reports_entries_evicted_before_it_read_them_then_goes_on()
    {
        using var log = new TempLog();
        using var writer = log.Open(segmentNs: Ns.Second, retentionNs: Ns.Second, options: Unbuffered);
        writer.Append(1, Bytes.Of("a"));
        using var tail = LogTail.Open(log.Root);
        writer.Append(Ns.Second + 1, Bytes.Of("b"));
        // Tail has not read "b" yet; the next append evicts segments 0 and 1 s.
        writer.Append(5 * Ns.Second, Bytes.Of("c"));
        Assert.False(File.Exists(log.SegmentPath(Ns.Second)));
        var e = Assert.Throws<AukiException>(() => tail.TryNext());
        Assert.Equal(AukiErrorCode.NotFound, e.Code);
        Assert.Contains("evicted before this tail read them", e.Message);
        Assert.Equal([5 * Ns.Second], Drain(tail));
    }

    [Fact]
    public void Tail_does_not_report_a_pause_in_the_data_as_a_gap()
    {
        using var log = new TempLog();
        using var writer = log.Open(segmentNs: Ns.Second, options: Unbuffered);
        writer.Append(1, Bytes.Of("a"));
        using var tail = LogTail.Open(log.Root);
        writer.Append(2, Bytes.Of("b"));
        writer.Append(40 * Ns.Second, Bytes.Of("c")); // 39 empty windows: more than the tail guesses by name
        writer.Append(41 * Ns.Second, Bytes.Of("d"));
        Assert.Equal([2L, 40 * Ns.Second, 41 * Ns.Second], Drain(tail));
    }

    [Fact]
    public void Partial_entry_is_nothing_yet()
    {
        using var log = new TempLog();
        SegmentBytes.Write(log, 0, SegmentBytes.V1Segment(0, (1, Bytes.Of("a"))));
        using var tail = LogTail.Open(log.Root);
        byte[] next = SegmentBytes.V1Entry(2, Bytes.Of("hello"));
        using (var f = new FileStream(log.SegmentPath(0), FileMode.Append)) f.Write(next, 0, 14);
        Assert.Null(tail.TryNext());
        using (var f = new FileStream(log.SegmentPath(0), FileMode.Append)) f.Write(next, 14, next.Length - 14);
        Assert.Equal(2, tail.TryNext()?.TimestampNs);
    }

    [Fact]
    public void Tail_opened_on_a_torn_tail_continues_after_the_writer_repairs_it()
    {
        using var log = new TempLog();
        SegmentBytes.Write(log, 0, [.. SegmentBytes.V1Segment(0, (1, Bytes.Of("a"))), .. SegmentBytes.V1Entry(2, Bytes.Of("lost")).AsSpan(0, 13)]);
        using var tail = LogTail.Open(log.Root);
        Assert.Null(tail.TryNext());
        using var writer = log.Open(options: Unbuffered);
        writer.Append(3, Bytes.Of("after repair"));
        var entry = tail.TryNext();
        Assert.Equal(3, entry?.TimestampNs);
        Assert.Equal("after repair", System.Text.Encoding.UTF8.GetString(entry!.Value.Payload));
    }

    [Fact]
    public void Tail_sees_entries_appended_concurrently_by_a_writer_thread()
    {
        using var log = new TempLog();
        using var writer = log.Open(segmentNs: 1000, options: Unbuffered);
        using var tail = LogTail.Open(log.Root, TimeSpan.FromMilliseconds(1));
        const int count = 2000;
        var producer = new Thread(() =>
        {
            for (int i = 0; i < count; i++) writer.Append(i, BitConverter.GetBytes(i));
        });
        producer.Start();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        for (int i = 0; i < count; i++)
        {
            var entry = tail.Next(timeout.Token);
            Assert.Equal(i, entry.TimestampNs);
            Assert.Equal(i, BitConverter.ToInt32(entry.Payload));
        }
        producer.Join();
    }

    [Fact]
    public void Blocking_next_honours_cancellation()
    {
        using var log = new TempLog();
        using (log.Open()) { }
        using var tail = LogTail.Open(log.Root, TimeSpan.FromMilliseconds(50));
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        Assert.ThrowsAny<OperationCanceledException>(() => tail.Next(cts.Token));
    }

    [Fact]
    public void Wait_next_returns_null_on_timeout()
    {
        using var log = new TempLog();
        using (log.Open()) { }
        using var tail = LogTail.Open(log.Root);
        Assert.Null(tail.WaitNext(TimeSpan.FromMilliseconds(30)));
    }

    [Fact]
    public void Poll_interval_is_configurable()
    {
        using var log = new TempLog();
        using (log.Open()) { }
        using var tail = LogTail.Open(log.Root, TimeSpan.FromMilliseconds(50));
        Assert.Equal(TimeSpan.FromMilliseconds(50), tail.PollInterval);
        Assert.Equal(TimeSpan.FromMilliseconds(10), LogTail.Open(log.Root).PollInterval);
    }

    private static List<long> Drain(LogTail tail)
    {
        var seen = new List<long>();
        while (tail.TryNext() is LogEntry e) seen.Add(e.TimestampNs);
        return seen;
    }
}
