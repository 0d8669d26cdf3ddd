using Auki.Domains;
using Auki.Sessions;

namespace Auki.Core.Tests.Domain;

/// <summary>
/// The two lanes of stream messages (docs/domains.md, "Lanes"): every stream starts on the small lane
/// (its own connection, so a camera's frames queued in the broker never delay it) and is moved to the
/// bulk lane at its first entry in chunks or once it has a backlog beyond the small window; the move
/// loses and repeats nothing.
/// </summary>
public sealed class StreamLaneTests : BrokerFixture
{
    private Session Reader() => new Peer("park", "park-vis") { StorageRoot = _dir["park"] }.StartSession();

    private static byte[] Payload(int i, int size)
    {
        var p = new byte[size];
        new Random(i).NextBytes(p);
        return p;
    }

    private static void ReadExactly(RemoteStream stream, int count, int size, int from = 0)
    {
        for (int i = from; i < from + count; i++)
        {
            Assert.Equal(StreamNext.Entry, stream.Next(Wait, out var e));
            Assert.Equal((long)i, e.TimestampNs);
            Assert.Equal(Payload(i, size), e.Payload);
        }
    }

    [Fact]
    public void A_small_log_is_streamed_on_the_small_lane()
    {
        var (owner, log) = DomainTests.Owner(_dir["galbot"]);
        for (int i = 0; i < 10; i++) log.Data.Append(i, Payload(i, 56));
        Join(owner);
        using var stream = Join(Reader()).OpenStream(Camera, ReadFrom.FromStart);
        ReadExactly(stream, 10, 56);
        log.Data.Append(10, Payload(10, 56));
        ReadExactly(stream, 1, 56, from: 10);
        Assert.Equal("small", stream.Status().Lane);
        Assert.Equal("small", stream.Status().ToJson()["lane"]!.GetValue<string>());
    }

    [Fact]
    public void A_backlog_beyond_the_small_window_moves_to_the_bulk_lane_without_losing_or_repeating_an_entry()
    {
        const int size = 8 * 1024, count = 400; // 3.2 MB of history: three small windows
        var (owner, log) = DomainTests.Owner(_dir["galbot"]);
        for (int i = 0; i < count; i++) log.Data.Append(i, Payload(i, size));
        Join(owner);
        using var stream = Join(Reader()).OpenStream(Camera, ReadFrom.FromStart);
        ReadExactly(stream, count, size);
        log.Data.Append(count, Payload(count, size));
        ReadExactly(stream, 1, size, from: count);
        Assert.Equal(StreamNext.Timeout, stream.Next(TimeSpan.FromMilliseconds(300), out _)); // nothing twice
        Assert.Equal("bulk", stream.Status().Lane);
    }

    [Fact]
    public void A_stream_moves_to_the_bulk_lane_at_its_first_entry_in_chunks()
    {
        const int big = 600 * 1024; // three 256 KiB chunks
        var (owner, log) = DomainTests.Owner(_dir["galbot"]);
        log.Data.Append(0, Payload(0, 16));
        log.Data.Append(1, Payload(1, 16));
        Join(owner);
        using var stream = Join(Reader()).OpenStream(Camera, ReadFrom.FromStart);
        ReadExactly(stream, 2, 16);
        Assert.Equal("small", stream.Status().Lane);
        log.Data.Append(2, Payload(2, big));
        log.Data.Append(3, Payload(3, big));
        ReadExactly(stream, 2, big, from: 2);
        Assert.Equal("bulk", stream.Status().Lane);
        Assert.Equal(StreamNext.Timeout, stream.Next(TimeSpan.FromMilliseconds(300), out _)); // nothing twice
    }
}
