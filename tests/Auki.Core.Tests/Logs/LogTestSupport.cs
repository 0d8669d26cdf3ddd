using System.Buffers.Binary;
using System.Text.Json.Nodes;
using Auki.Logs;

namespace Auki.Core.Tests.Logs;

/// <summary>A fresh log directory per test, removed afterwards.</summary>
internal sealed class TempLog : IDisposable
{
    public TempLog() : this(Path.GetTempPath())
    {
    }

    /// <summary>A log under <paramref name="baseDirectory"/> (e.g. a tmpfs, where fsync costs nothing).</summary>
    public TempLog(string baseDirectory)
    {
        Root = Path.Combine(baseDirectory, "auki-logs-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.GetDirectoryName(Root)!);
    }

    /// <summary>A log on /dev/shm when there is one (fsync-heavy tests), else in the temp directory.</summary>
    public static TempLog InMemory() => new(Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath());

    public string Root { get; }

    public string SegmentsDir => Path.Combine(Root, "segments");

    public string SegmentPath(long start) => Path.Combine(SegmentsDir, start.ToString("D20") + ".seg");

    public string ManifestPath => Path.Combine(Root, "log_manifest.json");

    public string LockPath => Path.Combine(Root, ".writer.lock");

    public LogWriter Open(long segmentNs = Ns.Second, long retentionNs = 0, LogWriterOptions? options = null) =>
        LogWriter.Open(Root, LogManifests.Make(segmentNs, retentionNs), options);

    public List<LogEntry> ReadAll() => LogReader.Open(Root).Entries().ToList();

    public void Dispose()
    {
        try
        {
            if (Directory.Exists(Root)) Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A test that failed may still hold a file; the temp directory is cleaned eventually.
        }
    }
}

internal static class Ns
{
    public const long Second = 1_000_000_000;
}

internal static class LogManifests
{
    /// <summary>Upstream's test manifest shape.</summary>
    public static JsonObject Make(long segmentNs, long retentionNs, string kind = "test") => new()
    {
        ["segment_duration_ns"] = segmentNs,
        ["retention_ns"] = retentionNs,
        ["kind"] = kind,
    };
}

/// <summary>
/// Builds segment files byte by byte from the spec, independently of the engine, so tests check
/// the engine against the format rather than against itself.
/// </summary>
internal static class SegmentBytes
{
    public static byte[] Header(long start, ushort version = 1)
    {
        var h = new byte[16];
        "AKLG"u8.CopyTo(h);
        BinaryPrimitives.WriteUInt16LittleEndian(h.AsSpan(4), version);
        BinaryPrimitives.WriteInt64LittleEndian(h.AsSpan(8), start);
        return h;
    }

    public static byte[] V1Entry(long ts, byte[] payload)
    {
        var e = new byte[12 + payload.Length];
        BinaryPrimitives.WriteInt64LittleEndian(e, ts);
        BinaryPrimitives.WriteUInt32LittleEndian(e.AsSpan(8), (uint)payload.Length);
        payload.CopyTo(e, 12);
        return e;
    }

    public static byte[] V2Entry(long ts, byte[] payload)
    {
        var e = new byte[16 + payload.Length];
        BinaryPrimitives.WriteInt64LittleEndian(e, ts);
        BinaryPrimitives.WriteUInt32LittleEndian(e.AsSpan(8), (uint)payload.Length);
        payload.CopyTo(e, 16);
        uint crc = BitwiseCrc32C(e.AsSpan(0, 12).ToArray().Concat(payload).ToArray());
        BinaryPrimitives.WriteUInt32LittleEndian(e.AsSpan(12), crc);
        return e;
    }

    public static byte[] V1Segment(long start, params (long Ts, byte[] Payload)[] entries) =>
        Header(start).Concat(entries.SelectMany(e => V1Entry(e.Ts, e.Payload))).ToArray();

    public static byte[] V2Segment(long start, params (long Ts, byte[] Payload)[] entries) =>
        Header(start, 2).Concat(entries.SelectMany(e => V2Entry(e.Ts, e.Payload))).ToArray();

    /// <summary>The textbook one-bit-at-a-time CRC-32C, as a reference for the fast one.</summary>
    public static uint BitwiseCrc32C(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0x82F63B78 : crc >> 1;
        }
        return ~crc;
    }

    /// <summary>Put a hand-made segment into the log (with upstream's test manifest if it has none).</summary>
    public static void Write(TempLog log, long start, byte[] bytes)
    {
        Directory.CreateDirectory(log.SegmentsDir);
        if (!File.Exists(log.ManifestPath))
            File.WriteAllText(log.ManifestPath, """{"kind":"test","retention_ns":0,"segment_duration_ns":1000000000}""");
        File.WriteAllBytes(log.SegmentPath(start), bytes);
    }
}

internal static class Bytes
{
    public static byte[] Of(string s) => System.Text.Encoding.UTF8.GetBytes(s);
}
