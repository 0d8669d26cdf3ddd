using System.Text;

namespace Auki.Ids;

/// <summary>
/// The one rule for every id that becomes part of a path under a storage root — peer ids,
/// resource ids, boot and activity session ids, file ids, device ids — whether it comes from a
/// local caller or from a remote peer. An id is a <c>/</c>-separated list of segments; it is
/// refused when it is empty, holds a NUL, starts with <c>/</c> (absolute), or has an empty,
/// <c>.</c> or <c>..</c> segment or a segment longer than 255 UTF-8 bytes (a Linux file name's
/// limit). Every id that passes names a path that stays under the root however it is joined.
/// </summary>
/// <remarks>
/// Upstream checks registry ids (no empty, <c>.</c>, <c>..</c> segment) and leaves peer ids
/// unchecked. Peer ids may contain <c>/</c> here as there (libp2p ids never do; upstream nests
/// <c>logs/&lt;peer_id&gt;/</c> and flattens <c>/</c> to <c>__</c> in registry directories), but a peer
/// id that would climb out of the root, or be absolute, is refused instead of written.
/// </remarks>
public static class PathId
{
    /// <summary>Longest segment in UTF-8 bytes (NAME_MAX on Linux).</summary>
    public const int MaxSegmentBytes = 255;

    /// <summary>How an id's <c>/</c> is mapped onto the disk.</summary>
    public enum Form
    {
        /// <summary>Each <c>/</c> separates directories (resource ids, peer ids under <c>logs/</c>, file ids).</summary>
        Nested,
        /// <summary><c>/</c> becomes <c>__</c> in one directory name (registry ids and peer ids under <c>registries/</c>).</summary>
        Flattened,
        /// <summary>One directory or file name: <c>/</c> is refused (boot session ids, activity session ids).</summary>
        Single,
    }

    /// <summary>Throw InvalidArgument naming <paramref name="field"/> when <paramref name="id"/> is not path-safe.</summary>
    public static void Validate(string? id, string field, Form form = Form.Nested)
    {
        string? reason = Check(id, form);
        if (reason is not null) throw AukiException.Invalid($"invalid {field} {RustDebug.Str(id ?? "")}: {reason}");
    }

    /// <summary>Why <paramref name="id"/> is not path-safe, or null when it is.</summary>
    public static string? Check(string? id, Form form = Form.Nested)
    {
        if (string.IsNullOrEmpty(id)) return "must not be empty";
        if (id.Contains('\0')) return "contains a NUL character";
        if (id[0] == '/') return "is an absolute path";
        if (form == Form.Single && id.Contains('/')) return "must be a single path segment (no `/`)";
        foreach (var segment in id.Split('/'))
        {
            if (segment.Length == 0) return "contains an empty path segment";
            if (segment is "." or "..") return $"contains a `{segment}` path segment";
            if (form == Form.Nested && Encoding.UTF8.GetByteCount(segment) > MaxSegmentBytes)
                return $"has a path segment of {Encoding.UTF8.GetByteCount(segment)} bytes, the limit is {MaxSegmentBytes}";
        }
        if (form == Form.Flattened)
        {
            int bytes = Encoding.UTF8.GetByteCount(id) + CountSlashes(id); // each "/" becomes "__"
            if (bytes > MaxSegmentBytes) return $"names a directory of {bytes} bytes, the limit is {MaxSegmentBytes}";
        }
        return null;
    }

    /// <summary>True when <paramref name="id"/> passes <see cref="Check"/>.</summary>
    public static bool IsValid(string? id, Form form = Form.Nested) => Check(id, form) is null;

    private static int CountSlashes(string id)
    {
        int n = 0;
        foreach (char c in id) if (c == '/') n++;
        return n;
    }
}
