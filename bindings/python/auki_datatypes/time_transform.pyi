# Generated from proto/auki/time_transform.proto by tools/gen_auki_datatypes.py: do not edit.
from typing import Any, List

from ._message import Message as _Message

__all__: List[str]

class TimeTransformEntry(_Message):
    offset_ns: int
    uncertainty_ns: int
    def __init__(self, offset_ns: int = ..., uncertainty_ns: int = ...) -> None: ...
