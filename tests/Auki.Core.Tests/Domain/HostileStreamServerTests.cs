using Auki.Domains;
using Auki.Registry;
using Auki.Sessions;
using DomainMembership = Auki.Domains.Domain;

namespace Auki.Core.Tests.Domain;

/// <summary>
/// A stream server that lies: a hostile client answers the stream requests sent to the owner with
/// entries a local append would refuse (negative or backwards timestamps). Readers refuse them like
/// local appends: consumers get an error, copies never write them and carry on.
/// </summary>
public sealed class HostileStreamServerTests : BrokerFixture
{
    /// <summary>Answers every stream request to galbot, shortly after the real owner's Accept, with one batch of these entries.</summary>
    private HostileClient Impostor(params long[] timestamps)
    {
        var mallory = new HostileClient(_broker.Url);
        var topics = new DomainTopics("lab", "galbot");
        mallory.OnMessage = (topic, _, responseTopic) =>
        {
            if (topic != topics.StreamRequests("galbot") || responseTopic is null) return;
            Task.Run(async () =>
            {
                await Task.Delay(200);
                mallory.Publish(responseTopic, Batch(timestamps));
            });
        };
        mallory.Subscribe(topics.StreamRequests("galbot"));
        return mallory;
    }

    private static byte[] Batch(long[] timestamps)
    {
        var bytes = new byte[StreamProtocol.BatchHeaderSize + timestamps.Length * (StreamProtocol.EntryHeaderSize + 1)];
        bytes[0] = StreamProtocol.Entries;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(1), (uint)timestamps.Length);
        int pos = StreamProtocol.BatchHeaderSize;
        for (int i = 0; i < timestamps.Length; i++)
        {
            StreamProtocol.WriteEntryHeader(bytes.AsSpan(pos), timestamps[i], i, 1);
            bytes[pos + StreamProtocol.EntryHeaderSize] = 0xEE;
            pos += StreamProtocol.EntryHeaderSize + 1;
        }
        return bytes;
    }

    private Session Reader(string name) => new Peer(name, name + "-vis") { StorageRoot = _dir[name] }.StartSession();

    [Fact]
    public void A_stream_entry_with_a_negative_timestamp_is_refused_and_the_consumer_gets_the_local_append_error()
    {
        var (owner, _) = DomainTests.Owner(_dir["galbot"]);
        Join(owner);
        var reader = Join(Reader("park"));
        using var mallory = Impostor(-5);
        using var stream = reader.OpenStream(Camera, ReadFrom.FromStart);
        var e = Assert.Throws<AukiException>(() => stream.Next(Wait, out _));
        Assert.Equal(AukiErrorCode.Corrupt, e.Code);
        Assert.Contains("format: timestamp_ns must be ≥ 0", e.Message);
        Assert.Contains("refused", e.Message);
    }

    [Fact]
    public void A_stream_entry_going_back_in_time_is_refused_after_the_entries_before_it()
    {
        var (owner, _) = DomainTests.Owner(_dir["galbot"]);
        Join(owner);
        var reader = Join(Reader("park"));
        using var mallory = Impostor(100, 50);
        using var stream = reader.OpenStream(Camera, ReadFrom.FromStart);
        Assert.Equal(StreamNext.Entry, stream.Next(Wait, out var first));
        Assert.Equal(100, first.TimestampNs);
        var e = Assert.Throws<AukiException>(() => stream.Next(Wait, out _));
        Assert.Equal(AukiErrorCode.Corrupt, e.Code);
        Assert.Contains("format: timestamp_ns 50 is earlier than the last entry (100)", e.Message);
    }

    [Fact]
    public void A_materialization_never_writes_a_refused_entry_reports_it_and_goes_on_with_the_owners_entries()
    {
        var (owner, log) = DomainTests.Owner(_dir["galbot"]);
        Join(owner);
        var park = Reader("park");
        Join(park);
        LogHandle copy;
        using (Impostor(-5))
        {
            copy = park.MaterializeRemoteLog(Camera, 0, 10_000_000_000);
            var deadline = DateTime.UtcNow + Wait;
            while (copy.MaterializationError is null && DateTime.UtcNow < deadline) Thread.Sleep(10);
        }
        Assert.Contains("timestamp_ns must be ≥ 0", copy.MaterializationError?.Message);
        Assert.Empty(copy.Data.Read());

        // The owner writes on: its catalog changes, the copy asks it again and takes its entries.
        log.Data.Append(10, [1]);
        log.Data.Append(20, [2]);
        var until = DateTime.UtcNow + Wait;
        while (copy.Data.Read().Count() < 2 && DateTime.UtcNow < until) Thread.Sleep(10);
        Assert.Equal([10L, 20L], copy.Data.Read().Select(e => e.TimestampNs));
    }
}
