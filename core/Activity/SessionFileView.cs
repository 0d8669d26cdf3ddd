using System.Text.Json.Nodes;

namespace Auki.Activity;

/// <summary>
/// One row of a session's file listing (Roboto's <c>SessionFileView</c>): the contribution as
/// held, plus read-only projections of the recorded log resolved at listing time. When the
/// log is gone from disk, <see cref="File"/> is null and every projection is null.
/// </summary>
public sealed record SessionFileView(Contribution Contribution, RecordedFile? File, LogSummary Summary)
{
    /// <summary>
    /// <c>{file_id, range_min_timestamp_ns, range_max_timestamp_ns, added_ns, added_by, unix_offset_ns, name,
    /// relative_path, size, source_peer_id, resource_id, topic_id, boot_session_id,
    /// min_timestamp_ns, max_timestamp_ns, modified_ns}</c>; <c>name</c> is the last path segment,
    /// <c>size</c> the bytes of its segment files, <c>min/max_timestamp_ns</c> its data extent now,
    /// <c>modified_ns</c> the last write of its data.
    /// </summary>
    public JsonObject ToJson()
    {
        var c = Contribution;
        string id = c.File.FileId;
        var extent = File is null ? null : Summary.Extent;
        return new JsonObject
        {
            ["file_id"] = id,
            ["range_min_timestamp_ns"] = c.File.RangeMinTimestampNs,
            ["range_max_timestamp_ns"] = c.File.RangeMaxTimestampNs,
            ["added_ns"] = c.CreatedNs,
            ["added_by"] = c.CreatedBy,
            ["unix_offset_ns"] = c.UnixOffsetNs,
            ["name"] = id[(id.LastIndexOf('/') + 1)..],
            ["relative_path"] = id,
            ["size"] = File is null ? null : Summary.Bytes,
            ["source_peer_id"] = File?.SourcePeerId,
            ["resource_id"] = File?.ResourceId,
            ["topic_id"] = File?.TopicId,
            ["boot_session_id"] = File is null || File.BootSessionId.Length == 0 ? null : File.BootSessionId,
            ["min_timestamp_ns"] = extent?.Min,
            ["max_timestamp_ns"] = extent?.Max,
            ["modified_ns"] = File is null ? null : Summary.LastWriteNs,
        };
    }
}
