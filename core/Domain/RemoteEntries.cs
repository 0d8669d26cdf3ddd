using System.Globalization;
using Auki.Logs;

namespace Auki.Domains;

/// <summary>
/// What a reader accepts from a stream server: exactly what <see cref="LogWriter.Append"/> accepts
/// locally — a timestamp ≥ 0 that does not go back before the previous entry (equal is fine) and a
/// payload below 2 GiB — with the local append's messages (<c>format: …</c>, <c>payload: …</c>), so a
/// remote entry that could not have been appended locally is never handed to a consumer or written
/// to a copy. The timestamp rule is <see cref="TimestampRule"/>, the one the writer applies.
/// </summary>
internal static class RemoteEntries
{
    /// <summary>Null when the entry is acceptable after <paramref name="lastTs"/> (null: none yet), else why not.</summary>
    public static string? Check(long timestampNs, long? lastTs, long payloadLength)
    {
        long last = lastTs ?? 0;
        if (!TimestampRule.Allows(timestampNs, last)) return TimestampRule.Error(timestampNs, last).Message;
        if (payloadLength >= int.MaxValue) return LogErrors.Payload("entry is 2 GiB or larger (each payload must be smaller)").Message;
        if (payloadLength > DomainLimits.MaxEntryBytes)
            return LogErrors.Payload(string.Create(CultureInfo.InvariantCulture,
                $"entry has {payloadLength} bytes; streams carry at most {DomainLimits.MaxEntryBytes}")).Message;
        return null;
    }
}
