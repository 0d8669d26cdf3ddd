"""Era A's wire twin of audio: `AudioFrame{bytes data = 1}` is audio.Data on the wire and in
Python, so it is the same class."""
from .auki.audio import Data as AudioFrame

__all__ = ["AudioFrame"]
