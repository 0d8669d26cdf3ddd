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

    /// <summary>
    /// The context of one log: its clock mapped to UTC through its store (read from the log's root;
    /// this lists the store, so for many logs make one <see cref="WallClock"/> and use the overload).
    /// </summary>
    public static FoxgloveContext Of(TypedLog log) => Of(log, WallClock.Of(RootOf(log.Log)));

    /// <summary>The context of one log of the store <paramref name="clock"/> was made for.</summary>
    public static FoxgloveContext Of(TypedLog log, WallClock clock) => new() { Clock = clock.For(log.Log) };

    /// <summary>The storage root a walker-described log lies under (its directory without its file id).</summary>
    public static string RootOf(StoreLog log)
    {
        string dir = Path.TrimEndingDirectorySeparator(Path.GetFullPath(log.Directory));
        string fileId = Path.DirectorySeparatorChar + log.FileId.Replace('/', Path.DirectorySeparatorChar);
        if (dir.EndsWith(fileId, StringComparison.Ordinal)) return dir[..^fileId.Length];
        return Path.GetDirectoryName(dir) ?? dir;
    }
}
