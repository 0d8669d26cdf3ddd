# Type stub (Python 3.9 syntax): era A's audio_stream.AudioFrame is audio.Data.
from typing import List

from .audio import Data as AudioFrame

__all__: List[str]
