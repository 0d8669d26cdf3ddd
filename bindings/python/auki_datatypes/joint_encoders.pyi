# Generated from proto/auki/joint_encoders.proto by tools/gen_auki_datatypes.py: do not edit.
from typing import Any, List

from ._message import Message as _Message

__all__: List[str]

class Data(_Message):
    angles_rad: List[float]
    def __init__(self, angles_rad: List[float] = ...) -> None: ...

# Era-A names (auki_datatypes/_aliases.py)
JointEncodersLogEntry = Data
