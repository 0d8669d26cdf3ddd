"""auki_manifests: upstream's python_tests/manifests/test_manifests.py behaviour by behaviour, validation with
upstream's messages, and the post-#216 builder writing the bytes a session handle writes.

Canonical JSON is computed by hand here: every value is ASCII, an integer or an object, so RFC 8785
is ``json.dumps(sort_keys=True, separators=(",", ":"))``.
"""
import json
from pathlib import Path

import pytest

import auki_manifests
from auki_session import DetectionLogSpec, FrameDef, HeadSpec, LogRef, Peer, PoseLogSpec, RegistryRef, SensorLogSpec, TimeTransformLogSpec

import paths

SESSION = "550e8400-e29b-41d4-a716-446655440000"


def canonical(value):
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


# ---- upstream's tests (auki-manifests-py python_tests/manifests/test_manifests.py) ------------------------

def test_build_detection_log_manifest_contains_all_required_fields():
    m = auki_manifests.build_detection_log_manifest(
        app_id="boosterapp", session_id=SESSION, detector_id="aukilabs/qr/v1",
        detector_hash="abc123def4567890abc123def4567890", input_log_id="rec-456",
        input_sensor_id="K1-AABBCCDDEEFF/head_left_cam", input_sensor_hash="e8cb3879fcfa7f716047aa0892b0c0c0",
        clock_id="K1-AABBCCDDEEFF/utc", clock_hash="89f84f4c2e09bef81d385b2af1d17e6c",
        segment_duration_ns=1_000_000_000, retention_ns=30_000_000_000,
    )
    assert m == {
        "app_id": "boosterapp", "session_id": SESSION, "detector_id": "aukilabs/qr/v1",
        "detector_hash": "abc123def4567890abc123def4567890", "input_log_id": "rec-456",
        "input_sensor_id": "K1-AABBCCDDEEFF/head_left_cam", "input_sensor_hash": "e8cb3879fcfa7f716047aa0892b0c0c0",
        "clock_id": "K1-AABBCCDDEEFF/utc", "clock_hash": "89f84f4c2e09bef81d385b2af1d17e6c",
        "segment_duration_ns": 1_000_000_000, "retention_ns": 30_000_000_000,
    }
    assert "intent" not in m


def test_build_sensor_log_manifest_round_trip():
    m = auki_manifests.build_sensor_log_manifest(
        app_id="boosterapp", session_id=SESSION, sensor_id="K1-AABBCCDDEEFF/head_left_cam",
        sensor_hash="e8cb3879fcfa7f716047aa0892b0c0c0", clock_id="K1-AABBCCDDEEFF/utc",
        clock_hash="89f84f4c2e09bef81d385b2af1d17e6c", segment_duration_ns=1_000_000_000,
        retention_ns=30_000_000_000, frame_id="K1-AABBCCDDEEFF/head_left_cam_optical",
        frame_hash="fd0dc3789e898b71b5e16ee122a81a44",
    )
    assert m["sensor_id"] == "K1-AABBCCDDEEFF/head_left_cam"
    assert m["clock_id"] == "K1-AABBCCDDEEFF/utc"
    assert m["frame_id"] == "K1-AABBCCDDEEFF/head_left_cam_optical"
    assert m["frame_hash"] == "fd0dc3789e898b71b5e16ee122a81a44"


def test_sensor_log_manifest_without_frame_omits_both_keys():
    m = auki_manifests.build_sensor_log_manifest(
        app_id="a", session_id="s", sensor_id="x", sensor_hash="h", clock_id="c", clock_hash="ch",
        segment_duration_ns=1, retention_ns=0)
    assert "frame_id" not in m and "frame_hash" not in m


def test_sensor_log_manifest_arguments_are_keyword_only():
    with pytest.raises(TypeError):
        auki_manifests.build_sensor_log_manifest("a", "s", "x", "h", "c", "ch", 1, 0)  # noqa


def test_build_pose_log_manifest_with_ros2_tf_source():
    m = auki_manifests.build_pose_log_manifest(
        app_id="boosterapp", session_id=SESSION,
        from_frame_id="K1-AABBCCDDEEFF/base_link", from_frame_hash="fd0dc3789e898b71b5e16ee122a81a44",
        to_frame_id="K1-AABBCCDDEEFF/head_left_cam_optical", to_frame_hash="11223344556677889900aabbccddeeff",
        clock_id="K1-AABBCCDDEEFF/utc", clock_hash="89f84f4c2e09bef81d385b2af1d17e6c",
        source={"kind": "ros2_tf", "publishers": ["amcl", "robot_state_publisher", "tf_broadcaster"]},
        writer_mode="movable", expected_rate_hz=100, segment_duration_ns=1_000_000_000, retention_ns=30_000_000_000,
    )
    assert m["source"] == {"kind": "ros2_tf", "publishers": ["amcl", "robot_state_publisher", "tf_broadcaster"]}
    assert m["writer_mode"] == "movable"
    assert m["expected_rate_hz"] == 100


def test_build_pose_log_manifest_rejects_unknown_writer_mode():
    with pytest.raises(ValueError, match="writer_mode"):
        auki_manifests.build_pose_log_manifest(
            app_id="x", session_id="y", from_frame_id="a", from_frame_hash="b", to_frame_id="c",
            to_frame_hash="d", clock_id="e", clock_hash="f", source={"kind": "ros2_tf", "publishers": []},
            writer_mode="nonsense", expected_rate_hz=0, segment_duration_ns=1, retention_ns=0)


def test_build_time_transform_log_manifest_with_local_clock_read_source():
    m = auki_manifests.build_time_transform_log_manifest(
        app_id="boosterapp", session_id=SESSION, from_clock_id="K1-AABBCCDDEEFF/monotonic",
        from_clock_hash="deadbeefcafefeed", to_clock_id="K1-AABBCCDDEEFF/utc", to_clock_hash="1234567890abcdef",
        source={"kind": "local_clock_read"}, segment_duration_ns=1_000_000_000, retention_ns=60_000_000_000)
    assert m["source"]["kind"] == "local_clock_read"
    assert m["from_clock_id"] == "K1-AABBCCDDEEFF/monotonic"


# ---- beyond upstream's Python tests: the crate's rules and messages ------------------------------

def test_pose_source_with_unknown_kind_names_the_argument():
    with pytest.raises(ValueError, match=r"^source: unknown variant `slam`"):
        auki_manifests.build_pose_log_manifest("a", "s", "f", "fh", "t", "th", "c", "ch", {"kind": "slam"}, "rigid", 1, 1, 0)


def test_negative_duration_is_an_overflow_error_like_pyo3_u64():
    with pytest.raises(OverflowError):
        auki_manifests.build_time_transform_log_manifest("a", "s", "f", "fh", "t", "th", {"kind": "local_clock_read"}, -1, 0)


def test_durations_beyond_i64_saturate_like_upstream():
    m = auki_manifests.build_time_transform_log_manifest("a", "s", "f", "fh", "t", "th", {"kind": "local_clock_read"}, 2**64 - 1, 0)
    assert m["segment_duration_ns"] == 2**63 - 1


def test_publishers_are_stored_sorted_and_unique():
    m = auki_manifests.build_pose_log_manifest("a", "s", "f", "fh", "t", "th", "c", "ch",
                                               auki_manifests.PoseSource.ros2_tf(["b", "a", "b"]),
                                               auki_manifests.PoseWriterMode.RIGID, 1, 1, 0)
    assert m["source"] == {"kind": "ros2_tf", "publishers": ["a", "b"]}


def flat_sensor(**changes):
    m = auki_manifests.build_sensor_log_manifest(app_id="a", session_id="s", sensor_id="x", sensor_hash="h",
                                                 clock_id="c", clock_hash="ch", segment_duration_ns=1, retention_ns=0)
    m.update(changes)
    return m


def test_validate_accepts_a_built_manifest():
    auki_manifests.validate_manifest(flat_sensor())


@pytest.mark.parametrize("field", ["app_id", "session_id", "sensor_id", "sensor_hash", "clock_id", "clock_hash"])
def test_validate_refuses_each_empty_field_by_name(field):
    with pytest.raises(ValueError, match=f"^invalid manifest field `{field}`: must not be empty$"):
        auki_manifests.validate_manifest(flat_sensor(**{field: ""}))


def test_validate_refuses_a_frame_id_without_its_hash():
    with pytest.raises(ValueError, match="^invalid manifest field `frame_hash`: must be set when paired field is set$"):
        auki_manifests.validate_manifest(flat_sensor(frame_id="f"))


def test_validate_refuses_zero_segment_duration_and_negative_retention():
    with pytest.raises(ValueError, match="`segment_duration_ns`: must be greater than zero"):
        auki_manifests.validate_manifest(flat_sensor(segment_duration_ns=0))
    with pytest.raises(ValueError, match="`retention_ns`: must be greater than or equal to zero"):
        auki_manifests.validate_manifest(flat_sensor(retention_ns=-1))


def test_validate_names_the_empty_ref_field_of_a_post_216_manifest():
    m = json.loads((paths.FIXTURES / "manifest_sensor_origin.json").read_text())
    m["sensor"]["id"] = ""
    with pytest.raises(ValueError, match="^invalid manifest field `sensor.id`: must not be empty$"):
        auki_manifests.validate_manifest(m)


# ---- one builder: auki_manifests and session handles write the same bytes ----------------------

def test_post_216_sensor_manifest_matches_the_locked_fixture(locked):
    m = auki_manifests.build_log_manifest(
        "sensor", source_peer_id="galbot", writer_peer_id="galbot", app_id="galbot-control-plane",
        session_id="01HV-galbot-session", segment_duration_ns=1_000_000_000, retention_ns=5_000_000_000,
        sensor=RegistryRef("galbot", "head_left_rgb", "8295922307fa2b426453486ba87a59ef"),
        clock={"peer_id": "galbot", "id": "session/sdk_clock", "hash": "fb0120a35f4fd1de8a7d46f5e76b7f68"},
        frame=RegistryRef("galbot", "head_left_camera_optical", "3055a8ac27eecd57aa37235b05871c01"))
    assert canonical(m) == locked("manifest_sensor_origin.json")


@pytest.fixture
def session(tmp_path):
    peer = Peer("galbot", "galbot-ctl").with_storage_root(str(tmp_path))
    frame = peer.register_frame("head_left_camera_optical", FrameDef.ros_optical())
    sensor = peer.register_sensor("head_left_rgb", {
        "kind": "camera", "type": "rgb", "width": 640, "height": 480, "frame_rate_hz": 30, "image_encoding": "raw",
        "pixel_format": "rgb8", "row_stride_bytes": 1920, "color_space": "srgb", "intrinsics_model": "pinhole",
        "distortion_model": "none", "frame": {"peer_id": frame.peer_id, "id": frame.id, "hash": frame.hash}})
    detector = peer.register_detector("yolo_v8", {"type": "object_detection", "model": "yolo_v8n"}, ["object_detection"])
    s = peer.start_session()
    clock = s.register_clock("session/sdk_clock", {"type": "monotonic_clock", "unit": "ns", "monotonic": True, "scope": "device-local"})
    wall = s.register_clock("wall_clock", {"type": "utc_clock", "unit": "ns", "monotonic": False, "scope": "global", "epoch": "1970-01-01T00:00:00Z"})
    base = peer.register_frame("base_link", FrameDef.ros_body())
    return s, dict(frame=frame, sensor=sensor, detector=detector, clock=clock, wall=wall, base=base)


def written(handle):
    return (Path(handle.root) / "manifest.json").read_text()


def common(s, seg, ret):
    return dict(source_peer_id="galbot", writer_peer_id="galbot", app_id="galbot-ctl", session_id=s.session_id,
                segment_duration_ns=seg, retention_ns=ret)


def test_sensor_manifest_is_what_a_session_handle_writes(session):
    s, r = session
    h = s.register_sensor_log(SensorLogSpec(r["sensor"], r["clock"], HeadSpec.fixed(), 1_000_000_000, 0, frame=r["frame"]))
    m = auki_manifests.build_log_manifest("sensor", sensor=r["sensor"], clock=r["clock"], frame=r["frame"], **common(s, 1_000_000_000, 0))
    assert canonical(m) == written(h)


def test_pose_manifest_is_what_a_session_handle_writes(session):
    s, r = session
    source = auki_manifests.PoseSource.ros2_tf(["tf_broadcaster", "robot_state_publisher"])
    h = s.register_pose_log(PoseLogSpec(from_frame=r["base"], to_frame=r["frame"], clock=r["clock"], source=source,
                                        writer_mode="movable", expected_rate_hz=30, head=HeadSpec.rolling(60_000_000_000),
                                        segment_duration_ns=1_000_000_000, retention_ns=60_000_000_000))
    m = auki_manifests.build_log_manifest("pose", from_frame=r["base"], to_frame=r["frame"], clock=r["clock"], source=source,
                                          writer_mode="movable", expected_rate_hz=30, **common(s, 1_000_000_000, 60_000_000_000))
    assert canonical(m) == written(h)


def test_time_transform_manifest_is_what_a_session_handle_writes(session):
    s, r = session
    source = auki_manifests.TimeTransformSource.local_clock_read()
    h = s.register_time_transform_log(TimeTransformLogSpec(r["clock"], r["wall"], source, HeadSpec.fixed(), 60_000_000_000, 3_600_000_000_000))
    m = auki_manifests.build_log_manifest("time_transform", from_clock=r["clock"], to_clock=r["wall"], source=source,
                                          **common(s, 60_000_000_000, 3_600_000_000_000))
    assert canonical(m) == written(h)


def test_era_c_detection_manifest_is_what_a_session_handle_writes(session):
    s, r = session
    input_log = LogRef(source_peer_id="galbot", resource_id="head_left_rgb")
    cadence = auki_manifests.DetectionCadence.every_frame()
    h = s.register_detection_log(DetectionLogSpec(instance_id="yolo-head-left", detector=r["detector"], input_log=input_log,
                                                  input_sensor=r["sensor"], clock=r["clock"], cadence=cadence,
                                                  head=HeadSpec.fixed(), segment_duration_ns=1_000_000_000, retention_ns=0))
    m = auki_manifests.build_log_manifest("detection", detector=r["detector"], input_log=input_log, input_sensor=r["sensor"],
                                          clock=r["clock"], instance_id="yolo-head-left", cadence=cadence, **common(s, 1_000_000_000, 0))
    assert canonical(m) == written(h)
    auki_manifests.validate_manifest(m)


def test_unknown_kind_is_a_value_error():
    with pytest.raises(ValueError, match="unknown log kind `map`"):
        auki_manifests.build_log_manifest("map", source_peer_id="g", writer_peer_id="g", app_id="a", session_id="s",
                                          segment_duration_ns=1, retention_ns=0)
