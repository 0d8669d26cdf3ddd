"""auki_session — peers, sessions, registries and log declarations (AukiNative).

A drop-in replacement for the auki-sdk's ``auki_session`` Python module, backed by ``libauki.so``.
Both upstream surfaces work:

- ``Peer(peer_id, app_id)`` → ``register_frame/sensor/detector`` → ``peer.start_session()`` →
  ``register_clock`` and ``register_{sensor,pose,time_transform,detection}_log`` (era B/C);
- ``Session(peer_id, app_id)`` of the Quickstart, which registers everything itself and has
  ``catalog()`` (era A).

``RegistryRef`` and ``LogRef`` are the classes of ``auki_registry`` (``auki_session.RegistryRef is
auki_registry.RegistryRef``). ``catalog(peer, session)`` gives a peer-born session's catalog rows.
Objects holding native handles (``Peer``, ``Session``, log handles) have ``close()`` and work as
context managers; they are also released when collected.
"""

from auki_registry import LogRef, RegistryRef

from ._frame_def import FrameDef
from ._head_spec import HeadSpec
from ._log_handles import (
    DetectionLogHandle,
    MaterializedLogHandle,
    PoseLogHandle,
    SensorLogHandle,
    TimeTransformLogHandle,
)
from ._log_specs import DetectionLogSpec, PoseLogSpec, SensorLogSpec, TimeTransformLogSpec
from ._peer import Peer
from ._pose import SpatialTransform, decode_pose, encode_pose
from ._session import Session, catalog

__version__ = "0.1.0"

__all__ = [
    "Peer",
    "Session",
    "FrameDef",
    "HeadSpec",
    "SensorLogSpec",
    "PoseLogSpec",
    "TimeTransformLogSpec",
    "DetectionLogSpec",
    "SensorLogHandle",
    "PoseLogHandle",
    "TimeTransformLogHandle",
    "DetectionLogHandle",
    "MaterializedLogHandle",
    "RegistryRef",
    "LogRef",
    "catalog",
    "SpatialTransform",
    "encode_pose",
    "decode_pose",
]
