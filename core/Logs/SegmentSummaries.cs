using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Auki.Logs;

/// <summary>
/// <see cref="SegmentIndex"/>'s totals of sealed segments by start: the rows a sidecar holds, read
/// where they lie (40 bytes a segment, sorted by start), plus what was scanned or forgotten since.
/// A new process that starts from a sidecar of 36,000 segments gets its sealed totals by one walk
/// over those rows beside its sorted starts: no dictionary of 36,000 entries is built, and nothing
/// of that size is allocated, which is what made its first <c>log_info</c> grow the managed heap
/// and start a garbage collection (docs/benchmarks.md, "First call into libauki").
/// </summary>
/// <remarks>Not thread-safe: <see cref="SegmentIndex"/> holds its lock around every use.</remarks>
internal sealed class SegmentSummaries
{
    /// <summary>One row: start, file bytes, entries, first, last (i64 each; first/last -1 without entries).</summary>
    public const int RowSize = 5 * 8;

    /// <summary>Rows shared with copies: never written once set.</summary>
    private byte[] _rows;
    private int _rowsOffset;
    private int _rowCount;

    /// <summary>
    /// The rows are still in the sidecar (see <see cref="Deferred"/>): only removals are taken, and
    /// kept in <see cref="_deferredRemovals"/> until <see cref="Adopt"/>.
    /// </summary>
    public bool IsDeferred { get; private set; }

    private List<long>? _deferredRemovals;

    /// <summary>One bit per row that no longer counts (removed, or replaced by an entry of <see cref="_added"/>); null while none.</summary>
    private ulong[]? _dropped;
    private int _droppedCount;

    /// <summary>Totals learned since the rows were read; a start is in here or in a live row, never both.</summary>
    private readonly Dictionary<long, SegmentIndex.Summary> _added;

    public SegmentSummaries() : this([], 0, 0) { }

    /// <summary>
    /// Over <paramref name="rowCount"/> rows of <paramref name="rows"/> from <paramref name="offset"/>,
    /// which the caller checked: starts strictly ascending, file bytes and entries not negative.
    /// </summary>
    public SegmentSummaries(byte[] rows, int offset, int rowCount)
    {
        _rows = rows;
        _rowsOffset = offset;
        _rowCount = rowCount;
        _added = new Dictionary<long, SegmentIndex.Summary>();
    }

    private SegmentSummaries(SegmentSummaries other)
    {
        _rows = other._rows;
        _rowsOffset = other._rowsOffset;
        _rowCount = other._rowCount;
        _dropped = (ulong[]?)other._dropped?.Clone();
        _droppedCount = other._droppedCount;
        _added = new Dictionary<long, SegmentIndex.Summary>(other._added);
    }

    /// <summary>
    /// Totals that stay in the sidecar until they are needed: a new process whose first question was
    /// answered by sums taken while the sidecar was read (<see cref="SegmentIndexFile.TryLoadSummed"/>)
    /// does not keep, or fault in, 1.4 MB of rows it may never use. <see cref="Adopt"/> brings them in.
    /// </summary>
    public static SegmentSummaries Deferred() => new() { IsDeferred = true };

    /// <summary>
    /// Take the rows of <paramref name="loaded"/> (a sidecar read now; null for none), less what was
    /// removed meanwhile. The caller checks them against the files: the sidecar may be newer than the one
    /// whose sums were used.
    /// </summary>
    public void Adopt(SegmentSummaries? loaded)
    {
        if (!IsDeferred) throw new InvalidOperationException("segment totals are not deferred");
        IsDeferred = false;
        if (loaded is not null)
        {
            if (loaded.IsDeferred || loaded._dropped is not null || loaded._added.Count > 0) throw new ArgumentException("not a sidecar's rows", nameof(loaded));
            _rows = loaded._rows;
            _rowsOffset = loaded._rowsOffset;
            _rowCount = loaded._rowCount;
        }
        foreach (long start in _deferredRemovals ?? []) Drop(LiveRowOf(start));
        foreach (long start in _added.Keys) Drop(LiveRowOf(start));
        _deferredRemovals = null;
    }

    /// <summary>An independent copy (the rows are shared: they never change).</summary>
    public SegmentSummaries Copy() => new(RequireRows());

    public int Count => RequireRows()._rowCount - _droppedCount + _added.Count;

    private SegmentSummaries RequireRows() =>
        IsDeferred ? throw new InvalidOperationException("segment totals are still in the sidecar") : this;

    public bool TryGetValue(long start, out SegmentIndex.Summary summary)
    {
        RequireRows();
        if (_added.TryGetValue(start, out summary)) return true;
        int row = LiveRowOf(start);
        if (row < 0) return false;
        summary = SummaryAt(row);
        return true;
    }

    public void Set(long start, SegmentIndex.Summary summary)
    {
        RequireRows();
        Drop(LiveRowOf(start));
        _added[start] = summary;
    }

    public void Remove(long start)
    {
        if (IsDeferred) (_deferredRemovals ??= []).Add(start);
        else if (!_added.Remove(start)) Drop(LiveRowOf(start));
    }

    /// <summary>
    /// The totals of <paramref name="starts"/>[0..<paramref name="count"/>) (ascending), in order,
    /// when every one of them is known; false (and nothing to use) as soon as one is not.
    /// </summary>
    public bool TrySumInOrder(long[] starts, int count, out SegmentIndex.Totals totals)
    {
        totals = default;
        RequireRows();
        var fields = Fields;
        int row = 0;
        for (int i = 0; i < count; i++)
        {
            long start = starts[i];
            while (row < _rowCount && Field(fields, row, 0) < start) row++;
            SegmentIndex.Summary summary;
            if (row < _rowCount && Field(fields, row, 0) == start && !IsDropped(row)) summary = SummaryAt(fields, row);
            else if (!_added.TryGetValue(start, out summary)) return false;
            totals = totals.Then(summary);
        }
        return true;
    }

    /// <summary>Every known total, ascending by start (as the sidecar stores them).</summary>
    public IEnumerable<(long Start, SegmentIndex.Summary Summary)> InOrder()
    {
        RequireRows();
        var added = _added.Keys.ToArray();
        Array.Sort(added);
        int next = 0;
        for (int row = 0; row < _rowCount; row++)
        {
            if (IsDropped(row)) continue;
            long start = StartAt(row);
            for (; next < added.Length && added[next] < start; next++) yield return (added[next], _added[added[next]]);
            yield return (start, SummaryAt(row));
        }
        for (; next < added.Length; next++) yield return (added[next], _added[added[next]]);
    }

    /// <summary>The rows as 5 longs each, stored little-endian (read through <see cref="Field"/>).</summary>
    private ReadOnlySpan<long> Fields => MemoryMarshal.Cast<byte, long>(_rows.AsSpan(_rowsOffset, _rowCount * RowSize));

    private static long Field(ReadOnlySpan<long> fields, int row, int field)
    {
        long stored = fields[row * 5 + field];
        return BitConverter.IsLittleEndian ? stored : BinaryPrimitives.ReverseEndianness(stored);
    }

    private long StartAt(int row) => Field(Fields, row, 0);

    private SegmentIndex.Summary SummaryAt(int row) => SummaryAt(Fields, row);

    private static SegmentIndex.Summary SummaryAt(ReadOnlySpan<long> fields, int row)
    {
        long fileBytes = Field(fields, row, 1);
        long entries = Field(fields, row, 2);
        return entries == 0
            ? new SegmentIndex.Summary(fileBytes, 0, null, null)
            : new SegmentIndex.Summary(fileBytes, entries, Field(fields, row, 3), Field(fields, row, 4));
    }

    /// <summary>The row of <paramref name="start"/> if it still counts, else -1 (binary search: rows are sorted).</summary>
    private int LiveRowOf(long start)
    {
        int lo = 0, hi = _rowCount - 1;
        while (lo <= hi)
        {
            int mid = lo + ((hi - lo) >> 1);
            long at = StartAt(mid);
            if (at == start) return IsDropped(mid) ? -1 : mid;
            if (at < start) lo = mid + 1;
            else hi = mid - 1;
        }
        return -1;
    }

    private bool IsDropped(int row) => _dropped is { } bits && (bits[row >> 6] & (1UL << row)) != 0;

    private void Drop(int row)
    {
        if (row < 0) return;
        _dropped ??= new ulong[(_rowCount + 63) >> 6];
        _dropped[row >> 6] |= 1UL << row;
        _droppedCount++;
    }
}
