using Auki.Inspect;

namespace Auki.Foxglove;

/// <summary>
/// What the Foxglove channels of a log need beyond the log itself: the mapping of its clock to the
/// times messages are stamped with (Unix-epoch ns for Foxglove). An export makes one per log from
/// one <see cref="WallClock"/>; <see cref="Of(TypedLog)"/> finds it for a single log.
/// </summary>
public sealed class FoxgloveContext
{
    /// <summary>The log's clock → message times (log_time and each message's <c>timestamp</c>).</summary>
    public ClockMapping Clock { get; init; } = ClockMapping.AsRecorded();

    /// <summary>Readings kept as recorded (<c>--time monotonic</c>).</summary>
    public static FoxgloveContext AsRecorded { get; } = new();

    /// <summary>The context of one log: its clock mapped to UTC through its store (read from the log's root).</summary>
    public static FoxgloveContext Of(TypedLog log) => new() { Clock = WallClock.Of(RootOf(log.Log)).For(log.Log) };

    /// <summary>The storage root a walker-described log lies under (its directory without its file id).</summary>
    public static string RootOf(StoreLog log)
    {
        string dir = Path.TrimEndingDirectorySeparator(Path.GetFullPath(log.Directory));
        string fileId = Path.DirectorySeparatorChar + log.FileId.Replace('/', Path.DirectorySeparatorChar);
        if (dir.EndsWith(fileId, StringComparison.Ordinal)) return dir[..^fileId.Length];
        return Path.GetDirectoryName(dir) ?? dir;
    }
}
