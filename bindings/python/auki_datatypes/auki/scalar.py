# Generated from proto/auki/scalar.proto by tools/gen_auki_datatypes.py: do not edit. Change the
# .proto file and run ./build.sh (or python3 tools/gen_auki_datatypes.py).
# source-sha256: 2a21965bf8c86493f92f9e8502994d782b0e4828f54ccd0932523750fc225893
"""auki.scalar: the messages of proto/auki/scalar.proto."""
from __future__ import annotations

from .._message import Message
from .._schema import Field, DOUBLE

__all__ = [
    'Data',
]


class Data(Message):
    """One scalar Sensor Log entry; quantity and unit live in the sensor registry entry.

    Protobuf message auki.scalar.Data."""

    __slots__ = ('value',)
    value: float


Data._define_('auki.scalar.Data', (
    Field('value', 1, DOUBLE),
))
