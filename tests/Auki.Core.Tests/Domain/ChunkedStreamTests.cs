using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using Auki.Domains;
using Auki.Json;
using Auki.Manifests;
using Auki.Registry;
using Auki.Sessions;
using DomainMembership = Auki.Domains.Domain;

namespace Auki.Core.Tests.Domain;

/// <summary>
/// Entries above the chunk size (docs/domains.md, "Streams"): they travel in chunks under per-stream
/// credit on the data connection, arrive whole or not at all (also across a broker restart or with
/// chunks out of order), and neither block control calls nor let a slow consumer slow the owner.
/// </summary>
public sealed class ChunkedStreamTests : BrokerFixture
{
    private Session Reader(string name = "park") => new Peer(name, name + "-vis") { StorageRoot = _dir[name] }.StartSession();

    private static byte[] Frame(int i, int size)
    {
        var p = new byte[size];
        new Random(i).NextBytes(p);
        return p;
    }

    private static void WaitFor(Func<bool> condition, TimeSpan? timeout = null)
    {
        var sw = Stopwatch.StartNew();
        while (!condition())
        {
            if (sw.Elapsed > (timeout ?? TimeSpan.FromSeconds(30))) throw new TimeoutException("condition not met in time");
            Thread.Sleep(10);
        }
    }

    [Fact]
    public void Camera_frames_are_materialized_byte_identical_without_gaps()
    {
        const int size = 6_900_000, count = 6;
        var (owner, log) = DomainTests.Owner(_dir["galbot"]);
        for (int i = 0; i < count; i++) log.Data.Append(i, Frame(i, size));
        Join(owner);
        var reader = Join(Reader()).Session;
        var copy = reader.MaterializeRemoteLog(Camera, 0, 10_000_000_000);
        WaitFor(() => copy.Data.Read().Count() == count);
        var entries = copy.Data.Read().ToList();
        Assert.Equal(Enumerable.Range(0, count).Select(i => (long)i), entries.Select(e => e.TimestampNs));
        for (int i = 0; i < count; i++) Assert.True(Frame(i, size).AsSpan().SequenceEqual(entries[i].Payload), $"frame {i} differs");
    }

    [Fact]
    public void Control_calls_answer_while_a_big_stream_runs()
    {
        var peer = new Peer("galbot", "galbot-ctrl") { StorageRoot = _dir["galbot"] };
        var frame = peer.RegisterFrame("head_left_camera_optical", FrameDef.RosOptical);
        var body = Json.HashVectorTests.EraACameraBody();
        body["frame"] = frame.ToJson();
        var cameraSensor = peer.RegisterSensor("head_left_rgb", body);
        var smallSensor = peer.RegisterSensor("small", body.DeepClone().AsObject());
        var owner = peer.StartSession();
        var log = owner.RegisterLog(new SensorLogSpec(cameraSensor, owner.MonotonicClock!, HeadSpec.Rolling(0), 1_000_000_000, 0, frame));
        log.Data.Configure(new Auki.Logs.LogWriterOptions { BufferSize = 0 });
        var small = owner.RegisterLog(new SensorLogSpec(smallSensor, owner.MonotonicClock!, HeadSpec.Rolling(0), 1_000_000_000, 0, frame));
        small.Data.Configure(new Auki.Logs.LogWriterOptions { BufferSize = 0 });
        small.Data.Append(1, [1, 2, 3]);
        Join(owner);
        var readerDomain = Join(Reader());
        var copy = readerDomain.Session.MaterializeRemoteLog(Camera, 0, 10_000_000_000);
        using var stop = new CancellationTokenSource();
        var camera = new Thread(() =>
        {
            for (int i = 0; !stop.IsCancellationRequested && i < 90; i++) { log.Data.Append(i, Frame(i % 4, 6_900_000)); Thread.Sleep(33); }
        });
        camera.Start();
        // Each call must answer (within its request_timeout: before chunks and the data connection, peers() timed out
        // at 10 s); how fast is measured in bench/domain, not asserted here (the machine is shared).
        for (int round = 0; round < 5; round++)
        {
            foreach (var call in new Action[]
            {
                () => Assert.Equal(["galbot", "park"], readerDomain.Peers()),
                () => Assert.Equal(2, readerDomain.FetchResourcesCatalog("galbot").Count),
                () =>
                {
                    using var s = readerDomain.OpenStream(new LogRef("galbot", "small"), ReadFrom.FromStart);
                    Assert.Equal(StreamNext.Entry, s.Next(Wait, out var e));
                    Assert.Equal(new byte[] { 1, 2, 3 }, e.Payload);
                    // On its own connection: never queued behind the camera's frames in the broker.
                    Assert.Equal("small", s.Status().Lane);
                },
            })
                call();
            Thread.Sleep(100);
        }
        stop.Cancel();
        camera.Join();
        WaitFor(() => copy.Data.Read().Any(), TimeSpan.FromSeconds(60));
        Assert.Equal("bulk", readerDomain.MaterializationStatus(Camera).Lane);
    }

    [Fact]
    public void A_slow_consumer_does_not_slow_the_owner_and_holds_at_most_its_window()
    {
        var (owner, log) = DomainTests.Owner(_dir["galbot"]);
        Join(owner);
        var readerDomain = Join(Reader());
        using var stream = readerDomain.OpenStream(Camera, ReadFrom.FromStart);
        // Nobody takes the entries: the owner's appends never wait for the reader (a design that blocked them would
        // hang here; how fast they go while serving is measured in bench/domain).
        for (int i = 0; i < 40; i++) log.Data.Append(i, Frame(i % 4, 1_000_000));
        WaitFor(() => stream.Queued > 0, TimeSpan.FromSeconds(60));
        Thread.Sleep(1000);
        // The reader's credit stops the server at one window: not all 40 MB are queued for it.
        Assert.InRange(stream.Queued, 1, (int)(DomainLimits.StreamWindowBytes / 1_000_000) + 1);
        for (int i = 0; i < 40; i++)
        {
            Assert.Equal(StreamNext.Entry, stream.Next(Wait, out var e));
            Assert.Equal((long)i, e.TimestampNs);
        }
    }

    [Fact]
    public void A_broker_restart_mid_frame_delivers_each_frame_once_and_whole()
    {
        const int size = 256 * 1024, count = 30;
        var (owner, log) = DomainTests.Owner(_dir["galbot"]);
        Join(owner, chunkBytes: 1024); // 256 chunks a frame: the restart lands inside one
        var readerDomain = Join(Reader(), chunkBytes: 1024);
        var copy = readerDomain.Session.MaterializeRemoteLog(Camera, 0, 10_000_000_000);
        for (int i = 0; i < count; i++)
        {
            log.Data.Append(i, Frame(i, size));
            if (i == 10) { _broker.Stop(); Thread.Sleep(200); _broker.Start(); }
            Thread.Sleep(20);
        }
        WaitFor(() => copy.Data.Read().Count() >= count, TimeSpan.FromSeconds(60));
        Thread.Sleep(200);
        var entries = copy.Data.Read().ToList();
        Assert.Equal(Enumerable.Range(0, count).Select(i => (long)i), entries.Select(e => e.TimestampNs));
        for (int i = 0; i < count; i++) Assert.True(Frame(i, size).AsSpan().SequenceEqual(entries[i].Payload), $"frame {i} differs");
    }

    [Fact]
    public void Chunks_out_of_order_are_never_delivered_as_an_entry_and_the_reader_asks_again()
    {
        // A hand-written server: galbot's catalog, then each stream request answered with Accept and the
        // chunks of one 3 KiB entry — out of order the first time, in order the second.
        using var galbot = new HostileClient(_broker.Url, "galbot-fake");
        var topics = new DomainTopics("lab", "galbot");
        byte[] payload = Frame(7, 3 * 1024);
        int requests = 0;
        galbot.OnMessage = (topic, _, responseTopic) =>
        {
            if (topic != topics.StreamRequests("galbot") || responseTopic is null) return;
            int n = Interlocked.Increment(ref requests);
            var accept = StreamProtocol.Json(StreamProtocol.Accept, new JsonObject { ["manifest"] = new JsonObject(), ["row"] = new JsonObject(), ["position"] = null });
            int[] order = n == 1 ? [0, 2, 1] : [0, 1, 2];
            // Off the client's receive loop (it must read the broker's acknowledgements), one message after the other.
            Task.Run(() =>
            {
                galbot.Publish(responseTopic, accept);
                foreach (int k in order) galbot.Publish(responseTopic, Chunk(payload, k * 1024, 1024));
            });
        };
        galbot.Subscribe(topics.StreamRequests("galbot"));
        galbot.Publish(topics.Catalog("galbot"), CanonicalJson.Serialize(new JsonObject { ["peer_id"] = "galbot", ["resources"] = new JsonArray() }), retain: true);
        var readerDomain = Join(Reader());
        using var stream = readerDomain.OpenStream(Camera, ReadFrom.FromStart);
        Assert.Equal(StreamNext.Entry, stream.Next(TimeSpan.FromSeconds(10), out var entry));
        Assert.Equal(payload, entry.Payload);
        Assert.Equal(StreamNext.Timeout, stream.Next(TimeSpan.FromMilliseconds(300), out _)); // once, not twice
        Assert.True(Volatile.Read(ref requests) >= 2, "the reader asked again after the gap");
    }

    [Fact]
    public void An_accepted_stream_that_falls_silent_while_its_server_advertises_more_asks_again()
    {
        // What a broker restart can leave behind: the reader's stream was accepted, then its server
        // stream ended while the broker was away and the EndOfStream went with it. A hand-written
        // server advertises one entry, accepts the first request and then says nothing; the second
        // request gets the entry. The reader must ask again on its own, not heartbeat forever.
        using var galbot = new HostileClient(_broker.Url, "galbot-fake");
        var topics = new DomainTopics("lab", "galbot");
        byte[] payload = Frame(3, 1024);
        int requests = 0;
        galbot.OnMessage = (topic, _, responseTopic) =>
        {
            if (topic != topics.StreamRequests("galbot") || responseTopic is null) return;
            int n = Interlocked.Increment(ref requests);
            var accept = StreamProtocol.Json(StreamProtocol.Accept, new JsonObject { ["manifest"] = new JsonObject(), ["row"] = new JsonObject(), ["position"] = null });
            Task.Run(() =>
            {
                galbot.Publish(responseTopic, accept);
                if (n > 1) galbot.Publish(responseTopic, Chunk(payload, 0, payload.Length));
            });
        };
        galbot.Subscribe(topics.StreamRequests("galbot"));
        var row = new JsonObject { ["source_peer_id"] = "galbot", ["resource_id"] = "head_left_rgb", ["available"] = new JsonObject { ["entries"] = 1 } };
        galbot.Publish(topics.Catalog("galbot"), CanonicalJson.Serialize(new JsonObject { ["peer_id"] = "galbot", ["resources"] = new JsonArray(row) }), retain: true);
        var readerDomain = Join(Reader());
        using var stream = readerDomain.OpenStream(Camera, ReadFrom.FromStart);
        Assert.Equal(StreamNext.Entry, stream.Next(TimeSpan.FromSeconds(20), out var entry));
        Assert.Equal(payload, entry.Payload);
        Assert.True(Volatile.Read(ref requests) >= 2, "the reader asked again after the silence");
    }

    private static byte[] Chunk(byte[] payload, int offset, int n)
    {
        var message = new byte[StreamProtocol.ChunkHeaderSize + n];
        StreamProtocol.WriteChunkHeader(message, 5, 0, payload.Length, offset);
        payload.AsSpan(offset, n).CopyTo(message.AsSpan(StreamProtocol.ChunkHeaderSize));
        return message;
    }

    [Fact]
    public void A_chunk_announcing_an_entry_above_the_limit_is_refused_before_anything_is_allocated()
    {
        using var galbot = new HostileClient(_broker.Url, "galbot-fake");
        var topics = new DomainTopics("lab", "galbot");
        galbot.OnMessage = (topic, _, responseTopic) =>
        {
            if (topic != topics.StreamRequests("galbot") || responseTopic is null) return;
            var accept = StreamProtocol.Json(StreamProtocol.Accept, new JsonObject { ["manifest"] = new JsonObject(), ["row"] = new JsonObject(), ["position"] = null });
            var chunk = new byte[StreamProtocol.ChunkHeaderSize + 16];
            StreamProtocol.WriteChunkHeader(chunk, 1, 0, int.MaxValue, 0);
            Task.Run(() => { galbot.Publish(responseTopic, accept); galbot.Publish(responseTopic, chunk); });
        };
        galbot.Subscribe(topics.StreamRequests("galbot"));
        galbot.Publish(topics.Catalog("galbot"), Encoding.UTF8.GetBytes("{\"peer_id\":\"galbot\",\"resources\":[]}"), retain: true);
        var readerDomain = Join(Reader());
        using var stream = readerDomain.OpenStream(Camera, ReadFrom.FromStart);
        var e = Assert.Throws<AukiException>(() => stream.Next(Wait, out _));
        Assert.Equal(AukiErrorCode.Corrupt, e.Code);
        Assert.Contains("payload: entry is 2 GiB or larger", e.Message);
    }
}
