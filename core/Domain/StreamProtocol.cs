using System.Buffers.Binary;
using System.Globalization;
using System.Text.Json.Nodes;
using Auki.Json;

namespace Auki.Domains;

/// <summary>Where a stream starts: upstream's <c>ReadFrom</c> (Latest | FromStart | FromTimestamp(ns)).</summary>
public sealed record ReadFrom(string Kind, long? TimestampNs)
{
    /// <summary>Only entries appended after the stream opened.</summary>
    public static ReadFrom Latest { get; } = new("latest", null);

    /// <summary>Everything the owner still holds, then live entries.</summary>
    public static ReadFrom FromStart { get; } = new("from_start", null);

    /// <summary>Entries with timestamp ≥ <paramref name="timestampNs"/>, then live entries.</summary>
    public static ReadFrom FromTimestamp(long timestampNs) => new("from_timestamp", timestampNs);

    /// <summary><c>{"kind":…}</c> plus <c>"timestamp_ns"</c> for from_timestamp.</summary>
    public JsonObject ToJson()
    {
        var o = new JsonObject { ["kind"] = Kind };
        if (TimestampNs is long ts) o["timestamp_ns"] = ts;
        return o;
    }

    /// <summary>Parse the JSON form (serde wording on errors).</summary>
    public static ReadFrom FromJson(JsonNode? node)
    {
        var f = JsonFields.Of(node, "internally tagged enum ReadFrom");
        return f.Enum("kind", ["latest", "from_start", "from_timestamp"]) switch
        {
            "latest" => Latest,
            "from_start" => FromStart,
            _ => FromTimestamp(f.I64("timestamp_ns")),
        };
    }

    /// <inheritdoc/>
    public override string ToString() => Kind == "from_timestamp"
        ? string.Create(CultureInfo.InvariantCulture, $"ReadFrom.from_timestamp({TimestampNs})")
        : $"ReadFrom.{Kind}()";
}

/// <summary>One entry received over a stream: upstream's <c>Entry{timestamp_ns, seq, payload}</c>.</summary>
/// <param name="TimestampNs">The entry's timestamp.</param>
/// <param name="Seq">Position in this stream, from 0.</param>
/// <param name="Payload">The payload bytes (owned).</param>
public readonly record struct StreamEntry(long TimestampNs, long Seq, byte[] Payload);

/// <summary>
/// Wire format of the stream messages the owner sends to a stream's response topic. The first
/// byte says what the rest is: 1 Accept (JSON), 2 Decline (UTF-8 reason), 3 Entries (binary
/// batch), 4 EndOfStream (UTF-8 reason), 5 Chunk (one piece of an entry larger than the chunk size),
/// 6 MoveToBulk (UTF-8 reason; only on the small-stream lane).
/// Entries: <c>u32 count</c>, then per entry <c>i64 timestamp_ns, u64 seq, u32 payload_len, payload</c>;
/// Chunk: <c>i64 timestamp_ns, u64 seq, u32 payload_len, u32 offset</c>, then the bytes from offset
/// to the end of the message; all little-endian (docs/domains.md, "Streams").
/// </summary>
internal static class StreamProtocol
{
    public const byte Accept = 1;
    public const byte Decline = 2;
    public const byte Entries = 3;
    public const byte EndOfStream = 4;
    public const byte Chunk = 5;
    /// <summary>Protocol 3, small-stream lane only: the stream ends here; ask again (from the last entry) on the bulk lane.</summary>
    public const byte MoveToBulk = 6;

    /// <summary>
    /// Protocol version in the catalog document (<c>"protocol"</c>): 2 added chunks, credit and the data connection;
    /// 3 the small-stream lane (its own connection and topic, MoveToBulk).
    /// </summary>
    public const int Version = 3;

    /// <summary>The first version whose servers answer on the small-stream lane.</summary>
    public const int SmallLaneVersion = 3;

    public const int BatchHeaderSize = 5;
    public const int EntryHeaderSize = 20;
    public const int ChunkHeaderSize = 25;

    /// <summary>Reason sent when the owner's log is sealed and every entry was sent.</summary>
    public const string SealedReason = "sealed";

    /// <summary>Start of the reason sent when the server ends a stream whose reader went silent (<see cref="DomainLimits.StreamIdleExpiry"/>).</summary>
    public const string ExpiredReason = "expired";

    public static byte[] Text(byte kind, string text)
    {
        byte[] bytes = new byte[1 + System.Text.Encoding.UTF8.GetByteCount(text)];
        bytes[0] = kind;
        System.Text.Encoding.UTF8.GetBytes(text, bytes.AsSpan(1));
        return bytes;
    }

    public static byte[] Json(byte kind, JsonObject json)
    {
        byte[] body = CanonicalJson.Serialize(json);
        byte[] bytes = new byte[1 + body.Length];
        bytes[0] = kind;
        body.CopyTo(bytes, 1);
        return bytes;
    }

    public static void WriteEntryHeader(Span<byte> destination, long timestampNs, long seq, int length)
    {
        BinaryPrimitives.WriteInt64LittleEndian(destination, timestampNs);
        BinaryPrimitives.WriteInt64LittleEndian(destination[8..], seq);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[16..], (uint)length);
    }

    public static void WriteChunkHeader(Span<byte> destination, long timestampNs, long seq, int length, int offset)
    {
        destination[0] = Chunk;
        WriteEntryHeader(destination[1..], timestampNs, seq, length);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[21..], (uint)offset);
    }

    /// <summary>A chunk's header (the bytes follow it); Corrupt when the message is too short to hold one.</summary>
    public static (long TimestampNs, long Seq, uint Length, uint Offset) DecodeChunkHeader(ReadOnlySpan<byte> message)
    {
        if (message.Length < ChunkHeaderSize) throw AukiException.Corrupt("stream: chunk message too short");
        return (BinaryPrimitives.ReadInt64LittleEndian(message[1..]), BinaryPrimitives.ReadInt64LittleEndian(message[9..]),
            BinaryPrimitives.ReadUInt32LittleEndian(message[17..]), BinaryPrimitives.ReadUInt32LittleEndian(message[21..]));
    }

    /// <summary>Decode a batch; Corrupt when it is cut short or its count does not match its bytes.</summary>
    public static List<StreamEntry> DecodeEntries(ReadOnlySpan<byte> message)
    {
        if (message.Length < BatchHeaderSize) throw AukiException.Corrupt("stream: entries message too short");
        uint count = BinaryPrimitives.ReadUInt32LittleEndian(message[1..]);
        var entries = new List<StreamEntry>((int)Math.Min(count, 65536));
        int pos = BatchHeaderSize;
        for (uint i = 0; i < count; i++)
        {
            if (message.Length - pos < EntryHeaderSize) throw AukiException.Corrupt("stream: entries message cut short");
            long ts = BinaryPrimitives.ReadInt64LittleEndian(message[pos..]);
            long seq = BinaryPrimitives.ReadInt64LittleEndian(message[(pos + 8)..]);
            uint length = BinaryPrimitives.ReadUInt32LittleEndian(message[(pos + 16)..]);
            pos += EntryHeaderSize;
            if ((uint)(message.Length - pos) < length) throw AukiException.Corrupt("stream: entry payload cut short");
            entries.Add(new StreamEntry(ts, seq, message.Slice(pos, (int)length).ToArray()));
            pos += (int)length;
        }
        if (pos != message.Length) throw AukiException.Corrupt("stream: trailing bytes after the entries");
        return entries;
    }
}
