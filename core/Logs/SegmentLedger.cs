namespace Auki.Logs;

/// <summary>
/// The writer's in-memory list of its closed segments, oldest first, with per-segment counts.
/// Appends only ever add newer segments and eviction only ever removes the oldest, so a ring
/// buffer gives O(1) for both, and running totals make stats O(1). Segments that were on disk
/// before the writer opened are counted lazily (<see cref="Record.Known"/> false) so opening a
/// big log does not scan it.
/// </summary>
internal sealed class SegmentLedger
{
    internal struct Record
    {
        public long Start;
        public long Entries;
        public long Bytes;
        public long FirstTimestampNs;

        /// <summary>Timestamp of the segment's last entry (kept for the activity index's record, <see cref="LogWriter"/>).</summary>
        public long LastTimestampNs;
        public bool Known;
    }

    private Record[] _items = new Record[16];
    private int _head;

    public int Count { get; private set; }

    /// <summary>Entries in segments whose counts are known.</summary>
    public long KnownEntries { get; private set; }

    /// <summary>File bytes of segments whose counts are known.</summary>
    public long KnownBytes { get; private set; }

    public int UnknownCount { get; private set; }

    public ref Record this[int index] => ref _items[(_head + index) & (_items.Length - 1)];

    public void PushBack(Record record)
    {
        if (Count == _items.Length) Grow();
        this[Count++] = record;
        AddToTotals(record, +1);
    }

    public Record PopFront()
    {
        var record = this[0];
        _head = (_head + 1) & (_items.Length - 1);
        Count--;
        AddToTotals(record, -1);
        return record;
    }

    public Record PopBack()
    {
        var record = this[Count - 1];
        Count--;
        AddToTotals(record, -1);
        return record;
    }

    /// <summary>Fill in the counts of a segment that was on disk before the writer opened.</summary>
    public void Resolve(int index, long entries, long bytes, long firstTimestampNs, long lastTimestampNs)
    {
        ref Record record = ref this[index];
        if (record.Known) return;
        record.Entries = entries;
        record.Bytes = bytes;
        record.FirstTimestampNs = firstTimestampNs;
        record.LastTimestampNs = lastTimestampNs;
        record.Known = true;
        UnknownCount--;
        KnownEntries += entries;
        KnownBytes += bytes;
    }

    private void AddToTotals(in Record record, int sign)
    {
        if (record.Known)
        {
            KnownEntries += sign * record.Entries;
            KnownBytes += sign * record.Bytes;
        }
        else
        {
            UnknownCount += sign;
        }
    }

    private void Grow()
    {
        var bigger = new Record[_items.Length * 2];
        for (int i = 0; i < Count; i++) bigger[i] = this[i];
        _items = bigger;
        _head = 0;
    }
}
