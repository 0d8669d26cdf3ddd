using System.Text.Json.Nodes;
using Auki.Activity;
using Auki.Logs;
using Auki.Verify;
using Auki.Core.Tests.Support;

namespace Auki.Core.Tests.Verify;

/// <summary>What `auki verify` finds, and what --repair changes (only torn tails).</summary>
public class StoreVerifierTests
{
    private static VerifyFinding Only(VerifyReport report) => Assert.Single(report.Findings);

    [Fact]
    public void A_healthy_store_has_no_findings_and_everything_is_counted()
    {
        using var store = new RecordedStore();
        store.Camera("a", integrity: true, timestamps: [1, 2, 3]);
        store.Camera("b", integrity: false, timestamps: [1_500_000_000]);
        var report = StoreVerifier.Verify(store.Root);
        Assert.Empty(report.Findings);
        Assert.True(report.Ok);
        Assert.Equal((2, 2, 4L), (report.Logs, report.Segments, report.Entries));
        Assert.Equal(5, report.RegistryFiles); // the frame, two sensors, the session's monotonic and UTC clocks
        Assert.Equal(4, report.Manifests);
    }

    [Fact]
    public void A_flipped_payload_byte_in_a_v2_segment_is_a_checksum_error_at_its_entry()
    {
        using var store = new RecordedStore();
        var log = store.Camera("cam", integrity: true, timestamps: [1, 2, 3]);
        string seg = store.SegmentPath(log, 0);
        var bytes = File.ReadAllBytes(seg);
        int entry = 16 + (16 + RecordedStore.Payload("cam", 1).Length); // the second entry
        bytes[entry + 16] ^= 0x01;
        File.WriteAllBytes(seg, bytes);
        var finding = Only(StoreVerifier.Verify(store.Root));
        Assert.Equal(FindingSeverity.Error, finding.Severity);
        Assert.EndsWith("/segments/00000000000000000000.seg", finding.Path);
        Assert.Equal($"checksum mismatch (CRC32C) in the entry at offset {entry}", finding.Message);
    }

    [Fact]
    public void A_flipped_length_bit_in_an_older_segment_is_an_error_and_repair_cuts_no_entry()
    {
        using var store = new RecordedStore();
        long[] timestamps = [.. Enumerable.Range(0, 20).Select(i => (long)i), .. Enumerable.Range(0, 5).Select(i => 1_000_000_000L + i)];
        var log = store.Camera("cam", integrity: true, timestamps: timestamps);
        string seg = store.SegmentPath(log, 0);
        var bytes = File.ReadAllBytes(seg);
        int entry = 16 + 10 * (16 + RecordedStore.Payload("cam", 1).Length); // the 11th entry
        bytes[entry + 8 + 2] ^= 0x10; // payload_len now points far past the end of the file
        File.WriteAllBytes(seg, bytes);

        var report = StoreVerifier.Verify(store.Root, new VerifyOptions { Repair = true });
        Assert.False(report.Ok);
        var finding = Only(report);
        Assert.Equal(FindingSeverity.Error, finding.Severity);
        Assert.Contains($"offset {entry}", finding.Message);
        Assert.Equal(bytes, File.ReadAllBytes(seg)); // nothing cut
    }

    [Fact]
    public void A_torn_tail_is_a_warning_until_repair_cuts_it()
    {
        using var store = new RecordedStore();
        var log = store.Camera("cam", integrity: false, timestamps: [1, 2]);
        string seg = store.SegmentPath(log, 0);
        long complete = new FileInfo(seg).Length;
        File.AppendAllText(seg, "half an entry");
        var warning = Only(StoreVerifier.Verify(store.Root));
        Assert.Equal(FindingSeverity.Warning, warning.Severity);
        Assert.StartsWith($"torn tail: 13 bytes after offset {complete}", warning.Message);
        Assert.Equal(complete + 13, new FileInfo(seg).Length); // verify alone changes nothing

        var repaired = Only(StoreVerifier.Verify(store.Root, new VerifyOptions { Repair = true }));
        Assert.Equal(FindingSeverity.Repaired, repaired.Severity);
        Assert.Equal(complete, new FileInfo(seg).Length);
        Assert.Empty(StoreVerifier.Verify(store.Root).Findings);
        Assert.Equal(2, LogReader.Open(log.Root).Entries().Count());
    }

    [Fact]
    public void Repair_leaves_a_log_alone_while_a_writer_holds_it()
    {
        using var store = new RecordedStore();
        var log = store.Camera("cam", integrity: false, timestamps: [1]);
        string seg = store.SegmentPath(log, 0);
        File.AppendAllText(seg, "xx");
        long length = new FileInfo(seg).Length;
        using (WriterLock.Acquire(log.Root))
        {
            var finding = Only(StoreVerifier.Verify(store.Root, new VerifyOptions { Repair = true }));
            Assert.Equal(FindingSeverity.Warning, finding.Severity);
            Assert.Contains("a writer holds the log, not repaired", finding.Message);
        }
        Assert.Equal(length, new FileInfo(seg).Length);
    }

    [Fact]
    public void A_renamed_registry_file_no_longer_hashes_to_its_name_and_its_manifest_reference_dangles()
    {
        using var store = new RecordedStore();
        store.Camera("cam", integrity: false, timestamps: [1]);
        string dir = Path.Combine(store.Root, "registries", "sensors", "galbot", "cam");
        string original = Directory.GetFiles(dir).Single();
        string renamed = Path.Combine(dir, new string('a', 32) + ".json");
        File.Move(original, renamed);
        var report = StoreVerifier.Verify(store.Root);
        var error = Assert.Single(report.Findings, f => f.Severity == FindingSeverity.Error);
        Assert.Equal("registries/sensors/galbot/cam/" + new string('a', 32) + ".json", error.Path);
        Assert.Equal($"content hashes to {Path.GetFileNameWithoutExtension(original)}, not to its file name (renamed or modified)", error.Message);
        var warning = Assert.Single(report.Findings, f => f.Severity == FindingSeverity.Warning);
        Assert.EndsWith("/manifest.json", warning.Path);
        Assert.False(report.Ok);
    }

    [Fact]
    public void A_registry_file_under_another_peer_is_an_id_mismatch()
    {
        using var store = new RecordedStore();
        store.Camera("cam", integrity: false);
        string source = Directory.GetFiles(Path.Combine(store.Root, "registries", "sensors", "galbot", "cam")).Single();
        string elsewhere = Path.Combine(store.Root, "registries", "sensors", "spot", "cam");
        Directory.CreateDirectory(elsewhere);
        File.Copy(source, Path.Combine(elsewhere, Path.GetFileName(source)));
        var finding = Only(StoreVerifier.Verify(store.Root));
        Assert.Equal("peer_id \"galbot\" does not match its peer directory \"spot\"", finding.Message);
    }

    [Fact]
    public void Segments_whose_timestamps_go_backwards_are_an_error()
    {
        using var store = new RecordedStore();
        var log = store.Camera("cam", integrity: false, timestamps: [1, 1_000_000_005]);
        // Rewrite the second segment so its entry is earlier than the first segment's last.
        File.WriteAllBytes(store.SegmentPath(log, 1_000_000_000), Logs.SegmentBytes.V1Segment(1_000_000_000, (0, [9])));
        var report = StoreVerifier.Verify(store.Root);
        Assert.Contains(report.Findings, f => f.Severity == FindingSeverity.Error && f.Message.StartsWith("holds entries outside its window"));
        Assert.Contains(report.Findings, f => f.Severity == FindingSeverity.Error && f.Message.StartsWith("first timestamp 0 is earlier than the previous segment's last (1)"));
    }

    [Fact]
    public void Unparsable_manifests_and_a_missing_log_manifest_are_errors()
    {
        using var store = new RecordedStore();
        var log = store.Camera("cam", integrity: false, timestamps: [1]);
        File.WriteAllText(Path.Combine(log.Root, "manifest.json"), "[1, 2");
        File.Delete(Path.Combine(log.Root, "log_manifest.json"));
        var report = StoreVerifier.Verify(store.Root);
        Assert.Equal(2, report.Errors);
        Assert.Contains(report.Findings, f => f.Path.EndsWith("/manifest.json") && f.Message.StartsWith("invalid JSON"));
        Assert.Contains(report.Findings, f => f.Message == "has segments but no log_manifest.json: readers cannot open it");
    }

    [Fact]
    public void An_activity_session_holding_a_file_that_is_gone_is_a_warning()
    {
        using var store = new RecordedStore();
        var log = store.Camera("cam", integrity: false, timestamps: [1]);
        var sessions = new ActivityStore(store.Root);
        var session = sessions.Create("run", []);
        sessions.AddFiles(session.SessionId, [new SessionFile(store.FileId(log))]);
        Directory.Delete(log.Root, recursive: true);
        var finding = Only(StoreVerifier.Verify(store.Root));
        Assert.Equal(FindingSeverity.Warning, finding.Severity);
        Assert.Equal($"activity_sessions/{session.SessionId}.json", finding.Path);
        Assert.Equal(1, StoreVerifier.Verify(store.Root).ActivitySessions);
    }

    [Fact]
    public void A_leftover_temporary_file_is_a_warning()
    {
        using var store = new RecordedStore();
        store.Camera("cam", integrity: false);
        string dir = Path.Combine(store.Root, "registries", "sensors", "galbot", "cam");
        File.WriteAllText(Path.Combine(dir, ".x.json.123.1.tmp"), "{");
        Assert.Equal(FindingSeverity.Warning, Only(StoreVerifier.Verify(store.Root)).Severity);
    }
}
