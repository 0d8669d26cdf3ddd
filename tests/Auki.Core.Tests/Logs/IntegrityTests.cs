using System.Buffers.Binary;
using Auki.Logs;

namespace Auki.Core.Tests.Logs;

public class IntegrityTests
{
    private static readonly LogWriterOptions V2 = new() { Integrity = true };

    [Fact]
    public void Crc32c_check_value_matches_the_standard()
    {
        Assert.Equal(0xE3069283u, Crc32C.Compute("123456789"u8));
        Assert.Equal(0xE3069283u, Crc32C.Finish(Crc32C.UpdateSoftware(Crc32C.InitialState, "123456789"u8)));
    }

    [Fact]
    public void Crc32c_fast_paths_agree_with_the_bitwise_reference()
    {
        var rng = new Random(11);
        foreach (int n in new[] { 0, 1, 7, 8, 9, 15, 16, 63, 64, 1000, 4097, 12_287, 12_288, 12_289, 3 * 12_288 + 5, 200_003 })
        {
            var data = new byte[n];
            rng.NextBytes(data);
            uint expected = SegmentBytes.BitwiseCrc32C(data);
            Assert.Equal(expected, Crc32C.Compute(data));
            Assert.Equal(expected, Crc32C.Finish(Crc32C.UpdateSoftware(Crc32C.InitialState, data)));
            // Feeding in two parts equals feeding at once.
            int half = n / 3;
            Assert.Equal(expected, Crc32C.Finish(Crc32C.Update(Crc32C.Update(Crc32C.InitialState, data.AsSpan(0, half)), data.AsSpan(half))));
        }
    }

    [Fact]
    public void V2_segment_matches_the_documented_layout()
    {
        using var log = new TempLog();
        using (var writer = log.Open(options: V2))
        {
            writer.Append(100, Bytes.Of("hello"));
            writer.Append(200, []);
        }
        Assert.Equal(SegmentBytes.V2Segment(0, (100, Bytes.Of("hello")), (200, [])), File.ReadAllBytes(log.SegmentPath(0)));
    }

    [Fact]
    public void V2_round_trips_including_large_payloads()
    {
        using var log = new TempLog();
        var big = new byte[300_000];
        new Random(5).NextBytes(big);
        using (var writer = log.Open(options: V2))
        {
            writer.Append(1, Bytes.Of("small"));
            writer.Append(2, big);
            writer.Append(3, []);
        }
        var entries = log.ReadAll();
        Assert.Equal([1L, 2L, 3L], entries.Select(e => e.TimestampNs));
        Assert.Equal(big, entries[1].Payload);
    }

    [Fact]
    public void Flipped_payload_byte_mid_file_is_a_corrupt_error_with_file_and_offset()
    {
        using var log = new TempLog();
        byte[] bytes = SegmentBytes.V2Segment(0, (1, Bytes.Of("aaaa")), (2, Bytes.Of("bbbb")), (3, Bytes.Of("cccc")));
        int secondEntry = 16 + 16 + 4;
        bytes[secondEntry + 16 + 1] ^= 0x01;
        SegmentBytes.Write(log, 0, bytes);
        var e = Assert.Throws<AukiException>(() => log.ReadAll());
        Assert.Equal(AukiErrorCode.Corrupt, e.Code);
        Assert.Equal($"format: segment {log.SegmentPath(0)} has a checksum mismatch in the entry at offset {secondEntry}", e.Message);
    }

    [Fact]
    public void Flipped_timestamp_byte_is_detected_too()
    {
        using var log = new TempLog();
        byte[] bytes = SegmentBytes.V2Segment(0, (1, Bytes.Of("aaaa")), (2, Bytes.Of("bbbb")));
        bytes[16] ^= 0x40;
        SegmentBytes.Write(log, 0, bytes);
        Assert.Equal(AukiErrorCode.Corrupt, Assert.Throws<AukiException>(() => log.ReadAll()).Code);
    }

    [Fact]
    public void Scanner_lists_a_mid_file_checksum_mismatch_and_keeps_going()
    {
        using var log = new TempLog();
        byte[] bytes = SegmentBytes.V2Segment(0, (1, Bytes.Of("aaaa")), (2, Bytes.Of("bbbb")), (3, Bytes.Of("cccc")));
        bytes[16 + 20 + 16] ^= 0x01;
        SegmentBytes.Write(log, 0, bytes);
        var report = SegmentScanner.Scan(log.SegmentPath(0));
        var problem = Assert.Single(report.Problems);
        Assert.Equal(SegmentProblemKind.ChecksumMismatch, problem.Kind);
        Assert.Equal(36, problem.Offset);
        Assert.Equal(2, report.Entries);
        Assert.False(report.TornTail);
    }

    [Fact]
    public void Reader_accepts_v1_and_v2_segments_side_by_side()
    {
        using var log = new TempLog();
        using (var writer = log.Open(options: new LogWriterOptions { Integrity = false })) writer.Append(1, Bytes.Of("v1"));
        using (var writer = log.Open(options: V2)) writer.Append(Ns.Second, Bytes.Of("v2"));
        Assert.Equal(1, Version(log.SegmentPath(0)));
        Assert.Equal(2, Version(log.SegmentPath(Ns.Second)));
        Assert.Equal(["v1", "v2"], log.ReadAll().Select(e => System.Text.Encoding.UTF8.GetString(e.Payload)));
    }

    [Fact]
    public void Reopen_without_options_keeps_the_logs_integrity_mode()
    {
        using var log = new TempLog();
        using (var writer = log.Open(options: V2)) writer.Append(1, Bytes.Of("a"));
        using (var writer = log.Open())
        {
            Assert.True(writer.Integrity);
            writer.Append(Ns.Second, Bytes.Of("b"));
        }
        Assert.Equal(2, Version(log.SegmentPath(Ns.Second)));
    }

    [Fact]
    public void Continued_segment_keeps_its_own_version()
    {
        using var log = new TempLog();
        using (var writer = log.Open()) writer.Append(1, Bytes.Of("a"));
        using (var writer = log.Open(options: V2))
        {
            writer.Append(2, Bytes.Of("b"));
            writer.Append(Ns.Second, Bytes.Of("c"));
        }
        Assert.Equal(SegmentBytes.V1Segment(0, (1, Bytes.Of("a")), (2, Bytes.Of("b"))), File.ReadAllBytes(log.SegmentPath(0)));
        Assert.Equal(2, Version(log.SegmentPath(Ns.Second)));
    }

    [Fact]
    public void V2_leaves_the_manifest_bytes_unchanged()
    {
        using var log = new TempLog();
        using (log.Open(options: V2)) { }
        Assert.Equal("""{"kind":"test","retention_ns":0,"segment_duration_ns":1000000000}""", File.ReadAllText(log.ManifestPath));
    }

    private static int Version(string path) => BinaryPrimitives.ReadUInt16LittleEndian(File.ReadAllBytes(path).AsSpan(4));
}
