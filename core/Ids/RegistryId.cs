using System.Text;

namespace Auki.Ids;

/// <summary>
/// Registry id rules of the newest upstream registry: non-empty; no <c>&gt;</c>, <c>@</c> or
/// Unicode whitespace (those delimit resource ids like <c>a-&gt;b</c> and <c>det@sensor</c>);
/// no empty, <c>.</c> or <c>..</c> path segment (ids become directories). Checked in that order,
/// reporting the first offending character, before anything touches the disk.
/// </summary>
public static class RegistryId
{
    /// <summary>Throw InvalidArgument with upstream's exact message when <paramref name="id"/> is not valid.</summary>
    public static void Validate(string id)
    {
        var error = Check(id);
        if (error is not null) throw AukiException.Invalid(error);
    }

    /// <summary>The upstream error text for <paramref name="id"/>, or null when it is valid.</summary>
    public static string? Check(string id)
    {
        if (id.Length == 0) return "registry id is empty";
        foreach (var rune in id.EnumerateRunes())
        {
            if (rune.Value == '>' || rune.Value == '@' || Rune.IsWhiteSpace(rune))
                return "registry id contains disallowed character " + RustDebug.Char(rune);
        }
        foreach (var segment in id.Split('/'))
        {
            if (segment.Length == 0 || segment == "." || segment == "..")
                return "registry id contains reserved path segment " + RustDebug.Str(segment);
        }
        return null;
    }

    /// <summary>Directory name for an id or peer id: every <c>/</c> becomes <c>__</c>, nothing else is escaped.</summary>
    public static string PathSegment(string id) => id.Replace("/", "__", StringComparison.Ordinal);
}
