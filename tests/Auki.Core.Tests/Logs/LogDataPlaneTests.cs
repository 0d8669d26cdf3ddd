using System.Text.Json.Nodes;
using Auki.Json;
using Auki.Logs;

namespace Auki.Core.Tests.Logs;

/// <summary>
/// The core pieces behind the C ABI's log data section: batches over native memory, batch reads
/// into caller buffers, the allocation-free tail wait, writer options as JSON and the log info.
/// </summary>
public class LogDataPlaneTests
{
    private static long[] Timestamps(LogReader reader) => reader.Entries().Select(e => e.TimestampNs).ToArray();

    private static unsafe void AppendOffsets(LogWriter writer, long[] ts, byte[] data, ulong length, ulong[] offsets)
    {
        fixed (byte* p = data) writer.AppendMany(ts, p, length, offsets);
    }

    [Fact]
    public void Native_offsets_batch_round_trips_and_is_validated_as_a_whole()
    {
        using var log = new TempLog();
        byte[] data = Bytes.Of("aabbbcccc");
        using (var writer = log.Open())
        {
            AppendOffsets(writer, [10L, 20, 20, 30], data, (ulong)data.Length, [0UL, 2, 5, 5, 9]);
            var backwards = Assert.Throws<AukiException>(() => AppendOffsets(writer, [40L, 35], data, 9, [0UL, 1, 2]));
            Assert.Equal("format: timestamp_ns 35 is earlier than the last entry (40) (entry 1 of the batch)", backwards.Message);
            var beyond = Assert.Throws<AukiException>(() => AppendOffsets(writer, [40L], data, 3, [0UL, 4]));
            Assert.Equal("payload: offsets must lie within the payload buffer", beyond.Message);
            var decreasing = Assert.Throws<AukiException>(() => AppendOffsets(writer, [40L, 50], data, 9, [0UL, 3, 2]));
            Assert.Equal("payload: offsets must be non-decreasing", decreasing.Message);
        }
        var entries = log.ReadAll();
        Assert.Equal([10L, 20, 20, 30], entries.Select(e => e.TimestampNs));
        Assert.Equal(["aa", "bbb", "", "cccc"], entries.Select(e => System.Text.Encoding.UTF8.GetString(e.Payload)));
    }

    [Fact]
    public unsafe void Native_fixed_batch_writes_one_entry_per_row()
    {
        using var log = new TempLog();
        byte[] rows = Enumerable.Range(0, 12).Select(i => (byte)(i / 4)).ToArray();
        using (var writer = log.Open())
        {
            fixed (byte* p = rows) writer.AppendMany([1L, 2, 3], p, 4UL);
            Assert.Equal(AukiErrorCode.InvalidArgument,
                Assert.Throws<AukiException>(() => writer.AppendMany([4L], null, (ulong)int.MaxValue + 1)).Code);
        }
        Assert.Equal([new byte[] { 0, 0, 0, 0 }, [1, 1, 1, 1], [2, 2, 2, 2]], log.ReadAll().Select(e => e.Payload));
    }

    /// <summary>A gathered batch over <paramref name="payloads"/>, each pinned where it lies (as a C caller's buffers are).</summary>
    private static void AppendGathered(LogWriter writer, long[] ts, byte[][] payloads)
    {
        var pins = payloads.Select(p => System.Runtime.InteropServices.GCHandle.Alloc(p, System.Runtime.InteropServices.GCHandleType.Pinned)).ToArray();
        try
        {
            writer.AppendMany(ts, pins.Select(h => h.AddrOfPinnedObject()).ToArray(), payloads.Select(p => (nuint)p.Length).ToArray());
        }
        finally
        {
            foreach (var pin in pins) pin.Free();
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Gathered_batch_writes_each_payload_from_its_own_buffer(bool integrity)
    {
        using var log = new TempLog();
        // Small ones are copied, runs of large ones written from where they lie; the last two cross a segment boundary.
        int[] sizes = [3, 0, 40_000, 100_000, 5, 70_000, 64 * 1024, 33_000];
        byte[][] payloads = sizes.Select((n, i) => Enumerable.Range(0, n).Select(k => (byte)(k * 7 + i)).ToArray()).ToArray();
        long[] ts = [1, 2, 2, 3, 4, 5, Ns.Second + 1, Ns.Second + 2];
        using (var writer = log.Open(options: new LogWriterOptions { Integrity = integrity }))
        {
            writer.Append(0, Bytes.Of("first"));
            AppendGathered(writer, ts, payloads);
        }
        var entries = log.ReadAll();
        Assert.Equal([0L, .. ts], entries.Select(e => e.TimestampNs));
        for (int i = 0; i < payloads.Length; i++) Assert.Equal(payloads[i], entries[i + 1].Payload);
    }

    [Fact]
    public unsafe void Gathered_batch_is_refused_as_a_whole_naming_the_entry()
    {
        using var log = new TempLog();
        byte[] frame = new byte[50_000];
        using (var writer = log.Open())
        {
            writer.Append(10, Bytes.Of("first"));
            var backwards = Assert.Throws<AukiException>(() => AppendGathered(writer, [20, 30, 25], [frame, frame, frame]));
            Assert.Equal("format: timestamp_ns 25 is earlier than the last entry (30) (entry 2 of the batch)", backwards.Message);
            var beforeLog = Assert.Throws<AukiException>(() => AppendGathered(writer, [5, 30], [frame, frame]));
            Assert.Equal("format: timestamp_ns 5 is earlier than the last entry (10) (entry 0 of the batch)", beforeLog.Message);
            var negative = Assert.Throws<AukiException>(() => AppendGathered(writer, [20, -1], [frame, frame]));
            Assert.Equal("format: timestamp_ns must be ≥ 0 (entry 1 of the batch)", negative.Message);
            fixed (byte* pointer = frame)
            {
                nint p = (nint)pointer;
                var missing = Assert.Throws<AukiException>(() => writer.AppendMany([20L, 30], [p, 0], [(nuint)frame.Length, 4]));
                Assert.Equal("payload: entry 1 has a NULL payload and a length of 4", missing.Message);
                var huge = Assert.Throws<AukiException>(() => writer.AppendMany([20L, 30], [p, p], [(nuint)frame.Length, (nuint)int.MaxValue + 1]));
                Assert.Equal("payload: entry 1 is 2 GiB or larger (each payload must be smaller)", huge.Message);
                var uneven = Assert.Throws<AukiException>(() => writer.AppendMany([20L, 30], [p], [(nuint)frame.Length]));
                Assert.Equal("payload: payloads and lengths must have one element per timestamp", uneven.Message);
            }
        }
        Assert.Equal([10L], log.ReadAll().Select(e => e.TimestampNs));
    }

    [Fact]
    public void Batch_reads_stop_before_an_entry_that_does_not_fit_and_keep_it()
    {
        using var log = new TempLog();
        using (var writer = log.Open())
        {
            writer.Append(1, new byte[10]);
            writer.Append(2, new byte[10]);
            writer.Append(3, new byte[40]);
        }
        using var cursor = LogReader.Open(log.Root).OpenCursor();
        var ts = new long[8];
        var offsets = new ulong[9];
        var buffer = new byte[25];
        Assert.Equal(2, cursor.ReadBatch(ts, offsets, buffer));
        Assert.Equal([0UL, 10, 20], offsets[..3]);
        var tooSmall = Assert.Throws<AukiException>(() => cursor.ReadBatch(ts, offsets, buffer));
        Assert.Equal(AukiErrorCode.BufferTooSmall, tooSmall.Code);
        Assert.True(cursor.TryNext(out long t, out ReadOnlySpan<byte> payload)); // nothing was consumed
        Assert.Equal(3, t);
        Assert.Equal(40, payload.Length);
        Assert.Equal(0, cursor.ReadBatch(ts, offsets, buffer));
    }

    [Fact]
    public void Batch_reads_respect_the_window_and_the_entry_limit()
    {
        using var log = new TempLog();
        using (var writer = log.Open())
            for (long i = 0; i < 10; i++) writer.Append(i * 100, [(byte)i]);
        using var cursor = LogReader.Open(log.Root).OpenCursor(200, 700);
        var ts = new long[4];
        var offsets = new ulong[5];
        var buffer = new byte[100];
        Assert.Equal(4, cursor.ReadBatch(ts, offsets, buffer));
        Assert.Equal([200L, 300, 400, 500], ts);
        Assert.Equal(2, cursor.ReadBatch(ts, offsets, buffer));
        Assert.Equal([600L, 700], ts[..2]);
        Assert.Equal(0, cursor.ReadBatch(ts, offsets, buffer));
    }

    [Fact]
    public void Wait_returns_an_entry_written_during_the_wait()
    {
        using var log = new TempLog();
        using var writer = log.Open(options: new LogWriterOptions { BufferSize = 0 });
        writer.Append(1, Bytes.Of("old"));
        using var tail = LogTail.Open(log.Root, TimeSpan.FromMilliseconds(1));
        var appender = new Thread(() =>
        {
            Thread.Sleep(20);
            writer.Append(2, Bytes.Of("new"));
        });
        appender.Start();
        Assert.True(tail.WaitNext(null, CancellationToken.None, out long ts, out ReadOnlySpan<byte> payload));
        Assert.Equal(2, ts);
        Assert.Equal("new", System.Text.Encoding.UTF8.GetString(payload));
        appender.Join();
    }

    [Fact]
    public void Wait_gives_up_on_timeout_and_on_cancellation_without_throwing()
    {
        using var log = new TempLog();
        using (log.Open()) { }
        using var tail = LogTail.Open(log.Root, TimeSpan.FromMilliseconds(1));
        Assert.False(tail.WaitNext(TimeSpan.FromMilliseconds(5), CancellationToken.None, out _, out _));
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.False(tail.WaitNext(null, cancelled.Token, out _, out _));
    }

    [Theory]
    [InlineData(null, null, 0L, LogWriterOptions.DefaultBufferSize)]
    [InlineData("{}", null, 0L, LogWriterOptions.DefaultBufferSize)]
    [InlineData("""{"integrity":true,"fsync_interval_ns":5000000,"buffer_size":0}""", true, 5_000_000L, 0)]
    [InlineData("""{"integrity":false,"fsync_interval_ns":null}""", false, 0L, LogWriterOptions.DefaultBufferSize)]
    public void Options_json_sets_the_writer_options(string? json, bool? integrity, long fsync, int buffer)
    {
        var options = LogWriterOptionsJson.Parse(json is null ? null : JsonNode.Parse(json));
        Assert.Equal(integrity, options.Integrity);
        Assert.Equal(fsync, options.FsyncIntervalNs);
        Assert.Equal(buffer, options.BufferSize);
    }

    [Theory]
    [InlineData("[]", "options: must be a JSON object")]
    [InlineData("""{"integrity":"yes"}""", "options: integrity must be true or false")]
    [InlineData("""{"fsync_interval_ns":-1}""", "options: fsync_interval_ns must be an integer ≥ 0")]
    [InlineData("""{"fsync_interval_ns":1.5}""", "options: fsync_interval_ns must be an integer ≥ 0")]
    [InlineData("""{"buffer_size":4294967296}""", "options: buffer_size must be an integer from 0 to 2147483647")]
    [InlineData("""{"fsync":1}""", "options: unknown key \"fsync\" (known: integrity, fsync_interval_ns, buffer_size)")]
    public void Invalid_options_json_is_refused_with_a_message(string json, string message)
    {
        var e = Assert.Throws<AukiException>(() => LogWriterOptionsJson.Parse(JsonNode.Parse(json)));
        Assert.Equal(AukiErrorCode.InvalidArgument, e.Code);
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void Info_describes_manifest_segments_and_totals()
    {
        using var log = new TempLog();
        using (var writer = log.Open())
        {
            writer.Append(100, Bytes.Of("ab"));
            writer.Append(Ns.Second + 100, Bytes.Of("c"));
        }
        Assert.Equal(
            """{"bytes":59,"entries":2,"first_timestamp_ns":100,"last_timestamp_ns":1000000100,"manifest":{"kind":"test","retention_ns":0,"segment_duration_ns":1000000000},"max_timestamp_ns":1000000100,"min_timestamp_ns":100,"segment_starts":[0,1000000000]}""",
            CanonicalJson.SerializeToString(LogInfo.Describe(log.Root)));
        Assert.Equal([100L, Ns.Second + 100], Timestamps(LogReader.Open(log.Root)));
    }

    [Fact]
    public void Info_of_an_empty_log_has_null_timestamps()
    {
        using var log = new TempLog();
        using (log.Open()) { }
        var info = LogInfo.Describe(log.Root);
        Assert.Null(info["first_timestamp_ns"]);
        Assert.Equal(0L, (long)info["entries"]!);
        Assert.Empty(info["segment_starts"]!.AsArray());
    }
}
