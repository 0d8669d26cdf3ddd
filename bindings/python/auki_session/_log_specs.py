"""Log specs: what ``Session.register_*_log`` declares.

Each spec checks its arguments the way upstream's PyO3 constructors did (typed arguments first:
``HeadSpec``, ``str``, non-negative ``int`` durations; then the refs), reads its refs by duck
typing (``RegistryRef``, dict, or any object with the fields), and is validated by libauki
(``auki_log_spec_check``) at construction, so a bad ``source``, ``writer_mode`` or ``cadence``
fails here with upstream's ``field: ...`` message. Specs are opaque: no getters, default repr.
"""

from _auki import _json
from _auki._signature import signature_from
from _auki._convert import duck_fields, instance, string, u32, u64
from _auki._errors import check
from _auki._ffi import lib

from ._head_spec import HeadSpec

_REF_FIELDS = ("peer_id", "id", "hash")
_LOG_REF_FIELDS = ("source_peer_id", "resource_id")


def _ref(obj):
    peer_id, id_, hash_ = duck_fields(obj, _REF_FIELDS)
    return {"peer_id": peer_id, "id": id_, "hash": hash_}


def _log_ref(obj):
    source_peer_id, resource_id = duck_fields(obj, _LOG_REF_FIELDS)
    return {"source_peer_id": source_peer_id, "resource_id": resource_id}


def _common(head, segment_duration_ns, retention_ns):
    head = instance(head, HeadSpec, "head")
    return {
        "head": head._spec,
        "segment_duration_ns": u64(segment_duration_ns, "segment_duration_ns"),
        "retention_ns": u64(retention_ns, "retention_ns"),
    }


def _checked(kind, spec):
    """The spec as the JSON bytes the C ABI takes, after libauki has validated it."""
    data = _json.dumps(spec).encode("utf-8")
    check(lib.auki_log_spec_check(kind, data))
    return data


class SensorLogSpec:
    """A sensor log: ``SensorLogSpec(sensor, clock, head, segment_duration_ns, retention_ns, frame=None)``.

    Its resource id is the sensor id; the sensor must be registered on the session's peer.
    """

    __slots__ = ("_json",)
    _kind = b"sensor"

    def __init__(self, sensor, clock, head, segment_duration_ns, retention_ns, frame=None):
        spec = _common(head, segment_duration_ns, retention_ns)
        spec["sensor"] = _ref(sensor)
        spec["clock"] = _ref(clock)
        if frame is not None:
            spec["frame"] = _ref(frame)
        self._json = _checked(self._kind, spec)


class PoseLogSpec:
    """A pose log: ``PoseLogSpec(from_frame, to_frame, clock, source, writer_mode, expected_rate_hz,
    head, segment_duration_ns, retention_ns)``.

    ``source`` is ``{"kind": "manual"}`` or ``{"kind": "ros2_tf", "publishers": [...]}``;
    ``writer_mode`` is ``"rigid"`` or ``"movable"``. Resource id: ``"<from_frame.id>-><to_frame.id>"``.
    """

    __slots__ = ("_json",)
    _kind = b"pose"

    def __init__(self, from_frame, to_frame, clock, source, writer_mode, expected_rate_hz, head,
                 segment_duration_ns, retention_ns):
        writer_mode = string(writer_mode, "writer_mode")
        expected_rate_hz = u32(expected_rate_hz, "expected_rate_hz")
        spec = _common(head, segment_duration_ns, retention_ns)
        spec.update(from_frame=_ref(from_frame), to_frame=_ref(to_frame), clock=_ref(clock),
                    source=source, writer_mode=writer_mode, expected_rate_hz=expected_rate_hz)
        self._json = _checked(self._kind, spec)


class TimeTransformLogSpec:
    """A time-transform log: ``TimeTransformLogSpec(from_clock, to_clock, source, head,
    segment_duration_ns, retention_ns)``; ``source`` is ``{"kind": "local_clock_read"}``.

    Resource id: ``"<from_clock.id>-><to_clock.id>"``.
    """

    __slots__ = ("_json",)
    _kind = b"time_transform"

    def __init__(self, from_clock, to_clock, source, head, segment_duration_ns, retention_ns):
        spec = _common(head, segment_duration_ns, retention_ns)
        spec.update(from_clock=_ref(from_clock), to_clock=_ref(to_clock), source=source)
        self._json = _checked(self._kind, spec)


def _detection_era_c(instance_id, detector, input_log, input_sensor, clock, cadence, head,
                     segment_duration_ns, retention_ns):
    instance_id = string(instance_id, "instance_id")
    spec = _common(head, segment_duration_ns, retention_ns)
    spec.update(instance_id=instance_id, detector=_ref(detector), input_log=_log_ref(input_log),
                input_sensor=_ref(input_sensor), clock=_ref(clock), cadence=cadence)
    return spec


def _detection_era_a(detector, input_log, input_sensor, clock, head, segment_duration_ns, retention_ns):
    spec = _common(head, segment_duration_ns, retention_ns)
    spec.update(detector=_ref(detector), input_log=_log_ref(input_log), input_sensor=_ref(input_sensor),
                clock=_ref(clock))
    return spec


# Arity errors name the class, as they would for a real signature.
_detection_era_c.__name__ = _detection_era_c.__qualname__ = "DetectionLogSpec"
_detection_era_a.__name__ = _detection_era_a.__qualname__ = "DetectionLogSpec"


class DetectionLogSpec:
    """A detection log, in either upstream form:

    - era C: ``DetectionLogSpec(instance_id, detector, input_log, input_sensor, clock, cadence, head,
      segment_duration_ns, retention_ns)`` — resource id ``instance_id``; ``cadence`` is
      ``{"kind": "every_frame"}`` or ``{"kind": "periodic", "period_ns": N}``;
    - era A/B: ``DetectionLogSpec(detector, input_log, input_sensor, clock, head, segment_duration_ns,
      retention_ns)`` — resource id ``"<detector.id>@<input_sensor.id>"``.

    The era-C form is chosen when ``instance_id`` or ``cadence`` is passed by keyword, when the
    first positional argument is a ``str`` (an instance id; a ref never is), or when nine
    arguments are given. ``input_log`` is a ``LogRef`` (or dict / duck-typed object).
    """

    __slots__ = ("_json",)
    _kind = b"detection"

    def __init__(self, *args, **kwargs):
        era_c = ("instance_id" in kwargs or "cadence" in kwargs
                 or (args and isinstance(args[0], str))
                 or len(args) + len(kwargs) == 9)
        spec = (_detection_era_c if era_c else _detection_era_a)(*args, **kwargs)
        self._json = _checked(self._kind, spec)


signature_from(DetectionLogSpec, _detection_era_c)  # the newest form; the era-A/B form still works

for _cls in (SensorLogSpec, PoseLogSpec, TimeTransformLogSpec, DetectionLogSpec):
    _cls.__module__ = "auki_session"
del _cls
