using System.Globalization;
using System.Text;

namespace Auki.Cli;

/// <summary>Small formatting helpers shared by the commands.</summary>
internal static class Text
{
    /// <summary>1536 → "1.5 KiB" (binary units, one decimal; bytes exact below 1 KiB).</summary>
    public static string Bytes(long bytes)
    {
        if (bytes < 1024) return bytes.ToString(CultureInfo.InvariantCulture) + " B";
        string[] units = ["KiB", "MiB", "GiB", "TiB", "PiB"];
        double value = bytes;
        int unit = -1;
        do
        {
            value /= 1024;
            unit++;
        } while (value >= 1024 && unit < units.Length - 1);
        return value.ToString("0.0", CultureInfo.InvariantCulture) + " " + units[unit];
    }

    public static string Num(long value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Num(long? value) => value is long v ? Num(v) : "-";

    /// <summary>Plural noun: 1 log, 2 logs.</summary>
    public static string Count(long n, string singular, string? plural = null) =>
        $"{Num(n)} {(n == 1 ? singular : plural ?? singular + "s")}";

    /// <summary>Unix-epoch nanoseconds as ISO 8601 UTC.</summary>
    public static string Utc(long ns) =>
        DateTime.UnixEpoch.AddTicks(ns / 100).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>Lowercase hex of at most <paramref name="max"/> bytes (0 = all), with "…" when cut.</summary>
    public static void Hex(StringBuilder sb, ReadOnlySpan<byte> bytes, int max)
    {
        int n = max > 0 ? Math.Min(max, bytes.Length) : bytes.Length;
        const string digits = "0123456789abcdef";
        for (int i = 0; i < n; i++)
        {
            sb.Append(digits[bytes[i] >> 4]);
            sb.Append(digits[bytes[i] & 0xF]);
        }
        if (n < bytes.Length) sb.Append('…');
    }

    /// <summary>Left-aligned columns separated by two spaces; columns listed in <paramref name="rightAligned"/> are right-aligned.</summary>
    public static List<string> Table(IReadOnlyList<string[]> rows, params int[] rightAligned)
    {
        int columns = rows.Count == 0 ? 0 : rows.Max(r => r.Length);
        var widths = new int[columns];
        foreach (var row in rows)
            for (int c = 0; c < row.Length; c++) widths[c] = Math.Max(widths[c], Width(row[c]));
        var lines = new List<string>(rows.Count);
        foreach (var row in rows)
        {
            var sb = new StringBuilder();
            for (int c = 0; c < row.Length; c++)
            {
                bool last = c == row.Length - 1;
                string cell = row[c];
                int pad = widths[c] - Width(cell);
                if (rightAligned.Contains(c)) sb.Append(' ', pad).Append(cell);
                else sb.Append(cell).Append(' ', last ? 0 : pad);
                if (!last) sb.Append("  ");
            }
            lines.Add(sb.ToString().TrimEnd());
        }
        return lines;
    }

    /// <summary>Display width: one column per code point (box-drawing characters included).</summary>
    public static int Width(string s)
    {
        int n = 0;
        foreach (var _ in s.EnumerateRunes()) n++;
        return n;
    }

    /// <summary>A path under a root, as the user would type it: the root as given joined with the relative part.</summary>
    public static string Under(string root, string relative) =>
        relative == "." ? root : root == "." ? relative : root.TrimEnd('/') + "/" + relative;
}
