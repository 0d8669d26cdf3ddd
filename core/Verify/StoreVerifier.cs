using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Auki.Activity;
using Auki.Hashing;
using Auki.Ids;
using Auki.Inspect;
using Auki.Json;
using Auki.Logs;
using Auki.Registry;
using Auki.Sessions;

namespace Auki.Verify;

/// <summary>How bad a finding is.</summary>
public enum FindingSeverity
{
    /// <summary>Damage: data that readers refuse or that does not match its address. Verify fails.</summary>
    Error,
    /// <summary>Worth knowing, not damage (a torn tail, a leftover temp file, a dangling reference).</summary>
    Warning,
    /// <summary>A torn tail that <c>--repair</c> cut.</summary>
    Repaired,
}

/// <summary>One finding: what, and where (a path relative to the storage root, <c>/</c>-separated).</summary>
/// <param name="Severity">Error, warning or repaired.</param>
/// <param name="Path">The file or directory concerned, relative to the root.</param>
/// <param name="Message">A sentence for people.</param>
public sealed record VerifyFinding(FindingSeverity Severity, string Path, string Message);

/// <summary>Options of <see cref="StoreVerifier.Verify"/>.</summary>
public sealed record VerifyOptions
{
    /// <summary>Cut torn tails (truncate to the last complete entry) of logs no writer holds.</summary>
    public bool Repair { get; init; }

    /// <summary>Segments scanned at once (each scan is one sequential read of a file).</summary>
    public int Parallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>Called from scanning threads with (segment bytes scanned, total segment bytes).</summary>
    public Action<long, long>? Progress { get; init; }

    /// <summary>Also decode every entry of each typed log as its message type (an entry that does not is an error).</summary>
    public bool Payloads { get; init; }
}

/// <summary>What <see cref="StoreVerifier.Verify"/> checked and found.</summary>
public sealed class VerifyReport
{
    /// <summary>Findings in a stable order: registries, then logs by path, then activity sessions.</summary>
    public required IReadOnlyList<VerifyFinding> Findings { get; init; }

    /// <summary>Registry files re-hashed.</summary>
    public int RegistryFiles { get; init; }

    /// <summary>Log directories checked.</summary>
    public int Logs { get; init; }

    /// <summary>manifest.json, log_manifest.json and sealed.json files parsed.</summary>
    public int Manifests { get; init; }

    /// <summary>Segment files scanned.</summary>
    public int Segments { get; init; }

    /// <summary>Bytes of all segment files scanned.</summary>
    public long SegmentBytes { get; init; }

    /// <summary>Complete entries found.</summary>
    public long Entries { get; init; }

    /// <summary>Activity-session documents parsed.</summary>
    public int ActivitySessions { get; init; }

    /// <summary>Entries decoded as their log's message type (only with <see cref="VerifyOptions.Payloads"/>).</summary>
    public long PayloadsChecked { get; init; }

    /// <summary>Findings of severity Error.</summary>
    public int Errors => Findings.Count(f => f.Severity == FindingSeverity.Error);

    /// <summary>Findings of severity Warning.</summary>
    public int Warnings => Findings.Count(f => f.Severity == FindingSeverity.Warning);

    /// <summary>Torn tails cut.</summary>
    public int Repaired => Findings.Count(f => f.Severity == FindingSeverity.Repaired);

    /// <summary>No errors (warnings allowed).</summary>
    public bool Ok => Errors == 0;
}

/// <summary>
/// Checks a storage root end to end: every registry file re-hashed against its name (XXH3-128 of
/// its bytes) with its peer and id matched against its path; every manifest.json,
/// log_manifest.json, sealed.json and activity-session document parsed; every segment scanned
/// entry by entry with every v2 checksum verified. Never changes anything unless asked to repair.
/// </summary>
/// <remarks>
/// A torn tail (a final entry cut short, or a v2 final entry whose checksum fails) is a warning,
/// not an error: it is what a crash mid-write leaves, readers stop before it and the next writer
/// cuts it, so no data that was ever complete is lost. <see cref="VerifyOptions.Repair"/> cuts it
/// now, only for logs whose writer lock is free. A bad checksum with complete entries after it,
/// bad magic, an unknown version, timestamps that go backwards or a registry file whose content
/// does not hash to its name are errors. v1 segments carry no checksums: a flipped payload bit
/// there cannot be seen by anyone.
/// </remarks>
public static class StoreVerifier
{
    private static readonly (string Field, RegistryKind Kind)[] ManifestRefs =
    [
        ("sensor", RegistryKind.Sensor), ("input_sensor", RegistryKind.Sensor), ("clock", RegistryKind.Clock),
        ("from_clock", RegistryKind.Clock), ("to_clock", RegistryKind.Clock), ("frame", RegistryKind.Frame),
        ("from_frame", RegistryKind.Frame), ("to_frame", RegistryKind.Frame), ("detector", RegistryKind.Detector),
    ];

    /// <summary>Verify <paramref name="root"/>; a missing root is NotFound, everything else is a finding.</summary>
    public static VerifyReport Verify(string root, VerifyOptions? options = null)
    {
        options ??= new VerifyOptions();
        if (!Directory.Exists(root)) throw AukiException.NotFound($"no such directory: {root}");
        var run = new Run(root, options);
        run.Registries();
        run.LogsAndSegments();
        run.ActivitySessions();
        return new VerifyReport
        {
            Findings = run.Findings,
            RegistryFiles = run.RegistryFiles,
            Logs = run.LogCount,
            Manifests = run.ManifestCount,
            Segments = run.SegmentCount,
            SegmentBytes = run.SegmentBytes,
            Entries = run.EntryCount,
            ActivitySessions = run.ActivitySessionCount,
            PayloadsChecked = run.PayloadCount,
        };
    }

    private sealed class Run(string root, VerifyOptions options)
    {
        public readonly List<VerifyFinding> Findings = [];
        public int RegistryFiles;
        public int LogCount;
        public int ManifestCount;
        public int SegmentCount;
        public long SegmentBytes;
        public long EntryCount;
        public int ActivitySessionCount;
        public long PayloadCount;

        private void Error(string path, string message) => Findings.Add(new(FindingSeverity.Error, Rel(path), message));
        private void Warn(string path, string message) => Findings.Add(new(FindingSeverity.Warning, Rel(path), message));

        private string Rel(string path) => Path.GetRelativePath(root, path).Replace(Path.DirectorySeparatorChar, '/');

        // ---- registries ------------------------------------------------------------------------

        public void Registries()
        {
            string registries = Path.Combine(root, "registries");
            if (!Directory.Exists(registries)) return;
            foreach (var file in Files(registries)) Warn(file, "unexpected file in registries/");
            foreach (var kindDir in StoreWalker.SortedDirectories(registries))
            {
                RegistryKind kind;
                try { kind = RegistryKinds.Parse(Path.GetFileName(kindDir)); }
                catch (AukiException)
                {
                    Warn(kindDir, "unknown registry kind directory (not sensors, clocks, frames or detectors)");
                    continue;
                }
                foreach (var file in Files(kindDir)) Warn(file, "unexpected file in a registry kind directory");
                foreach (var peerDir in StoreWalker.SortedDirectories(kindDir))
                {
                    foreach (var file in Files(peerDir)) Warn(file, "unexpected file in a registry peer directory");
                    foreach (var idDir in StoreWalker.SortedDirectories(peerDir))
                    {
                        foreach (var stray in StoreWalker.SortedDirectories(idDir)) Warn(stray, "unexpected directory in a registry id directory");
                        foreach (var file in Files(idDir)) RegistryFile(kind, Path.GetFileName(peerDir), Path.GetFileName(idDir), file);
                    }
                }
            }
        }

        private void RegistryFile(RegistryKind kind, string peerSegment, string idSegment, string path)
        {
            string name = Path.GetFileName(path);
            if (name.StartsWith('.') && name.EndsWith(".tmp", StringComparison.Ordinal))
            {
                Warn(path, "leftover temporary file of an interrupted write (safe to delete)");
                return;
            }
            // A device model's id directory also holds TIP, the hash List reports (upstream's pointer file).
            if (kind == RegistryKind.DeviceModel && name == DeviceModelTip.FileName) return;
            if (!name.EndsWith(".json", StringComparison.Ordinal))
            {
                Warn(path, "unexpected file in a registry id directory");
                return;
            }
            RegistryFiles++;
            string stem = name[..^5];
            if (!ContentHash.IsWellFormed(stem))
            {
                Error(path, "file name is not a content hash (32 lowercase hex characters + .json)");
                return;
            }
            byte[] bytes;
            try { bytes = File.ReadAllBytes(path); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Error(path, "could not be read: " + e.Message);
                return;
            }
            string actual = ContentHash.Of(bytes);
            if (actual != stem)
                Error(path, $"content hashes to {actual}, not to its file name (renamed or modified)");
            JsonObject entry;
            try
            {
                if (JsonText.Parse(bytes) is not JsonObject o)
                {
                    Error(path, "registry entry is not a JSON object");
                    return;
                }
                entry = o;
            }
            catch (AukiException e)
            {
                Error(path, e.Message);
                return;
            }
            CheckPathField(path, entry, "peer_id", peerSegment, "peer");
            CheckPathField(path, entry, kind.IdField(), idSegment, "id");
            if (actual == stem && !CanonicalBytes(entry).AsSpan().SequenceEqual(bytes))
                Warn(path, "not in canonical form (RFC 8785): peers hashing the entry would get another hash");
        }

        private void CheckPathField(string path, JsonObject entry, string field, string segment, string what)
        {
            string? value = StoreWalker.StringField(entry, field);
            if (value is null) Error(path, $"registry entry has no string \"{field}\"");
            else if (RegistryId.PathSegment(value) != segment)
                Error(path, $"{field} \"{value}\" does not match its {what} directory \"{segment}\"");
        }

        private static byte[] CanonicalBytes(JsonObject entry)
        {
            try { return CanonicalJson.Serialize(entry); }
            catch (AukiException) { return []; }
        }

        // ---- logs ------------------------------------------------------------------------------

        private sealed class SegmentJob
        {
            public required LogJob Log;
            public required string Path;
            public required long Start;

            /// <summary>The log's newest segment: the only one where a torn tail is a crash's, not damage.</summary>
            public bool IsLatest;
            public SegmentScanReport? Report;
        }

        private sealed class LogJob
        {
            public required StoreLog Log;
            public List<SegmentJob> Segments = [];
            public long? SealedFinishNs;
        }

        public void LogsAndSegments()
        {
            var logs = StoreWalker.Logs(root, scanSegments: false);
            var jobs = new List<LogJob>();
            foreach (var log in logs)
            {
                LogCount++;
                var job = new LogJob { Log = log };
                Manifests(job);
                foreach (var segment in log.Segments)
                    job.Segments.Add(new SegmentJob { Log = job, Path = segment.Path, Start = segment.StartNs });
                if (job.Segments.Count > 0) job.Segments[^1].IsLatest = true;
                StraySegmentFiles(log);
                jobs.Add(job);
            }

            // Biggest first, handed out one at a time: the threads finish together.
            var all = jobs.SelectMany(j => j.Segments).Select(s => (Segment: s, Length: FileLength(s.Path))).ToList();
            long total = all.Sum(s => s.Length);
            var queue = all.OrderByDescending(s => s.Length).Select(s => s.Segment).ToList();
            long done = 0;
            int next = -1;
            void Work()
            {
                for (int i; (i = Interlocked.Increment(ref next)) < queue.Count;)
                {
                    var s = queue[i];
                    s.Report = SegmentScanner.Scan(s.Path, verifyAllChecksums: true, isLatest: s.IsLatest);
                    options.Progress?.Invoke(Interlocked.Add(ref done, s.Report.FileBytes), total);
                }
            }
            var threads = Enumerable.Range(1, Math.Clamp(options.Parallelism, 1, Math.Max(1, queue.Count)) - 1)
                .Select(_ => new Thread(Work) { IsBackground = true, Name = "auki verify" })
                .ToList();
            foreach (var t in threads) t.Start();
            Work();
            foreach (var t in threads) t.Join();

            foreach (var job in jobs) SegmentFindings(job);
            if (!options.Payloads) return;
            foreach (var job in jobs)
            {
                var problems = PayloadVerifier.Check(job.Log, out long entries);
                PayloadCount += entries;
                foreach (var problem in problems) Error(job.Log.Directory, problem);
            }
        }

        private void Manifests(LogJob job)
        {
            var log = job.Log;
            string manifestPath = Path.Combine(log.Directory, "manifest.json");
            var manifest = ParseObject(manifestPath);
            if (manifest is not null)
            {
                if (StoreWalker.KindOf(manifest) is null)
                    Warn(manifestPath, "declares no known log kind (no sensor, from_frame, from_clock or detector)");
                CheckDurations(manifestPath, manifest);
                string? session = StoreWalker.StringField(manifest, "session_id");
                if (!log.Standalone && log.BootSessionId is { } boot && session != boot)
                    Warn(manifestPath, $"session_id \"{session}\" differs from its boot session directory \"{boot}\"");
                foreach (var (field, kind) in ManifestRefs)
                {
                    if (!manifest.ContainsKey(field)) continue;
                    var reference = StoreWalker.RefField(manifest, field);
                    if (reference is null)
                        Error(manifestPath, $"\"{field}\" is not a registry reference {{peer_id, id, hash}}");
                    else if (!ContentHash.IsWellFormed(reference.Hash)
                        || !File.Exists(RegistryStore.EntryPath(root, kind, reference.PeerId, reference.Id, reference.Hash)))
                        Warn(manifestPath, $"{field} {reference} is not in registries/{kind.Directory()}");
                }
            }

            string logManifestPath = Path.Combine(log.Directory, SegmentFormat.ManifestFileName);
            var logManifest = ParseObject(logManifestPath);
            if (logManifest is not null)
            {
                try { LogManifestFile.Validate(logManifest); }
                catch (AukiException e) { Error(logManifestPath, e.Message); }
            }
            else if (!File.Exists(logManifestPath) && log.Segments.Count > 0)
            {
                Error(log.Directory, "has segments but no log_manifest.json: readers cannot open it");
            }

            string sealedPath = Path.Combine(log.Directory, LogData.SealedFileName);
            var sealedDoc = ParseObject(sealedPath);
            if (sealedDoc is not null)
            {
                long? start = StoreWalker.Int64Field(sealedDoc, "start_at_ns");
                long? finish = StoreWalker.Int64Field(sealedDoc, "finish_at_ns");
                if (start is null || finish is null || start > finish)
                    Error(sealedPath, "expected {\"start_at_ns\": N, \"finish_at_ns\": M} with N <= M");
                job.SealedFinishNs = finish;
            }
        }

        private void CheckDurations(string path, JsonObject manifest)
        {
            if (!LogManifestFile.TryGetInt64(manifest["segment_duration_ns"], out long segment) || segment <= 0)
                Error(path, "segment_duration_ns must be an integer > 0");
            if (!LogManifestFile.TryGetInt64(manifest["retention_ns"], out long retention) || retention < 0)
                Error(path, "retention_ns must be an integer >= 0");
        }

        /// <summary>Parse a JSON object file if it exists; unparsable is an error. Counts as a manifest.</summary>
        private JsonObject? ParseObject(string path)
        {
            if (!File.Exists(path)) return null;
            ManifestCount++;
            try
            {
                if (JsonText.Parse(File.ReadAllBytes(path)) is JsonObject o) return o;
                Error(path, "is not a JSON object");
            }
            catch (AukiException e) { Error(path, e.Message); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { Error(path, "could not be read: " + e.Message); }
            return null;
        }

        private void StraySegmentFiles(StoreLog log)
        {
            string dir = Path.Combine(log.Directory, SegmentFormat.SegmentsDirectoryName);
            if (!Directory.Exists(dir)) return;
            foreach (var file in Files(dir))
            {
                if (SegmentFormat.TryParseFileName(Path.GetFileName(file.AsSpan()), out _)) continue;
                Warn(file, "not a segment file name (readers ignore it)");
            }
        }

        private void SegmentFindings(LogJob job)
        {
            long? duration = job.Log.SegmentDurationNs;
            long? previousLast = null;
            var torn = new List<SegmentJob>();
            foreach (var segment in job.Segments)
            {
                var report = segment.Report!;
                SegmentCount++;
                SegmentBytes += report.FileBytes;
                EntryCount += report.Entries;
                foreach (var problem in report.Problems)
                {
                    if (problem.Kind == SegmentProblemKind.Unreadable && !File.Exists(segment.Path)) continue; // evicted meanwhile
                    Error(segment.Path, Describe(problem, report, segment.Start));
                }
                if (report.Entries > 0 && duration is long d && d > 0)
                {
                    long end = SegmentFormat.SaturatingAdd(segment.Start, d);
                    if (report.FirstTimestampNs < segment.Start || report.LastTimestampNs >= end)
                        Error(segment.Path, $"holds entries outside its window [{Num(segment.Start)}, {Num(end)}) (first {Num(report.FirstTimestampNs!.Value)}, last {Num(report.LastTimestampNs!.Value)})");
                }
                if (report.Entries > 0)
                {
                    if (previousLast is long last && report.FirstTimestampNs < last)
                        Error(segment.Path, $"first timestamp {Num(report.FirstTimestampNs!.Value)} is earlier than the previous segment's last ({Num(last)})");
                    previousLast = report.LastTimestampNs;
                }
                if (report.TornTail || (report.FileBytes == 0 && report.Problems.Count == 0)) torn.Add(segment);
            }
            if (job.SealedFinishNs is long finish && previousLast > finish)
                Warn(Path.Combine(job.Log.Directory, LogData.SealedFileName),
                    $"the log holds entries after its sealed extent (last {Num(previousLast.Value)} > finish_at_ns {Num(finish)})");
            if (torn.Count > 0) TornTails(job, torn);
        }

        private void TornTails(LogJob job, List<SegmentJob> torn)
        {
            WriterLock? writerLock = null;
            string? busy = null;
            if (options.Repair)
            {
                try { writerLock = WriterLock.Acquire(job.Log.Directory); }
                catch (AukiException e) when (e.Code == AukiErrorCode.Busy) { busy = "a writer holds the log, not repaired"; }
                catch (AukiException e) { busy = "not repaired: " + e.Message; }
            }
            try
            {
                foreach (var segment in torn)
                {
                    var r = segment.Report!;
                    string what = r.FileBytes == 0
                        ? "empty segment file (a crash right after creating it)"
                        : r.ValidLength < SegmentFormat.HeaderSize
                            ? $"torn tail: the file ({Num(r.FileBytes)} bytes) ends inside its header"
                            : $"torn tail: {Num(r.FileBytes - r.ValidLength)} bytes after offset {Num(r.ValidLength)} are an incomplete or unchecksummed last entry";
                    if (writerLock is null)
                    {
                        Warn(segment.Path, what + (busy is null ? " (readers stop before it; `auki verify --repair` cuts it)" : $" ({busy})"));
                        continue;
                    }
                    try
                    {
                        string done;
                        if (r.ValidLength < SegmentFormat.HeaderSize)
                        {
                            File.Delete(segment.Path);
                            done = "deleted";
                        }
                        else
                        {
                            using (var handle = File.OpenHandle(segment.Path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete))
                            {
                                RandomAccess.SetLength(handle, r.ValidLength);
                                RandomAccess.FlushToDisk(handle);
                            }
                            done = $"cut to {Num(r.ValidLength)} bytes";
                        }
                        Findings.Add(new(FindingSeverity.Repaired, Rel(segment.Path), what + ": " + done));
                    }
                    catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                    {
                        Error(segment.Path, what + "; repair failed: " + e.Message);
                    }
                }
            }
            finally
            {
                writerLock?.Dispose();
            }
        }

        private static string Describe(SegmentProblem problem, SegmentScanReport report, long nameStart) => problem.Kind switch
        {
            SegmentProblemKind.BadMagic => "not a segment: bad magic (expected AKLG)",
            SegmentProblemKind.UnsupportedVersion => $"unsupported segment format version {report.Version}",
            SegmentProblemKind.StartMismatch => $"header start_ns {Num(report.StartNs ?? 0)} differs from its file name ({Num(nameStart)})",
            SegmentProblemKind.ChecksumMismatch => $"checksum mismatch (CRC32C) in the entry at offset {Num(problem.Offset)}",
            SegmentProblemKind.DamagedEntry => problem.Message.Replace($"segment {report.Path} ", "", StringComparison.Ordinal),
            SegmentProblemKind.NegativeTimestamp => $"negative timestamp in the entry at offset {Num(problem.Offset)}",
            SegmentProblemKind.TimestampOutOfOrder => $"the entry at offset {Num(problem.Offset)} is earlier than the entry before it",
            SegmentProblemKind.Unreadable => "could not be read" + After(problem.Message, " could not be read"),
            _ => problem.Message,
        };

        private static string After(string text, string marker)
        {
            int i = text.IndexOf(marker, StringComparison.Ordinal);
            return i < 0 ? ": " + text : text[(i + marker.Length)..];
        }

        // ---- activity sessions -------------------------------------------------------------------

        public void ActivitySessions()
        {
            var store = new ActivityStore(root);
            if (!Directory.Exists(store.Directory)) return;
            foreach (var path in Files(store.Directory))
            {
                string name = Path.GetFileName(path);
                if (name.StartsWith('.') && name.EndsWith(".tmp", StringComparison.Ordinal))
                {
                    Warn(path, "leftover temporary file of an interrupted write (safe to delete)");
                    continue;
                }
                if (!name.StartsWith(ActivityStore.IdPrefix, StringComparison.Ordinal) || !name.EndsWith(".json", StringComparison.Ordinal))
                {
                    Warn(path, "unexpected file in activity_sessions/");
                    continue;
                }
                ActivitySessionCount++;
                ActivitySession session;
                try
                {
                    session = ActivitySession.FromJson(JsonText.Parse(File.ReadAllBytes(path)), name[..^5]);
                }
                catch (AukiException e)
                {
                    Error(path, e.Message);
                    continue;
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    Error(path, "could not be read: " + e.Message);
                    continue;
                }
                if (session.SessionId + ".json" != name)
                    Error(path, $"session_id \"{session.SessionId}\" does not match its file name");
                foreach (var contribution in session.Files)
                {
                    try { RecordedFile.Resolve(root, contribution.File.FileId); }
                    catch (AukiException)
                    {
                        Warn(path, $"holds file \"{contribution.File.FileId}\", which is not in the store");
                    }
                }
            }
        }

        // ---- helpers -----------------------------------------------------------------------------

        private static IEnumerable<string> Files(string dir)
        {
            try { return Directory.EnumerateFiles(dir).Order(StringComparer.Ordinal).ToList(); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return []; }
        }

        private static long FileLength(string path)
        {
            try { return new FileInfo(path).Length; }
            catch (IOException) { return 0; }
        }

        private static string Num(long value) => value.ToString(CultureInfo.InvariantCulture);
    }
}
