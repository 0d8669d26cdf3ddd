# Generated from proto/auki/detection.proto by tools/gen_auki_datatypes.py: do not edit. Change the
# .proto file and run ./build.sh (or python3 tools/gen_auki_datatypes.py).
# source-sha256: c9c8a8d77d77c89218215254c7024ff9142429065ab10f062ae3b3a2d05f45de
"""auki.detection: the messages of proto/auki/detection.proto."""
from __future__ import annotations

from .._message import Message
from .._schema import Field, BYTES, STRING

__all__ = [
    'DetectionFrame',
]


class DetectionFrame(Message):
    """One Detection Log entry: one detector output for one input camera frame.

    Protobuf message auki.detection.DetectionFrame."""

    __slots__ = ('data', 'sensor_hash', 'type')
    data: bytes  # Detector-defined bytes.
    sensor_hash: str  # Hash of the input Sensor Registry entry.
    type: str  # Open discriminator, e.g. "aruco", "portal"; empty for legacy detectors.


DetectionFrame._define_('auki.detection.DetectionFrame', (
    Field('data', 1, BYTES),
    Field('sensor_hash', 2, STRING),
    Field('type', 3, STRING),
))
