using Auki.Foxglove;

namespace Auki.Core.Tests.Foxglove;

/// <summary>Clock readings to output times: interpolation between samples, order kept, exact preimages.</summary>
public class ClockMappingTests
{
    private static ClockMapping Through(params (long, long)[] samples) => ClockMapping.Through(samples, WallClockBasis.TimeTransform, "test");

    [Fact]
    public void Offsets_are_interpolated_between_samples_and_held_before_and_after()
    {
        var m = Through((1_000, 1_000_000), (3_000, 1_000_400));
        Assert.Equal(500 + 1_000_000, m.Map(500));       // before the first sample: its offset
        Assert.Equal(1_000 + 1_000_000, m.Map(1_000));
        Assert.Equal(2_000 + 1_000_200, m.Map(2_000));   // half way: half the drift
        Assert.Equal(2_500 + 1_000_300, m.Map(2_500));
        Assert.Equal(9_000 + 1_000_400, m.Map(9_000));   // after the last: its offset
    }

    [Fact]
    public void Unix_nanoseconds_of_today_interpolate_exactly_without_overflow()
    {
        const long offset = 1_764_000_000_000_000_000;
        var m = Through((500_000_000, offset), (4_500_000_000, offset + 4_000));
        Assert.Equal(1_000_000_000 + offset + 500, m.Map(1_000_000_000));
        Assert.Equal(long.MaxValue, m.Map(long.MaxValue)); // saturates, never wraps
    }

    [Fact]
    public void A_clock_stepped_back_never_maps_a_later_reading_earlier()
    {
        var m = Through((0, 1_000), (10, 0), (20, 0)); // the offset drops by more than the samples are apart
        long previous = long.MinValue;
        for (long t = -5; t <= 30; t++)
        {
            Assert.True(m.Map(t) >= previous, $"{t}");
            previous = m.Map(t);
        }
    }

    [Fact]
    public void The_preimage_of_an_output_window_is_exactly_the_readings_mapping_into_it()
    {
        var random = new Random(7);
        for (int trial = 0; trial < 50; trial++)
        {
            var samples = Enumerable.Range(0, random.Next(1, 5))
                .Select(i => ((long)random.Next(0, 1000), (long)random.Next(-500, 500))).ToArray();
            var m = Through(samples);
            long lo = random.Next(-600, 1600), hi = lo + random.Next(0, 400);
            var (first, last) = m.Preimage(lo, hi);
            for (long t = -1200; t <= 2200; t++)
                Assert.Equal(m.Map(t) >= lo && m.Map(t) <= hi, t >= first && t <= last);
        }
    }

    [Fact]
    public void As_recorded_is_the_identity()
    {
        var m = ClockMapping.AsRecorded();
        Assert.True(m.IsIdentity);
        Assert.Equal(-3, m.Map(-3));
        Assert.Equal((5L, 9L), m.Preimage(5, 9));
        Assert.Equal(42, m.AsFunc()(42));
    }
}
