namespace Auki.Logs;

/// <summary>How a <see cref="LogWriter"/> writes. The defaults give upstream-identical files.</summary>
public sealed record LogWriterOptions
{
    /// <summary>The default write buffer: big enough that small entries cost no syscall each.</summary>
    public const int DefaultBufferSize = 1 << 20;

    /// <summary>
    /// Format of segments this writer creates: true = v2 (a CRC32C per entry, see FORMAT.md),
    /// false = v1 (upstream's format), null (default) = whatever the log's latest segment uses,
    /// v1 for a new log. Reopening without saying keeps a log's mode. A segment that is continued
    /// after reopening keeps its own version either way.
    /// </summary>
    public bool? Integrity { get; init; }

    /// <summary>
    /// If &gt; 0, an append flushes and fsyncs when this many nanoseconds (monotonic clock) have
    /// passed since the last fsync. Checked on append only: an idle writer syncs on the next
    /// append, <see cref="LogWriter.Flush"/> or close. 0 (default) = only at rollover, Flush and close.
    /// </summary>
    public long FsyncIntervalNs { get; init; }

    /// <summary>
    /// Bytes collected before one write to the OS. Entries still in the buffer are invisible to
    /// readers and tails (and lost if the process dies); 0 writes every entry through at once,
    /// for the lowest tail latency at the cost of a syscall per append.
    /// </summary>
    public int BufferSize { get; init; } = DefaultBufferSize;
}
