using System.Buffers;
using Auki.Export;

namespace Auki.Core.Tests.Export;

/// <summary>A message encoded straight into a chunk gives the records copying it in gives.</summary>
public class McapChunkEncodingTests
{
    private static void Encode(IBufferWriter<byte> writer, byte[] data, int pieces)
    {
        int step = Math.Max(1, data.Length / pieces);
        for (int at = 0; at < data.Length; at += step)
        {
            int n = Math.Min(step, data.Length - at);
            data.AsSpan(at, n).CopyTo(writer.GetSpan(n));
            writer.Advance(n);
        }
    }

    [Fact]
    public void Encoded_messages_make_the_same_records_as_copied_ones()
    {
        var rng = new Random(3);
        var messages = Enumerable.Range(0, 40).Select(i => { var b = new byte[rng.Next(0, 5000)]; rng.NextBytes(b); return b; }).ToList();
        var copied = new McapChunk(1 << 20);
        var encoded = new McapChunk(1 << 20);
        for (int i = 0; i < messages.Count; i++)
        {
            Assert.True(copied.TryAdd((ushort)(1 + i % 3), (ulong)i, (ulong)i, messages[i]));
            Encode(encoded.BeginMessage(), messages[i], 1 + i % 4);
            Assert.Equal(messages[i], encoded.PendingMessage.ToArray());
            Assert.True(encoded.CommitMessage((ushort)(1 + i % 3), (ulong)i, (ulong)i));
        }
        Assert.Equal(copied.Records.ToArray(), encoded.Records.ToArray());
        Assert.Equal(copied.MessageCount, encoded.MessageCount);
        foreach (ushort channel in new ushort[] { 1, 2, 3 }) Assert.Equal(copied.IndexOf(channel), encoded.IndexOf(channel));
    }

    [Fact]
    public void A_message_past_the_target_is_refused_and_kept_pending_like_TryAdd()
    {
        var chunk = new McapChunk(100);
        Encode(chunk.BeginMessage(), new byte[50], 1);
        Assert.True(chunk.CommitMessage(1, 1, 1)); // alone: always accepted
        var before = chunk.Records.ToArray();
        var big = Enumerable.Range(0, 60).Select(i => (byte)i).ToArray();
        Encode(chunk.BeginMessage(), big, 3);
        Assert.False(chunk.CommitMessage(1, 2, 2));
        Assert.Equal(big, chunk.PendingMessage.ToArray());
        chunk.DiscardMessage();
        Assert.Equal(before, chunk.Records.ToArray());
        Assert.Equal(1, chunk.MessageCount);
    }

    [Fact]
    public void Growing_the_buffer_while_encoding_keeps_the_records_and_the_message()
    {
        var chunk = new McapChunk(64); // a small buffer, so the next message makes it grow
        Assert.True(chunk.TryAdd(1, 1, 1, new byte[] { 1, 2, 3 }));
        var before = chunk.Records.ToArray();
        var large = Enumerable.Range(0, 10_000).Select(i => (byte)(i * 7)).ToArray();
        Encode(chunk.BeginMessage(), large, 10);
        Assert.Equal(large, chunk.PendingMessage.ToArray());
        Assert.False(chunk.CommitMessage(2, 2, 2));
        var alone = new McapChunk(64);
        Assert.True(alone.TryAdd(2, 2, 2, chunk.PendingMessage));
        chunk.DiscardMessage();
        Assert.Equal(before, chunk.Records.ToArray());
        Assert.Equal(McapChunk.MessageHeaderSize + large.Length, alone.Length);
    }

    [Fact]
    public void A_discarded_message_leaves_nothing()
    {
        var chunk = new McapChunk(1 << 10);
        Encode(chunk.BeginMessage(), new byte[] { 9, 9, 9 }, 1);
        chunk.DiscardMessage();
        Assert.Equal(0, chunk.MessageCount);
        Assert.Equal(0, chunk.Length);
        Assert.True(chunk.TryAdd(1, 5, 5, new byte[] { 4 }));
        Assert.Equal(1, chunk.MessageCount);
    }
}
