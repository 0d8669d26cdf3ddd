using System.Text;
using System.Text.Json.Nodes;
using Auki.Storage;

namespace Auki.Registry;

/// <summary>
/// upstream's <c>put_urdf_package</c>: read a URDF, rewrite every mesh <c>filename</c> to a
/// package-relative path (<c>package://pkg/meshes/a.stl</c> → <c>meshes/a.stl</c>), store the
/// meshes and the rewritten URDF as SHA-256 blobs, and return the device model id (the lowercased
/// <c>&lt;robot name&gt;</c>, else the package directory's name, else <c>robot</c>) with a ready body.
/// Unlike upstream, every mesh is resolved and read before any blob is written, so a URDF that
/// fails writes nothing, and a mesh path with a <c>..</c> segment is refused (a package cannot
/// publish files from outside itself).
/// </summary>
public static class UrdfPackage
{
    /// <summary><c>{"device_model_id": …, "body": {model_id, type, urdf_sha256, meshes, root_convention?}}</c>.</summary>
    public static JsonObject Put(string root, string urdfPath, string? rootConvention)
    {
        byte[] urdfBytes = IoErrors.Guard(() =>
        {
            var info = new FileInfo(urdfPath);
            if (!info.Exists) throw new FileNotFoundException($"URDF not found: {urdfPath}", urdfPath);
            if (info.Length > BlobStore.MaxBlobBytes)
                throw AukiException.Invalid($"invalid blob: blob is {info.Length} bytes, the limit is {BlobStore.MaxBlobBytes}");
            return File.ReadAllBytes(urdfPath);
        }, "io: ");
        string text;
        try { text = new UTF8Encoding(false, true).GetString(urdfBytes); }
        catch (DecoderFallbackException e) { throw Invalid($"URDF is not UTF-8: invalid utf-8 sequence from index {e.Index}"); }

        string packageDir = Path.GetDirectoryName(urdfPath) is { Length: > 0 } d ? d : ".";
        string deviceModelId = RobotName(text)
            ?? (Path.GetFileName(Path.TrimEndingDirectorySeparator(packageDir)) is { Length: > 0 } dir ? dir.ToLowerInvariant() : null)
            ?? "robot";

        var rewritten = new StringBuilder(text);
        var meshes = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        var refs = MeshFilenames(text);
        // From the end, so earlier offsets stay valid while the builder changes.
        for (int k = refs.Count - 1; k >= 0; k--)
        {
            var (start, end, original) = refs[k];
            string rel = NormalizeMeshPath(original);
            if (rel.Length == 0) throw Invalid("URDF mesh filename resolved to an empty path");
            if (rel.Split('/').Contains("..")) throw Invalid($"URDF mesh path {Ids.RustDebug.Str(rel)} leaves the package");
            rewritten.Remove(start, end - start).Insert(start, rel);
            if (meshes.ContainsKey(rel)) continue;
            string resolved = Resolve(packageDir, original, rel)
                ?? throw Invalid($"URDF references mesh {Ids.RustDebug.Str(original)} but none resolved beside {packageDir}");
            meshes[rel] = IoErrors.Guard(() => File.ReadAllBytes(resolved), "io: ");
        }
        string result = rewritten.ToString();
        if (result.Contains("filename=\"package://", StringComparison.Ordinal) || result.Contains("filename='package://", StringComparison.Ordinal))
            throw Invalid("URDF still contains package:// mesh refs after rewrite");
        byte[] urdfOut = Encoding.UTF8.GetBytes(result);
        foreach (var bytes in meshes.Values)
            if (bytes.Length > BlobStore.MaxBlobBytes) throw AukiException.Invalid($"invalid blob: blob is {bytes.Length} bytes, the limit is {BlobStore.MaxBlobBytes}");

        var meshRefs = new JsonArray();
        foreach (var (path, bytes) in meshes) meshRefs.Add((JsonNode)new JsonObject { ["path"] = path, ["sha256"] = BlobStore.Put(root, bytes) });
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

    /// <summary>Strip ROS <c>package://pkg/</c> (and leading <c>/</c>) so mesh paths are package-relative.</summary>
    public static string NormalizeMeshPath(string path)
    {
        path = path.Trim().TrimStart('/');
        if (!path.StartsWith("package://", StringComparison.Ordinal)) return path;
        string rest = path["package://".Length..];
        int slash = rest.IndexOf('/');
        return slash < 0 ? rest : rest[(slash + 1)..].TrimStart('/');
    }

    private static string? RobotName(string urdf)
    {
        int start = urdf.IndexOf("<robot", StringComparison.Ordinal);
        if (start < 0) return null;
        int end = urdf.IndexOf('>', start);
        if (end < 0) return null;
        string tag = urdf[start..end];
        foreach (char quote in "\"'")
        {
            int at = tag.IndexOf("name=" + quote, StringComparison.Ordinal);
            if (at < 0) continue;
            int valueStart = at + 6;
            int valueEnd = tag.IndexOf(quote, valueStart);
            if (valueEnd < 0) continue;
            string name = tag[valueStart..valueEnd].Trim().ToLowerInvariant();
            if (name.Length > 0) return name;
        }
        return null;
    }

    private static List<(int Start, int End, string Value)> MeshFilenames(string urdf)
    {
        var found = new List<(int, int, string)>();
        int i = 0;
        while (i + 10 < urdf.Length)
        {
            if (string.CompareOrdinal(urdf, i, "filename=", 0, 9) != 0) { i++; continue; }
            int quoteAt = i + 9;
            char quote = urdf[quoteAt];
            if (quote is not ('"' or '\'')) { i++; continue; }
            int valueEnd = urdf.IndexOf(quote, quoteAt + 1);
            if (valueEnd < 0) { i++; continue; }
            found.Add((quoteAt + 1, valueEnd, urdf[(quoteAt + 1)..valueEnd]));
            i = valueEnd + 1;
        }
        return found;
    }

    private static string? Resolve(string packageDir, string original, string rel)
    {
        string basename = Path.GetFileName(rel);
        if (basename.Length == 0) return null;
        string parent = Path.GetDirectoryName(Path.GetFullPath(packageDir)) ?? packageDir;
        var candidates = new List<string>
        {
            Path.Combine(packageDir, rel),
            Path.Combine(packageDir, "meshes", basename),
            Path.Combine(parent, rel),
            Path.Combine(parent, "meshes", basename),
            Path.Combine("/opt/booster/Gait/configs/K1/meshes", basename), // upstream's Booster K1 vendor tree
        };
        if (original.StartsWith("package://", StringComparison.Ordinal))
        {
            string rest = original["package://".Length..];
            int slash = rest.IndexOf('/');
            string pkg = slash < 0 ? rest : rest[..slash];
            string relative = slash < 0 ? "" : rest[(slash + 1)..];
            candidates.Add(Path.Combine(packageDir, rest));
            candidates.Add(Path.Combine(packageDir, pkg, relative));
            candidates.Add(Path.Combine(parent, rest));
            candidates.Add(Path.Combine(parent, pkg, relative));
            foreach (var key in new[] { "AMENT_PREFIX_PATH", "ROS_PACKAGE_PATH" })
            {
                foreach (var prefix in (Environment.GetEnvironmentVariable(key) ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
                {
                    if (key == "AMENT_PREFIX_PATH")
                    {
                        candidates.Add(Path.Combine(prefix, "share", pkg, relative));
                        candidates.Add(Path.Combine(prefix, "share", pkg, "meshes", basename));
                    }
                    else
                    {
                        candidates.Add(Path.Combine(prefix, pkg, relative));
                        candidates.Add(Path.Combine(prefix, pkg, "meshes", basename));
                    }
                }
            }
        }
        return candidates.FirstOrDefault(File.Exists);
    }

    private static AukiException Invalid(string reason) => AukiException.Invalid("invalid device model: " + reason);
}
