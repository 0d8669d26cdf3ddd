"""Every locked wire vector of upstream auki-datatypes (reference §3.1 and §3.2), encoded and decoded
with auki_datatypes. tests/Auki.Core.Tests/Datatypes/LockedVectorTests.cs pins the same table in C#."""
import pytest

import auki_datatypes as adt

VECTORS = [
    ("camera_frame", lambda: adt.camera.CameraFrame(
        dynamic_intrinsics=adt.camera.DynamicIntrinsics(
            fx=1234.5, fy=1234.5, cx=272.0, cy=244.0, distortion_coefficients=[0.1, -0.2, 0.001, 0.002, 0.0]),
        frame=bytes([0, 1, 2, 3])),
     "0a4e0900000000004a93401100000000004a9340190000000000007140210000000000806e402a289a9999999999b93f"
     "9a9999999999c9bffca9f1d24d62503ffca9f1d24d62603f0000000000000000120400010203"),
    ("point_cloud_data", lambda: adt.point_cloud.Data(data=bytes(range(24))),
     "0a18000102030405060708090a0b0c0d0e0f1011121314151617"),
    ("audio_data", lambda: adt.audio.Data(data=bytes(i * 17 % 256 for i in range(16))),
     "0a1000112233445566778899aabbccddeeff"),
    ("spatial_transform", lambda: adt.pose.SpatialTransform(
        translation=adt.pose.Vec3(x=1.0, y=2.0, z=3.0), orientation=adt.pose.Quat(x=0.0, y=0.0, z=0.0, w=1.0)),
     "0a1b09000000000000f03f110000000000000040190000000000000840120921000000000000f03f"),
    ("time_transform_entry", lambda: adt.time_transform.TimeTransformEntry(offset_ns=1_000_000, uncertainty_ns=250),
     "08c0843d10fa01"),
    ("detection_frame", lambda: adt.detection.DetectionFrame(data=bytes(range(12))),
     "0a0c000102030405060708090a0b"),
    ("joint_encoders_data", lambda: adt.joint_encoders.Data(angles_rad=[0.0, 1.0, 2.0, 3.0, 4.0, 5.0]),
     "0a18000000000000803f0000004000004040000080400000a040"),
    ("map_update", lambda: adt.map.MapUpdate(voxel_chunks=[adt.map.VoxelChunkUpdate(
        chunk_x=-2, chunk_y=0, chunk_z=3, voxels=[adt.map.VoxelDelta(
            x=1, y=2, z=3, occupancy_delta=0.75, semantics=[adt.map.SemanticDelta(class_id=7, evidence_delta=-0.25)])])]),
     "0a1a080318062214080110021803250000403f2a07080715000080be"),
    ("typed_message", lambda: adt.message.Message(type="robot.pose", timestamp_ns=42, payload=b"\x00\xff\x7f"),
     "0a0a726f626f742e706f7365102a1a0300ff7f"),
    ("scalar_data", lambda: adt.scalar.Data(value=73.5), "090000000000605240"),
    ("time_transform_negative_offset", lambda: adt.time_transform.TimeTransformEntry(offset_ns=-42_000_000, uncertainty_ns=100),
     "0880c3fcebffffffffff011064"),
    ("stream_camera_frame_jpeg", lambda: adt.camera.CameraFrame(frame=bytes.fromhex("ffd8ffe000104a464946")),
     "120affd8ffe000104a464946"),
    ("stream_point_cloud_data", lambda: adt.point_cloud.Data(data=bytes.fromhex("424344450001feff")),
     "0a08424344450001feff"),
    ("stream_joint_encoders_data", lambda: adt.joint_encoders.Data(angles_rad=[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]),
     "0a180000803f0000004000004040000080400000a0400000c040"),
    ("stream_audio_data", lambda: adt.audio.Data(data=bytes.fromhex("0080ff7f4040c0bf")),
     "0a080080ff7f4040c0bf"),
]


@pytest.mark.parametrize("name,make,hex_", VECTORS, ids=[v[0] for v in VECTORS])
def test_encodes_to_the_locked_bytes(name, make, hex_):
    assert bytes(make()).hex() == hex_


@pytest.mark.parametrize("name,make,hex_", VECTORS, ids=[v[0] for v in VECTORS])
def test_decodes_the_locked_bytes(name, make, hex_):
    expected = make()
    decoded = type(expected)().parse(bytes.fromhex(hex_))
    assert decoded == expected
    assert bytes(decoded).hex() == hex_


def test_upstream_python_round_trips():
    # The round trips of upstream's tests/test_locked_vectors.py.
    e = adt.detection.DetectionFrame(data=b"hello")
    assert adt.detection.DetectionFrame().parse(bytes(e)).data == b"hello"
    t = adt.pose.SpatialTransform(translation=adt.pose.Vec3(x=10.0, y=-20.0, z=0.5),
                                  orientation=adt.pose.Quat(x=0.0, y=0.0, z=0.7071, w=0.7071))
    p = adt.pose.SpatialTransform().parse(bytes(t))
    assert (p.translation.x, p.translation.y, p.orientation.w) == (10.0, -20.0, 0.7071)
    m = adt.stream.StreamManifest(sensor_id="robot/head_cam", sensor_hash="sensor-hash", clock_id="robot/clock",
                                  clock_hash="clock-hash", frame_id="robot/head_cam/frame", frame_hash="frame-hash")
    assert adt.stream.StreamManifest().parse(bytes(m)) == m


def test_all_default_messages_encode_to_zero_bytes():
    for cls in _all_classes():
        assert bytes(cls()) == b"", cls


def test_negative_zero_is_omitted_like_zero():
    assert bytes(adt.scalar.Data(value=-0.0)) == b""


def _all_classes():
    from auki_datatypes._message import Message
    for module in (adt.audio, adt.camera, adt.detection, adt.joint_encoders, adt.map, adt.message,
                   adt.point_cloud, adt.pose, adt.scalar, adt.stream, adt.time_transform):
        for name in module.__all__:
            cls = getattr(module, name)
            assert issubclass(cls, Message)
            yield cls
