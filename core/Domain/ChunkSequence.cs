using System.Buffers;

namespace Auki.Domains;

/// <summary>
/// A chunk message as two pieces — its header and a slice of the entry's buffer — so a camera frame is
/// not copied once more per chunk on its way to the socket (MQTTnet writes the segments as they are).
/// </summary>
internal sealed class ChunkSequence : ReadOnlySequenceSegment<byte>
{
    private ChunkSequence(ReadOnlyMemory<byte> memory, long runningIndex)
    {
        Memory = memory;
        RunningIndex = runningIndex;
    }

    public static ReadOnlySequence<byte> Of(ReadOnlyMemory<byte> header, ReadOnlyMemory<byte> body)
    {
        var first = new ChunkSequence(header, 0);
        var second = new ChunkSequence(body, header.Length);
        first.Next = second;
        return new ReadOnlySequence<byte>(first, 0, second, body.Length);
    }
}
