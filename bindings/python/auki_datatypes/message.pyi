# Generated from proto/auki/message.proto by tools/gen_auki_datatypes.py: do not edit.
from typing import Any, List

from ._message import Message as _Message

__all__: List[str]

class Message(_Message):
    type: str
    timestamp_ns: int
    payload: bytes
    def __init__(self, type: str = ..., timestamp_ns: int = ..., payload: bytes = ...) -> None: ...
