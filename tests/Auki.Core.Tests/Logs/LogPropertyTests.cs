using Auki.Logs;
using CsCheck;

namespace Auki.Core.Tests.Logs;

/// <summary>
/// Random sequences of appends (in and out of order), reopens in every integrity mode, retention
/// changes and flushes, checked against a plain in-memory model of upstream's rules plus ours.
/// </summary>
public class LogPropertyTests
{
    private const long SegmentNs = 100;

    private abstract record Op;
    private sealed record AppendOp(long Delta, byte[] Payload) : Op;
    private sealed record EarlierOp(long Back) : Op;
    private sealed record ReopenOp(int Mode) : Op;
    private sealed record RetentionOp(long RetentionNs) : Op;
    private sealed record FlushOp : Op;

    private static readonly Gen<Op> GenOp = Gen.Frequency(
        (12, Gen.Select(Gen.Long[0, 260], Gen.Byte.Array[0, 24], (d, p) => (Op)new AppendOp(d, p))),
        (1, Gen.Long[1, 50].Select(k => (Op)new EarlierOp(k))),
        (2, Gen.Int[0, 2].Select(m => (Op)new ReopenOp(m))),
        (1, Gen.OneOfConst(0L, 100L, 250L, 400L).Select(r => (Op)new RetentionOp(r))),
        (1, Gen.Const((Op)new FlushOp())));

    /// <summary>Upstream's segment and eviction rules plus our ordering rule, on lists.</summary>
    private sealed class Model(long retentionNs)
    {
        public readonly SortedDictionary<long, List<(long Ts, byte[] Payload)>> Segments = new();
        public long RetentionNs = retentionNs;
        public long Last = -1;

        public bool Append(long ts, byte[] payload)
        {
            if (ts < Last) return false;
            long start = ts / SegmentNs * SegmentNs;
            if (!Segments.TryGetValue(start, out var list)) Segments[start] = list = [];
            list.Add((ts, payload));
            Last = ts;
            if (RetentionNs > 0)
            {
                foreach (long s in Segments.Keys.Where(s => s != start && s + SegmentNs <= ts - RetentionNs).ToList())
                    Segments.Remove(s);
            }
            return true;
        }
    }

    [Fact]
    public void Writer_and_reader_agree_with_the_model()
    {
        Gen.Select(Gen.OneOfConst(0L, 150L, 300L), GenOp.Array[1, 60]).Sample((retention, ops) =>
        {
            using var log = new TempLog();
            var model = new Model(retention);
            var writer = log.Open(segmentNs: SegmentNs, retentionNs: retention);
            try
            {
                foreach (var op in ops)
                {
                    switch (op)
                    {
                        case AppendOp a:
                            long ts = Math.Max(model.Last, 0) + a.Delta;
                            Assert.True(model.Append(ts, a.Payload));
                            writer.Append(ts, a.Payload);
                            break;
                        case EarlierOp e when model.Last - e.Back >= 0:
                            Assert.False(model.Append(model.Last - e.Back, []));
                            Assert.Throws<AukiException>(() => writer.Append(model.Last - e.Back, [1]));
                            break;
                        case ReopenOp r:
                            writer.Dispose();
                            writer = log.Open(options: new LogWriterOptions { Integrity = r.Mode switch { 0 => null, 1 => false, _ => true } });
                            break;
                        case RetentionOp r:
                            writer.SetRetention(r.RetentionNs);
                            model.RetentionNs = r.RetentionNs;
                            break;
                        case FlushOp:
                            writer.Flush();
                            break;
                    }
                }
                var stats = writer.GetStats();
                Assert.Equal(model.Segments.Values.Sum(l => l.Count), stats.Entries);
                Assert.Equal(model.Segments.Keys, writer.SegmentStarts);
            }
            finally
            {
                writer.Dispose();
            }

            var reader = LogReader.Open(log.Root);
            Assert.Equal(model.Segments.Keys, reader.SegmentStarts);
            var expected = model.Segments.Values.SelectMany(l => l).ToList();
            var actual = reader.Entries().ToList();
            Assert.Equal(expected.Select(e => e.Ts), actual.Select(e => e.TimestampNs));
            for (int i = 0; i < expected.Count; i++) Assert.Equal(expected[i].Payload, actual[i].Payload);
            Assert.Equal(expected.Count, LogStats.Compute(log.Root).Entries);
            Assert.Equal(model.RetentionNs, reader.RetentionNs);
        }, iter: 150);
    }
}
