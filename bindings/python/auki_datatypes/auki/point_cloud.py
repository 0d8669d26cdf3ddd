# Generated from proto/auki/point_cloud.proto by tools/gen_auki_datatypes.py: do not edit. Change the
# .proto file and run ./build.sh (or python3 tools/gen_auki_datatypes.py).
# source-sha256: 08108633725602faa4ee0b39b1e6b90fee8fd4a1f4d1fedc4cf1fc76b3b6c8e7
"""auki.point_cloud: the messages of proto/auki/point_cloud.proto."""
from __future__ import annotations

from .._message import Message
from .._schema import Field, BYTES

__all__ = [
    'Data',
]


class Data(Message):
    """One point-cloud Sensor Log entry; the rangefinder sensor body describes the point layout.

    Protobuf message auki.point_cloud.Data."""

    __slots__ = ('data',)
    data: bytes


Data._define_('auki.point_cloud.Data', (
    Field('data', 1, BYTES),
))
