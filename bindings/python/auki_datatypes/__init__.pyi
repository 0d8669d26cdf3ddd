# Type stubs for auki_datatypes (Python 3.9 syntax). Each message module's stub is generated with
# it (auki_datatypes/auki/*.pyi, by tools/gen_auki_datatypes.py).
from typing import Callable, List

from . import audio_stream as audio_stream
from . import joint_encoders_stream as joint_encoders_stream
from ._message import Message as Message
from ._message import serialized_on_wire as serialized_on_wire
from ._message import which_one_of as which_one_of
from . import audio as audio
from . import camera as camera
from . import detection as detection
from . import joint_encoders as joint_encoders
from . import map as map
from . import message as message
from . import point_cloud as point_cloud
from . import pose as pose
from . import scalar as scalar
from . import stream as stream
from . import time_transform as time_transform

class Casing:
    @staticmethod
    def CAMEL(name: str) -> str: ...
    @staticmethod
    def SNAKE(name: str) -> str: ...

__all__: List[str]
