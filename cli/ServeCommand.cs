using System.Runtime.InteropServices;
using Auki.Foxglove.Live;

namespace Auki.Cli;

/// <summary><c>auki serve ROOT</c>: a live Foxglove WebSocket server over a storage root, until Ctrl-C.</summary>
internal sealed class ServeCommand : Command
{
    public override string Name => "serve";
    public override string Summary => "serve a storage root's live logs to Foxglove (WebSocket)";
    public override IReadOnlyList<Option> Options { get; } = [new("--port", "N", "-p"), new("--host", "ADDRESS")];

    public override string Help => $"""
        Usage: auki serve ROOT [--port {FoxgloveServerOptions.DefaultPort}] [--host 127.0.0.1]

        Serve the logs of a storage root live over the Foxglove WebSocket protocol (subprotocols
        foxglove.websocket.v1 and foxglove.sdk.v1): open Foxglove or Lichtblick, choose "Open
        connection", "Foxglove WebSocket", ws://localhost:PORT. Every log is a channel with the
        schema `auki export --mcap` gives it; new entries reach subscribed clients as they are
        written (logs that are there at the start are followed from their end; logs that appear
        later from their first entry). A client that reads too slowly loses its oldest messages
        rather than slowing the writer or other clients. Ctrl-C stops the server cleanly.

        Options:
          -p, --port N        TCP port (default {FoxgloveServerOptions.DefaultPort}; 0 picks a free one)
          --host ADDRESS      address to listen on (default 127.0.0.1; 0.0.0.0 serves every
                              interface, without authentication)
          -h, --help          show this help

        """;

    public override int Execute(Args args, Io io)
    {
        args.ExpectPositionals(1, 1, "ROOT");
        long port = args.Int64("--port") ?? FoxgloveServerOptions.DefaultPort;
        if (port is < 0 or > 65535) throw new UsageException($"--port must be 0-65535, got {port}");
        var options = new FoxgloveServerOptions
        {
            Host = args.Value("--host") ?? "127.0.0.1",
            Port = (int)port,
            OnProblem = message => io.Err.WriteLine($"auki serve: {message}"),
        };
        using var stop = new ManualResetEventSlim();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true; // stop cleanly below instead of dying mid-frame
            stop.Set();
        };
        Console.CancelKeyPress += onCancel;
        using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c =>
        {
            c.Cancel = true;
            stop.Set();
        });
        try
        {
            using var server = FoxgloveServer.Start(args.Positionals[0], options);
            io.Out.WriteLine($"serving {server.Root} on ws://{server.Host}:{server.Port} (Ctrl-C stops)");
            io.Out.Flush();
            stop.Wait();
            io.Out.WriteLine("stopping");
            io.Out.Flush();
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
        return Cli.ExitOk;
    }
}
