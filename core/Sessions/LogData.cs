using System.Text.Json.Nodes;
using Auki.Json;
using Auki.Logs;
using Auki.Storage;

namespace Auki.Sessions;

/// <summary>
/// The data side of a declared log (beyond upstream, which only declares logs): one lazily opened
/// <see cref="LogWriter"/> in the auki-logs layout beside <c>manifest.json</c>, serialized for
/// callers on many threads, plus readers and tails over the same directory. Closing a log with
/// a fixed head seals it: <c>sealed.json</c> records its extent and no writer may reopen it.
/// </summary>
public sealed class LogData : IDisposable
{
    /// <summary>File that marks a closed fixed-head log as sealed.</summary>
    public const string SealedFileName = "sealed.json";

    private readonly Threading.CallGate _gate = new();
    private readonly string _root;
    private readonly JsonObject _manifest;
    private readonly bool _sealOnClose;
    private LogWriterOptions _options = new();
    private LogWriter? _writer;
    private bool _closed;

    internal LogData(string root, JsonObject manifest, bool sealOnClose)
    {
        _root = root;
        _manifest = manifest;
        _sealOnClose = sealOnClose;
    }

    /// <summary>Runs before the writer first touches the log directory (a registration batch's barrier for the manifest).</summary>
    internal Action? BeforeFirstWrite { get; set; }

    /// <summary>Writer options (integrity mode, fsync interval, buffer); only before the first append.</summary>
    public void Configure(LogWriterOptions options)
    {
        using (_gate.Enter())
        {
            ThrowIfClosed();
            if (_writer is not null) throw AukiException.Invalid("writer options must be set before the first append");
            _options = options;
        }
    }

    /// <summary>Append one entry (timestamps non-decreasing per log).</summary>
    public void Append(long timestampNs, ReadOnlySpan<byte> payload)
    {
        using (_gate.Enter()) Writer().Append(timestampNs, payload);
    }

    /// <summary>Append a batch: payload i is <c>payloads[offsets[i]..offsets[i+1]]</c> (n+1 offsets).</summary>
    public void AppendMany(ReadOnlySpan<long> timestampsNs, ReadOnlySpan<byte> payloads, ReadOnlySpan<long> offsets)
    {
        using (_gate.Enter()) Writer().AppendMany(timestampsNs, payloads, offsets);
    }

    /// <summary>Append a batch of equal-size payloads stored back to back (rows of a 2-D array).</summary>
    public void AppendMany(ReadOnlySpan<long> timestampsNs, ReadOnlySpan<byte> payloads, int payloadSize)
    {
        using (_gate.Enter()) Writer().AppendMany(timestampsNs, payloads, payloadSize);
    }

    /// <summary>The offsets batch over native memory (the C ABI); see <see cref="LogWriter.AppendMany(ReadOnlySpan{long}, byte*, ulong, ReadOnlySpan{ulong})"/>.</summary>
    public unsafe void AppendMany(ReadOnlySpan<long> timestampsNs, byte* payloads, ulong payloadsLength, ReadOnlySpan<ulong> offsets)
    {
        using (_gate.Enter()) Writer().AppendMany(timestampsNs, payloads, payloadsLength, offsets);
    }

    /// <summary>The fixed-size batch over native memory (the C ABI); see <see cref="LogWriter.AppendMany(ReadOnlySpan{long}, byte*, ulong)"/>.</summary>
    public unsafe void AppendMany(ReadOnlySpan<long> timestampsNs, byte* payloads, ulong payloadSize)
    {
        using (_gate.Enter()) Writer().AppendMany(timestampsNs, payloads, payloadSize);
    }

    /// <summary>The gathered batch over native memory (the C ABI): payload i is <c>lengths[i]</c> bytes at <c>payloads[i]</c>; see <see cref="LogWriter.AppendMany(ReadOnlySpan{long}, ReadOnlySpan{nint}, ReadOnlySpan{nuint})"/>.</summary>
    public void AppendMany(ReadOnlySpan<long> timestampsNs, ReadOnlySpan<nint> payloads, ReadOnlySpan<nuint> lengths)
    {
        using (_gate.Enter()) Writer().AppendMany(timestampsNs, payloads, lengths);
    }

    /// <summary>Make everything appended so far durable (flush + fsync). A no-op before the first append.</summary>
    public void Flush()
    {
        using (_gate.Enter())
        {
            ThrowIfClosed();
            _writer?.Flush();
        }
    }

    /// <summary>Change retention for future appends (rewrites log_manifest.json atomically).</summary>
    public void SetRetention(long retentionNs)
    {
        using (_gate.Enter()) Writer().SetRetention(retentionNs);
    }

    /// <summary>Read entries in timestamp order within the inclusive window (null = unbounded).</summary>
    public IEnumerable<LogEntry> Read(long? startNs = null, long? endNs = null) =>
        HasData ? LogReader.Open(_root).Read(startNs, endNs) : [];

    /// <summary>A cursor handing out borrowed payload views (for the C ABI).</summary>
    public LogCursor? OpenCursor(long? startNs = null, long? endNs = null) =>
        HasData ? LogReader.Open(_root).OpenCursor(startNs, endNs) : null;

    /// <summary>Follow new entries from the current end of the log.</summary>
    public LogTail OpenTail(TimeSpan? pollInterval = null)
    {
        using (_gate.Enter())
        {
            if (!HasData) EnsureLogDirectory();
        }
        return LogTail.Open(_root, pollInterval);
    }

    /// <summary>
    /// What readers can see now, from this process's open writer (O(1)); null when no writer is
    /// open here (nothing appended yet, closed, or written by another process).
    /// </summary>
    public LogStats? WrittenStats()
    {
        using (_gate.Enter()) return _writer?.GetWrittenStats();
    }

    /// <summary>True once the log directory holds a log_manifest.json.</summary>
    public bool HasData => File.Exists(Path.Combine(_root, "log_manifest.json"));

    /// <summary>True when this log was sealed (closed with a fixed head).</summary>
    public bool IsSealed => File.Exists(Path.Combine(_root, SealedFileName));

    /// <summary>
    /// Flush, fsync and release the writer lock; a fixed-head log is sealed. Idempotent; later
    /// appends fail with "log has been closed".
    /// </summary>
    public void Close()
    {
        using (_gate.Enter())
        {
            if (_closed) return;
            _closed = true;
            var writer = _writer;
            _writer = null;
            if (writer is null) return;
            var stats = writer.GetStats();
            writer.Close();
            if (_sealOnClose && stats.FirstTimestampNs is long first && stats.LastTimestampNs is long last)
            {
                var extent = new JsonObject { ["start_at_ns"] = first, ["finish_at_ns"] = last };
                IoErrors.Guard(() => AtomicFile.Write(Path.Combine(_root, SealedFileName), CanonicalJson.Serialize(extent)), "io: ");
            }
        }
    }

    /// <inheritdoc/>
    public void Dispose() => Close();

    private LogWriter Writer()
    {
        ThrowIfClosed();
        if (_writer is not null) return _writer;
        if (IsSealed) throw AukiException.Closed($"log is sealed: {_root}");
        BeforeFirstWrite?.Invoke();
        _writer = LogWriter.Open(_root, _manifest, _options);
        return _writer;
    }

    private void EnsureLogDirectory()
    {
        // A tail may start before the first append: create the (empty) log so it has something to follow.
        if (IsSealed) return;
        BeforeFirstWrite?.Invoke();
        using var w = LogWriter.Open(_root, _manifest, _options);
    }

    private void ThrowIfClosed()
    {
        if (_closed) throw AukiException.Closed("log has been closed");
    }
}
