namespace Auki.Foxglove;

/// <summary>What a log's timestamps are mapped through to reach Unix-epoch nanoseconds.</summary>
public enum WallClockBasis
{
    /// <summary>Kept as recorded: asked for (<c>--time monotonic</c>), or a clock with no known way to UTC.</summary>
    AsRecorded,
    /// <summary>The log's clock is a UTC clock: its readings are Unix-epoch times (shifted if its epoch is another instant).</summary>
    UtcClock,
    /// <summary>A time-transform log between the log's clock and a UTC clock: offsets interpolated between its samples.</summary>
    TimeTransform,
}

/// <summary>
/// A mapping of one log's clock readings to the times an export or a live server stamps its
/// messages with. Non-decreasing by construction (a later reading never maps earlier), so entries
/// keep their order and a window of output times has one window of readings (<see cref="Preimage"/>).
/// </summary>
/// <remarks>
/// Between two samples of a time transform the offset is interpolated linearly; before the first
/// and after the last it is held. Knots that would step backwards (a clock stepped back further
/// than the samples are apart) are held at the previous time instead.
/// </remarks>
public sealed class ClockMapping
{
    private readonly long[] _from;
    private readonly long[] _to;

    private ClockMapping(WallClockBasis basis, string description, long[] from, long[] to)
    {
        Basis = basis;
        Description = description;
        _from = from;
        _to = to;
    }

    /// <summary>Readings kept as they are.</summary>
    public static ClockMapping AsRecorded(string description = "as recorded") => new(WallClockBasis.AsRecorded, description, [], []);

    /// <summary>Readings shifted by a constant (a UTC clock: 0, or its epoch's distance from 1970).</summary>
    public static ClockMapping Offset(long offsetNs, WallClockBasis basis, string description) =>
        new(basis, description, [0], [offsetNs]);

    /// <summary>
    /// Through samples (reading, offset to add) ordered by reading, e.g. a time-transform log's
    /// entries (timestamp, <c>offset_ns</c>). At least one sample.
    /// </summary>
    public static ClockMapping Through(IReadOnlyList<(long Reading, long OffsetNs)> samples, WallClockBasis basis, string description)
    {
        if (samples.Count == 0) throw new ArgumentException("a mapping needs at least one sample", nameof(samples));
        var from = new List<long>(samples.Count);
        var to = new List<long>(samples.Count);
        foreach (var (reading, offset) in samples.OrderBy(s => s.Reading))
        {
            long mapped = Saturate((Int128)reading + offset);
            if (from.Count > 0 && reading == from[^1]) { to[^1] = Math.Max(to[^1], mapped); continue; }
            from.Add(reading);
            to.Add(to.Count > 0 ? Math.Max(mapped, to[^1]) : mapped);
        }
        return new(basis, description, [.. from], [.. to]);
    }

    /// <summary>Where the mapping comes from.</summary>
    public WallClockBasis Basis { get; }

    /// <summary>One line for a user: which clock, through what (<c>utc clock galbot/…/utc</c>, <c>time transform …</c>).</summary>
    public string Description { get; }

    /// <summary>True when readings are kept unchanged.</summary>
    public bool IsIdentity => _from.Length == 0 || (_from.Length == 1 && _to[0] == _from[0]);

    /// <summary>The output time of the reading <paramref name="readingNs"/> (saturating at the long range).</summary>
    public long Map(long readingNs)
    {
        if (_from.Length == 0) return readingNs;
        if (readingNs <= _from[0]) return Saturate((Int128)readingNs + (_to[0] - (Int128)_from[0]));
        int last = _from.Length - 1;
        if (readingNs >= _from[last]) return Saturate((Int128)readingNs + (_to[last] - (Int128)_from[last]));
        int i = Array.BinarySearch(_from, readingNs);
        if (i >= 0) return _to[i];
        int hi = ~i, lo = hi - 1;
        // Linear between the knots, exact in 128-bit integers.
        Int128 span = (Int128)_from[hi] - _from[lo];
        Int128 rise = (Int128)_to[hi] - _to[lo];
        return Saturate(_to[lo] + rise * ((Int128)readingNs - _from[lo]) / span);
    }

    /// <summary>The mapping as a function (what the live server stamps messages with).</summary>
    public Func<long, long> AsFunc() => Map;

    /// <summary>
    /// The readings whose output times fall in [<paramref name="lo"/>, <paramref name="hi"/>]:
    /// [first, last], empty when first &gt; last. Exact, because the mapping never decreases.
    /// </summary>
    public (long First, long Last) Preimage(long lo, long hi)
    {
        if (IsIdentity) return (lo, hi);
        long first = FirstAtLeast(lo);
        long last = hi == long.MaxValue ? long.MaxValue : FirstAtLeast(hi + 1) - 1;
        if (Map(long.MaxValue) <= hi) last = long.MaxValue;
        return (first, last);
    }

    // The smallest reading mapping to >= target (long.MaxValue when none does; a caller's range is then empty).
    private long FirstAtLeast(long target)
    {
        if (Map(long.MinValue) >= target) return long.MinValue;
        if (Map(long.MaxValue) < target) return long.MaxValue;
        Int128 lo = long.MinValue, hi = long.MaxValue; // Map(lo) < target <= Map(hi)
        while (hi - lo > 1)
        {
            long mid = (long)((lo + hi) / 2);
            if (Map(mid) >= target) hi = mid; else lo = mid;
        }
        return (long)hi;
    }

    private static long Saturate(Int128 value) =>
        value > long.MaxValue ? long.MaxValue : value < long.MinValue ? long.MinValue : (long)value;
}
