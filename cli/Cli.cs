using System.Text;

namespace Auki.Cli;

/// <summary>Where a command writes: text out, errors and progress, raw bytes out.</summary>
internal sealed class Io(TextWriter output, TextWriter error, Stream rawOutput, bool outputIsTerminal, bool errorIsTerminal)
{
    public TextWriter Out { get; } = output;
    public TextWriter Err { get; } = error;
    public Stream RawOut { get; } = rawOutput;
    public bool OutIsTerminal { get; } = outputIsTerminal;
    public bool ErrIsTerminal { get; } = errorIsTerminal;
}

/// <summary>One <c>auki</c> command: its help and what it does.</summary>
internal abstract class Command
{
    public abstract string Name { get; }

    /// <summary>One line for <c>auki --help</c>.</summary>
    public abstract string Summary { get; }

    /// <summary>The whole <c>auki NAME --help</c> text.</summary>
    public abstract string Help { get; }

    public abstract IReadOnlyList<Option> Options { get; }

    /// <summary>Names of subcommands (error messages name them too).</summary>
    public virtual IReadOnlyList<string> Subcommands => [];

    /// <summary>Run with parsed arguments; returns the exit code.</summary>
    public abstract int Execute(Args args, Io io);

    /// <summary>Parse and run (commands with subcommands override this).</summary>
    public virtual int Run(IReadOnlyList<string> argv, Io io)
    {
        var args = Args.Parse(argv, Options);
        if (args.Help)
        {
            io.Out.Write(Help);
            return 0;
        }
        return Execute(args, io);
    }
}

/// <summary>
/// The entry point: picks the command, turns mistakes into one line on stderr (exit 2 for usage,
/// 1 for failures) and never shows a stack trace for them.
/// </summary>
internal static class Cli
{
    public const int ExitOk = 0;
    public const int ExitFailure = 1;
    public const int ExitUsage = 2;

    private static readonly Command[] Commands =
    [
        new LsCommand(), new CatCommand(), new VerifyCommand(), new ExportCommand(), new FrameCommand(), new SessionsCommand(), new TimelineCommand(), new ServeCommand(),
    ];

    public static string Version
    {
        get
        {
            var v = typeof(Cli).Assembly.GetName().Version;
            return v is null ? "0.0.0" : $"{v.Major}.{v.Minor}.{v.Build}";
        }
    }

    public static int Run(string[] argv)
    {
        var utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
        var rawOut = Console.OpenStandardOutput();
        using var output = new StreamWriter(rawOut, utf8, 1 << 16) { AutoFlush = false };
        using var error = new StreamWriter(Console.OpenStandardError(), utf8, 1 << 12) { AutoFlush = true };
        var io = new Io(output, error, rawOut, !Console.IsOutputRedirected, !Console.IsErrorRedirected);
        int code;
        try
        {
            code = Dispatch(argv, io);
        }
        finally
        {
            try { output.Flush(); }
            catch (IOException) { } // the reader went away (auki cat … | head)
        }
        return code;
    }

    private static int Dispatch(string[] argv, Io io)
    {
        if (argv.Length == 0)
        {
            io.Err.Write(TopHelp());
            return ExitUsage;
        }
        switch (argv[0])
        {
            case "-h" or "--help" or "help" when argv.Length == 1:
                io.Out.Write(TopHelp());
                return ExitOk;
            case "--version" or "-V":
                io.Out.WriteLine($"auki {Version}");
                return ExitOk;
            case "help":
                return Dispatch([argv[1], "--help"], io);
        }
        var command = Commands.FirstOrDefault(c => c.Name == argv[0]);
        string prefix = command is null ? "auki" : "auki " + command.Name;
        if (command is not null && argv.Length > 1 && command.Subcommands.Contains(argv[1])) prefix += " " + argv[1];
        try
        {
            if (command is null) throw new UsageException($"unknown command \"{argv[0]}\"");
            return command.Run(argv[1..], io);
        }
        catch (UsageException e)
        {
            io.Out.Flush();
            io.Err.WriteLine($"{prefix}: {e.Message}");
            io.Err.WriteLine(command is null ? "Run 'auki --help' for the list of commands." : $"Run '{prefix} --help' for usage.");
            return ExitUsage;
        }
        catch (AukiException e)
        {
            io.Out.Flush();
            io.Err.WriteLine($"{prefix}: {e.Message}");
            return ExitFailure;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            io.Out.Flush();
            io.Err.WriteLine($"{prefix}: {e.Message}");
            return ExitFailure;
        }
        catch (Exception e) when (Environment.GetEnvironmentVariable("AUKI_DEBUG") is null or "" or "0")
        {
            io.Out.Flush();
            io.Err.WriteLine($"{prefix}: internal error ({e.GetType().Name}): {e.Message}");
            io.Err.WriteLine("This is a bug in auki; run again with AUKI_DEBUG=1 for details.");
            return ExitFailure;
        }
    }

    private static string TopHelp()
    {
        var sb = new StringBuilder();
        sb.AppendLine($"auki {Version}: look at, check and export what AukiNative recorded on disk");
        sb.AppendLine();
        sb.AppendLine("Usage: auki COMMAND [ARGS] [OPTIONS]");
        sb.AppendLine();
        sb.AppendLine("Commands:");
        foreach (var c in Commands) sb.AppendLine($"  {c.Name,-10}{c.Summary}");
        sb.AppendLine();
        sb.AppendLine("Run 'auki COMMAND --help' for a command's arguments and options.");
        sb.AppendLine("Timestamps are integer nanoseconds of the log's clock. Exit codes: 0 success,");
        sb.AppendLine("1 failure (or problems found by verify), 2 wrong usage.");
        sb.AppendLine();
        sb.AppendLine("Options:");
        sb.AppendLine("  -h, --help     show help");
        sb.AppendLine("  -V, --version  show the version");
        return sb.ToString();
    }
}
