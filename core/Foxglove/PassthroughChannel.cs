using System.Buffers;
using Auki.Datatypes;
using Google.Protobuf.Reflection;

namespace Auki.Foxglove;

/// <summary>
/// A channel whose messages are the payloads as recorded: a typed log under its <c>auki.*</c>
/// protobuf schema (each payload checked to decode first, so Foxglove never meets a message its
/// schema cannot read), or an untyped log's opaque bytes.
/// </summary>
internal sealed class PassthroughChannel : FoxgloveChannel
{
    /// <summary>The type payloads must decode as, or null for opaque bytes.</summary>
    public MessageDescriptor? Type { get; init; }

    public override void Convert(long timestampNs, ReadOnlySpan<byte> payload, IBufferWriter<byte> message)
    {
        if (Type is not null) PayloadJson.Check(Type, payload);
        message.Write(payload);
    }

    /// <summary>The message is the payload: all of it is the bulk.</summary>
    internal override (int Start, int Length) ConvertAround(long timestampNs, ReadOnlySpan<byte> payload, IBufferWriter<byte> prefix,
        IBufferWriter<byte> suffix)
    {
        if (Type is not null) PayloadJson.Check(Type, payload);
        return (0, payload.Length);
    }
}

/// <summary>A channel that only carries its <see cref="FoxgloveChannel.Latched"/> message (a camera's calibration).</summary>
internal sealed class LatchedChannel : FoxgloveChannel
{
    public override void Convert(long timestampNs, ReadOnlySpan<byte> payload, IBufferWriter<byte> message) =>
        throw new InvalidOperationException($"{Topic} carries one latched message, not entries");
}
