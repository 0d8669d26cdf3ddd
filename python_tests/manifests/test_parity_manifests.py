"""Manifest and catalog shapes (compatibility reference sections 9 and 11), compared as bytes.

Every value in these manifests is ASCII, an integer or an object, so RFC 8785 canonical JSON is
``json.dumps(sort_keys=True, separators=(",", ":"))`` of the expected dict; the file on disk must
be exactly that (no whitespace, no trailing newline). Era-A registrations reproduce the locked
hashes (clock ``fb0120a3…``, ``a1492444…``, detector ``031308c1…``, sensor ``82959223…``).
"""
import json
from pathlib import Path

import pytest

from auki_session import (
    DetectionLogSpec,
    FrameDef,
    HeadSpec,
    LogRef,
    Peer,
    PoseLogSpec,
    RegistryRef,
    SensorLogSpec,
    Session,
    TimeTransformLogSpec,
    catalog,
)

SDK_CLOCK = {"type": "monotonic_clock", "unit": "nanoseconds", "monotonic": True, "scope": "device-local"}
WALL_CLOCK = {"type": "utc_clock", "unit": "nanoseconds", "monotonic": False, "scope": "global",
              "epoch": "1970-01-01T00:00:00Z"}
PARK_WORLD = RegistryRef("park", "world", "2cbe0d5894d3346daa167ecb077cce98")


def ref(peer_id, id_, hash_):
    return {"hash": hash_, "id": id_, "peer_id": peer_id}


def canonical(value):
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def manifest_text(handle):
    return (Path(handle.root) / "manifest.json").read_bytes().decode("utf-8")


def common(session, segment_duration_ns, retention_ns, app_id="galbot-control-plane"):
    return {"app_id": app_id, "session_id": session.session_id, "source_peer_id": "galbot",
            "writer_peer_id": "galbot", "segment_duration_ns": segment_duration_ns, "retention_ns": retention_ns}


@pytest.fixture
def era_a(tmp_path):
    s = Session("galbot", "galbot-control-plane").with_storage_root(str(tmp_path))
    frame = s.register_frame("head_left_camera_optical", FrameDef.ros_optical())
    sensor = s.register_sensor("head_left_rgb", {
        "kind": "camera", "type": "rgb", "width": 1920, "height": 1200, "frame_rate_hz": 30,
        "pixel_format": "rgb8", "color_space": "srgb", "intrinsics_model": "pinhole",
        "distortion_model": "brown_conrady", "frame": {"peer_id": frame.peer_id, "id": frame.id, "hash": frame.hash},
    })
    clock = s.register_clock("session/sdk_clock", SDK_CLOCK)
    return s, frame, sensor, clock


def test_locked_hashes_of_the_era_a_registrations(era_a):
    s, frame, sensor, clock = era_a
    assert frame.hash == "3055a8ac27eecd57aa37235b05871c01"
    assert sensor.hash == "8295922307fa2b426453486ba87a59ef"
    assert clock.hash == "fb0120a35f4fd1de8a7d46f5e76b7f68"
    assert s.register_clock("wall_clock", WALL_CLOCK).hash == "a149244453307763c261dc1759be5373"
    detector = s.register_detector("yolo_v8", {"type": "object_detection", "model": "yolo_v8n"}, ["object_detection"])
    assert detector.hash == "031308c146a2f6f086713388dc01f60e"
    base_link = s.register_frame("base_link", FrameDef.ros_body())
    assert base_link.hash == "16645bd8584e5ca5fa1030b439da92dc"


def test_sensor_manifest_without_frame_omits_the_key(era_a):
    s, _, sensor, clock = era_a
    handle = s.register_sensor_log(SensorLogSpec(sensor, clock, HeadSpec.fixed(), 1_000_000_000, 0))
    expected = common(s, 1_000_000_000, 0)
    expected.update(sensor=ref("galbot", "head_left_rgb", sensor.hash), clock=ref("galbot", "session/sdk_clock", clock.hash))
    assert manifest_text(handle) == canonical(expected)


def test_pose_manifest_movable(era_a):
    s, _, _, clock = era_a
    base_link = s.register_frame("base_link", FrameDef.ros_body())
    handle = s.register_pose_log(PoseLogSpec(
        from_frame=PARK_WORLD, to_frame=base_link, clock=clock,
        source={"kind": "ros2_tf", "publishers": ["tf_broadcaster", "robot_state_publisher"]},
        writer_mode="movable", expected_rate_hz=30, head=HeadSpec.rolling(60_000_000_000),
        segment_duration_ns=1_000_000_000, retention_ns=60_000_000_000,
    ))
    assert handle.resource_id == "world->base_link"
    expected = common(s, 1_000_000_000, 60_000_000_000)
    expected.update(
        from_frame=ref("park", "world", "2cbe0d5894d3346daa167ecb077cce98"),
        to_frame=ref("galbot", "base_link", "16645bd8584e5ca5fa1030b439da92dc"),
        clock=ref("galbot", "session/sdk_clock", "fb0120a35f4fd1de8a7d46f5e76b7f68"),
        source={"kind": "ros2_tf", "publishers": ["robot_state_publisher", "tf_broadcaster"]},  # sorted
        writer_mode="movable", expected_rate_hz=30,
    )
    assert manifest_text(handle) == canonical(expected)


def test_time_transform_manifest(era_a):
    s, _, _, clock = era_a
    wall = s.register_clock("wall_clock", WALL_CLOCK)
    handle = s.register_time_transform_log(TimeTransformLogSpec(
        clock, wall, {"kind": "local_clock_read"}, HeadSpec.rolling(3_600_000_000_000),
        60_000_000_000, 3_600_000_000_000,
    ))
    # The "->" resource id is one directory name; "/" in it nests directories, as upstream.
    assert Path(handle.root) == Path(s.storage_root) / "logs" / "galbot" / "session" / "sdk_clock->wall_clock"
    expected = common(s, 60_000_000_000, 3_600_000_000_000)
    expected.update(
        from_clock=ref("galbot", "session/sdk_clock", "fb0120a35f4fd1de8a7d46f5e76b7f68"),
        to_clock=ref("galbot", "wall_clock", "a149244453307763c261dc1759be5373"),
        source={"kind": "local_clock_read"},
    )
    assert manifest_text(handle) == canonical(expected)


def test_detection_manifest_era_a(era_a):
    s, _, sensor, clock = era_a
    detector = s.register_detector("yolo_v8", {"type": "object_detection", "model": "yolo_v8n"}, ["object_detection"])
    handle = s.register_detection_log(DetectionLogSpec(
        detector, LogRef("galbot", "head_left_rgb"), sensor, clock, HeadSpec.rolling(60_000_000_000),
        1_000_000_000, 60_000_000_000,
    ))
    assert handle.resource_id == "yolo_v8@head_left_rgb"
    expected = common(s, 1_000_000_000, 60_000_000_000)
    expected.update(
        detector=ref("galbot", "yolo_v8", "031308c146a2f6f086713388dc01f60e"),
        input_log={"resource_id": "head_left_rgb", "source_peer_id": "galbot"},
        input_sensor=ref("galbot", "head_left_rgb", "8295922307fa2b426453486ba87a59ef"),
        clock=ref("galbot", "session/sdk_clock", "fb0120a35f4fd1de8a7d46f5e76b7f68"),
    )
    assert manifest_text(handle) == canonical(expected)


def test_detection_manifest_era_c(tmp_path):
    peer = Peer("galbot", "galbot-control-plane").with_storage_root(str(tmp_path))
    frame = peer.register_frame("head_left_camera_optical", FrameDef.ros_optical())
    sensor = peer.register_sensor("head_left_rgb", {
        "kind": "camera", "type": "rgb", "width": 1920, "height": 1200, "frame_rate_hz": 30,
        "image_encoding": "raw", "row_stride_bytes": 5760, "pixel_format": "rgb8", "color_space": "srgb",
        "intrinsics_model": "pinhole", "distortion_model": "brown_conrady",
        "frame": {"peer_id": frame.peer_id, "id": frame.id, "hash": frame.hash},
    })
    detector = peer.register_detector("yolo_v8", {"type": "object_detection", "model": "yolo_v8n"},
                                      ["object_detection"], [{"sensor_kind": "camera", "sensor_type": "rgb"}])
    s = peer.start_session()
    clock = s.register_clock("session/sdk_clock", SDK_CLOCK)
    handle = s.register_detection_log(DetectionLogSpec(
        "yolo-head-left-30hz", detector, LogRef("galbot", "head_left_rgb"), sensor, clock, {"kind": "every_frame"},
        HeadSpec.rolling(60_000_000_000), 1_000_000_000, 60_000_000_000,
    ))
    assert Path(handle.root) == tmp_path / s.session_id / "logs" / "galbot" / "yolo-head-left-30hz"
    expected = common(s, 1_000_000_000, 60_000_000_000)
    expected.update(
        detector=ref("galbot", "yolo_v8", detector.hash),
        input_log={"resource_id": "head_left_rgb", "source_peer_id": "galbot"},
        input_sensor=ref("galbot", "head_left_rgb", sensor.hash),
        clock=ref("galbot", "session/sdk_clock", clock.hash),
        cadence={"kind": "every_frame"},
        instance_id="yolo-head-left-30hz",
    )
    assert manifest_text(handle) == canonical(expected)
    # Era-C clocks carry the session id, so the same body hashes differently than in era A.
    assert clock.hash != "fb0120a35f4fd1de8a7d46f5e76b7f68"


def test_peer_born_session_writes_its_clocks_at_start(tmp_path):
    peer = Peer("galbot", "galbot-ctrl").with_storage_root(str(tmp_path))
    s = peer.start_session()
    clocks = tmp_path / "registries" / "clocks" / "galbot"
    assert sorted(p.name for p in clocks.iterdir()) == [
        f"galbot__{s.session_id}__monotonic", f"galbot__{s.session_id}__utc"]
    assert not (tmp_path / s.session_id).exists()  # created with the first log


def test_catalog_rows_per_kind(era_a):
    s, frame, sensor, clock = era_a
    s.register_sensor_log(SensorLogSpec(sensor, clock, HeadSpec.rolling(5_000_000_000), 1_000_000_000,
                                        5_000_000_000, frame=frame))
    s.register_pose_log(PoseLogSpec(PARK_WORLD, frame, clock, {"kind": "manual"}, "rigid", 1, HeadSpec.fixed(),
                                    1_000_000_000, 0))
    wall = s.register_clock("wall_clock", WALL_CLOCK)
    s.register_time_transform_log(TimeTransformLogSpec(clock, wall, {"kind": "local_clock_read"},
                                                       HeadSpec.fixed(), 1_000_000_000, 0))
    detector = s.register_detector("yolo_v8", {"type": "object_detection", "model": "yolo_v8n"}, ["object_detection"])
    s.register_detection_log(DetectionLogSpec(detector, LogRef("galbot", "head_left_rgb"), sensor, clock,
                                              HeadSpec.fixed(), 1_000_000_000, 0))
    rows = s.catalog()
    assert [r["variant"] for r in rows] == ["sensor_log", "pose_log", "time_transform_log", "detection_log"]
    zero = {"bytes": 0, "entries": 0, "duration_ns": 0}
    for row in rows:
        assert row["source_peer_id"] == row["writer_peer_id"] == "galbot"
        assert row["state"] == "live"
        assert row["available"] == zero
        assert "extent" not in row
    sensor_row, pose_row, tt_row, det_row = rows
    assert sensor_row["head"] == {"kind": "rolling", "retention_ns": 5_000_000_000}
    assert sensor_row["sensor"] == {"kind": "camera", "type": "rgb", "sensor_id": "head_left_rgb",
                                    "sensor_hash": sensor.hash}
    assert sensor_row["manifest"] == {"clock": ref("galbot", "session/sdk_clock", clock.hash),
                                      "frame": ref("galbot", "head_left_camera_optical", frame.hash)}
    assert pose_row["head"] == {"kind": "fixed", "started_at_ns": 0}
    assert pose_row["pose"] == {"writer_mode": "rigid"}
    assert pose_row["resource_id"] == "world->head_left_camera_optical"
    assert set(pose_row["manifest"]) == {"from_frame", "to_frame", "clock", "source", "expected_rate_hz"}
    assert set(tt_row["manifest"]) == {"from_clock", "to_clock", "source"}
    assert det_row["resource_id"] == "yolo_v8@head_left_rgb"
    assert set(det_row["manifest"]) == {"detector", "input_log", "input_sensor", "clock"}


def test_catalog_function_matches_era_a_rows(tmp_path):
    peer = Peer("galbot", "galbot-ctrl").with_storage_root(str(tmp_path))
    frame = peer.register_frame("f", FrameDef.ros_optical())
    sensor = peer.register_sensor("cam", {
        "kind": "camera", "type": "depth", "width": 64, "height": 48, "frame_rate_hz": 5, "pixel_format": "z16",
        "color_space": "linear", "intrinsics_model": "pinhole", "distortion_model": "none",
        "frame": {"peer_id": frame.peer_id, "id": frame.id, "hash": frame.hash},
    })
    s = peer.start_session()
    clock = s.register_clock("c", SDK_CLOCK)
    s.register_sensor_log(SensorLogSpec(sensor, clock, HeadSpec.rolling(10), 1, 10))
    (row,) = catalog(peer, s)
    assert row["resource_id"] == "cam"
    assert row["sensor"]["type"] == "depth"
    assert row["manifest"] == {"clock": ref("galbot", "c", clock.hash)}
