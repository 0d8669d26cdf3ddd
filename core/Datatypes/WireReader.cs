using Google.Protobuf.Reflection;

namespace Auki.Datatypes;

/// <summary>
/// A forward-only reader of protobuf wire format over a span: varints, fixed-width values and
/// length-delimited slices. Every read checks the bounds and throws <see cref="FormatException"/>
/// with the offset, so hostile bytes end in a message, never an out-of-range read.
/// </summary>
internal ref struct WireReader
{
    private readonly ReadOnlySpan<byte> _data;
    private int _pos;

    public WireReader(ReadOnlySpan<byte> data) { _data = data; _pos = 0; }

    public readonly bool AtEnd => _pos >= _data.Length;
    public readonly int Position => _pos;

    public ulong Varint()
    {
        ulong value = 0;
        for (int shift = 0; shift < 70; shift += 7)
        {
            if (_pos >= _data.Length) throw new FormatException($"truncated varint at byte {_pos}");
            byte b = _data[_pos++];
            // The tenth byte may only contribute the top bit.
            if (shift == 63 && b > 1) throw new FormatException($"varint too long at byte {_pos - 1}");
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80) return value;
        }
        throw new FormatException($"varint too long at byte {_pos}");
    }

    public ReadOnlySpan<byte> Take(int count, string what)
    {
        if (count < 0 || count > _data.Length - _pos)
            throw new FormatException($"truncated {what} at byte {_pos}: {count} bytes announced, {_data.Length - _pos} left");
        var slice = _data.Slice(_pos, count);
        _pos += count;
        return slice;
    }

    /// <summary>As <see cref="Take(int, string)"/>; the field's name is only formatted when the read fails.</summary>
    public ReadOnlySpan<byte> Take(int count, FieldDescriptor field) =>
        count >= 0 && count <= _data.Length - _pos ? Take(count, "") : Take(count, FieldName(field));

    /// <summary>How error messages name a field: <c>field frame (#2)</c>.</summary>
    public static string FieldName(FieldDescriptor field) => $"field {field.Name} (#{field.FieldNumber})";

    public ReadOnlySpan<byte> LengthDelimited()
    {
        ulong length = Varint();
        if (length > int.MaxValue) throw new FormatException($"length {length} too large at byte {_pos}");
        return Take((int)length, "length-delimited field");
    }

    /// <summary>Skip one value of an unknown field (decoders must ignore unknown fields).</summary>
    public void Skip(int wireType)
    {
        switch (wireType)
        {
            case 0: Varint(); break;
            case 1: Take(8, "fixed64"); break;
            case 2: LengthDelimited(); break;
            case 5: Take(4, "fixed32"); break;
            default: throw new FormatException($"unsupported wire type {wireType} at byte {_pos}");
        }
    }
}
