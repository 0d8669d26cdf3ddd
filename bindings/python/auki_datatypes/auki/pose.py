# Generated from proto/auki/pose.proto by tools/gen_auki_datatypes.py: do not edit. Change the
# .proto file and run ./build.sh (or python3 tools/gen_auki_datatypes.py).
# source-sha256: 8e167dacc30ea999ce5b658e0b9dda0288ad85f28d30b86583144b04c2ec5bd8
"""auki.pose: the messages of proto/auki/pose.proto."""
from __future__ import annotations

from .._message import Message
from .._schema import Field, DOUBLE, MESSAGE

__all__ = [
    'Vec3',
    'Quat',
    'SpatialTransform',
]


class Vec3(Message):
    """Protobuf message auki.pose.Vec3."""

    __slots__ = ('x', 'y', 'z')
    x: float
    y: float
    z: float


class Quat(Message):
    """Hamilton quaternion in (x, y, z, w) order.

    Protobuf message auki.pose.Quat."""

    __slots__ = ('x', 'y', 'z', 'w')
    x: float
    y: float
    z: float
    w: float


class SpatialTransform(Message):
    """One Pose Log entry; the log's manifest names the (from_frame, to_frame) pair.

    Protobuf message auki.pose.SpatialTransform."""

    __slots__ = ('translation', 'orientation')
    translation: Vec3
    orientation: Quat


Vec3._define_('auki.pose.Vec3', (
    Field('x', 1, DOUBLE),
    Field('y', 2, DOUBLE),
    Field('z', 3, DOUBLE),
))
Quat._define_('auki.pose.Quat', (
    Field('x', 1, DOUBLE),
    Field('y', 2, DOUBLE),
    Field('z', 3, DOUBLE),
    Field('w', 4, DOUBLE),
))
SpatialTransform._define_('auki.pose.SpatialTransform', (
    Field('translation', 1, MESSAGE, message=Vec3),
    Field('orientation', 2, MESSAGE, message=Quat),
))
