"""auki_manifests — log manifest builders (AukiNative).

A drop-in replacement for the Python module of the auki-sdk's ``auki-manifests`` crate. The four
builders take upstream's arguments and return the manifest as a ``dict`` (upstream's field names
and values); ``source`` arguments are dicts in the tagged-enum shape
(``{"kind": "ros2_tf", "publishers": [...]}``), ``writer_mode`` a string. Like upstream, builders do
not validate; :func:`validate_manifest` does, with upstream's messages
(``invalid manifest field `sensor_id`: must not be empty``).

Upstream's Python builders produce the flat manifest shape (``sensor_id`` / ``sensor_hash`` …).
:func:`build_log_manifest` builds the post-#216 shape with refs (``sensor: {peer_id, id, hash}``),
through the same code ``auki_session``'s log handles write ``manifest.json`` with, so its
canonical bytes are the ones a session writes. :class:`PoseSource`, :class:`PoseWriterMode`,
:class:`TimeTransformSource` and :class:`DetectionCadence` construct the enum values.

Everything is computed in libauki (``auki_manifest_build`` / ``auki_manifest_validate``).
"""

from _auki import _json
from _auki._convert import duck_fields as _duck_fields
from _auki._convert import optional_string as _optional_string
from _auki._convert import string as _string
from _auki._convert import u32 as _u32
from _auki._convert import u64 as _u64
from _auki._errors import check as _check
from _auki._ffi import lib as _lib
from _auki._strings import call_string as _call_string
from _auki._strings import encode as _encode

from ._enums import DetectionCadence, PoseSource, PoseWriterMode, TimeTransformSource

__all__ = [
    "build_sensor_log_manifest",
    "build_pose_log_manifest",
    "build_time_transform_log_manifest",
    "build_detection_log_manifest",
    "build_log_manifest",
    "validate_manifest",
    "PoseSource",
    "PoseWriterMode",
    "TimeTransformSource",
    "DetectionCadence",
]

_KINDS = ("sensor", "pose", "time_transform", "detection")


def _build(kind, args):
    return _json.loads(_call_string(_lib.auki_manifest_build, _encode(kind), _encode(_json.dumps(args))))


def _source(value, name):
    if not isinstance(value, dict):
        raise TypeError(f"argument '{name}': '{type(value).__name__}' object cannot be converted to 'PyDict'")
    return value


def build_sensor_log_manifest(*, app_id, session_id, sensor_id, sensor_hash, clock_id, clock_hash,
                              segment_duration_ns, retention_ns, frame_id=None, frame_hash=None):
    """Sensor Log family manifest (sensor, point cloud, audio logs); ``frame_*`` keys are omitted when ``None``."""
    args = {
        "app_id": _string(app_id, "app_id"),
        "session_id": _string(session_id, "session_id"),
        "sensor_id": _string(sensor_id, "sensor_id"),
        "sensor_hash": _string(sensor_hash, "sensor_hash"),
        "clock_id": _string(clock_id, "clock_id"),
        "clock_hash": _string(clock_hash, "clock_hash"),
        "segment_duration_ns": _u64(segment_duration_ns, "segment_duration_ns"),
        "retention_ns": _u64(retention_ns, "retention_ns"),
    }
    if _optional_string(frame_id, "frame_id") is not None:
        args["frame_id"] = frame_id
    if _optional_string(frame_hash, "frame_hash") is not None:
        args["frame_hash"] = frame_hash
    return _build("sensor", args)


def build_pose_log_manifest(app_id, session_id, from_frame_id, from_frame_hash, to_frame_id, to_frame_hash,
                            clock_id, clock_hash, source, writer_mode, expected_rate_hz,
                            segment_duration_ns, retention_ns):
    """Pose Log manifest; ``source`` is a ``PoseSource`` dict, ``writer_mode`` ``"rigid"`` or ``"movable"``."""
    return _build("pose", {
        "app_id": _string(app_id, "app_id"),
        "session_id": _string(session_id, "session_id"),
        "from_frame_id": _string(from_frame_id, "from_frame_id"),
        "from_frame_hash": _string(from_frame_hash, "from_frame_hash"),
        "to_frame_id": _string(to_frame_id, "to_frame_id"),
        "to_frame_hash": _string(to_frame_hash, "to_frame_hash"),
        "clock_id": _string(clock_id, "clock_id"),
        "clock_hash": _string(clock_hash, "clock_hash"),
        "source": _source(source, "source"),
        "writer_mode": _string(writer_mode, "writer_mode"),
        "expected_rate_hz": _u32(expected_rate_hz, "expected_rate_hz"),
        "segment_duration_ns": _u64(segment_duration_ns, "segment_duration_ns"),
        "retention_ns": _u64(retention_ns, "retention_ns"),
    })


def build_time_transform_log_manifest(app_id, session_id, from_clock_id, from_clock_hash, to_clock_id, to_clock_hash,
                                      source, segment_duration_ns, retention_ns):
    """TimeTransform Log manifest; ``source`` is a ``TimeTransformSource`` dict (``{"kind": "local_clock_read"}``)."""
    return _build("time_transform", {
        "app_id": _string(app_id, "app_id"),
        "session_id": _string(session_id, "session_id"),
        "from_clock_id": _string(from_clock_id, "from_clock_id"),
        "from_clock_hash": _string(from_clock_hash, "from_clock_hash"),
        "to_clock_id": _string(to_clock_id, "to_clock_id"),
        "to_clock_hash": _string(to_clock_hash, "to_clock_hash"),
        "source": _source(source, "source"),
        "segment_duration_ns": _u64(segment_duration_ns, "segment_duration_ns"),
        "retention_ns": _u64(retention_ns, "retention_ns"),
    })


def build_detection_log_manifest(app_id, session_id, detector_id, detector_hash, input_log_id, input_sensor_id,
                                 input_sensor_hash, clock_id, clock_hash, segment_duration_ns, retention_ns):
    """Detection Log manifest (one per detector and input sensor log)."""
    return _build("detection", {
        "app_id": _string(app_id, "app_id"),
        "session_id": _string(session_id, "session_id"),
        "detector_id": _string(detector_id, "detector_id"),
        "detector_hash": _string(detector_hash, "detector_hash"),
        "input_log_id": _string(input_log_id, "input_log_id"),
        "input_sensor_id": _string(input_sensor_id, "input_sensor_id"),
        "input_sensor_hash": _string(input_sensor_hash, "input_sensor_hash"),
        "clock_id": _string(clock_id, "clock_id"),
        "clock_hash": _string(clock_hash, "clock_hash"),
        "segment_duration_ns": _u64(segment_duration_ns, "segment_duration_ns"),
        "retention_ns": _u64(retention_ns, "retention_ns"),
    })


_REF_FIELDS = ("peer_id", "id", "hash")
_LOG_REF_FIELDS = ("source_peer_id", "resource_id")


def _plain(name, value):
    # Refs may be RegistryRef / LogRef objects, dicts or anything with the attributes (upstream's rule).
    if name == "input_log":
        return dict(zip(_LOG_REF_FIELDS, _duck_fields(value, _LOG_REF_FIELDS)))
    if name in ("sensor", "clock", "frame", "from_frame", "to_frame", "from_clock", "to_clock", "detector", "input_sensor"):
        return dict(zip(_REF_FIELDS, _duck_fields(value, _REF_FIELDS)))
    return value


def build_log_manifest(kind, *, source_peer_id, writer_peer_id, app_id, session_id, segment_duration_ns, retention_ns, **fields):
    """The post-#216 manifest of ``kind`` (``"sensor"``, ``"pose"``, ``"time_transform"``, ``"detection"``).

    ``fields`` are the kind's refs and settings, as ``auki_session``'s log specs name them: sensor
    ``sensor, clock, frame=None``; pose ``from_frame, to_frame, clock, source, writer_mode,
    expected_rate_hz``; time transform ``from_clock, to_clock, source``; detection ``detector,
    input_log, input_sensor, clock, instance_id=None, cadence=None``. The result is, byte for byte
    once canonicalized, the ``manifest.json`` a session writes for that log.
    """
    if _string(kind, "kind") not in _KINDS:
        raise ValueError(f"unknown log kind `{kind}`, expected one of `sensor`, `pose`, `time_transform`, `detection`")
    args = {name: _plain(name, value) for name, value in fields.items() if value is not None}
    args.update({
        "source_peer_id": _string(source_peer_id, "source_peer_id"),
        "writer_peer_id": _string(writer_peer_id, "writer_peer_id"),
        "app_id": _string(app_id, "app_id"),
        "session_id": _string(session_id, "session_id"),
        "segment_duration_ns": _u64(segment_duration_ns, "segment_duration_ns"),
        "retention_ns": _u64(retention_ns, "retention_ns"),
    })
    return _build(kind, args)


def validate_manifest(manifest):
    """auki-manifests ``validate()`` for a manifest of either shape; ``ValueError`` naming the first bad field."""
    _check(_lib.auki_manifest_validate(_encode(_json.dumps(manifest))))
