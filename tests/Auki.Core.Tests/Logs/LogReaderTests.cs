using Auki.Logs;

namespace Auki.Core.Tests.Logs;

public class LogReaderTests
{
    private static TempLog LogWithOneEntryPerSecond(int seconds)
    {
        var log = new TempLog();
        using var writer = log.Open(segmentNs: Ns.Second);
        for (long i = 0; i < seconds; i++)
        {
            writer.Append(i * Ns.Second, Bytes.Of("a" + i));
            writer.Append(i * Ns.Second + 500, Bytes.Of("b" + i));
        }
        return log;
    }

    [Fact]
    public void Windowed_read_is_inclusive_at_both_ends()
    {
        using var log = LogWithOneEntryPerSecond(5);
        var got = LogReader.Open(log.Root).Read(Ns.Second + 500, 3 * Ns.Second).Select(e => e.TimestampNs);
        Assert.Equal([Ns.Second + 500, 2 * Ns.Second, 2 * Ns.Second + 500, 3 * Ns.Second], got);
    }

    [Fact]
    public void Windowed_read_with_open_ends()
    {
        using var log = LogWithOneEntryPerSecond(3);
        var reader = LogReader.Open(log.Root);
        Assert.Equal(2, reader.Read(null, 500).Count());
        Assert.Equal(2, reader.Read(2 * Ns.Second, null).Count());
        Assert.Equal(6, reader.Read(null, null).Count());
    }

    [Fact]
    public void Windowed_read_skips_segments_outside_the_window_without_opening_them()
    {
        using var log = LogWithOneEntryPerSecond(3);
        // A broken segment outside the window proves it is never opened.
        File.WriteAllText(log.SegmentPath(0), "garbage that would be a Corrupt error");
        Assert.Equal(2, LogReader.Open(log.Root).Read(Ns.Second, Ns.Second + 999).Count());
    }

    [Fact]
    public void Cursor_hands_out_borrowed_payload_views_in_order()
    {
        using var log = LogWithOneEntryPerSecond(2);
        using var cursor = LogReader.Open(log.Root).OpenCursor();
        var seen = new List<string>();
        while (cursor.TryNext(out long ts, out ReadOnlySpan<byte> payload))
            seen.Add(ts + ":" + System.Text.Encoding.UTF8.GetString(payload));
        Assert.Equal(["0:a0", "500:b0", "1000000000:a1", "1000000500:b1"], seen);
    }

    [Fact]
    public void Cursor_after_dispose_throws_closed()
    {
        using var log = LogWithOneEntryPerSecond(1);
        var cursor = LogReader.Open(log.Root).OpenCursor();
        cursor.Dispose();
        Assert.Equal(AukiErrorCode.Closed, Assert.Throws<AukiException>(() => cursor.TryNext(out _, out _)).Code);
    }

    [Fact]
    public void Segment_evicted_after_open_is_skipped()
    {
        using var log = LogWithOneEntryPerSecond(3);
        var reader = LogReader.Open(log.Root);
        File.Delete(log.SegmentPath(Ns.Second));
        Assert.Equal([0L, 500L, 2 * Ns.Second, 2 * Ns.Second + 500], reader.Entries().Select(e => e.TimestampNs));
    }

    [Fact]
    public void Segment_deleted_while_being_read_is_read_to_its_end()
    {
        using var log = LogWithOneEntryPerSecond(2);
        using var cursor = LogReader.Open(log.Root).OpenCursor();
        Assert.True(cursor.TryNext(out _, out _));
        File.Delete(log.SegmentPath(0));
        int rest = 0;
        while (cursor.TryNext(out _, out _)) rest++;
        Assert.Equal(3, rest);
    }

    [Fact]
    public void Reader_sees_complete_entries_while_a_writer_appends()
    {
        using var log = new TempLog();
        using var writer = log.Open(options: new LogWriterOptions { BufferSize = 0 });
        for (int i = 0; i < 1000; i++)
        {
            writer.Append(i, new byte[i % 50]);
            if (i % 100 == 0)
            {
                var entries = log.ReadAll();
                Assert.Equal(i + 1, entries.Count);
                Assert.All(entries, e => Assert.Equal((int)e.TimestampNs % 50, e.Payload.Length));
            }
        }
    }

    [Fact]
    public void Many_small_entries_across_buffer_refills_read_back_exactly()
    {
        using var log = new TempLog();
        const int count = 200_000;
        using (var writer = log.Open(segmentNs: 50_000))
        {
            Span<byte> payload = stackalloc byte[16];
            for (int i = 0; i < count; i++)
            {
                BitConverter.TryWriteBytes(payload, i);
                writer.Append(i, payload);
            }
        }
        using var cursor = LogReader.Open(log.Root).OpenCursor();
        int n = 0;
        while (cursor.TryNext(out long ts, out ReadOnlySpan<byte> p))
        {
            Assert.Equal(n, ts);
            Assert.Equal(n, BitConverter.ToInt32(p));
            n++;
        }
        Assert.Equal(count, n);
    }

    [Fact]
    public void Entry_to_string_shows_timestamp_and_size()
    {
        var text = new LogEntry(100, Bytes.Of("7 bytes")).ToString();
        Assert.Contains("100", text);
        Assert.Contains("7 bytes", text);
    }
}
