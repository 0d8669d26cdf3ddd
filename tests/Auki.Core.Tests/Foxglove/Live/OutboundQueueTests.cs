using Auki.Foxglove.Live;

namespace Auki.Core.Tests.Foxglove.Live;

/// <summary>A slow client's queue drops its oldest frames and never its control messages; the producer never waits.</summary>
public class OutboundQueueTests
{
    private static OutboundMessage Frame(long ts, int bytes = 10) => OutboundMessage.Data(1, ts, new byte[bytes]);

    private static List<OutboundMessage> Drain(OutboundQueue queue)
    {
        queue.Complete();
        var all = new List<OutboundMessage>();
        while (true)
        {
            // Never waits: the queue is completed, so every permit is already there.
            var (ok, message) = queue.DequeueAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult();
            if (!ok) return all;
            all.Add(message);
        }
    }

    [Fact]
    public void When_full_by_count_the_oldest_frames_go_and_the_newest_stay()
    {
        var queue = new OutboundQueue(maxFrames: 3, maxBytes: long.MaxValue);
        for (long ts = 1; ts <= 5; ts++) Assert.True(queue.Enqueue(Frame(ts)));
        Assert.Equal(2, queue.Dropped);
        Assert.Equal([3L, 4, 5], Drain(queue).Select(m => m.LogTimeNs));
    }

    [Fact]
    public void When_full_by_bytes_the_oldest_frames_go_until_the_new_one_fits()
    {
        var queue = new OutboundQueue(maxFrames: 100, maxBytes: 3 * (MessageDataHeader.Size + 100));
        queue.Enqueue(Frame(1, 100));
        queue.Enqueue(Frame(2, 100));
        queue.Enqueue(Frame(3, 100));
        queue.Enqueue(Frame(4, 200)); // needs the room of two
        Assert.Equal(2, queue.Dropped);
        Assert.Equal([3L, 4], Drain(queue).Select(m => m.LogTimeNs));
    }

    [Fact]
    public void Control_messages_are_never_dropped_and_keep_their_place()
    {
        var queue = new OutboundQueue(maxFrames: 1, maxBytes: long.MaxValue);
        queue.Enqueue(OutboundMessage.Control("a"u8.ToArray()));
        queue.Enqueue(Frame(1));
        queue.Enqueue(OutboundMessage.Control("b"u8.ToArray()));
        queue.Enqueue(Frame(2));
        var order = Drain(queue).Select(m => m.IsControl ? ((char)m.Text![0]).ToString() : m.LogTimeNs.ToString()).ToList();
        Assert.Equal(["a", "b", "2"], order);
        Assert.Equal(1, queue.Dropped);
    }

    [Fact]
    public void A_frame_larger_than_the_byte_bound_still_goes_to_a_client_that_keeps_up()
    {
        var queue = new OutboundQueue(maxFrames: 10, maxBytes: 100);
        queue.Enqueue(Frame(1, 1000));
        Assert.Equal(0, queue.Dropped);
        queue.Enqueue(Frame(2, 1000));
        Assert.Equal(1, queue.Dropped);
        Assert.Equal([2L], Drain(queue).Select(m => m.LogTimeNs));
    }

    [Fact]
    public async Task A_completed_queue_hands_out_what_it_holds_then_refuses_more()
    {
        var queue = new OutboundQueue(maxFrames: 10, maxBytes: long.MaxValue);
        queue.Enqueue(Frame(1));
        queue.Complete();
        Assert.False(queue.Enqueue(Frame(2)));
        var (ok, message) = await queue.DequeueAsync(CancellationToken.None);
        Assert.True(ok);
        Assert.Equal(1, message.LogTimeNs);
        Assert.False((await queue.DequeueAsync(CancellationToken.None)).Ok);
    }
}
