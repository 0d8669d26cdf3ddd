"""Encode and decode any message from its field table (Message._fields_), byte for byte as prost,
Google.Protobuf and betterproto 1.2.5 do for the auki messages.

Encoding appends parts to one list and joins once at the end, so a large bytes field (a camera
frame) is copied exactly once, into the result; nested messages reserve a slot for their length
instead of being joined separately. Decoding walks one memoryview, so sub-messages cost no copy and
a bytes field is copied once, when it becomes a `bytes` value.
"""
import struct

from . import _schema as S
from . import _wire as W

_FIXED = {S.DOUBLE: "d", S.FLOAT: "f", S.FIXED64: "Q", S.SFIXED64: "q", S.FIXED32: "I", S.SFIXED32: "i"}
_FIXED_STRUCT = {S.DOUBLE: W.DOUBLE, S.FLOAT: W.FLOAT, S.FIXED64: W.FIXED64, S.SFIXED64: W.SFIXED64,
                 S.FIXED32: W.FIXED32, S.SFIXED32: W.SFIXED32}
_RANGE = {S.INT64: (-(1 << 63), (1 << 63) - 1), S.INT32: (-(1 << 31), (1 << 31) - 1), S.ENUM: (-(1 << 31), (1 << 31) - 1),
          S.UINT64: (0, (1 << 64) - 1), S.UINT32: (0, (1 << 32) - 1),
          S.SINT64: (-(1 << 63), (1 << 63) - 1), S.SINT32: (-(1 << 31), (1 << 31) - 1), S.BOOL: (0, 1)}
_TYPE_NAMES = {S.INT64: "int64", S.INT32: "int32", S.ENUM: "enum", S.UINT64: "uint64", S.UINT32: "uint32",
               S.SINT64: "sint64", S.SINT32: "sint32", S.BOOL: "bool"}


def _varint_of(kind, value):
    lo, hi = _RANGE[kind]
    if not lo <= value <= hi:
        raise ValueError(f"{value} is out of range for {_TYPE_NAMES[kind]}")
    if kind in (S.SINT32, S.SINT64):
        return W.zigzag(value)
    return value & 0xFFFFFFFFFFFFFFFF  # negative int32/int64: 10-byte two's complement varint


def _pack_many(kind, values):
    code = _FIXED.get(kind)
    if code is not None:
        return struct.pack(f"<{len(values)}{code}", *values)
    enc = W.encode_varint
    return b"".join([enc(_varint_of(kind, int(v))) for v in values])


def encode(msg):
    out = []
    _encode_into(msg, out)
    return b"".join(out)


def _buffer_of(value):
    """A bytes-like value and its length in bytes (memoryviews of any format count their bytes)."""
    if isinstance(value, (bytes, bytearray)):
        return value, len(value)
    view = memoryview(value)
    if view.format != "B" or view.ndim != 1:
        view = view.cast("B") if view.c_contiguous else memoryview(view.tobytes())
    return view, view.nbytes


def _plan(cls):
    """(name, field, encoder) per field in number order: one specialised function per kind, built
    once per class, so encoding a small message (a pose) is a short loop of direct calls."""
    plan = tuple((f.name, f, _encoder(f)) for f in cls._fields_)
    cls._plan_ = plan
    return plan


def _encoder(f):
    kind = f.kind
    if f.repeated:
        if kind in S.PACKABLE:
            return _enc_packed
        return _enc_repeated
    if kind == S.MESSAGE:
        return _encode_message
    if kind == S.BYTES:
        return _enc_bytes
    if kind == S.STRING:
        return _enc_string
    st = _FIXED_STRUCT.get(kind)
    if st is not None:
        pack = st.pack

        def enc_fixed(f, v, out, selected):
            # `not v` is proto3's default test (0, 0.0 and -0.0 are omitted; NaN is sent).
            if not v and not selected:
                return 0
            data = f.tag + pack(v)
            out.append(data)
            return len(data)
        return enc_fixed

    def enc_varint(f, v, out, selected):
        if not v and not selected:
            return 0
        data = f.tag + W.encode_varint(_varint_of(kind, int(v)))
        out.append(data)
        return len(data)
    return enc_varint


def _enc_packed(f, v, out, selected):
    if not v:
        return 0
    body = _pack_many(f.kind, v)
    head = f.tag + W.encode_varint(len(body))
    out.append(head)
    out.append(body)
    return len(head) + len(body)


def _enc_repeated(f, v, out, selected):
    size = 0
    one = _encode_message if f.kind == S.MESSAGE else _enc_bytes if f.kind == S.BYTES else _enc_string
    for item in v:
        size += one(f, item, out, True)
    return size


def _enc_bytes(f, v, out, selected):
    # len(), not != b"": the value may be any buffer (memoryview, numpy array).
    if not selected and not len(v):
        return 0
    data, n = _buffer_of(v)
    head = f.tag + W.encode_varint(n)
    out.append(head)
    if n:
        out.append(data)  # the one copy of a large payload happens in the final join
    return len(head) + n


def _enc_string(f, v, out, selected):
    if not v and not selected:
        return 0
    data = v.encode("utf-8")
    head = f.tag + W.encode_varint(len(data))
    out.append(head)
    out.append(data)
    return len(head) + len(data)


def _encode_message(f, value, out, selected):
    # betterproto: a sub-message goes on the wire if it is the selected oneof member, was set
    # (serialized_on_wire), or differs from an empty instance, which means it has a non-empty body.
    slot = len(out)
    out.append(b"")
    body = _encode_into(value, out)
    if body == 0 and not selected and not value._serialized_on_wire:
        del out[slot:]
        return 0
    head = f.tag + W.encode_varint(body)
    out[slot] = head
    return len(head) + body


def _encode_into(msg, out):
    """Append msg's fields to out; return the number of bytes appended."""
    cls = type(msg)
    plan = cls.__dict__.get("_plan_") or _plan(cls)
    current = msg._oneof_current
    size = 0
    try:
        for name, f, enc in plan:
            selected = current is not None and f.oneof is not None and current.get(f.oneof) == name
            size += enc(f, getattr(msg, name), out, selected)
    except (ValueError, TypeError, OverflowError, struct.error, UnicodeError) as e:
        raise ValueError(f"{cls.__name__}.{f.name}: {e}") from None
    unknown = msg._unknown_fields
    if unknown:
        out.append(unknown)
        size += len(unknown)
    return size


def decode_into(msg, data):
    view = data if isinstance(data, memoryview) else memoryview(data)
    if view.format != "B" or view.ndim != 1:
        view = view.cast("B")
    _decode(msg, view, 0, len(view))
    return msg


def _scalar_from_varint(kind, raw):
    if kind == S.INT64:
        return W.to_int64(raw)
    if kind in (S.INT32, S.ENUM):
        return W.to_int32(raw)
    if kind == S.UINT32:
        return raw & 0xFFFFFFFF
    if kind == S.BOOL:
        return raw != 0
    if kind == S.SINT64:
        return W.unzigzag(raw)
    if kind == S.SINT32:
        return W.to_int32(W.unzigzag(raw & 0xFFFFFFFF))
    return raw  # UINT64


def _unpack_many(kind, view, pos, stop):
    code = _FIXED.get(kind)
    if code is not None:
        width = 8 if code in "dQq" else 4
        count, rest = divmod(stop - pos, width)
        if rest:
            raise ValueError("packed field length is not a multiple of its element size")
        return list(struct.unpack_from(f"<{count}{code}", view, pos))
    values = []
    while pos < stop:
        raw, pos = W.decode_varint(view, pos)
        values.append(_scalar_from_varint(kind, raw))
    if pos != stop:
        raise ValueError("packed varints overrun their field")
    return values


def _decode(msg, view, pos, end):
    put = object.__setattr__
    put(msg, "_serialized_on_wire", True)
    by_number = msg._by_number_
    unknown = []
    while pos < end:
        start = pos
        k, pos = W.decode_varint(view, pos)
        number, wt = k >> 3, k & 7
        f = by_number.get(number)
        if f is None or (wt != f.wire and not (wt == W.LEN and f.repeated and f.kind in S.PACKABLE)):
            # Unknown (or differently typed) field: kept and re-emitted, as betterproto does.
            pos = W.skip(view, pos, wt)
            if pos > end:
                raise ValueError("truncated field")
            unknown.append(view[start:pos].tobytes())
            continue
        kind = f.kind
        if wt == W.LEN:
            size, pos = W.decode_varint(view, pos)
            stop = pos + size
            if stop > end:
                raise ValueError(f"{type(msg).__name__}.{f.name}: truncated")
            if kind == S.MESSAGE:
                value = f.message._blank_()
                _decode(value, view, pos, stop)
            elif kind == S.BYTES:
                value = view[pos:stop].tobytes()
            elif kind == S.STRING:
                value = str(view[pos:stop], "utf-8")
            else:
                getattr(msg, f.name).extend(_unpack_many(kind, view, pos, stop))
                pos = stop
                continue
            pos = stop
        elif wt == W.VARINT:
            raw, pos = W.decode_varint(view, pos)
            value = _scalar_from_varint(kind, raw)
        else:
            st = _FIXED_STRUCT[kind]
            if pos + st.size > end:
                raise ValueError(f"{type(msg).__name__}.{f.name}: truncated")
            value = st.unpack_from(view, pos)[0]
            pos += st.size
        if f.repeated:
            getattr(msg, f.name).append(value)
        elif f.oneof is None:
            put(msg, f.name, value)
        else:
            msg._set_field(f, value)
    if pos != end:
        raise ValueError(f"{type(msg).__name__}: truncated")
    if unknown:
        object.__setattr__(msg, "_unknown_fields", msg._unknown_fields + b"".join(unknown))
