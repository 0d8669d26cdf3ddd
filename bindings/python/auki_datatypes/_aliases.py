"""Era-A class names (upstream before the 2026-05-21 rename) as aliases of today's classes.

Only where the old class had the same fields and numbers, so the alias is the same message; the
old `point_cloud_stream.PointCloudFrame` and `frame_stream.JpegFrame` named their field `bytes`
and are not aliased. Era A's DetectionLogEntry had field 1 (data) only; 2 and 3 were added
without renumbering. tools/gen_auki_datatypes.py reads ALIASES too, for the modules' type stubs.
"""
from . import auki

ALIASES = {
    "camera": {"PinholeCameraLogEntry": "CameraFrame"},
    "point_cloud": {"PointCloudLogEntry": "Data"},
    "audio": {"AudioLogEntry": "Data"},
    "detection": {"DetectionLogEntry": "DetectionFrame"},
    "joint_encoders": {"JointEncodersLogEntry": "Data"},
}

for _module, _names in ALIASES.items():
    for _old, _new in _names.items():
        setattr(getattr(auki, _module), _old, getattr(getattr(auki, _module), _new))
