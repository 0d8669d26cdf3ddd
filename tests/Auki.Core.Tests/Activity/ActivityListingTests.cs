using System.Text.Json.Nodes;
using Auki.Activity;
using Auki.Logs;

namespace Auki.Core.Tests.Activity;

/// <summary>Listings, paging, file views, no-op changes and the merged data cursor.</summary>
public sealed class ActivityListingTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly ActivityStore _store;

    public ActivityListingTests() => _store = new ActivityStore(_dir.Path);

    public void Dispose() => _dir.Dispose();

    private string Record(string bootSession, string peer, string resourceId, params long[] timestamps)
    {
        string root = Path.Combine(_dir.Path, bootSession, "logs", peer, resourceId);
        Directory.CreateDirectory(root);
        File.WriteAllText(Path.Combine(root, "manifest.json"), $$"""{"source_peer_id":"{{peer}}"}""");
        using var w = LogWriter.Open(root, new JsonObject { ["segment_duration_ns"] = 1_000_000_000L, ["retention_ns"] = 0L });
        foreach (var ts in timestamps) w.Append(ts, BitConverter.GetBytes(ts));
        return $"{bootSession}/logs/{peer}/{resourceId}";
    }

    private static string Boot(int i) => "01J0000000000000000000000" + i;

    private static List<T> Drain<T>(Func<string?, Page<T>> page)
    {
        var all = new List<T>();
        string? token = null;
        do
        {
            var p = page(token);
            all.AddRange(p.Items);
            token = p.NextToken;
        } while (token is not null);
        return all;
    }

    [Fact]
    public void Session_pages_return_every_session_once_and_filter_by_device()
    {
        Record(Boot(1), "galbot", "cam", 1);
        var ids = Enumerable.Range(0, 7).Select(i => _store.Create($"s{i}", i % 2 == 0 ? ["galbot"] : []).SessionId).ToList();
        Assert.Equal(ids.Order(StringComparer.Ordinal), Drain(t => _store.ListSessions(null, t, 3)).Select(s => s.SessionId));
        Assert.Equal(ids.Where((_, i) => i % 2 == 0).Order(StringComparer.Ordinal), Drain(t => _store.ListSessions("galbot", t, 2)).Select(s => s.SessionId));
        Assert.Null(_store.ListSessions(null, null, 0).NextToken);
        Assert.Equal(7, _store.ListSessions(null, null, 0).Items.Count);
    }

    [Fact]
    public void Sessions_created_in_the_same_millisecond_list_in_creation_order()
    {
        var ids = Enumerable.Range(0, 50).Select(_ => _store.Create(null, []).SessionId).ToList();
        Assert.Equal(ids, _store.All().Select(s => s.SessionId));
        Assert.All(ids, id => Assert.True(Auki.Ids.Ulid.IsValid(id[3..])));
    }

    [Fact]
    public void A_session_deleted_between_pages_does_not_shift_the_rest()
    {
        var ids = Enumerable.Range(0, 4).Select(_ => _store.Create(null, []).SessionId).Order(StringComparer.Ordinal).ToList();
        var first = _store.ListSessions(null, null, 2);
        _store.Delete(ids[0]);
        var second = _store.ListSessions(null, first.NextToken, 2);
        Assert.Equal(ids[2..], second.Items.Select(s => s.SessionId));
    }

    [Fact]
    public void File_views_project_name_size_peer_topic_and_extent()
    {
        var cam = Record(Boot(1), "galbot", "cam", 100, 200, 300);
        var s = _store.AddFiles(_store.Create(null, []).SessionId, [new SessionFile(cam, 150, 250)]);
        var view = Assert.Single(_store.ListFiles(s, null, 0).Items).ToJson();
        Assert.Equal(cam, (string?)view["file_id"]);
        Assert.Equal("cam", (string?)view["name"]);
        Assert.Equal(cam, (string?)view["relative_path"]);
        Assert.Equal(16 + 3 * (12 + 8), (long?)view["size"]);
        Assert.Equal("galbot", (string?)view["source_peer_id"]);
        Assert.Equal("galbot/cam", (string?)view["topic_id"]);
        Assert.Equal(Boot(1), (string?)view["boot_session_id"]);
        Assert.Equal((150L, 250L), ((long?)view["range_min_timestamp_ns"], (long?)view["range_max_timestamp_ns"]));
        Assert.Equal((100L, 300L), ((long?)view["min_timestamp_ns"], (long?)view["max_timestamp_ns"]));
        Assert.Equal(_store.Actor, (string?)view["added_by"]);
    }

    [Fact]
    public void File_views_of_removed_data_keep_the_contribution_and_null_projections()
    {
        var cam = Record(Boot(1), "galbot", "cam", 100);
        var s = _store.AddFiles(_store.Create(null, []).SessionId, [new SessionFile(cam)]);
        Directory.Delete(Path.Combine(_dir.Path, cam), recursive: true);
        var view = Assert.Single(_store.ListFiles(s, null, 0).Items).ToJson();
        Assert.Equal("cam", (string?)view["name"]);
        Assert.Null(view["size"]);
        Assert.Null(view["min_timestamp_ns"]);
        Assert.Equal((null, null), _store.Bounds(s));
    }

    [Fact]
    public void File_and_topic_pages_cover_every_item_exactly_once()
    {
        var files = Enumerable.Range(0, 9).Select(i => new SessionFile(Record(Boot(i % 2), i % 3 == 0 ? "park" : "galbot", $"s{i % 5}", 10 + i))).ToList();
        var s = _store.AddFiles(_store.Create(null, []).SessionId, files);
        Assert.Equal(files.Select(f => f.FileId).Order(StringComparer.Ordinal), Drain(t => _store.ListFiles(s, t, 2)).Select(v => v.Contribution.File.FileId));
        Assert.Equal(_store.Topics(s).Select(t => t.TopicId), Drain(t => _store.ListTopics(s, t, 2)).Select(t => t.TopicId));
        Assert.Equal(AukiErrorCode.InvalidArgument, Assert.Throws<AukiException>(() => _store.ListTopics(s, "not a token", 2)).Code);
        Assert.Equal(AukiErrorCode.InvalidArgument, Assert.Throws<AukiException>(() => _store.ListFiles(s, null, -1)).Code);
    }

    [Fact]
    public void A_topic_page_after_the_session_changed_comes_from_the_session_as_it_is_now()
    {
        var files = Enumerable.Range(0, 6).Select(i => new SessionFile(Record(Boot(1), "galbot", $"t{i}", 10 + i))).ToList();
        var s = _store.AddFiles(_store.Create(null, []).SessionId, files);
        var first = _store.ListTopics(s, null, 2);
        Assert.Equal(["t0", "t1"], first.Items.Select(t => t.TopicName));
        // A topic that sorts after the first page joins, one that would come next leaves.
        s = _store.AddFiles(s.SessionId, [new SessionFile(Record(Boot(2), "galbot", "t1a", 5))]);
        s = _store.RemoveFiles(s.SessionId, [files[2].FileId], strict: true);
        var rest = Drain(t => _store.ListTopics(s, t ?? first.NextToken, 2)).Select(t => t.TopicName);
        Assert.Equal(["t1a", "t3", "t4", "t5"], rest);
        // Unchanged, the same pages again (the second and later from the list the first was cut from).
        Assert.Equal(_store.Topics(s).Select(t => t.TopicId), Drain(t => _store.ListTopics(s, t, 2)).Select(t => t.TopicId));
    }

    [Fact]
    public void Changes_that_change_nothing_keep_modified_and_the_document()
    {
        var cam = Record(Boot(1), "galbot", "cam", 1);
        var s = _store.AddFiles(_store.Create("a", ["galbot"]).SessionId, [new SessionFile(cam, 1, 1)]);
        Assert.Equal(s.ModifiedNs, _store.AddFiles(s.SessionId, []).ModifiedNs);
        Assert.Equal(s.ModifiedNs, _store.AddFiles(s.SessionId, [new SessionFile(cam, 1, 1)]).ModifiedNs);
        Assert.Equal(s.ModifiedNs, _store.RemoveFiles(s.SessionId, ["logs/galbot/x"], strict: false).ModifiedNs);
        Assert.Equal(s.ModifiedNs, _store.AttachDevice(s.SessionId, "galbot").ModifiedNs);
        Assert.Equal(s.ModifiedNs, _store.DetachDevice(s.SessionId, "park").ModifiedNs);
        Assert.Equal(s.ModifiedNs, _store.Rename(s.SessionId, "a").ModifiedNs);
        Assert.True(_store.Rename(s.SessionId, "b").ModifiedNs > s.ModifiedNs);
    }

    [Fact]
    public void Remove_files_reports_the_ids_it_skipped()
    {
        var cam = Record(Boot(1), "galbot", "cam", 1);
        var s = _store.AddFiles(_store.Create(null, []).SessionId, [new SessionFile(cam)]);
        s = _store.RemoveFiles(s.SessionId, ["x/logs/p/a", cam, "x/logs/p/a"], strict: false, out var skipped);
        Assert.Equal(["x/logs/p/a"], skipped);
        Assert.Empty(s.Files);
    }

    [Fact]
    public void Delete_leaves_no_lock_behind_and_later_changes_are_not_found()
    {
        var s = _store.Create(null, []);
        _store.Rename(s.SessionId, "x");
        _store.Delete(s.SessionId);
        Assert.False(Directory.Exists(Path.Combine(_store.Directory, ".locks", s.SessionId)));
        Assert.Equal(AukiErrorCode.NotFound, Assert.Throws<AukiException>(() => _store.Rename(s.SessionId, "y")).Code);
        Assert.False(Directory.Exists(Path.Combine(_store.Directory, ".locks", s.SessionId)));
    }

    [Fact]
    public void Cursor_merges_overlapping_files_in_time_order_with_ties_in_holding_order()
    {
        var a = Record(Boot(1), "galbot", "cam", 10, 20, 30, 40);
        var b = Record(Boot(2), "galbot", "cam", 20, 25, 1_500_000_000);
        var c = Record(Boot(3), "galbot", "cam", 5_000_000_000);
        var s = _store.AddFiles(_store.Create(null, []).SessionId, [new SessionFile(c), new SessionFile(b), new SessionFile(a)]);
        using var cursor = _store.OpenData(s, "cam");
        var seen = new List<(long, long)>();
        while (cursor.TryNext(out long ts, out ReadOnlySpan<byte> payload)) seen.Add((ts, BitConverter.ToInt64(payload)));
        Assert.Equal([10L, 20, 20, 25, 30, 40, 1_500_000_000, 5_000_000_000], seen.Select(e => e.Item1));
        Assert.All(seen, e => Assert.Equal(e.Item1, e.Item2));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(64)]
    public void View_batches_hold_the_merged_entries_of_TryNext_one_file_at_a_time(int batch)
    {
        // a and b interleave and tie; c opens only when the merge reaches it (a pending file).
        var a = Record(Boot(1), "galbot", "cam", 10, 11, 12, 20, 30, 31, 32, 40);
        var b = Record(Boot(2), "galbot", "cam", 20, 25, 26, 27, 1_500_000_000);
        var c = Record(Boot(3), "galbot", "cam", 32, 33, 5_000_000_000);
        var s = _store.AddFiles(_store.Create(null, []).SessionId, [new SessionFile(c), new SessionFile(b), new SessionFile(a)]);
        var want = new List<(long, long)>();
        using (var one = _store.OpenData(s, "cam"))
            while (one.TryNext(out long ts, out ReadOnlySpan<byte> payload)) want.Add((ts, BitConverter.ToInt64(payload)));

        using var cursor = _store.OpenData(s, "cam");
        Assert.True(cursor.TryPeek(out long first, out _)); // a peeked entry is the next batch's first
        Assert.Equal(10, first);
        long[] stamps = new long[batch];
        nint[] starts = new nint[batch];
        nuint[] lengths = new nuint[batch];
        var got = new List<(long, long)>();
        int batches = 0;
        while (cursor.ReadViews(stamps, starts, lengths, out ReadOnlySpan<byte> buffer) is int n and > 0)
        {
            batches++;
            for (int i = 0; i < n; i++)
                got.Add((stamps[i], BitConverter.ToInt64(buffer.Slice((int)starts[i], (int)lengths[i]))));
        }
        Assert.Equal(want, got);
        // One batch per run of one file (ties go to the file held first: c, b, a): 10-12 a | 20 b |
        // 20 a | 25-27 b | 30-31 a | 32 c | 32 a | 33 c | 40 a | 1.5e9 b | 5e9 c.
        Assert.Equal([10L, 11, 12, 20, 20, 25, 26, 27, 30, 31, 32, 32, 33, 40, 1_500_000_000, 5_000_000_000], got.Select(e => e.Item1));
        Assert.Equal(batch == 1 ? want.Count : 11, batches);
        Assert.Equal(0, cursor.ReadViews(stamps, starts, lengths, out _));
    }

    [Fact]
    public void Batch_reads_stop_at_a_full_buffer_and_refuse_a_payload_that_cannot_fit()
    {
        var a = Record(Boot(1), "galbot", "cam", 1, 2, 3);
        var s = _store.AddFiles(_store.Create(null, []).SessionId, [new SessionFile(a)]);
        using var cursor = _store.OpenData(s, "galbot/cam");
        long[] ts = new long[8];
        ulong[] offsets = new ulong[9];
        Assert.Equal(2, cursor.ReadBatch(ts, offsets, new byte[20]));
        Assert.Equal([1L, 2], ts[..2]);
        Assert.Equal([0UL, 8, 16], offsets[..3]);
        Assert.Equal(AukiErrorCode.BufferTooSmall, Assert.Throws<AukiException>(() => cursor.ReadBatch(ts, offsets, new byte[4])).Code);
        Assert.Equal(1, cursor.ReadBatch(ts, offsets, new byte[8]));
        Assert.Equal(3, ts[0]);
        Assert.Equal(0, cursor.ReadBatch(ts, offsets, new byte[8]));
    }

    [Fact]
    public void Data_windows_are_checked()
    {
        var a = Record(Boot(1), "galbot", "cam", 1);
        var s = _store.AddFiles(_store.Create(null, []).SessionId, [new SessionFile(a)]);
        Assert.Equal(AukiErrorCode.InvalidArgument, Assert.Throws<AukiException>(() => _store.OpenData(s, "cam", 5, 4)).Code);
        Assert.Empty(_store.GetData(s, "cam", 2, 2));
    }
}
