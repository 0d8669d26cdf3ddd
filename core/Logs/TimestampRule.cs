using System.Globalization;

namespace Auki.Logs;

/// <summary>
/// The ordering rule of every log, wherever an entry comes from (a local append, a batch, a remote
/// stream server): a timestamp is ≥ 0 and not earlier than the log's last entry (equal is fine).
/// One place for the rule and its messages, so a remote entry is refused exactly as a local one.
/// </summary>
public static class TimestampRule
{
    /// <summary>True when <paramref name="timestampNs"/> may follow <paramref name="lastNs"/> (the previous entry, or any value ≤ 0 when none).</summary>
    public static bool Allows(long timestampNs, long lastNs) => timestampNs >= 0 && timestampNs >= lastNs;

    /// <summary>The error for a timestamp <see cref="Allows"/> refuses (<c>format: …</c>, InvalidArgument).</summary>
    public static AukiException Error(long timestampNs, long lastNs) =>
        timestampNs < 0
            ? LogErrors.Format("timestamp_ns must be ≥ 0")
            : LogErrors.Format($"timestamp_ns {timestampNs.ToString(CultureInfo.InvariantCulture)} is earlier than the last entry ({lastNs.ToString(CultureInfo.InvariantCulture)})");
}
