"""Upstream's registry-py ``python_tests/registry/test_registry.py``, reproduced, plus the locked hash vectors.

Parity tests compare ``canonical_json_*`` with the locked fixtures byte for byte
(python_tests/fixtures/*.json, no trailing newline) and the hashes with the reference's vectors.
"""
import pytest

import auki_registry
import auki_session
from auki_registry import (
    LogRef,
    RegistryRef,
    audio_sensor_entry,
    camera_sensor_entry,
    canonical_json_clock,
    canonical_json_detector,
    canonical_json_frame,
    canonical_json_sensor,
    frame_entry,
    frame_opengl,
    frame_ros_body,
    frame_ros_optical,
    frame_unity,
    hash_clock,
    hash_detector,
    hash_frame,
    hash_sensor,
    joint_encoders_sensor_entry,
    monotonic_clock_entry,
    point_field,
    rangefinder_sensor_entry,
    read_clock,
    read_detector,
    read_frame,
    read_sensor,
    rf_sensor_entry,
    scalar_sensor_entry,
    utc_clock_entry,
    validate_clock_id,
    validate_detector_id,
    validate_frame_id,
    validate_sensor_id,
    write_clock,
    write_detector,
    write_frame,
    write_sensor,
)

PEER_ID = "galbot"
FRAME_ID = "K1-AABBCCDDEEFF/head_left_cam_optical"

M1_PEER = "test-peer"
M1_FRAME = RegistryRef(M1_PEER, FRAME_ID, "03b86f32827ec6a25a5e619b2f36478b")


def written_frame(tmp_path):
    frame = frame_ros_optical(PEER_ID, FRAME_ID)
    h = write_frame(str(tmp_path), frame)
    return {"peer_id": PEER_ID, "id": FRAME_ID, "hash": h}


# ---- upstream tests ---------------------------------------------------------------------------

def test_registry_ref_class():
    ref = RegistryRef(peer_id=PEER_ID, id="head_left_rgb", hash="abc123")
    assert ref.peer_id == PEER_ID
    assert ref.id == "head_left_rgb"
    assert ref.hash == "abc123"
    assert "RegistryRef" in repr(ref)


def test_log_ref_class():
    ref = LogRef(source_peer_id=PEER_ID, resource_id="head_left_rgb")
    assert ref.source_peer_id == PEER_ID
    assert ref.resource_id == "head_left_rgb"
    assert "LogRef" in repr(ref)


def test_frame_ros_optical_carries_peer_id():
    frame = frame_ros_optical(PEER_ID, FRAME_ID)
    assert frame["peer_id"] == PEER_ID
    assert frame["frame_id"] == FRAME_ID
    assert frame["handedness"] == "right"
    assert frame["axes"] == {"x": "right", "y": "down", "z": "forward"}
    assert frame["units"] == "meters"


def test_frame_ros_body_carries_peer_id():
    frame = frame_ros_body(PEER_ID, "base_link")
    assert frame["peer_id"] == PEER_ID
    assert frame["axes"] == {"x": "forward", "y": "left", "z": "up"}


def test_frame_write_read_round_trip(tmp_path):
    frame = frame_ros_optical(PEER_ID, FRAME_ID)
    h = write_frame(str(tmp_path), frame)
    assert h == hash_frame(frame)
    assert read_frame(str(tmp_path), PEER_ID, FRAME_ID, h) == frame
    assert read_frame(str(tmp_path), PEER_ID, FRAME_ID, "missing") is None
    assert read_frame(str(tmp_path), PEER_ID, FRAME_ID, "0" * 32) is None


def test_camera_sensor_entry_kind_and_type(tmp_path):
    frame = written_frame(tmp_path)
    sensor = camera_sensor_entry(
        peer_id=PEER_ID, sensor_id="K1-AABBCCDDEEFF/head_left_cam", sensor_type="rgb",
        width=544, height=488, frame_rate_hz=20, image_encoding="raw", pixel_format="YUV_NV12",
        row_stride_bytes=544, color_space="BT.709", intrinsics_model="pinhole",
        distortion_model="plumb_bob", frame=frame,
    )
    assert sensor["kind"] == "camera"
    assert sensor["type"] == "rgb"
    assert sensor["peer_id"] == PEER_ID
    h = write_sensor(str(tmp_path), sensor)
    assert h == hash_sensor(sensor)
    assert read_sensor(str(tmp_path), PEER_ID, "K1-AABBCCDDEEFF/head_left_cam", h) == sensor


def test_camera_sensor_entry_with_registry_ref_object(tmp_path):
    frame = written_frame(tmp_path)
    ref = RegistryRef(peer_id=frame["peer_id"], id=frame["id"], hash=frame["hash"])
    sensor = camera_sensor_entry(
        peer_id=PEER_ID, sensor_id="K1-AABBCCDDEEFF/head_depth", sensor_type="depth",
        width=640, height=480, frame_rate_hz=30, image_encoding="raw", pixel_format="Z16",
        row_stride_bytes=1280, color_space="linear", intrinsics_model="pinhole",
        distortion_model="none", frame=ref,
    )
    assert sensor["type"] == "depth"
    assert sensor["frame"] == frame
    assert write_sensor(str(tmp_path), sensor) == hash_sensor(sensor)


def test_rangefinder_sensor_entry(tmp_path):
    frame = written_frame(tmp_path)
    sensor = rangefinder_sensor_entry(
        peer_id=PEER_ID, sensor_id="K1-AABBCCDDEEFF/head_depth_points", sensor_type="point_cloud",
        fields=[point_field("x", 0, "float32"), point_field("y", 4, "float32"), point_field("z", 8, "float32")],
        point_step=12, is_bigendian=False, frame_rate_hz=10, frame=frame,
    )
    assert sensor["kind"] == "rangefinder"
    assert sensor["type"] == "point_cloud"
    assert [f["count"] for f in sensor["fields"]] == [1, 1, 1]
    h = write_sensor(str(tmp_path), sensor)
    assert read_sensor(str(tmp_path), PEER_ID, "K1-AABBCCDDEEFF/head_depth_points", h) == sensor


def test_rangefinder_sensor_rejects_missing_frame(tmp_path):
    sensor = rangefinder_sensor_entry(
        peer_id=PEER_ID, sensor_id="lidar", sensor_type="3d_lidar",
        fields=[point_field("x", 0, "float32")], point_step=4, is_bigendian=False, frame_rate_hz=10,
        frame={"peer_id": PEER_ID, "id": FRAME_ID, "hash": "0" * 32},
    )
    with pytest.raises(ValueError, match="references missing frame"):
        write_sensor(str(tmp_path), sensor)


def test_audio_sensor_entry(tmp_path):
    frame = written_frame(tmp_path)
    sensor = audio_sensor_entry(
        peer_id=PEER_ID, sensor_id="K1-AABBCCDDEEFF/head_array_4mic", sensor_type="pcm",
        sample_rate_hz=48000, channels=4, sample_format="pcm_s16le", channel_layout="n_channel", frame=frame,
    )
    assert sensor["kind"] == "audio"
    assert sensor["type"] == "pcm"
    assert sensor["frame"]["hash"] == frame["hash"]


def test_joint_encoders_sensor_entry(tmp_path):
    frame = written_frame(tmp_path)
    sensor = joint_encoders_sensor_entry(
        peer_id=PEER_ID, sensor_id="K1-AABBCCDDEEFF/arm_joints", sensor_type="absolute",
        joint_count=7, frame_rate_hz=100, frame=frame,
    )
    assert sensor["kind"] == "joint_encoders"
    assert sensor["type"] == "absolute"
    assert sensor["frame"]["hash"] == frame["hash"]


def test_rf_sensor_entry(tmp_path):
    frame = written_frame(tmp_path)
    sensor = rf_sensor_entry(peer_id=PEER_ID, sensor_id="K1-AABBCCDDEEFF/uwb", sensor_type="uwb", frame=frame)
    assert sensor["kind"] == "rf"
    assert sensor["type"] == "uwb"
    assert sensor["frame"]["hash"] == frame["hash"]


def test_clock_write_read_round_trip(tmp_path):
    clock = monotonic_clock_entry(PEER_ID, "K1-AABBCCDDEEFF/monotonic", "milliseconds", "device-local")
    assert clock["type"] == "monotonic_clock"
    assert clock["peer_id"] == PEER_ID
    h = write_clock(str(tmp_path), clock)
    assert h == hash_clock(clock)
    assert read_clock(str(tmp_path), PEER_ID, "K1-AABBCCDDEEFF/monotonic", h) == clock


def test_utc_clock_entry_carries_peer_id():
    clock = utc_clock_entry(PEER_ID, "K1-AABBCCDDEEFF/utc", "milliseconds", "global", "1970-01-01T00:00:00Z")
    assert clock["peer_id"] == PEER_ID
    assert clock["type"] == "utc_clock"


def test_validate_sensor_id_accepts_valid():
    validate_sensor_id("K1-AABBCCDDEEFF/head_left_cam")
    validate_sensor_id("head_left_rgb")


def test_validate_sensor_id_rejects_disallowed_chars():
    for bad in ("bad>id", "bad@id", ""):
        with pytest.raises(ValueError):
            validate_sensor_id(bad)


def test_invalid_enum_string_raises_value_error():
    with pytest.raises(ValueError, match="handedness"):
        frame_entry(peer_id=PEER_ID, frame_id=FRAME_ID, handedness="sideways",
                    x="forward", y="left", z="up", units="meters")


def test_parity_frame_ros_optical(locked):
    frame = frame_ros_optical("galbot", "head_left_camera_optical")
    assert canonical_json_frame(frame) == locked("frame_ros_optical.json")
    assert hash_frame(frame) == "3055a8ac27eecd57aa37235b05871c01"


def test_parity_clock_monotonic(locked):
    clock = monotonic_clock_entry(peer_id="galbot", session_id="sess-m1", clock_id="K1-AABBCCDDEEFF/monotonic",
                                  unit="milliseconds", scope="device-local")
    assert canonical_json_clock(clock) == locked("clock_monotonic.json")
    assert hash_clock(clock) == "107238adc0441893cbfd35c41b5ec989"


def test_parity_clock_utc(locked):
    clock = utc_clock_entry(peer_id="galbot", session_id="sess-m1", clock_id="K1-AABBCCDDEEFF/utc",
                            unit="milliseconds", scope="global", epoch="1970-01-01T00:00:00Z")
    assert canonical_json_clock(clock) == locked("clock_utc.json")
    assert hash_clock(clock) == "79eb38239c937eaa63863d25f822947a"


def test_parity_sensor_camera_rgb(locked):
    sensor = camera_sensor_entry(
        peer_id=M1_PEER, sensor_id="K1-AABBCCDDEEFF/head_left_cam", sensor_type="rgb",
        width=544, height=488, frame_rate_hz=20, image_encoding="raw", pixel_format="YUV_NV12",
        row_stride_bytes=544, color_space="BT.709", intrinsics_model="pinhole",
        distortion_model="plumb_bob", frame=M1_FRAME,
    )
    assert canonical_json_sensor(sensor) == locked("sensor_camera_rgb.json")
    assert hash_sensor(sensor) == "9306d67f99d38ced7c186c0f63734421"


def test_parity_sensor_rangefinder_point_cloud(locked):
    sensor = rangefinder_sensor_entry(
        peer_id=M1_PEER, sensor_id="K1-AABBCCDDEEFF/head_depth_points", sensor_type="point_cloud",
        fields=[point_field("x", 0, "float32"), point_field("y", 4, "float32"), point_field("z", 8, "float32")],
        point_step=12, is_bigendian=False, frame_rate_hz=10, frame=M1_FRAME,
    )
    assert canonical_json_sensor(sensor) == locked("sensor_rangefinder_point_cloud.json")
    assert hash_sensor(sensor) == "9522242bd92110b03c024e512e0274cd"


def test_parity_sensor_audio_pcm(locked):
    sensor = audio_sensor_entry(
        peer_id=M1_PEER, sensor_id="K1-AABBCCDDEEFF/head_array_4mic", sensor_type="pcm",
        sample_rate_hz=48000, channels=4, sample_format="pcm_s16le", channel_layout="n_channel", frame=M1_FRAME,
    )
    assert canonical_json_sensor(sensor) == locked("sensor_audio_pcm.json")
    assert hash_sensor(sensor) == "3cfe29be8c3382753655f3e693068d88"


# ---- beyond upstream's file: the other locked vectors and the remaining functions ---------------

def test_session_reexports_the_same_ref_classes():
    assert auki_session.RegistryRef is auki_registry.RegistryRef
    assert auki_session.LogRef is auki_registry.LogRef


@pytest.mark.parametrize("make, peer_id, frame_id, expected", [
    (frame_ros_body, "galbot", "base_link", "16645bd8584e5ca5fa1030b439da92dc"),
    (frame_ros_body, "park", "world", "2cbe0d5894d3346daa167ecb077cce98"),
    (frame_ros_body, "test-peer", "K1-AABBCCDDEEFF/base_link", "476d36916dd2c96f09ea57304d0da334"),
    (frame_ros_optical, "test-peer", FRAME_ID, "03b86f32827ec6a25a5e619b2f36478b"),
])
def test_frame_hash_vectors(make, peer_id, frame_id, expected):
    assert hash_frame(make(peer_id, frame_id)) == expected


def test_frame_presets_opengl_and_unity():
    assert frame_opengl(PEER_ID, "gl")["axes"] == {"x": "right", "y": "up", "z": "backward"}
    unity = frame_unity(PEER_ID, "u")
    assert unity["handedness"] == "left"
    assert unity["axes"] == {"x": "right", "y": "up", "z": "forward"}


def test_frame_entry_equals_preset():
    custom = frame_entry(peer_id=PEER_ID, frame_id="head_left_camera_optical", handedness="right",
                         x="right", y="down", z="forward", units="meters")
    assert hash_frame(custom) == "3055a8ac27eecd57aa37235b05871c01"


def test_era_a_camera_hash_vector():
    sensor = camera_sensor_entry(
        "galbot", "head_left_rgb", "rgb", 1920, 1200, 30, None, "rgb8", None, "srgb", "pinhole",
        "brown_conrady", {"peer_id": "galbot", "id": "head_left_camera_optical",
                          "hash": "3055a8ac27eecd57aa37235b05871c01"},
    )
    assert "image_encoding" not in sensor
    assert "row_stride_bytes" not in sensor
    assert hash_sensor(sensor) == "8295922307fa2b426453486ba87a59ef"


def test_era_a_clock_hash_vectors():
    mono = monotonic_clock_entry("galbot", "session/sdk_clock", "nanoseconds", "device-local")
    assert "session_id" not in mono
    assert hash_clock(mono) == "fb0120a35f4fd1de8a7d46f5e76b7f68"
    utc = utc_clock_entry("galbot", "wall_clock", "nanoseconds", "global", "1970-01-01T00:00:00Z")
    assert hash_clock(utc) == "a149244453307763c261dc1759be5373"


def test_detector_hash_vector_and_round_trip(tmp_path):
    detector = {"peer_id": "galbot", "detector_id": "yolo_v8", "type": "object_detection",
                "model": "yolo_v8n", "output_types": ["object_detection"]}
    assert hash_detector(detector) == "031308c146a2f6f086713388dc01f60e"
    h = write_detector(str(tmp_path), detector)
    assert h == "031308c146a2f6f086713388dc01f60e"
    assert read_detector(str(tmp_path), "galbot", "yolo_v8", h) == detector


def test_detector_canonical_json_example():
    detector = {"peer_id": "galbot", "detector_id": "aukilabs/aruco/v1", "type": "aruco",
                "dictionary": "5x5_50", "input_types": [], "output_types": ["aruco"]}
    assert canonical_json_detector(detector) == (
        '{"detector_id":"aukilabs/aruco/v1","dictionary":"5x5_50","input_types":[],'
        '"output_types":["aruco"],"peer_id":"galbot","type":"aruco"}'
    )


def test_unknown_keys_never_reach_the_hash():
    frame = frame_ros_optical("galbot", "head_left_camera_optical")
    assert hash_frame(dict(frame, comment="ignored")) == "3055a8ac27eecd57aa37235b05871c01"


def test_write_is_idempotent_and_content_addressed(tmp_path):
    frame = frame_ros_optical(PEER_ID, FRAME_ID)
    h1 = write_frame(tmp_path, frame)  # os.PathLike works too
    h2 = write_frame(str(tmp_path), frame)
    assert h1 == h2
    stored = tmp_path / "registries" / "frames" / PEER_ID / "K1-AABBCCDDEEFF__head_left_cam_optical" / f"{h1}.json"
    assert stored.read_bytes().decode("utf-8") == canonical_json_frame(frame)


def test_scalar_sensor_entry(tmp_path):
    sensor = scalar_sensor_entry(peer_id=PEER_ID, sensor_id="battery", sensor_type="battery_charge",
                                 unit="percent", expected_rate_hz=1)
    assert sensor["kind"] == "scalar"
    assert "frame" not in sensor
    h = write_sensor(str(tmp_path), sensor)
    assert read_sensor(str(tmp_path), PEER_ID, "battery", h) == sensor


def test_camera_calibration_is_kept(tmp_path):
    frame = written_frame(tmp_path)
    sensor = camera_sensor_entry(
        PEER_ID, "cam", "rgb", 640, 480, 30, "jpeg", "rgb8", 0, "srgb", "pinhole", "plumb_bob", frame,
        calibration={"fx": 500.5, "fy": 500.5, "cx": 320.0, "cy": 240.0, "distortion_coefficients": []},
    )
    assert sensor["calibration"] == {"fx": 500.5, "fy": 500.5, "cx": 320, "cy": 240}
    assert read_sensor(str(tmp_path), PEER_ID, "cam", write_sensor(str(tmp_path), sensor)) == sensor


@pytest.mark.parametrize("validate, prefix", [
    (validate_sensor_id, "sensor_id"),
    (validate_clock_id, "clock_id"),
    (validate_frame_id, "frame_id"),
    (validate_detector_id, "detector_id"),
])
def test_validate_id_prefixes(validate, prefix):
    validate("a/b/c")
    with pytest.raises(ValueError) as e:
        validate("bad>id")
    assert str(e.value) == f"{prefix}: registry id contains disallowed character '>'"


def test_ref_validate_messages():
    for ref, message in [
        (RegistryRef("", "id", "h"), "RegistryRef.peer_id must not be empty"),
        (RegistryRef("p", "", "h"), "RegistryRef.id must not be empty"),
        (RegistryRef("p", "id", ""), "RegistryRef.hash must not be empty"),
        (LogRef("", "r"), "LogRef.source_peer_id must not be empty"),
        (LogRef("p", ""), "LogRef.resource_id must not be empty"),
    ]:
        with pytest.raises(ValueError) as e:
            ref.validate()
        assert str(e.value) == message
    RegistryRef("p", "id", "h").validate()
    LogRef("p", "r").validate()
