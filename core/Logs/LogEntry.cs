using System.Globalization;

namespace Auki.Logs;

/// <summary>One log entry with its own copy of the payload (the allocation-free path is <see cref="LogCursor"/>).</summary>
/// <param name="TimestampNs">The entry's timestamp in nanoseconds (≥ 0 for entries this engine writes).</param>
/// <param name="Payload">The payload bytes, owned by this entry.</param>
public readonly record struct LogEntry(long TimestampNs, byte[] Payload)
{
    /// <summary>Upstream's repr shape: <c>Entry(timestamp_ns=100, payload=&lt;7 bytes&gt;)</c>.</summary>
    public override string ToString() =>
        $"LogEntry(TimestampNs={TimestampNs.ToString(CultureInfo.InvariantCulture)}, Payload=<{Payload.Length.ToString(CultureInfo.InvariantCulture)} bytes>)";
}
