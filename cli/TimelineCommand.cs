using System.Text;
using Auki.Storage;
using Auki.Timeline;

namespace Auki.Cli;

/// <summary><c>auki timeline ROOT -o timeline.svg</c>: a picture of what was recorded when.</summary>
internal sealed class TimelineCommand : Command
{
    public override string Name => "timeline";
    public override string Summary => "draw an SVG timeline of every log and activity session";
    public override IReadOnlyList<Option> Options { get; } = [new("--output", "FILE.svg", "-o"), new("--title", "TEXT")];

    public override string Help => """
        Usage: auki timeline ROOT -o FILE.svg [--title TEXT]

        Draw a timeline of a storage root as an SVG picture: one row per log, grouped by peer,
        with a bar for each segment that holds data (from its first to its last entry, so gaps
        show), activity-session windows shaded over the logs they hold, and a labelled time axis
        (UTC clock time when timestamps are Unix-epoch nanoseconds, seconds otherwise). Open it
        in a browser; hovering a bar shows the log's counts.

        Options:
          -o, --output FILE.svg  where to write the picture ("-" for stdout; required)
          --title TEXT           heading (default: ROOT)
          -h, --help             show this help

        """;

    public override int Execute(Args args, Io io)
    {
        args.ExpectPositionals(1, 1, "ROOT");
        string root = args.Positionals[0];
        string output = args.Value("--output") ?? throw new UsageException("missing -o FILE.svg");
        if (!Directory.Exists(root)) throw new AukiException(AukiErrorCode.NotFound, $"no such directory: {root}");
        var model = TimelineModel.Build(root, args.Value("--title"));
        string svg = TimelineSvg.Render(model);
        if (output == "-")
        {
            io.Out.Write(svg);
            return Cli.ExitOk;
        }
        AtomicFile.Write(output, new UTF8Encoding(false).GetBytes(svg));
        io.Out.WriteLine($"wrote {output}: {Text.Count(model.Rows.Count, "log")}, {Text.Count(model.Sessions.Count, "activity session")}");
        return Cli.ExitOk;
    }
}
