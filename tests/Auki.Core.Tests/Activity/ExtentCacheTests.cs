using System.Text.Json.Nodes;
using Auki.Activity;
using Auki.Logs;

namespace Auki.Core.Tests.Activity;

/// <summary>
/// The cache answers from two stats once a log's directory is old enough to trust; these tests
/// age the directory (as a log recorded a while ago) and check every kind of change is still seen.
/// </summary>
public sealed class ExtentCacheTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Log => _dir["log"];

    private LogWriter Writer() =>
        LogWriter.Open(Log, new JsonObject { ["segment_duration_ns"] = 1_000L, ["retention_ns"] = 0L });

    private void Age()
    {
        var old = DateTime.UtcNow.AddMinutes(-10);
        foreach (var f in Directory.EnumerateFiles(_dir["log/segments"])) File.SetLastWriteTimeUtc(f, old);
        Directory.SetLastWriteTimeUtc(_dir["log/segments"], old);
    }

    [Fact]
    public void Appends_to_the_newest_segment_of_a_trusted_log_are_seen()
    {
        using (var w = Writer()) w.Append(10, [1]);
        Age();
        Assert.Equal((10L, 10L), ExtentCache.Of(Log));
        Assert.Equal((10L, 10L), ExtentCache.Of(Log)); // warm
        using (var w = Writer()) w.Append(20, [2]);      // same segment [0, 1000)
        Assert.Equal((10L, 20L), ExtentCache.Of(Log));
    }

    [Fact]
    public void New_and_evicted_segments_of_a_trusted_log_are_seen()
    {
        using (var w = Writer()) { w.Append(10, [1]); w.Append(1_500, [2]); }
        Age();
        Assert.Equal((10L, 1_500L), ExtentCache.Of(Log));
        using (var w = Writer()) w.Append(2_500, [3]);
        Assert.Equal((10L, 2_500L), ExtentCache.Of(Log));
        File.Delete(Path.Combine(_dir["log/segments"], "00000000000000000000.seg"));
        Assert.Equal((1_500L, 2_500L), ExtentCache.Of(Log));
        var summary = ExtentCache.Summarize(Log);
        Assert.Equal((2L, 2), (summary.Entries, summary.Segments));
    }

    [Fact]
    public void A_log_without_segments_has_no_extent()
    {
        Directory.CreateDirectory(Log);
        Assert.Null(ExtentCache.Of(Log));
        Assert.Equal(LogSummary.Empty, ExtentCache.Summarize(Log));
    }
}
