"""auki_datatypes behaves as upstream's betterproto 1.2.5 package does (reference §4)."""
import copy
import json

import pytest

import auki_datatypes as adt
from auki_datatypes import pose, stream


def test_the_modules_upstream_exposes():
    for name in ("audio", "camera", "detection", "joint_encoders", "point_cloud", "pose", "stream",
                 "time_transform", "map", "message", "scalar"):
        assert hasattr(adt, name), name
    import auki_datatypes.camera
    from auki_datatypes.auki.pose import SpatialTransform  # betterproto's real module path
    assert auki_datatypes.camera.CameraFrame is adt.camera.CameraFrame
    assert SpatialTransform is pose.SpatialTransform


def test_era_a_names_are_aliases():
    assert adt.camera.PinholeCameraLogEntry is adt.camera.CameraFrame
    assert adt.point_cloud.PointCloudLogEntry is adt.point_cloud.Data
    assert adt.audio.AudioLogEntry is adt.audio.Data
    assert adt.detection.DetectionLogEntry is adt.detection.DetectionFrame
    assert adt.joint_encoders.JointEncodersLogEntry is adt.joint_encoders.Data
    assert adt.joint_encoders_stream.JointEncodersFrame is adt.joint_encoders.Data
    assert adt.audio_stream.AudioFrame is adt.audio.Data


def test_defaults_are_proto3_zeros_and_empty_message_instances():
    t = pose.SpatialTransform()
    assert t.translation == pose.Vec3() and t.translation is not None
    assert t.orientation.w == 0.0  # upstream's default, not 1
    assert adt.camera.DynamicIntrinsics().distortion_coefficients == []
    assert adt.camera.DynamicIntrinsics().distortion_coefficients is not adt.camera.DynamicIntrinsics().distortion_coefficients
    assert adt.detection.DetectionFrame() == adt.detection.DetectionFrame(data=b"", sensor_hash="", type="")


def test_positional_construction_in_field_order():
    assert pose.Vec3(1.0, 2.0, 3.0) == pose.Vec3(x=1.0, y=2.0, z=3.0)
    with pytest.raises(TypeError, match="unexpected keyword argument 'q'"):
        pose.Vec3(q=1.0)
    with pytest.raises(TypeError):
        pose.Vec3(1.0, 2.0, 3.0, 4.0)


def test_reprs_are_dataclass_reprs():
    assert repr(adt.detection.DetectionFrame(data=b"hello")) == "DetectionFrame(data=b'hello', sensor_hash='', type='')"
    assert repr(pose.SpatialTransform()) == ("SpatialTransform(translation=Vec3(x=0.0, y=0.0, z=0.0), "
                                             "orientation=Quat(x=0.0, y=0.0, z=0.0, w=0.0))")


def test_a_large_frame_repr_is_summarised():
    r = repr(adt.camera.CameraFrame(frame=bytes(6_912_000)))
    assert "<6912000 bytes: 00000000" in r and len(r) < 200


def test_value_equality_ignores_presence():
    assert pose.Vec3(x=0.0) == pose.Vec3()
    assert pose.Vec3(x=1.0) != pose.Vec3(x=2.0)
    assert pose.Vec3() != pose.Quat()


def test_presence_decides_whether_an_empty_sub_message_is_sent():
    assert bytes(pose.SpatialTransform(translation=pose.Vec3())) == b""
    assert bytes(pose.SpatialTransform(translation=pose.Vec3(x=0.0))).hex() == "0a00"
    t = pose.SpatialTransform()
    t.translation.x = 0.0  # assignment marks the sub-message set
    assert bytes(t).hex() == "0a00"
    assert adt.serialized_on_wire(pose.Vec3().parse(b""))
    assert not adt.serialized_on_wire(pose.Vec3())


def test_parse_returns_the_same_instance_and_fromstring_works():
    v = pose.Vec3()
    assert v.parse(bytes(pose.Vec3(x=1.5))) is v and v.x == 1.5
    assert pose.Vec3.FromString(bytes(pose.Vec3(y=2.0))).y == 2.0
    assert pose.Vec3(z=1.0).SerializeToString() == bytes(pose.Vec3(z=1.0))


def test_parse_accepts_bytearray_and_memoryview():
    data = bytes(adt.camera.CameraFrame(frame=b"abc"))
    assert adt.camera.CameraFrame().parse(bytearray(data)).frame == b"abc"
    assert adt.camera.CameraFrame().parse(memoryview(data)).frame == b"abc"


def test_frame_may_be_any_buffer():
    raw = bytearray(range(256)) * 3
    assert bytes(adt.camera.CameraFrame(frame=memoryview(raw))) == bytes(adt.camera.CameraFrame(frame=bytes(raw)))
    wide = memoryview(bytes(range(8))).cast("H")  # 4 uint16: counted in bytes
    assert bytes(adt.camera.CameraFrame(frame=wide)) == bytes(adt.camera.CameraFrame(frame=bytes(range(8))))


def test_float_fields_round_to_f32_on_decode():
    d = adt.joint_encoders.Data().parse(bytes(adt.joint_encoders.Data(angles_rad=[0.1])))
    assert d.angles_rad == [0.10000000149011612]


def test_unknown_fields_are_kept_and_reemitted():
    data = bytes.fromhex("08c0843d10fa01" + "4801")
    e = adt.time_transform.TimeTransformEntry().parse(data)
    assert e.offset_ns == 1_000_000 and bytes(e) == data


def test_unpacked_repeated_scalars_decode_too():
    # Two unpacked float elements (key 0d): readers must accept both forms.
    d = adt.joint_encoders.Data().parse(bytes.fromhex("0d0000803f" "0d00000040"))
    assert d.angles_rad == [1.0, 2.0]


def test_oneof_selects_one_member_and_sends_it_even_when_empty():
    m = stream.StreamMessage(entry=stream.StreamEntry(timestamp_ns=5))
    assert adt.which_one_of(m, "variant")[0] == "entry"
    m.end_of_stream = stream.EndReason(source_ended=stream.EndReasonSourceEnded())
    assert adt.which_one_of(m, "variant") == ("end_of_stream", m.end_of_stream)
    assert m.entry == stream.StreamEntry()
    assert bytes(m).hex() == "2a020a00"
    assert adt.which_one_of(stream.StreamMessage(), "variant") == ("", None)
    r = stream.StreamRequest(resource_id="cam", latest=stream.ReadFromLatest())
    assert bytes(r).hex() == "12036361" "6d2200"
    parsed = stream.StreamRequest().parse(bytes(r))
    assert adt.which_one_of(parsed, "read_from")[0] == "latest"


def test_to_dict_follows_betterproto():
    e = adt.time_transform.TimeTransformEntry(offset_ns=-5, uncertainty_ns=7)
    assert e.to_dict() == {"offsetNs": "-5", "uncertaintyNs": 7}
    assert adt.detection.DetectionFrame(data=b"\x00\xff").to_dict() == {"data": "AP8="}
    assert pose.SpatialTransform(translation=pose.Vec3(x=1.0)).to_dict() == {"translation": {"x": 1.0}}
    assert pose.Vec3().to_dict(include_default_values=True) == {"x": 0.0, "y": 0.0, "z": 0.0}
    assert e.to_dict(casing=adt.Casing.SNAKE) == {"offset_ns": "-5", "uncertainty_ns": 7}
    assert json.loads(e.to_json()) == e.to_dict()


def test_from_dict_accepts_camel_and_snake_keys():
    e = adt.time_transform.TimeTransformEntry().from_dict({"offsetNs": "-5", "uncertainty_ns": 7, "unknown": 1})
    assert e == adt.time_transform.TimeTransformEntry(offset_ns=-5, uncertainty_ns=7)
    c = adt.camera.CameraFrame().from_json('{"frame": "AAE=", "dynamicIntrinsics": {"fx": 2.0}}')
    assert c.frame == b"\x00\x01" and c.dynamic_intrinsics.fx == 2.0


def test_errors_name_the_field():
    with pytest.raises(ValueError, match=r"TimeTransformEntry.uncertainty_ns: -1 is out of range for uint32"):
        bytes(adt.time_transform.TimeTransformEntry(uncertainty_ns=-1))
    with pytest.raises(ValueError, match=r"Data.value"):
        bytes(adt.scalar.Data(value="1"))
    with pytest.raises(AttributeError, match="no field 'q'"):
        pose.Vec3().q = 1.0
    with pytest.raises(ValueError, match="truncated"):
        adt.camera.CameraFrame().parse(bytes.fromhex("1205ffd8"))


def test_copy_keeps_values():
    t = pose.SpatialTransform(translation=pose.Vec3(x=1.0))
    assert copy.deepcopy(t) == t and bytes(copy.deepcopy(t)) == bytes(t)
