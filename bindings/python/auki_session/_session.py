"""``Session``: one boot session of a peer, in both of upstream's forms.

- ``peer.start_session()`` (era B/C): properties live from the peer, two clocks registered at
  start, clocks carry the ``session_id``, logs under ``<root>/<session_id>/logs/<peer>/<resource_id>``.
- ``Session(peer_id, app_id)`` (era A, the Quickstart): the session is its own peer and also has
  ``register_sensor/frame/detector``, ``with_storage_root``, ``catalog()`` and the
  ``join_domain``/``leave_domain`` (over a broker; without one, upstream's stubs); nothing is written until something is registered;
  logs under ``<root>/logs/<peer>/<resource_id>``.

The era-A-only methods do not exist on a peer-born session (``AttributeError``), as upstream.
"""

import ctypes

from _auki import _json
from _auki.domain import Domain
from _auki._convert import duck_fields, instance, log_ref_json, string, u64
from _auki._errors import NOT_FOUND, check
from _auki._ffi import lib
from _auki._managed import Managed
from _auki._strings import call_registry_hash, call_string, encode
from _auki._refs import make_registry_ref

from ._log_handles import (
    DetectionLogHandle,
    MaterializedLogHandle,
    PoseLogHandle,
    SensorLogHandle,
    TimeTransformLogHandle,
)
from ._log_specs import DetectionLogSpec, PoseLogSpec, SensorLogSpec, TimeTransformLogSpec
from ._peer import Peer

_c_void_p = ctypes.c_void_p
_byref = ctypes.byref

_LEAVE_DOMAIN = (
    "leave_domain is not yet supported from Python: requires an active libp2p ClusterManager. "
    "Use the Rust API or wait for a future Python binding."
)


class _standalone_only:
    """A method that exists only on an era-A ``Session(peer_id, app_id)``."""

    def __init__(self, fn):
        self._fn = fn
        self.__doc__ = fn.__doc__
        self.__name__ = fn.__name__

    def __get__(self, obj, objtype=None):
        if obj is None:
            return self._fn
        if not obj._standalone:
            raise AttributeError(f"'Session' object has no attribute '{self.__name__}'")
        return self._fn.__get__(obj, objtype)


class Session(Managed):
    """``Session(peer_id, app_id)`` is the era-A standalone session; ``Peer.start_session()`` gives the
    era-C form. Both have ``peer_id``, ``app_id``, ``session_id`` (a 26-char ULID), ``storage_root``,
    ``register_clock`` and the ``register_*_log`` methods."""

    __slots__ = ("_peer", "_session_id", "_standalone")
    _free = lib.auki_session_free

    def __init__(self, peer_id, app_id):
        peer_id = string(peer_id, "peer_id")
        app_id = string(app_id, "app_id")
        out = _c_void_p()
        check(lib.auki_session_new_standalone(_byref(out), encode(peer_id), encode(app_id)))
        self._set_handle(out.value)
        self._init(standalone=True, peer_id=peer_id, app_id=app_id)

    @classmethod
    def _adopt(cls, handle, standalone, peer_id=None, app_id=None):
        """Wrap a session handle the library returned (this object then owns it)."""
        session = object.__new__(cls)
        session._handle = handle
        session._init(standalone, peer_id, app_id)
        return session

    def _init(self, standalone, peer_id, app_id):
        self._standalone = standalone
        self._peer = None
        try:
            self._session_id = call_string(lib.auki_session_id, self._handle)
            # The session's own reference to its peer: identity and storage root are read live from it.
            out = _c_void_p()
            check(lib.auki_session_peer(self._handle, _byref(out)))
            self._peer = Peer._adopt(out.value, peer_id, app_id)
        except BaseException:
            self.close()
            raise

    def close(self):
        """Release the native session (and its peer reference). Logs stay on disk."""
        peer = getattr(self, "_peer", None)  # kept, closed: it still answers peer_id and app_id
        if peer is not None:
            peer.close()
        super().close()

    # ---- identity ----------------------------------------------------------------------------

    # Identity stays readable after close(), as a closed file keeps its name; everything else raises.

    @property
    def peer_id(self):
        """The peer's id."""
        return self._peer._peer_id

    @property
    def app_id(self):
        """The peer's app id."""
        return self._peer._app_id

    @property
    def session_id(self):
        """This session's ULID (26 chars)."""
        return self._session_id

    @property
    def storage_root(self):
        """The peer's storage root, read live (``str``)."""
        self._ptr()
        return self._peer.storage_root

    def batch(self):
        """The batch of this session's peer (beyond upstream): ``with session.batch():`` — see
        ``Peer.batch``. For an era-A session, its own peer's."""
        self._ptr()
        return self._peer.batch()

    # ---- era A only: the session is its own peer -------------------------------------------------

    @_standalone_only
    def with_storage_root(self, path):
        """Set the storage root (``str`` or ``os.PathLike``); keeps the session id; returns this session."""
        self._ptr()
        self._peer.with_storage_root(path)
        return self

    @_standalone_only
    def register_frame(self, frame_id, frame_def):
        """Register a frame convention (a ``FrameDef``); returns its ``RegistryRef``."""
        self._ptr()
        return self._peer.register_frame(frame_id, frame_def)

    @_standalone_only
    def register_sensor(self, sensor_id, body):
        """Register a sensor from its body dict; returns its ``RegistryRef``."""
        self._ptr()
        return self._peer.register_sensor(sensor_id, body)

    @_standalone_only
    def register_detector(self, detector_id, body, output_types, input_types=None):
        """Register a detector (body, output types, optional input types); returns its ``RegistryRef``."""
        self._ptr()
        return self._peer.register_detector(detector_id, body, output_types, input_types)

    @_standalone_only
    def catalog(self):
        """The catalog rows (``/auki/resources/0.2.0`` shape, as dicts) of this session's logs."""
        return _json.loads(call_string(lib.auki_session_catalog, self._ptr()))

    @_standalone_only
    def join_domain(self, config):
        """Join a domain over an MQTT 5 broker (``auki_domain.DomainConfig`` or its dict form with a
        ``broker``); returns the ``auki_domain.Domain``. A config that names no broker is upstream's
        libp2p form: ``NotImplementedError`` with upstream's text."""
        return Domain._join_session(self, config)

    @_standalone_only
    def leave_domain(self):
        """Leave the domain joined with ``join_domain``; without one, upstream's ``NotImplementedError``."""
        out = _c_void_p()
        status = lib.auki_session_domain(self._ptr(), _byref(out))
        if status == NOT_FOUND:
            raise NotImplementedError(_LEAVE_DOMAIN)
        check(status)
        try:
            check(lib.auki_domain_leave(out.value))
        finally:
            lib.auki_domain_free(out.value)

    # ---- clocks and logs -------------------------------------------------------------------------

    def register_clock(self, clock_id, body):
        """Register a clock from its body dict (tag ``"type"``: monotonic_clock | utc_clock); returns
        its ``RegistryRef``. Peer-born sessions stamp the entry with their ``session_id``."""
        clock_id = string(clock_id, "clock_id")
        data = _json.dumps(body).encode("utf-8")
        digest = call_registry_hash(lib.auki_session_register_clock, self._ptr(), encode(clock_id), data)
        return make_registry_ref(self._peer._peer_id, clock_id, digest)

    def _register_log(self, spec, handle_cls):
        out = _c_void_p()
        check(lib.auki_session_register_log(self._ptr(), spec._kind, spec._json, _byref(out)))
        return handle_cls._wrap(out.value)

    def register_sensor_log(self, spec):
        """Declare a sensor log (``SensorLogSpec``): writes its manifest; returns a ``SensorLogHandle``."""
        return self._register_log(instance(spec, SensorLogSpec, "spec"), SensorLogHandle)

    def register_pose_log(self, spec):
        """Declare a pose log (``PoseLogSpec``); returns a ``PoseLogHandle``."""
        return self._register_log(instance(spec, PoseLogSpec, "spec"), PoseLogHandle)

    def register_time_transform_log(self, spec):
        """Declare a time-transform log (``TimeTransformLogSpec``); returns a ``TimeTransformLogHandle``."""
        return self._register_log(instance(spec, TimeTransformLogSpec, "spec"), TimeTransformLogHandle)

    def register_detection_log(self, spec):
        """Declare a detection log (``DetectionLogSpec``); returns a ``DetectionLogHandle``."""
        return self._register_log(instance(spec, DetectionLogSpec, "spec"), DetectionLogHandle)

    # ---- remote logs (upstream stubs) ------------------------------------------------------------

    def materialize_remote_log(self, log_ref, *, retention_ns, segment_duration_ns):
        """Copy a remote log to ``<root>/logs/<source_peer_id>/<resource_id>/`` and keep it current
        through the joined domain (history, then live entries; resumes after a restart). Without a
        joined domain: upstream's ``NotImplementedError``. A second materialization of the same log
        is a ``ValueError`` (``duplicate log …``)."""
        retention_ns = u64(retention_ns, "retention_ns")
        segment_duration_ns = u64(segment_duration_ns, "segment_duration_ns")
        out = _c_void_p()
        check(lib.auki_session_materialize_remote_log(
            self._ptr(), log_ref_json(log_ref), retention_ns, segment_duration_ns, _byref(out)))
        return MaterializedLogHandle._wrap(out.value)

    def resolve_static_transform(self, log_ref):
        """The single transform (``SpatialTransform``) of a sealed rigid pose log: this session's own,
        or a remote one through the joined domain (without one, upstream's ``NotImplementedError``)."""
        from ._pose import from_json

        return from_json(call_string(lib.auki_session_resolve_static_transform, self._ptr(), log_ref_json(log_ref)))


Session.__module__ = "auki_session"


def catalog(peer, session):
    """Catalog rows (``/auki/resources/0.2.0`` shape, as dicts) of ``session``'s logs, the rows a
    domain would advertise for ``peer`` — the same rows as an era-A ``Session.catalog()``."""
    peer = instance(peer, Peer, "peer")
    session = instance(session, Session, "session")
    check(lib.auki_session_check_peer(session._ptr(), peer._ptr()))
    return _json.loads(call_string(lib.auki_session_catalog, session._ptr()))
