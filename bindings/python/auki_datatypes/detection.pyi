# Generated from proto/auki/detection.proto by tools/gen_auki_datatypes.py: do not edit.
from typing import Any, List

from ._message import Message as _Message

__all__: List[str]

class DetectionFrame(_Message):
    data: bytes
    sensor_hash: str
    type: str
    def __init__(self, data: bytes = ..., sensor_hash: str = ..., type: str = ...) -> None: ...

# Era-A names (auki_datatypes/_aliases.py)
DetectionLogEntry = DetectionFrame
