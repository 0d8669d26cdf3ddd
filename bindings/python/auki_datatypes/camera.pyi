# Generated from proto/auki/camera.proto by tools/gen_auki_datatypes.py: do not edit.
from typing import Any, List

from ._message import Message as _Message

__all__: List[str]

class DynamicIntrinsics(_Message):
    fx: float
    fy: float
    cx: float
    cy: float
    distortion_coefficients: List[float]
    def __init__(self, fx: float = ..., fy: float = ..., cx: float = ..., cy: float = ..., distortion_coefficients: List[float] = ...) -> None: ...

class CameraFrame(_Message):
    dynamic_intrinsics: DynamicIntrinsics
    frame: bytes
    def __init__(self, dynamic_intrinsics: DynamicIntrinsics = ..., frame: bytes = ...) -> None: ...
    def to_numpy(self, layout: Any = ..., **sizes: int) -> Any: ...  # _frame_array.py

# Era-A names (auki_datatypes/_aliases.py)
PinholeCameraLogEntry = CameraFrame
