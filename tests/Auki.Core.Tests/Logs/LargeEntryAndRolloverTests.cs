using Auki.Logs;
using CsCheck;

namespace Auki.Core.Tests.Logs;

/// <summary>
/// Entries big enough to take the copy-free paths (a single append past the copy limit, gathered
/// batch writes of ≥ 32 KiB entries) mixed with small ones, across rollovers whose fsync runs off
/// the append thread: readers get back exactly what was appended, in order, after flush, reopen
/// and close.
/// </summary>
public class LargeEntryAndRolloverTests
{
    private const long SegmentNs = 100;

    private abstract record Op;
    private sealed record SingleOp(long Delta, int Size) : Op;
    private sealed record BatchOp(long[] Deltas, int[] Sizes, bool Fixed) : Op;
    private sealed record FlushOp : Op;
    private sealed record ReopenOp : Op;

    private static readonly Gen<int> GenSize = Gen.Frequency(
        (4, Gen.Int[0, 64]),
        (2, Gen.Int[1000, 3000]),
        (4, Gen.Int[32 * 1024, 70 * 1024]),
        (1, Gen.Int[256 * 1024, 300 * 1024]));

    private static readonly Gen<Op> GenOp = Gen.Frequency(
        (6, Gen.Select(Gen.Long[0, 120], GenSize, (d, s) => (Op)new SingleOp(d, s))),
        (4, Gen.Select(Gen.Long[0, 80].Array[1, 8], Gen.Bool, (d, f) => (d, f)).SelectMany(t =>
            (t.f ? GenSize.Select(s => Enumerable.Repeat(s, t.d.Length).ToArray()) : GenSize.Array[t.d.Length])
                .Select(sizes => (Op)new BatchOp(t.d, sizes, t.f)))),
        (1, Gen.Const((Op)new FlushOp())),
        (1, Gen.Const((Op)new ReopenOp())));

    private static byte[] Payload(long ts, int size)
    {
        var bytes = new byte[size];
        for (int i = 0; i < size; i++) bytes[i] = (byte)(ts * 7 + i * 13);
        return bytes;
    }

    [Fact]
    public void Large_entries_single_and_batched_read_back_exactly_across_rollovers()
    {
        Gen.Bool.Select(GenOp.Array[1, 16], (integrity, ops) => (integrity, ops)).Sample(t =>
        {
            using var log = TempLog.InMemory();
            var options = new LogWriterOptions { Integrity = t.integrity };
            var expected = new List<(long Ts, byte[] Payload)>();
            long last = 0;
            var writer = log.Open(segmentNs: SegmentNs, options: options);
            try
            {
                foreach (var op in t.ops)
                {
                    switch (op)
                    {
                        case SingleOp s:
                            last += s.Delta;
                            expected.Add((last, Payload(last, s.Size)));
                            writer.Append(last, expected[^1].Payload);
                            break;
                        case BatchOp b:
                            var timestamps = new long[b.Deltas.Length];
                            var payloads = new List<byte[]>();
                            for (int i = 0; i < timestamps.Length; i++)
                            {
                                last += b.Deltas[i];
                                timestamps[i] = last;
                                payloads.Add(Payload(last, b.Sizes[i]));
                                expected.Add((last, payloads[^1]));
                            }
                            byte[] data = payloads.SelectMany(p => p).ToArray();
                            if (b.Fixed)
                            {
                                writer.AppendMany(timestamps, data, b.Sizes[0]);
                            }
                            else
                            {
                                var offsets = new long[timestamps.Length + 1];
                                for (int i = 0; i < payloads.Count; i++) offsets[i + 1] = offsets[i] + payloads[i].Length;
                                writer.AppendMany(timestamps, data, offsets);
                            }
                            break;
                        case FlushOp:
                            writer.Flush();
                            Assert.Equal(expected.Count, log.ReadAll().Count); // durable and visible: nothing still waits
                            break;
                        case ReopenOp:
                            writer.Dispose();
                            writer = log.Open(segmentNs: SegmentNs, options: options);
                            break;
                    }
                }
                Assert.Equal(expected.Count, writer.GetStats().Entries);
            }
            finally
            {
                writer.Dispose();
            }
            var actual = log.ReadAll();
            Assert.Equal(expected.Select(e => e.Ts), actual.Select(e => e.TimestampNs));
            for (int i = 0; i < expected.Count; i++) Assert.True(expected[i].Payload.AsSpan().SequenceEqual(actual[i].Payload), $"entry {i} differs");
            Assert.Equal(expected.Count, LogStats.Compute(log.Root).Entries);
        }, iter: 40);
    }

    [Fact]
    public void Flush_right_after_a_rollover_makes_both_segments_readable()
    {
        using var log = new TempLog();
        using var writer = log.Open(segmentNs: SegmentNs);
        writer.Append(10, Bytes.Of("old"));
        writer.Append(SegmentNs + 1, Bytes.Of("new")); // rollover: the old segment's fsync starts in the background
        writer.Flush();
        Assert.Equal(new long[] { 0, SegmentNs }, LogReader.Open(log.Root).SegmentStarts);
        Assert.Equal(new long[] { 10, SegmentNs + 1 }, log.ReadAll().Select(e => e.TimestampNs));
    }

    [Fact]
    public void Entries_after_many_quick_rollovers_are_all_there_after_close()
    {
        using var log = TempLog.InMemory();
        var big = new byte[200_000];
        using (var writer = log.Open(segmentNs: SegmentNs))
        {
            for (long ts = 0; ts < 50 * SegmentNs; ts += SegmentNs / 2) writer.Append(ts, big);
        }
        var entries = log.ReadAll();
        Assert.Equal(100, entries.Count);
        Assert.Equal(50, LogReader.Open(log.Root).SegmentStarts.Count);
        Assert.All(entries, e => Assert.Equal(big.Length, e.Payload.Length));
    }
}
