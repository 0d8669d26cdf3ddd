using System.Xml.Linq;
using Auki.Activity;
using Auki.Timeline;
using Auki.Core.Tests.Support;

namespace Auki.Core.Tests.Timeline;

/// <summary>The timeline picture: valid SVG naming every log, bars where data is, sessions shaded.</summary>
public class TimelineTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    private static XDocument Draw(TimelineModel model) => XDocument.Parse(TimelineSvg.Render(model));

    private static IEnumerable<string> Texts(XDocument doc) => doc.Descendants(Svg + "text").Select(t => t.Nodes().OfType<XText>().FirstOrDefault()?.Value ?? "");

    private static List<XElement> Bars(XDocument doc) => doc.Descendants(Svg + "rect").Where(r => (string?)r.Attribute("class") == "bar").ToList();

    [Fact]
    public void Every_log_and_peer_is_named_and_every_session_is_shaded_over_its_files()
    {
        using var store = new RecordedStore();
        var cam = store.Camera("cam", integrity: false, timestamps: [1_000_000_000, 1_500_000_000]);
        store.Camera("quiet", integrity: false);
        var sessions = new ActivityStore(store.Root);
        var s = sessions.Create("drive <1>", []);
        sessions.AddFiles(s.SessionId, [new SessionFile(store.FileId(cam), 1_100_000_000, 1_200_000_000)]);
        var doc = Draw(TimelineModel.Build(store.Root, "my store"));
        var texts = Texts(doc).ToList();
        Assert.Contains("cam", texts);
        Assert.Contains("quiet", texts);
        Assert.Contains("galbot", texts);
        Assert.Contains("drive <1>", texts);
        Assert.Contains("my store", texts);
        Assert.Single(doc.Descendants(Svg + "rect"), r => (string?)r.Attribute("class") == "window");
        Assert.Single(Bars(doc));
        Assert.Contains(texts, t => t == "no entries");
    }

    private static TimelineModel OneRow(params TimelineSpan[] spans) =>
        new("t", [new TimelineRow("p", "log", "", "sensor", "f", spans, "")], []);

    [Fact]
    public void A_real_gap_between_segments_shows_as_two_bars()
    {
        // 10 Hz data in two segments with a 30 s hole between them.
        var doc = Draw(OneRow(new TimelineSpan(0, 900_000_000, 10), new TimelineSpan(31_000_000_000, 31_900_000_000, 10)));
        Assert.Equal(2, Bars(doc).Count);
    }

    [Fact]
    public void Back_to_back_segments_draw_as_one_bar()
    {
        // 10 Hz data: the step from one segment to the next is one sample interval, not a gap.
        var spans = Enumerable.Range(0, 60).Select(i => new TimelineSpan(i * 1_000_000_000L, i * 1_000_000_000L + 900_000_000, 10)).ToArray();
        Assert.Single(Bars(Draw(OneRow(spans))));
    }

    [Fact]
    public void Unix_epoch_timestamps_get_clock_time_labels_and_others_seconds()
    {
        long t = 1_700_000_000_000_000_000; // 2023-11-14T22:13:20Z
        var wall = Texts(Draw(OneRow(new TimelineSpan(t, t + 60_000_000_000, 100)))).ToList();
        Assert.Contains("22:14:00", wall);
        Assert.Contains(wall, x => x.Contains("UTC, 2023-11-14"));
        var boot = Texts(Draw(OneRow(new TimelineSpan(2_000_000_000, 7_000_000_000, 100)))).ToList();
        Assert.Contains("5 s", boot);
        Assert.Contains(boot, x => x.Contains("seconds"));
    }

    [Fact]
    public void An_empty_store_still_draws_a_valid_picture()
    {
        using var dir = new TempDir();
        var doc = Draw(TimelineModel.Build(dir.Path));
        Assert.Contains("no recorded logs", Texts(doc));
    }
}
