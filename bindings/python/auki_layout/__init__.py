"""auki_layout — on-disk path helpers (AukiNative).

A drop-in replacement for the Python module of the auki-sdk's ``auki-layout`` crate: the same
functions, arguments and ``str`` results. Every path comes from libauki's one layout module (the
C# ``StorageLayout``), the module this project's writers use, and every id is checked first: an id
that could name a path outside the root (``..``, an absolute path, an empty segment) is a
``ValueError`` naming the argument, where upstream joined it as given.

Upstream's helpers describe the pre-#216 session layout (``<app_root>/<session>/sensorlogs/…``,
registries without a peer directory). What ``auki_session`` and ``auki_registry`` write today is
named by the two helpers this module adds:

- ``registry_entry_path(app_root, kind, peer_id, id, hash)`` →
  ``<app_root>/registries/<kind>s/<seg(peer_id)>/<seg(id)>/<hash>.json``
- ``log_root(storage_root, peer_id, resource_id, session_id=None)`` →
  ``<root>/<session_id>/logs/<peer_id>/<resource_id>`` (``<root>/logs/…`` without a session)
"""

from _auki import _json
from _auki._convert import fspath as _fspath
from _auki._convert import optional_string as _optional_string
from _auki._convert import string as _string
from _auki._ffi import lib as _lib
from _auki._strings import call_string as _call_string
from _auki._strings import encode as _encode

__all__ = [
    "registries_root",
    "sensor_entry_path",
    "clock_entry_path",
    "frame_entry_path",
    "detector_entry_path",
    "session_root",
    "timetransform_log_path",
    "sensorlog_path",
    "poselog_path",
    "detection_log_path",
    "id_to_segment",
    "registry_entry_path",
    "log_root",
]


def _path(helper, *args):
    return _call_string(_lib.auki_layout_path, _encode(helper), _encode(_json.dumps(list(args))))


def _entry(kind, app_root, ids):
    names = ("peer_id", f"{kind}_id", "hash") if len(ids) == 3 else (f"{kind}_id", "hash")
    if len(ids) not in (2, 3):
        raise TypeError(f"{kind}_entry_path() takes 3 or 4 positional arguments but {len(ids) + 1} were given")
    return _path(f"{kind}_entry_path", _fspath(app_root, "app_root"), *(_string(v, n) for v, n in zip(ids, names)))


def registries_root(app_root):
    """``<app_root>/registries``."""
    return _path("registries_root", _fspath(app_root, "app_root"))


def sensor_entry_path(app_root, *ids):
    """``sensor_entry_path(app_root, sensor_id, hash)`` → ``<app_root>/registries/sensors/<seg(sensor_id)>/<hash>.json`` (upstream's
    Python helper); ``sensor_entry_path(app_root, peer_id, sensor_id, hash)`` → ``…/sensors/<seg(peer_id)>/<seg(sensor_id)>/<hash>.json``
    (the newest crate's, where ``auki_registry.write_sensor`` writes)."""
    return _entry("sensor", app_root, ids)


def clock_entry_path(app_root, *ids):
    """``clock_entry_path(app_root, clock_id, hash)`` → ``<app_root>/registries/clocks/<seg(clock_id)>/<hash>.json`` (upstream's
    Python helper); ``clock_entry_path(app_root, peer_id, clock_id, hash)`` → ``…/clocks/<seg(peer_id)>/<seg(clock_id)>/<hash>.json``
    (the newest crate's, where ``auki_registry.write_clock`` writes)."""
    return _entry("clock", app_root, ids)


def frame_entry_path(app_root, *ids):
    """``frame_entry_path(app_root, frame_id, hash)`` → ``<app_root>/registries/frames/<seg(frame_id)>/<hash>.json`` (upstream's
    Python helper); ``frame_entry_path(app_root, peer_id, frame_id, hash)`` → ``…/frames/<seg(peer_id)>/<seg(frame_id)>/<hash>.json``
    (the newest crate's, where ``auki_registry.write_frame`` writes)."""
    return _entry("frame", app_root, ids)


def detector_entry_path(app_root, *ids):
    """``detector_entry_path(app_root, detector_id, hash)`` → ``<app_root>/registries/detectors/<seg(detector_id)>/<hash>.json`` (upstream's
    Python helper); ``detector_entry_path(app_root, peer_id, detector_id, hash)`` → ``…/detectors/<seg(peer_id)>/<seg(detector_id)>/<hash>.json``
    (the newest crate's, where ``auki_registry.write_detector`` writes)."""
    return _entry("detector", app_root, ids)


def session_root(app_root, session):
    """``<app_root>/<session>``."""
    return _path("session_root", _fspath(app_root, "app_root"), _string(session, "session"))


def timetransform_log_path(session_root, from_id, to_id):
    """``<session_root>/timetransform_logs/<seg(from_id)>__<seg(to_id)>``."""
    return _path("timetransform_log_path", _fspath(session_root, "session_root"), _string(from_id, "from_id"), _string(to_id, "to_id"))


def sensorlog_path(session_root, sensor_log_id):
    """``<session_root>/sensorlogs/<sensor_log_id>`` (the log id is not substituted)."""
    return _path("sensorlog_path", _fspath(session_root, "session_root"), _string(sensor_log_id, "sensor_log_id"))


def poselog_path(session_root, from_frame_id, to_frame_id):
    """``<session_root>/poselogs/<seg(from_frame_id)>__<seg(to_frame_id)>``."""
    return _path("poselog_path", _fspath(session_root, "session_root"), _string(from_frame_id, "from_frame_id"), _string(to_frame_id, "to_frame_id"))


def detection_log_path(session_root, detector_id, input_log_id):
    """``<session_root>/detection_logs/<seg(detector_id)>__<seg(input_log_id)>``."""
    return _path("detection_log_path", _fspath(session_root, "session_root"), _string(detector_id, "detector_id"), _string(input_log_id, "input_log_id"))


def id_to_segment(id):  # noqa: A002
    """``id`` with every ``/`` replaced by ``__``."""
    return _path("id_to_segment", _string(id, "id"))


def registry_entry_path(app_root, kind, peer_id, id, hash):  # noqa: A002
    """Where ``auki_registry.write_<kind>`` puts an entry: ``<app_root>/registries/<kind>s/<seg(peer_id)>/<seg(id)>/<hash>.json``.

    ``kind`` is ``"sensor"``, ``"clock"``, ``"frame"`` or ``"detector"``.
    """
    return _path("registry_entry_path", _fspath(app_root, "app_root"), _string(kind, "kind"), _string(peer_id, "peer_id"), _string(id, "id"), _string(hash, "hash"))


def log_root(storage_root, peer_id, resource_id, session_id=None):
    """The directory a session's log handle writes (``handle.root``): ``<root>/<session_id>/logs/<peer_id>/<resource_id>``,
    or ``<root>/logs/<peer_id>/<resource_id>`` for era-A sessions and materialized copies (``session_id=None``)."""
    args = [_fspath(storage_root, "storage_root"), _string(peer_id, "peer_id"), _string(resource_id, "resource_id")]
    if _optional_string(session_id, "session_id") is not None:
        args.append(session_id)
    return _path("log_root", *args)
