using System.Text;
using System.Text.Json;
using Auki.Inspect;

namespace Auki.Cli;

/// <summary><c>auki ls [ROOT] [--json]</c>: the store as a tree of peers, boot sessions and logs.</summary>
internal sealed class LsCommand : Command
{
    public override string Name => "ls";
    public override string Summary => "list peers, boot sessions and logs with their size and time range";
    public override IReadOnlyList<Option> Options { get; } = [new("--json")];

    public override string Help => """
        Usage: auki ls [ROOT] [--json]

        List what a storage root holds, as a tree: peers, their boot sessions, and each session's
        logs with kind (from manifest.json), sensor (kind/type of its registry entry), clock,
        entries, bytes, first and last timestamp (ns) and state (live, or sealed when the log
        was closed with a fixed head). ROOT defaults to the current directory.

        Options:
          --json      print a JSON document instead (for scripts; bytes and times exact; the
                      field names of the C ABI and Python, docs/names.md)
          -h, --help  show this help

        """;

    public override int Execute(Args args, Io io)
    {
        args.ExpectPositionals(0, 1, "ROOT");
        string root = args.Positionals.Count > 0 ? args.Positionals[0] : ".";
        var logs = StoreWalker.Logs(root);
        int registryEntries = StoreIndex.RegistryEntryCount(root);
        int activitySessions = StoreIndex.ActivitySessionCount(root);
        if (args.Flag("--json")) WriteJson(io, root, logs, registryEntries, activitySessions);
        else WriteTree(io, root, logs, registryEntries, activitySessions);
        return Cli.ExitOk;
    }

    private static void WriteTree(Io io, string root, IReadOnlyList<StoreLog> logs, int registryEntries, int activitySessions)
    {
        var peers = logs.GroupBy(l => l.PeerId).ToList();
        int boots = logs.Select(l => (l.PeerId, l.BootSessionId, l.Standalone)).Distinct().Count();
        io.Out.WriteLine($"{root}: {Text.Count(peers.Count, "peer")}, {Text.Count(boots, "boot session")}, {Text.Count(logs.Count, "log")}, "
            + $"{Text.Count(registryEntries, "registry entry", "registry entries")}, {Text.Count(activitySessions, "activity session")}");
        if (logs.Count == 0) return;

        var rows = new List<string[]> { new[] { "PEER / BOOT SESSION / LOG", "KIND", "SENSOR", "CLOCK", "ENTRIES", "BYTES", "FIRST_NS", "LAST_NS", "STATE" } };
        foreach (var peer in peers)
        {
            string? app = peer.Select(l => l.AppId).FirstOrDefault(a => a is not null);
            rows.Add([peer.Key + (app is null ? "" : $"  (app {app})")]);
            var sessions = peer.GroupBy(l => (l.BootSessionId, l.Standalone)).ToList();
            for (int s = 0; s < sessions.Count; s++)
            {
                bool lastSession = s == sessions.Count - 1;
                var session = sessions[s];
                string name = session.Key.BootSessionId ?? "(unknown session)";
                string what = session.Key.Standalone ? "standalone session in logs/" : "boot session";
                rows.Add([(lastSession ? "└── " : "├── ") + name + $"  ({what}, {Text.Count(session.Count(), "log")})"]);
                var list = session.ToList();
                for (int i = 0; i < list.Count; i++)
                {
                    var log = list[i];
                    string branch = (lastSession ? "    " : "│   ") + (i == list.Count - 1 ? "└── " : "├── ");
                    rows.Add([
                        branch + log.ResourceId,
                        log.Kind ?? "-",
                        log.SensorDescription ?? "-",
                        log.ClockRef?.Id ?? "-",
                        Text.Num(log.Entries),
                        Text.Bytes(log.Bytes),
                        Text.Num(log.FirstTimestampNs),
                        Text.Num(log.LastTimestampNs),
                        log.State,
                    ]);
                }
            }
        }
        // Peer and session lines span the row: align only the log rows (and the header).
        var logRows = rows.Where(r => r.Length > 1).ToList();
        var aligned = Text.Table(logRows, 4, 5);
        int next = 0;
        foreach (var row in rows) io.Out.WriteLine(row.Length > 1 ? aligned[next++] : row[0]);

        var notes = logs.SelectMany(l => l.Notes.Select(n => $"{Text.Under(root, l.FileId)}: {n}")).ToList();
        if (notes.Count > 0)
        {
            io.Out.WriteLine();
            foreach (var note in notes) io.Out.WriteLine("note: " + note);
        }
    }

    // The same document the C ABI's auki_store_list returns (core/Inspect/StoreJson), indented.
    private static void WriteJson(Io io, string root, IReadOnlyList<StoreLog> logs, int registryEntries, int activitySessions)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            StoreJson.WriteListing(w, root, logs, registryEntries, activitySessions);
        io.Out.WriteLine(Encoding.UTF8.GetString(buffer.ToArray()));
    }
}
