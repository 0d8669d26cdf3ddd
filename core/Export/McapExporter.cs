using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Buffers;
using System.Globalization;
using System.IO.Hashing;
using Auki.Activity;
using Auki.Foxglove;
using Auki.Inspect;
using Auki.Json;
using Auki.Logs;
using Auki.Registry;

namespace Auki.Export;

/// <summary>Options of an MCAP export.</summary>
public sealed record McapExportOptions
{
    /// <summary>Only entries with timestamp ≥ this (inclusive); null = from the start.</summary>
    public long? FromNs { get; init; }

    /// <summary>Only entries with timestamp ≤ this (inclusive); null = to the end.</summary>
    public long? ToNs { get; init; }

    /// <summary>Chunk compression.</summary>
    public McapCompression Compression { get; init; } = McapCompression.Zstd;

    /// <summary>What channels carry: payloads as recorded (the default here) or Foxglove's messages (the CLI's default).</summary>
    public McapProfile Profile { get; init; } = McapProfile.Raw;

    /// <summary>
    /// The clock of log_time (and of <see cref="FromNs"/>/<see cref="ToNs"/>): each log's own, or
    /// Unix-epoch ns where its clock maps to UTC (<see cref="WallClock"/>).
    /// </summary>
    public McapTime Time { get; init; } = McapTime.AsRecorded;

    /// <summary>Target uncompressed chunk size.</summary>
    public int ChunkSize { get; init; } = McapWriterOptions.DefaultChunkSize;

    /// <summary>The Header record's library field.</summary>
    public string Library { get; init; } = "auki";

    /// <summary>Threads that read and merge logs while the calling thread writes (1 = all on the calling thread).</summary>
    public int Parallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>Segment bytes per unit of parallel work (tests make it small to get many slices).</summary>
    internal long SliceBytes { get; init; } = McapExporter.DefaultSliceBytes;

    /// <summary>Called now and then (after each slice of about 32 MiB) and once at the end.</summary>
    public Action<McapExportProgress>? Progress { get; init; }
}

/// <summary>What an export's channels carry.</summary>
public enum McapProfile
{
    /// <summary>Every entry's payload bytes as recorded (<c>x-auki-payload</c>), registry entries as schemas: nothing lost.</summary>
    Raw,
    /// <summary>Foxglove's well-known messages and <c>auki.*</c> protobuf schemas (<see cref="FoxgloveProfile"/>).</summary>
    Foxglove,
}

/// <summary>Which clock an export's log_time is in.</summary>
public enum McapTime
{
    /// <summary>Each log's own clock (monotonic for most), as recorded.</summary>
    AsRecorded,
    /// <summary>Unix-epoch ns for every log whose clock maps to UTC; the others as recorded (and said so in the summary's notes).</summary>
    Utc,
}

/// <summary>How far an export is: bytes of segment data read of the total in range, messages written.</summary>
public readonly record struct McapExportProgress(long BytesRead, long TotalBytes, long Messages);

/// <summary>What an export wrote.</summary>
public sealed record McapExportSummary(long Messages, int Channels, int Schemas, uint Chunks, long PayloadBytes, long FileBytes,
    long? StartNs, long? EndNs)
{
    /// <summary>Entries left out because they do not decode as their log's type (Foxglove profile only).</summary>
    public long Skipped { get; init; }

    /// <summary>Of <see cref="Chunks"/>, those stored uncompressed in a compressed export: large messages whose data did not compress.</summary>
    public uint UncompressedChunks { get; init; }

    /// <summary>What a user should know: entries skipped per channel, logs whose clock could not be mapped to UTC.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];
}

/// <summary>
/// Turns recorded logs into one MCAP file: a channel per log on topic
/// <c>/&lt;peer&gt;/&lt;resource_id&gt;</c> whose metadata is the log's manifest, every entry a
/// message with log_time = publish_time = its time, merged across logs in log-time order.
/// </summary>
/// <remarks>
/// <para><see cref="McapProfile.Raw"/>: schemas are named <c>auki.&lt;sensor kind&gt;</c> (<c>auki.camera</c>,
/// …, <c>auki.detector</c>), encoding <see cref="SchemaEncoding"/>, data = the registry entry's
/// canonical JSON bytes exactly as stored (so its XXH3-128 is the hash in the channel's manifest);
/// pose and time-transform logs have schema 0; payloads are opaque bytes (<see cref="MessageEncoding"/>).</para>
/// <para><see cref="McapProfile.Foxglove"/>: the channels of <see cref="FoxgloveProfile"/> (a log may
/// add a latched channel, written once at its first exported entry), entries converted as they are
/// merged (those that do not decode are skipped and counted in <see cref="McapExportSummary.Notes"/>),
/// and Metadata records for the export, each peer/boot session, each manifest and each referenced
/// registry entry.</para>
/// <para>With <see cref="McapTime.Utc"/> each log's timestamps go through its <see cref="WallClock"/>
/// mapping; slices are cut in log time, so the merge stays ordered across logs on different clocks.</para>
/// </remarks>
public static class McapExporter
{
    /// <summary>Schema encoding: the registry entry's RFC 8785 JSON (custom encodings take the <c>x-</c> prefix).</summary>
    public const string SchemaEncoding = "x-auki-registry-json";

    /// <summary>Message encoding: the log entry's payload bytes as written.</summary>
    public const string MessageEncoding = "x-auki-payload";

    /// <summary>Export every log under <paramref name="root"/>, clipped to the options' window.</summary>
    public static McapExportSummary ExportStore(string root, Stream output, McapExportOptions options)
    {
        var channels = StoreWalker.Logs(root, scanSegments: false)
            .Select(log => new ExportChannel(log, null, null, [])) // the options' window is in log time: applied per log by Export
            .ToList();
        return Export(root, channels, output, options);
    }

    /// <summary>
    /// Export the topics of activity session <paramref name="sessionId"/>: each held file clipped to
    /// its contribution window (and the options' window). Unknown session: NotFound.
    /// </summary>
    public static McapExportSummary ExportActivitySession(string root, string sessionId, Stream output, McapExportOptions options)
    {
        var store = new ActivityStore(root);
        var session = store.Get(sessionId);
        var channels = new List<ExportChannel>();
        foreach (var contribution in session.Files)
        {
            RecordedFile file;
            try { file = RecordedFile.Resolve(root, contribution.File.FileId); }
            catch (AukiException e) when (e.Code == AukiErrorCode.NotFound) { continue; } // data removed since
            // The contribution window is in the file's own clock; the options' window (log time) is applied by Export.
            long? lo = contribution.File.RangeMinTimestampNs;
            long? hi = contribution.File.RangeMaxTimestampNs;
            if (lo > hi) continue;
            // In the log's own clock the windows compare directly: a file outside the options' window has no channel.
            if (options.Time == McapTime.AsRecorded && Max(lo, options.FromNs) > Min(hi, options.ToNs)) continue;
            var metadata = new List<KeyValuePair<string, string>> { new("auki.activity_session", session.SessionId) };
            if (contribution.File.IsWindowed)
                metadata.Add(new("auki.window_ns", $"{contribution.File.RangeMinTimestampNs}..{contribution.File.RangeMaxTimestampNs}"));
            channels.Add(new ExportChannel(StoreWalker.Describe(root, file.Directory, scanSegments: false), lo, hi, metadata));
        }
        channels.Sort((a, b) =>
        {
            int c = string.CompareOrdinal(Topic(a.Log), Topic(b.Log));
            return c != 0 ? c : string.CompareOrdinal(a.Log.FileId, b.Log.FileId);
        });
        return Export(root, channels, output, options);
    }

    /// <summary>
    /// Write through a hidden temporary file beside <paramref name="path"/> and rename it into place
    /// once complete, so a failed or interrupted export never leaves a truncated file under the name.
    /// Paths under <c>/dev/</c> (<c>/dev/null</c>, <c>/dev/stdout</c>) are devices: written in place.
    /// </summary>
    public static T WriteFile<T>(string path, Func<Stream, T> write)
    {
        string full = Path.GetFullPath(path);
        if (full.StartsWith("/dev/", StringComparison.Ordinal))
        {
            using var device = new FileStream(full, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, 1 << 16);
            return write(device);
        }
        string dir = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(dir)) throw AukiException.NotFound($"no such directory: {dir}");
        if (Directory.Exists(full)) throw AukiException.Invalid($"{path} is a directory");
        string tmp = Path.Combine(dir, "." + Path.GetFileName(full) + "." + Environment.ProcessId + ".tmp");
        try
        {
            T result;
            using (var stream = new FileStream(tmp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
                result = write(stream);
            File.Move(tmp, full, overwrite: true);
            return result;
        }
        catch
        {
            // A half-written export is removed if it can be; the export's own error is what is reported.
            try { File.Delete(tmp); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            throw;
        }
    }

    /// <summary>The MCAP topic of a log: <c>/&lt;peer&gt;/&lt;resource_id&gt;</c>.</summary>
    public static string Topic(StoreLog log) => "/" + log.SourcePeerId + "/" + log.ResourceId;

    private sealed record ExportChannel(StoreLog Log, long? FromNs, long? ToNs, List<KeyValuePair<string, string>> ExtraMetadata);

    /// <summary>
    /// A log being exported: its channel, its reader (shared by the slice workers), its window in
    /// its own clock, the mapping of that clock to log_time, and the Foxglove channel converting its
    /// payloads (null: payloads as recorded).
    /// </summary>
    private sealed record Input(ushort ChannelId, StoreLog Log, LogReader Reader, long? FromNs, long? ToNs, ClockMapping Clock,
        FoxgloveChannel? Converter);

    /// <summary>A channel's one latched message (a camera calibration), written at its log's first exported entry.</summary>
    private sealed record LatchedMessage(ushort ChannelId, long LogTime, byte[] Data);

    /// <summary>A stretch of log time exported as a unit: [FromNs, ToNs] inclusive, with the segment bytes it covers.</summary>
    private sealed record Slice(long FromNs, long ToNs, long Bytes);

    /// <summary>
    /// What one slice produced: its chunks in order, its counts, the entries it had to skip per
    /// channel, and the mapped segments its chunks' payload views point into (unmapped once written).
    /// </summary>
    private sealed record SliceResult(List<McapChunk> Chunks, long Messages, long PayloadBytes, long? FirstNs, long? LastNs,
        Dictionary<ushort, Skips>? Skipped, List<MappedSegment> Mappings)
    {
        public void ReleaseMappings()
        {
            foreach (var map in Mappings) map.Dispose();
            Mappings.Clear();
        }
    }

    /// <summary>Entries of one channel left out: how many, and the first one's timestamp and reason.</summary>
    private sealed class Skips(long firstNs, string reason)
    {
        public long Count { get; set; }
        public long FirstNs { get; } = firstNs;
        public string Reason { get; } = reason;
    }

    /// <summary>Segment bytes per slice: big enough to amortize opening cursors, small enough to keep memory bounded.</summary>
    internal const long DefaultSliceBytes = 32L << 20;

    /// <summary>
    /// Payloads from a mapped segment at least this large go into their chunk as views, not copies
    /// (<see cref="McapChunk.TryAddView"/>). Smaller ones are copied: the output stream's 64 KiB buffer
    /// copies a write that small anyway, and a view costs a CRC combine and a write call.
    /// </summary>
    internal const int MinViewBytes = 64 << 10;

    private static McapExportSummary Export(string root, List<ExportChannel> channels, Stream output, McapExportOptions options)
    {
        using var writer = new McapWriter(output, new McapWriterOptions
        {
            Compression = options.Compression,
            ChunkSize = options.ChunkSize,
            Library = options.Library,
        });
        var registry = new StoreWalker.RegistryCache(root);
        var wallClock = options.Time == McapTime.Utc ? WallClock.Of(root) : null;
        bool foxglove = options.Profile == McapProfile.Foxglove;
        var schemas = new Dictionary<(RegistryKind, RegistryRef), ushort>();
        var foxgloveSchemas = new Dictionary<(string, string), (byte[] Data, ushort Id)>();
        var inputs = new List<Input>();
        var latched = new List<LatchedMessage>();
        var notes = new List<string>();
        var topics = new Dictionary<ushort, (string Topic, string? Type)>();
        var unmapped = new Dictionary<string, List<string>>(); // clock description -> topics kept as recorded
        if (foxglove) WriteMetadataRecords(writer, registry, channels, options);
        foreach (var channel in channels)
        {
            var log = channel.Log;
            var clock = wallClock?.For(log) ?? ClockMapping.AsRecorded();
            if (wallClock is not null && clock.Basis == WallClockBasis.AsRecorded)
            {
                if (!unmapped.TryGetValue(clock.Description, out var list)) unmapped[clock.Description] = list = [];
                list.Add(Topic(log));
            }
            // The window in the log's own clock: the activity session's, within the options' (given in log_time).
            var (ownFrom, ownTo) = (channel.FromNs, channel.ToNs);
            if (options.FromNs is not null || options.ToNs is not null)
            {
                var (earliest, latest) = clock.Preimage(options.FromNs ?? long.MinValue, options.ToNs ?? long.MaxValue);
                if (options.FromNs is not null) ownFrom = Max(ownFrom, earliest);
                if (options.ToNs is not null) ownTo = Min(ownTo, latest);
            }

            ushort channelId;
            FoxgloveChannel? converter = null;
            if (!foxglove)
            {
                ushort schemaId = SchemaFor(writer, registry, schemas, log);
                var metadata = Metadata(log, channel.ExtraMetadata);
                if (wallClock is not null) metadata.Add(new("auki.time", clock.Description));
                channelId = writer.AddChannel(schemaId, Topic(log), MessageEncoding, metadata);
            }
            else
            {
                var profile = FoxgloveProfile.ChannelsOf(TypedLog.Of(log), new FoxgloveContext { Clock = clock });
                converter = profile[0];
                channelId = AddFoxgloveChannel(writer, foxgloveSchemas, converter, log, channel.ExtraMetadata);
                topics[channelId] = (converter.Topic, converter.ConvertedFrom ?? converter.Schema?.Name);
                foreach (var extra in profile.Skip(1))
                {
                    ushort id = AddFoxgloveChannel(writer, foxgloveSchemas, extra, log, channel.ExtraMetadata);
                    if (extra.Latched is { } message && FirstTimestamp(log, ownFrom, ownTo) is long firstTs
                        && clock.Map(firstTs) is long at && at >= 0)
                        latched.Add(new LatchedMessage(id, at, message));
                }
            }
            if (!log.HasLogManifest || log.Segments.Count == 0) continue;
            try
            {
                inputs.Add(new Input(channelId, log, LogReader.Open(log.Directory), ownFrom, ownTo, clock, converter));
            }
            catch (AukiException e)
            {
                throw e.In(log.FileId);
            }
        }
        foreach (var (why, list) in unmapped) notes.Add($"{why} ({string.Join(", ", list)})");
        var slices = PlanSlices(inputs, options.SliceBytes);
        long total = slices.Sum(s => s.Bytes);
        var pool = new ConcurrentBag<McapChunk>();

        long messages = 0, payloadBytes = 0, read = 0;
        long? first = null, last = null;
        var skipped = new Dictionary<ushort, Skips>();
        void WriteSlice(Slice slice, SliceResult result)
        {
            try
            {
                foreach (var chunk in result.Chunks)
                {
                    writer.WriteChunk(chunk);
                    pool.Add(chunk);
                }
            }
            finally
            {
                result.ReleaseMappings(); // the chunks' payload views are written (or the export failed)
            }
            messages += result.Messages;
            payloadBytes += result.PayloadBytes;
            first ??= result.FirstNs;
            last = result.LastNs ?? last;
            read += slice.Bytes;
            foreach (var (id, skips) in result.Skipped ?? [])
            {
                if (skipped.TryGetValue(id, out var known)) known.Count += skips.Count;
                else skipped[id] = skips;
            }
            options.Progress?.Invoke(new McapExportProgress(read, total, messages));
        }

        // Sequence numbers count each channel's messages in file order, so slice k numbers its
        // messages from the counts slice k-1 ends with: each slice publishes its end counts as soon
        // as its merge is done, before the (slower) checksums and compression.
        var startCounts = slices.Select(_ => new TaskCompletionSource<long[]>(TaskCreationOptions.RunContinuationsAsynchronously)).ToArray();
        startCounts[0].SetResult(new long[writer.ChannelCount + 1]);
        SliceResult Build(int k)
        {
            SliceResult? result = null;
            try
            {
                result = BuildSlice(slices[k], inputs, latched, options, pool);
                var counts = (long[])startCounts[k].Task.GetAwaiter().GetResult().Clone();
                var end = (long[])counts.Clone();
                foreach (var chunk in result.Chunks) chunk.AddCounts(end);
                if (k + 1 < slices.Count) startCounts[k + 1].SetResult(end);
                using var compressor = ChunkCompressor.Create(options.Compression);
                if (options.Compression == McapCompression.Zstd) SealChoosingStorage(result.Chunks, counts, compressor, options.ChunkSize, pool);
                else
                {
                    foreach (var chunk in result.Chunks)
                    {
                        chunk.Number(counts);
                        chunk.Seal(compressor);
                    }
                }
            }
            catch (Exception e)
            {
                result?.ReleaseMappings();
                if (k + 1 < slices.Count) startCounts[k + 1].TrySetException(e);
                throw;
            }
            return result;
        }
        int workers = Math.Clamp(options.Parallelism, 1, slices.Count);
        if (workers <= 1)
        {
            for (int k = 0; k < slices.Count; k++) WriteSlice(slices[k], Build(k));
        }
        else
        {
            RunParallel(slices, workers, Build, WriteSlice, result => result.ReleaseMappings());
        }
        writer.Finish();
        options.Progress?.Invoke(new McapExportProgress(total, total, messages));
        foreach (var (id, skips) in skipped.OrderBy(p => p.Key))
        {
            var (topic, type) = topics[id];
            notes.Add(string.Create(CultureInfo.InvariantCulture,
                $"{topic}: skipped {skips.Count} {(skips.Count == 1 ? "entry that does" : "entries that do")} not fit {type} (first at {skips.FirstNs} ns: {skips.Reason}); --profile raw keeps every payload"));
        }
        return new McapExportSummary(messages, writer.ChannelCount, writer.SchemaCount, writer.ChunkCount, payloadBytes, writer.Position, first, last)
        {
            Skipped = skipped.Values.Sum(s => s.Count),
            UncompressedChunks = writer.UncompressedChunkCount,
            Notes = notes,
        };
    }

    /// <summary>
    /// Number and seal a slice's chunks like the other compressions, but a chunk that is mostly large
    /// messages whose data does not compress is split first: those messages go to a chunk stored
    /// uncompressed (MCAP lets each chunk name its own compression), the rest (poses, IMU, small
    /// messages) to one compressed as usual. zstd at level 3 spends as long on noise-like camera
    /// frames as on anything else, to store them as they were.
    /// </summary>
    /// <remarks>
    /// The test compresses the first <see cref="ProbeBytes"/> of the large messages' data, in record
    /// order (so frames that repeat one another within zstd's window count as compressible): at
    /// least <see cref="IncompressibleRatio"/> of it left means it does not compress. Only the
    /// slice's first chunk and those after a chunk that compressed poorly (to more than
    /// <see cref="PoorRatio"/>) are tested, so data that compresses pays for one test per slice;
    /// after a chunk that failed it, the next <see cref="UntestedSplits"/> chunks that are mostly
    /// large messages are split without one. The choice depends on the slice's chunks only: the file
    /// is the same with any number of workers.
    /// </remarks>
    private static void SealChoosingStorage(List<McapChunk> chunks, long[] counts, ChunkCompressor compressor, int chunkSize,
        ConcurrentBag<McapChunk> pool)
    {
        var sealedChunks = new List<McapChunk>(chunks.Count);
        byte[] sample = [], compressed = [];
        bool test = true;
        int untested = 0; // chunks to split without a test
        foreach (var chunk in chunks)
        {
            if (test || untested > 0)
            {
                if (sample.Length == 0) sample = GC.AllocateUninitializedArray<byte>(ProbeBytes);
                int n = chunk.SampleLarge(MinViewBytes, untested > 0 ? [] : sample, out long large);
                bool split = large * 2 >= chunk.Length;
                if (split && untested > 0) untested--;
                else if (split && compressor.CompressInto(sample.AsSpan(0, n), ref compressed) >= IncompressibleRatio * n) untested = UntestedSplits;
                else split = false;
                if (split)
                {
                    var stored = pool.TryTake(out var a) ? a : new McapChunk(chunkSize);
                    var rest = pool.TryTake(out var b) ? b : new McapChunk(chunkSize);
                    chunk.SplitLarge(MinViewBytes, stored, rest);
                    pool.Add(chunk);
                    foreach (var part in new[] { stored, rest })
                    {
                        if (part.MessageCount == 0)
                        {
                            pool.Add(part);
                            continue;
                        }
                        part.Number(counts);
                        part.Seal(compressor);
                        sealedChunks.Add(part);
                    }
                    continue;
                }
                untested = 0;
            }
            chunk.Number(counts);
            chunk.Seal(compressor);
            sealedChunks.Add(chunk);
            test = chunk.StoredLength > PoorRatio * chunk.Length;
        }
        chunks.Clear();
        chunks.AddRange(sealedChunks);
    }

    /// <summary>
    /// Bytes of a chunk's large messages compressed to judge whether they compress: half of zstd's
    /// window at level 3 (2 MiB), so frames of up to 512 KiB that repeat earlier ones are seen to.
    /// </summary>
    internal const int ProbeBytes = 1 << 20;

    /// <summary>Chunks split after one that failed the test, before the next test.</summary>
    internal const int UntestedSplits = 3;

    /// <summary>A sample that compresses to at least this share of its size is taken not to compress.</summary>
    internal const double IncompressibleRatio = 0.97;

    /// <summary>A chunk that compresses to more than this share of its size makes the next one tested.</summary>
    internal const double PoorRatio = 0.9;

    /// <summary>A Foxglove channel with the log's manifest metadata under the profile's; schemas shared by name and bytes.</summary>
    private static ushort AddFoxgloveChannel(McapWriter writer, Dictionary<(string, string), (byte[] Data, ushort Id)> schemas,
        FoxgloveChannel channel, StoreLog log, List<KeyValuePair<string, string>> extra)
    {
        ushort schemaId = 0;
        if (channel.Schema is { } schema)
        {
            var key = (schema.Name, schema.Encoding);
            if (schemas.TryGetValue(key, out var known) && known.Data.AsSpan().SequenceEqual(schema.Data)) schemaId = known.Id;
            else
            {
                schemaId = writer.AddSchema(schema.Name, schema.Encoding, schema.Data);
                schemas.TryAdd(key, (schema.Data, schemaId));
            }
        }
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in Metadata(log, extra)) metadata[k] = v;
        foreach (var (k, v) in channel.Metadata) metadata[k] = v;
        return writer.AddChannel(schemaId, channel.Topic, channel.MessageEncoding, metadata);
    }

    /// <summary>The first entry's timestamp of <paramref name="log"/> within [from, to], or null.</summary>
    private static long? FirstTimestamp(StoreLog log, long? from, long? to)
    {
        if (!log.HasLogManifest || log.Segments.Count == 0) return null;
        try
        {
            using var cursor = LogReader.Open(log.Directory).OpenCursor(from, to);
            while (cursor.TryNext(out long ts, out _))
                if (ts >= 0) return ts;
        }
        catch (AukiException)
        {
            // The main channel's reader reports the same problem with the log's name.
        }
        return null;
    }

    /// <summary>
    /// The Foxglove profile's Metadata records: one <c>auki.export</c> saying how the file was made
    /// (and that <c>--profile raw</c> keeps the payloads), one <c>auki.session</c> per peer and boot
    /// session, one <c>auki.manifest</c> per log, one <c>auki.registry</c> per registry entry its
    /// manifests reference (canonical JSON as stored, so it hashes to the reference).
    /// </summary>
    private static void WriteMetadataRecords(McapWriter writer, StoreWalker.RegistryCache registry, List<ExportChannel> channels,
        McapExportOptions options)
    {
        writer.AddMetadata("auki.export", new Dictionary<string, string>
        {
            ["profile"] = "foxglove",
            ["time"] = options.Time == McapTime.Utc ? "utc" : "monotonic",
            ["original_payloads"] = "converted channels (foxglove.* schemas) carry Foxglove messages; `auki export --profile raw` writes every entry's payload bytes as recorded",
        });
        var sessions = new SortedDictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        foreach (var channel in channels)
        {
            var log = channel.Log;
            var identity = new Dictionary<string, string> { ["peer_id"] = log.PeerId, ["source_peer_id"] = log.SourcePeerId };
            if (log.AppId is not null) identity["app_id"] = log.AppId;
            if (log.BootSessionId is not null) identity["boot_session_id"] = log.BootSessionId;
            identity["layout"] = log.Standalone ? "era A (<root>/logs)" : "era C (<root>/<session>/logs)";
            sessions.TryAdd($"{log.SourcePeerId}\n{log.PeerId}\n{log.BootSessionId}\n{log.AppId}", identity);
        }
        foreach (var identity in sessions.Values) writer.AddMetadata("auki.session", identity);
        var references = new List<(RegistryKind Kind, RegistryRef Ref)>();
        foreach (var channel in channels)
        {
            var log = channel.Log;
            var record = new Dictionary<string, string> { ["topic"] = Topic(log), ["file_id"] = log.FileId };
            if (log.Manifest is not null) record["manifest"] = CanonicalJson.SerializeToString(log.Manifest);
            if (log.LogManifest is not null) record["log_manifest"] = CanonicalJson.SerializeToString(log.LogManifest);
            writer.AddMetadata("auki.manifest", record);
            foreach (var manifest in new[] { log.Manifest, log.LogManifest })
                foreach (var (key, kind) in ReferenceKeys)
                    if (StoreWalker.RefField(manifest, key) is { } r && !references.Contains((kind, r))) references.Add((kind, r));
            if (log.SensorEntry is not null && StoreWalker.RefField(log.SensorEntry, "frame") is { } frame && !references.Contains((RegistryKind.Frame, frame)))
                references.Add((RegistryKind.Frame, frame));
        }
        foreach (var (kind, r) in references)
        {
            var bytes = registry.Bytes(kind, r);
            if (bytes is null) continue;
            writer.AddMetadata("auki.registry", new Dictionary<string, string>
            {
                ["kind"] = kind.ToString().ToLowerInvariant(),
                ["peer_id"] = r.PeerId,
                ["id"] = r.Id,
                ["hash"] = r.Hash,
                ["entry"] = System.Text.Encoding.UTF8.GetString(bytes),
            });
        }
    }

    /// <summary>Manifest keys holding registry references, and the registry each points into.</summary>
    private static readonly (string Key, RegistryKind Kind)[] ReferenceKeys =
    [
        ("sensor", RegistryKind.Sensor), ("input_sensor", RegistryKind.Sensor), ("detector", RegistryKind.Detector),
        ("clock", RegistryKind.Clock), ("from_clock", RegistryKind.Clock), ("to_clock", RegistryKind.Clock),
        ("frame", RegistryKind.Frame), ("from_frame", RegistryKind.Frame), ("to_frame", RegistryKind.Frame),
    ];

    /// <summary>
    /// Worker threads build slices in time order (at most a few ahead of the writer, so memory stays
    /// bounded) while this thread writes them in order: the file is the same as a single pass makes.
    /// </summary>
    /// <remarks>Slices built but not written (the export failed) go to <paramref name="discard"/>.</remarks>
    private static void RunParallel(List<Slice> slices, int workers, Func<int, SliceResult> build, Action<Slice, SliceResult> write,
        Action<SliceResult> discard)
    {
        var results = slices.Select(_ => new TaskCompletionSource<SliceResult>(TaskCreationOptions.RunContinuationsAsynchronously)).ToArray();
        using var ahead = new SemaphoreSlim(workers + 1);
        int next = -1;
        bool stop = false;
        void Work()
        {
            while (true)
            {
                ahead.Wait();
                int k = Interlocked.Increment(ref next);
                if (Volatile.Read(ref stop) || k >= slices.Count)
                {
                    ahead.Release();
                    return;
                }
                try
                {
                    results[k].SetResult(build(k));
                }
                catch (Exception e)
                {
                    results[k].SetException(e);
                    Volatile.Write(ref stop, true);
                }
            }
        }
        var threads = Enumerable.Range(0, workers).Select(_ => new Thread(Work) { IsBackground = true, Name = "auki export" }).ToList();
        foreach (var t in threads) t.Start();
        try
        {
            for (int k = 0; k < slices.Count; k++)
            {
                write(slices[k], results[k].Task.GetAwaiter().GetResult());
                ahead.Release();
            }
        }
        finally
        {
            Volatile.Write(ref stop, true);
            ahead.Release(workers);
            foreach (var t in threads) t.Join();
            foreach (var r in results)
                if (r.Task.IsCompletedSuccessfully) discard(r.Task.Result); // a written one has none left
        }
    }

    /// <summary>
    /// Cut the log time covered by the inputs into slices of about <paramref name="sliceBytes"/> of
    /// segment data, at segment starts (mapped to log time, so a segment is usually read by one slice only).
    /// </summary>
    private static List<Slice> PlanSlices(List<Input> inputs, long sliceBytes)
    {
        var segments = new List<(long Start, long Bytes)>();
        foreach (var input in inputs)
            foreach (var s in input.Log.Segments)
                if (Overlaps(s, input.Log.SegmentDurationNs, input.FromNs, input.ToNs)) segments.Add((input.Clock.Map(s.StartNs), s.FileBytes));
        segments.Sort();
        var slices = new List<Slice>();
        long from = long.MinValue, bytes = 0;
        foreach (var (start, size) in segments)
        {
            if (bytes >= sliceBytes && start > from)
            {
                slices.Add(new Slice(from, start - 1, bytes));
                from = start;
                bytes = 0;
            }
            bytes += size;
        }
        slices.Add(new Slice(from, long.MaxValue, bytes));
        return slices;
    }

    /// <summary>Merge every input's entries (and latched messages) whose log time falls inside the slice into chunks.</summary>
    private static SliceResult BuildSlice(Slice slice, List<Input> inputs, List<LatchedMessage> latched, McapExportOptions options,
        ConcurrentBag<McapChunk> pool)
    {
        var sources = new List<Source>();
        var chunks = new List<McapChunk>();
        var mappings = new List<MappedSegment>();
        bool built = false;
        long messages = 0, payloadBytes = 0;
        long? first = null, last = null;
        Dictionary<ushort, Skips>? skipped = null;
        long outFrom = Math.Max(slice.FromNs, options.FromNs ?? long.MinValue);
        long outTo = Math.Min(slice.ToNs, options.ToNs ?? long.MaxValue);
        try
        {
            foreach (var input in inputs)
            {
                if (outFrom > outTo) break;
                var (rawFrom, rawTo) = input.Clock.Preimage(outFrom, outTo);
                long lo = Math.Max(rawFrom, input.FromNs ?? long.MinValue);
                long hi = Math.Min(rawTo, input.ToNs ?? long.MaxValue);
                if (lo > hi) continue;
                sources.Add(new Source(input, MappedLogCursor.Open(input.Reader, lo, hi, mappings), outFrom, outTo));
            }
            foreach (var message in latched)
                if (message.LogTime >= slice.FromNs && message.LogTime <= slice.ToNs) sources.Add(new Source(message));
            // k-way merge by log time; ties go to the earlier source so the order is deterministic.
            var queue = new PriorityQueue<int, (long, int)>(sources.Count);
            for (int i = 0; i < sources.Count; i++)
                if (sources[i].Advance()) queue.Enqueue(i, (sources[i].LogTime, i));
            McapChunk? chunk = null;
            // Views only for uncompressed chunks: a compressor needs the records whole, and copying a
            // payload into the chunk as it is added is cheaper than copying it there when sealing
            // (a second buffer per chunk, and its page faults: 10–20 % of a zstd export's wall time).
            bool views = options.Compression == McapCompression.None;
            var prefix = new ArrayBufferWriter<byte>(256);
            var suffix = new ArrayBufferWriter<byte>(256);
            void Skip(Source source, AukiException e)
            {
                skipped ??= [];
                if (!skipped.TryGetValue(source.ChannelId, out var skips)) skipped[source.ChannelId] = skips = new Skips(source.TimestampNs, e.Message);
                skips.Count++;
            }
            while (queue.TryDequeue(out int i, out _))
            {
                var source = sources[i];
                long ts = source.LogTime;
                var data = source.Payload;
                int length;
                if (source.Converter is { } around && views && source.PayloadIsMapped && data.Length >= MinViewBytes)
                {
                    // A large payload of a mapped segment (a camera frame) stays where it is, as raw
                    // payloads do: the chunk copies only the converted message's fields around it.
                    (int at, int bulk) view;
                    prefix.ResetWrittenCount();
                    suffix.ResetWrittenCount();
                    try
                    {
                        view = around.ConvertAround(source.TimestampNs, data, prefix, suffix);
                    }
                    catch (AukiException e)
                    {
                        Skip(source, e);
                        if (source.Advance()) queue.Enqueue(i, (source.LogTime, i));
                        continue;
                    }
                    var bulk = data.Slice(view.at, view.bulk);
                    uint crc = Crc32.HashToUInt32(bulk); // in cache from the CRC32C check
                    if (chunk is not null && AddAround(chunk, source.ChannelId, (ulong)ts, prefix.WrittenSpan, bulk, crc, suffix.WrittenSpan))
                    {
                        if (chunk.MessageCount == 1) chunks.Add(chunk); // one taken for a message that did not convert
                    }
                    else
                    {
                        chunk = pool.TryTake(out var reused) ? reused : new McapChunk(options.ChunkSize);
                        chunks.Add(chunk);
                        AddAround(chunk, source.ChannelId, (ulong)ts, prefix.WrittenSpan, bulk, crc, suffix.WrittenSpan);
                    }
                    length = prefix.WrittenCount + bulk.Length + suffix.WrittenCount;
                }
                else if (source.Converter is { } converter)
                {
                    // Converted messages are encoded straight into the chunk; the rare one that takes
                    // a chunk past its size moves to the next chunk (one copy per chunk, not per message).
                    chunk ??= pool.TryTake(out var reused) ? reused : new McapChunk(options.ChunkSize);
                    var message = chunk.BeginMessage();
                    try
                    {
                        converter.Convert(source.TimestampNs, data, message);
                    }
                    catch (AukiException e)
                    {
                        chunk.DiscardMessage();
                        Skip(source, e);
                        if (source.Advance()) queue.Enqueue(i, (source.LogTime, i));
                        continue;
                    }
                    length = chunk.PendingMessage.Length;
                    if (chunk.CommitMessage(source.ChannelId, (ulong)ts, (ulong)ts))
                    {
                        if (chunk.MessageCount == 1) chunks.Add(chunk);
                    }
                    else
                    {
                        var next = pool.TryTake(out var spare) ? spare : new McapChunk(options.ChunkSize);
                        next.TryAdd(source.ChannelId, (ulong)ts, (ulong)ts, chunk.PendingMessage);
                        chunk.DiscardMessage();
                        chunks.Add(next);
                        chunk = next;
                    }
                }
                else
                {
                    // A large payload of a mapped segment stays where it is: the chunk holds a view and
                    // its CRC-32, taken now while the bytes are in cache from the CRC32C check.
                    bool view = views && source.PayloadIsMapped && data.Length >= MinViewBytes;
                    uint crc = view ? Crc32.HashToUInt32(data) : 0;
                    if (chunk is not null && AddPayload(chunk, source.ChannelId, (ulong)ts, data, view, crc))
                    {
                        if (chunk.MessageCount == 1) chunks.Add(chunk); // one taken for a message that did not convert
                    }
                    else
                    {
                        chunk = pool.TryTake(out var reused) ? reused : new McapChunk(options.ChunkSize);
                        chunks.Add(chunk);
                        AddPayload(chunk, source.ChannelId, (ulong)ts, data, view, crc);
                    }
                    length = data.Length;
                }
                if (chunk.IsFull) chunk = null;
                messages++;
                payloadBytes += length;
                first ??= ts;
                last = ts;
                if (source.Advance()) queue.Enqueue(i, (source.LogTime, i));
            }
            if (chunk is { MessageCount: 0 }) pool.Add(chunk); // taken for messages that did not convert
            foreach (var s in sources) s.Cursor?.Dispose(); // hands its last mapping to the list
            built = true;
            return new SliceResult(chunks, messages, payloadBytes, first, last, skipped, mappings);
        }
        finally
        {
            if (!built)
            {
                foreach (var s in sources) s.Cursor?.Dispose();
                foreach (var map in mappings) map.Dispose();
            }
        }
    }

    /// <summary>A payload into <paramref name="chunk"/>, as a view into its mapped segment or as a copy; false when the chunk is full.</summary>
    private static unsafe bool AddPayload(McapChunk chunk, ushort channelId, ulong ts, ReadOnlySpan<byte> data, bool view, uint crc)
    {
        if (!view) return chunk.TryAdd(channelId, ts, ts, data);
        fixed (byte* address = data) return chunk.TryAddView(channelId, ts, ts, address, data.Length, crc);
    }

    /// <summary>A converted message into <paramref name="chunk"/>: its fields copied, <paramref name="bulk"/> (in a mapped segment) as a view; false when the chunk is full.</summary>
    private static unsafe bool AddAround(McapChunk chunk, ushort channelId, ulong ts, ReadOnlySpan<byte> prefix, ReadOnlySpan<byte> bulk, uint crc,
        ReadOnlySpan<byte> suffix)
    {
        fixed (byte* address = bulk) return chunk.TryAddAround(channelId, ts, ts, prefix, address, bulk.Length, crc, suffix);
    }

    private static bool Overlaps(StoreSegment s, long? duration, long? from, long? to)
    {
        long end = duration is long d && d > 0 ? SegmentFormat.SaturatingAdd(s.StartNs, d) : long.MaxValue;
        return (to is null || s.StartNs <= to) && (from is null || end > from);
    }

    private static ushort SchemaFor(McapWriter writer, StoreWalker.RegistryCache registry,
        Dictionary<(RegistryKind, RegistryRef), ushort> schemas, StoreLog log)
    {
        (RegistryKind Kind, RegistryRef Ref)? key = log.Kind switch
        {
            "sensor" when log.SensorRef is not null => (RegistryKind.Sensor, log.SensorRef),
            "detection" when log.DetectorRef is not null => (RegistryKind.Detector, log.DetectorRef),
            _ => null,
        };
        if (key is null) return 0;
        if (schemas.TryGetValue(key.Value, out ushort id)) return id;
        var bytes = registry.Bytes(key.Value.Kind, key.Value.Ref);
        var entry = registry.Entry(key.Value.Kind, key.Value.Ref);
        if (bytes is null || entry is null) return 0;
        string name = key.Value.Kind == RegistryKind.Sensor
            ? "auki." + (StoreWalker.StringField(entry, "kind") ?? "sensor")
            : "auki.detector";
        id = writer.AddSchema(name, SchemaEncoding, bytes);
        schemas[key.Value] = id;
        return id;
    }

    /// <summary>The manifest flattened to strings (objects as canonical JSON), plus where the log came from.</summary>
    private static List<KeyValuePair<string, string>> Metadata(StoreLog log, List<KeyValuePair<string, string>> extra)
    {
        var metadata = new List<KeyValuePair<string, string>>();
        var manifest = log.Manifest ?? log.LogManifest;
        if (manifest is not null)
        {
            foreach (var (key, value) in manifest)
            {
                string text = value is JsonValue v && v.GetValueKind() == JsonValueKind.String
                    ? v.GetValue<string>()
                    : CanonicalJson.SerializeToString(value);
                metadata.Add(new(key, text));
            }
        }
        metadata.Add(new("auki.file_id", log.FileId));
        if (log.Kind is not null) metadata.Add(new("auki.kind", log.Kind));
        metadata.Add(new("auki.state", log.State));
        metadata.AddRange(extra);
        return metadata;
    }

    private static long? Max(long? a, long? b) => a is null ? b : b is null ? a : Math.Max(a.Value, b.Value);
    private static long? Min(long? a, long? b) => a is null ? b : b is null ? a : Math.Min(a.Value, b.Value);

    /// <summary>
    /// One log being read: its cursor and its next entry, held as a view into the cursor's pinned
    /// buffer, with its log time; or a single latched message.
    /// </summary>
    private sealed unsafe class Source
    {
        private readonly string _fileId = "";
        private readonly ClockMapping? _clock;
        private readonly long _outFrom, _outTo;
        private readonly byte[]? _latched;
        private byte* _payload;
        private int _length;

        public Source(Input input, MappedLogCursor cursor, long outFrom, long outTo)
        {
            ChannelId = input.ChannelId;
            Cursor = cursor;
            Converter = input.Converter;
            _fileId = input.Log.FileId;
            _clock = input.Clock.IsIdentity ? null : input.Clock;
            (_outFrom, _outTo) = (outFrom, outTo);
        }

        public Source(LatchedMessage message)
        {
            ChannelId = message.ChannelId;
            _latched = message.Data;
            LogTime = TimestampNs = message.LogTime;
        }

        public ushort ChannelId { get; }
        public MappedLogCursor? Cursor { get; }

        /// <summary>Whether <see cref="Payload"/> lies in a mapped segment, so stays valid until the slice is written.</summary>
        public bool PayloadIsMapped => Cursor is not null && Cursor.PayloadIsMapped;
        public FoxgloveChannel? Converter { get; }

        /// <summary>The entry's timestamp in its log's clock.</summary>
        public long TimestampNs { get; private set; }

        /// <summary>The time it is written at.</summary>
        public long LogTime { get; private set; }

        /// <summary>
        /// Valid until the next <see cref="Advance"/> (the cursor's buffer is pinned and only this source
        /// moves it), or until the slice's mappings are released when <see cref="PayloadIsMapped"/>.
        /// </summary>
        public ReadOnlySpan<byte> Payload => Cursor is null ? _latched.AsSpan() : new ReadOnlySpan<byte>(_payload, _length);

        public bool Advance()
        {
            if (Cursor is null)
            {
                if (_length < 0) return false;
                _length = -1; // a latched message is read once
                return true;
            }
            while (true)
            {
                bool more;
                long ts;
                ReadOnlySpan<byte> payload;
                try
                {
                    more = Cursor.TryNext(out ts, out payload);
                }
                catch (AukiException e)
                {
                    throw e.In(_fileId);
                }
                if (!more) return false;
                if (ts < 0) continue; // never written by the engine; MCAP times are unsigned
                long at = ts;
                if (_clock is not null)
                {
                    at = _clock.Map(ts);
                    if (at < _outFrom || at > _outTo || at < 0) continue; // another slice's, or before 1970
                }
                TimestampNs = ts;
                LogTime = at;
                _payload = (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetReference(payload));
                _length = payload.Length;
                return true;
            }
        }
    }
}
