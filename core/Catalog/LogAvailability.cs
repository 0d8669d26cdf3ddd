using System.Text.Json.Nodes;

namespace Auki.Catalog;

/// <summary>
/// The catalog's <c>available</c> block for one log directory, measured from the data on disk.
/// </summary>
public readonly record struct LogAvailability(ulong Bytes, ulong Entries, long FirstNs, long LastNs, bool Sealed)
{
    /// <summary>Span of the data held: last minus first timestamp (0 for fewer than two entries).</summary>
    public long DurationNs => Entries > 1 ? LastNs - FirstNs : 0;

    /// <summary><c>{"bytes","entries","duration_ns"}</c>.</summary>
    public JsonObject ToJson() => new() { ["bytes"] = Bytes, ["entries"] = Entries, ["duration_ns"] = DurationNs };

    /// <summary>
    /// The availability of a declared (or materialized) log: from the counters of the writer this
    /// process runs for it (O(1)), else measured from its segments (logs written elsewhere, closed
    /// logs); a sealed log is measured once.
    /// </summary>
    public static LogAvailability Of(Sessions.LogHandle handle)
    {
        if (handle.SealedAvailability is { } done) return done.Value;
        var live = handle.LiveStats is { } source ? source() : handle.Data.WrittenStats();
        if (live is Logs.LogStats s)
            return new LogAvailability((ulong)s.Bytes, (ulong)s.Entries, s.FirstTimestampNs ?? 0, s.LastTimestampNs ?? 0, false);
        var measured = Measure(handle.Root);
        if (measured.Sealed) handle.SealedAvailability = new System.Runtime.CompilerServices.StrongBox<LogAvailability>(measured);
        return measured;
    }

    /// <summary>
    /// Measure the log at <paramref name="logRoot"/> from its segments (data still in a writer's
    /// buffer is not counted until flushed); a sealed log reports the extent it was sealed with.
    /// </summary>
    public static LogAvailability Measure(string logRoot)
    {
        if (!File.Exists(Path.Combine(logRoot, "log_manifest.json"))) return default;
        var stats = Logs.LogStats.Compute(logRoot);
        bool isSealed = File.Exists(Path.Combine(logRoot, Sessions.LogData.SealedFileName));
        return new LogAvailability((ulong)stats.Bytes, (ulong)stats.Entries, stats.FirstTimestampNs ?? 0, stats.LastTimestampNs ?? 0, isSealed && stats.Entries > 0);
    }
}
