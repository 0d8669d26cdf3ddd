using System.Buffers.Binary;
using Auki.Logs;

namespace Auki.Core.Tests.Logs;

/// <summary>
/// v2 logs: a damaged length field is corruption, not a torn tail. A torn tail exists only at the
/// end of the newest segment, after the last intact entry (FORMAT.md, "Torn tails and damage").
/// </summary>
public class LengthDamageTests
{
    private static readonly LogWriterOptions V2 = new() { Integrity = true };

    /// <summary>Three segments of ten entries, v2; returns the entries as written.</summary>
    private static List<(long Ts, byte[] Payload)> WriteThreeSegments(TempLog log, int perSegment = 10)
    {
        var written = new List<(long, byte[])>();
        using var writer = log.Open(options: V2);
        for (int s = 0; s < 3; s++)
            for (int i = 0; i < perSegment; i++)
            {
                long ts = s * Ns.Second + i;
                byte[] payload = Bytes.Of($"s{s}e{i}-payload");
                writer.Append(ts, payload);
                written.Add((ts, payload));
            }
        return written;
    }

    /// <summary>Offset of entry <paramref name="index"/> in a v2 segment whose entries are all <paramref name="payloadLength"/> long.</summary>
    private static int EntryOffset(int index, int payloadLength) => 16 + index * (16 + payloadLength);

    private static void FlipLengthBit(string path, int entryOffset, int bit)
    {
        byte[] bytes = File.ReadAllBytes(path);
        bytes[entryOffset + 8 + bit / 8] ^= (byte)(1 << (bit % 8));
        File.WriteAllBytes(path, bytes);
    }

    [Theory]
    [InlineData(0)]   // length one larger: runs into the next entry
    [InlineData(20)]  // far past the end of the file: looked like a torn tail
    [InlineData(31)]
    public void A_flipped_length_bit_in_an_older_segment_is_a_corrupt_error_for_readers(int bit)
    {
        using var log = new TempLog();
        WriteThreeSegments(log);
        FlipLengthBit(log.SegmentPath(0), EntryOffset(4, 12), bit);
        var e = Assert.Throws<AukiException>(() => log.ReadAll());
        Assert.Equal(AukiErrorCode.Corrupt, e.Code);
        Assert.Contains(log.SegmentPath(0), e.Message);
        Assert.Contains("offset " + EntryOffset(4, 12), e.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(20)]
    public void A_flipped_length_bit_mid_way_through_the_latest_segment_is_a_corrupt_error(int bit)
    {
        using var log = new TempLog();
        WriteThreeSegments(log);
        FlipLengthBit(log.SegmentPath(2 * Ns.Second), EntryOffset(4, 12), bit);
        Assert.Equal(AukiErrorCode.Corrupt, Assert.Throws<AukiException>(() => log.ReadAll()).Code);
        using var tail = LogTail.OpenAt(log.Root, 2 * Ns.Second);
        for (int i = 0; i < 4; i++) Assert.NotNull(tail.TryNext());
        Assert.Equal(AukiErrorCode.Corrupt, Assert.Throws<AukiException>(() => tail.TryNext()).Code);
    }

    [Fact]
    public void Reopening_a_writer_on_a_latest_segment_with_a_damaged_length_cuts_no_entry()
    {
        using var log = new TempLog();
        WriteThreeSegments(log);
        string latest = log.SegmentPath(2 * Ns.Second);
        FlipLengthBit(latest, EntryOffset(4, 12), 20);
        byte[] before = File.ReadAllBytes(latest);
        var e = Assert.Throws<AukiException>(() => log.Open(options: V2));
        Assert.Equal(AukiErrorCode.Corrupt, e.Code);
        Assert.Equal(before, File.ReadAllBytes(latest));
        Assert.False(File.Exists(log.LockPath) && IsLocked(log));
    }

    [Fact]
    public void Scanner_reports_a_damaged_length_in_an_older_segment_and_no_torn_tail()
    {
        using var log = new TempLog();
        WriteThreeSegments(log);
        FlipLengthBit(log.SegmentPath(0), EntryOffset(4, 12), 20);
        var report = SegmentScanner.Scan(log.SegmentPath(0), isLatest: false);
        Assert.False(report.TornTail);
        Assert.NotEmpty(report.Problems);
        // The scan resynchronises on the next intact entry: only the damaged one is missing.
        Assert.Equal(9, report.Entries);
    }

    [Fact]
    public void A_torn_last_write_is_still_a_torn_tail_and_is_cut_on_reopen()
    {
        using var log = new TempLog();
        WriteThreeSegments(log);
        string latest = log.SegmentPath(2 * Ns.Second);
        byte[] bytes = File.ReadAllBytes(latest);
        File.WriteAllBytes(latest, bytes[..^5]);
        Assert.Equal(29, log.ReadAll().Count);
        using (var writer = log.Open()) writer.Append(3 * Ns.Second, Bytes.Of("after"));
        Assert.Equal(30, log.ReadAll().Count);
    }

    private static bool IsLocked(TempLog log)
    {
        try
        {
            using var w = log.Open();
            return false;
        }
        catch (AukiException e) when (e.Code == AukiErrorCode.Busy)
        {
            return true;
        }
        catch (AukiException)
        {
            return false;
        }
    }
}
