# Type stub (Python 3.9 syntax): era A's joint_encoders_stream.JointEncodersFrame is joint_encoders.Data.
from typing import List

from .joint_encoders import Data as JointEncodersFrame

__all__: List[str]
