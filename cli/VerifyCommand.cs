using Auki.Verify;

namespace Auki.Cli;

/// <summary><c>auki verify [ROOT] [--repair]</c>: re-hash, re-parse and re-scan everything.</summary>
internal sealed class VerifyCommand : Command
{
    public override string Name => "verify";
    public override string Summary => "check registries, manifests and every segment; --repair cuts torn tails";
    public override IReadOnlyList<Option> Options { get; } = [new("--repair"), new("--payloads"), new("--quiet", Short: "-q")];

    public override string Help => """
        Usage: auki verify [ROOT] [--repair] [--payloads] [--quiet]

        Check a storage root end to end and print each problem with its path:
          - every registry file re-hashed: XXH3-128 of its bytes must be its file name, and its
            peer_id and id must match the directories it sits in;
          - every manifest.json, log_manifest.json, sealed.json and activity-session document parsed;
          - every segment scanned entry by entry (format v1 and v2; every v2 CRC32C checked),
            timestamps in order and inside the segment's window;
          - with --payloads, every entry of a typed log (pose, camera, scalar, …) decoded as its
            log's message type, and raw camera frames measured against their sensor body; each
            entry that does not fit is an error (at most 5 listed per log).
        Exits 1 if any error was found, 0 otherwise. ROOT defaults to the current directory.

        A torn tail (a last entry cut short by a crash, or a v2 last entry whose checksum fails)
        is a warning, not an error: readers stop before it and the next writer cuts it, so no
        complete entry is lost. It can only be at the end of a log's newest segment with no
        intact entry after it; anything like it elsewhere is damage, an error. --repair cuts torn
        tails now (logs with an active writer are left alone), never an entry whose checksum
        matches. Nothing else is ever changed. v1 segments have no checksums, so a flipped
        payload byte in them cannot be detected.

        Options:
          --repair     truncate torn tails to the last complete entry
          --payloads   decode every entry of typed logs
          -q, --quiet  print only problems, not the summary line
          -h, --help   show this help

        """;

    public override int Execute(Args args, Io io)
    {
        args.ExpectPositionals(0, 1, "ROOT");
        string root = args.Positionals.Count > 0 ? args.Positionals[0] : ".";
        VerifyReport report;
        using (var bar = new ProgressBar(io, "verify"))
        {
            report = StoreVerifier.Verify(root, new VerifyOptions
            {
                Repair = args.Flag("--repair"),
                Payloads = args.Flag("--payloads"),
                Progress = (done, total) => bar.Report(done, total),
            });
        }
        foreach (var f in report.Findings)
        {
            string severity = f.Severity switch
            {
                FindingSeverity.Error => "error   ",
                FindingSeverity.Warning => "warning ",
                _ => "repaired",
            };
            io.Out.WriteLine($"{severity} {Text.Under(root, f.Path)}: {f.Message}");
        }
        if (!args.Flag("--quiet"))
        {
            string verdict = report.Errors == 0 && report.Warnings == 0 && report.Repaired == 0
                ? "no problems"
                : string.Join(", ", new[]
                {
                    report.Errors > 0 ? Text.Count(report.Errors, "error") : null,
                    report.Warnings > 0 ? Text.Count(report.Warnings, "warning") : null,
                    report.Repaired > 0 ? $"{Text.Num(report.Repaired)} repaired" : null,
                }.Where(s => s is not null));
            io.Out.WriteLine($"{(report.Ok ? "ok" : "FAILED")}: {verdict}; checked {Text.Count(report.RegistryFiles, "registry file")}, "
                + $"{Text.Count(report.Logs, "log")} ({Text.Count(report.Manifests, "manifest")}), "
                + $"{Text.Count(report.Segments, "segment")} ({Text.Bytes(report.SegmentBytes)}, {Text.Count(report.Entries, "entry", "entries")}), "
                + $"{Text.Count(report.ActivitySessions, "activity session")}"
                + (args.Flag("--payloads") ? $", {Text.Count(report.PayloadsChecked, "payload")}" : ""));
        }
        return report.Ok ? Cli.ExitOk : Cli.ExitFailure;
    }
}
