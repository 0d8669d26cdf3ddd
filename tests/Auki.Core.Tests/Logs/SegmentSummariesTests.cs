using System.Buffers.Binary;
using Auki.Logs;
using CsCheck;

namespace Auki.Core.Tests.Logs;

/// <summary>
/// The sealed segments' totals kept as a sidecar's sorted rows plus later changes answer every
/// question as a plain dictionary of the same totals does: lookups, sums over sorted starts,
/// and the sorted listing the sidecar is written from.
/// </summary>
public class SegmentSummariesTests
{
    private static SegmentIndex.Summary SummaryOf(long start) => start % 3 == 0
        ? new SegmentIndex.Summary(16, 0, null, null)
        : new SegmentIndex.Summary(16 + start % 7, 1 + start % 5, start, start + 5);

    /// <summary>Rows as the sidecar stores them, after a few bytes that are not rows.</summary>
    private static byte[] RowsOf(long[] starts, int offset)
    {
        var bytes = new byte[offset + starts.Length * SegmentSummaries.RowSize];
        for (int i = 0; i < starts.Length; i++)
        {
            var row = bytes.AsSpan(offset + i * SegmentSummaries.RowSize);
            var s = SummaryOf(starts[i]);
            BinaryPrimitives.WriteInt64LittleEndian(row, starts[i]);
            BinaryPrimitives.WriteInt64LittleEndian(row[8..], s.FileBytes);
            BinaryPrimitives.WriteInt64LittleEndian(row[16..], s.Entries);
            BinaryPrimitives.WriteInt64LittleEndian(row[24..], s.FirstTimestampNs ?? -1);
            BinaryPrimitives.WriteInt64LittleEndian(row[32..], s.LastTimestampNs ?? -1);
        }
        return bytes;
    }

    [Fact]
    public void Rows_and_changes_agree_with_a_dictionary_of_the_same_totals()
    {
        var genOps = Gen.Select(Gen.Int[0, 3], Gen.Long[0, 60]).Array[0, 40];
        Gen.Select(Gen.Long[0, 60].Array[0, 40], genOps, Gen.Int[0, 9]).Sample((rawStarts, ops, offset) =>
        {
            var rowStarts = rawStarts.Distinct().Order().ToArray();
            var summaries = new SegmentSummaries(RowsOf(rowStarts, offset), offset, rowStarts.Length);
            var model = rowStarts.ToDictionary(s => s, SummaryOf);
            foreach (var (kind, start) in ops)
            {
                switch (kind)
                {
                    case 0:
                        var changed = new SegmentIndex.Summary(99, 2, start, start + 1);
                        summaries.Set(start, changed);
                        model[start] = changed;
                        break;
                    case 1:
                        summaries.Remove(start);
                        model.Remove(start);
                        break;
                    case 2:
                        var copy = summaries.Copy();
                        copy.Remove(start); // a copy's changes stay its own
                        break;
                }
                Assert.Equal(model.ContainsKey(start), summaries.TryGetValue(start, out var got));
                if (model.TryGetValue(start, out var expected)) Assert.Equal(expected, got);
                Assert.Equal(model.Count, summaries.Count);
                Assert.Equal(model.OrderBy(p => p.Key).Select(p => (p.Key, p.Value)), summaries.InOrder());
                // Sums over the known starts (and a prefix of them), and refusal when one is unknown.
                var known = model.Keys.Order().ToArray();
                for (int count = 0; count <= known.Length; count += Math.Max(1, known.Length / 3))
                {
                    var totals = default(SegmentIndex.Totals);
                    foreach (long k in known.Take(count)) totals = totals.Then(model[k]);
                    Assert.True(summaries.TrySumInOrder(known, count, out var sum));
                    Assert.Equal(totals, sum);
                }
                var withUnknown = known.Append(1000).ToArray();
                Assert.False(summaries.TrySumInOrder(withUnknown, withUnknown.Length, out _));
            }
        }, iter: 300);
    }
}
