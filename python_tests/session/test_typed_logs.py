"""Typed payloads (issue 11): pose logs carry upstream's SpatialTransform, handles take and give
auki_datatypes messages, camera frames become numpy views, typed appends are checked."""

import pytest

import auki_datatypes as adt
from auki_datatypes.pose import Quat, SpatialTransform, Vec3
from auki_domain import Domain, DomainConfig
from auki_session import FrameDef, HeadSpec, LogRef, Peer, PoseLogSpec, SensorLogSpec, decode_pose, encode_pose
from domain.support import Broker, wait_until

T = SpatialTransform(translation=Vec3(1.5, -2.0, 3.25), orientation=Quat(0.0, 0.0, 0.7071067811865476, 0.7071067811865476))
LOCKED_POSE = "0a1b09000000000000f03f110000000000000040190000000000000840120921000000000000f03f"


def _session(root, peer_id="galbot"):
    peer = Peer(peer_id, f"{peer_id}-app").with_storage_root(str(root))
    return peer, peer.start_session()


def _clock(session):
    return session.register_clock("session/sdk_clock", {"type": "monotonic_clock", "unit": "ns", "monotonic": True,
                                                        "scope": "device-local"})


def _pose_log(peer, session):
    world = peer.register_frame("world", FrameDef.ros_body())
    head = peer.register_frame("head", FrameDef.ros_body())
    return session.register_pose_log(PoseLogSpec(world, head, _clock(session), {"kind": "manual"}, "rigid", 0,
                                                 HeadSpec.fixed(), 1_000_000_000, 0))


def _camera_log(peer, session, width=4, height=2, pixel_format="rgb8", stride=None):
    frame = peer.register_frame("cam_optical", FrameDef.ros_optical())
    sensor = peer.register_sensor("cam", {
        "kind": "camera", "type": "rgb", "width": width, "height": height, "frame_rate_hz": 30,
        "image_encoding": "raw", "row_stride_bytes": stride or width * 3, "pixel_format": pixel_format,
        "color_space": "srgb", "intrinsics_model": "pinhole", "distortion_model": "none",
        "frame": {"peer_id": frame.peer_id, "id": frame.id, "hash": frame.hash}})
    return session.register_sensor_log(SensorLogSpec(sensor, _clock(session), frame=frame, head=HeadSpec.rolling(0),
                                                     segment_duration_ns=1_000_000_000, retention_ns=0))


def test_pose_payloads_are_upstreams_spatial_transform_bytes():
    assert encode_pose((1, 2, 3), (0, 0, 0, 1)).hex() == LOCKED_POSE
    assert decode_pose(bytes.fromhex(LOCKED_POSE)) == SpatialTransform(Vec3(1.0, 2.0, 3.0), Quat(0.0, 0.0, 0.0, 1.0))


def test_the_retired_56_byte_pose_is_refused_with_a_hint():
    with pytest.raises(ValueError, match="retired seven-f64 pose format"):
        decode_pose(bytes(56))


def test_a_pose_written_through_auki_datatypes_resolves_in_one_process(tmp_path):
    peer, session = _session(tmp_path)
    with _pose_log(peer, session) as log:
        assert log.payload_type is SpatialTransform
        log.append(0, T)
    got = session.resolve_static_transform(LogRef("galbot", "world->head"))
    assert type(got) is SpatialTransform and got == T
    assert bytes(got) == bytes(T)


def test_a_pose_written_through_auki_datatypes_resolves_through_a_materialization(tmp_path):
    broker = Broker()
    try:
        owner_peer, owner = _session(tmp_path / "galbot")
        with Domain.join(owner_peer, owner, DomainConfig("typed", broker=broker.url)) as owner_domain:
            with _pose_log(owner_peer, owner) as log:
                log.append(0, T)
            owner_domain.refresh_catalog() if hasattr(owner_domain, "refresh_catalog") else None
            peer, session = _session(tmp_path / "obs", "obs")
            with Domain.join(peer, session, DomainConfig("typed", broker=broker.url)):
                ref = LogRef("galbot", "world->head")

                def materialized():
                    try:
                        return session.materialize_remote_log(ref, retention_ns=0, segment_duration_ns=1_000_000_000)
                    except (KeyError, ValueError):
                        return None
                copy = wait_until(materialized, what="pose log advertised")
                assert copy.payload_type is SpatialTransform
                wait_until(lambda: [m for _, m in copy.messages()] == [T] or None, what="pose copied")
                assert session.resolve_static_transform(ref) == T
    finally:
        broker.close()


def test_messages_round_trip_through_a_handle(tmp_path):
    peer, session = _session(tmp_path)
    log = _camera_log(peer, session)
    assert log.payload_type is adt.camera.CameraFrame
    frames = [adt.camera.CameraFrame(frame=bytes(range(i, i + 24))) for i in range(3)]
    for i, f in enumerate(frames):
        log.append(i, f)
    log.append(3, bytes(frames[0]))  # bytes still go in unchanged
    log.flush()
    assert [ts for ts, _ in log.messages()] == [0, 1, 2, 3]
    assert [m for _, m in log.read(0, 2, decode=True)] == frames
    assert [e.payload for e in log.read()][3] == bytes(frames[0])


def test_a_typed_append_of_the_wrong_message_type_is_a_type_error(tmp_path):
    peer, session = _session(tmp_path)
    log = _camera_log(peer, session)
    with pytest.raises(TypeError, match="payload: expected auki.camera.CameraFrame, got auki.pose.SpatialTransform"):
        log.append(0, T)


def test_a_raw_frame_of_the_wrong_size_is_refused_with_both_numbers(tmp_path):
    peer, session = _session(tmp_path)
    log = _camera_log(peer, session, width=640, height=480)
    with pytest.raises(ValueError, match=r"frame: 100 bytes, expected 921600 \(height 480 × row_stride_bytes 1920"):
        log.append(0, adt.camera.CameraFrame(frame=bytes(100)))
    log.flush()
    assert list(log.read()) == []


def test_an_nv12_frame_holds_its_chroma_plane_too(tmp_path):
    # Upstream's own M1 camera is YUV_NV12 with row_stride_bytes = width: a frame is height rows of
    # luma and height/2 rows of interleaved chroma.
    peer, session = _session(tmp_path)
    log = _camera_log(peer, session, width=544, height=488, pixel_format="YUV_NV12", stride=544)
    log.append(0, adt.camera.CameraFrame(frame=bytes(544 * 488 * 3 // 2)))
    with pytest.raises(ValueError, match=r"expected 398208 \(height 488 × 3/2 rows for YUV_NV12's chroma plane"):
        log.append(1, adt.camera.CameraFrame(frame=bytes(544 * 488)))
    log.flush()
    assert [e.timestamp_ns for e in log.read()] == [0]


def test_a_camera_log_decodes_into_a_numpy_view(tmp_path):
    np = pytest.importorskip("numpy")
    peer, session = _session(tmp_path)
    log = _camera_log(peer, session, width=4, height=2, stride=16)  # 4 bytes of row padding
    rows = bytes(range(12)) + b"\xee" * 4 + bytes(range(100, 112)) + b"\xee" * 4
    log.append(7, adt.camera.CameraFrame(frame=rows))
    log.flush()
    (ts, frame), = log.messages()
    image = frame.to_numpy(log.frame_layout)
    assert ts == 7 and image.shape == (2, 4, 3) and image.dtype == np.uint8
    assert image[1, 0].tolist() == [100, 101, 102] and image[0, 3].tolist() == [9, 10, 11]
    assert np.shares_memory(image, np.frombuffer(frame.frame, np.uint8))  # a view, not a copy
