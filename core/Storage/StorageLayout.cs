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
        return Path.Combine(root, RegistriesDirectoryName, kindDirectory, RegistryId.PathSegment(peerId), RegistryId.PathSegment(id));
    }

    /// <summary>
    /// One version of a registry entry:
    /// <c>&lt;root&gt;/registries/&lt;kind&gt;/&lt;seg(peer_id)&gt;/&lt;seg(id)&gt;/&lt;hash&gt;.json</c> — the file
    /// <c>RegistryStore</c> writes and reads, and <c>auki_layout.registry_entry_path</c> names.
    /// </summary>
    public static string RegistryEntryPath(string root, string kindDirectory, string peerId, string id, string hash)
    {
        PathId.Validate(hash, "hash", PathId.Form.Single);
        return Path.Combine(RegistryEntryDirectory(root, kindDirectory, peerId, id), hash + ".json");
    }

    /// <summary>
    /// A SHA-256-addressed blob (URDF files, meshes): <c>&lt;root&gt;/blobs/&lt;sha256&gt;</c>, upstream
    /// auki-layout's <c>blob_path</c> — beside <c>registries/</c>, not in it, and shared by every peer.
    /// The caller has checked <paramref name="sha256"/> is 64 lowercase hex characters.
    /// </summary>
    public static string BlobPath(string root, string sha256)
    {
        PathId.Validate(sha256, "sha256", PathId.Form.Single);
        return Path.Combine(BlobsRoot(root), sha256);
    }

    /// <summary><c>&lt;root&gt;/blobs</c>, upstream auki-layout's <c>blobs_root</c>.</summary>
    public static string BlobsRoot(string root) => Path.Combine(root, BlobsDirectoryName);

    /// <summary>Name of the blob directory under an app root.</summary>
    public const string BlobsDirectoryName = "blobs";

    /// <summary>The directory holding every device model of one peer: <c>&lt;root&gt;/registries/device_models/&lt;seg(peer_id)&gt;</c>.</summary>
    public static string DeviceModelsPeerDirectory(string root, string peerId)
    {
        PathId.Validate(peerId, "peer id", PathId.Form.Flattened);
        return Path.Combine(root, RegistriesDirectoryName, "device_models", RegistryId.PathSegment(peerId));
    }

    /// <summary>The session manifest of a log (<c>&lt;log_root&gt;/manifest.json</c>), written by log registration.</summary>
    public static string LogManifestPath(string logRoot) => Path.Combine(logRoot, ManifestFileName);

    /// <summary>File name of a log's session manifest (auki-manifests JSON).</summary>
    public const string ManifestFileName = "manifest.json";

    /// <summary>
    /// The directory a recorded file id names (<c>&lt;session_id&gt;/logs/&lt;peer&gt;/&lt;resource_id&gt;</c> or
    /// <c>logs/&lt;peer&gt;/&lt;resource_id&gt;</c>, relative to the root, <c>/</c>-separated).
    /// </summary>
    public static string FileDirectory(string root, string fileId)
    {
        PathId.Validate(fileId, "file id");
        return Path.Combine(root, Path.Combine(fileId.Split('/')));
    }

    // ---- auki-layout's helpers (the pre-#216 session layout, upstream's auki_layout module) ----
    // Upstream's signatures and results, kept so programs written for auki_layout run unchanged;
    // unlike upstream, every id is checked by PathId first, so none can name a path outside the root.

    /// <summary><c>&lt;app_root&gt;/registries</c>.</summary>
    public static string RegistriesRoot(string appRoot) => Path.Combine(appRoot, RegistriesDirectoryName);

    /// <summary>Name of the registries directory under an app root.</summary>
    public const string RegistriesDirectoryName = "registries";

    /// <summary>auki-layout's registry file without a peer segment: <c>&lt;app_root&gt;/registries/&lt;kind&gt;/&lt;seg(id)&gt;/&lt;hash&gt;.json</c>.</summary>
    public static string LegacyRegistryEntryPath(string appRoot, string kindDirectory, string id, string hash, string idField)
    {
        PathId.Validate(id, idField, PathId.Form.Flattened);
        PathId.Validate(hash, "hash", PathId.Form.Single);
        return Path.Combine(RegistriesRoot(appRoot), kindDirectory, IdToSegment(id), hash + ".json");
    }

    /// <summary><c>&lt;app_root&gt;/&lt;session&gt;</c>.</summary>
    public static string SessionRoot(string appRoot, string session)
    {
        PathId.Validate(session, "session id", PathId.Form.Single);
        return Path.Combine(appRoot, session);
    }

    /// <summary><c>&lt;session_root&gt;/timetransform_logs/&lt;seg(from)&gt;__&lt;seg(to)&gt;</c>.</summary>
    public static string TimeTransformLogPath(string sessionRoot, string fromId, string toId) =>
        PairDirectory(sessionRoot, "timetransform_logs", fromId, "from_id", toId, "to_id");

    /// <summary><c>&lt;session_root&gt;/sensorlogs/&lt;sensor_log_id&gt;</c>; the log id is used as given (nested on <c>/</c>).</summary>
    public static string SensorLogPath(string sessionRoot, string sensorLogId)
    {
        PathId.Validate(sensorLogId, "sensor_log_id");
        return Path.Combine(sessionRoot, "sensorlogs", sensorLogId);
    }

    /// <summary><c>&lt;session_root&gt;/poselogs/&lt;seg(from)&gt;__&lt;seg(to)&gt;</c>.</summary>
    public static string PoseLogPath(string sessionRoot, string fromFrameId, string toFrameId) =>
        PairDirectory(sessionRoot, "poselogs", fromFrameId, "from_frame_id", toFrameId, "to_frame_id");

    /// <summary><c>&lt;session_root&gt;/detection_logs/&lt;seg(detector)&gt;__&lt;seg(input_log)&gt;</c>.</summary>
    public static string DetectionLogPath(string sessionRoot, string detectorId, string inputLogId) =>
        PairDirectory(sessionRoot, "detection_logs", detectorId, "detector_id", inputLogId, "input_log_id");

    /// <summary>auki-layout's <c>id_to_segment</c>: every <c>/</c> becomes <c>__</c>, nothing else changes.</summary>
    public static string IdToSegment(string id) => RegistryId.PathSegment(id);

    private static string PairDirectory(string sessionRoot, string directory, string left, string leftField, string right, string rightField)
    {
        PathId.Validate(left, leftField, PathId.Form.Flattened);
        PathId.Validate(right, rightField, PathId.Form.Flattened);
        string name = IdToSegment(left) + "__" + IdToSegment(right);
        // Both halves fit NAME_MAX alone; together they may not, and the joined name is one directory.
        if (System.Text.Encoding.UTF8.GetByteCount(name) > PathId.MaxSegmentBytes)
            throw AukiException.Invalid($"invalid {leftField} {RustDebug.Str(left)}: with {rightField} the directory name is longer than {PathId.MaxSegmentBytes} bytes");
        return Path.Combine(sessionRoot, directory, name);
    }
}
