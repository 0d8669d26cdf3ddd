using System.Text;
using Auki.Inspect;
using Auki.Logs;

namespace Auki.Cli;

/// <summary>
/// <c>auki cat LOG</c>: the entries of one log: decoded messages as JSON lines when the log is
/// typed (pose, camera, scalar, …), else text lines of hex; or the raw payload bytes.
/// </summary>
internal sealed class CatCommand : Command
{
    private const int DefaultHexBytes = 64;

    public override string Name => "cat";
    public override string Summary => "print the entries of one log (decoded messages as JSON lines, or hex)";

    public override IReadOnlyList<Option> Options { get; } =
        [new("--from", "NS"), new("--to", "NS"), new("--raw"), new("--hex"), new("--hex-bytes", "N")];

    public override string Help => $$"""
        Usage: auki cat LOG [--from NS] [--to NS] [--raw | --hex | --hex-bytes N]

        Print the entries of one log in timestamp order, one line each. A log whose entries are
        upstream messages (pose, time transform, detection, camera, audio, scalar, …) prints them
        decoded, as JSON lines (proto3 JSON; bytes as base64):
          {"message":{...},"timestamp_ns":N}
        an entry that does not decode is reported on stderr (exit 1) and skipped. Other logs, and
        typed ones with --hex, print:
          TIMESTAMP_NS  LENGTH  PAYLOAD_HEX
        LOG is a log directory (ROOT/<session>/logs/<peer>/<resource_id>, as `auki ls` shows).

        Options:
          --from NS       only entries with timestamp >= NS
          --to NS         only entries with timestamp <= NS
          --hex           print payloads in hex even when the log is typed
          --hex-bytes N   show at most N payload bytes in hex, then "…" (default {{DefaultHexBytes}}; 0 = all); implies --hex
          --raw           write the payload bytes themselves, back to back, to stdout (not to a terminal)
          -h, --help      show this help

        """;

    public override int Execute(Args args, Io io)
    {
        args.ExpectPositionals(1, 1, "LOG (a log directory)");
        string dir = args.Positionals[0];
        var (from, to) = args.Window();
        bool raw = args.Flag("--raw");
        long hexBytes = args.Int64("--hex-bytes") ?? DefaultHexBytes;
        if (hexBytes < 0 || hexBytes > int.MaxValue) throw new UsageException("--hex-bytes must be >= 0");
        if (raw && args.Flag("--hex-bytes")) throw new UsageException("--raw and --hex-bytes exclude each other");
        if (raw && args.Flag("--hex")) throw new UsageException("--raw and --hex exclude each other");
        bool hex = args.Flag("--hex") || args.Flag("--hex-bytes");
        if (!Directory.Exists(dir)) throw new AukiException(AukiErrorCode.NotFound, $"no such directory: {dir}");
        if (!StoreWalker.IsLogDirectory(dir))
            throw new AukiException(AukiErrorCode.NotFound, $"{dir} is not a log directory (no manifest.json, log_manifest.json or segments/)");
        if (raw && io.OutIsTerminal)
            throw new UsageException("--raw writes binary data; redirect stdout to a file or a pipe");
        if (!File.Exists(Path.Combine(dir, "log_manifest.json"))) return Cli.ExitOk; // declared, no data yet

        var typed = raw || hex ? null : TypedLog.Open(dir);
        bool decode = typed?.Type is not null;
        long undecodable = 0;
        using var cursor = LogReader.Open(dir).OpenCursor(from, to);
        var line = new StringBuilder();
        while (cursor.TryNext(out long ts, out ReadOnlySpan<byte> payload))
        {
            if (raw)
            {
                io.RawOut.Write(payload);
                continue;
            }
            if (decode)
            {
                string? json = null;
                try { json = typed!.JsonLine(ts, payload); }
                catch (AukiException e)
                {
                    undecodable++;
                    io.Out.Flush(); // keep stdout and stderr in entry order on a terminal
                    io.Err.WriteLine($"auki cat: entry at {ts} ns: {e.Message}");
                }
                if (json is not null) io.Out.WriteLine(json);
                continue;
            }
            line.Clear();
            line.Append(ts).Append("  ").Append(payload.Length).Append("  ");
            Text.Hex(line, payload, (int)hexBytes);
            io.Out.WriteLine(line);
        }
        if (undecodable > 0)
        {
            io.Out.Flush();
            io.Err.WriteLine($"auki cat: {undecodable} {(undecodable == 1 ? "entry does" : "entries do")} not decode as {typed!.Type!.FullName} (see above; --hex shows the bytes)");
            return Cli.ExitFailure;
        }
        return Cli.ExitOk;
    }
}
