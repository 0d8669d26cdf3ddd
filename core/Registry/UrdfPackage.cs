using System.Text;
using System.Text.Json.Nodes;
using Auki.Ids;
using Auki.Storage;

namespace Auki.Registry;

/// <summary>
/// upstream's <c>put_urdf_package</c>: read a URDF, rewrite every mesh <c>filename</c> to a
/// package-relative path (<c>package://pkg/meshes/a.stl</c> → <c>meshes/a.stl</c>), store the
/// meshes and the rewritten URDF as SHA-256 blobs, and return the device model id (the URDF's
/// <c>&lt;robot name&gt;</c> ASCII-lowercased, else the lowercased name of the URDF's directory,
/// else <c>robot</c>) with a ready body.
/// </summary>
/// <remarks>
/// Mesh resolution is upstream's, fail-closed: the package directory is <c>packageRoot</c> or else
/// the URDF's directory; a mesh is the exact package-relative path under it, or for
/// <c>package://pkg/rel</c> also <c>&lt;dir&gt;/pkg/rel</c>; no basename or parent-directory guess,
/// no candidate with a <c>..</c> component, and two spellings of one path that resolve to different
/// files are refused. Two differences, both refusals upstream does not make: every mesh is resolved
/// and read before any blob is written, so a URDF that fails stores nothing; and a candidate an
/// absolute <c>package://pkg//abs</c> remainder would take outside the package is not tried.
/// </remarks>
public static class UrdfPackage
{
    /// <summary><c>{"device_model_id": …, "body": {model_id, type, urdf_sha256, meshes, root_convention?}}</c>.</summary>
    public static JsonObject Put(string root, string urdfPath, string? rootConvention, string? packageRoot = null)
    {
        byte[] urdfBytes = CappedFile.Read(urdfPath, BlobStore.MaxBlobBytes)
            ?? throw AukiException.Io($"URDF not found: {urdfPath}");
        string text = Utf8(urdfBytes);

        string urdfDir = Path.GetDirectoryName(urdfPath) ?? "";
        string deviceModelId = UrdfXml.RobotName(text) ?? DirectoryName(urdfDir) ?? "robot";
        if (RegistryId.Check(deviceModelId) is { } idError) throw Invalid("invalid device_model_id: " + idError);

        var refs = UrdfXml.MeshFilenames(text);
        string packageDir = packageRoot ?? urdfDir;
        var rewritten = new StringBuilder(text);
        var resolvedByPath = new Dictionary<string, string>(StringComparer.Ordinal);
        // From the end, so earlier offsets stay valid while the builder changes.
        for (int k = refs.Count - 1; k >= 0; k--)
        {
            var mesh = refs[k];
            string rel = MeshPath.Normalize(mesh.Value);
            MeshPath.Validate(rel);
            rewritten.Remove(mesh.Start, mesh.End - mesh.Start).Insert(mesh.Start, rel);
            string resolved = Resolve(packageDir, mesh.Value, rel)
                ?? throw Invalid($"URDF references mesh {RustDebug.Str(mesh.Value)} but none resolved beside {packageDir}");
            if (resolvedByPath.TryGetValue(rel, out var previous))
            {
                if (previous != resolved) throw Invalid($"mesh paths normalize to {RustDebug.Str(rel)} but resolve to different files");
                continue;
            }
            resolvedByPath[rel] = resolved;
        }
        string result = rewritten.ToString();
        // Fail closed on anything the rewrite left that is not a plain package-relative path.
        foreach (var left in UrdfXml.MeshFilenames(result))
        {
            if (left.Value.Contains("://", StringComparison.Ordinal))
                throw Invalid($"URDF still contains URI mesh ref after rewrite: {RustDebug.Str(left.Value)}");
            MeshPath.Validate(left.Value);
        }

        // Everything is read (and checked against the blob limit) before the first blob is written.
        var meshBytes = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var (rel, resolved) in resolvedByPath)
            meshBytes[rel] = CappedFile.Read(resolved, BlobStore.MaxBlobBytes) ?? throw AukiException.Io($"mesh not found: {resolved}");
        byte[] urdfOut = Encoding.UTF8.GetBytes(result);
        if (urdfOut.Length > BlobStore.MaxBlobBytes)
            throw AukiException.Invalid($"invalid blob: blob exceeds MAX_BLOB_BYTES ({BlobStore.MaxBlobBytes})");

        var meshRefs = new JsonArray();
        foreach (var (path, bytes) in meshBytes) meshRefs.Add((JsonNode)new JsonObject { ["path"] = path, ["sha256"] = BlobStore.Put(root, bytes) });
        var body = new JsonObject
        {
            ["model_id"] = deviceModelId,
            ["type"] = "urdf",
            ["urdf_sha256"] = BlobStore.Put(root, urdfOut),
            ["meshes"] = meshRefs,
        };
        if (rootConvention is not null) body["root_convention"] = rootConvention;
        return new JsonObject { ["device_model_id"] = deviceModelId, ["body"] = body };
    }

    /// <summary>
    /// upstream's <c>resolve_urdf_mesh</c>: <c>&lt;dir&gt;/&lt;rel&gt;</c>, then for <c>package://pkg/rel</c>
    /// <c>&lt;dir&gt;/pkg/rel</c> (twice, as upstream joins it two ways); the first that is a file and has
    /// no <c>..</c> component.
    /// </summary>
    private static string? Resolve(string packageDir, string original, string rel)
    {
        var candidates = new List<string?> { Join(packageDir, rel) };
        if (original.StartsWith("package://", StringComparison.Ordinal))
        {
            string rest = original["package://".Length..];
            int slash = rest.IndexOf('/');
            string pkg = slash < 0 ? rest : rest[..slash];
            string relative = slash < 0 ? "" : rest[(slash + 1)..];
            candidates.Add(Join(packageDir, rest));
            if (relative.Length > 0) candidates.Add(Join(Join(packageDir, pkg), relative));
        }
        return candidates.FirstOrDefault(path => path is not null && !path.Split('/').Contains("..") && IoIsFile(path));
    }

    /// <summary><c>dir/rel</c>, or null where Rust's join would replace <paramref name="dir"/> (an absolute <paramref name="rel"/>).</summary>
    private static string? Join(string? dir, string rel)
    {
        if (dir is null || rel.StartsWith('/')) return null;
        return dir.Length == 0 ? rel : dir.EndsWith('/') ? dir + rel : dir + "/" + rel;
    }

    private static bool IoIsFile(string path) => IoErrors.Guard(() => File.Exists(path), "io: ");

    /// <summary>The ASCII-lowercased last component of the URDF's directory, or null when it has none.</summary>
    private static string? DirectoryName(string dir)
    {
        string name = Path.GetFileName(Path.TrimEndingDirectorySeparator(dir));
        if (name is "" or "." or "..") return null;
        var chars = name.ToCharArray();
        for (int i = 0; i < chars.Length; i++) if (chars[i] is >= 'A' and <= 'Z') chars[i] = (char)(chars[i] + 32);
        return new string(chars);
    }

    /// <summary>The URDF as text; not UTF-8 is Rust's <c>FromUtf8Error</c> wording.</summary>
    private static string Utf8(byte[] bytes)
    {
        try { return new UTF8Encoding(false, true).GetString(bytes); }
        catch (DecoderFallbackException) { throw Invalid("URDF is not UTF-8: " + RustUtf8Error.Describe(bytes)); }
    }

    private static AukiException Invalid(string reason) => AukiException.Invalid("invalid device model: " + reason);
}
