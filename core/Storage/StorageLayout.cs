using Auki.Ids;

namespace Auki.Storage;

/// <summary>
/// Where each thing lives under a storage root, and the only place ids are joined into paths:
/// every id passes <see cref="PathId"/> here, before any caller can touch a file, so neither a
/// local caller nor a remote peer can name a path outside the root.
/// </summary>
public static class StorageLayout
{
    /// <summary>Name of the directory that holds the logs of a boot session (or, era A, of the root).</summary>
    public const string LogsDirectoryName = "logs";

    /// <summary>
    /// A log's directory: <c>&lt;root&gt;/&lt;session_id&gt;/logs/&lt;peer_id&gt;/&lt;resource_id&gt;</c>, or
    /// <c>&lt;root&gt;/logs/&lt;peer_id&gt;/&lt;resource_id&gt;</c> without a session (era A logs and
    /// materialized copies). <c>/</c> in a peer or resource id nests directories, as upstream does.
    /// </summary>
    public static string LogRoot(string root, string? sessionId, string peerId, string resourceId)
    {
        PathId.Validate(peerId, "peer id");
        PathId.Validate(resourceId, "resource id");
        return sessionId is null
            ? Path.Combine(root, LogsDirectoryName, peerId, resourceId)
            : Path.Combine(RecordingLogs(root, sessionId), peerId, resourceId);
    }

    /// <summary>The <c>logs</c> directory of one boot session: <c>&lt;root&gt;/&lt;session_id&gt;/logs</c>.</summary>
    public static string RecordingLogs(string root, string sessionId)
    {
        PathId.Validate(sessionId, "session id", PathId.Form.Single);
        return Path.Combine(root, sessionId, LogsDirectoryName);
    }

    /// <summary>
    /// The directory of all versions of one registry id:
    /// <c>&lt;root&gt;/registries/&lt;kind&gt;/&lt;seg(peer_id)&gt;/&lt;seg(id)&gt;</c>, <c>seg</c> turning <c>/</c> into <c>__</c>.
    /// </summary>
    public static string RegistryEntryDirectory(string root, string kindDirectory, string peerId, string id)
    {
        PathId.Validate(peerId, "peer id", PathId.Form.Flattened);
        PathId.Validate(id, "registry id", PathId.Form.Flattened);
        return Path.Combine(root, "registries", kindDirectory, RegistryId.PathSegment(peerId), RegistryId.PathSegment(id));
    }

    /// <summary>
    /// The directory a recorded file id names (<c>&lt;session_id&gt;/logs/&lt;peer&gt;/&lt;resource_id&gt;</c> or
    /// <c>logs/&lt;peer&gt;/&lt;resource_id&gt;</c>, relative to the root, <c>/</c>-separated).
    /// </summary>
    public static string FileDirectory(string root, string fileId)
    {
        PathId.Validate(fileId, "file id");
        return Path.Combine(root, Path.Combine(fileId.Split('/')));
    }
}
