namespace Auki.Activity;

/// <summary>
/// One contribution of a recorded file to an activity session (Roboto's <c>SessionFile</c>):
/// the whole file, or only the inclusive window [min, max] of its timestamps.
/// </summary>
public sealed record SessionFile(string FileId, long? RangeMinTimestampNs = null, long? RangeMaxTimestampNs = null)
{
    /// <summary>Both bounds or neither, min &lt;= max (equal allowed); InvalidArgument otherwise.</summary>
    public void Validate()
    {
        if (string.IsNullOrEmpty(FileId)) throw AukiException.Invalid("file_id must not be empty");
        RecordedFile.ParseId(FileId);
        if (RangeMinTimestampNs.HasValue != RangeMaxTimestampNs.HasValue)
            throw AukiException.Invalid("range_min_timestamp_ns and range_max_timestamp_ns must be given together or not at all");
        if (RangeMinTimestampNs > RangeMaxTimestampNs)
            throw AukiException.Invalid($"range_min_timestamp_ns ({RangeMinTimestampNs}) must be <= range_max_timestamp_ns ({RangeMaxTimestampNs})");
    }

    /// <summary>True when the contribution is narrowed to a window.</summary>
    public bool IsWindowed => RangeMinTimestampNs.HasValue;
}
