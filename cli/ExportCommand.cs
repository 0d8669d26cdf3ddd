using Auki.Activity;
using Auki.Export;

namespace Auki.Cli;

/// <summary><c>auki export ROOT|SESSION --mcap OUT</c>: recorded logs as one MCAP file.</summary>
internal sealed class ExportCommand : Command
{
    public override string Name => "export";
    public override string Summary => "write a root or an activity session to an MCAP file for viewers";

    public override IReadOnlyList<Option> Options { get; } =
    [
        new("--mcap", "OUT.mcap"), new("--from", "NS"), new("--to", "NS"), new("--compression", "zstd|lz4|none"),
        new("--root", "DIR"), new("--chunk-size", "BYTES"), new("--profile", "foxglove|raw"), new("--time", "monotonic|utc"),
    ];

    public override string Help => $"""
        Usage: auki export ROOT --mcap OUT.mcap [--profile foxglove|raw] [--time monotonic|utc] [--from NS] [--to NS]
               auki export ACTIVITY_SESSION_ID --mcap OUT.mcap [--root DIR] [...]

        Write recorded logs to one MCAP file (mcap.dev) that Foxglove and other viewers open and
        seek in: one channel per log on topic /<peer>/<resource_id> with the log's manifest as
        channel metadata, every entry a message with log_time = publish_time = its time, in chunks
        with message indexes and a summary section. With an activity session id (ss_…), only that
        session's files, each clipped to its window. The file appears under OUT only once complete.

        Profiles:
          foxglove (default)    what Foxglove's panels decode, all protobuf with complete descriptor
                                sets: camera logs as foxglove.RawImage (raw frames: encoding from
                                pixel_format, step = row_stride_bytes) or foxglove.CompressedImage
                                (jpeg/png), plus foxglove.CameraCalibration on <topic>/calibration
                                when the sensor has a calibration; pose logs as foxglove.FrameTransform
                                (parent = from frame, child = to frame; frame ids <peer>/<frame>); other
                                typed logs under their auki.* schemas; untyped logs as opaque bytes.
                                Registry entries, manifests and peer/session identity are Metadata
                                records. Entries that do not decode are skipped and counted.
          raw                   every payload as recorded ({McapExporter.MessageEncoding}), one schema per sensor
                                registry entry (auki.<kind>, {McapExporter.SchemaEncoding}, the entry's
                                canonical JSON): the original bytes, for tools that read them back.

        Time (--time): utc (the foxglove default) maps each log's clock to Unix-epoch ns: a UTC clock
        as is, a monotonic clock through a time-transform log to a UTC clock when the store has one;
        others keep their readings, and the export says which. monotonic (the raw default) keeps every
        log's own readings. --from/--to are in the chosen time.

        Options:
          --mcap OUT.mcap       output file (required; "-" writes the MCAP stream to stdout)
          --profile P           foxglove (default) or raw
          --time T              utc or monotonic (default: utc with foxglove, monotonic with raw)
          --from NS             only entries with log_time >= NS
          --to NS               only entries with log_time <= NS
          --compression C       chunk compression: zstd (default), lz4 or none; with zstd,
                                messages of 64 KiB and more whose data does not compress (noise-like
                                camera frames) go to chunks stored uncompressed, and the summary
                                line counts them
          --root DIR            storage root of an activity session (default: current directory)
          --chunk-size BYTES    target uncompressed chunk size (default {McapWriterOptions.DefaultChunkSize})
          -h, --help            show this help

        A progress bar is drawn on stderr when it is a terminal.

        """;

    public override int Execute(Args args, Io io)
    {
        args.ExpectPositionals(1, 1, "ROOT or ACTIVITY_SESSION_ID");
        string target = args.Positionals[0];
        string output = args.Value("--mcap") ?? throw new UsageException("missing --mcap OUT.mcap");
        long chunkSize = args.Int64("--chunk-size") ?? McapWriterOptions.DefaultChunkSize;
        if (chunkSize < 1024 || chunkSize > 1L << 30) throw new UsageException("--chunk-size must be between 1024 and 1073741824");
        McapCompression compression;
        try { compression = McapCompressions.Parse(args.Value("--compression") ?? "zstd"); }
        catch (AukiException e) { throw new UsageException(e.Message); }

        McapProfile profile = (args.Value("--profile") ?? "foxglove") switch
        {
            "foxglove" => McapProfile.Foxglove,
            "raw" => McapProfile.Raw,
            var other => throw new UsageException($"--profile must be foxglove or raw, not \"{other}\""),
        };
        McapTime time = (args.Value("--time") ?? (profile == McapProfile.Foxglove ? "utc" : "monotonic")) switch
        {
            "utc" => McapTime.Utc,
            "monotonic" => McapTime.AsRecorded,
            var other => throw new UsageException($"--time must be monotonic or utc, not \"{other}\""),
        };

        var (from, to) = args.Window();
        McapExportSummary summary;
        using (var bar = new ProgressBar(io, "export"))
        {
            var options = new McapExportOptions
            {
                FromNs = from,
                ToNs = to,
                Compression = compression,
                Profile = profile,
                Time = time,
                ChunkSize = (int)chunkSize,
                Library = $"auki {Cli.Version}",
                Progress = p => bar.Report(p.BytesRead, p.TotalBytes, force: p.BytesRead == p.TotalBytes),
            };
            Func<Stream, McapExportSummary> export;
            if (Directory.Exists(target))
            {
                if (args.Value("--root") is not null) throw new UsageException("--root is for activity session ids; ROOT is given already");
                export = s => McapExporter.ExportStore(target, s, options);
            }
            else if (target.StartsWith(ActivityStore.IdPrefix, StringComparison.Ordinal))
            {
                string root = args.Value("--root") ?? ".";
                if (!Directory.Exists(root)) throw new AukiException(AukiErrorCode.NotFound, $"no such directory: {root}");
                export = s => McapExporter.ExportActivitySession(root, target, s, options);
            }
            else
            {
                throw new AukiException(AukiErrorCode.NotFound, $"{target} is neither a directory nor an activity session id (ss_…)");
            }
            if (output == "-")
            {
                if (io.OutIsTerminal) throw new UsageException("--mcap - writes binary data; redirect stdout to a file or a pipe");
                summary = export(io.RawOut);
                io.RawOut.Flush();
            }
            else
            {
                summary = McapExporter.WriteFile(output, export);
            }
        }
        var report = output == "-" ? io.Err : io.Out;
        foreach (var note in summary.Notes) report.WriteLine("note: " + note);
        string range = summary.StartNs is long a && summary.EndNs is long b ? $", {a} .. {b} ns" : "";
        report.WriteLine($"wrote {output}: {Text.Count(summary.Messages, "message")} on {Text.Count(summary.Channels, "channel")} "
            + $"({Text.Count(summary.Schemas, "schema")}) in {Text.Count(summary.Chunks, "chunk")}, {Text.Bytes(summary.FileBytes)} "
            + $"({(compression == McapCompression.None ? "uncompressed" : compression.ToString().ToLowerInvariant())}{Stored(summary)}){range}");
        return Cli.ExitOk;
    }

    /// <summary>"; 3 chunks of … stored uncompressed" when a compressed export left chunks of large messages that did not compress as they were.</summary>
    private static string Stored(McapExportSummary summary) =>
        summary.UncompressedChunks == 0 ? "" : $"; {Text.Count(summary.UncompressedChunks, "chunk")} of large messages that did not compress stored uncompressed";
}
