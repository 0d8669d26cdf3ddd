using Auki.Logs;

namespace Auki.Native.Interop;

/// <summary>
/// What an <c>auki_log_writer</c> handle holds: a standalone <see cref="LogWriter"/> (not
/// thread-safe) and the lock that serializes calls on the handle.
/// </summary>
internal sealed class LogWriterBox(LogWriter writer)
{
    public readonly Lock Gate = new();
    public readonly LogWriter Writer = writer;

    /// <summary>Close the writer for <c>auki_log_writer_free</c>, which cannot report errors.</summary>
    public void Release()
    {
        lock (Gate)
        {
            try
            {
                Writer.Close();
            }
            catch (AukiException)
            {
                // free returns nothing; auki_log_writer_close is the call that reports close failures.
            }
        }
    }
}

/// <summary>
/// What an <c>auki_log_reader</c> handle holds: a cursor (null for a log with no data yet, which
/// reads as empty) and the lock that serializes calls on the handle, which also keeps a borrowed
/// payload view valid until the caller's next call.
/// </summary>
internal sealed class LogReaderBox(LogCursor? cursor)
{
    public readonly Lock Gate = new();
    public readonly LogCursor? Cursor = cursor;

    public void Release()
    {
        lock (Gate) Cursor?.Dispose();
    }
}

/// <summary>
/// What an <c>auki_log_tail</c> handle holds: the tail, its lock, and a cancellation source so
/// that freeing the handle ends a wait in progress on another thread within one poll interval.
/// </summary>
internal sealed class LogTailBox(LogTail tail)
{
    public readonly Lock Gate = new();
    public readonly LogTail Tail = tail;
    public readonly CancellationTokenSource Freed = new();

    public void Release()
    {
        Freed.Cancel();
        lock (Gate) Tail.Dispose();
    }
}
