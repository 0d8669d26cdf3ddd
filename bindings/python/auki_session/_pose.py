"""The pose payload (ours; upstream leaves it to protobuf): 56 bytes, seven little-endian f64 —
translation ``tx, ty, tz``, then a Hamilton unit quaternion ``qx, qy, qz, qw``. ``SpatialTransform``
is what ``Session.resolve_static_transform`` returns; ``encode_pose``/``decode_pose`` write and read
pose-log payloads.
"""

import ctypes

from _auki._errors import check
from _auki._ffi import lib
from _auki._abi import POSE_PAYLOAD_SIZE

_Doubles = ctypes.c_double * 7


def _floats(values, count, name):
    try:
        items = tuple(float(v) for v in values)
    except TypeError:
        raise TypeError(f"argument '{name}': expected {count} numbers") from None
    if len(items) != count:
        raise ValueError(f"{name} must have {count} components, got {len(items)}")
    return items


class SpatialTransform:
    """A rigid transform: ``translation`` (x, y, z) and ``rotation`` (a quaternion x, y, z, w)."""

    __slots__ = ("translation", "rotation")

    def __init__(self, translation=(0.0, 0.0, 0.0), rotation=(0.0, 0.0, 0.0, 1.0)):
        self.translation = _floats(translation, 3, "translation")
        self.rotation = _floats(rotation, 4, "rotation")

    def to_bytes(self):
        """The 56-byte pose payload."""
        return encode_pose(self.translation, self.rotation)

    @classmethod
    def from_bytes(cls, payload):
        """Decode a 56-byte pose payload (``ValueError`` for any other length)."""
        return decode_pose(payload)

    def __eq__(self, other):
        if not isinstance(other, SpatialTransform):
            return NotImplemented
        return self.translation == other.translation and self.rotation == other.rotation

    def __hash__(self):
        return hash((self.translation, self.rotation))

    def __repr__(self):
        return f"SpatialTransform(translation={self.translation!r}, rotation={self.rotation!r})"


def encode_pose(translation, rotation):
    """``bytes`` of a pose payload from translation (x, y, z) and rotation (x, y, z, w)."""
    values = _Doubles(*(_floats(translation, 3, "translation") + _floats(rotation, 4, "rotation")))
    out = ctypes.create_string_buffer(POSE_PAYLOAD_SIZE)
    check(lib.auki_pose_encode(values, out))
    return out.raw


def decode_pose(payload):
    """A ``SpatialTransform`` from a pose payload."""
    data = bytes(payload)
    values = _Doubles()
    check(lib.auki_pose_decode(data, len(data), values))
    return SpatialTransform(tuple(values[0:3]), tuple(values[3:7]))


SpatialTransform.__module__ = "auki_session"
