using System.Text;
using Auki.Ids;

namespace Auki.Registry;

/// <summary>
/// The two things <c>put_urdf_package</c> reads from a URDF, found as upstream finds them with
/// quick-xml: markup inside comments, CDATA, processing instructions and the doctype is not
/// markup, so a commented-out <c>&lt;mesh&gt;</c> or <c>&lt;robot&gt;</c> is ignored; only the
/// <c>filename</c> attribute of a <c>mesh</c> element counts (not <c>mesh_filename</c>, not
/// <c>name</c>), with or without spaces around <c>=</c>.
/// </summary>
internal static class UrdfXml
{
    /// <summary>One <c>&lt;mesh filename="…"&gt;</c>: the raw (still escaped) value and where it sits in the text.</summary>
    public readonly record struct MeshFilename(int Start, int End, string Value);

    /// <summary>
    /// The first non-empty <c>name</c> of a <c>robot</c> element, trimmed and ASCII-lowercased, or
    /// null (also when the document stops parsing before one is found, as upstream's reader does).
    /// </summary>
    public static string? RobotName(string urdf)
    {
        try
        {
            foreach (var tag in Tags(urdf))
            {
                if (tag.LocalName != "robot") continue;
                foreach (var attr in Attributes(urdf, tag, strict: false))
                {
                    if (attr.Key != "name") continue;
                    if (Unescape(attr.Value) is not { } value) continue;
                    string name = value.Trim().ToLowerInvariantAscii();
                    if (name.Length > 0) return name;
                }
            }
        }
        catch (AukiException) { }
        return null;
    }

    /// <summary>Every mesh filename, in document order; a malformed document is <c>invalid device model: URDF XML parse error: …</c>.</summary>
    public static List<MeshFilename> MeshFilenames(string urdf)
    {
        var found = new List<MeshFilename>();
        foreach (var tag in Tags(urdf))
        {
            if (tag.LocalName != "mesh") continue;
            foreach (var attr in Attributes(urdf, tag, strict: true))
            {
                if (attr.Key != "filename") continue;
                var (start, end) = ValueSpan(urdf, tag, attr.Value)
                    ?? throw Invalid($"URDF mesh filename value span not found for {RustDebug.Str(attr.Value)}");
                found.Add(new MeshFilename(start, end, attr.Value));
            }
        }
        return found;
    }

    private readonly record struct Tag(int Start, int End, string Name, int AttributesStart, int AttributesEnd)
    {
        public string LocalName => Name[(Name.LastIndexOf(':') + 1)..];
    }

    private readonly record struct Attribute(string Key, string Value);

    /// <summary>Start and empty-element tags in order, with quick-xml's end-name check.</summary>
    private static IEnumerable<Tag> Tags(string xml)
    {
        var open = new Stack<string>();
        int i = 0;
        while (true)
        {
            int lt = xml.IndexOf('<', i);
            if (lt < 0) yield break;
            if (Starts(xml, lt, "<!--")) { i = Skip(xml, lt + 4, "-->", "comment"); continue; }
            if (Starts(xml, lt, "<![CDATA[")) { i = Skip(xml, lt + 9, "]]>", "CDATA"); continue; }
            if (Starts(xml, lt, "<?")) { i = Skip(xml, lt + 2, "?>", "processing instruction"); continue; }
            if (Starts(xml, lt, "<!")) { i = SkipDoctype(xml, lt + 2); continue; }
            int gt = TagEnd(xml, lt + 1);
            if (xml[lt + 1] == '/')
            {
                string name = xml[(lt + 2)..gt].TrimEnd();
                if (open.Count == 0) throw Parse($"ill-formed document: close tag `</{name}>` does not match any open tag");
                string expected = open.Pop();
                if (expected != name) throw Parse($"ill-formed document: expected `</{expected}>`, but `</{name}>` was found");
                i = gt + 1;
                continue;
            }
            bool empty = xml[gt - 1] == '/';
            int contentEnd = empty ? gt - 1 : gt;
            int nameEnd = lt + 1;
            while (nameEnd < contentEnd && !IsXmlSpace(xml[nameEnd])) nameEnd++;
            string tagName = xml[(lt + 1)..nameEnd];
            if (!empty) open.Push(tagName);
            yield return new Tag(lt, gt + 1, tagName, nameEnd, contentEnd);
            i = gt + 1;
        }
    }

    /// <summary>The attributes of a tag; with <paramref name="strict"/>, a malformed one is an error, else parsing stops there.</summary>
    private static List<Attribute> Attributes(string xml, Tag tag, bool strict)
    {
        var attrs = new List<Attribute>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        int i = tag.AttributesStart;
        while (true)
        {
            while (i < tag.AttributesEnd && IsXmlSpace(xml[i])) i++;
            if (i >= tag.AttributesEnd) return attrs;
            int keyStart = i;
            while (i < tag.AttributesEnd && !IsXmlSpace(xml[i]) && xml[i] != '=') i++;
            string key = xml[keyStart..i];
            while (i < tag.AttributesEnd && IsXmlSpace(xml[i])) i++;
            if (i >= tag.AttributesEnd || xml[i] != '=')
                return strict ? throw AttributeError($"attribute `{key}` has no value") : attrs;
            i++;
            while (i < tag.AttributesEnd && IsXmlSpace(xml[i])) i++;
            if (i >= tag.AttributesEnd || xml[i] is not ('"' or '\''))
                return strict ? throw AttributeError($"value of attribute `{key}` is not quoted") : attrs;
            char quote = xml[i];
            int valueEnd = xml.IndexOf(quote, i + 1, tag.AttributesEnd - i - 1);
            if (valueEnd < 0) return strict ? throw AttributeError($"value of attribute `{key}` is not closed") : attrs;
            if (!seen.Add(key)) return strict ? throw AttributeError($"duplicated attribute `{key}`") : attrs;
            attrs.Add(new Attribute(key, xml[(i + 1)..valueEnd]));
            i = valueEnd + 1;
        }
    }

    /// <summary>
    /// upstream's <c>filename_value_span</c>: the first <c>filename</c> in the tag text not preceded by a
    /// name character, followed by optional spaces, <c>=</c>, optional spaces and a quoted copy of the value.
    /// </summary>
    private static (int Start, int End)? ValueSpan(string xml, Tag tag, string raw)
    {
        const string needle = "filename";
        for (int i = tag.Start; i + needle.Length <= tag.End; i++)
        {
            if (string.CompareOrdinal(xml, i, needle, 0, needle.Length) != 0) continue;
            if (i > tag.Start && (char.IsAsciiLetterOrDigit(xml[i - 1]) || xml[i - 1] is '_' or '-' or ':')) continue;
            int j = i + needle.Length;
            while (j < tag.End && IsAsciiSpace(xml[j])) j++;
            if (j >= tag.End || xml[j] != '=') continue;
            j++;
            while (j < tag.End && IsAsciiSpace(xml[j])) j++;
            if (j >= tag.End || xml[j] is not ('"' or '\'')) continue;
            int start = j + 1, end = start + raw.Length;
            if (end < tag.End && string.CompareOrdinal(xml, start, raw, 0, raw.Length) == 0 && xml[end] == xml[j]) return (start, end);
        }
        return null;
    }

    /// <summary>quick-xml's <c>unescape</c>: the five predefined entities and character references; anything else is null.</summary>
    private static string? Unescape(string raw)
    {
        if (!raw.Contains('&')) return raw;
        var sb = new StringBuilder(raw.Length);
        for (int i = 0; i < raw.Length; i++)
        {
            if (raw[i] != '&') { sb.Append(raw[i]); continue; }
            int semi = raw.IndexOf(';', i + 1);
            if (semi < 0) return null;
            string name = raw[(i + 1)..semi];
            string? text = name switch
            {
                "lt" => "<",
                "gt" => ">",
                "amp" => "&",
                "apos" => "'",
                "quot" => "\"",
                _ when name.StartsWith("#x", StringComparison.Ordinal) => CodePoint(name[2..], 16),
                _ when name.StartsWith('#') => CodePoint(name[1..], 10),
                _ => null,
            };
            if (text is null) return null;
            sb.Append(text);
            i = semi;
        }
        return sb.ToString();
    }

    private static string? CodePoint(string digits, int radix)
    {
        try
        {
            int cp = Convert.ToInt32(digits, radix);
            return cp is > 0 and <= 0x10FFFF and not (>= 0xD800 and <= 0xDFFF) ? char.ConvertFromUtf32(cp) : null;
        }
        catch (Exception e) when (e is FormatException or OverflowException or ArgumentException) { return null; }
    }

    private static int TagEnd(string xml, int from)
    {
        char quote = '\0';
        for (int i = from; i < xml.Length; i++)
        {
            char c = xml[i];
            if (quote != '\0') { if (c == quote) quote = '\0'; }
            else if (c is '"' or '\'') quote = c;
            else if (c == '>') return i;
        }
        throw Parse("syntax error: tag not closed: `>` not found before end of input");
    }

    private static int Skip(string xml, int from, string terminator, string what)
    {
        int end = xml.IndexOf(terminator, from, StringComparison.Ordinal);
        if (end < 0) throw Parse($"syntax error: {what} not closed: `{terminator}` not found before end of input");
        return end + terminator.Length;
    }

    private static int SkipDoctype(string xml, int from)
    {
        int depth = 0;
        for (int i = from; i < xml.Length; i++)
        {
            if (xml[i] == '[') depth++;
            else if (xml[i] == ']') depth--;
            else if (xml[i] == '>' && depth <= 0) return i + 1;
        }
        throw Parse("syntax error: DOCTYPE not closed: `>` not found before end of input");
    }

    private static bool Starts(string s, int at, string prefix) => string.CompareOrdinal(s, at, prefix, 0, prefix.Length) == 0;

    private static bool IsXmlSpace(char c) => c is ' ' or '\t' or '\r' or '\n';

    private static bool IsAsciiSpace(char c) => c is ' ' or '\t' or '\r' or '\n' or '\f';

    private static string ToLowerInvariantAscii(this string s)
    {
        var chars = s.ToCharArray();
        for (int i = 0; i < chars.Length; i++) if (chars[i] is >= 'A' and <= 'Z') chars[i] = (char)(chars[i] + 32);
        return new string(chars);
    }

    private static AukiException Parse(string message) => Invalid("URDF XML parse error: " + message);

    private static AukiException AttributeError(string message) => Invalid("URDF mesh attribute error: " + message);

    private static AukiException Invalid(string reason) => AukiException.Invalid("invalid device model: " + reason);
}
