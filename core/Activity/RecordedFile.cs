using System.Text.Json.Nodes;
using Auki.Ids;
using Auki.Json;
using Auki.Storage;

namespace Auki.Activity;

/// <summary>
/// A recorded log directory seen as a Roboto "file": its id is the path relative to the storage
/// root with <c>/</c> separators (<c>&lt;session_id&gt;/logs/&lt;peer&gt;/&lt;resource_id&gt;</c> or
/// <c>logs/&lt;peer&gt;/&lt;resource_id&gt;</c>); its topic is <c>(source peer, resource id)</c>.
/// </summary>
public sealed record RecordedFile(string FileId, string Directory, string BootSessionId, string SourcePeerId, string ResourceId)
{
    /// <summary>Topic id: <c>&lt;peer&gt;/&lt;resource_id&gt;</c>.</summary>
    public string TopicId => SourcePeerId + "/" + ResourceId;

    /// <summary>Topic name: the resource id.</summary>
    public string TopicName => ResourceId;

    /// <summary>The topic as listed: <c>{topic_id, name, source_peer_id, resource_id}</c>.</summary>
    public JsonObject TopicJson() => new()
    {
        ["topic_id"] = TopicId,
        ["name"] = TopicName,
        ["source_peer_id"] = SourcePeerId,
        ["resource_id"] = ResourceId,
    };

    /// <summary>
    /// Resolve a file id under <paramref name="storageRoot"/>: it must name a log directory
    /// (holding manifest.json, log_manifest.json or segments/). Unknown → NotFound.
    /// </summary>
    public static RecordedFile Resolve(string storageRoot, string fileId)
    {
        var (parts, logs) = ParseId(fileId);
        string dir = StorageLayout.FileDirectory(storageRoot, fileId);
        var owner = OwnerOf(storageRoot, fileId, dir);
        if (!owner.Exists && !IsLogDirectory(dir)) throw AukiException.NotFound($"unknown file \"{fileId}\": no recorded log at {dir}");
        string peer = parts[logs + 1];
        string resourceId = string.Join('/', parts, logs + 2, parts.Length - logs - 2);
        return new RecordedFile(fileId, dir, logs == 1 ? parts[0] : "", owner.SourcePeerId ?? peer, resourceId);
    }

    /// <summary>
    /// The one rule for the form of a file id (what <c>check_file</c>, <c>add_files</c> and every
    /// lookup apply): path-safe, and <c>&lt;session_id&gt;/logs/&lt;peer&gt;/&lt;resource_id…&gt;</c> or
    /// <c>logs/&lt;peer&gt;/&lt;resource_id…&gt;</c>. Returns the segments and the index of <c>logs</c>.
    /// </summary>
    public static (string[] Parts, int LogsIndex) ParseId(string fileId)
    {
        if (IdProblem(fileId, out var parts, out int logs) is { } reason)
            throw AukiException.Invalid($"invalid file id {RustDebug.Str(fileId)}: {reason}");
        return (parts, logs);
    }

    /// <summary>True when <paramref name="fileId"/> has the form <see cref="ParseId"/> accepts.</summary>
    public static bool IsValidId(string fileId) => IdProblem(fileId, out _, out _) is null;

    private static string? IdProblem(string fileId, out string[] parts, out int logs)
    {
        parts = [];
        logs = -1;
        if (PathId.Check(fileId) is { } unsafePath) return unsafePath;
        parts = fileId.Split('/');
        logs = parts[0] == StorageLayout.LogsDirectoryName ? 0 : parts.Length > 1 && parts[1] == StorageLayout.LogsDirectoryName ? 1 : -1;
        return logs < 0 || parts.Length < logs + 3 ? "expected <session_id>/logs/<peer>/<resource_id> or logs/<peer>/<resource_id>" : null;
    }

    /// <summary>True when <paramref name="dir"/> holds a log (a manifest or segments).</summary>
    public static bool IsLogDirectory(string dir) =>
        File.Exists(Path.Combine(dir, "manifest.json")) || File.Exists(Path.Combine(dir, "log_manifest.json"))
        || System.IO.Directory.Exists(Path.Combine(dir, "segments"));

    // A materialized log keeps its owner in manifest.json's source_peer_id; the path names it too.
    // Parsed once per (length, mtime) of the manifest and kept in the root's index, so a lookup is
    // one stat, in a new process too.
    private static IndexedOwner OwnerOf(string storageRoot, string fileId, string dir)
    {
        var info = new FileInfo(Path.Combine(dir, "manifest.json"));
        if (!info.Exists) return new IndexedOwner(false, 0, 0, true, null);
        long length = info.Length, mtime = info.LastWriteTimeUtc.Ticks;
        var index = ActivityIndex.For(storageRoot);
        if (index.Owner(fileId) is { Exists: true, Trusted: true } known && known.Length == length && known.MtimeTicks == mtime) return known;
        string? peer;
        try
        {
            peer = JsonText.Parse(File.ReadAllBytes(info.FullName)) is JsonObject m && m["source_peer_id"] is JsonValue v
                && v.GetValueKind() == System.Text.Json.JsonValueKind.String ? v.GetValue<string>() : null;
        }
        catch (AukiException) { peer = null; }
        catch (IOException) { return new IndexedOwner(true, length, mtime, false, null); } // not kept: looked at again next time
        var owner = new IndexedOwner(true, length, mtime, ExtentCache.IsSettled(mtime), peer);
        index.SetOwner(fileId, owner);
        return owner;
    }
}
