"""Entry constructors: each returns a plain dict in upstream's JSON shape (``peer_id``, the id
field and the flattened body), normalized by libauki exactly as it will be hashed.

Scalar arguments are checked like upstream's PyO3 signatures (``str``, ``u32``, ``bool``); enum
strings and the shape are checked by libauki, so an unknown ``handedness``, ``scope``,
``sample_format``... is a ``ValueError`` naming the field. ``frame`` arguments are duck-typed refs:
a ``RegistryRef``, a dict, or any object with ``peer_id``/``id``/``hash``.
"""

from _auki._convert import boolean, duck_fields, optional_string, string, u32

from ._store import frame_body, normalized

def _frame_ref(frame):
    peer_id, id_, hash_ = duck_fields(frame, ("peer_id", "id", "hash"))
    return {"peer_id": peer_id, "id": id_, "hash": hash_}


def _frame(peer_id, frame_id, body):
    # The presets' axes live in libauki (one table for every language); so does validation.
    return normalized("frame", dict(body, peer_id=string(peer_id, "peer_id"), frame_id=string(frame_id, "frame_id")))


def frame_ros_body(peer_id, frame_id):
    """REP-103 body frame (x forward, y left, z up; right-handed; meters)."""
    return _frame(peer_id, frame_id, frame_body(b"ros_body"))


def frame_ros_optical(peer_id, frame_id):
    """REP-103 camera optical frame (x right, y down, z forward; right-handed; meters)."""
    return _frame(peer_id, frame_id, frame_body(b"ros_optical"))


def frame_opengl(peer_id, frame_id):
    """OpenGL / Three.js frame (x right, y up, z backward; right-handed; meters)."""
    return _frame(peer_id, frame_id, frame_body(b"opengl"))


def frame_unity(peer_id, frame_id):
    """Unity frame (x right, y up, z forward; left-handed; meters)."""
    return _frame(peer_id, frame_id, frame_body(b"unity"))


def frame_entry(*, peer_id, frame_id, handedness, x, y, z, units):
    """A custom frame: ``handedness`` right|left; ``x``/``y``/``z`` each forward|backward|up|down|left|right
    (from three distinct pairs); ``units`` meters|millimeters|centimeters."""
    return _frame(peer_id, frame_id, {
        "handedness": string(handedness, "handedness"),
        "axes": {"x": string(x, "x"), "y": string(y, "y"), "z": string(z, "z")},
        "units": string(units, "units"),
    })


def _sensor(peer_id, sensor_id, kind, sensor_type, **body):
    entry = {
        "peer_id": string(peer_id, "peer_id"),
        "sensor_id": string(sensor_id, "sensor_id"),
        "kind": kind,
        "type": string(sensor_type, "sensor_type"),
    }
    entry.update(body)
    return normalized("sensor", entry)


class _Required:
    """Marks an argument that has no default but follows one that has (shown in ``help()``)."""

    def __repr__(self):
        return "<required>"


_REQUIRED = _Required()


def camera_sensor_entry(peer_id, sensor_id, sensor_type, width, height, frame_rate_hz, image_encoding=None,
                        pixel_format=_REQUIRED, row_stride_bytes=None, color_space=_REQUIRED,
                        intrinsics_model=_REQUIRED, distortion_model=_REQUIRED, frame=_REQUIRED, calibration=None):
    """A camera (``kind: camera``; ``sensor_type`` e.g. rgb, depth, ir, mono).

    ``image_encoding`` (e.g. ``"raw"``, ``"jpeg"``) and ``row_stride_bytes`` may be left out (or
    ``None``) for the era-A/B shape without them, the call upstream's older tests make; those keys
    are then absent from the canonical JSON, so era-A hashes hold. ``calibration`` is ``None`` or
    ``{"fx", "fy", "cx", "cy", "distortion_coefficients"?: [float]}``.
    """
    for name, value in (("pixel_format", pixel_format), ("color_space", color_space),
                        ("intrinsics_model", intrinsics_model), ("distortion_model", distortion_model), ("frame", frame)):
        if value is _REQUIRED:
            raise TypeError(f"camera_sensor_entry() missing required argument '{name}'")
    body = {
        "width": u32(width, "width"),
        "height": u32(height, "height"),
        "frame_rate_hz": u32(frame_rate_hz, "frame_rate_hz"),
        "pixel_format": string(pixel_format, "pixel_format"),
        "color_space": string(color_space, "color_space"),
        "intrinsics_model": string(intrinsics_model, "intrinsics_model"),
        "distortion_model": string(distortion_model, "distortion_model"),
        "frame": _frame_ref(frame),
    }
    if optional_string(image_encoding, "image_encoding") is not None:
        body["image_encoding"] = image_encoding
    if row_stride_bytes is not None:
        body["row_stride_bytes"] = u32(row_stride_bytes, "row_stride_bytes")
    if calibration is not None:
        body["calibration"] = calibration
    return _sensor(peer_id, sensor_id, "camera", sensor_type, **body)


def point_field(name, offset, datatype, count=1):
    """One field of a point record: ``datatype`` int8|uint8|int16|uint16|int32|uint32|float32|float64
    (checked when the rangefinder entry is built)."""
    return {"name": string(name, "name"), "offset": u32(offset, "offset"),
            "datatype": string(datatype, "datatype"), "count": u32(count, "count")}


def rangefinder_sensor_entry(peer_id, sensor_id, sensor_type, fields, point_step, is_bigendian, frame_rate_hz, frame):
    """A rangefinder (``kind: rangefinder``; ``sensor_type`` e.g. point_cloud, 2d_lidar, 3d_lidar,
    ultrasonic, radar); ``fields`` is a list of :func:`point_field` dicts."""
    return _sensor(peer_id, sensor_id, "rangefinder", sensor_type,
                   fields=list(fields),
                   point_step=u32(point_step, "point_step"),
                   is_bigendian=boolean(is_bigendian, "is_bigendian"),
                   frame_rate_hz=u32(frame_rate_hz, "frame_rate_hz"),
                   frame=_frame_ref(frame))


def audio_sensor_entry(peer_id, sensor_id, sensor_type, sample_rate_hz, channels, sample_format, channel_layout, frame):
    """An audio sensor (``kind: audio``; ``sensor_type`` e.g. pcm); ``sample_format``
    pcm_s16le|pcm_s24le|pcm_s32le|pcm_f32le|pcm_f64le; ``channel_layout``
    mono|stereo|5.1|7.1|ambisonic_b|n_channel. A microphone array is one sensor."""
    return _sensor(peer_id, sensor_id, "audio", sensor_type,
                   sample_rate_hz=u32(sample_rate_hz, "sample_rate_hz"),
                   channels=u32(channels, "channels"),
                   sample_format=string(sample_format, "sample_format"),
                   channel_layout=string(channel_layout, "channel_layout"),
                   frame=_frame_ref(frame))


def joint_encoders_sensor_entry(peer_id, sensor_id, sensor_type, joint_count, frame_rate_hz, frame):
    """Joint encoders (``kind: joint_encoders``; ``sensor_type`` absolute|incremental)."""
    return _sensor(peer_id, sensor_id, "joint_encoders", sensor_type,
                   joint_count=u32(joint_count, "joint_count"),
                   frame_rate_hz=u32(frame_rate_hz, "frame_rate_hz"),
                   frame=_frame_ref(frame))


def rf_sensor_entry(peer_id, sensor_id, sensor_type, frame):
    """A radio sensor (``kind: rf``; ``sensor_type`` e.g. wifi, bluetooth, uwb)."""
    return _sensor(peer_id, sensor_id, "rf", sensor_type, frame=_frame_ref(frame))


def scalar_sensor_entry(peer_id, sensor_id, sensor_type, unit, expected_rate_hz):
    """A scalar sensor without a frame (``kind: scalar``; ``sensor_type`` e.g. battery_charge, voltage)."""
    return _sensor(peer_id, sensor_id, "scalar", sensor_type,
                   unit=string(unit, "unit"),
                   expected_rate_hz=u32(expected_rate_hz, "expected_rate_hz"))


def _clock(clock_type, monotonic, peer_id, clock_id, unit, scope, epoch, session_id):
    entry = {
        "peer_id": string(peer_id, "peer_id"),
        "clock_id": string(clock_id, "clock_id"),
        "type": clock_type,
        "unit": string(unit, "unit"),
        "monotonic": monotonic,
        "epoch": optional_string(epoch, "epoch"),
        "scope": string(scope, "scope"),
    }
    if optional_string(session_id, "session_id") is not None:
        entry["session_id"] = session_id
    return normalized("clock", entry)


def monotonic_clock_entry(peer_id, clock_id, unit, scope, epoch=None, *, session_id=None):
    """A monotonic clock; ``scope`` device-local|domain-local|global.

    Both upstream forms work: ``monotonic_clock_entry(peer_id, clock_id, unit, scope[, epoch])``
    (era A, no ``session_id``) and the keyword form with ``session_id=`` (era C).
    """
    return _clock("monotonic_clock", True, peer_id, clock_id, unit, scope, epoch, session_id)


def utc_clock_entry(peer_id, clock_id, unit, scope, epoch=None, *, session_id=None):
    """A UTC clock (``epoch`` e.g. ``"1970-01-01T00:00:00Z"``); forms as :func:`monotonic_clock_entry`."""
    return _clock("utc_clock", False, peer_id, clock_id, unit, scope, epoch, session_id)


def voxel_map_entry(*, peer_id, map_id, frame, voxel_size_m, chunk_dimension, color_model=None, semantic_classes=()):
    """A voxel map (``kind: voxel``, value model ``additive_occupancy_evidence``), validated as upstream
    does (``ValueError("invalid map: ...")``). ``color_model`` is ``None`` or
    ``"additive_linear_rgb_evidence"``; ``semantic_classes`` unique non-empty labels."""
    if isinstance(voxel_size_m, bool) or not isinstance(voxel_size_m, (int, float)):
        raise TypeError(f"argument 'voxel_size_m': must be real number, not {type(voxel_size_m).__name__}")
    if isinstance(semantic_classes, str):
        raise TypeError("argument 'semantic_classes': Can't extract `str` to `Vec`")
    entry = {
        "peer_id": string(peer_id, "peer_id"),
        "map_id": string(map_id, "map_id"),
        "kind": "voxel",
        "frame": _frame_ref(frame),
        "voxel_size_m": float(voxel_size_m),
        "chunk_dimension": u32(chunk_dimension, "chunk_dimension"),
        "value_model": "additive_occupancy_evidence",
        "semantic_classes": [string(c, "semantic_classes") for c in semantic_classes],
    }
    if optional_string(color_model, "color_model") is not None:
        entry["color_model"] = color_model
    return normalized("map", entry)
