# Generated from proto/auki/message.proto by tools/gen_auki_datatypes.py: do not edit. Change the
# .proto file and run ./build.sh (or python3 tools/gen_auki_datatypes.py).
# source-sha256: ed859ad8cc8d0f61d355472907c0f6d8f74610597588627660a1e3f49faf2072
"""auki.message: the messages of proto/auki/message.proto."""
from __future__ import annotations

from .._message import Message
from .._schema import Field, BYTES, INT64, STRING

__all__ = [
    'Message',
]


class Message(Message):
    """Typed message envelope of /auki/message/0.1.0 (not a log).

    Protobuf message auki.message.Message."""

    __slots__ = ('type', 'timestamp_ns', 'payload')
    type: str  # Opaque type name, e.g. "robot.pose".
    timestamp_ns: int
    payload: bytes


Message._define_('auki.message.Message', (
    Field('type', 1, STRING),
    Field('timestamp_ns', 2, INT64),
    Field('payload', 3, BYTES),
))
