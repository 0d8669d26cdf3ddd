"""Upstream's newest session-py ``python_tests/test_session.py`` (era C, 19 tests), reproduced.

Peer-born sessions: registries on the ``Peer``, clocks and logs on the ``Session``, manifests under
``<root>/<session_id>/logs/<peer>/<resource_id>/``.
"""
from pathlib import Path

import pytest

import auki_session
from auki_session import (
    DetectionLogHandle,
    DetectionLogSpec,
    FrameDef,
    HeadSpec,
    LogRef,
    Peer,
    PoseLogHandle,
    PoseLogSpec,
    SensorLogHandle,
    SensorLogSpec,
    TimeTransformLogHandle,
    TimeTransformLogSpec,
)

PEER_ID = "galbot"
APP_ID = "galbot-ctrl"


def make_peer_and_session(tmp):
    peer = Peer(PEER_ID, APP_ID).with_storage_root(str(tmp))
    return peer, peer.start_session()


def register_frame(peer):
    return peer.register_frame("head_left_camera_optical", FrameDef.ros_optical())


def camera_body(frame_ref):
    return {
        "kind": "camera",
        "type": "rgb",
        "width": 1920,
        "height": 1200,
        "frame_rate_hz": 30,
        "image_encoding": "raw",
        "row_stride_bytes": 5760,
        "pixel_format": "rgb8",
        "color_space": "srgb",
        "intrinsics_model": "pinhole",
        "distortion_model": "brown_conrady",
        "frame": {"peer_id": frame_ref.peer_id, "id": frame_ref.id, "hash": frame_ref.hash},
    }


def register_clock(session):
    return session.register_clock(
        "session/sdk_clock",
        {"type": "monotonic_clock", "unit": "ns", "monotonic": True, "scope": "device-local"},
    )


def test_session_construction(tmp_path):
    peer = Peer(PEER_ID, APP_ID)
    assert peer.peer_id == PEER_ID
    assert peer.app_id == APP_ID
    assert peer.storage_root == "."
    peer.with_storage_root(str(tmp_path))
    s = peer.start_session()
    assert s.peer_id == PEER_ID
    assert s.app_id == APP_ID
    assert len(s.session_id) == 26
    assert Path(s.storage_root) == tmp_path


def test_with_storage_root(tmp_path):
    peer = Peer(PEER_ID, APP_ID).with_storage_root(str(tmp_path))
    s = peer.start_session()
    assert Path(s.storage_root) == tmp_path


def test_with_storage_root_is_inherited_by_new_sessions(tmp_path):
    peer = Peer(PEER_ID, APP_ID).with_storage_root(str(tmp_path))
    s1 = peer.start_session()
    s2 = peer.start_session()
    assert Path(s1.storage_root) == tmp_path
    assert Path(s2.storage_root) == tmp_path
    assert s1.session_id != s2.session_id


def test_session_id_is_ulid(tmp_path):
    peer = Peer(PEER_ID, APP_ID).with_storage_root(str(tmp_path))
    s1 = peer.start_session()
    s2 = peer.start_session()
    assert len(s1.session_id) == 26
    assert len(s2.session_id) == 26
    assert s1.session_id != s2.session_id


def test_register_frame_returns_registry_ref(tmp_path):
    peer, _ = make_peer_and_session(tmp_path)
    ref = peer.register_frame("head_left_camera_optical", FrameDef.ros_optical())
    assert isinstance(ref, auki_session.RegistryRef)
    assert ref.peer_id == PEER_ID
    assert ref.id == "head_left_camera_optical"
    assert len(ref.hash) == 32


def test_register_frame_all_presets(tmp_path):
    peer, _ = make_peer_and_session(tmp_path)
    refs = [
        peer.register_frame("a", FrameDef.ros_body()),
        peer.register_frame("b", FrameDef.ros_optical()),
        peer.register_frame("c", FrameDef.opengl()),
        peer.register_frame("d", FrameDef.unity()),
    ]
    assert len({r.hash for r in refs}) == 4


def test_register_clock_returns_registry_ref(tmp_path):
    _, session = make_peer_and_session(tmp_path)
    ref = register_clock(session)
    assert isinstance(ref, auki_session.RegistryRef)
    assert ref.peer_id == PEER_ID
    assert ref.id == "session/sdk_clock"
    assert ref.hash


def test_register_sensor_returns_registry_ref(tmp_path):
    peer, _ = make_peer_and_session(tmp_path)
    frame = register_frame(peer)
    ref = peer.register_sensor("head_left_rgb", camera_body(frame))
    assert isinstance(ref, auki_session.RegistryRef)
    assert ref.peer_id == PEER_ID
    assert ref.id == "head_left_rgb"
    assert ref.hash


def test_register_sensor_log_end_to_end(tmp_path):
    peer, session = make_peer_and_session(tmp_path)
    frame_ref = register_frame(peer)
    sensor = peer.register_sensor("head_left_rgb", camera_body(frame_ref))
    clock = register_clock(session)
    spec = SensorLogSpec(
        sensor,
        clock,
        frame=frame_ref,
        head=HeadSpec.rolling(5_000_000_000),
        segment_duration_ns=1_000_000_000,
        retention_ns=5_000_000_000,
    )
    handle = session.register_sensor_log(spec)
    assert isinstance(handle, SensorLogHandle)
    assert handle.resource_id == "head_left_rgb"
    assert Path(handle.root) == tmp_path / session.session_id / "logs" / "galbot" / "head_left_rgb"
    log_ref = handle.log_ref
    assert isinstance(log_ref, auki_session.LogRef)
    assert log_ref.source_peer_id == "galbot"
    assert log_ref.resource_id == "head_left_rgb"
    assert (Path(handle.root) / "manifest.json").exists()


def test_register_duplicate_log_raises(tmp_path):
    peer, session = make_peer_and_session(tmp_path)
    frame = register_frame(peer)
    sensor = peer.register_sensor("head_left_rgb", camera_body(frame))
    clock = register_clock(session)
    spec = SensorLogSpec(
        sensor, clock, head=HeadSpec.rolling(5_000_000_000),
        segment_duration_ns=1_000_000_000, retention_ns=5_000_000_000,
    )
    session.register_sensor_log(spec)
    with pytest.raises(ValueError, match="duplicate log"):
        session.register_sensor_log(spec)


def test_register_sensor_bad_id_raises(tmp_path):
    peer, _ = make_peer_and_session(tmp_path)
    frame = register_frame(peer)
    with pytest.raises(ValueError):
        peer.register_sensor("bad>id", camera_body(frame))


def test_materialize_remote_log_raises(tmp_path):
    _, session = make_peer_and_session(tmp_path)
    with pytest.raises(NotImplementedError, match="not implemented"):
        session.materialize_remote_log(
            {"source_peer_id": "galbot", "resource_id": "head_left_rgb"},
            retention_ns=300_000_000_000,
            segment_duration_ns=10_000_000_000,
        )


def test_materialize_remote_log_raises_with_log_ref_object(tmp_path):
    _, session = make_peer_and_session(tmp_path)
    log_ref = LogRef(source_peer_id="galbot", resource_id="head_left_rgb")
    with pytest.raises(NotImplementedError):
        session.materialize_remote_log(
            log_ref, retention_ns=300_000_000_000, segment_duration_ns=10_000_000_000,
        )


def test_resolve_static_transform_raises(tmp_path):
    _, session = make_peer_and_session(tmp_path)
    with pytest.raises(NotImplementedError, match="not implemented"):
        session.resolve_static_transform({"source_peer_id": "park", "resource_id": "world->base_link"})


def test_frame_def_classmethods():
    assert "ros_body" in repr(FrameDef.ros_body())
    assert "ros_optical" in repr(FrameDef.ros_optical())
    assert "opengl" in repr(FrameDef.opengl())
    assert "unity" in repr(FrameDef.unity())


def test_head_spec_classmethods():
    r = repr(HeadSpec.rolling(5_000_000_000))
    assert "rolling" in r
    assert "5000000000" in r
    assert "fixed" in repr(HeadSpec.fixed())


def test_register_pose_log_resource_id(tmp_path):
    peer, session = make_peer_and_session(tmp_path)
    world = peer.register_frame("world", FrameDef.ros_body())
    base_link = peer.register_frame("base_link", FrameDef.ros_body())
    clock = register_clock(session)
    spec = PoseLogSpec(
        from_frame=world,
        to_frame=base_link,
        clock=clock,
        source={"kind": "manual"},
        writer_mode="movable",
        expected_rate_hz=30,
        head=HeadSpec.rolling(5_000_000_000),
        segment_duration_ns=1_000_000_000,
        retention_ns=5_000_000_000,
    )
    handle = session.register_pose_log(spec)
    assert isinstance(handle, PoseLogHandle)
    assert handle.resource_id == "world->base_link"
    assert handle.log_ref.source_peer_id == "galbot"


def test_register_time_transform_log_resource_id(tmp_path):
    _, session = make_peer_and_session(tmp_path)
    sdk_clock = register_clock(session)
    wall_clock = session.register_clock(
        "wall_clock",
        {"type": "utc_clock", "unit": "ns", "monotonic": False, "scope": "global",
         "epoch": "1970-01-01T00:00:00Z"},
    )
    spec = TimeTransformLogSpec(
        from_clock=sdk_clock,
        to_clock=wall_clock,
        source={"kind": "local_clock_read"},
        head=HeadSpec.rolling(60_000_000_000),
        segment_duration_ns=60_000_000_000,
        retention_ns=3_600_000_000_000,
    )
    handle = session.register_time_transform_log(spec)
    assert isinstance(handle, TimeTransformLogHandle)
    assert handle.resource_id == "session/sdk_clock->wall_clock"


def test_register_detection_log_resource_id(tmp_path):
    peer, session = make_peer_and_session(tmp_path)
    frame = register_frame(peer)
    sensor = peer.register_sensor("head_left_rgb", camera_body(frame))
    clock = register_clock(session)
    detector = peer.register_detector(
        "yolo_v8", {"type": "object_detection", "model": "yolo_v8n"}, ["bounding_box"],
    )
    input_log = LogRef("galbot", "head_left_rgb")
    spec = DetectionLogSpec(
        instance_id="yolo-head-left",
        detector=detector,
        input_log=input_log,
        input_sensor=sensor,
        clock=clock,
        cadence={"kind": "every_frame"},
        head=HeadSpec.rolling(5_000_000_000),
        segment_duration_ns=1_000_000_000,
        retention_ns=5_000_000_000,
    )
    handle = session.register_detection_log(spec)
    assert isinstance(handle, DetectionLogHandle)
    assert handle.resource_id == "yolo-head-left"
