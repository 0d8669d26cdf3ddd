# Generated from proto/auki/pose.proto by tools/gen_auki_datatypes.py: do not edit.
from typing import Any, List

from ._message import Message as _Message

__all__: List[str]

class Vec3(_Message):
    x: float
    y: float
    z: float
    def __init__(self, x: float = ..., y: float = ..., z: float = ...) -> None: ...

class Quat(_Message):
    x: float
    y: float
    z: float
    w: float
    def __init__(self, x: float = ..., y: float = ..., z: float = ..., w: float = ...) -> None: ...

class SpatialTransform(_Message):
    translation: Vec3
    orientation: Quat
    def __init__(self, translation: Vec3 = ..., orientation: Quat = ...) -> None: ...
