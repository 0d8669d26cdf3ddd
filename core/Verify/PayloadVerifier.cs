using System.Globalization;
using Auki.Inspect;
using Auki.Logs;

namespace Auki.Verify;

/// <summary>
/// <c>auki verify --payloads</c>: every entry of a typed log decoded as its log's message type
/// (and a raw camera frame measured against its sensor body). Segment damage is the segment
/// scan's to report; here only entries the reader hands out are judged.
/// </summary>
internal static class PayloadVerifier
{
    // A log recorded with the wrong type would otherwise print one line per entry.
    private const int MaxReportedPerLog = 5;

    /// <summary>The problems of one log's entries, as messages; <paramref name="checkedEntries"/> counts the entries decoded.</summary>
    public static List<string> Check(StoreLog log, out long checkedEntries)
    {
        checkedEntries = 0;
        var problems = new List<string>();
        var typed = TypedLog.Of(log);
        if (typed.Type is null || !log.HasLogManifest) return problems;
        long bad = 0;
        try
        {
            using var cursor = LogReader.Open(log.Directory).OpenCursor();
            while (cursor.TryNext(out long ts, out ReadOnlySpan<byte> payload))
            {
                checkedEntries++;
                if (typed.Problem(payload) is not { } problem) continue;
                if (++bad <= MaxReportedPerLog)
                    problems.Add(string.Create(CultureInfo.InvariantCulture, $"entry at {ts} ns: {problem}"));
            }
        }
        catch (AukiException e)
        {
            problems.Add($"payloads checked up to damage the segment scan reports: {e.Message}");
        }
        if (bad > MaxReportedPerLog)
        {
            long more = bad - MaxReportedPerLog;
            problems.Add(string.Create(CultureInfo.InvariantCulture,
                $"{more} more {(more == 1 ? "entry does" : "entries do")} not fit {typed.Type.FullName}"));
        }
        return problems;
    }
}
