"""The shape of one message field, as the generated modules (auki/*.py) declare it.

The generated tables are the only place field numbers and types appear in Python; they come from
proto/auki/*.proto through tools/gen_auki_datatypes.py.
"""
from . import _wire as W

# FieldDescriptorProto.Type numbers, so the generator copies protoc's value unchanged.
DOUBLE, FLOAT, INT64, UINT64, INT32, FIXED64, FIXED32, BOOL, STRING = 1, 2, 3, 4, 5, 6, 7, 8, 9
MESSAGE, BYTES, UINT32, ENUM, SFIXED32, SFIXED64, SINT32, SINT64 = 11, 12, 13, 14, 15, 16, 17, 18

# betterproto writes these as strings in to_dict (JSON numbers lose precision past 2**53).
INT64_KINDS = frozenset((INT64, UINT64, SINT64, FIXED64, SFIXED64))
# Repeated fields of these kinds are packed (proto3 default).
PACKABLE = frozenset((DOUBLE, FLOAT, INT64, UINT64, INT32, FIXED64, FIXED32, BOOL, UINT32, ENUM,
                      SFIXED32, SFIXED64, SINT32, SINT64))

_VARINT_KINDS = frozenset((INT64, UINT64, INT32, BOOL, UINT32, ENUM, SINT32, SINT64))
_I64_KINDS = frozenset((DOUBLE, FIXED64, SFIXED64))
_I32_KINDS = frozenset((FLOAT, FIXED32, SFIXED32))

_ZERO = {DOUBLE: 0.0, FLOAT: 0.0, BOOL: False, STRING: "", BYTES: b""}


class Field:
    """One field: name, number, kind; message type for MESSAGE; oneof group name if any."""

    __slots__ = ("name", "number", "kind", "repeated", "message", "oneof", "zero", "wire", "tag")

    def __init__(self, name, number, kind, repeated=False, message=None, oneof=None):
        self.name = name
        self.number = number
        self.kind = kind
        self.repeated = repeated
        self.message = message
        self.oneof = oneof
        # The proto3 default of a singular scalar (messages and lists get fresh instances).
        self.zero = _ZERO.get(kind, 0)
        # Wire type of one element, and the key bytes the encoder writes (packed lists use LEN).
        self.wire = (W.VARINT if kind in _VARINT_KINDS else W.I64 if kind in _I64_KINDS
                     else W.I32 if kind in _I32_KINDS else W.LEN)
        self.tag = W.key(number, W.LEN if repeated and kind in PACKABLE else self.wire)

    def default(self):
        if self.repeated:
            return []
        if self.kind == MESSAGE:
            return self.message()
        return self.zero

    def __repr__(self):
        return f"Field({self.name!r}, {self.number}, kind={self.kind}, repeated={self.repeated})"
