namespace Auki.Logs;

/// <summary>What kind of damage <see cref="SegmentScanner"/> found.</summary>
public enum SegmentProblemKind
{
    /// <summary>The file does not start with <c>AKLG</c>.</summary>
    BadMagic = 1,
    /// <summary>The header names a version this engine cannot read.</summary>
    UnsupportedVersion = 2,
    /// <summary>The header's start_ns differs from the one in the file name.</summary>
    StartMismatch = 3,
    /// <summary>A v2 entry (not the last one) whose CRC32C does not match its bytes.</summary>
    ChecksumMismatch = 4,
    /// <summary>An entry with a negative timestamp (the writer never produces one).</summary>
    NegativeTimestamp = 5,
    /// <summary>An entry whose timestamp is smaller than the one before it in the file.</summary>
    TimestampOutOfOrder = 6,
    /// <summary>The file could not be opened or read.</summary>
    Unreadable = 7,
    /// <summary>
    /// Bytes that are not an entry where a torn write cannot be: the segment ends inside an entry
    /// although a newer segment exists, or (v2) an entry runs past the end but intact entries follow it.
    /// </summary>
    DamagedEntry = 8,
}

/// <summary>One finding of a scan: what, where (byte offset in the file), and a sentence for people.</summary>
/// <param name="Kind">The kind of damage.</param>
/// <param name="Offset">Byte offset of the header or entry concerned.</param>
/// <param name="Message">A human-readable description naming the offset.</param>
public readonly record struct SegmentProblem(SegmentProblemKind Kind, long Offset, string Message);
