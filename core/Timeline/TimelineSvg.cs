using System.Globalization;
using System.Text;

namespace Auki.Timeline;

/// <summary>
/// Draws a <see cref="TimelineModel"/> as a standalone SVG: a label column with peers and their
/// logs, one bar per segment where a log holds data (segments closer than a pixel merge, real gaps
/// stay visible), activity-session windows shaded over the rows they hold with a labelled lane per
/// session above, a time axis with labelled ticks (UTC clock time when timestamps are Unix-epoch
/// nanoseconds, seconds otherwise), grid lines, a legend, and hover titles on every bar.
/// </summary>
public static class TimelineSvg
{
    private const int Width = 1280;
    private const int LabelWidth = 300;
    private const int RightMargin = 40;
    private const int RowHeight = 22;
    private const int GroupHeight = 26;
    private const int LaneHeight = 20;
    private const int BarHeight = 12;
    private const int AxisHeight = 48;
    private const int TargetTicks = 8;

    private static readonly Dictionary<string, string> KindColors = new()
    {
        ["sensor"] = "#4c78a8",
        ["pose"] = "#f58518",
        ["time_transform"] = "#54a24b",
        ["detection"] = "#b279a2",
        [""] = "#8c8c8c",
    };

    private static readonly string[] SessionColors = ["#e45756", "#72b7b2", "#eeca3b", "#9d755d", "#ff9da6", "#79706e", "#bab0ac", "#d67195"];

    /// <summary>The SVG document as text.</summary>
    public static string Render(TimelineModel model)
    {
        var (t0, t1) = Extent(model);
        bool wall = IsUnixEpochNs(t0) && IsUnixEpochNs(t1);
        int plotLeft = LabelWidth, plotRight = Width - RightMargin;
        double scale = (plotRight - plotLeft) / (double)Math.Max(1, t1 - t0);
        double X(long t) => plotLeft + (t - t0) * scale;

        int groups = model.Rows.Select(r => r.Group).Distinct().Count();
        int lanesTop = 64;
        int rowsTop = lanesTop + model.Sessions.Count * LaneHeight + (model.Sessions.Count > 0 ? 10 : 0);
        int rowsBottom = rowsTop + groups * GroupHeight + model.Rows.Count * RowHeight;
        int axisTop = rowsBottom + 6;
        int legendTop = axisTop + AxisHeight;
        int height = legendTop + 48;

        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture,
            $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{height}\" viewBox=\"0 0 {Width} {height}\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\" font-size=\"12\">\n");
        svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"0\" y=\"0\" width=\"{Width}\" height=\"{height}\" fill=\"#ffffff\"/>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"16\" y=\"28\" font-size=\"18\" font-weight=\"bold\" fill=\"#222\">{Esc(model.Title)}</text>\n");
        int logsWithData = model.Rows.Count(r => r.Spans.Count > 0);
        var (d0, d1) = DataRange(model);
        string subtitle = model.Rows.Count == 0
            ? "no recorded logs"
            : $"{Plural(model.Rows.Count, "log")} ({logsWithData} with data) from {Plural(groups, "peer")}, {Plural(model.Sessions.Count, "activity session")}"
              + (d0 <= d1 ? $"; {Describe(d0, wall)} to {Describe(d1, wall)} ({Duration(d1 - d0)})" : "");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"16\" y=\"48\" fill=\"#555\">{Esc(subtitle)}</text>\n");

        // Grid and ticks first, so bars draw over them.
        var ticks = Ticks(t0, t1, wall);
        svg.Append("<g class=\"grid\" stroke=\"#e3e3e3\" stroke-width=\"1\">\n");
        foreach (long t in ticks)
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{F(X(t))}\" y1=\"{lanesTop}\" x2=\"{F(X(t))}\" y2=\"{axisTop}\"/>\n");
        svg.Append("</g>\n");

        // Rows: alternate backgrounds, group headers, labels, bars.
        var rowY = new Dictionary<string, int>(StringComparer.Ordinal);
        int y = rowsTop;
        string? group = null;
        int index = 0;
        svg.Append("<g class=\"rows\">\n");
        foreach (var row in model.Rows)
        {
            if (row.Group != group)
            {
                group = row.Group;
                svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"0\" y=\"{y}\" width=\"{Width}\" height=\"{GroupHeight}\" fill=\"#eef1f5\"/>\n");
                svg.Append(CultureInfo.InvariantCulture, $"<text x=\"12\" y=\"{y + 17}\" font-weight=\"bold\" fill=\"#222\">{Esc(row.Group)}</text>\n");
                y += GroupHeight;
            }
            rowY[row.FileId] = y;
            if (index++ % 2 == 1)
                svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"0\" y=\"{y}\" width=\"{Width}\" height=\"{RowHeight}\" fill=\"#f8f9fb\"/>\n");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"28\" y=\"{y + 15}\" fill=\"#222\">{Esc(Fit(row.Label, row.Detail.Length > 0 ? 30 : 42))}<title>{Esc(row.FileId)}</title></text>\n");
            if (row.Detail.Length > 0)
                svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{LabelWidth - 10}\" y=\"{y + 15}\" text-anchor=\"end\" fill=\"#888\" font-size=\"10\">{Esc(row.Detail)}</text>\n");
            if (row.Spans.Count == 0)
                svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{plotLeft + 4}\" y=\"{y + 15}\" fill=\"#aaa\" font-style=\"italic\">no entries</text>\n");
            y += RowHeight;
        }
        svg.Append("</g>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{plotLeft}\" y1=\"{lanesTop}\" x2=\"{plotLeft}\" y2=\"{axisTop}\" stroke=\"#bbb\"/>\n");

        // Activity sessions: a lane each with the session's span and name, its windows shaded over rows.
        for (int s = 0; s < model.Sessions.Count; s++)
        {
            var session = model.Sessions[s];
            string color = SessionColors[s % SessionColors.Length];
            int laneY = lanesTop + s * LaneHeight;
            svg.Append(CultureInfo.InvariantCulture, $"<g class=\"session\" data-session=\"{Esc(session.SessionId)}\">\n");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{LabelWidth - 10}\" y=\"{laneY + 14}\" text-anchor=\"end\" fill=\"{color}\" font-weight=\"bold\">{Esc(Fit(session.Label, 40))}<title>{Esc(session.SessionId)}</title></text>\n");
            if (session.Windows.Count > 0)
            {
                long lo = session.Windows.Min(w => w.Start), hi = session.Windows.Max(w => w.End);
                double x0 = X(lo), x1 = Math.Max(X(hi), x0 + 2);
                svg.Append(CultureInfo.InvariantCulture,
                    $"<rect x=\"{F(x0)}\" y=\"{laneY + 3}\" width=\"{F(x1 - x0)}\" height=\"{LaneHeight - 6}\" rx=\"3\" fill=\"{color}\" fill-opacity=\"0.35\" stroke=\"{color}\"><title>{Esc(session.Label)}: {Esc(Describe(lo, wall))} to {Esc(Describe(hi, wall))}</title></rect>\n");
            }
            foreach (var (fileId, start, end) in session.Windows)
            {
                if (!rowY.TryGetValue(fileId, out int ry)) continue;
                double x0 = X(start), x1 = Math.Max(X(end), x0 + 2);
                svg.Append(CultureInfo.InvariantCulture,
                    $"<rect class=\"window\" x=\"{F(x0)}\" y=\"{ry + 1}\" width=\"{F(x1 - x0)}\" height=\"{RowHeight - 2}\" fill=\"{color}\" fill-opacity=\"0.22\" stroke=\"{color}\" stroke-dasharray=\"4 2\"><title>{Esc(session.Label)}: {Esc(fileId)}</title></rect>\n");
            }
            svg.Append("</g>\n");
        }

        // Bars last among the plot marks, so shading tints around them rather than over them.
        svg.Append("<g class=\"bars\">\n");
        foreach (var row in model.Rows)
        {
            int ry = rowY[row.FileId];
            string color = KindColors.GetValueOrDefault(row.Kind, KindColors[""]);
            foreach (var (start, end) in MergeSpans(row.Spans, scale))
            {
                double x0 = X(start), x1 = Math.Max(X(end), x0 + 2);
                svg.Append(CultureInfo.InvariantCulture,
                    $"<rect class=\"bar\" x=\"{F(x0)}\" y=\"{ry + (RowHeight - BarHeight) / 2}\" width=\"{F(x1 - x0)}\" height=\"{BarHeight}\" rx=\"2\" fill=\"{color}\"><title>{Esc(row.Tooltip)}</title></rect>\n");
            }
        }
        svg.Append("</g>\n");

        // Time axis.
        svg.Append("<g class=\"axis\" fill=\"#333\">\n");
        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{plotLeft}\" y1=\"{axisTop}\" x2=\"{plotRight}\" y2=\"{axisTop}\" stroke=\"#333\"/>\n");
        long step = ticks.Count > 1 ? ticks[1] - ticks[0] : 1;
        foreach (long t in ticks)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{F(X(t))}\" y1=\"{axisTop}\" x2=\"{F(X(t))}\" y2=\"{axisTop + 5}\" stroke=\"#333\"/>\n");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(X(t))}\" y=\"{axisTop + 18}\" text-anchor=\"middle\">{Esc(TickLabel(t, step, wall))}</text>\n");
        }
        string axisTitle = wall
            ? $"time (UTC, {DateTimeOf(t0):yyyy-MM-dd})"
            : "time (seconds of the log's clock)";
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{(plotLeft + plotRight) / 2}\" y=\"{axisTop + 38}\" text-anchor=\"middle\" fill=\"#555\">{Esc(axisTitle)}</text>\n");
        svg.Append("</g>\n");

        // Legend.
        svg.Append("<g class=\"legend\">\n");
        int lx = 16;
        foreach (var (kind, color) in KindColors.Where(k => k.Key.Length > 0))
        {
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{lx}\" y=\"{legendTop + 4}\" width=\"14\" height=\"10\" rx=\"2\" fill=\"{color}\"/>\n");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{lx + 20}\" y=\"{legendTop + 13}\" fill=\"#333\">{kind.Replace('_', ' ')} log</text>\n");
            lx += 150;
        }
        string explain = "bars: recorded data (segments' first to last entries; gaps longer than two sample intervals show)"
            + (model.Sessions.Count > 0 ? "; shaded: activity-session windows over the logs they hold" : "");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"16\" y=\"{legendTop + 33}\" fill=\"#555\">{Esc(explain)}</text>\n");
        svg.Append("</g>\n");
        svg.Append("</svg>\n");
        return svg.ToString();
    }

    /// <summary>Earliest and latest timestamp of any bar or window (lo &gt; hi when there is none).</summary>
    private static (long, long) DataRange(TimelineModel model)
    {
        long lo = long.MaxValue, hi = long.MinValue;
        foreach (var row in model.Rows)
            foreach (var span in row.Spans) { lo = Math.Min(lo, span.Start); hi = Math.Max(hi, span.End); }
        foreach (var session in model.Sessions)
            foreach (var (_, s, e) in session.Windows) { lo = Math.Min(lo, s); hi = Math.Max(hi, e); }
        return (lo, hi);
    }

    private static string Plural(int n, string noun) => n == 1 ? $"1 {noun}" : $"{n} {noun}s";

    /// <summary>Earliest and latest time shown, padded 2% each side (1 s around a single instant).</summary>
    private static (long, long) Extent(TimelineModel model)
    {
        var (lo, hi) = DataRange(model);
        if (lo > hi) return (0, 1_000_000_000);
        long pad = hi > lo ? Math.Max(1, (hi - lo) / 50) : 500_000_000;
        return (Math.Max(0, lo - pad), hi + pad);
    }

    /// <summary>
    /// Adjacent segments draw as one bar when the gap between them is under 1.5 pixels or no longer
    /// than twice their usual interval between entries (a segment boundary, not missing data).
    /// </summary>
    internal static List<(long Start, long End)> MergeSpans(IReadOnlyList<TimelineSpan> spans, double scale)
    {
        var merged = new List<(long Start, long End)>();
        long previousInterval = 0;
        foreach (var span in spans.OrderBy(x => x.Start))
        {
            if (merged.Count > 0)
            {
                long gap = span.Start - merged[^1].End;
                long tolerance = 2 * Math.Max(previousInterval, span.MeanIntervalNs);
                if (gap * scale < 1.5 || gap <= tolerance)
                {
                    merged[^1] = (merged[^1].Start, Math.Max(merged[^1].End, span.End));
                    previousInterval = span.MeanIntervalNs;
                    continue;
                }
            }
            merged.Add((span.Start, span.End));
            previousInterval = span.MeanIntervalNs;
        }
        return merged;
    }

    private static readonly long[] WallSteps =
    [
        1_000_000_000L, 2_000_000_000L, 5_000_000_000L, 10_000_000_000L, 15_000_000_000L, 30_000_000_000L,
        60_000_000_000L, 120_000_000_000L, 300_000_000_000L, 600_000_000_000L, 900_000_000_000L, 1_800_000_000_000L,
        3_600_000_000_000L, 7_200_000_000_000L, 10_800_000_000_000L, 21_600_000_000_000L, 43_200_000_000_000L, 86_400_000_000_000L,
    ];

    /// <summary>Tick times: multiples of a "nice" step (1, 2, 5 × 10ⁿ ns; whole minutes and hours on a wall clock).</summary>
    internal static List<long> Ticks(long t0, long t1, bool wall)
    {
        long range = Math.Max(1, t1 - t0);
        long want = Math.Max(1, range / TargetTicks);
        long step = NiceStep(want);
        if (wall && want >= 1_000_000_000L)
            step = WallSteps.FirstOrDefault(s => s >= want, (long)Math.Ceiling(want / 86_400_000_000_000.0) * 86_400_000_000_000L);
        var ticks = new List<long>();
        long first = t0 % step == 0 ? t0 : (t0 / step + 1) * step;
        for (long t = first; t <= t1 && ticks.Count < 100; t += step) ticks.Add(t);
        return ticks;
    }

    private static long NiceStep(long want)
    {
        long magnitude = 1;
        while (magnitude <= want / 10) magnitude *= 10;
        foreach (long m in new long[] { 1, 2, 5, 10 })
            if (m * magnitude >= want) return m * magnitude;
        return 10 * magnitude;
    }

    /// <summary>Between 2000-01-01 and 2100-01-01 as Unix-epoch nanoseconds.</summary>
    private static bool IsUnixEpochNs(long t) => t >= 946_684_800_000_000_000L && t < 4_102_444_800_000_000_000L;

    private static DateTime DateTimeOf(long ns) => DateTime.UnixEpoch.AddTicks(ns / 100);

    private static string TickLabel(long t, long step, bool wall)
    {
        if (wall)
        {
            var time = DateTimeOf(t);
            if (step >= 86_400_000_000_000L) return time.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            if (step >= 1_000_000_000L) return time.ToString("HH:mm:ss", CultureInfo.InvariantCulture);
            if (step >= 1_000_000L) return time.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture);
            return time.ToString("ss.ffffff", CultureInfo.InvariantCulture);
        }
        int decimals = step >= 1_000_000_000L ? 0 : (int)Math.Ceiling(9 - Math.Log10(step) - 1e-9);
        return (t / 1e9).ToString("F" + Math.Clamp(decimals, 0, 9).ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) + " s";
    }

    private static string Describe(long t, bool wall) => wall
        ? DateTimeOf(t).ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture) + " UTC"
        : (t / 1e9).ToString("0.###", CultureInfo.InvariantCulture) + " s";

    private static string Duration(long ns)
    {
        double s = ns / 1e9;
        if (s >= 3600) return (s / 3600).ToString("0.#", CultureInfo.InvariantCulture) + " h";
        if (s >= 60) return (s / 60).ToString("0.#", CultureInfo.InvariantCulture) + " min";
        if (s >= 1) return s.ToString("0.##", CultureInfo.InvariantCulture) + " s";
        return (ns / 1e6).ToString("0.###", CultureInfo.InvariantCulture) + " ms";
    }

    private static string Fit(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";

    private static string F(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);

    /// <summary>XML text and attribute escaping.</summary>
    private static string Esc(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (char c in text)
        {
            switch (c)
            {
                case '&': sb.Append("&amp;"); break;
                case '<': sb.Append("&lt;"); break;
                case '>': sb.Append("&gt;"); break;
                case '"': sb.Append("&quot;"); break;
                case '\'': sb.Append("&apos;"); break;
                default:
                    // Control characters are not allowed in XML 1.0 (tab, newline and CR are).
                    if (c < 0x20 && c is not ('\t' or '\n' or '\r')) sb.Append('?');
                    else sb.Append(c);
                    break;
            }
        }
        return sb.ToString();
    }
}
