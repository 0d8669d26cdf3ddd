"""A program written against the packages' type stubs: `mypy --strict` must accept it unchanged
(python_tests/stubs/test_typing.py). It is type-checked, never run."""
from typing import List, Optional

import auki_datatypes
from auki_data import MetadataChangeset, Store
from auki_data.sessions import Session
from auki_datatypes.camera import CameraFrame, DynamicIntrinsics
from auki_datatypes.pose import Quat, SpatialTransform, Vec3
from auki_domain import Domain, DomainConfig, ReadFrom, ResourceEntry, StreamEntry
from auki_registry import LogRef
from auki_session import FrameDef, HeadSpec, Peer, PoseLogSpec, SensorLogSpec, decode_pose


def record(root: str) -> bytes:
    peer = Peer("robot", "app").with_storage_root(root)
    peer.register_frame("base", FrameDef.ros_body())
    session = peer.start_session()
    clock = session.register_clock("mono", {"kind": "monotonic"})
    sensor = peer.register_sensor("cam", {"kind": "camera"})
    spec = SensorLogSpec(sensor, clock, HeadSpec.rolling(10**9), 10**9, 10**10)
    with session.register_sensor_log(spec) as log:
        frame = CameraFrame(dynamic_intrinsics=DynamicIntrinsics(fx=1.0, distortion_coefficients=[0.1]), frame=b"\0" * 4)
        log.append(1, bytes(frame))
        back: CameraFrame = CameraFrame().parse(bytes(frame))
        width: float = back.dynamic_intrinsics.fx
        assert width == 1.0
    pose = SpatialTransform(translation=Vec3(x=1.0), orientation=Quat(w=1.0))
    decoded: SpatialTransform = decode_pose(bytes(pose))
    x: float = decoded.translation.x
    assert x == 1.0
    legacy = auki_datatypes.camera.PinholeCameraLogEntry(frame=b"")
    return bytes(legacy)


def browse(domain: Domain, peer_id: str) -> List[int]:
    rows: List[ResourceEntry] = domain.fetch_resources_catalog(peer_id)
    stamps: List[int] = []
    with domain.open_stream(LogRef(peer_id, rows[0].resource_id), ReadFrom.from_start()) as stream:
        entry: Optional[StreamEntry] = stream.next(timeout=1.0)
        if entry is not None:
            stamps.append(entry.timestamp_ns)
    return stamps


def analyze(root: str) -> float:
    store = Store(root)
    logs = store.logs("robot", kind="pose")
    with store.open(logs[0], decode=True) as stream:
        count = sum(1 for _ in stream)
    session = Session.create(name="run", device_ids=["robot"], tags=["field"], store=store)
    session.add_file(logs[0].file_id).put_metadata({"site.name": "lab"})
    session.update(metadata_changeset=MetadataChangeset(put_tags=["good"]))
    total = 0.0
    for topic in session.list_topics():
        for timestamp_ns, message in topic.get_data(message_paths_include=["translation.x"]):
            total += float(message["translation"]["x"]) + timestamp_ns * 0
    return total + count


CONFIG = DomainConfig("lab", "mqtt://127.0.0.1:1883", request_timeout_s=2.0)
UNUSED: Optional[PoseLogSpec] = None
