using Auki.Logs;

namespace Auki.Core.Tests.Logs;

/// <summary>Damaged files give a clear Auki error or are skipped cleanly, never another exception type.</summary>
public class CorruptSegmentTests
{
    [Fact]
    public void Bad_magic_is_a_corrupt_error_naming_the_file()
    {
        using var log = new TempLog();
        byte[] bytes = SegmentBytes.V1Segment(0, (1, Bytes.Of("x")));
        bytes[0] = (byte)'X';
        SegmentBytes.Write(log, 0, bytes);
        var e = Assert.Throws<AukiException>(() => log.ReadAll());
        Assert.Equal(AukiErrorCode.Corrupt, e.Code);
        Assert.Equal($"format: segment {log.SegmentPath(0)} has bad magic", e.Message);
    }

    [Fact]
    public void Unsupported_version_is_a_corrupt_error_naming_the_version()
    {
        using var log = new TempLog();
        SegmentBytes.Write(log, 0, [.. SegmentBytes.Header(0, version: 3), .. SegmentBytes.V1Entry(1, Bytes.Of("x"))]);
        var e = Assert.Throws<AukiException>(() => log.ReadAll());
        Assert.Equal(AukiErrorCode.Corrupt, e.Code);
        Assert.Equal($"format: segment {log.SegmentPath(0)} has unsupported version 3", e.Message);
    }

    [Fact]
    public void Garbage_file_is_a_corrupt_error()
    {
        using var log = new TempLog();
        var garbage = new byte[4096];
        new Random(3).NextBytes(garbage);
        SegmentBytes.Write(log, 0, garbage);
        var e = Assert.Throws<AukiException>(() => log.ReadAll());
        Assert.Equal(AukiErrorCode.Corrupt, e.Code);
    }

    [Fact]
    public void Short_garbage_file_is_a_corrupt_error()
    {
        using var log = new TempLog();
        SegmentBytes.Write(log, 0, Bytes.Of("nope"));
        Assert.Equal(AukiErrorCode.Corrupt, Assert.Throws<AukiException>(() => log.ReadAll()).Code);
    }

    [Fact]
    public void Zero_length_segment_reads_as_empty()
    {
        using var log = new TempLog();
        SegmentBytes.Write(log, 0, SegmentBytes.V1Segment(0, (1, Bytes.Of("a"))));
        SegmentBytes.Write(log, Ns.Second, []);
        SegmentBytes.Write(log, 2 * Ns.Second, SegmentBytes.V1Segment(2 * Ns.Second, (2 * Ns.Second, Bytes.Of("b"))));
        Assert.Equal([1L, 2 * Ns.Second], log.ReadAll().Select(e => e.TimestampNs));
    }

    [Fact]
    public void Header_only_segment_reads_as_empty()
    {
        using var log = new TempLog();
        SegmentBytes.Write(log, 0, SegmentBytes.Header(0));
        Assert.Empty(log.ReadAll());
        Assert.Equal(16, LogStats.Compute(log.Root).Bytes);
    }

    [Fact]
    public void Writer_refuses_a_latest_segment_that_is_not_ours()
    {
        using var log = new TempLog();
        SegmentBytes.Write(log, 0, Bytes.Of("this is not a segment file at all"));
        var e = Assert.Throws<AukiException>(() => log.Open());
        Assert.Equal(AukiErrorCode.Corrupt, e.Code);
        Assert.Contains("has bad magic", e.Message);
        // The failed open released its lock.
        File.Delete(log.SegmentPath(0));
        using var writer = log.Open();
    }

    [Fact]
    public void Files_that_are_not_segments_are_ignored()
    {
        using var log = new TempLog();
        SegmentBytes.Write(log, 0, SegmentBytes.V1Segment(0, (1, Bytes.Of("a"))));
        File.WriteAllText(Path.Combine(log.SegmentsDir, "notes.txt"), "hi");
        File.WriteAllText(Path.Combine(log.SegmentsDir, "5.seg"), "not canonical");
        File.WriteAllText(Path.Combine(log.SegmentsDir, ".00000000000000000000.seg.tmp"), "temp");
        Assert.Equal([0L], LogReader.Open(log.Root).SegmentStarts);
    }

    [Fact]
    public void Missing_manifest_is_an_io_error()
    {
        using var log = new TempLog();
        var e = Assert.Throws<AukiException>(() => LogReader.Open(log.Root));
        Assert.Equal(AukiErrorCode.Io, e.Code);
        Assert.StartsWith("io: ", e.Message);
    }

    [Fact]
    public void Unparsable_manifest_is_a_manifest_error()
    {
        using var log = new TempLog();
        Directory.CreateDirectory(log.Root);
        File.WriteAllText(log.ManifestPath, "{not json");
        var e = Assert.Throws<AukiException>(() => LogReader.Open(log.Root));
        Assert.Equal(AukiErrorCode.InvalidArgument, e.Code);
        Assert.StartsWith("manifest: parsing manifest: ", e.Message);
        var w = Assert.Throws<AukiException>(() => LogWriter.Open(log.Root, LogManifests.Make(Ns.Second, 0)));
        Assert.StartsWith("manifest: parsing existing manifest: ", w.Message);
    }

    [Fact]
    public void Garbage_length_field_does_not_allocate_or_throw()
    {
        using var log = new TempLog();
        // A v1 entry claiming a 4 GB payload in a small file: a torn tail, not an OutOfMemory.
        byte[] lie = SegmentBytes.V1Entry(5, []);
        lie[8] = lie[9] = lie[10] = lie[11] = 0xFF;
        SegmentBytes.Write(log, 0, [.. SegmentBytes.V1Segment(0, (1, Bytes.Of("a"))), .. lie]);
        Assert.Single(log.ReadAll());
        Assert.Equal(1, LogStats.Compute(log.Root).Entries);
    }
}
