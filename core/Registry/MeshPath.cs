using Auki.Ids;

namespace Auki.Registry;

/// <summary>
/// The path a device model gives each mesh (<c>MeshBlobRef.path</c>): package-relative, so a
/// consumer can join it under its cache, and safe to splice into a URDF <c>filename="…"</c>.
/// upstream's <c>normalize_mesh_rel_path</c> and <c>validate_mesh_rel_path</c>, with its messages.
/// </summary>
public static class MeshPath
{
    /// <summary>Strip ROS <c>package://pkg/</c> (and leading <c>/</c>) so a URDF mesh filename becomes package-relative.</summary>
    public static string Normalize(string path)
    {
        // .NET's Trim() set is Unicode White_Space, the set Rust's str::trim uses.
        path = path.Trim().TrimStart('/');
        if (!path.StartsWith("package://", StringComparison.Ordinal)) return path;
        string rest = path["package://".Length..];
        int slash = rest.IndexOf('/');
        return slash < 0 ? rest : rest[(slash + 1)..].TrimStart('/');
    }

    /// <summary>
    /// Refuse an empty path, XML-unsafe characters (quotes, <c>&lt;</c>, <c>&gt;</c>, <c>&amp;</c>,
    /// control bytes), an absolute path and any <c>..</c> segment (<c>invalid device model: …</c>).
    /// </summary>
    public static void Validate(string rel)
    {
        if (rel.Length == 0) throw Invalid("mesh path must not be empty");
        foreach (char c in rel)
            if (c is '"' or '\'' or '<' or '>' or '&' || c < ' ')
                throw Invalid($"mesh path contains XML-unsafe characters: {RustDebug.Str(rel)}");
        if (rel.StartsWith('/')) throw Invalid($"mesh path must be relative, got {RustDebug.Str(rel)}");
        foreach (string segment in rel.Split('/'))
            if (segment == "..") throw Invalid($"mesh path must not contain '..': {RustDebug.Str(rel)}");
    }

    private static AukiException Invalid(string reason) => AukiException.Invalid("invalid device model: " + reason);
}
