using Auki.Inspect;

namespace Auki.Foxglove.Live;

/// <summary>
/// The log time a live message is stamped with, from its entry's timestamp. The one place that
/// decides it: today the entry timestamp as recorded (the log's own clock); the wall-clock mapping
/// the MCAP export uses (issue 12, item 2) belongs here so live and recorded data line up.
/// </summary>
public static class LiveLogTime
{
    /// <summary>The mapping for the entries of <paramref name="log"/>, chosen once when the server starts following it.</summary>
    public static Func<long, long> For(TypedLog log) => AsRecorded;

    private static long AsRecorded(long entryTimestampNs) => entryTimestampNs;
}
