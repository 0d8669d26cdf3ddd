using Auki.Logs;

namespace Auki.Core.Tests.Logs;

/// <summary>
/// The export's mapped cursor returns what a <see cref="LogCursor"/> returns over the same log: the
/// same entries, or the same error with the same message, whatever the damage and wherever it is.
/// </summary>
public class MappedLogCursorTests
{
    /// <summary>Every entry (timestamp, payload hex) or the error ("Code: message") of a plain cursor.</summary>
    private static List<string> ReadPlain(TempLog log, long? from = null, long? to = null)
    {
        var seen = new List<string>();
        try
        {
            using var cursor = LogReader.Open(log.Root).OpenCursor(from, to);
            while (cursor.TryNext(out long ts, out ReadOnlySpan<byte> payload)) seen.Add($"{ts}={Convert.ToHexString(payload)}");
        }
        catch (AukiException e)
        {
            seen.Add($"{e.Code}: {e.Message}");
        }
        return seen;
    }

    /// <summary>The same through a mapped cursor; views are read after the whole log, so mapped ones must outlive the cursor's moves.</summary>
    private static List<string> ReadMapped(TempLog log, long? from = null, long? to = null)
    {
        var seen = new List<string>();
        var retained = new List<MappedSegment>();
        try
        {
            using var cursor = MappedLogCursor.Open(LogReader.Open(log.Root), from, to, retained);
            while (cursor.TryNext(out long ts, out ReadOnlySpan<byte> payload)) seen.Add($"{ts}={Convert.ToHexString(payload)}");
        }
        catch (AukiException e)
        {
            seen.Add($"{e.Code}: {e.Message}");
        }
        finally
        {
            foreach (var map in retained) map.Dispose();
        }
        return seen;
    }

    private static byte[] Payload(long ts, int length) => Enumerable.Range(0, length).Select(i => (byte)(ts * 31 + i)).ToArray();

    /// <summary>Three 1 s segments of checksummed entries, a large one among them; returns the first segment's bytes.</summary>
    private static byte[] ThreeSegments(TempLog log, ushort version = 2)
    {
        byte[] first = [];
        for (int s = 0; s < 3; s++)
        {
            long start = s * Ns.Second;
            var entries = new[] { (start + 1, Payload(start + 1, 5)), (start + 2, Payload(start + 2, 70_000)), (start + 3, Payload(start + 3, 0)) };
            var bytes = version == 2 ? SegmentBytes.V2Segment(start, entries) : SegmentBytes.V1Segment(start, entries);
            SegmentBytes.Write(log, start, bytes);
            if (s == 0) first = bytes;
        }
        return first;
    }

    [Theory]
    [InlineData((ushort)1)]
    [InlineData((ushort)2)]
    public void Intact_segments_give_the_same_entries(ushort version)
    {
        using var log = new TempLog();
        ThreeSegments(log, version);
        var plain = ReadPlain(log);
        Assert.Equal(9, plain.Count);
        Assert.Equal(plain, ReadMapped(log));
    }

    [Fact]
    public void A_window_gives_the_same_entries()
    {
        using var log = new TempLog();
        ThreeSegments(log);
        Assert.Equal(ReadPlain(log, 2, Ns.Second + 2), ReadMapped(log, 2, Ns.Second + 2));
        Assert.Equal(4, ReadMapped(log, 2, Ns.Second + 2).Count);
    }

    [Fact]
    public void Every_flipped_byte_of_an_older_segment_gives_the_plain_cursors_entries_or_error()
    {
        using var log = new TempLog();
        var original = ThreeSegments(log);
        // Header, entry headers and payload bytes of the short entries, a sample of the large one.
        var offsets = Enumerable.Range(0, 16 + 16 + 5 + 40).Concat(Enumerable.Range(0, 20).Select(i => 16 + 16 + 5 + 16 + i * 3_500))
            .Concat(Enumerable.Range(original.Length - 20, 20));
        foreach (int offset in offsets.Distinct())
        {
            var damaged = (byte[])original.Clone();
            damaged[offset] ^= 0x5A;
            File.WriteAllBytes(log.SegmentPath(0), damaged);
            Assert.Equal(ReadPlain(log), ReadMapped(log));
        }
    }

    [Fact]
    public void A_corrupt_entry_in_an_older_segment_is_the_same_corrupt_error()
    {
        using var log = new TempLog();
        var bytes = ThreeSegments(log);
        bytes[16 + 16 + 5 + 16 + 100] ^= 0xFF; // the large entry's payload
        File.WriteAllBytes(log.SegmentPath(0), bytes);
        var mapped = ReadMapped(log);
        Assert.StartsWith("Corrupt: ", mapped[^1]);
        Assert.Equal(ReadPlain(log), mapped);
    }

    [Theory]
    [InlineData(0)]   // empty
    [InlineData(7)]   // shorter than a header
    [InlineData(16)]  // header only
    [InlineData(40)]  // cut inside the first entry
    [InlineData(100)] // cut inside the large entry
    public void An_older_segment_cut_short_gives_the_same_entries_or_error(int length)
    {
        using var log = new TempLog();
        var bytes = ThreeSegments(log);
        File.WriteAllBytes(log.SegmentPath(0), bytes[..length]);
        Assert.Equal(ReadPlain(log), ReadMapped(log));
    }

    [Fact]
    public void A_torn_newest_segment_reads_to_its_last_whole_entry_as_before()
    {
        using var log = new TempLog();
        ThreeSegments(log);
        var newest = File.ReadAllBytes(log.SegmentPath(2 * Ns.Second));
        File.WriteAllBytes(log.SegmentPath(2 * Ns.Second), newest[..(newest.Length - 30)]);
        var mapped = ReadMapped(log);
        Assert.Equal(7, mapped.Count);
        Assert.Equal(ReadPlain(log), mapped);
    }

    [Fact]
    public void A_segment_evicted_after_the_reader_was_opened_is_skipped()
    {
        using var log = new TempLog();
        ThreeSegments(log);
        var reader = LogReader.Open(log.Root);
        File.Delete(log.SegmentPath(Ns.Second));
        using var cursor = MappedLogCursor.Open(reader, null, null, null);
        var seen = new List<long>();
        while (cursor.TryNext(out long ts, out _)) seen.Add(ts);
        Assert.Equal([1L, 2, 3, 2 * Ns.Second + 1, 2 * Ns.Second + 2, 2 * Ns.Second + 3], seen);
    }
}
