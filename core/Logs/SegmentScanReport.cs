namespace Auki.Logs;

/// <summary>
/// What <see cref="SegmentScanner.Scan"/> learned about one segment file. Counts cover complete,
/// intact entries only; a torn tail (a crash mid-write) is reported by <see cref="TornTail"/> and
/// is not a problem, because readers and the next writer handle it.
/// </summary>
public sealed class SegmentScanReport
{
    /// <summary>The scanned file.</summary>
    public required string Path { get; init; }

    /// <summary>Format version from the header; 0 when the header is missing or unreadable.</summary>
    public ushort Version { get; init; }

    /// <summary>start_ns from the header; null when the header is incomplete.</summary>
    public long? StartNs { get; init; }

    /// <summary>File size in bytes, header and any torn tail included.</summary>
    public long FileBytes { get; init; }

    /// <summary>Complete entries (those with a bad checksum mid-file excluded).</summary>
    public long Entries { get; init; }

    /// <summary>Sum of the payload lengths of <see cref="Entries"/>.</summary>
    public long PayloadBytes { get; init; }

    /// <summary>Timestamp of the first complete entry; null when there is none.</summary>
    public long? FirstTimestampNs { get; init; }

    /// <summary>Timestamp of the last complete entry; null when there is none.</summary>
    public long? LastTimestampNs { get; init; }

    /// <summary>
    /// Length of the file's readable prefix: the end of the last complete entry (the header size
    /// for a header-only file, 0 when even the header is cut short).
    /// </summary>
    public long ValidLength { get; init; }

    /// <summary>True when bytes after <see cref="ValidLength"/> hold a cut-short or (v2) corrupt final entry or header.</summary>
    public bool TornTail { get; init; }

    /// <summary>True when the file is shorter than a header (being created, or cut by a crash).</summary>
    public bool HeaderIncomplete { get; init; }

    /// <summary>Damage that readers would report as an error, with offsets.</summary>
    public required IReadOnlyList<SegmentProblem> Problems { get; init; }

    /// <summary>No problems (a torn tail alone is healthy: it is cleaned up on the next open for writing).</summary>
    public bool IsHealthy => Problems.Count == 0;
}
