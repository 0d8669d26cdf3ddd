using System.Text.Json.Nodes;

namespace Auki.Catalog;

/// <summary>
/// The catalog's <c>available</c> block for one log directory. Until the log engine lands this
/// only reports an empty log; it is the single place that will read the data on disk.
/// </summary>
public readonly record struct LogAvailability(ulong Bytes, ulong Entries, long FirstNs, long LastNs, bool Sealed)
{
    /// <summary>Span of the data held: last minus first timestamp (0 for fewer than two entries).</summary>
    public long DurationNs => Entries > 1 ? LastNs - FirstNs : 0;

    /// <summary><c>{"bytes","entries","duration_ns"}</c>.</summary>
    public JsonObject ToJson() => new() { ["bytes"] = Bytes, ["entries"] = Entries, ["duration_ns"] = DurationNs };

    /// <summary>Measure the log at <paramref name="logRoot"/>.</summary>
    public static LogAvailability Measure(string logRoot) => default;
}
