using Auki.Activity;
using Auki.Inspect;

namespace Auki.Timeline;

/// <summary>One row of the timeline: a log, the intervals where it holds data, and a hover text.</summary>
/// <param name="Group">The peer the row is grouped under.</param>
/// <param name="Label">The log's resource id.</param>
/// <param name="Detail">Secondary label (the boot session when a peer has several), or empty.</param>
/// <param name="Kind">sensor, pose, time_transform, detection, or empty.</param>
/// <param name="FileId">The log's path relative to the root (activity-session file id).</param>
/// <param name="Spans">Each segment that holds entries: first and last timestamp and entry count, ascending.</param>
/// <param name="Tooltip">Text shown on hover.</param>
public sealed record TimelineRow(string Group, string Label, string Detail, string Kind, string FileId,
    IReadOnlyList<TimelineSpan> Spans, string Tooltip);

/// <summary>Where one segment holds data.</summary>
/// <param name="Start">First entry's timestamp.</param>
/// <param name="End">Last entry's timestamp.</param>
/// <param name="Entries">Entries in between (inclusive).</param>
public readonly record struct TimelineSpan(long Start, long End, long Entries)
{
    /// <summary>Average time between entries; 0 with fewer than two.</summary>
    public long MeanIntervalNs => Entries > 1 ? (End - Start) / (Entries - 1) : 0;
}

/// <summary>An activity session: its label and the windows it holds, each over one row.</summary>
/// <param name="Label">Name, or id when unnamed.</param>
/// <param name="SessionId">The ss_ id.</param>
/// <param name="Windows">(file id, first, last) per contribution that supplies a time range.</param>
public sealed record TimelineSession(string Label, string SessionId, IReadOnlyList<(string FileId, long Start, long End)> Windows);

/// <summary>Everything a timeline picture shows.</summary>
/// <param name="Title">Heading (the storage root).</param>
/// <param name="Rows">Logs grouped by peer, in display order.</param>
/// <param name="Sessions">Activity sessions, oldest first.</param>
public sealed record TimelineModel(string Title, IReadOnlyList<TimelineRow> Rows, IReadOnlyList<TimelineSession> Sessions)
{
    /// <summary>
    /// The timeline of a storage root: a row per log (segment first/last timestamps, so gaps
    /// between segments show), and every activity session's windows.
    /// </summary>
    public static TimelineModel Build(string root, string? title = null)
    {
        var logs = StoreWalker.Logs(root);
        var bootsPerPeer = logs.GroupBy(l => l.PeerId).ToDictionary(g => g.Key, g => g.Select(l => l.BootSessionId).Distinct().Count());
        var rows = new List<TimelineRow>();
        foreach (var log in logs)
        {
            var spans = log.Segments
                .Where(s => s.Entries > 0 && s.FirstTimestampNs is not null && s.LastTimestampNs is not null)
                .Select(s => new TimelineSpan(s.FirstTimestampNs!.Value, s.LastTimestampNs!.Value, s.Entries))
                .ToList();
            string detail = bootsPerPeer[log.PeerId] > 1 && log.BootSessionId is { } boot ? "boot " + Shorten(boot) : "";
            string range = log.FirstTimestampNs is long f && log.LastTimestampNs is long l ? $"{f} .. {l} ns" : "no entries";
            string tooltip = $"{log.FileId}\n{log.Kind ?? "log"}, {log.State}: {log.Entries} entries, {log.Bytes} bytes in {log.Segments.Count} segments\n{range}";
            rows.Add(new TimelineRow(log.PeerId, log.ResourceId, detail, log.Kind ?? "", log.FileId, spans, tooltip));
        }

        var store = new ActivityStore(root);
        var sessions = new List<TimelineSession>();
        foreach (var session in store.All())
        {
            var windows = new List<(string, long, long)>();
            foreach (var c in session.Files)
            {
                var range = store.ContributionRange(c.File);
                if (range is { } r) windows.Add((c.File.FileId, r.Min, r.Max));
            }
            sessions.Add(new TimelineSession(session.Name ?? session.SessionId, session.SessionId, windows));
        }
        return new TimelineModel(title ?? root, rows, sessions);
    }

    /// <summary>The last 6 characters of a ULID (its random part tells sessions apart).</summary>
    private static string Shorten(string id) => id.Length > 8 ? "…" + id[^6..] : id;
}
