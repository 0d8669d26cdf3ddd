# Generated from proto/auki/joint_encoders.proto by tools/gen_auki_datatypes.py: do not edit. Change the
# .proto file and run ./build.sh (or python3 tools/gen_auki_datatypes.py).
# source-sha256: aa50c7bb141c7034f13dcf8be7ff5160df79897f0526d6c645dfb2d22c91b11c
"""auki.joint_encoders: the messages of proto/auki/joint_encoders.proto."""
from __future__ import annotations

from typing import List

from .._message import Message
from .._schema import Field, FLOAT

__all__ = [
    'Data',
]


class Data(Message):
    """One joint-encoder Sensor Log entry: joint_count angles in radians, producer order.

    Protobuf message auki.joint_encoders.Data."""

    __slots__ = ('angles_rad',)
    angles_rad: List[float]


Data._define_('auki.joint_encoders.Data', (
    Field('angles_rad', 1, FLOAT, repeated=True),
))
