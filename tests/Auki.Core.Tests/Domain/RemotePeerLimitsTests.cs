using System.Text;
using Auki.Domains;
using Auki.Json;
using Auki.Registry;
using Auki.Sessions;
using DomainMembership = Auki.Domains.Domain;

namespace Auki.Core.Tests.Domain;

[CollectionDefinition(nameof(RemotePeerLimitsTests), DisableParallelization = true)]
public sealed class RemotePeerLimitsCollection;

/// <summary>
/// What an unauthenticated client on the broker can cost a member (DomainLimits, docs/domains.md "Limits"):
/// floods of stream requests and oversize catalogs. Not run in parallel: it counts this process's file descriptors.
/// </summary>
[Collection(nameof(RemotePeerLimitsTests))]
public sealed class RemotePeerLimitsTests : BrokerFixture
{
    private static int OpenDescriptors() => Directory.GetFileSystemEntries("/proc/self/fd").Length;

    private static void WaitFor(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("condition not met in time");
            Thread.Sleep(20);
        }
    }

    private static byte[] Request(string requester, string streamId) => CanonicalJson.Serialize(new System.Text.Json.Nodes.JsonObject
    {
        ["stream_id"] = streamId,
        ["requester"] = requester,
        ["source_peer_id"] = "galbot",
        ["resource_id"] = "head_left_rgb",
        ["read_from"] = new System.Text.Json.Nodes.JsonObject { ["kind"] = "from_start" },
        ["skip"] = 0,
    });

    [Fact]
    public void A_flood_of_stream_requests_is_declined_beyond_the_stream_limits_and_idle_streams_expire()
    {
        var (owner, log) = DomainTests.Owner(_dir["galbot"]);
        for (int i = 0; i < 10; i++) log.Data.Append(i, [1, 2, 3]);
        var ownerDomain = Join(owner);
        ownerDomain.Server.IdleExpiry = TimeSpan.FromSeconds(4);
        var reader = Join(new Peer("park", "park-vis") { StorageRoot = _dir["park"] }.StartSession());
        reader.StreamHeartbeat = TimeSpan.FromMilliseconds(500);
        using var live = reader.OpenStream(Camera, ReadFrom.Latest);
        int before = OpenDescriptors();

        var topics = new DomainTopics("lab", "galbot");
        using var mallory = new HostileClient(_broker.Url);
        mallory.Subscribe("auki/lab/peers/+/in/streams/#");
        const int Flood = 2000, Requesters = 200;
        mallory.PublishAll(Enumerable.Range(0, Flood)
            .Select(i => (topics.StreamRequests("galbot"), Request("mallory", "s" + i), (string?)topics.StreamData("mallory", "s" + i)))
            .Concat(Enumerable.Range(0, Requesters)
                .Select(i => (topics.StreamRequests("galbot"), Request("mallory" + i, "t"), (string?)topics.StreamData("mallory" + i, "t")))));

        // Meanwhile the member's live stream keeps flowing.
        log.Data.Append(100, [9]);
        var started = DateTime.UtcNow;
        Assert.Equal(StreamNext.Entry, live.Next(Wait, out var e));
        Assert.Equal(100, e.TimestampNs);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(2), $"live entry took {(DateTime.UtcNow - started).TotalSeconds:0.0} s");

        // The broker may drop part of a flood (max_queued_messages); of what arrives, at most 32 are accepted per
        // requester and 128 in all (the member's own stream included), the rest declined with the reason.
        int Answers(byte kind, string prefix = "auki/lab/peers/") =>
            mallory.Received.Count(m => m.Payload.Length > 0 && m.Payload[0] == kind && m.Topic.StartsWith(prefix, StringComparison.Ordinal));
        string malloryStreams = topics.StreamData("mallory", "");
        WaitFor(() => Answers(StreamProtocol.Accept, malloryStreams) == DomainLimits.MaxStreamsPerRequester
            && Answers(StreamProtocol.Decline, malloryStreams) > 0, Wait);
        Thread.Sleep(500);
        Assert.Equal(DomainLimits.MaxStreamsPerRequester, Answers(StreamProtocol.Accept, malloryStreams));
        Assert.InRange(Answers(StreamProtocol.Accept), DomainLimits.MaxStreamsPerRequester, DomainLimits.MaxStreams - 1);
        Assert.InRange(ownerDomain.Server.Count, 1, DomainLimits.MaxStreams);
        var decline = mallory.Received.First(m => m.Payload[0] == StreamProtocol.Decline);
        Assert.StartsWith("too many open streams: peer galbot serves",
            Encoding.UTF8.GetString(decline.Payload, 1, decline.Payload.Length - 1));
        Assert.True(OpenDescriptors() - before < 2 * DomainLimits.MaxStreams, $"{OpenDescriptors() - before} more descriptors");

        // Nobody acknowledges them: they expire and their descriptors are closed; the member's stream stays (it heartbeats).
        WaitFor(() => ownerDomain.Server.Count == 1, TimeSpan.FromSeconds(10));
        Assert.Contains(mallory.Received, m => m.Payload[0] == StreamProtocol.EndOfStream
            && Encoding.UTF8.GetString(m.Payload, 1, m.Payload.Length - 1).StartsWith("expired: no acknowledgement from mallory", StringComparison.Ordinal));
        WaitFor(() => OpenDescriptors() - before < 16, TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void Oversize_catalogs_are_refused_and_the_peer_is_not_added()
    {
        var reader = Join(new Peer("park", "park-vis") { StorageRoot = _dir["park"] }.StartSession());
        var topics = new DomainTopics("lab", "park");
        using var mallory = new HostileClient(_broker.Url);
        // 20 MB of one row's padding, and 100,000 tiny rows (300 KB).
        string padding = new('x', 20 * 1024 * 1024);
        mallory.Publish(topics.Catalog("big"), Encoding.UTF8.GetBytes(
            $"{{\"peer_id\":\"big\",\"app_id\":\"a\",\"session_id\":\"s\",\"resources\":[{{\"resource_id\":\"{padding}\"}}]}}"), retain: true);
        mallory.Publish(topics.Catalog("many"), Encoding.UTF8.GetBytes(
            "{\"peer_id\":\"many\",\"app_id\":\"a\",\"session_id\":\"s\",\"resources\":[" + string.Join(",", Enumerable.Repeat("{}", 100_000)) + "]}"), retain: true);
        mallory.Publish(topics.Catalog("fine"), Encoding.UTF8.GetBytes(
            "{\"peer_id\":\"fine\",\"app_id\":\"a\",\"session_id\":\"s\",\"resources\":[]}"), retain: true);
        WaitFor(() => reader.Peers().Contains("fine"), Wait);
        Assert.Equal(["fine", "park"], reader.Peers());
    }
}
