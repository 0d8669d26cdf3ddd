"""auki_layout: upstream's python_tests/layout/test_layout.py and the crate's own tests (locked paths), the
path-safety rule the helpers add, and the helpers that name what our writers write."""
from pathlib import Path

import pytest

import auki_layout
from auki_registry import frame_ros_optical, hash_frame, write_frame
from auki_session import HeadSpec, Peer, SensorLogSpec

APP = "/home/booster/auki/boosterapp"
UPSTREAM_HELPERS = ["registries_root", "sensor_entry_path", "clock_entry_path", "frame_entry_path", "session_root",
                    "timetransform_log_path", "sensorlog_path", "poselog_path", "detection_log_path", "id_to_segment"]


def test_module_exposes_path_helpers():
    for name in UPSTREAM_HELPERS:
        assert hasattr(auki_layout, name), f"missing {name}"


def test_registries_root():
    assert auki_layout.registries_root(APP) == f"{APP}/registries"


def test_sensor_entry_path_substitutes_slashes():
    assert auki_layout.sensor_entry_path(APP, "K1-AABBCCDDEEFF/head_left_cam", "deadbeef") == \
        f"{APP}/registries/sensors/K1-AABBCCDDEEFF__head_left_cam/deadbeef.json"


def test_clock_frame_and_detector_entry_paths_use_their_directories():
    assert auki_layout.clock_entry_path(APP, "K1-AABBCCDDEEFF/utc", "deadbeef") == f"{APP}/registries/clocks/K1-AABBCCDDEEFF__utc/deadbeef.json"
    assert auki_layout.frame_entry_path(APP, "K1-AABBCCDDEEFF/head_left_cam_optical", "cafef00d") == \
        f"{APP}/registries/frames/K1-AABBCCDDEEFF__head_left_cam_optical/cafef00d.json"
    assert auki_layout.detector_entry_path(APP, "aukilabs/aruco/v1", "f00dcafe") == f"{APP}/registries/detectors/aukilabs__aruco__v1/f00dcafe.json"


def test_session_root():
    assert auki_layout.session_root(APP, "abc-123") == f"{APP}/abc-123"


def test_timetransform_log_path_uses_double_underscore():
    session = auki_layout.session_root(APP, "abc-123")
    assert auki_layout.timetransform_log_path(session, "K1-AABB/utc", "K1-AABB/monotonic") == \
        f"{APP}/abc-123/timetransform_logs/K1-AABB__utc__K1-AABB__monotonic"


def test_sensorlog_path_passes_through_log_id():
    session = auki_layout.session_root(APP, "abc-123")
    assert auki_layout.sensorlog_path(session, "rec-456") == f"{APP}/abc-123/sensorlogs/rec-456"


def test_poselog_path():
    session = auki_layout.session_root(APP, "abc-123")
    assert auki_layout.poselog_path(session, "K1-AABB/base_link", "K1-AABB/cam_optical") == \
        f"{APP}/abc-123/poselogs/K1-AABB__base_link__K1-AABB__cam_optical"


def test_detection_log_path_keys_on_detector_id_and_input_log_id():
    session = auki_layout.session_root(APP, "abc-123")
    assert auki_layout.detection_log_path(session, "aukilabs/qr/v1", "rec-456") == f"{APP}/abc-123/detection_logs/aukilabs__qr__v1__rec-456"


def test_id_to_segment_is_idempotent_for_ids_without_slashes():
    assert auki_layout.id_to_segment("plain") == "plain"
    assert auki_layout.id_to_segment("foo/bar/baz") == "foo__bar__baz"
    assert auki_layout.id_to_segment("K1-AABB__already_subbed") == "K1-AABB__already_subbed"


def test_paths_accept_pathlike_roots():
    assert auki_layout.registries_root(Path(APP)) == f"{APP}/registries"


def test_a_non_string_id_is_a_type_error_naming_the_argument():
    with pytest.raises(TypeError, match="argument 'sensor_id'"):
        auki_layout.sensor_entry_path(APP, 7, "deadbeef")


@pytest.mark.parametrize("call, field", [
    (lambda: auki_layout.sensorlog_path(APP, "../escape"), "sensor_log_id"),
    (lambda: auki_layout.session_root(APP, "a/b"), "session id"),
    (lambda: auki_layout.sensor_entry_path(APP, "/etc", "h"), "sensor_id"),
    (lambda: auki_layout.frame_entry_path(APP, "f", "../h"), "hash"),
    (lambda: auki_layout.poselog_path(APP, "a", ".."), "to_frame_id"),
    (lambda: auki_layout.detection_log_path(APP, "", "x"), "detector_id"),
])
def test_an_id_that_could_leave_the_root_is_refused_naming_the_field(call, field):
    with pytest.raises(ValueError, match=f"^invalid {field} "):
        call()


def test_registry_entry_path_is_where_write_frame_puts_the_file(tmp_path):
    entry = frame_ros_optical("fleet/robot-7", "head/cam_optical")
    h = write_frame(str(tmp_path), entry)
    path = auki_layout.registry_entry_path(str(tmp_path), "frame", "fleet/robot-7", "head/cam_optical", h)
    assert path == f"{tmp_path}/registries/frames/fleet__robot-7/head__cam_optical/{hash_frame(entry)}.json"
    assert Path(path).is_file()


def test_log_root_is_the_handle_root_of_a_session_log(tmp_path):
    peer = Peer("galbot", "app").with_storage_root(str(tmp_path))
    s = peer.start_session()
    sensor = peer.register_sensor("lidar", {"kind": "scalar", "type": "battery_charge", "unit": "percent", "expected_rate_hz": 1})
    clock = s.register_clock("c", {"type": "monotonic_clock", "unit": "ns", "monotonic": True, "scope": "device-local"})
    h = s.register_sensor_log(SensorLogSpec(sensor, clock, HeadSpec.fixed(), 1_000_000_000, 0))
    assert auki_layout.log_root(str(tmp_path), "galbot", "lidar", s.session_id) == h.root
    assert auki_layout.log_root(str(tmp_path), "galbot", "a->b") == f"{tmp_path}/logs/galbot/a->b"


def test_entry_paths_with_a_peer_are_the_newest_crates_and_where_writers_write(tmp_path):
    assert auki_layout.sensor_entry_path(APP, "galbot", "K1-AABBCCDDEEFF/head_left_cam", "e8cb3879fcfa7f716047aa0892b0c0c0") == \
        f"{APP}/registries/sensors/galbot/K1-AABBCCDDEEFF__head_left_cam/e8cb3879fcfa7f716047aa0892b0c0c0.json"
    assert auki_layout.detector_entry_path(APP, "galbot", "aukilabs/aruco/v1", "f00dcafe") == \
        f"{APP}/registries/detectors/galbot/aukilabs__aruco__v1/f00dcafe.json"
    entry = frame_ros_optical("galbot", "K1/cam_optical")
    h = write_frame(str(tmp_path), entry)
    assert Path(auki_layout.frame_entry_path(str(tmp_path), "galbot", "K1/cam_optical", h)).is_file()


def test_entry_path_with_the_wrong_number_of_arguments_is_a_type_error():
    with pytest.raises(TypeError, match="takes 3 or 4 positional arguments but 2 were given"):
        auki_layout.sensor_entry_path(APP, "x")
