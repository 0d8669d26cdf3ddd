using System.Diagnostics;
using Auki.Logs;

namespace Auki.Core.Tests.Logs;

/// <summary>A live tail across rollover: every entry once, in order, at a cost that does not grow with the log.</summary>
public class TailRolloverTests
{
    [Fact]
    public void Tail_delivers_every_entry_once_in_order_while_a_writer_rolls_a_segment_every_ten_entries()
    {
        // The shape: 10 entries per flush and per segment, so each segment is created
        // empty and filled by one write while the tail may be looking at it.
        const int count = 20_000;
        using var log = TempLog.InMemory();
        using (log.Open(segmentNs: 10)) { }
        using var tail = LogTail.Open(log.Root, TimeSpan.Zero);
        Exception? failure = null;
        var writer = new Thread(() =>
        {
            try
            {
                using var w = log.Open(segmentNs: 10);
                for (int i = 0; i < count; i++)
                {
                    w.Append(i, BitConverter.GetBytes(i));
                    // The first append of a window creates its segment, empty until the flush: hold
                    // it empty a moment, as a writer sharing busy cores does.
                    if (i % 10 == 0) Thread.Sleep(1);
                    if (i % 10 == 9) w.Flush();
                }
            }
            catch (Exception e)
            {
                failure = e;
            }
        });
        writer.Start();
        var seen = new List<long>(count);
        var clock = Stopwatch.StartNew();
        while (seen.Count < count && clock.Elapsed < TimeSpan.FromSeconds(120))
        {
            if (tail.TryNext(out long ts, out ReadOnlySpan<byte> payload))
            {
                Assert.Equal(ts, BitConverter.ToInt32(payload));
                seen.Add(ts);
            }
            else if (!writer.IsAlive)
            {
                if (!tail.TryNext(out ts, out payload)) break;
                seen.Add(ts);
            }
        }
        writer.Join();
        Assert.Null(failure);
        long? firstJump = null;
        for (int i = 0; i < seen.Count && firstJump is null; i++)
            if (seen[i] != i) firstJump = i;
        Assert.True(firstJump is null, firstJump is long at ? $"after x{at - 1} the tail returned x{seen[(int)at]}" : "");
        Assert.Equal(count, seen.Count);
    }

    [Fact]
    public void Following_rollovers_never_lists_the_segment_directory_per_rollover_however_long_the_log()
    {
        // What made rollover cost grow with the log was a directory listing per rollover (about a
        // millisecond each at 20,000 segments): count listings, not time. A rollover is found by
        // name; a listing happens only for a pause, at most once per 100 ms, with or without history.
        foreach (int history in new[] { 0, 20_000 })
        {
            var (listings, elapsed) = FollowRollovers(history);
            long allowed = 1 + (long)(elapsed.TotalMilliseconds / 100);
            Assert.True(listings <= allowed, $"with {history} older segments the tail listed the directory {listings} times in 300 rollovers ({elapsed.TotalMilliseconds:F0} ms)");
        }
    }

    private static (int Listings, TimeSpan Elapsed) FollowRollovers(int history)
    {
        const long segment = 1_000_000; // 1 ms windows, as in the issue
        using var log = TempLog.InMemory();
        using (log.Open(segmentNs: segment)) { }
        // Old segments of one entry each (small files are as costly to list as big ones).
        for (int i = 0; i < history; i++)
            File.WriteAllBytes(log.SegmentPath(i * segment), SegmentBytes.V1Segment(i * segment, (i * segment, Bytes.Of("h"))));
        long first = (history + 1) * segment;
        using var writer = log.Open(segmentNs: segment, options: new LogWriterOptions { BufferSize = 0 });
        writer.Append(first, Bytes.Of("start"));
        using var tail = LogTail.Open(log.Root, TimeSpan.Zero);
        int before = tail.DirectoryListings;
        var clock = Stopwatch.StartNew();
        for (int i = 1; i <= 300; i++)
        {
            writer.Append(first + i * segment, Bytes.Of("x"));
            Assert.Equal(first + i * segment, tail.TryNext()?.TimestampNs);
            Assert.Null(tail.TryNext()); // and an idle look, as a polling tail makes
        }
        return (tail.DirectoryListings - before, clock.Elapsed);
    }

    [Fact]
    public void Tail_of_a_root_that_is_a_regular_file_is_an_io_error()
    {
        using var log = new TempLog();
        File.WriteAllText(log.Root, "not a log");
        try
        {
            var e = Assert.Throws<AukiException>(() => LogTail.Open(log.Root));
            Assert.Equal(AukiErrorCode.Io, e.Code);
            Assert.Contains("not a directory", e.Message);
        }
        finally
        {
            File.Delete(log.Root);
        }
    }
}
