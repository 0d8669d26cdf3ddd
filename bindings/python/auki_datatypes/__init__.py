"""auki_datatypes: upstream's typed payloads (`auki.*` protobuf messages), standard library only.

A drop-in for upstream's `auki_datatypes` package (betterproto 1.2.5) in its current shape:
`auki_datatypes.camera.CameraFrame`, `pose.SpatialTransform`, `stream.StreamMessage`, … with the
same class and field names; `bytes(msg)` encodes, `Msg().parse(data)` decodes, and the bytes are
upstream's exactly. The message modules in `auki/` are generated from proto/auki/*.proto by
tools/gen_auki_datatypes.py; the codec they share is `_codec.py`.
"""
import sys as _sys

from ._dict import Casing
from ._message import Message, serialized_on_wire, which_one_of
from .auki import (audio, camera, detection, joint_encoders, map, message, point_cloud, pose, scalar,
                   stream, time_transform)
from . import audio_stream, joint_encoders_stream
from . import _aliases  # noqa: F401  (era-A class names on the modules above)
from . import _frame_array  # noqa: F401  (CameraFrame.to_numpy)

__all__ = ["audio", "camera", "detection", "joint_encoders", "map", "message", "point_cloud", "pose",
           "scalar", "stream", "time_transform", "audio_stream", "joint_encoders_stream",
           "Message", "Casing", "serialized_on_wire", "which_one_of"]

# Upstream's modules live in auki_datatypes/auki/ and are reached as attributes; registering them
# under the short names too lets `import auki_datatypes.camera` and `from auki_datatypes.pose import
# SpatialTransform` work as well.
for _name in ("audio", "camera", "detection", "joint_encoders", "map", "message", "point_cloud", "pose",
              "scalar", "stream", "time_transform"):
    _sys.modules.setdefault(f"{__name__}.{_name}", globals()[_name])
del _name
