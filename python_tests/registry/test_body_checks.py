"""Sensor bodies are checked (issue 11 item 5): errors name their field, input upstream silently
ignores is accepted with an identical hash but told through ``warnings``, and a raw camera row
shorter than its pixels is refused."""
import re
import warnings

import pytest

import auki_registry
from auki_session import FrameDef, Peer

PEER_ID = "galbot"


def exactly(message):
    return "^" + re.escape(message) + "$"


@pytest.fixture
def peer(tmp_path):
    return Peer(PEER_ID, "app").with_storage_root(str(tmp_path))


@pytest.fixture
def frame(peer):
    return peer.register_frame("head_left_camera_optical", FrameDef.ros_optical())


def camera(frame, **overrides):
    body = {
        "kind": "camera", "type": "rgb", "width": 640, "height": 480, "frame_rate_hz": 30,
        "image_encoding": "raw", "pixel_format": "rgb8", "row_stride_bytes": 1920,
        "color_space": "srgb", "intrinsics_model": "pinhole", "distortion_model": "plumb_bob",
        "calibration": {"fx": 500.0, "fy": 500.0, "cx": 320.0, "cy": 240.0},
        "frame": {"peer_id": frame.peer_id, "id": frame.id, "hash": frame.hash},
    }
    body.update(overrides)
    return body


def test_type_error_keeps_upstream_text_and_names_the_field(peer, frame):
    with pytest.raises(ValueError, match=exactly('body: invalid type: string "640", expected u32')) as e:
        peer.register_sensor("cam", camera(frame, width="640"))
    assert e.value.field == "body.width"
    assert "field: body.width" in e.value.__notes__


def test_nested_type_error_names_the_whole_path(peer, frame):
    with pytest.raises(ValueError, match=exactly('body: invalid type: string "x", expected f64')) as e:
        peer.register_sensor("cam", camera(frame, calibration={"fx": "x", "fy": 1.0, "cx": 0.0, "cy": 0.0}))
    assert e.value.field == "body.calibration.fx"


def test_errors_without_a_field_have_none(peer):
    with pytest.raises(ValueError) as e:
        peer.register_sensor("bad>id", {"kind": "scalar", "type": "v", "unit": "V", "expected_rate_hz": 1})
    assert e.value.field is None


def test_misspelled_calibration_warns_and_hashes_like_no_calibration(peer, frame):
    without = camera(frame)
    calibration = without.pop("calibration")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the correct body must not warn
        expected = peer.register_sensor("cam", without)
    with pytest.warns(UserWarning, match=r"^body: unknown field `calibraton` ignored .*`calibration`"):
        typo = peer.register_sensor("cam", dict(without, calibraton=calibration))
    assert typo.hash == expected.hash


def test_unknown_key_in_calibration_warns(peer, frame):
    with pytest.warns(UserWarning, match=r"^body\.calibration: unknown field `k1` ignored"):
        peer.register_sensor("cam", camera(frame, calibration={"fx": 1.0, "fy": 1.0, "cx": 0.0, "cy": 0.0, "k1": 0.1}))


def test_unknown_pixel_format_warns_and_is_accepted(peer, frame):
    with pytest.warns(UserWarning, match=r'^body\.pixel_format: unknown pixel format "rgb_eight" accepted'):
        ref = peer.register_sensor("cam", camera(frame, pixel_format="rgb_eight"))
    assert len(ref.hash) == 32


def test_upstream_planar_format_does_not_warn(peer, frame):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        peer.register_sensor("cam", camera(frame, pixel_format="YUV_NV12", row_stride_bytes=640))


def test_raw_row_stride_shorter_than_a_row_is_refused_with_both_numbers(peer, frame, tmp_path):
    with pytest.raises(ValueError, match=exactly(
            "invalid image layout: row_stride_bytes 5 is smaller than one row of 640 rgb8 pixels (640 × 3 = 1920 bytes)")) as e:
        peer.register_sensor("cam", camera(frame, row_stride_bytes=5))
    assert e.value.field == "body.row_stride_bytes"
    assert not (tmp_path / "registries" / "sensors").exists()


def test_padded_row_stride_is_accepted(peer, frame):
    assert peer.register_sensor("cam", camera(frame, row_stride_bytes=2048)).id == "cam"


def test_entry_helpers_warn_on_unknown_keys_too():
    entry = auki_registry.scalar_sensor_entry(PEER_ID, "battery", "battery_charge", "%", 1)
    with pytest.warns(UserWarning, match=r"^sensor entry: unknown field `units` ignored"):
        assert auki_registry.hash_sensor(dict(entry, units="V")) == auki_registry.hash_sensor(entry)
