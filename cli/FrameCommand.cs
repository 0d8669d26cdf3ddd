using Auki.Export;
using Auki.Inspect;

namespace Auki.Cli;

/// <summary><c>auki frame LOG --at T -o frame.png</c>: the camera image nearest a time, as a file to look at.</summary>
internal sealed class FrameCommand : Command
{
    public override string Name => "frame";
    public override string Summary => "write the camera frame nearest a time as a PNG (jpeg/png frames copied)";

    public override IReadOnlyList<Option> Options { get; } = [new("--at", "NS"), new("--output", "OUT.png", "-o")];

    public override string Help => $"""
        Usage: auki frame LOG --at NS -o OUT.png

        Write the frame of camera log LOG whose timestamp is nearest NS (in the log's own clock, as
        `auki cat` prints it; the earlier one on a tie) to OUT. Raw frames become a PNG: pixel
        formats {string.Join(", ", CameraSnapshot.PngFormats)} (bgr is swapped to rgb, 16-bit grey
        kept at 16 bits, row padding dropped). Frames recorded as jpeg, png, webp or avif are
        copied byte for byte, so OUT then holds that format whatever its name.

        Options:
          --at NS           the time to look at (required)
          -o, --output OUT  output file (required; "-" writes to stdout)
          -h, --help        show this help

        """;

    public override int Execute(Args args, Io io)
    {
        args.ExpectPositionals(1, 1, "LOG (a camera log directory)");
        string dir = args.Positionals[0];
        long at = args.Int64("--at") ?? throw new UsageException("missing --at NS");
        string output = args.Value("--output") ?? throw new UsageException("missing -o OUT.png");
        if (!Directory.Exists(dir)) throw new AukiException(AukiErrorCode.NotFound, $"no such directory: {dir}");
        if (!StoreWalker.IsLogDirectory(dir))
            throw new AukiException(AukiErrorCode.NotFound, $"{dir} is not a log directory (no manifest.json, log_manifest.json or segments/)");
        var log = TypedLog.Open(dir);
        CameraSnapshotResult result;
        if (output == "-")
        {
            if (io.OutIsTerminal) throw new UsageException("-o - writes binary data; redirect stdout to a file or a pipe");
            result = CameraSnapshot.Write(log, at, io.RawOut);
            io.RawOut.Flush();
        }
        else
        {
            result = McapExporter.WriteFile(output, s => CameraSnapshot.Write(log, at, s));
        }
        string how = result.Copied ? $"{result.Format} frame copied as recorded" : $"{result.Width}x{result.Height} PNG";
        (output == "-" ? io.Err : io.Out).WriteLine($"wrote {output}: {how}, entry at {result.TimestampNs} ns ({Text.Bytes(result.Bytes)})");
        return Cli.ExitOk;
    }
}
