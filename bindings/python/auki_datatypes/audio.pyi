# Generated from proto/auki/audio.proto by tools/gen_auki_datatypes.py: do not edit.
from typing import Any, List

from ._message import Message as _Message

__all__: List[str]

class Data(_Message):
    data: bytes
    def __init__(self, data: bytes = ...) -> None: ...

# Era-A names (auki_datatypes/_aliases.py)
AudioLogEntry = Data
