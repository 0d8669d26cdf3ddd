using Auki.Logs;

namespace Auki.Core.Tests.Logs;

/// <summary>
/// Crash recovery. A real SIGKILL of a .NET child is replaced by its on-disk effect: complete
/// entries followed by an entry cut at every possible byte, which is all a killed writer can leave.
/// </summary>
public class TornTailTests
{
    private static readonly (long, byte[])[] Good = [(100, Bytes.Of("hello")), (200, Bytes.Of("world"))];

    public static TheoryData<int> CutPoints()
    {
        // Cut inside the third entry: in its timestamp, its length, and its payload.
        var data = new TheoryData<int>();
        foreach (int cut in new[] { 1, 7, 8, 11, 12, 13, 20 }) data.Add(cut);
        return data;
    }

    [Theory]
    [MemberData(nameof(CutPoints))]
    public void Reader_ends_a_segment_cleanly_at_a_torn_entry(int cut)
    {
        using var log = new TempLog();
        WriteTorn(log, 1, cut);
        Assert.Equal([100L, 200L], log.ReadAll().Select(e => e.TimestampNs));
    }

    [Theory]
    [MemberData(nameof(CutPoints))]
    public void Reopen_cuts_the_torn_tail_and_appends_continue(int cut)
    {
        using var log = new TempLog();
        int validLength = WriteTorn(log, 1, cut);
        using (var writer = log.Open()) writer.Append(300, Bytes.Of("again"));
        byte[] expected = SegmentBytes.V1Segment(0, [.. Good, (300, Bytes.Of("again"))]);
        Assert.Equal(expected, File.ReadAllBytes(log.SegmentPath(0)));
        Assert.True(validLength < expected.Length);
    }

    [Theory]
    [MemberData(nameof(CutPoints))]
    public void Reopen_cuts_a_torn_v2_tail_and_appends_continue_in_v2(int cut)
    {
        using var log = new TempLog();
        WriteTorn(log, 2, cut);
        using (var writer = log.Open()) writer.Append(300, Bytes.Of("again"));
        Assert.Equal(SegmentBytes.V2Segment(0, [.. Good, (300, Bytes.Of("again"))]), File.ReadAllBytes(log.SegmentPath(0)));
    }

    [Fact]
    public void Reopen_after_a_crash_keeps_every_flushed_entry()
    {
        using var log = new TempLog();
        // What a writer killed after Flush() and during the next write leaves behind.
        using (var writer = log.Open())
        {
            for (int i = 0; i < 100; i++) writer.Append(i, Bytes.Of("entry" + i));
            writer.Flush();
        }
        using (var f = new FileStream(log.SegmentPath(0), FileMode.Append)) f.Write(SegmentBytes.V1Entry(100, new byte[64]).AsSpan(0, 30));
        using (var writer = log.Open()) writer.Append(101, Bytes.Of("after"));
        var entries = log.ReadAll();
        Assert.Equal(101, entries.Count);
        Assert.Equal(Enumerable.Range(0, 100).Select(i => (long)i).Append(101), entries.Select(e => e.TimestampNs));
    }

    [Fact]
    public void Reopen_deletes_a_latest_segment_whose_header_is_cut_short()
    {
        using var log = new TempLog();
        SegmentBytes.Write(log, 0, SegmentBytes.V1Segment(0, Good));
        SegmentBytes.Write(log, Ns.Second, SegmentBytes.Header(Ns.Second)[..9]);
        using (var writer = log.Open())
        {
            Assert.Equal(200, writer.LastTimestampNs);
            writer.Append(Ns.Second + 1, Bytes.Of("x"));
        }
        Assert.Equal(3, log.ReadAll().Count);
    }

    [Fact]
    public void Reopen_deletes_a_header_only_latest_segment_and_continues_the_one_before()
    {
        using var log = new TempLog();
        SegmentBytes.Write(log, 0, SegmentBytes.V1Segment(0, Good));
        SegmentBytes.Write(log, 2 * Ns.Second, SegmentBytes.Header(2 * Ns.Second));
        using (var writer = log.Open()) writer.Append(300, Bytes.Of("x"));
        Assert.Equal([0L], LogReader.Open(log.Root).SegmentStarts);
        Assert.Equal(3, log.ReadAll().Count);
    }

    [Fact]
    public void Reopen_of_a_zero_length_only_segment_starts_fresh()
    {
        using var log = new TempLog();
        SegmentBytes.Write(log, 0, []);
        using (var writer = log.Open()) writer.Append(5, Bytes.Of("x"));
        Assert.Single(log.ReadAll());
    }

    [Fact]
    public void V2_last_entry_with_a_bad_checksum_is_a_torn_tail()
    {
        using var log = new TempLog();
        byte[] bytes = SegmentBytes.V2Segment(0, Good);
        bytes[^1] ^= 0xFF;
        SegmentBytes.Write(log, 0, bytes);
        Assert.Equal([100L], log.ReadAll().Select(e => e.TimestampNs));
        using (var writer = log.Open()) writer.Append(150, Bytes.Of("x"));
        Assert.Equal([100L, 150L], log.ReadAll().Select(e => e.TimestampNs));
    }

    /// <summary>Two good entries, then the first <paramref name="cut"/> bytes of a third; returns the good length.</summary>
    private static int WriteTorn(TempLog log, ushort version, int cut)
    {
        byte[] good = version == 1 ? SegmentBytes.V1Segment(0, Good) : SegmentBytes.V2Segment(0, Good);
        byte[] third = version == 1 ? SegmentBytes.V1Entry(250, Bytes.Of("partial-payload")) : SegmentBytes.V2Entry(250, Bytes.Of("partial-payload"));
        SegmentBytes.Write(log, 0, [.. good, .. third.AsSpan(0, Math.Min(cut, third.Length - 1))]);
        return good.Length;
    }
}
