using Auki.Logs;

namespace Auki.Core.Tests.Logs;

public class SegmentScannerTests
{
    [Fact]
    public void Healthy_segment_reports_counts_and_no_problems()
    {
        using var log = new TempLog();
        SegmentBytes.Write(log, 0, SegmentBytes.V2Segment(0, (5, Bytes.Of("ab")), (9, Bytes.Of("cde"))));
        var report = SegmentScanner.Scan(log.SegmentPath(0));
        Assert.True(report.IsHealthy);
        Assert.Equal(2, report.Version);
        Assert.Equal(0, report.StartNs);
        Assert.Equal(2, report.Entries);
        Assert.Equal(5, report.PayloadBytes);
        Assert.Equal(5, report.FirstTimestampNs);
        Assert.Equal(9, report.LastTimestampNs);
        Assert.Equal(report.FileBytes, report.ValidLength);
        Assert.False(report.TornTail);
    }

    [Fact]
    public void Torn_tail_is_flagged_with_the_valid_length_and_is_not_a_problem()
    {
        using var log = new TempLog();
        byte[] good = SegmentBytes.V1Segment(0, (5, Bytes.Of("ab")));
        SegmentBytes.Write(log, 0, [.. good, 1, 2, 3]);
        var report = SegmentScanner.Scan(log.SegmentPath(0));
        Assert.True(report.TornTail);
        Assert.Equal(good.Length, report.ValidLength);
        Assert.True(report.IsHealthy);
    }

    [Fact]
    public void Bad_magic_and_unsupported_version_are_problems_at_their_offsets()
    {
        using var log = new TempLog();
        SegmentBytes.Write(log, 0, Bytes.Of("XXXXXXXXXXXXXXXXXXXX"));
        SegmentBytes.Write(log, Ns.Second, SegmentBytes.Header(Ns.Second, version: 9));
        var magic = Assert.Single(SegmentScanner.Scan(log.SegmentPath(0)).Problems);
        Assert.Equal((SegmentProblemKind.BadMagic, 0L), (magic.Kind, magic.Offset));
        var version = Assert.Single(SegmentScanner.Scan(log.SegmentPath(Ns.Second)).Problems);
        Assert.Equal((SegmentProblemKind.UnsupportedVersion, 4L), (version.Kind, version.Offset));
    }

    [Fact]
    public void Header_start_that_differs_from_the_file_name_is_a_problem()
    {
        using var log = new TempLog();
        SegmentBytes.Write(log, 0, SegmentBytes.Header(Ns.Second));
        Assert.Equal(SegmentProblemKind.StartMismatch, Assert.Single(SegmentScanner.Scan(log.SegmentPath(0)).Problems).Kind);
    }

    [Fact]
    public void Decreasing_timestamps_inside_a_segment_are_a_problem()
    {
        using var log = new TempLog();
        SegmentBytes.Write(log, 0, SegmentBytes.V1Segment(0, (5, []), (3, [])));
        var problem = Assert.Single(SegmentScanner.Scan(log.SegmentPath(0)).Problems);
        Assert.Equal(SegmentProblemKind.TimestampOutOfOrder, problem.Kind);
        Assert.Equal(16 + 12, problem.Offset);
    }

    [Fact]
    public void Missing_file_is_an_unreadable_problem_not_an_exception()
    {
        using var log = new TempLog();
        var report = SegmentScanner.Scan(log.SegmentPath(0));
        Assert.Equal(SegmentProblemKind.Unreadable, Assert.Single(report.Problems).Kind);
    }

    [Fact]
    public void Incomplete_header_is_reported_without_problems()
    {
        using var log = new TempLog();
        SegmentBytes.Write(log, 0, SegmentBytes.Header(0)[..6]);
        var report = SegmentScanner.Scan(log.SegmentPath(0));
        Assert.True(report.HeaderIncomplete);
        Assert.True(report.IsHealthy);
        Assert.Equal(0, report.Entries);
    }
}
