using System.Globalization;
using System.Text.Json.Nodes;
using Auki.Datatypes;
using Auki.Inspect;
using Auki.Logs;
using Auki.Registry;

namespace Auki.Foxglove;

/// <summary>
/// Maps each recorded log's clock to Unix-epoch nanoseconds, which is what Foxglove places
/// messages by: a UTC clock directly (shifted when its <c>epoch</c> is not 1970-01-01); any other
/// clock through a time-transform log of the store that relates it to a UTC clock (either
/// direction); else the readings stay as they are (<see cref="WallClockBasis.AsRecorded"/>, with
/// a description saying why, which <c>auki export</c> prints).
/// </summary>
/// <remarks>
/// A first UTC/monotonic pair recorded at <c>start_session</c> would be the next fallback, but
/// upstream's layout has no place for one: the two clocks start_session registers are
/// content-addressed entries whose bytes (and hashes) are pinned, the session directory only
/// appears with the first log, and an extra time-transform log would be a catalog row upstream
/// never writes. So nothing is recorded; a program that wants wall-clock times registers a
/// time-transform log (<c>monotonic-&gt;utc</c>, source <c>local_clock_read</c>) and appends
/// (reading, utc − reading) samples to it.
/// A mapping is a snapshot of the time-transform samples present when it was made.
/// </remarks>
public sealed class WallClock
{
    private readonly StoreWalker.RegistryCache _registry;
    private readonly IReadOnlyList<StoreLog> _transforms;
    private readonly Dictionary<RegistryRef, ClockMapping> _byClock = new();

    private WallClock(string root, IReadOnlyList<StoreLog> logs)
    {
        _registry = new StoreWalker.RegistryCache(root);
        _transforms = logs.Where(l => l.Kind == "time_transform").ToList();
    }

    /// <summary>The wall clock of the store at <paramref name="root"/> (finds its time-transform logs once).</summary>
    public static WallClock Of(string root) => new(root, StoreWalker.Logs(root, scanSegments: false));

    /// <summary>The wall clock of a store whose logs are already listed.</summary>
    public static WallClock Of(string root, IReadOnlyList<StoreLog> logs) => new(root, logs);

    /// <summary>
    /// <paramref name="log"/>'s readings → Unix-epoch ns, for one log of the store at
    /// <paramref name="root"/> (the live server's entry point).
    /// </summary>
    public static Func<long, long> Mapping(string root, StoreLog log) => Of(root).For(log).AsFunc();

    /// <summary>How the readings of <paramref name="log"/> map to Unix-epoch ns.</summary>
    public ClockMapping For(StoreLog log)
    {
        if (log.ClockRef is null) return ClockMapping.AsRecorded("no clock in the manifest: kept as recorded");
        return For(log.ClockRef);
    }

    /// <summary>How readings of <paramref name="clock"/> map to Unix-epoch ns.</summary>
    public ClockMapping For(RegistryRef clock)
    {
        if (_byClock.TryGetValue(clock, out var known)) return known;
        var mapping = Find(clock);
        _byClock[clock] = mapping;
        return mapping;
    }

    private ClockMapping Find(RegistryRef clock)
    {
        var entry = _registry.Entry(RegistryKind.Clock, clock);
        if (entry is null) return ClockMapping.AsRecorded($"clock {clock.Id} is not in the registry: kept as recorded");
        if (UtcOffset(entry) is long offset)
            return ClockMapping.Offset(offset, WallClockBasis.UtcClock, $"utc clock {clock.Id}");
        foreach (var log in _transforms)
        {
            var from = StoreWalker.RefField(log.Manifest ?? log.LogManifest, "from_clock");
            var to = StoreWalker.RefField(log.Manifest ?? log.LogManifest, "to_clock");
            if (from is null || to is null) continue;
            bool forward = from == clock && IsUtc(to);
            bool backward = to == clock && IsUtc(from);
            if (!forward && !backward) continue;
            long utcOffset = UtcOffset(_registry.Entry(RegistryKind.Clock, forward ? to : from)!) ?? 0;
            var samples = Samples(log, forward, utcOffset);
            if (samples.Count == 0) continue;
            return ClockMapping.Through(samples, WallClockBasis.TimeTransform,
                $"time transform {log.ResourceId} ({samples.Count} sample{(samples.Count == 1 ? "" : "s")})");
        }
        string type = StoreWalker.StringField(entry, "type") ?? "clock";
        return ClockMapping.AsRecorded($"{type} {clock.Id} has no time transform to a utc clock: kept as recorded");
    }

    private bool IsUtc(RegistryRef clock) => _registry.Entry(RegistryKind.Clock, clock) is { } e && UtcOffset(e) is not null;

    /// <summary>
    /// (reading of the mapped clock, offset to UTC) from a time-transform log's entries, whose
    /// timestamps are from-clock readings and offset_ns = to − from.
    /// </summary>
    private static List<(long, long)> Samples(StoreLog log, bool forward, long utcEpochOffset)
    {
        var samples = new List<(long, long)>();
        if (!log.HasLogManifest) return samples;
        try
        {
            var reader = LogReader.Open(log.Directory);
            using var cursor = reader.OpenCursor();
            while (cursor.TryNext(out long ts, out var payload))
            {
                long offset;
                try { offset = TimeTransformOffset(payload); }
                catch (FormatException) { continue; } // not a TimeTransformEntry: `auki verify --payloads` reports it
                // forward: utc = reading + offset; backward: reading = utc + offset, so utc = reading − offset.
                if (forward) samples.Add((ts, offset + utcEpochOffset));
                else samples.Add((ts + offset, -offset + utcEpochOffset));
            }
        }
        catch (AukiException)
        {
            // An unreadable transform log maps nothing; the clock falls back to "as recorded".
        }
        return samples;
    }

    /// <summary>offset_ns (field 1, int64) of a TimeTransformEntry.</summary>
    internal static long TimeTransformOffset(ReadOnlySpan<byte> payload)
    {
        var reader = new WireReader(payload);
        long offset = 0;
        while (!reader.AtEnd)
        {
            ulong key = reader.Varint();
            if (key == (1 << 3 | 0)) offset = (long)reader.Varint();
            else reader.Skip((int)(key & 7));
        }
        return offset;
    }

    /// <summary>For a UTC clock entry in nanoseconds, the ns to add to its readings to get Unix time; else null.</summary>
    internal static long? UtcOffset(JsonObject entry)
    {
        if (StoreWalker.StringField(entry, "type") != "utc_clock") return null;
        string unit = StoreWalker.StringField(entry, "unit") ?? "ns";
        if (unit is not ("ns" or "nanoseconds")) return null;
        string? epoch = StoreWalker.StringField(entry, "epoch");
        if (epoch is null) return 0;
        if (!DateTimeOffset.TryParse(epoch, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant)) return null;
        return (instant - DateTimeOffset.UnixEpoch).Ticks * 100;
    }
}
