using System.Text.Json.Nodes;
using Auki.Json;

namespace Auki.Manifests;

/// <summary>
/// The public manifest builders (<c>auki_manifests.build_*_log_manifest</c>) in both of upstream's
/// shapes. Given <c>source_peer_id</c> the arguments are the post-#216 refs, and the manifest is
/// built by <see cref="LogManifest.Build"/> — the very code a session handle writes with, so the
/// bytes are the same. Without it they are the flat <c>*_id</c>/<c>*_hash</c> arguments of
/// upstream's <c>auki_manifests</c> Python module, whose manifests are flat too (<see cref="FlatManifest"/>).
/// Builders do not validate (upstream's do not); <see cref="Validate"/> does.
/// </summary>
public static class ManifestBuilder
{
    /// <summary>Build the manifest of <paramref name="kind"/> from keyword arguments.</summary>
    public static JsonObject Build(LogKind kind, JsonNode? args)
    {
        var f = JsonFields.Of(args, "a map of manifest arguments");
        if (!f.Has("source_peer_id")) return FlatManifest.Build(kind, f);
        var spec = (JsonObject)f.Object.DeepClone();
        // A manifest has no head (that is the catalog's); the spec parser wants one, so give the inert one.
        if (!spec.ContainsKey("head")) spec["head"] = HeadSpec.Fixed().ToJson();
        return LogManifest.Build(LogSpecJson.Parse(kind, spec), Str(f, "source_peer_id"), Str(f, "writer_peer_id"),
            Str(f, "app_id"), Str(f, "session_id"));
    }

    /// <summary>
    /// auki-manifests <c>validate()</c> for a built or read manifest of either shape:
    /// <c>invalid manifest field `sensor.id`: must not be empty</c> and the like.
    /// </summary>
    public static void Validate(JsonNode? manifest)
    {
        var f = JsonFields.Of(manifest, "struct LogManifest");
        if (f.Has("source_peer_id")) LogManifest.Validate(f.Object);
        else FlatManifest.Validate(f.Object);
    }

    private static string Str(JsonFields f, string name)
    {
        try { return f.String(name); }
        catch (AukiException e) { throw e.WithPrefix(name); }
    }
}
