using System.Buffers.Binary;
using System.Text;

namespace Auki.Foxglove;

/// <summary>
/// Writes protobuf wire format into a span sized in advance (callers add up the <c>Size*</c>
/// helpers first), so a converted message is written once, straight into its destination: a
/// camera frame's pixels are copied from the log's buffer to the MCAP chunk and nowhere else.
/// Proto3 rules: zero scalars and empty strings are omitted, as Google.Protobuf writes them.
/// </summary>
internal ref struct WireWriter(Span<byte> destination)
{
    private readonly Span<byte> _out = destination;
    private int _pos;

    public readonly int Position => _pos;

    public void Tag(int field, int wireType) => Varint((ulong)(field << 3 | wireType));

    public void Varint(ulong value)
    {
        while (value >= 0x80)
        {
            _out[_pos++] = (byte)(value | 0x80);
            value >>= 7;
        }
        _out[_pos++] = (byte)value;
    }

    public void Fixed32(int field, uint value)
    {
        if (value == 0) return;
        Tag(field, 5);
        BinaryPrimitives.WriteUInt32LittleEndian(_out[_pos..], value);
        _pos += 4;
    }

    public void Double(int field, double value)
    {
        if (value == 0) return; // -0.0 too, as Google.Protobuf does
        Tag(field, 1);
        BinaryPrimitives.WriteDoubleLittleEndian(_out[_pos..], value);
        _pos += 8;
    }

    public void String(int field, string value)
    {
        if (value.Length == 0) return;
        Tag(field, 2);
        Varint((ulong)Encoding.UTF8.GetByteCount(value));
        _pos += Encoding.UTF8.GetBytes(value, _out[_pos..]);
    }

    public void Bytes(int field, ReadOnlySpan<byte> value)
    {
        if (value.IsEmpty) return;
        Tag(field, 2);
        Varint((ulong)value.Length);
        value.CopyTo(_out[_pos..]);
        _pos += value.Length;
    }

    /// <summary>
    /// The tag and length of a bytes field of <paramref name="length"/> (&gt; 0) bytes whose contents
    /// the caller writes elsewhere (an MCAP chunk that keeps a frame where it lies).
    /// </summary>
    public void BytesHeader(int field, int length)
    {
        Tag(field, 2);
        Varint((ulong)length);
    }

    /// <summary>A sub-message header (always written: a present message field, even when empty).</summary>
    public void Message(int field, int length)
    {
        Tag(field, 2);
        Varint((ulong)length);
    }

    /// <summary>google.protobuf.Timestamp of <paramref name="ns"/> Unix-epoch ns as field <paramref name="field"/>.</summary>
    public void Timestamp(int field, long ns)
    {
        var (seconds, nanos) = Split(ns);
        Message(field, TimestampBodySize(ns));
        if (seconds != 0) { Tag(1, 0); Varint((ulong)seconds); }
        if (nanos != 0) { Tag(2, 0); Varint((ulong)nanos); }
    }

    public static (long Seconds, int Nanos) Split(long ns)
    {
        long seconds = Math.DivRem(ns, 1_000_000_000, out long nanos);
        if (nanos < 0) { seconds--; nanos += 1_000_000_000; }
        return (seconds, (int)nanos);
    }

    public static int SizeOfVarint(ulong value)
    {
        int n = 1;
        while (value >= 0x80) { value >>= 7; n++; }
        return n;
    }

    public static int TimestampBodySize(long ns)
    {
        var (seconds, nanos) = Split(ns);
        return (seconds != 0 ? 1 + SizeOfVarint((ulong)seconds) : 0) + (nanos != 0 ? 1 + SizeOfVarint((ulong)nanos) : 0);
    }

    public static int SizeOfTimestamp(long ns) => SizeOfMessage(TimestampBodySize(ns));

    public static int SizeOfMessage(int length) => 1 + SizeOfVarint((ulong)length) + length;

    public static int SizeOfFixed32(uint value) => value == 0 ? 0 : 5;

    public static int SizeOfDouble(double value) => value == 0 ? 0 : 9;

    public static int SizeOfString(string value)
    {
        if (value.Length == 0) return 0;
        int n = Encoding.UTF8.GetByteCount(value);
        return 1 + SizeOfVarint((ulong)n) + n;
    }

    public static int SizeOfBytes(int length) => length == 0 ? 0 : 1 + SizeOfVarint((ulong)length) + length;
}
