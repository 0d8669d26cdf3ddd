"""Mistakes the stubs must let `mypy` catch (python_tests/stubs/test_typing.py expects one error per
line that carries an error comment). It is type-checked, never run."""
from auki_datatypes.camera import CameraFrame
from auki_datatypes.pose import SpatialTransform
from auki_data import Store
from auki_domain import DomainConfig
from auki_session import decode_pose

CameraFrame(frmae=b"")  # error: misspelt field
CameraFrame(frame="not bytes")  # error: wrong field type
width: str = CameraFrame().dynamic_intrinsics.fx  # error: a float is not a str
DomainConfig("lab", chunk_bytes="big")  # error: chunk_bytes is an int
pose: SpatialTransform = decode_pose(b"")
pose.translation.w  # error: Vec3 has no w
Store("/data").logs(peer_id=5)  # error: a peer id is a str
