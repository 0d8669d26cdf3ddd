using System.Text;
using System.Text.Json.Nodes;
using Auki.Domains;
using Auki.Json;
using Auki.Manifests;
using Auki.Registry;
using Auki.Sessions;
using DomainMembership = Auki.Domains.Domain;

namespace Auki.Core.Tests.Domain;

/// <summary>Two peers in one process over a real mosquitto: catalogs, registries, streams, materialization.</summary>
public sealed class DomainTests : IDisposable
{
    private readonly Broker _broker = new();
    private readonly TempDir _dir = new();
    private readonly List<DomainMembership> _joined = new();
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    public void Dispose()
    {
        foreach (var d in _joined) d.Leave();
        _broker.Dispose();
        _dir.Dispose();
    }

    private DomainConfig Config(string domain = "lab") => new(domain, _broker.Url) { CatalogInterval = TimeSpan.FromMilliseconds(50) };

    private DomainMembership Join(Session s, DomainConfig? config = null)
    {
        var d = DomainMembership.Join(s, config ?? Config());
        _joined.Add(d);
        return d;
    }

    internal static (Session Session, LogHandle Log) Owner(string root, HeadSpec? head = null)
    {
        var peer = new Peer("galbot", "galbot-ctrl") { StorageRoot = root };
        var frame = peer.RegisterFrame("head_left_camera_optical", FrameDef.RosOptical);
        var body = Json.HashVectorTests.EraACameraBody();
        body["frame"] = frame.ToJson();
        var sensor = peer.RegisterSensor("head_left_rgb", body);
        var session = peer.StartSession();
        var log = session.RegisterLog(new SensorLogSpec(sensor, session.MonotonicClock!, head ?? HeadSpec.Rolling(60_000_000_000), 1_000_000_000, 0, frame));
        log.Data.Configure(new Auki.Logs.LogWriterOptions { BufferSize = 0 });
        return (session, log);
    }

    private Session Reader(string name = "park") =>
        new Peer(name, name + "-vis") { StorageRoot = _dir[name] }.StartSession();

    private static byte[] Payload(int i, int size = 16)
    {
        var p = new byte[size];
        new Random(i).NextBytes(p);
        return p;
    }

    [Fact]
    public void Members_see_each_others_catalog_and_it_disappears_when_the_owner_leaves()
    {
        var (owner, log) = Owner(_dir["galbot"]);
        var ownerDomain = Join(owner);
        var reader = Join(Reader());
        Assert.Equal(["galbot", "park"], reader.Peers());
        var rows = reader.FetchResourcesCatalog("galbot");
        Assert.Equal("head_left_rgb", (string?)rows.Single()!["resource_id"]);
        Assert.Empty(reader.FetchResourcesCatalog("park"));

        using var watch = reader.WatchCatalog();
        Assert.Equal("added", (string?)watch.Next(Wait)!["event"]);
        log.Data.Append(10, [1]);
        var updated = watch.Next(Wait)!;
        Assert.Equal("updated", (string?)updated["event"]);
        Assert.Equal(1UL, (ulong)updated["row"]!["available"]!["entries"]!);

        ownerDomain.Leave();
        var removed = watch.Next(Wait)!;
        Assert.Equal("removed", (string?)removed["event"]);
        Assert.Equal("galbot", (string?)removed["peer_id"]);
        Assert.Equal(["park"], reader.Peers());
        Assert.Equal(AukiErrorCode.NotFound, Assert.Throws<AukiException>(() => reader.FetchResourcesCatalog("galbot")).Code);
    }

    [Fact]
    public void Registry_entries_are_fetched_by_content_address_and_rehashed()
    {
        var (owner, log) = Owner(_dir["galbot"]);
        Join(owner);
        var reader = Join(Reader());
        var sensor = ((SensorLogSpec)log.Spec).Sensor;
        byte[] bytes = reader.FetchRegistryEntry(RegistryKind.Sensor, "galbot", sensor.Id, sensor.Hash);
        Assert.Equal(RegistryStore.ReadBytes(_dir["galbot"], RegistryKind.Sensor, "galbot", sensor.Id, sensor.Hash), bytes);
        var missing = Assert.Throws<AukiException>(() => reader.FetchRegistryEntry(RegistryKind.Sensor, "galbot", sensor.Id, new string('0', 32)));
        Assert.Equal(AukiErrorCode.NotFound, missing.Code);

        // A tampered file on the owner's disk is refused on arrival.
        string path = RegistryStore.EntryPath(_dir["galbot"], RegistryKind.Sensor, "galbot", sensor.Id, sensor.Hash);
        File.WriteAllText(path, File.ReadAllText(path).Replace("1920", "1921"));
        var refused = Assert.Throws<AukiException>(() => reader.FetchRegistryEntry(RegistryKind.Sensor, "galbot", sensor.Id, sensor.Hash));
        Assert.Equal(AukiErrorCode.Corrupt, refused.Code);
        Assert.Contains("refused", refused.Message);
    }

    [Fact]
    public void A_stream_serves_history_then_live_entries_byte_identical_and_in_order()
    {
        var (owner, log) = Owner(_dir["galbot"]);
        for (int i = 0; i < 1000; i++) log.Data.Append(i * 1_000_000L, Payload(i, 10 + i % 300));
        Join(owner);
        var reader = Join(Reader());
        using var stream = reader.OpenStream(new LogRef("galbot", "head_left_rgb"), ReadFrom.FromStart);
        Assert.Equal("galbot", (string?)stream.Manifest!["source_peer_id"]);
        for (int i = 0; i < 1500; i++)
        {
            if (i == 1000) for (int j = 1000; j < 1500; j++) log.Data.Append(j * 1_000_000L, Payload(j, 10 + j % 300));
            Assert.Equal(StreamNext.Entry, stream.Next(Wait, out var e));
            Assert.Equal(i, e.Seq);
            Assert.Equal(i * 1_000_000L, e.TimestampNs);
            Assert.Equal(Payload(i, 10 + i % 300), e.Payload);
        }
        Assert.Equal(StreamNext.Timeout, stream.Next(TimeSpan.FromMilliseconds(50), out _));
    }

    [Fact]
    public void Latest_starts_after_the_last_entry_and_from_timestamp_includes_it()
    {
        var (owner, log) = Owner(_dir["galbot"]);
        log.Data.Append(5, [5]);
        log.Data.Append(7, [7]);
        log.Data.Append(7, [8]);
        Join(owner);
        var reader = Join(Reader());
        using var latest = reader.OpenStream(new LogRef("galbot", "head_left_rgb"), ReadFrom.Latest);
        using var from7 = reader.OpenStream(new LogRef("galbot", "head_left_rgb"), ReadFrom.FromTimestamp(7));
        log.Data.Append(9, [9]);
        Assert.Equal(StreamNext.Entry, latest.Next(Wait, out var e));
        Assert.Equal(9, e.TimestampNs);
        var got = new List<byte>();
        for (int i = 0; i < 3; i++) { Assert.Equal(StreamNext.Entry, from7.Next(Wait, out var f)); got.Add(f.Payload[0]); }
        Assert.Equal([7, 8, 9], got);
    }

    [Fact]
    public void An_unknown_log_is_declined_with_a_reason()
    {
        var (owner, _) = Owner(_dir["galbot"]);
        Join(owner);
        var reader = Join(Reader());
        var e = Assert.Throws<AukiException>(() => reader.OpenStream(new LogRef("galbot", "nope"), ReadFrom.FromStart));
        Assert.Equal(AukiErrorCode.NotFound, e.Code);
        Assert.Contains("unknown log galbot/nope", e.Message);
        var absent = Assert.Throws<AukiException>(() => reader.OpenStream(new LogRef("ghost", "x"), ReadFrom.FromStart));
        Assert.Contains("not in domain", absent.Message);
    }

    [Fact]
    public void Materialization_copies_registries_manifest_history_and_live_entries()
    {
        var (owner, log) = Owner(_dir["galbot"]);
        for (int i = 0; i < 100; i++) log.Data.Append(i, Payload(i));
        Join(owner);
        var readerSession = Reader();
        Join(readerSession);
        var handle = readerSession.MaterializeRemoteLog(new LogRef("galbot", "head_left_rgb"), 300_000_000_000, 10_000_000_000);
        Assert.Equal(Path.Combine(_dir["park"], "logs", "galbot", "head_left_rgb"), handle.Root);
        var manifest = (JsonObject)JsonText.Parse(File.ReadAllText(Path.Combine(handle.Root, "manifest.json")))!;
        Assert.Equal("galbot", (string?)manifest["source_peer_id"]);
        Assert.Equal("park", (string?)manifest["writer_peer_id"]);
        Assert.Equal(10_000_000_000L, (long)manifest["segment_duration_ns"]!);
        var sensor = ((SensorLogSpec)log.Spec).Sensor;
        Assert.NotNull(RegistryStore.Read(_dir["park"], RegistryKind.Sensor, "galbot", sensor.Id, sensor.Hash));
        Assert.NotNull(RegistryStore.Read(_dir["park"], RegistryKind.Frame, "galbot", "head_left_camera_optical", ((SensorLogSpec)log.Spec).Frame!.Hash));

        for (int i = 100; i < 150; i++) log.Data.Append(i, Payload(i));
        WaitFor(() => handle.Data.Read().Count() == 150);
        Assert.Equal(Enumerable.Range(0, 150).Select(i => Convert.ToHexString(Payload(i))), handle.Data.Read().Select(e => Convert.ToHexString(e.Payload)));
        var dup = Assert.Throws<AukiException>(() => readerSession.MaterializeRemoteLog(new LogRef("galbot", "head_left_rgb"), 1, 1));
        Assert.Equal("duplicate log galbot/head_left_rgb", dup.Message);
    }

    [Fact]
    public void Materialization_resumes_after_a_restart_without_gap_or_duplicate_even_at_equal_timestamps()
    {
        var (owner, log) = Owner(_dir["galbot"]);
        for (int i = 0; i < 10; i++) log.Data.Append(i / 3, Payload(i)); // timestamps 0,0,0,1,1,1,2,2,2,3
        Join(owner);
        var first = Reader();
        var firstDomain = Join(first);
        var handle = first.MaterializeRemoteLog(new LogRef("galbot", "head_left_rgb"), 0, 10_000_000_000);
        WaitFor(() => handle.Data.Read().Count() == 10);
        firstDomain.Leave();
        _joined.Remove(firstDomain);
        log.Data.Append(3, Payload(10));
        log.Data.Append(4, Payload(11));

        var second = Reader();
        Join(second);
        var again = second.MaterializeRemoteLog(new LogRef("galbot", "head_left_rgb"), 0, 10_000_000_000);
        WaitFor(() => again.Data.Read().Count() >= 12);
        Thread.Sleep(100);
        Assert.Equal(Enumerable.Range(0, 12).Select(i => Convert.ToHexString(Payload(i))), again.Data.Read().Select(e => Convert.ToHexString(e.Payload)));
    }

    [Fact]
    public void A_broker_restart_mid_stream_loses_nothing()
    {
        var (owner, log) = Owner(_dir["galbot"]);
        Join(owner);
        var readerSession = Reader();
        Join(readerSession);
        var handle = readerSession.MaterializeRemoteLog(new LogRef("galbot", "head_left_rgb"), 0, 10_000_000_000);
        for (int i = 0; i < 20; i++) log.Data.Append(i, Payload(i));
        WaitFor(() => handle.Data.Read().Count() == 20);
        _broker.Stop();
        for (int i = 20; i < 40; i++) log.Data.Append(i, Payload(i));
        _broker.Start();
        for (int i = 40; i < 60; i++) log.Data.Append(i, Payload(i));
        WaitFor(() => handle.Data.Read().Count() == 60, TimeSpan.FromSeconds(30));
        Assert.Equal(Enumerable.Range(0, 60).Select(i => Convert.ToHexString(Payload(i))), handle.Data.Read().Select(e => Convert.ToHexString(e.Payload)));
    }

    private static readonly LogRef Camera = new("galbot", "head_left_rgb");

    [Fact]
    public void A_materialized_log_is_advertised_by_its_materializer_with_its_own_counters()
    {
        var (owner, log) = Owner(_dir["galbot"]);
        for (int i = 0; i < 30; i++) log.Data.Append(i, Payload(i));
        Join(owner);
        var park = Reader();
        Join(park);
        var copy = park.MaterializeRemoteLog(Camera, 0, 10_000_000_000);
        WaitFor(() => copy.Data.Read().Count() == 30);
        var observer = Join(Reader("obs"));
        var row = WaitForValue(() => observer.FetchResourcesCatalog("park").SingleOrDefault(r => (ulong)r!["available"]!["entries"]! == 30));
        Assert.Equal("galbot", (string?)row["source_peer_id"]);
        Assert.Equal("park", (string?)row["writer_peer_id"]);
        Assert.Equal("head_left_rgb", (string?)row["resource_id"]);
        Assert.Equal("live", (string?)row["state"]);
        // park registered no sensor of its own: kind and type come from the copied registry entry.
        Assert.Equal("camera", (string?)row["sensor"]!["kind"]);
        Assert.Equal("rgb", (string?)row["sensor"]!["type"]);
        var onDisk = Auki.Logs.LogStats.Compute(copy.Root);
        Assert.Equal((ulong)onDisk.Bytes, (ulong)row["available"]!["bytes"]!);
        Assert.Equal(29L, (long)row["available"]!["duration_ns"]!);
    }

    [Fact]
    public void When_the_owner_is_gone_consumers_are_served_by_a_peer_advertising_a_copy()
    {
        var (owner, log) = Owner(_dir["galbot"]);
        for (int i = 0; i < 50; i++) log.Data.Append(i, Payload(i));
        var ownerDomain = Join(owner);
        var park = Reader();
        Join(park);
        var parkCopy = park.MaterializeRemoteLog(Camera, 0, 10_000_000_000);
        WaitFor(() => parkCopy.Data.Read().Count() == 50);
        ownerDomain.Leave();

        var obs = Reader("obs");
        var obsDomain = Join(obs);
        Assert.Equal(["obs", "park"], obsDomain.Peers());
        using (var stream = obsDomain.OpenStream(Camera, ReadFrom.FromStart))
        {
            Assert.Equal("park", stream.Server);
            Assert.Equal("park", (string?)stream.Row!["writer_peer_id"]);
            Assert.Equal("galbot", (string?)stream.Manifest!["source_peer_id"]);
            for (int i = 0; i < 50; i++)
            {
                Assert.Equal(StreamNext.Entry, stream.Next(Wait, out var e));
                Assert.Equal(Payload(i), e.Payload);
            }
        }
        var obsCopy = obs.MaterializeRemoteLog(Camera, 0, 10_000_000_000);
        var manifest = (JsonObject)JsonText.Parse(File.ReadAllText(Path.Combine(obsCopy.Root, "manifest.json")))!;
        Assert.Equal("galbot", (string?)manifest["source_peer_id"]);
        Assert.Equal("obs", (string?)manifest["writer_peer_id"]);
        var sensor = ((SensorLogSpec)log.Spec).Sensor;
        Assert.NotNull(RegistryStore.Read(_dir["obs"], RegistryKind.Sensor, "galbot", sensor.Id, sensor.Hash));
        WaitFor(() => obsCopy.Data.Read().Count() == 50);

        // The owner comes back and writes on: both copies follow it, nothing lost or repeated.
        Join(owner);
        // A stream opened right away is the owner's again, not the copy's (whichever server this reader's book named when
        // the request went out beside the catalog barrier; which one it was depends on timing).
        using (var again = obsDomain.OpenStream(Camera, ReadFrom.FromStart))
        {
            Assert.Equal("galbot", again.Server);
            Assert.Equal(StreamNext.Entry, again.Next(Wait, out var first));
            Assert.Equal(Payload(0), first.Payload);
        }
        for (int i = 50; i < 80; i++) log.Data.Append(i, Payload(i));
        WaitFor(() => obsCopy.Data.Read().Count() >= 80 && parkCopy.Data.Read().Count() >= 80);
        Thread.Sleep(100);
        var expected = Enumerable.Range(0, 80).Select(i => Convert.ToHexString(Payload(i))).ToList();
        Assert.Equal(expected, obsCopy.Data.Read().Select(e => Convert.ToHexString(e.Payload)));
        Assert.Equal(expected, parkCopy.Data.Read().Select(e => Convert.ToHexString(e.Payload)));
    }

    [Fact]
    public void Without_owner_or_copy_a_log_cannot_be_streamed_or_materialized()
    {
        var obs = Reader("obs");
        var domain = Join(obs);
        var stream = Assert.Throws<AukiException>(() => domain.OpenStream(Camera, ReadFrom.FromStart));
        Assert.Equal(AukiErrorCode.NotFound, stream.Code);
        Assert.Contains("not in domain", stream.Message);
        Assert.Contains("no member advertises a copy of galbot/head_left_rgb", stream.Message);
        Assert.Equal(AukiErrorCode.NotFound, Assert.Throws<AukiException>(() => obs.MaterializeRemoteLog(Camera, 0, 1)).Code);
        Assert.False(Directory.Exists(Path.Combine(_dir["obs"], "logs")));
    }

    [Fact]
    public void After_a_broker_restart_a_peer_that_left_meanwhile_is_dropped_from_the_view()
    {
        var (owner, _) = Owner(_dir["galbot"]);
        var ownerDomain = Join(owner);
        var park = Join(Reader());
        var obs = Join(Reader("obs"));
        Assert.Equal(["galbot", "obs", "park"], park.Peers());
        using var watch = park.WatchCatalog();
        Assert.Equal("added", (string?)watch.Next(Wait)!["event"]);

        _broker.Stop();
        ownerDomain.Leave(); // its empty catalog cannot reach the broker, and the restarted broker retained nothing
        _broker.Start();

        WaitFor(() => PeersOrNull(park) is ["obs", "park"] && PeersOrNull(obs) is ["obs", "park"], TimeSpan.FromSeconds(30));
        var removed = watch.Next(Wait)!;
        Assert.Equal("removed", (string?)removed["event"]);
        Assert.Equal("galbot", (string?)removed["peer_id"]);
        Assert.Equal(AukiErrorCode.NotFound, Assert.Throws<AukiException>(() => park.FetchResourcesCatalog("galbot")).Code);
    }

    private static IReadOnlyList<string>? PeersOrNull(DomainMembership domain)
    {
        try
        {
            return domain.Peers();
        }
        catch (AukiException e) when (e.Code is AukiErrorCode.Io or AukiErrorCode.Timeout)
        {
            return null; // still reconnecting
        }
    }

    private static T WaitForValue<T>(Func<T?> value) where T : class
    {
        T? found = null;
        WaitFor(() => (found = value()) is not null);
        return found!;
    }

    [Fact]
    public void An_unreachable_broker_fails_within_the_timeout_and_writes_nothing()
    {
        var session = Reader("lonely");
        int port = Broker.FreePort();
        var config = new DomainConfig("lab", $"mqtt://127.0.0.1:{port}") { ConnectTimeout = TimeSpan.FromSeconds(1) };
        var before = Directory.GetFileSystemEntries(_dir["lonely"], "*", SearchOption.AllDirectories);
        var e = Assert.Throws<AukiException>(() => DomainMembership.Join(session, config));
        Assert.Contains("cannot reach MQTT broker", e.Message);
        Assert.Null(Memberships.Of(session));
        Assert.Equal(before, Directory.GetFileSystemEntries(_dir["lonely"], "*", SearchOption.AllDirectories));
    }

    [Fact]
    public void Static_transform_of_a_sealed_rigid_pose_log_resolves_locally_and_remotely()
    {
        var peer = new Peer("galbot", "ctrl") { StorageRoot = _dir["galbot"] };
        var world = peer.RegisterFrame("world", FrameDef.RosBody);
        var head = peer.RegisterFrame("head", FrameDef.RosBody);
        var owner = peer.StartSession();
        var pose = owner.RegisterLog(new PoseLogSpec(world, head, owner.MonotonicClock!, new JsonObject { ["kind"] = "manual" }, "rigid", 0,
            HeadSpec.Fixed(), 1_000_000_000, 0));
        var t = new PoseTransform(1.5, -2, 3.25, 0, 0, Math.Sqrt(0.5), Math.Sqrt(0.5));
        pose.Data.Append(0, t.Encode());
        pose.Data.Close();
        Assert.Equal(t, PoseTransform.FromJson(owner.ResolveStaticTransform(new LogRef("galbot", "world->head"))));

        var reader = Reader();
        var notJoined = Assert.Throws<AukiException>(() => reader.ResolveStaticTransform(new LogRef("galbot", "world->head")));
        Assert.StartsWith(SessionRemoteLogs.ResolveNotImplemented, notJoined.Message);
        Join(owner);
        Join(reader);
        Assert.Equal(t, PoseTransform.FromJson(reader.ResolveStaticTransform(new LogRef("galbot", "world->head"))));
    }

    private static (Session Session, PoseTransform Transform) SealedTransformOwner(string root)
    {
        var peer = new Peer("galbot", "ctrl") { StorageRoot = root };
        var owner = peer.StartSession();
        var pose = owner.RegisterLog(new PoseLogSpec(peer.RegisterFrame("world", FrameDef.RosBody), peer.RegisterFrame("head", FrameDef.RosBody),
            owner.MonotonicClock!, new JsonObject { ["kind"] = "manual" }, "rigid", 0, HeadSpec.Fixed(), 1_000_000_000, 0));
        var t = new PoseTransform(1.5, -2, 3.25, 0, 0, Math.Sqrt(0.5), Math.Sqrt(0.5));
        pose.Data.Append(7, t.Encode());
        pose.Data.Close();
        return (owner, t);
    }

    [Fact]
    public void A_static_transform_resolves_from_the_owners_catalog_even_when_it_serves_this_reader_no_more_streams()
    {
        var (owner, t) = SealedTransformOwner(_dir["galbot"]);
        var cam = owner.RegisterLog(new SensorLogSpec(owner.Peer.RegisterSensor("thermo", new JsonObject
        {
            ["kind"] = "scalar",
            ["type"] = "temperature",
            ["unit"] = "C",
            ["expected_rate_hz"] = 10,
        }), owner.MonotonicClock!, HeadSpec.Rolling(60_000_000_000), 1_000_000_000, 0));
        cam.Data.Append(1, Payload(1));
        Join(owner);
        var reader = Reader();
        var domain = Join(reader);
        var thermo = new LogRef("galbot", "thermo");
        var held = new List<RemoteStream>();
        try
        {
            // Every stream slot the owner grants one requester, held open on a live log.
            for (int i = 0; i < DomainLimits.MaxStreamsPerRequester; i++) held.Add(domain.OpenStream(thermo, ReadFrom.FromStart));
            var busy = Assert.Throws<AukiException>(() => domain.OpenStream(thermo, ReadFrom.FromStart));
            Assert.Contains(DomainLimits.BusyReason, busy.Message);
            Assert.Equal(t, PoseTransform.FromJson(reader.ResolveStaticTransform(new LogRef("galbot", "world->head"))));
        }
        finally
        {
            foreach (var s in held) s.Dispose();
        }
    }

    [Fact]
    public void A_static_transform_served_by_a_copy_is_streamed_from_it_when_the_owner_is_gone()
    {
        var (owner, t) = SealedTransformOwner(_dir["galbot"]);
        var ownerDomain = Join(owner);
        var park = Reader();
        Join(park);
        var copy = park.MaterializeRemoteLog(new LogRef("galbot", "world->head"), 0, 1_000_000_000);
        WaitFor(() => copy.Data.Read().Count() == 1);
        ownerDomain.Leave();

        var obs = Reader("obs");
        var obsDomain = Join(obs);
        WaitFor(() => (string?)obsDomain.FetchResourcesCatalog("park").OfType<JsonObject>().FirstOrDefault()?["state"] == "sealed");
        Assert.Equal(t, PoseTransform.FromJson(obs.ResolveStaticTransform(new LogRef("galbot", "world->head"))));
    }

    private static void WaitFor(Func<bool> condition, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? Wait);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("condition not met in time");
            Thread.Sleep(10);
        }
    }
}
