"""Upstream's era-A session-py ``python_tests/test_session.py`` (24 tests), reproduced.

The Quickstart's ``Session(peer_id, app_id)``: registration on the Session itself, ``catalog()``,
join/leave stubs, manifests under ``<root>/logs/<peer>/<resource_id>/``, camera bodies without
``image_encoding``/``row_stride_bytes``.
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
    PoseLogHandle,
    PoseLogSpec,
    RegistryRef,
    SensorLogHandle,
    SensorLogSpec,
    Session,
    TimeTransformLogHandle,
    TimeTransformLogSpec,
)

PEER_ID = "galbot"
APP_ID = "galbot-ctrl"


def make_session(tmp):
    return Session(PEER_ID, APP_ID).with_storage_root(str(tmp))


def register_frame(session):
    return session.register_frame("head_left_camera_optical", FrameDef.ros_optical())


def camera_body(frame_ref):
    return {
        "kind": "camera",
        "type": "rgb",
        "width": 1920,
        "height": 1200,
        "frame_rate_hz": 30,
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


def register_sensor(session):
    frame = register_frame(session)
    return session.register_sensor("head_left_rgb", camera_body(frame))


def test_session_construction():
    s = Session(PEER_ID, APP_ID)
    assert s.peer_id == PEER_ID
    assert s.app_id == APP_ID
    assert len(s.session_id) == 26
    assert s.storage_root == "."


def test_with_storage_root(tmp_path):
    s = make_session(tmp_path)
    assert Path(s.storage_root) == tmp_path


def test_with_storage_root_preserves_session_id(tmp_path):
    s = Session(PEER_ID, APP_ID)
    before = s.session_id
    s = s.with_storage_root(str(tmp_path))
    assert s.session_id == before
    assert Path(s.storage_root) == tmp_path


def test_session_id_is_ulid():
    s1 = Session(PEER_ID, APP_ID)
    s2 = Session(PEER_ID, APP_ID)
    assert len(s1.session_id) == 26
    assert len(s2.session_id) == 26
    assert s1.session_id != s2.session_id


def test_register_frame_returns_registry_ref(tmp_path):
    s = make_session(tmp_path)
    ref = s.register_frame("head_left_camera_optical", FrameDef.ros_optical())
    assert isinstance(ref, auki_session.RegistryRef)
    assert ref.peer_id == PEER_ID
    assert ref.id == "head_left_camera_optical"
    assert len(ref.hash) == 32


def test_register_frame_all_presets(tmp_path):
    s = make_session(tmp_path)
    refs = [
        s.register_frame("a", FrameDef.ros_body()),
        s.register_frame("b", FrameDef.ros_optical()),
        s.register_frame("c", FrameDef.opengl()),
        s.register_frame("d", FrameDef.unity()),
    ]
    assert len({r.hash for r in refs}) == 4


def test_register_clock_returns_registry_ref(tmp_path):
    s = make_session(tmp_path)
    ref = register_clock(s)
    assert isinstance(ref, auki_session.RegistryRef)
    assert ref.peer_id == PEER_ID
    assert ref.id == "session/sdk_clock"
    assert ref.hash


def test_register_sensor_returns_registry_ref(tmp_path):
    s = make_session(tmp_path)
    ref = register_sensor(s)
    assert isinstance(ref, auki_session.RegistryRef)
    assert ref.peer_id == PEER_ID
    assert ref.id == "head_left_rgb"
    assert ref.hash


def test_register_sensor_log_end_to_end(tmp_path):
    s = make_session(tmp_path)
    frame_ref = register_frame(s)
    sensor = s.register_sensor("head_left_rgb", camera_body(frame_ref))
    clock = register_clock(s)
    spec = SensorLogSpec(
        sensor, clock, frame=frame_ref, head=HeadSpec.rolling(5_000_000_000),
        segment_duration_ns=1_000_000_000, retention_ns=5_000_000_000,
    )
    handle = s.register_sensor_log(spec)
    assert isinstance(handle, SensorLogHandle)
    assert handle.resource_id == "head_left_rgb"
    log_ref = handle.log_ref
    assert isinstance(log_ref, auki_session.LogRef)
    assert log_ref.source_peer_id == "galbot"
    assert log_ref.resource_id == "head_left_rgb"
    assert (tmp_path / "logs" / "galbot" / "head_left_rgb" / "manifest.json").exists()


def test_catalog_resource_id_and_shape(tmp_path):
    s = make_session(tmp_path)
    sensor = register_sensor(s)
    clock = register_clock(s)
    s.register_sensor_log(SensorLogSpec(
        sensor, clock, head=HeadSpec.rolling(5_000_000_000),
        segment_duration_ns=1_000_000_000, retention_ns=5_000_000_000,
    ))
    catalog = s.catalog()
    assert isinstance(catalog, list)
    assert len(catalog) == 1
    row = catalog[0]
    assert isinstance(row, dict)
    assert row["source_peer_id"] == "galbot"
    assert row["writer_peer_id"] == "galbot"
    assert row["resource_id"] == "head_left_rgb"
    assert row["state"] == "live"
    assert row["head"] is not None
    assert row["sensor"]["kind"] == "camera"
    assert row["sensor"]["type"] == "rgb"
    assert row.get("variant") is not None


def test_register_duplicate_log_raises(tmp_path):
    s = make_session(tmp_path)
    sensor = register_sensor(s)
    clock = register_clock(s)
    spec = SensorLogSpec(
        sensor, clock, head=HeadSpec.rolling(5_000_000_000),
        segment_duration_ns=1_000_000_000, retention_ns=5_000_000_000,
    )
    s.register_sensor_log(spec)
    with pytest.raises(ValueError, match="duplicate log"):
        s.register_sensor_log(spec)


def test_register_sensor_bad_id_raises(tmp_path):
    s = make_session(tmp_path)
    frame = register_frame(s)
    with pytest.raises(ValueError):
        s.register_sensor("bad>id", camera_body(frame))


def test_materialize_remote_log_raises(tmp_path):
    s = make_session(tmp_path)
    with pytest.raises(NotImplementedError, match="not implemented"):
        s.materialize_remote_log(
            {"source_peer_id": "galbot", "resource_id": "head_left_rgb"},
            retention_ns=300_000_000_000,
            segment_duration_ns=10_000_000_000,
        )


def test_materialize_remote_log_raises_with_log_ref_object(tmp_path):
    s = make_session(tmp_path)
    log_ref = LogRef(source_peer_id="galbot", resource_id="head_left_rgb")
    with pytest.raises(NotImplementedError):
        s.materialize_remote_log(log_ref, retention_ns=300_000_000_000, segment_duration_ns=10_000_000_000)


def test_resolve_static_transform_raises(tmp_path):
    s = make_session(tmp_path)
    with pytest.raises(NotImplementedError, match="not implemented"):
        s.resolve_static_transform({"source_peer_id": "park", "resource_id": "world->base_link"})


def test_join_domain_raises(tmp_path):
    s = make_session(tmp_path)
    with pytest.raises(NotImplementedError, match="libp2p"):
        s.join_domain({})


def test_leave_domain_raises(tmp_path):
    s = make_session(tmp_path)
    with pytest.raises(NotImplementedError, match="libp2p"):
        s.leave_domain()


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


def test_log_ref_class():
    ref = LogRef(source_peer_id=PEER_ID, resource_id="head_left_rgb")
    assert ref.source_peer_id == PEER_ID
    assert ref.resource_id == "head_left_rgb"
    assert "LogRef" in repr(ref)


def test_registry_ref_class():
    ref = RegistryRef(peer_id=PEER_ID, id="head_left_rgb", hash="abc123")
    assert ref.peer_id == PEER_ID
    assert ref.id == "head_left_rgb"
    assert ref.hash == "abc123"
    assert "RegistryRef" in repr(ref)


def test_register_pose_log_resource_id(tmp_path):
    s = make_session(tmp_path)
    world = s.register_frame("world", FrameDef.ros_body())
    base_link = s.register_frame("base_link", FrameDef.ros_body())
    clock = register_clock(s)
    spec = PoseLogSpec(
        from_frame=world, to_frame=base_link, clock=clock, source={"kind": "manual"},
        writer_mode="movable", expected_rate_hz=30, head=HeadSpec.rolling(5_000_000_000),
        segment_duration_ns=1_000_000_000, retention_ns=5_000_000_000,
    )
    handle = s.register_pose_log(spec)
    assert isinstance(handle, PoseLogHandle)
    assert handle.resource_id == "world->base_link"
    assert handle.log_ref.source_peer_id == "galbot"


def test_register_time_transform_log_resource_id(tmp_path):
    s = make_session(tmp_path)
    sdk_clock = register_clock(s)
    wall_clock = s.register_clock(
        "wall_clock",
        {"type": "utc_clock", "unit": "ns", "monotonic": False, "scope": "global",
         "epoch": "1970-01-01T00:00:00Z"},
    )
    spec = TimeTransformLogSpec(
        from_clock=sdk_clock, to_clock=wall_clock, source={"kind": "local_clock_read"},
        head=HeadSpec.rolling(60_000_000_000), segment_duration_ns=60_000_000_000,
        retention_ns=3_600_000_000_000,
    )
    handle = s.register_time_transform_log(spec)
    assert isinstance(handle, TimeTransformLogHandle)
    assert handle.resource_id == "session/sdk_clock->wall_clock"


def test_register_detection_log_resource_id(tmp_path):
    s = make_session(tmp_path)
    sensor = register_sensor(s)
    clock = register_clock(s)
    detector = s.register_detector(
        "yolo_v8", {"type": "object_detection", "model": "yolo_v8n"}, ["object_detection"],
    )
    input_log = LogRef("galbot", "head_left_rgb")
    spec = DetectionLogSpec(
        detector, input_log, sensor, clock, HeadSpec.rolling(5_000_000_000), 1_000_000_000, 5_000_000_000,
    )
    handle = s.register_detection_log(spec)
    assert isinstance(handle, DetectionLogHandle)
    assert handle.resource_id == "yolo_v8@head_left_rgb"
