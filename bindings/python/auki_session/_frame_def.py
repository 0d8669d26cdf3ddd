"""``FrameDef``: a coordinate-frame convention to register with ``Peer.register_frame``.

Upstream's four presets (``ros_body``, ``ros_optical``, ``opengl``, ``unity``) plus
``FrameDef.custom(...)`` (upstream has it in Rust only). Instances are opaque and immutable; the
library receives the preset name or, for a custom convention, its JSON body.
"""

from _auki import _json
from _auki._convert import string
from _auki._ffi import lib
from _auki._rustfmt import debug_str
from _auki._signature import build, no_constructor
from _auki._strings import call_string


@no_constructor
class FrameDef:
    """A frame convention: build one with a staticmethod, there is no constructor."""

    __slots__ = ("_abi", "_repr")

    @staticmethod
    def ros_body():
        """REP-103 body frame: x forward, y left, z up; right-handed; meters."""
        return _make(b"ros_body", "FrameDef.ros_body()")

    @staticmethod
    def ros_optical():
        """REP-103 camera optical frame: x right, y down, z forward; right-handed; meters."""
        return _make(b"ros_optical", "FrameDef.ros_optical()")

    @staticmethod
    def opengl():
        """OpenGL / Three.js: x right, y up, z backward; right-handed; meters."""
        return _make(b"opengl", "FrameDef.opengl()")

    @staticmethod
    def unity():
        """Unity: x right, y up, z forward; left-handed; meters."""
        return _make(b"unity", "FrameDef.unity()")

    @staticmethod
    def custom(handedness, x, y, z, units):
        """Another convention (beyond upstream's Python surface): ``handedness`` right|left;
        ``x``, ``y``, ``z`` each forward|backward|up|down|left|right, drawn from three distinct
        axis pairs; ``units`` meters|millimeters|centimeters. Invalid values raise ``ValueError``
        here (non-orthogonal axes: ``invalid axes: ...``)."""
        body = {
            "handedness": string(handedness, "handedness"),
            "axes": {"x": string(x, "x"), "y": string(y, "y"), "z": string(z, "z")},
            "units": string(units, "units"),
        }
        abi = _json.dumps(body).encode("utf-8")
        # Validate now, as Rust's FrameDef::custom does (the body the core returns is not needed here).
        call_string(lib.auki_frame_def_body, abi)
        text = (f"FrameDef.custom(handedness={debug_str(handedness)}, x={debug_str(x)}, y={debug_str(y)}, "
                f"z={debug_str(z)}, units={debug_str(units)})")
        return _make(abi, text)

    def __repr__(self):
        return self._repr


FrameDef.__module__ = "auki_session"


def _make(abi, text):
    return build(FrameDef, _abi=abi, _repr=text)
