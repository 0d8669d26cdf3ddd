using Auki.Datatypes;

namespace Auki.Activity;

/// <summary>
/// One topic of an activity session read as decoded column batches (what <c>get_data</c> and
/// <c>get_data_as_df</c> build dicts and DataFrames from): the merged entries of
/// <see cref="ActivityDataCursor"/>, each payload decoded into a <see cref="PayloadTable"/> row.
/// Timestamps are the session's (file timestamps plus their Unix-epoch offset). Not thread-safe.
/// </summary>
public sealed class ActivityTableReader : IDisposable
{
    private readonly ActivityDataCursor _cursor;

    internal ActivityTableReader(ActivityDataCursor cursor, PayloadSchema schema)
    {
        _cursor = cursor;
        Table = new PayloadTable(schema);
    }

    /// <summary>The current batch.</summary>
    public PayloadTable Table { get; }

    /// <summary>
    /// Decode the next batch into <see cref="Table"/>: up to <paramref name="maxRows"/> rows, ending
    /// early once its variable-width columns hold <paramref name="maxBytes"/> (a batch always holds
    /// at least one row when data remains). Returns the row count, 0 at the end. A payload that
    /// does not decode ends the batch before it and is InvalidArgument on the
    /// next call (it stays unread).
    /// </summary>
    public int Next(int maxRows, long maxBytes)
    {
        if (maxRows <= 0) throw AukiException.Invalid($"max_rows must be > 0, got {maxRows}");
        Table.Clear();
        while (Table.Rows < maxRows && (Table.Rows == 0 || Table.VariableBytes < maxBytes) && _cursor.TryPeek(out long ts, out ReadOnlySpan<byte> payload))
        {
            try { Table.Add(ts, payload); }
            catch (AukiException) when (Table.Rows > 0) { break; } // deliver the rows before it; the next call reports it
            _cursor.Consume();
        }
        return Table.Rows;
    }

    /// <summary>Close the files.</summary>
    public void Dispose() => _cursor.Dispose();
}
