# Generated from proto/auki/camera.proto by tools/gen_auki_datatypes.py: do not edit. Change the
# .proto file and run ./build.sh (or python3 tools/gen_auki_datatypes.py).
# source-sha256: fe565f1fd8ffd98f30ac47156c3f20b224cb769eef5f05b56bbfa0ee6cea30b0
"""auki.camera: the messages of proto/auki/camera.proto."""
from __future__ import annotations

from typing import List

from .._message import Message
from .._schema import Field, BYTES, DOUBLE, MESSAGE

__all__ = [
    'DynamicIntrinsics',
    'CameraFrame',
]


class DynamicIntrinsics(Message):
    """Pinhole intrinsics in pixels for one frame.

    Protobuf message auki.camera.DynamicIntrinsics."""

    __slots__ = ('fx', 'fy', 'cx', 'cy', 'distortion_coefficients')
    fx: float
    fy: float
    cx: float
    cy: float
    distortion_coefficients: List[float]


class CameraFrame(Message):
    """One camera Sensor Log entry (and camera stream payload). When dynamic_intrinsics is present it
    replaces the camera's whole static calibration for this frame. frame is laid out as the sensor
    body says (image_encoding, pixel_format, row_stride_bytes).

    Protobuf message auki.camera.CameraFrame."""

    __slots__ = ('dynamic_intrinsics', 'frame')
    dynamic_intrinsics: DynamicIntrinsics
    frame: bytes


DynamicIntrinsics._define_('auki.camera.DynamicIntrinsics', (
    Field('fx', 1, DOUBLE),
    Field('fy', 2, DOUBLE),
    Field('cx', 3, DOUBLE),
    Field('cy', 4, DOUBLE),
    Field('distortion_coefficients', 5, DOUBLE, repeated=True),
))
CameraFrame._define_('auki.camera.CameraFrame', (
    Field('dynamic_intrinsics', 1, MESSAGE, message=DynamicIntrinsics),
    Field('frame', 2, BYTES),
))
