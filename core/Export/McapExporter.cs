using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Auki.Activity;
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

/// <summary>How far an export is: bytes of segment data read of the total in range, messages written.</summary>
public readonly record struct McapExportProgress(long BytesRead, long TotalBytes, long Messages);

/// <summary>What an export wrote.</summary>
public sealed record McapExportSummary(long Messages, int Channels, int Schemas, uint Chunks, long PayloadBytes, long FileBytes,
    long? StartNs, long? EndNs);

/// <summary>
/// Turns recorded logs into one MCAP file: a channel per log on topic
/// <c>/&lt;peer&gt;/&lt;resource_id&gt;</c> whose metadata is the log's manifest, a schema per sensor
/// (or detector) registry entry, and every entry as a message with log_time = publish_time =
/// its timestamp, merged across logs in timestamp order.
/// </summary>
/// <remarks>
/// Schemas: name <c>auki.&lt;sensor kind&gt;</c> (<c>auki.camera</c>, …, <c>auki.detector</c>), encoding
/// <see cref="SchemaEncoding"/>, data = the registry entry's canonical JSON bytes exactly as
/// stored (so its XXH3-128 is the hash in the channel's manifest). Pose and time-transform logs
/// have no registry entry of their own and get schema 0. Payloads are opaque bytes
/// (<see cref="MessageEncoding"/>): viewers list and time-align them; decoding is the sensor's business.
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
            .Select(log => new ExportChannel(log, options.FromNs, options.ToNs, []))
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
            long? lo = Max(contribution.File.RangeMinTimestampNs, options.FromNs);
            long? hi = Min(contribution.File.RangeMaxTimestampNs, options.ToNs);
            if (lo > hi) continue;
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

    /// <summary>A log being exported: its channel, its reader (shared by the slice workers) and its window.</summary>
    private sealed record Input(ushort ChannelId, StoreLog Log, LogReader Reader, long? FromNs, long? ToNs);

    /// <summary>A stretch of time exported as a unit: [FromNs, ToNs] inclusive, with the segment bytes it covers.</summary>
    private sealed record Slice(long FromNs, long ToNs, long Bytes);

    /// <summary>What one slice produced: its chunks in order and its counts.</summary>
    private sealed record SliceResult(List<McapChunk> Chunks, long Messages, long PayloadBytes, long? FirstNs, long? LastNs);

    /// <summary>Segment bytes per slice: big enough to amortize opening cursors, small enough to keep memory bounded.</summary>
    internal const long DefaultSliceBytes = 32L << 20;

    private static McapExportSummary Export(string root, List<ExportChannel> channels, Stream output, McapExportOptions options)
    {
        using var writer = new McapWriter(output, new McapWriterOptions
        {
            Compression = options.Compression,
            ChunkSize = options.ChunkSize,
            Library = options.Library,
        });
        var registry = new StoreWalker.RegistryCache(root);
        var schemas = new Dictionary<(RegistryKind, RegistryRef), ushort>();
        var inputs = new List<Input>();
        foreach (var channel in channels)
        {
            var log = channel.Log;
            ushort schemaId = SchemaFor(writer, registry, schemas, log);
            ushort channelId = writer.AddChannel(schemaId, Topic(log), MessageEncoding, Metadata(log, channel.ExtraMetadata));
            if (!log.HasLogManifest || log.Segments.Count == 0) continue;
            try
            {
                inputs.Add(new Input(channelId, log, LogReader.Open(log.Directory), channel.FromNs, channel.ToNs));
            }
            catch (AukiException e)
            {
                throw new AukiException(e.Code, $"{log.FileId}: {e.Message}", e);
            }
        }
        var slices = PlanSlices(inputs, options.SliceBytes);
        long total = slices.Sum(s => s.Bytes);
        var pool = new ConcurrentBag<McapChunk>();

        long messages = 0, payloadBytes = 0, read = 0;
        long? first = null, last = null;
        void WriteSlice(Slice slice, SliceResult result)
        {
            foreach (var chunk in result.Chunks)
            {
                writer.WriteChunk(chunk);
                pool.Add(chunk);
            }
            messages += result.Messages;
            payloadBytes += result.PayloadBytes;
            first ??= result.FirstNs;
            last = result.LastNs ?? last;
            read += slice.Bytes;
            options.Progress?.Invoke(new McapExportProgress(read, total, messages));
        }

        // Sequence numbers count each channel's messages in file order, so slice k numbers its
        // messages from the counts slice k-1 ends with: each slice publishes its end counts as soon
        // as its merge is done, before the (slower) checksums and compression.
        var startCounts = slices.Select(_ => new TaskCompletionSource<long[]>(TaskCreationOptions.RunContinuationsAsynchronously)).ToArray();
        startCounts[0].SetResult(new long[writer.ChannelCount + 1]);
        SliceResult Build(int k)
        {
            SliceResult result;
            try
            {
                result = BuildSlice(slices[k], inputs, pool, options.ChunkSize);
                var counts = (long[])startCounts[k].Task.GetAwaiter().GetResult().Clone();
                var end = (long[])counts.Clone();
                foreach (var chunk in result.Chunks) chunk.AddCounts(end);
                if (k + 1 < slices.Count) startCounts[k + 1].SetResult(end);
                using var compressor = ChunkCompressor.Create(options.Compression);
                foreach (var chunk in result.Chunks)
                {
                    chunk.Number(counts);
                    chunk.Seal(compressor);
                }
            }
            catch (Exception e)
            {
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
            RunParallel(slices, workers, Build, WriteSlice);
        }
        writer.Finish();
        options.Progress?.Invoke(new McapExportProgress(total, total, messages));
        return new McapExportSummary(messages, writer.ChannelCount, writer.SchemaCount, writer.ChunkCount, payloadBytes, writer.Position, first, last);
    }

    /// <summary>
    /// Worker threads build slices in time order (at most a few ahead of the writer, so memory stays
    /// bounded) while this thread writes them in order: the file is the same as a single pass makes.
    /// </summary>
    private static void RunParallel(List<Slice> slices, int workers, Func<int, SliceResult> build, Action<Slice, SliceResult> write)
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
        }
    }

    /// <summary>
    /// Cut the time covered by the inputs into slices of about <paramref name="sliceBytes"/> of segment
    /// data, at segment starts (so a segment is usually read by one slice only).
    /// </summary>
    private static List<Slice> PlanSlices(List<Input> inputs, long sliceBytes)
    {
        var segments = new List<(long Start, long Bytes)>();
        foreach (var input in inputs)
            foreach (var s in input.Log.Segments)
                if (Overlaps(s, input.Log.SegmentDurationNs, input.FromNs, input.ToNs)) segments.Add((s.StartNs, s.FileBytes));
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

    /// <summary>Merge every input's entries inside the slice by timestamp into chunks.</summary>
    private static SliceResult BuildSlice(Slice slice, List<Input> inputs, ConcurrentBag<McapChunk> pool, int chunkSize)
    {
        var sources = new List<Source>();
        var chunks = new List<McapChunk>();
        long messages = 0, payloadBytes = 0;
        long? first = null, last = null;
        try
        {
            foreach (var input in inputs)
            {
                long lo = Math.Max(slice.FromNs, input.FromNs ?? long.MinValue);
                long hi = Math.Min(slice.ToNs, input.ToNs ?? long.MaxValue);
                if (lo > hi) continue;
                sources.Add(new Source(input.ChannelId, input.Reader.OpenCursor(lo, hi), input.Log.FileId));
            }
            // k-way merge by timestamp; ties go to the earlier channel so the order is deterministic.
            var queue = new PriorityQueue<int, (long, int)>(sources.Count);
            for (int i = 0; i < sources.Count; i++)
                if (sources[i].Advance()) queue.Enqueue(i, (sources[i].TimestampNs, i));
            McapChunk? chunk = null;
            while (queue.TryDequeue(out int i, out _))
            {
                var source = sources[i];
                long ts = source.TimestampNs;
                var payload = source.Payload;
                if (chunk is null || !chunk.TryAdd(source.ChannelId, (ulong)ts, (ulong)ts, payload))
                {
                    chunk = pool.TryTake(out var reused) ? reused : new McapChunk(chunkSize);
                    chunks.Add(chunk);
                    chunk.TryAdd(source.ChannelId, (ulong)ts, (ulong)ts, payload);
                }
                if (chunk.IsFull) chunk = null;
                messages++;
                payloadBytes += payload.Length;
                first ??= ts;
                last = ts;
                if (source.Advance()) queue.Enqueue(i, (source.TimestampNs, i));
            }
            return new SliceResult(chunks, messages, payloadBytes, first, last);
        }
        finally
        {
            foreach (var s in sources) s.Cursor.Dispose();
        }
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

    /// <summary>One log being read: its cursor and its next entry, held as a view into the cursor's pinned buffer.</summary>
    private sealed unsafe class Source(ushort channelId, LogCursor cursor, string fileId)
    {
        private byte* _payload;
        private int _length;

        public ushort ChannelId { get; } = channelId;
        public LogCursor Cursor { get; } = cursor;
        public long TimestampNs { get; private set; }

        /// <summary>Valid until the next <see cref="Advance"/>: the cursor's buffer is pinned and only this source moves it.</summary>
        public ReadOnlySpan<byte> Payload => new(_payload, _length);

        public bool Advance()
        {
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
                    throw new AukiException(e.Code, $"{fileId}: {e.Message}", e);
                }
                if (!more) return false;
                if (ts < 0) continue; // never written by the engine; MCAP times are unsigned
                TimestampNs = ts;
                _payload = (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetReference(payload));
                _length = payload.Length;
                return true;
            }
        }
    }
}
