using System.Text.Json.Nodes;
using Auki.Activity;
using Auki.Logs;

namespace Auki.Core.Tests.Activity;

/// <summary>The checklist of section 6.5 of the Roboto reference, on a store the tests record.</summary>
public sealed class ActivityStoreTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly ActivityStore _store;

    public ActivityStoreTests() => _store = new ActivityStore(_dir.Path);

    public void Dispose() => _dir.Dispose();

    /// <summary>Record a log with one entry per timestamp; returns its file id.</summary>
    private string Record(string bootSession, string peer, string resourceId, params long[] timestamps)
    {
        string fileId = $"{bootSession}/logs/{peer}/{resourceId}";
        string root = Path.Combine(_dir.Path, bootSession, "logs", peer, resourceId);
        Directory.CreateDirectory(root);
        File.WriteAllText(Path.Combine(root, "manifest.json"), $$"""{"source_peer_id":"{{peer}}"}""");
        using var w = LogWriter.Open(root, new JsonObject { ["segment_duration_ns"] = 1_000_000_000L, ["retention_ns"] = 0L });
        foreach (var ts in timestamps) w.Append(ts, BitConverter.GetBytes(ts));
        return fileId;
    }

    private static string Boot(int i) => "01J0000000000000000000000" + i;

    private static AukiErrorCode Code(Action a) => Assert.Throws<AukiException>(a).Code;

    [Fact]
    public void Name_of_120_characters_is_accepted_and_121_refused()
    {
        Assert.Equal(120, _store.Create(new string('é', 120), []).Name!.Length);
        Assert.Equal(AukiErrorCode.InvalidArgument, Code(() => _store.Create(new string('a', 121), [])));
    }

    [Fact]
    public void Rename_to_null_clears_the_name()
    {
        var s = _store.Create("flight", []);
        Assert.Null(_store.Rename(s.SessionId, null).Name);
        Assert.Null(_store.Get(s.SessionId).Name);
    }

    [Fact]
    public void Ids_are_opaque_ss_prefixed_ulids()
    {
        var s = _store.Create(null, []);
        Assert.StartsWith("ss_", s.SessionId);
        Assert.Equal(29, s.SessionId.Length);
    }

    [Theory]
    [InlineData(5L, null)]
    [InlineData(null, 5L)]
    [InlineData(6L, 5L)]
    public void Half_open_or_inverted_windows_are_refused(long? min, long? max)
    {
        var file = Record(Boot(1), "galbot", "cam", 1, 2, 3);
        var s = _store.Create(null, []);
        Assert.Equal(AukiErrorCode.InvalidArgument, Code(() => _store.AddFiles(s.SessionId, [new SessionFile(file, min, max)])));
        Assert.Empty(_store.Get(s.SessionId).Files);
    }

    [Fact]
    public void Bounds_are_null_for_an_empty_session()
    {
        var s = _store.Create(null, []);
        Assert.Equal((null, null), _store.Bounds(s));
    }

    [Fact]
    public void Bounds_follow_whole_file_windowed_and_mixed_adds_and_removals()
    {
        var a = Record(Boot(1), "galbot", "cam", 100, 200, 300);
        var b = Record(Boot(1), "galbot", "imu", 50, 400);
        var s = _store.Create(null, []);
        s = _store.AddFiles(s.SessionId, [new SessionFile(a)]);
        Assert.Equal((100L, 300L), _store.Bounds(s));
        s = _store.AddFiles(s.SessionId, [new SessionFile(b, 150, 150)]); // equal bounds allowed
        Assert.Equal((100L, 300L), _store.Bounds(s));
        s = _store.AddFiles(s.SessionId, [new SessionFile(b, 20, 350)]); // re-add replaces the window
        Assert.Equal((20L, 350L), _store.Bounds(s));
        s = _store.RemoveFiles(s.SessionId, [b], strict: true);           // remove the extreme contributor
        Assert.Equal((100L, 300L), _store.Bounds(s));
        s = _store.RemoveFiles(s.SessionId, [a], strict: true);
        Assert.Equal((null, null), _store.Bounds(s));
    }

    [Fact]
    public void Bounds_reflect_a_log_that_grows_after_it_was_added()
    {
        var file = Record(Boot(1), "galbot", "cam", 100);
        var s = _store.AddFiles(_store.Create(null, []).SessionId, [new SessionFile(file)]);
        Assert.Equal((100L, 100L), _store.Bounds(s));
        using (var w = LogWriter.Open(Path.Combine(_dir.Path, file), new JsonObject { ["segment_duration_ns"] = 1_000_000_000L, ["retention_ns"] = 0L }))
            w.Append(2_500_000_000, [1]);
        Assert.Equal((100L, 2_500_000_000L), _store.Bounds(s));
    }

    [Fact]
    public void Add_with_an_unknown_file_changes_nothing()
    {
        var good = Record(Boot(1), "galbot", "cam", 1);
        var s = _store.Create(null, []);
        Assert.Equal(AukiErrorCode.NotFound, Code(() => _store.AddFiles(s.SessionId, [new SessionFile(good), new SessionFile("logs/galbot/nope")])));
        Assert.Empty(_store.Get(s.SessionId).Files);
    }

    [Fact]
    public void A_file_named_twice_in_one_call_is_refused()
    {
        var file = Record(Boot(1), "galbot", "cam", 1);
        var s = _store.Create(null, []);
        Assert.Equal(AukiErrorCode.InvalidArgument, Code(() => _store.AddFiles(s.SessionId, [new SessionFile(file), new SessionFile(file, 1, 1)])));
    }

    [Fact]
    public void Removing_a_file_not_held_is_skipped_by_remove_files_and_refused_by_remove_file()
    {
        var file = Record(Boot(1), "galbot", "cam", 1);
        var s = _store.AddFiles(_store.Create(null, []).SessionId, [new SessionFile(file)]);
        Assert.Single(_store.RemoveFiles(s.SessionId, ["logs/galbot/other"], strict: false).Files);
        Assert.Equal(AukiErrorCode.NotFound, Code(() => _store.RemoveFiles(s.SessionId, ["logs/galbot/other"], strict: true)));
        Assert.Single(_store.Get(s.SessionId).Files);
    }

    [Fact]
    public void Delete_removes_the_session_but_never_data_or_peers()
    {
        var file = Record(Boot(1), "galbot", "cam", 1);
        var s = _store.AddFiles(_store.Create(null, ["galbot"]).SessionId, [new SessionFile(file)]);
        _store.Delete(s.SessionId);
        Assert.Equal(AukiErrorCode.NotFound, Code(() => _store.Get(s.SessionId)));
        Assert.True(Directory.Exists(Path.Combine(_dir.Path, file, "segments")));
        Assert.True(_store.IsKnownPeer("galbot"));
        Assert.Equal(AukiErrorCode.NotFound, Code(() => _store.Delete(s.SessionId)));
    }

    [Fact]
    public void Attach_is_idempotent_detach_of_a_stranger_is_a_no_op_and_unknown_peers_are_refused()
    {
        Record(Boot(1), "galbot", "cam", 1);
        var s = _store.Create(null, []);
        _store.AttachDevice(s.SessionId, "galbot");
        Assert.Equal(["galbot"], _store.AttachDevice(s.SessionId, "galbot").DeviceIds);
        Assert.Equal(["galbot"], _store.DetachDevice(s.SessionId, "park").DeviceIds);
        Assert.Equal(AukiErrorCode.NotFound, Code(() => _store.AttachDevice(s.SessionId, "ghost")));
        Assert.Equal(AukiErrorCode.NotFound, Code(() => _store.Create(null, ["ghost"])));
        Assert.Empty(_store.DetachDevice(s.SessionId, "galbot").DeviceIds);
    }

    [Fact]
    public void Topics_are_deduplicated_filtered_by_contribution_window_and_ordered()
    {
        var cam1 = Record(Boot(1), "galbot", "cam", 100, 200);
        var cam2 = Record(Boot(2), "galbot", "cam", 300, 400);      // same topic, another recording
        var parkCam = Record(Boot(2), "park", "cam", 300);          // same name, other peer
        var imu = Record(Boot(1), "galbot", "imu", 100, 200);
        var lidar = Record(Boot(1), "galbot", "lidar", 100, 200);   // window misses its extent
        var s = _store.AddFiles(_store.Create(null, []).SessionId,
            [new SessionFile(imu), new SessionFile(cam2), new SessionFile(parkCam), new SessionFile(cam1), new SessionFile(lidar, 500, 600)]);
        var topics = _store.Topics(s).Select(t => t.TopicId).ToArray();
        Assert.Equal(["galbot/cam", "park/cam", "galbot/imu"], topics);
    }

    [Fact]
    public void Get_data_clips_each_file_to_its_window_and_merges_in_time_order()
    {
        var a = Record(Boot(1), "galbot", "cam", 100, 200, 300, 400);
        var b = Record(Boot(2), "galbot", "cam", 150, 250, 350);
        var s = _store.AddFiles(_store.Create(null, []).SessionId, [new SessionFile(a, 200, 300), new SessionFile(b)]);
        Assert.Equal([150L, 200, 250, 300, 350], _store.GetData(s, "galbot/cam").Select(e => e.TimestampNs).ToArray());
        Assert.Equal([200L, 250], _store.GetData(s, "cam", 200, 299).Select(e => e.TimestampNs).ToArray());
        Assert.Equal(BitConverter.GetBytes(250L), _store.GetData(s, "cam", 250, 250).Single().Payload);
        Assert.Equal(AukiErrorCode.NotFound, Code(() => _store.GetData(s, "nope").ToList()));
    }

    [Fact]
    public void Add_recording_takes_every_log_of_one_boot_session()
    {
        Record(Boot(1), "galbot", "cam", 1);
        Record(Boot(1), "galbot", "a->b", 1);
        Record(Boot(2), "galbot", "cam", 1);
        var s = _store.AddRecording(_store.Create(null, []).SessionId, Boot(1));
        Assert.Equal([$"{Boot(1)}/logs/galbot/a->b", $"{Boot(1)}/logs/galbot/cam"], s.Files.Select(f => f.File.FileId).Order(StringComparer.Ordinal).ToArray());
        Assert.Equal(AukiErrorCode.NotFound, Code(() => _store.AddRecording(s.SessionId, Boot(9))));
    }

    [Fact]
    public void Listings_cover_the_store_and_devices()
    {
        Record(Boot(1), "galbot", "cam", 1);
        var a = _store.Create("a", ["galbot"]);
        var b = _store.Create("b", []);
        Assert.Equal([a.SessionId, b.SessionId], _store.All().Select(s => s.SessionId).ToArray());
        Assert.Equal([a.SessionId], _store.ForDevice("galbot").Select(s => s.SessionId).ToArray());
    }

    [Fact]
    public void Concurrent_changes_from_many_writers_lose_no_update()
    {
        var files = Enumerable.Range(0, 16).Select(i => Record(Boot(1), "galbot", $"cam{i}", i)).ToArray();
        var s = _store.Create(null, []);
        Parallel.ForEach(files, new ParallelOptions { MaxDegreeOfParallelism = 8 },
            f => new ActivityStore(_dir.Path).AddFiles(s.SessionId, [new SessionFile(f)]));
        Assert.Equal(16, _store.Get(s.SessionId).Files.Count);
    }

    [Fact]
    public void A_damaged_document_is_reported_as_corrupt()
    {
        var s = _store.Create(null, []);
        File.WriteAllText(Path.Combine(_store.Directory, s.SessionId + ".json"), "{\"session_id\":1}");
        Assert.Equal(AukiErrorCode.Corrupt, Code(() => _store.Get(s.SessionId)));
    }
}
