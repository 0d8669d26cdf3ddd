using System.Buffers.Binary;

namespace Auki.Foxglove.Live;

/// <summary>
/// The head of a server Message Data frame (opcode 0x01): opcode, u32 subscription id, u64 log
/// time in nanoseconds, all little-endian; the channel's message follows it in the same
/// WebSocket message.
/// </summary>
internal static class MessageDataHeader
{
    public const byte Opcode = 0x01;

    public const int Size = 1 + 4 + 8;

    public static void Write(Span<byte> destination, uint subscriptionId, long logTimeNs)
    {
        destination[0] = Opcode;
        BinaryPrimitives.WriteUInt32LittleEndian(destination[1..], subscriptionId);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[5..], unchecked((ulong)logTimeNs));
    }
}
