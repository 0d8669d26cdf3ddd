using System.Globalization;
using System.Text;

namespace Auki.Ids;

/// <summary>
/// Renders strings and chars the way Rust's <c>{:?}</c> does, because upstream's error messages
/// and reprs (e.g. <c>registry id contains disallowed character '\t'</c>) are part of the contract.
/// </summary>
public static class RustDebug
{
    /// <summary>Rust <c>format!("{:?}", s)</c> for a &amp;str: double-quoted with escapes.</summary>
    public static string Str(string s)
    {
        var sb = new StringBuilder(s.Length + 2);
        sb.Append('"');
        foreach (var rune in s.EnumerateRunes())
            AppendEscaped(sb, rune, inString: true);
        return sb.Append('"').ToString();
    }

    /// <summary>Rust <c>format!("{:?}", c)</c> for a char: single-quoted with escapes.</summary>
    public static string Char(Rune c)
    {
        var sb = new StringBuilder(8);
        sb.Append('\'');
        AppendEscaped(sb, c, inString: false);
        return sb.Append('\'').ToString();
    }

    private static void AppendEscaped(StringBuilder sb, Rune r, bool inString)
    {
        switch (r.Value)
        {
            case '\t': sb.Append("\\t"); return;
            case '\n': sb.Append("\\n"); return;
            case '\r': sb.Append("\\r"); return;
            case '\0': sb.Append("\\0"); return;
            case '\\': sb.Append("\\\\"); return;
            case '"' when inString: sb.Append("\\\""); return;
            case '\'' when !inString: sb.Append("\\'"); return;
        }
        var category = Rune.GetUnicodeCategory(r);
        bool printable = r.Value == ' ' || !(category is UnicodeCategory.Control or UnicodeCategory.Format
            or UnicodeCategory.SpaceSeparator or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator
            or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned);
        if (printable) sb.Append(r.ToString());
        else sb.Append("\\u{").Append(r.Value.ToString("x", CultureInfo.InvariantCulture)).Append('}');
    }
}
