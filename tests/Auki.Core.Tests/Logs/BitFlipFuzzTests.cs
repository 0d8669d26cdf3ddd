using Auki.Logs;

namespace Auki.Core.Tests.Logs;

/// <summary>
/// Every single-bit flip of a small v2 log, one at a time: readers, tails and a reopening
/// writer either give exactly the data written or report corruption. The one exception is a
/// flip inside the last entry of the newest segment: a torn last write can leave those bytes in
/// any state, so such a file is indistinguishable from one a crash left, and the entry may be
/// dropped as a torn tail (never returned wrong).
/// </summary>
public class BitFlipFuzzTests
{
    [Fact]
    public void No_single_bit_flip_of_a_v2_log_yields_wrong_data_silently()
    {
        using var log = new TempLog();
        var written = new List<(long Ts, byte[] Payload)>();
        using (var writer = log.Open(options: new LogWriterOptions { Integrity = true }))
        {
            for (int s = 0; s < 3; s++)
                for (int i = 0; i < 4; i++)
                {
                    // Mixed sizes, an empty payload, and payload bytes that look like small numbers.
                    byte[] payload = i == 3 ? [] : Enumerable.Range(0, 3 + 5 * i).Select(k => (byte)(k * s)).ToArray();
                    writer.Append(s * Ns.Second + i * 7, payload);
                    written.Add((s * Ns.Second + i * 7, payload));
                }
        }
        long[] starts = [0, Ns.Second, 2 * Ns.Second];
        var originals = starts.ToDictionary(s => s, s => File.ReadAllBytes(log.SegmentPath(s)));
        byte[] latestBytes = originals[2 * Ns.Second];
        int lastEntryOffset = latestBytes.Length - 16; // the newest segment's last entry has an empty payload
        var allButLast = written.Take(written.Count - 1).ToList();
        var failures = new List<string>();

        foreach (long start in starts)
        {
            byte[] original = originals[start];
            string path = log.SegmentPath(start);
            for (int bit = 0; bit < original.Length * 8; bit++)
            {
                byte[] flipped = (byte[])original.Clone();
                flipped[bit / 8] ^= (byte)(1 << (bit % 8));
                File.WriteAllBytes(path, flipped);
                bool inLastEntry = start == 2 * Ns.Second && bit / 8 >= lastEntryOffset;
                string where = $"segment {start}, byte {bit / 8}, bit {bit % 8}";

                Check("reader", ReadAll(log.Root), where, inLastEntry, written, allButLast, failures);
                Check("tail", TailAll(log.Root), where, inLastEntry, written, allButLast, failures);

                // A writer may cut bytes only where a torn tail can be.
                try
                {
                    using (log.Open()) { }
                    foreach (long s in starts)
                    {
                        long length = new FileInfo(log.SegmentPath(s)).Length;
                        long expected = s == start ? flipped.Length : originals[s].Length;
                        if (length != expected && !(inLastEntry && s == start && length == lastEntryOffset))
                            failures.Add($"{where}: reopening cut segment {s} from {expected} to {length} bytes");
                    }
                }
                catch (AukiException e) when (e.Code == AukiErrorCode.Corrupt)
                {
                }
                File.WriteAllBytes(path, original);
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(30)) + $"\n({failures.Count} failures)");
    }

    private static void Check(string who, (List<(long, byte[])>? Entries, AukiException? Error) result, string where, bool inLastEntry,
        List<(long Ts, byte[] Payload)> written, List<(long Ts, byte[] Payload)> allButLast, List<string> failures)
    {
        if (result.Error is AukiException e)
        {
            if (e.Code != AukiErrorCode.Corrupt) failures.Add($"{where}: {who} failed with {e.Code}: {e.Message}");
            return;
        }
        var entries = result.Entries!;
        if (Same(entries, written)) return;
        if (inLastEntry && Same(entries, allButLast)) return;
        failures.Add($"{where}: {who} returned {entries.Count} entries silently, not the {written.Count} written");
    }

    private static bool Same(List<(long Ts, byte[] Payload)> a, List<(long Ts, byte[] Payload)> b) =>
        a.Count == b.Count && a.Zip(b).All(p => p.First.Ts == p.Second.Ts && p.First.Payload.AsSpan().SequenceEqual(p.Second.Payload));

    private static (List<(long, byte[])>?, AukiException?) ReadAll(string root)
    {
        try
        {
            return (LogReader.Open(root).Entries().Select(e => (e.TimestampNs, e.Payload)).ToList(), null);
        }
        catch (AukiException e)
        {
            return (null, e);
        }
    }

    private static (List<(long, byte[])>?, AukiException?) TailAll(string root)
    {
        try
        {
            using var tail = LogTail.OpenAt(root, null);
            var entries = new List<(long, byte[])>();
            while (tail.TryNext() is LogEntry e) entries.Add((e.TimestampNs, e.Payload));
            return (entries, null);
        }
        catch (AukiException e)
        {
            return (null, e);
        }
    }
}
