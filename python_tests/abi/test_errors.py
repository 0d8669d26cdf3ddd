"""Every error a user can hit through auki_session / auki_registry, with upstream's type and message.

Messages are compared exactly where upstream's text is known (compatibility reference sections 3,
5, 7.5 and 8); argument-conversion errors follow PyO3 (TypeError / OverflowError).
"""
import re
from types import SimpleNamespace

import pytest

import auki_registry
from _auki._errors import NotFoundError
from auki_session import (
    DetectionLogSpec,
    FrameDef,
    HeadSpec,
    LogRef,
    Peer,
    PoseLogSpec,
    RegistryRef,
    SensorLogHandle,
    SensorLogSpec,
    Session,
    TimeTransformLogSpec,
    catalog,
)

PEER_ID = "galbot"
APP_ID = "galbot-ctrl"
MONOTONIC = {"type": "monotonic_clock", "unit": "ns", "monotonic": True, "scope": "device-local"}


def exactly(message):
    """A pytest ``match`` pattern for the whole message."""
    return "^" + re.escape(message) + "$"


def camera_body(frame_ref, **overrides):
    body = {
        "kind": "camera", "type": "rgb", "width": 1920, "height": 1200, "frame_rate_hz": 30,
        "pixel_format": "rgb8", "color_space": "srgb", "intrinsics_model": "pinhole",
        "distortion_model": "brown_conrady",
        "frame": {"peer_id": frame_ref.peer_id, "id": frame_ref.id, "hash": frame_ref.hash},
    }
    body.update(overrides)
    return body


@pytest.fixture
def peer(tmp_path):
    return Peer(PEER_ID, APP_ID).with_storage_root(str(tmp_path))


@pytest.fixture
def frame(peer):
    return peer.register_frame("head_left_camera_optical", FrameDef.ros_optical())


@pytest.fixture
def sensor(peer, frame):
    return peer.register_sensor("head_left_rgb", camera_body(frame))


@pytest.fixture
def session(peer):
    return peer.start_session()


@pytest.fixture
def clock(session):
    return session.register_clock("session/sdk_clock", MONOTONIC)


def sensor_spec(sensor, clock, **overrides):
    args = dict(sensor=sensor, clock=clock, head=HeadSpec.rolling(5_000_000_000),
                segment_duration_ns=1_000_000_000, retention_ns=5_000_000_000)
    args.update(overrides)
    return SensorLogSpec(**args)


# ---- registry ids (section 3) ----------------------------------------------------------------------

INVALID_IDS = [
    ("", "registry id is empty"),
    ("bad>id", "registry id contains disallowed character '>'"),
    ("bad@id", "registry id contains disallowed character '@'"),
    ("foo bar", "registry id contains disallowed character ' '"),
    ("foo\tbar", "registry id contains disallowed character '\\t'"),
    ("foo\nbar", "registry id contains disallowed character '\\n'"),
    ("a>b@c", "registry id contains disallowed character '>'"),
    ("/a", 'registry id contains reserved path segment ""'),
    ("a/", 'registry id contains reserved path segment ""'),
    ("a//b", 'registry id contains reserved path segment ""'),
    ("./x", 'registry id contains reserved path segment "."'),
    ("a/../b", 'registry id contains reserved path segment ".."'),
]


@pytest.mark.parametrize("bad_id, message", INVALID_IDS)
def test_register_frame_rejects_invalid_id(peer, bad_id, message):
    with pytest.raises(ValueError, match=exactly(message)):
        peer.register_frame(bad_id, FrameDef.ros_body())


@pytest.mark.parametrize("bad_id, message", INVALID_IDS)
def test_validate_frame_id_prefixes_message(bad_id, message):
    with pytest.raises(ValueError, match=exactly("frame_id: " + message)):
        auki_registry.validate_frame_id(bad_id)


def test_register_sensor_rejects_invalid_id(peer, frame):
    with pytest.raises(ValueError, match=exactly("registry id contains disallowed character '>'")):
        peer.register_sensor("bad>id", camera_body(frame))


def test_register_sensor_parses_body_before_checking_id(peer, frame):
    with pytest.raises(ValueError, match=exactly("body: missing field `width`")):
        peer.register_sensor("bad>id", {k: v for k, v in camera_body(frame).items() if k != "width"})


def test_register_detector_rejects_invalid_id(peer):
    with pytest.raises(ValueError, match=exactly("registry id contains disallowed character '>'")):
        peer.register_detector("bad>id", {"type": "qr"}, ["qr"])


def test_register_clock_rejects_invalid_id(session):
    with pytest.raises(ValueError, match=exactly("registry id contains disallowed character '@'")):
        session.register_clock("bad@id", MONOTONIC)


@pytest.mark.parametrize("good_id", ["foo/bar", "foo_bar", "foo-bar", "a.b.c", "a/b/c", "head_left_rgb", "session/sdk_clock"])
def test_valid_ids_are_accepted(peer, good_id):
    assert peer.register_frame(good_id, FrameDef.ros_body()).id == good_id


def test_id_with_nul_cannot_cross_the_c_abi(peer):
    with pytest.raises(ValueError, match="embedded null character"):
        peer.register_frame("a\0b", FrameDef.ros_body())


# ---- bodies (section 5) ----------------------------------------------------------------------------

def test_missing_body_field(peer, frame):
    body = camera_body(frame)
    del body["width"]
    with pytest.raises(ValueError, match=exactly("body: missing field `width`")):
        peer.register_sensor("head_left_rgb", body)


def test_float_for_int_body_field(peer, frame):
    with pytest.raises(ValueError, match=exactly("body: invalid type: floating point `30.0`, expected u32")):
        peer.register_sensor("head_left_rgb", camera_body(frame, frame_rate_hz=30.0))


def test_unknown_sensor_kind(peer, frame):
    with pytest.raises(ValueError, match=exactly(
            "body: unknown variant `lidar`, expected one of `camera`, `rangefinder`, `rf`, `audio`, "
            "`joint_encoders`, `scalar`")):
        peer.register_sensor("head_left_rgb", camera_body(frame, kind="lidar"))


def test_missing_sensor_kind(peer, frame):
    body = camera_body(frame)
    del body["kind"]
    with pytest.raises(ValueError, match=exactly("body: missing field `kind`")):
        peer.register_sensor("head_left_rgb", body)


def test_unknown_clock_scope(session):
    with pytest.raises(ValueError, match=exactly(
            "body: unknown variant `planet`, expected one of `device-local`, `domain-local`, `global`")):
        session.register_clock("c", dict(MONOTONIC, scope="planet"))


def test_unknown_detector_type(peer):
    with pytest.raises(ValueError, match="^body: unknown variant `yolo`"):
        peer.register_detector("d", {"type": "yolo"}, ["x"])


def test_sensor_with_missing_frame(peer):
    body = camera_body(RegistryRef(PEER_ID, "head_left_camera_optical", "0" * 32))
    with pytest.raises(ValueError, match=exactly(
            'sensor "head_left_rgb" references missing frame ("head_left_camera_optical", '
            '"00000000000000000000000000000000")')):
        peer.register_sensor("head_left_rgb", body)


def test_raw_camera_needs_row_stride(peer, frame):
    with pytest.raises(ValueError, match=exactly("invalid image layout: raw images require a positive row_stride_bytes")):
        peer.register_sensor("cam", camera_body(frame, image_encoding="raw", row_stride_bytes=0))


def test_compressed_camera_has_no_row_stride(peer, frame):
    with pytest.raises(ValueError, match=exactly(
            "invalid image layout: compressed images must set row_stride_bytes to zero")):
        peer.register_sensor("cam", camera_body(frame, image_encoding="jpeg", row_stride_bytes=640))


def test_registry_ref_nested_in_body_is_not_json(peer, frame):
    with pytest.raises(TypeError, match="not JSON serializable"):
        peer.register_sensor("head_left_rgb", camera_body(frame, frame=frame))


def test_non_orthogonal_custom_frame():
    with pytest.raises(ValueError, match=exactly(
            "invalid axes: axes must be orthogonal (drawn from three distinct axis-pairs); "
            "got x=Forward y=Backward z=Up")):
        FrameDef.custom("right", "forward", "backward", "up", "meters")


def test_custom_frame_unknown_enum_names_the_field():
    with pytest.raises(ValueError, match="^handedness: unknown variant `sideways`"):
        FrameDef.custom("sideways", "forward", "left", "up", "meters")


def test_custom_frame_registers_like_a_preset(peer):
    custom = peer.register_frame("x", FrameDef.custom("right", "forward", "left", "up", "meters"))
    preset = peer.register_frame("x", FrameDef.ros_body())
    assert custom.hash == preset.hash
    assert repr(FrameDef.custom("right", "forward", "left", "up", "meters")) == (
        'FrameDef.custom(handedness="right", x="forward", y="left", z="up", units="meters")')


# ---- logs (section 8) ------------------------------------------------------------------------------

def test_duplicate_log_message(session, sensor, clock):
    session.register_sensor_log(sensor_spec(sensor, clock))
    with pytest.raises(ValueError, match=exactly("duplicate log galbot/head_left_rgb")):
        session.register_sensor_log(sensor_spec(sensor, clock))


def test_unregistered_sensor_message(session, clock):
    ghost = RegistryRef(PEER_ID, "ghost_cam", "0" * 32)
    with pytest.raises(ValueError, match=exactly("duplicate log galbot/sensor not registered: ghost_cam")):
        session.register_sensor_log(sensor_spec(ghost, clock))


def test_sensor_registered_on_another_peer_object_is_unknown(tmp_path, sensor):
    other = Peer(PEER_ID, APP_ID).with_storage_root(str(tmp_path)).start_session()
    clock = other.register_clock("c", MONOTONIC)
    with pytest.raises(ValueError, match=exactly("duplicate log galbot/sensor not registered: head_left_rgb")):
        other.register_sensor_log(sensor_spec(sensor, clock))


def test_writer_mode_unknown_variant(frame, clock):
    with pytest.raises(ValueError, match=exactly("writer_mode: unknown variant `x`, expected `rigid` or `movable`")):
        PoseLogSpec(frame, frame, clock, {"kind": "manual"}, "x", 30, HeadSpec.fixed(), 1, 1)


def test_pose_source_unknown_variant(frame, clock):
    with pytest.raises(ValueError, match=exactly("source: unknown variant `gps`, expected `ros2_tf` or `manual`")):
        PoseLogSpec(frame, frame, clock, {"kind": "gps"}, "rigid", 30, HeadSpec.fixed(), 1, 1)


def test_pose_source_missing_publishers(frame, clock):
    with pytest.raises(ValueError, match=exactly("source: missing field `publishers`")):
        PoseLogSpec(frame, frame, clock, {"kind": "ros2_tf"}, "rigid", 30, HeadSpec.fixed(), 1, 1)


def test_time_transform_source_unknown_variant(clock):
    with pytest.raises(ValueError, match=exactly("source: unknown variant `ntp`, expected `local_clock_read`")):
        TimeTransformLogSpec(clock, clock, {"kind": "ntp"}, HeadSpec.fixed(), 1, 1)


def test_cadence_unknown_variant(sensor, clock):
    with pytest.raises(ValueError, match=exactly("cadence: unknown variant `sometimes`, expected `every_frame` or `periodic`")):
        DetectionLogSpec("yolo", sensor, LogRef(PEER_ID, "head_left_rgb"), sensor, clock, {"kind": "sometimes"},
                         HeadSpec.fixed(), 1, 1)


def test_detection_manifest_validation(session, sensor, clock):
    spec = DetectionLogSpec("", sensor, LogRef(PEER_ID, "head_left_rgb"), sensor, clock, {"kind": "every_frame"},
                            HeadSpec.fixed(), 1, 1)
    with pytest.raises(ValueError, match=exactly("invalid manifest field `instance_id`: must not be empty")):
        session.register_detection_log(spec)
    spec = DetectionLogSpec("yolo", sensor, LogRef(PEER_ID, "head_left_rgb"), sensor, clock, {"kind": "every_frame"},
                            HeadSpec.fixed(), 0, 1)
    with pytest.raises(ValueError, match=exactly("invalid manifest field `segment_duration_ns`: must be greater than zero")):
        session.register_detection_log(spec)


def test_detection_instance_id_cannot_leave_logs_dir(session, sensor, clock):
    spec = DetectionLogSpec("../escape", sensor, LogRef(PEER_ID, "head_left_rgb"), sensor, clock,
                            {"kind": "every_frame"}, HeadSpec.fixed(), 1, 1)
    with pytest.raises(ValueError, match="instance_id"):
        session.register_detection_log(spec)


# ---- argument conversion (PyO3 rules) --------------------------------------------------------------

@pytest.mark.parametrize("field", ["segment_duration_ns", "retention_ns"])
def test_negative_duration_is_overflow(sensor, clock, field):
    with pytest.raises(OverflowError, match=exactly("can't convert negative int to unsigned")):
        sensor_spec(sensor, clock, **{field: -1})


def test_duration_beyond_u64_is_overflow(sensor, clock):
    with pytest.raises(OverflowError):
        sensor_spec(sensor, clock, retention_ns=2 ** 64)


@pytest.mark.parametrize("field", ["segment_duration_ns", "retention_ns"])
def test_float_duration_is_type_error(sensor, clock, field):
    with pytest.raises(TypeError, match=exactly(f"argument '{field}': 'float' object cannot be interpreted as an integer")):
        sensor_spec(sensor, clock, **{field: 1e9})


def test_negative_expected_rate_is_overflow(frame, clock):
    with pytest.raises(OverflowError):
        PoseLogSpec(frame, frame, clock, {"kind": "manual"}, "rigid", -1, HeadSpec.fixed(), 1, 1)
    with pytest.raises(OverflowError, match=exactly("out of range integral type conversion attempted")):
        PoseLogSpec(frame, frame, clock, {"kind": "manual"}, "rigid", 2 ** 32, HeadSpec.fixed(), 1, 1)


def test_materialize_negative_retention_is_overflow(session):
    with pytest.raises(OverflowError):
        session.materialize_remote_log(LogRef("galbot", "x"), retention_ns=-1, segment_duration_ns=1)


def test_materialize_durations_are_keyword_only(session):
    with pytest.raises(TypeError):
        session.materialize_remote_log(LogRef("galbot", "x"), 1, 1)


def test_head_spec_rolling_range():
    assert repr(HeadSpec.rolling(-5)) == "HeadSpec.rolling(-5)"  # i64, as upstream
    with pytest.raises(OverflowError):
        HeadSpec.rolling(2 ** 63)
    with pytest.raises(TypeError):
        HeadSpec.rolling("5")


def test_head_must_be_head_spec(sensor, clock):
    with pytest.raises(TypeError, match=exactly("argument 'head': 'dict' object cannot be converted to 'HeadSpec'")):
        sensor_spec(sensor, clock, head={"kind": "fixed"})


def test_writer_mode_must_be_str(frame, clock):
    with pytest.raises(TypeError, match="^argument 'writer_mode'"):
        PoseLogSpec(frame, frame, clock, {"kind": "manual"}, 1, 30, HeadSpec.fixed(), 1, 1)


def test_frame_def_must_be_frame_def(peer):
    with pytest.raises(TypeError, match=exactly("argument 'frame_def': 'str' object cannot be converted to 'FrameDef'")):
        peer.register_frame("x", "ros_body")


def test_peer_ids_must_be_str():
    with pytest.raises(TypeError, match=exactly("argument 'peer_id': 'int' object cannot be converted to 'PyString'")):
        Peer(1, APP_ID)
    with pytest.raises(TypeError):
        Session(PEER_ID, None)


def test_storage_root_must_be_path(peer):
    with pytest.raises(TypeError):
        peer.with_storage_root(42)


def test_output_types_must_be_list_of_str(peer):
    with pytest.raises(TypeError):
        peer.register_detector("d", {"type": "qr"}, "qr")
    with pytest.raises(TypeError):
        peer.register_detector("d", {"type": "qr"}, [1])


def test_spec_must_match_the_method(session, sensor, clock):
    with pytest.raises(TypeError, match="^argument 'spec'"):
        session.register_pose_log(sensor_spec(sensor, clock))


def test_ref_dict_missing_key_is_key_error(clock):
    with pytest.raises(KeyError):
        SensorLogSpec({"peer_id": PEER_ID, "id": "head_left_rgb"}, clock, HeadSpec.fixed(), 1, 1)


def test_ref_field_of_wrong_type_is_type_error(clock):
    with pytest.raises(TypeError, match=exactly("'int' object cannot be converted to 'PyString'")):
        SensorLogSpec({"peer_id": PEER_ID, "id": 7, "hash": "h"}, clock, HeadSpec.fixed(), 1, 1)


def test_ref_not_subscriptable_is_type_error(clock):
    with pytest.raises(TypeError):
        SensorLogSpec(42, clock, HeadSpec.fixed(), 1, 1)


def test_duck_typed_refs_are_accepted(session, sensor, clock):
    duck = SimpleNamespace(peer_id=sensor.peer_id, id=sensor.id, hash=sensor.hash)
    assert session.register_sensor_log(sensor_spec(duck, dict(peer_id=clock.peer_id, id=clock.id, hash=clock.hash))).resource_id == "head_left_rgb"


def test_ref_attributes_are_type_checked():
    ref = RegistryRef("a", "b", "c")
    with pytest.raises(TypeError):
        ref.hash = 5
    with pytest.raises(TypeError):
        del ref.id
    with pytest.raises(TypeError, match=exactly("argument 'resource_id': 'NoneType' object cannot be converted to 'PyString'")):
        LogRef("a", None)
    ref.hash = "d"
    assert ref.hash == "d"


def test_refs_compare_by_identity():
    a, b = RegistryRef("p", "i", "h"), RegistryRef("p", "i", "h")
    assert a != b
    assert a == a
    assert len({a, b}) == 2


def test_ref_repr_uses_rust_debug_escapes():
    assert repr(RegistryRef("galbot", "head_left_rgb", "abc123")) == (
        'RegistryRef(peer_id="galbot", id="head_left_rgb", hash="abc123")')
    assert repr(LogRef("galbot", "head_left_rgb")) == 'LogRef(source_peer_id="galbot", resource_id="head_left_rgb")'
    assert repr(LogRef('a"b\\c', "x\ty\n\0\x01\u00e9")) == (
        'LogRef(source_peer_id="a\\"b\\\\c", resource_id="x\\ty\\n\\0\\u{1}\u00e9")')


def test_no_constructor_for_opaque_classes():
    for cls in (FrameDef, HeadSpec, SensorLogHandle):
        with pytest.raises(TypeError, match=exactly("No constructor defined")):
            cls()


def test_not_found_error_is_a_key_error_with_a_plain_message():
    e = NotFoundError("no log named x")
    assert isinstance(e, KeyError)
    assert str(e) == "no log named x"


# ---- upstream stubs --------------------------------------------------------------------------------

# Without a joined domain the stubs keep upstream's text and say what to do.
JOIN_HINT = "; join a domain first (auki_domain.Domain.join or Session.join_domain with a broker)"

def test_materialize_message(session):
    with pytest.raises(NotImplementedError, match=exactly(
            "not implemented: full materialization deferred to Phase 5 (open remote stream, ingest samples)" + JOIN_HINT)):
        session.materialize_remote_log(LogRef("galbot", "x"), retention_ns=1, segment_duration_ns=1)


def test_resolve_static_transform_message(session):
    with pytest.raises(NotImplementedError, match=exactly(
            "not implemented: resolve_static_transform deferred to Phase 5 (requires remote stream path)" + JOIN_HINT)):
        session.resolve_static_transform(LogRef("park", "world->base_link"))


def test_join_and_leave_domain_messages():
    s = Session(PEER_ID, APP_ID)
    with pytest.raises(NotImplementedError, match=exactly(
            "join_domain is not yet supported from Python: requires a pre-built libp2p swarm (DomainConfig). "
            "Use the Rust API or wait for a future Python binding.")):
        s.join_domain({})
    with pytest.raises(NotImplementedError, match=exactly(
            "leave_domain is not yet supported from Python: requires an active libp2p ClusterManager. "
            "Use the Rust API or wait for a future Python binding.")):
        s.leave_domain()


@pytest.mark.parametrize("name", ["catalog", "join_domain", "leave_domain", "with_storage_root",
                                  "register_sensor", "register_frame", "register_detector"])
def test_era_a_methods_do_not_exist_on_peer_born_sessions(session, name):
    assert not hasattr(session, name)
    with pytest.raises(AttributeError, match=f"'Session' object has no attribute '{name}'"):
        getattr(session, name)


def test_catalog_function_checks_its_arguments(peer, session):
    assert catalog(peer, session) == []
    with pytest.raises(TypeError):
        catalog(session, peer)
    with pytest.raises(ValueError):
        catalog(Peer("park", APP_ID), session)


# ---- I/O ---------------------------------------------------------------------------------------------

def test_registry_io_failure_is_value_error_through_a_peer(tmp_path):
    blocker = tmp_path / "not-a-dir"
    blocker.write_bytes(b"")
    p = Peer(PEER_ID, APP_ID).with_storage_root(str(blocker))
    with pytest.raises(ValueError, match="^io: "):
        p.register_frame("a", FrameDef.ros_body())


def test_start_session_io_failure_is_os_error(tmp_path):
    blocker = tmp_path / "not-a-dir"
    blocker.write_bytes(b"")
    with pytest.raises(OSError):
        Peer(PEER_ID, APP_ID).with_storage_root(str(blocker)).start_session()


def test_registry_module_io_failure_is_os_error(tmp_path):
    blocker = tmp_path / "not-a-dir"
    blocker.write_bytes(b"")
    with pytest.raises(OSError):
        auki_registry.write_frame(str(blocker), auki_registry.frame_ros_body(PEER_ID, "a"))


def test_manifest_write_failure_is_os_error(tmp_path):
    s = Session(PEER_ID, APP_ID).with_storage_root(str(tmp_path))
    clock = s.register_clock("c", MONOTONIC)
    (tmp_path / "logs" / PEER_ID).mkdir(parents=True)
    (tmp_path / "logs" / PEER_ID / "c->c").write_bytes(b"")  # a file where the log directory goes
    with pytest.raises(OSError):
        s.register_time_transform_log(TimeTransformLogSpec(clock, clock, {"kind": "local_clock_read"},
                                                           HeadSpec.fixed(), 1, 1))


# ---- closed handles ----------------------------------------------------------------------------------

def test_closed_peer_raises(peer):
    peer.close()
    assert peer.closed
    with pytest.raises(RuntimeError, match=exactly("Peer has been closed")):
        peer.register_frame("a", FrameDef.ros_body())
    with pytest.raises(RuntimeError, match="closed"):
        peer.start_session()
    with pytest.raises(RuntimeError, match="closed"):
        peer.storage_root
    peer.close()  # closing twice is a no-op


def test_session_outlives_its_peer_object(tmp_path, peer):
    session = peer.start_session()
    peer.close()
    assert session.peer_id == PEER_ID
    assert session.storage_root == str(tmp_path)
    assert session.register_clock("c", MONOTONIC).peer_id == PEER_ID


def test_closed_session_raises(session, sensor, clock):
    spec = sensor_spec(sensor, clock)
    session.close()
    with pytest.raises(RuntimeError, match=exactly("Session has been closed")):
        session.register_sensor_log(spec)
    assert len(session.session_id) == 26 and session.peer_id == PEER_ID  # identity outlives close
    with pytest.raises(RuntimeError, match="closed"):
        session.storage_root
    with pytest.raises(RuntimeError, match="closed"):
        session.register_clock("c2", MONOTONIC)


def test_closed_log_handle_raises(session, sensor, clock):
    with session.register_sensor_log(sensor_spec(sensor, clock)) as handle:
        assert handle.resource_id == "head_left_rgb"
    assert handle.closed
    # Identity stays readable, as a closed file keeps its name; data calls raise.
    assert (handle.resource_id, handle.log_ref.resource_id) == ("head_left_rgb", "head_left_rgb")
    assert handle.root.endswith("head_left_rgb")
    for call in (handle.read, handle.flush, lambda: handle.append(1, b"x")):
        with pytest.raises(RuntimeError, match=exactly("SensorLogHandle has been closed")):
            call()


def test_context_managers_close(tmp_path):
    with Peer(PEER_ID, APP_ID).with_storage_root(str(tmp_path)) as p:
        with p.start_session() as s:
            pass
    assert p.closed and s.closed
    with Session(PEER_ID, APP_ID) as era_a:
        assert len(era_a.session_id) == 26
    assert era_a.closed


# ---- bytes on disk -------------------------------------------------------------------------------------

def test_sensor_origin_manifest_is_byte_identical(tmp_path, locked):
    s = Session("galbot", "galbot-control-plane").with_storage_root(str(tmp_path))
    frame = s.register_frame("head_left_camera_optical", FrameDef.ros_optical())
    sensor = s.register_sensor("head_left_rgb", camera_body(frame))
    clock = s.register_clock("session/sdk_clock", {"type": "monotonic_clock", "unit": "nanoseconds",
                                                   "monotonic": True, "scope": "device-local"})
    handle = s.register_sensor_log(SensorLogSpec(sensor, clock, HeadSpec.rolling(5_000_000_000),
                                                 1_000_000_000, 5_000_000_000, frame=frame))
    path = tmp_path / "logs" / "galbot" / "head_left_rgb" / "manifest.json"
    assert handle.root == str(tmp_path / "logs" / "galbot" / "head_left_rgb")
    written = path.read_bytes().decode("utf-8")
    expected = locked("manifest_sensor_origin.json").replace("01HV-galbot-session", s.session_id)
    assert written == expected
