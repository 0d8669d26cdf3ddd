"""Protobuf wire primitives: varints, zig-zag, keys. No knowledge of messages (see _codec.py).

Pure functions over ints and buffers, so the codec above them stays a loop over field tables.
"""
import struct

VARINT, I64, LEN, I32 = 0, 1, 2, 5

_U64 = (1 << 64) - 1
_I64_MIN, _I64_MAX = -(1 << 63), (1 << 63) - 1

DOUBLE = struct.Struct("<d")
FLOAT = struct.Struct("<f")
FIXED64 = struct.Struct("<Q")
SFIXED64 = struct.Struct("<q")
FIXED32 = struct.Struct("<I")
SFIXED32 = struct.Struct("<i")

# One-byte varints are by far the most common (keys, short lengths): precomputed.
_SMALL = [bytes((i,)) for i in range(128)]


def encode_varint(value):
    """Unsigned varint of 0 <= value < 2**64 (callers map signed values first)."""
    if value < 128:
        return _SMALL[value]
    out = bytearray()
    while value > 127:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def decode_varint(buf, pos):
    """(value, next position) of the varint at buf[pos]; at most 10 bytes, like every protobuf reader."""
    b = buf[pos]
    if b < 128:
        return b, pos + 1
    result, shift = b & 0x7F, 7
    end = min(pos + 10, len(buf))
    pos += 1
    while pos < end:
        b = buf[pos]
        pos += 1
        result |= (b & 0x7F) << shift
        if b < 128:
            return result & _U64, pos
        shift += 7
    raise ValueError("truncated or over-long varint")


def signed64(value):
    """Two's complement of a negative int64/int32 as the 10-byte varint protobuf sends."""
    return value & _U64


def to_int64(value):
    return value - (1 << 64) if value > _I64_MAX else value


def to_int32(value):
    value &= 0xFFFFFFFF
    return value - (1 << 32) if value > 0x7FFFFFFF else value


def zigzag(value):
    return (value << 1) ^ (value >> 63) if value < 0 else value << 1


def unzigzag(value):
    return (value >> 1) ^ -(value & 1)


def key(number, wire_type):
    return encode_varint((number << 3) | wire_type)


def skip(buf, pos, wire_type):
    """Position after a field's value of the given wire type (for unknown fields)."""
    if wire_type == VARINT:
        return decode_varint(buf, pos)[1]
    if wire_type == I64:
        end = pos + 8
    elif wire_type == I32:
        end = pos + 4
    elif wire_type == LEN:
        size, pos = decode_varint(buf, pos)
        end = pos + size
    else:
        raise ValueError(f"unsupported wire type {wire_type} (groups are not used by any auki message)")
    if end > len(buf):
        raise ValueError("truncated field")
    return end
