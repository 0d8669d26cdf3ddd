"""``Peer``: a device identity (peer id, app id), its storage root, and the registries it owns
(frames, sensors, detectors). ``start_session()`` begins a boot session.
"""

import ctypes

from _auki import _json
from _auki._convert import fspath, instance, string
from _auki._errors import check
from _auki._ffi import lib
from _auki._foxglove import FoxgloveServer
from _auki._managed import Managed
from _auki._strings import call_registry_hash, call_string, encode
from _auki._refs import make_registry_ref

from ._frame_def import FrameDef

_c_void_p = ctypes.c_void_p
_byref = ctypes.byref


def _string_list(value, name):
    """A list of ``str`` (PyO3 ``Vec<String>``: any sequence but a ``str``)."""
    if isinstance(value, str):
        raise TypeError(f"argument '{name}': Can't extract `str` to `Vec`")
    try:
        items = list(value)
    except TypeError:
        raise TypeError(f"argument '{name}': '{type(value).__name__}' object cannot be converted to 'Sequence'") from None
    return [string(item, name) for item in items]


class Peer(Managed):
    """``Peer(peer_id, app_id)``: who this device is. Storage root defaults to ``"."``."""

    __slots__ = ("_peer_id", "_app_id")
    _free = lib.auki_peer_free

    def __init__(self, peer_id, app_id):
        peer_id = string(peer_id, "peer_id")
        app_id = string(app_id, "app_id")
        out = _c_void_p()
        check(lib.auki_peer_new(_byref(out), encode(peer_id), encode(app_id)))
        self._set_handle(out.value)
        self._peer_id = peer_id
        self._app_id = app_id

    @classmethod
    def _adopt(cls, handle, peer_id=None, app_id=None):
        """Wrap a peer handle the library returned (this object then owns it)."""
        peer = object.__new__(cls)
        peer._handle = handle
        peer._peer_id = peer_id if peer_id is not None else call_string(lib.auki_peer_id, handle)
        peer._app_id = app_id if app_id is not None else call_string(lib.auki_peer_app_id, handle)
        return peer

    @property
    def peer_id(self):
        """The peer id (the libp2p peer id in a domain; any string locally)."""
        return self._peer_id

    @property
    def app_id(self):
        """The application id."""
        return self._app_id

    @property
    def storage_root(self):
        """Where registries and logs are written (``str``, exactly as set; default ``"."``)."""
        return call_string(lib.auki_peer_storage_root, self._ptr())

    def with_storage_root(self, path):
        """Set the storage root (``str`` or ``os.PathLike``) for later writes; returns this same peer."""
        path = fspath(path, "path")
        check(lib.auki_peer_set_storage_root(self._ptr(), encode(path)))
        return self

    def serve_foxglove(self, port=8765, host="127.0.0.1"):
        """A live Foxglove WebSocket server over this peer's storage root: an
        ``auki_data.FoxgloveServer`` (``.port``, ``close()``, context manager). Beyond upstream."""
        return FoxgloveServer(self.storage_root, host=host, port=port)

    def register_frame(self, frame_id, frame_def):
        """Register a frame convention (a ``FrameDef``) under ``frame_id``; returns its ``RegistryRef``."""
        frame_id = string(frame_id, "frame_id")
        frame_def = instance(frame_def, FrameDef, "frame_def")
        digest = call_registry_hash(lib.auki_peer_register_frame, self._ptr(), encode(frame_id), frame_def._abi)
        return make_registry_ref(self._peer_id, frame_id, digest)

    def register_sensor(self, sensor_id, body):
        """Register a sensor from its body dict (tag ``"kind"``; its ``"frame"`` must be registered);
        returns its ``RegistryRef``."""
        sensor_id = string(sensor_id, "sensor_id")
        data = _json.dumps(body).encode("utf-8")
        digest = call_registry_hash(lib.auki_peer_register_sensor, self._ptr(), encode(sensor_id), data)
        return make_registry_ref(self._peer_id, sensor_id, digest)

    def register_detector(self, detector_id, body, output_types, input_types=None):
        """Register a detector: ``body`` (tag ``"type"``), ``output_types`` (list of ``str``) and,
        optionally, ``input_types`` (list of ``{"sensor_kind", "sensor_type"?, "image_encoding"?,
        "pixel_format"?}``); returns its ``RegistryRef``."""
        detector_id = string(detector_id, "detector_id")
        outputs = _json.dumps(_string_list(output_types, "output_types")).encode("utf-8")
        inputs = None if input_types is None else _json.dumps(input_types).encode("utf-8")
        data = _json.dumps(body).encode("utf-8")
        digest = call_registry_hash(lib.auki_peer_register_detector, self._ptr(), encode(detector_id), data, outputs, inputs)
        return make_registry_ref(self._peer_id, detector_id, digest)

    def register_device_model(self, device_model_id, body):
        """Register a device model (newest upstream): ``body`` is ``{"model_id", "type": "urdf",
        "urdf_sha256", "meshes"?: [{"path", "sha256"}], "root_convention"?}`` whose blobs were stored
        with ``auki_registry.put_blob``; the entry is written under this peer's storage root, its id's
        ``TIP`` pointed at it, and its ``RegistryRef`` returned. An invalid id or body, or a blob that is
        not stored, is a ``ValueError`` and writes nothing."""
        from auki_registry import write_device_model

        device_model_id = string(device_model_id, "device_model_id")
        check(lib.auki_registry_validate_id(encode(device_model_id)))
        if not isinstance(body, dict):
            raise TypeError(f"argument 'body': '{type(body).__name__}' object cannot be converted to 'PyDict'")
        entry = dict(body, peer_id=self._peer_id, device_model_id=device_model_id)
        return make_registry_ref(self._peer_id, device_model_id, write_device_model(self.storage_root, entry))

    def register_urdf_package(self, urdf_path, device_model_id=None, root_convention=None, package_root=None):
        """``auki_registry.put_urdf_package`` then ``register_device_model``: registered under the URDF's
        own id (its ASCII-lowercased ``<robot name>``) unless ``device_model_id`` overrides it — the body's
        ``model_id`` stays the robot name either way. Meshes resolve under ``package_root`` (default: the
        URDF's directory). Returns the ``RegistryRef``."""
        from auki_registry import put_urdf_package

        package = put_urdf_package(self.storage_root, urdf_path, root_convention, package_root)
        model_id = package["device_model_id"] if device_model_id is None else device_model_id
        return self.register_device_model(model_id, package["body"])

    def batch(self):
        """A context manager (beyond upstream): ``with peer.batch():`` registrations of this peer and
        its sessions are durable together when the block ends (one sync instead of one per file);
        each is written atomically and readable at once. See ``auki_peer_batch_begin`` in auki.h."""
        from ._batch import RegistrationBatch

        return RegistrationBatch(self)

    def start_session(self):
        """Start a boot session: a new ULID, and the session's monotonic and UTC clocks written now."""
        from ._session import Session

        out = _c_void_p()
        check(lib.auki_peer_start_session(self._ptr(), _byref(out)))
        return Session._adopt(out.value, standalone=False, peer_id=self._peer_id, app_id=self._app_id)


Peer.__module__ = "auki_session"
