using System.Text.Json.Nodes;
using Auki.Activity;
using Auki.Json;
using Auki.Logs;

namespace Auki.Core.Tests.Activity;

/// <summary>Roboto's session attributes (description, tags, metadata), search and Unix-epoch offsets, in core.</summary>
public sealed class SessionAttributesTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly ActivityStore _store;

    public SessionAttributesTests() => _store = new ActivityStore(_dir.Path);

    public void Dispose() => _dir.Dispose();

    private string Record(string peer, string resourceId, params long[] timestamps)
    {
        const string Boot = "01J00000000000000000000001";
        string root = Path.Combine(_dir.Path, Boot, "logs", peer, resourceId);
        Directory.CreateDirectory(root);
        File.WriteAllText(Path.Combine(root, "manifest.json"), $$"""{"source_peer_id":"{{peer}}"}""");
        using var w = LogWriter.Open(root, new JsonObject { ["segment_duration_ns"] = 1_000_000_000L, ["retention_ns"] = 0L });
        foreach (var ts in timestamps) w.Append(ts, BitConverter.GetBytes(ts));
        return $"{Boot}/logs/{peer}/{resourceId}";
    }

    private static MetadataChangeset Changeset(string json) => ActivityJson.Changeset(JsonText.Parse(json));

    private static string Json(JsonNode node) => CanonicalJson.SerializeToString(node);

    private List<long> Read(ActivitySession s, string topic, long? start = null, long? end = null) =>
        _store.GetData(s, topic, start, end).Select(e => e.TimestampNs).ToList();

    [Fact]
    public void A_changeset_puts_tags_once_in_order_and_removes_absent_ones_silently()
    {
        var tags = Changeset("""{"put_tags":["b","a","b"],"remove_tags":["zz","c"]}""").ApplyTags(["a", "c"]);
        Assert.Equal(["a", "b"], tags);
    }

    [Fact]
    public void Dot_notation_puts_nested_values_and_removes_them()
    {
        var metadata = JsonText.Parse("""{"a":1,"b":{"c":2}}""")!.AsObject();
        var next = Changeset("""{"put_fields":{"b.d.e":true,"a":"x"},"remove_fields":["b.c","q.r"]}""").ApplyMetadata(metadata);
        Assert.Equal("""{"a":"x","b":{"d":{"e":true}}}""", Json(next));
        Assert.Equal("""{"a":1,"b":{"c":2}}""", Json(metadata)); // the input is not changed
        Assert.Equal(AukiErrorCode.InvalidArgument, Assert.Throws<AukiException>(() => Changeset("""{"put_fields":{"a.b":1}}""").ApplyMetadata(metadata)).Code);
        Assert.Equal(AukiErrorCode.InvalidArgument, Assert.Throws<AukiException>(() => Changeset("""{"remove_fields":["a."]}""")).Code);
        Assert.Equal(AukiErrorCode.InvalidArgument, Assert.Throws<AukiException>(() => Changeset("""{"put_tags":[""]}""")).Code);
    }

    [Fact]
    public void Attributes_are_stored_with_the_session_and_an_update_that_changes_nothing_writes_nothing()
    {
        var created = _store.Create(ActivityJson.Create(JsonText.Parse("""{"name":"n","description":"d","tags":["t"],"metadata":{"a.b":1}}""")));
        var read = _store.Get(created.SessionId);
        Assert.Equal(("d", "t", """{"a":{"b":1}}"""), (read.Description, string.Join(",", read.Tags), Json(read.Metadata)));
        var same = _store.Update(created.SessionId, ActivityJson.Update(JsonText.Parse("""{"description":"d","metadata_changeset":{"put_tags":["t"]}}""")));
        Assert.Equal(created.ModifiedNs, same.ModifiedNs);
        var cleared = _store.Update(created.SessionId, ActivityJson.Update(JsonText.Parse("""{"description":null}""")));
        Assert.Null(_store.Get(created.SessionId).Description);
        Assert.True(cleared.ModifiedNs > created.ModifiedNs);
        Assert.Equal(AukiErrorCode.InvalidArgument, Assert.Throws<AukiException>(() => ActivityJson.Update(JsonText.Parse("""{"tags":[]}"""))).Code);
    }

    [Fact]
    public void A_document_written_before_attributes_existed_reads_with_none()
    {
        var s = _store.Create("old", []);
        string path = Path.Combine(_store.Directory, s.SessionId + ".json");
        var doc = JsonText.Parse(File.ReadAllBytes(path))!.AsObject();
        foreach (var key in new[] { "description", "tags", "metadata", "device_unix_offsets_ns" }) doc.Remove(key);
        File.WriteAllText(path, doc.ToJsonString());
        var read = _store.Get(s.SessionId);
        Assert.Equal((null, 0, "{}", 0), (read.Description, read.Tags.Count, Json(read.Metadata), read.DeviceOffsets.Count));
    }

    [Fact]
    public void Search_matches_device_tags_metadata_and_overlap_together()
    {
        string a = Record("galbot", "a", 100, 200), b = Record("park", "b", 300);
        var s1 = _store.AddFiles(_store.Create(ActivityJson.Create(JsonText.Parse("""{"device_ids":["galbot"],"tags":["x","y"],"metadata":{"k":1}}"""))).SessionId, [new SessionFile(a)]);
        var s2 = _store.AddFiles(_store.Create(ActivityJson.Create(JsonText.Parse("""{"device_ids":["park"],"tags":["x"],"metadata":{"k":2}}"""))).SessionId, [new SessionFile(b)]);
        List<string> Ids(string query) => _store.Search(SessionQuery.FromJson(JsonText.Parse(query)), null, 0).Items.Select(s => s.SessionId).ToList();
        Assert.Equal([s1.SessionId, s2.SessionId], Ids("""{"tags":["x"]}"""));
        Assert.Equal([s1.SessionId], Ids("""{"tags":["x","y"]}"""));
        Assert.Equal([s2.SessionId], Ids("""{"device_id":"park"}"""));
        Assert.Equal([s2.SessionId], Ids("""{"metadata":{"k":2}}"""));
        Assert.Equal([s1.SessionId, s2.SessionId], Ids("""{"start_ns":200,"end_ns":300}"""));
        Assert.Empty(Ids("""{"start_ns":201,"end_ns":299}"""));
        Assert.Equal([s2.SessionId], Ids("""{"tags":["x"],"start_ns":250}"""));
        var first = _store.Search(SessionQuery.FromJson(JsonText.Parse("""{"tags":["x"]}""")), null, 1);
        Assert.Equal([s2.SessionId], _store.Search(SessionQuery.FromJson(JsonText.Parse("""{"tags":["x"]}""")), first.NextToken, 1).Items.Select(s => s.SessionId));
        Assert.Equal(AukiErrorCode.InvalidArgument, Assert.Throws<AukiException>(() => SessionQuery.FromJson(JsonText.Parse("""{"tag":["x"]}"""))).Code);
    }

    [Fact]
    public void Offsets_shift_bounds_and_reads_while_windows_stay_in_file_time()
    {
        string cam = Record("galbot", "cam", 100, 200, 300), imu = Record("galbot", "imu", 150), lidar = Record("park", "lidar", 250);
        var s = _store.AddFiles(_store.Create("o", []).SessionId, [new SessionFile(cam, 200, 300), new SessionFile(imu), new SessionFile(lidar)]);
        s = _store.SetDeviceUnixOffset(s.SessionId, "galbot", 10_000);
        s = _store.SetFileUnixOffset(s.SessionId, imu, -100);
        Assert.Equal([10_200L, 10_300L], Read(s, "cam"));
        Assert.Equal([50L], Read(s, "imu"));   // its own offset wins over its device's
        Assert.Equal([250L], Read(s, "lidar")); // another device: none
        Assert.Equal((50L, 10_300L), _store.Bounds(s));
        Assert.Equal([10_300L], Read(s, "cam", 10_250, null)); // a read window is in session time
        s = _store.AddFiles(s.SessionId, [new SessionFile(imu)]); // re-added: keeps its offset
        Assert.Equal([50L], Read(s, "imu"));
        s = _store.SetDeviceUnixOffset(s.SessionId, "galbot", null);
        Assert.Equal((50L, 300L), _store.Bounds(s));
        Assert.Equal(AukiErrorCode.NotFound, Assert.Throws<AukiException>(() => _store.SetFileUnixOffset(s.SessionId, Record("galbot", "other", 1), 5)).Code);
        Assert.Equal(AukiErrorCode.NotFound, Assert.Throws<AukiException>(() => _store.SetDeviceUnixOffset(s.SessionId, "nobody", 5)).Code);
        Assert.Equal(AukiErrorCode.InvalidArgument, Assert.Throws<AukiException>(() => _store.SetFileUnixOffset(s.SessionId, imu, long.MinValue)).Code);
    }

    [Fact]
    public void A_shift_past_the_int64_range_saturates()
    {
        Assert.Equal(long.MaxValue, ActivityDataCursor.Shift(long.MaxValue - 1, 5));
        Assert.Equal(long.MinValue, ActivityDataCursor.Shift(long.MinValue + 1, -5));
        Assert.Equal(7L, ActivityDataCursor.Shift(2, 5));
    }

    [Fact]
    public void Adding_hundreds_of_files_keeps_every_window_and_re_adds_in_place()
    {
        // Declared logs without data (a manifest is what makes a log directory): no segment writes and fsyncs to wait for.
        var files = Enumerable.Range(0, 600).Select(i =>
        {
            string id = $"01J00000000000000000000001/logs/galbot/f{i:0000}";
            Directory.CreateDirectory(Path.Combine(_dir.Path, id));
            File.WriteAllText(Path.Combine(_dir.Path, id, "manifest.json"), "{}");
            return id;
        }).ToList();
        var s = _store.AddFiles(_store.Create("fleet", []).SessionId, files.Select(f => new SessionFile(f)).ToList());
        s = _store.AddFiles(s.SessionId, [new SessionFile(files[300], 1, 2), new SessionFile(files[0])]);
        Assert.Equal(600, s.Files.Count);
        Assert.Equal(files[300], s.Files[300].File.FileId);
        Assert.Equal(1L, s.Files[300].File.RangeMinTimestampNs);
    }
}
