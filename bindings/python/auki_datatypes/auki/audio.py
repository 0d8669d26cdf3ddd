# Generated from proto/auki/audio.proto by tools/gen_auki_datatypes.py: do not edit. Change the
# .proto file and run ./build.sh (or python3 tools/gen_auki_datatypes.py).
# source-sha256: a3a971aa025c3da9fd147f653e6e8344c8d89f1b67d2272e74fec5f131875f8d
"""auki.audio: the messages of proto/auki/audio.proto."""
from __future__ import annotations

from .._message import Message
from .._schema import Field, BYTES

__all__ = [
    'Data',
]


class Data(Message):
    """One audio Sensor Log entry: interleaved samples in the audio sensor body's sample_format.

    Protobuf message auki.audio.Data."""

    __slots__ = ('data',)
    data: bytes


Data._define_('auki.audio.Data', (
    Field('data', 1, BYTES),
))
