"""Pose-log payloads are upstream's ``auki.pose.SpatialTransform`` (protobuf; ``auki_datatypes``).
``SpatialTransform`` here *is* ``auki_datatypes.pose.SpatialTransform`` — what
``Session.resolve_static_transform`` returns; ``encode_pose``/``decode_pose`` are shortcuts.
The retired 56-byte f64 format is not read (README, "Typed payloads").
"""

import ctypes

from _auki import _json
from _auki._errors import check
from _auki._ffi import lib
from _auki._strings import call_string
from auki_datatypes.pose import Quat, SpatialTransform, Vec3

_TYPE = b"auki.pose.SpatialTransform"


def _floats(values, count, name):
    try:
        items = tuple(float(v) for v in values)
    except TypeError:
        raise TypeError(f"argument '{name}': expected {count} numbers") from None
    if len(items) != count:
        raise ValueError(f"{name} must have {count} components, got {len(items)}")
    return items


def encode_pose(translation, rotation):
    """``bytes`` of a pose payload (a SpatialTransform) from translation (x, y, z) and rotation (x, y, z, w)."""
    t = _floats(translation, 3, "translation")
    r = _floats(rotation, 4, "rotation")
    return bytes(SpatialTransform(translation=Vec3(*t), orientation=Quat(*r)))


def decode_pose(payload):
    """A ``SpatialTransform`` from a pose payload (``ValueError`` naming the field when it is none)."""
    data = bytes(payload)
    check(lib.auki_spatial_transform_decode(data, len(data), (ctypes.c_double * 7)()))  # names the retired format
    return from_json(call_string(lib.auki_payload_to_json, _TYPE, data, len(data)))


def from_json(text):
    """The SpatialTransform of the core's canonical JSON (presence kept: ``from_dict`` marks what was there)."""
    return SpatialTransform().from_dict(_json.loads(text))
