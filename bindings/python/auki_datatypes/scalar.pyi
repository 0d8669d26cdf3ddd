# Generated from proto/auki/scalar.proto by tools/gen_auki_datatypes.py: do not edit.
from typing import Any, List

from ._message import Message as _Message

__all__: List[str]

class Data(_Message):
    value: float
    def __init__(self, value: float = ...) -> None: ...
