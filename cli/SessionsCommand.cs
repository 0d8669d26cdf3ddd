using System.Text;
using System.Text.Json;
using Auki.Activity;
using Auki.Inspect;

namespace Auki.Cli;

/// <summary><c>auki sessions …</c>: activity sessions (named windows over recorded logs).</summary>
internal sealed class SessionsCommand : Command
{
    private static readonly Option Root = new("--root", "DIR");
    private static readonly Option Json = new("--json");

    private sealed record Sub(string Name, string Usage, string Description, IReadOnlyList<Option> Options, Func<Args, Io, ActivityStore, int> Run);

    private readonly Sub[] _subs;

    public SessionsCommand()
    {
        _subs =
        [
            new("create", "create [--name NAME] [--device PEER]...", "Create a session; prints its id (ss_…).",
                [Root, new("--name", "NAME"), new("--device", "PEER", Repeatable: true)], Create),
            new("add", "add SESSION FILE... [--from NS --to NS] | add SESSION --recording BOOT_SESSION",
                "Add recorded logs (file ids as `auki ls --json` shows, or log directories), whole or clipped to a window;\n"
                + "re-adding a file replaces its window. --recording adds every log of one boot session.",
                [Root, new("--from", "NS"), new("--to", "NS"), new("--recording", "BOOT_SESSION")], Add),
            new("remove", "remove SESSION FILE...", "Remove files from a session (recorded data is never touched).", [Root], Remove),
            new("show", "show SESSION [--json]", "Show a session: name, devices, files with their windows, time bounds.", [Root, Json], Show),
            new("topics", "topics SESSION [--json]", "List a session's topics (peer/resource_id) that have data in its windows.", [Root, Json], Topics),
            new("list", "list [--device PEER] [--json]", "List sessions, oldest first.", [Root, Json, new("--device", "PEER")], List),
            new("delete", "delete SESSION", "Delete a session (recorded data is never touched).", [Root], Delete),
        ];
    }

    public override string Name => "sessions";
    public override string Summary => "create, change and inspect activity sessions (windows over recordings)";
    public override IReadOnlyList<Option> Options => [];
    public override IReadOnlyList<string> Subcommands => _subs.Select(s => s.Name).ToList();

    public override string Help
    {
        get
        {
            var sb = new StringBuilder();
            sb.AppendLine("Usage: auki sessions SUBCOMMAND [ARGS] [--root DIR]");
            sb.AppendLine();
            sb.AppendLine("Activity sessions name a stretch of time over recorded logs of one or more peers");
            sb.AppendLine("(stored in ROOT/activity_sessions/). DIR is the storage root (default: current directory).");
            sb.AppendLine();
            sb.AppendLine("Subcommands:");
            foreach (var s in _subs) sb.AppendLine($"  auki sessions {s.Usage}");
            sb.AppendLine();
            sb.AppendLine("Run 'auki sessions SUBCOMMAND --help' for details.");
            return sb.ToString();
        }
    }

    public override int Execute(Args args, Io io) => throw new InvalidOperationException("sessions dispatches to subcommands");

    public override int Run(IReadOnlyList<string> argv, Io io)
    {
        if (argv.Count == 0) throw new UsageException("missing subcommand (create, add, remove, show, topics, list, delete)");
        if (argv[0] is "-h" or "--help")
        {
            io.Out.Write(Help);
            return Cli.ExitOk;
        }
        var sub = _subs.FirstOrDefault(s => s.Name == argv[0])
            ?? throw new UsageException($"unknown subcommand \"{argv[0]}\" (create, add, remove, show, topics, list, delete)");
        var args = Args.Parse(argv.Skip(1).ToList(), sub.Options);
        if (args.Help)
        {
            io.Out.Write(SubHelp(sub));
            return Cli.ExitOk;
        }
        string root = args.Value("--root") ?? ".";
        if (!Directory.Exists(root)) throw new AukiException(AukiErrorCode.NotFound, $"no such directory: {root}");
        return sub.Run(args, io, new ActivityStore(root));
    }

    private static string SubHelp(Sub sub)
    {
        var sb = new StringBuilder();
        sb.AppendLine($"Usage: auki sessions {sub.Usage} [--root DIR]");
        sb.AppendLine();
        sb.AppendLine(sub.Description);
        sb.AppendLine();
        sb.AppendLine("Options:");
        foreach (var o in sub.Options)
        {
            string name = o.ValueName is null ? o.Name : $"{o.Name} {o.ValueName}";
            string what = o.Name switch
            {
                "--root" => "storage root (default: current directory)",
                "--json" => "print JSON",
                "--name" => "a name of at most 120 characters",
                "--device" => o.Repeatable ? "a peer the session is about (repeatable)" : "only sessions attached to this peer",
                "--from" => "window start, inclusive (with --to)",
                "--to" => "window end, inclusive (with --from)",
                "--recording" => "add every log of this boot session",
                _ => "",
            };
            sb.AppendLine($"  {name,-24}{what}");
        }
        sb.AppendLine($"  {"-h, --help",-24}show this help");
        return sb.ToString();
    }

    private static string SessionArg(Args args, int extraMin = 0, int extraMax = 0)
    {
        args.ExpectPositionals(1 + extraMin, 1 + extraMax, extraMin > 0 ? "SESSION and FILE" : "SESSION");
        return args.Positionals[0];
    }

    private static int Create(Args args, Io io, ActivityStore store)
    {
        args.ExpectPositionals(0, 0, "");
        var session = store.Create(args.Value("--name"), args.Values("--device"));
        io.Out.WriteLine(session.SessionId);
        return Cli.ExitOk;
    }

    private static int Add(Args args, Io io, ActivityStore store)
    {
        string? recording = args.Value("--recording");
        var (from, to) = args.Window();
        if ((from is null) != (to is null)) throw new UsageException("--from and --to go together");
        ActivitySession session;
        if (recording is not null)
        {
            string id = SessionArg(args);
            if (from is not null) throw new UsageException("--recording adds whole files; --from/--to do not apply");
            session = store.AddRecording(id, recording);
        }
        else
        {
            string id = SessionArg(args, 1, int.MaxValue - 1);
            var files = args.Positionals.Skip(1).Select(f => new SessionFile(FileId(store, f), from, to)).ToList();
            session = store.AddFiles(id, files);
        }
        io.Out.WriteLine($"{session.SessionId}: {Text.Count(session.Files.Count, "file")}");
        return Cli.ExitOk;
    }

    private static int Remove(Args args, Io io, ActivityStore store)
    {
        string id = SessionArg(args, 1, int.MaxValue - 1);
        var session = store.RemoveFiles(id, args.Positionals.Skip(1).Select(f => FileId(store, f)).ToList(), strict: true);
        io.Out.WriteLine($"{session.SessionId}: {Text.Count(session.Files.Count, "file")}");
        return Cli.ExitOk;
    }

    private static int Show(Args args, Io io, ActivityStore store)
    {
        var session = store.Get(SessionArg(args));
        var (min, max) = store.Bounds(session);
        if (args.Flag("--json"))
        {
            var doc = session.ToJson();
            // The bounds under the names the C ABI and Python give them (docs/names.md).
            doc["min_timestamp_ns"] = min;
            doc["max_timestamp_ns"] = max;
            io.Out.WriteLine(Indented(doc));
            return Cli.ExitOk;
        }
        io.Out.WriteLine($"{session.SessionId}  {(session.Name is null ? "(no name)" : "\"" + session.Name + "\"")}");
        io.Out.WriteLine($"devices:  {(session.DeviceIds.Count == 0 ? "-" : string.Join(", ", session.DeviceIds))}");
        io.Out.WriteLine($"created:  {Text.Utc(session.CreatedNs)} by {session.CreatedBy}");
        io.Out.WriteLine($"modified: {Text.Utc(session.ModifiedNs)} by {session.ModifiedBy}");
        io.Out.WriteLine($"bounds:   {(min is null ? "- (no data)" : $"{min} .. {max} ns")}");
        io.Out.WriteLine($"files:    {session.Files.Count}");
        var rows = new List<string[]>();
        foreach (var c in session.Files)
        {
            string window;
            if (c.File.IsWindowed) window = $"window {c.File.RangeMinTimestampNs} .. {c.File.RangeMaxTimestampNs}";
            else window = store.ExtentOf(c.File.FileId) is { } e ? $"whole file ({e.Min} .. {e.Max})" : "whole file (no data)";
            rows.Add(["  " + c.File.FileId, window]);
        }
        foreach (var line in Text.Table(rows)) io.Out.WriteLine(line);
        return Cli.ExitOk;
    }

    private static int Topics(Args args, Io io, ActivityStore store)
    {
        var session = store.Get(SessionArg(args));
        var topics = store.Topics(session);
        if (args.Flag("--json"))
        {
            using var buffer = new MemoryStream();
            using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            {
                w.WriteStartArray();
                foreach (var t in topics)
                {
                    w.WriteStartObject();
                    // auki_activity_list_topics' fields, and the file this row comes from.
                    w.WriteString("topic_id", t.TopicId);
                    w.WriteString("name", t.TopicName);
                    w.WriteString("source_peer_id", t.SourcePeerId);
                    w.WriteString("resource_id", t.ResourceId);
                    w.WriteString("file_id", t.FileId);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
            }
            io.Out.WriteLine(Encoding.UTF8.GetString(buffer.ToArray()));
            return Cli.ExitOk;
        }
        var rows = new List<string[]> { new[] { "TOPIC", "PEER", "FILE" } };
        foreach (var t in topics) rows.Add([t.TopicName, t.SourcePeerId, t.FileId]);
        foreach (var line in Text.Table(rows)) io.Out.WriteLine(line);
        return Cli.ExitOk;
    }

    private static int List(Args args, Io io, ActivityStore store)
    {
        args.ExpectPositionals(0, 0, "");
        string? device = args.Value("--device");
        var sessions = (device is null ? store.All() : store.ForDevice(device)).ToList();
        if (args.Flag("--json"))
        {
            var array = new System.Text.Json.Nodes.JsonArray();
            foreach (var s in sessions) array.Add((System.Text.Json.Nodes.JsonNode)s.ToJson());
            io.Out.WriteLine(Indented(array));
            return Cli.ExitOk;
        }
        var rows = new List<string[]> { new[] { "ID", "NAME", "DEVICES", "FILES", "MODIFIED" } };
        foreach (var s in sessions)
            rows.Add([s.SessionId, s.Name ?? "-", s.DeviceIds.Count == 0 ? "-" : string.Join(",", s.DeviceIds), Text.Num(s.Files.Count), Text.Utc(s.ModifiedNs)]);
        foreach (var line in Text.Table(rows, 3)) io.Out.WriteLine(line);
        return Cli.ExitOk;
    }

    private static int Delete(Args args, Io io, ActivityStore store)
    {
        string id = SessionArg(args);
        store.Delete(id);
        io.Out.WriteLine($"deleted {id}");
        return Cli.ExitOk;
    }

    private static string Indented(System.Text.Json.Nodes.JsonNode node)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping })) node.WriteTo(w);
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>A file id as stored, from either a file id or a path to a log directory inside the root.</summary>
    private static string FileId(ActivityStore store, string argument)
    {
        if (!Directory.Exists(argument) || !StoreWalker.IsLogDirectory(argument)) return argument.Trim('/');
        string rel = Path.GetRelativePath(Path.GetFullPath(store.StorageRoot), Path.GetFullPath(argument));
        if (rel.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(rel))
            throw new AukiException(AukiErrorCode.InvalidArgument, $"{argument} is not inside the storage root {store.StorageRoot}");
        return rel.Replace(Path.DirectorySeparatorChar, '/');
    }
}
