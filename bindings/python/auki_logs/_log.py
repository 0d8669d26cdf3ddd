"""``Log`` (the writer), ``LogReader`` (a read snapshot) and ``StreamSource`` (serving metadata).

Errors as upstream: a closed log raises ``RuntimeError("log has been closed")``; I/O failures are
``OSError``; bad payloads, manifests and segment bytes are ``ValueError`` (``payload: …``,
``manifest: …``, ``format: …``). A second writer on the same log, in this process or another,
gets ``RuntimeError("log is locked by another writer: …")`` (upstream had no such lock).
"""

import ctypes

from _auki._ffi import lib
from _auki import _json
from _auki._convert import fspath, i64, optional_string, string
from _auki._errors import check, error_for
from _auki._logdata import EntryStream, TailIter, append_one, bind_append, open_reader_out_first, read_entries
from _auki._rustfmt import debug_str
from _auki._signature import no_constructor
from _auki._strings import call_string, encode

_byref = ctypes.byref
_c_void_p = ctypes.c_void_p
_append = lib.auki_log_writer_append

_CLOSED = "log has been closed"
_PAYLOAD_KINDS = ("camera", "pointcloud", "joint_encoders", "audio")
#: Name of the capsule ``StreamSource._stream_source_capsule()`` returns (upstream's).
STREAM_SOURCE_CAPSULE_NAME = b"auki_logs_py::stream_source::v1"


def _fail(log, status):
    raise error_for(status)


def _append_slow(log, timestamp_ns, payload):
    check(append_one(_append, log._handle, timestamp_ns, payload))


def _manifest_json(manifest):
    if not isinstance(manifest, dict):
        raise TypeError(f"argument 'manifest': '{type(manifest).__name__}' object cannot be converted to 'PyDict'")
    import json

    try:
        return json.dumps(manifest, allow_nan=False).encode("utf-8")
    except ValueError as e:
        raise ValueError(f"manifest: {e}") from None


@no_constructor
class Log:
    """Write handle over a log directory (one writer per directory at a time).

    ``Log.open(root, manifest)`` opens or creates the log; ``append``, ``flush``,
    ``set_retention``, ``manifest``, ``close`` and the context manager as upstream.
    ``Log.read(root)`` and ``Log.tail(root)`` are the read side.
    """

    __slots__ = ("_handle", "_root", "_closed", "__weakref__")

    @staticmethod
    def open(root, manifest):
        """Open or create the log at ``root``. A new log gets ``manifest`` (a dict with
        ``segment_duration_ns`` > 0 and ``retention_ns`` ≥ 0; other keys are kept verbatim) written as
        canonical JSON to ``log_manifest.json``; an existing log keeps its own and ``manifest`` is ignored."""
        root = fspath(root, "root")
        text = _manifest_json(manifest)
        out = _c_void_p()
        check(lib.auki_log_writer_open(_byref(out), encode(root), text, None))
        log = object.__new__(Log)
        log._handle = out.value
        log._root = root
        log._closed = False
        return log

    append = bind_append(_append, _fail, _append_slow)
    append.__doc__ = """Append one entry (``timestamp_ns`` ≥ 0 and not earlier than the last entry; ``payload``
        bytes-like). Rolls to a new segment when the timestamp leaves the current one's window and
        evicts segments outside retention."""

    def flush(self):
        """Write buffered entries and fsync the current segment."""
        check(lib.auki_log_writer_flush(self._handle))

    def set_retention(self, retention_ns):
        """Change ``retention_ns`` (≥ 0; 0 keeps everything) for future appends; ``log_manifest.json``
        is rewritten atomically first."""
        check(lib.auki_log_writer_set_retention(self._handle, i64(retention_ns, "retention_ns")))

    def manifest(self):
        """The log's manifest (the one on disk) as a ``dict``."""
        return _json.loads(call_string(lib.auki_log_writer_manifest, self._handle))

    def stream_source(self, *, sensor_id, sensor_hash, clock_id, clock_hash, payload_kind, frame_id=None,
                      frame_hash=None):
        """Metadata for serving this log as a stream (``payload_kind``: camera, pointcloud,
        joint_encoders or audio); an absent frame is ``""``."""
        fields = (
            string(sensor_id, "sensor_id"),
            string(sensor_hash, "sensor_hash"),
            string(clock_id, "clock_id"),
            string(clock_hash, "clock_hash"),
            string(payload_kind, "payload_kind"),
            optional_string(frame_id, "frame_id") or "",
            optional_string(frame_hash, "frame_hash") or "",
        )
        if self._closed:
            raise RuntimeError(_CLOSED)
        if fields[4] not in _PAYLOAD_KINDS:
            raise ValueError(
                f"payload_kind must be one of camera, pointcloud, joint_encoders, or audio; got {debug_str(fields[4])}")
        return StreamSource._make(self._root, *fields, "", "", "", "", "")

    def map_stream_source(self, *, resource_id, map_peer_id, map_id, map_hash, clock_peer_id, clock_id, clock_hash):
        """Metadata for serving this log as a retained Map Log stream (``payload_kind`` ``"map"``):
        the map's identity and its clock are pinned; every argument must be non-empty."""
        given = (("resource_id", resource_id), ("map_peer_id", map_peer_id), ("map_id", map_id), ("map_hash", map_hash),
                 ("clock_peer_id", clock_peer_id), ("clock_id", clock_id), ("clock_hash", clock_hash))
        values = {name: string(value, name) for name, value in given}
        if self._closed:
            raise RuntimeError(_CLOSED)
        for name, value in values.items():
            if not value:
                raise ValueError(f"{name} must not be empty")
        return StreamSource._make(self._root, "", "", values["clock_id"], values["clock_hash"], "map", "", "",
                                  values["resource_id"], values["map_peer_id"], values["map_id"], values["map_hash"],
                                  values["clock_peer_id"])

    def close(self):
        """Flush, fsync and release the log; later calls raise ``RuntimeError("log has been closed")``.
        Closing twice is a no-op."""
        if self._closed:
            return
        self._closed = True
        check(lib.auki_log_writer_close(self._handle))

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        self.close()
        return False

    def __del__(self):
        # Closes (flush + fsync + unlock) if still open, as upstream's drop does.
        handle, self._handle = getattr(self, "_handle", None), None
        if handle:
            try:
                lib.auki_log_writer_free(handle)
            except Exception:
                pass

    @staticmethod
    def read(root, start_ns=None, end_ns=None):
        """A read snapshot of the log at ``root`` (its manifest and segments as of now). Beyond
        upstream: iterating it streams the entries one batch at a time, and ``start_ns``/``end_ns``
        (inclusive, ``None`` = unbounded) narrow both the iteration and ``entries()``."""
        root = fspath(root, "root")
        window = (None if start_ns is None else i64(start_ns, "start_ns"), None if end_ns is None else i64(end_ns, "end_ns"))
        info = _json.loads(call_string(lib.auki_log_info, encode(root)))
        reader = object.__new__(LogReader)
        reader._root = root
        reader._manifest = info["manifest"]
        reader._segment_starts = info["segment_starts"]
        reader._window = window
        return reader

    @staticmethod
    def tail(root):
        """A ``TailIter`` yielding entries appended to the log at ``root`` from now on."""
        root = fspath(root, "root")
        out = _c_void_p()
        check(lib.auki_log_tail_open(_byref(out), encode(root), 0))
        return TailIter._wrap(out.value)


@no_constructor
class LogReader:
    """A read snapshot of a log directory, from ``Log.read(root)``."""

    __slots__ = ("_root", "_manifest", "_segment_starts", "_window")

    def manifest(self):
        """The log's manifest as a ``dict``."""
        return _json.loads(_json.dumps(self._manifest))

    def segment_starts(self):
        """Start timestamps of the segments present when the snapshot was taken, ascending."""
        return list(self._segment_starts)

    def entries(self):
        """Every entry (of the window ``Log.read`` was given), in order, as a ``list`` (as upstream)."""
        out = self._open()
        try:
            return read_entries(out)
        finally:
            lib.auki_log_reader_free(out)

    def __iter__(self):
        """The entries of ``entries()`` as an iterator holding one batch at a time (beyond upstream)."""
        return EntryStream._wrap(self._open())

    def read(self, start_ns=None, end_ns=None):
        """An iterator (one batch at a time) over the entries with ``start_ns`` ≤ timestamp ≤ ``end_ns``
        (``None`` = the window ``Log.read`` was given, else unbounded)."""
        return EntryStream._wrap(self._open(start_ns, end_ns))

    def _open(self, start_ns=None, end_ns=None):
        start = self._window[0] if start_ns is None else start_ns
        end = self._window[1] if end_ns is None else end_ns
        return open_reader_out_first(lib.auki_log_reader_open, encode(self._root), start_ns=start, end_ns=end)


@no_constructor
class StreamSource:
    """Retained source metadata from ``Log.stream_source(...)`` or ``Log.map_stream_source(...)``:
    ``root``, ``sensor_id``, ``sensor_hash``, ``clock_id``, ``clock_hash``, ``payload_kind``, ``frame_id``,
    ``frame_hash``, ``resource_id``, ``map_peer_id``, ``map_id``, ``map_hash``, ``clock_peer_id``
    (fields a source does not have are ``""``, as upstream)."""

    __slots__ = ("_fields",)
    _NAMES = ("root", "sensor_id", "sensor_hash", "clock_id", "clock_hash", "payload_kind", "frame_id", "frame_hash",
              "resource_id", "map_peer_id", "map_id", "map_hash", "clock_peer_id")

    @classmethod
    def _make(cls, *fields):
        source = object.__new__(cls)
        source._fields = fields
        return source

    root = property(lambda self: self._fields[0], doc="The log directory.")
    sensor_id = property(lambda self: self._fields[1])
    sensor_hash = property(lambda self: self._fields[2])
    clock_id = property(lambda self: self._fields[3])
    clock_hash = property(lambda self: self._fields[4])
    payload_kind = property(lambda self: self._fields[5])
    frame_id = property(lambda self: self._fields[6])
    frame_hash = property(lambda self: self._fields[7])
    resource_id = property(lambda self: self._fields[8], doc="The served resource id (map sources; \"\" otherwise).")
    map_peer_id = property(lambda self: self._fields[9])
    map_id = property(lambda self: self._fields[10])
    map_hash = property(lambda self: self._fields[11])
    clock_peer_id = property(lambda self: self._fields[12])

    def _stream_source_capsule(self):
        """A ``PyCapsule`` named ``auki_logs_py::stream_source::v1`` (upstream's bridge to its network
        binding). Here it points at the source's fields as NUL-terminated UTF-8 JSON (an object with
        the property names above), valid while the capsule lives."""
        return _capsule(_json.dumps(dict(zip(self._NAMES, self._fields))).encode("utf-8"))

    def __repr__(self):
        return (f"StreamSource(sensor_id={debug_str(self._fields[1])}, payload_kind={debug_str(self._fields[5])}, "
                f"root={debug_str(self._fields[0])})")


# Capsule payloads stay alive until the capsule's destructor runs.
_capsule_payloads = {}
# The destructor gets the dying capsule as a raw pointer: wrapping it in a py_object would touch its refcount.
_CapsuleDestructor = ctypes.CFUNCTYPE(None, ctypes.c_void_p)
_capsule_new = ctypes.pythonapi.PyCapsule_New
_capsule_new.argtypes = (ctypes.c_void_p, ctypes.c_char_p, _CapsuleDestructor)
_capsule_new.restype = ctypes.py_object
_capsule_pointer = ctypes.pythonapi.PyCapsule_GetPointer
_capsule_pointer.argtypes = (ctypes.c_void_p, ctypes.c_char_p)
_capsule_pointer.restype = ctypes.c_void_p


@_CapsuleDestructor
def _release_capsule(capsule):
    _capsule_payloads.pop(_capsule_pointer(capsule, STREAM_SOURCE_CAPSULE_NAME), None)


def _capsule(payload):
    buffer = ctypes.create_string_buffer(payload)
    address = ctypes.addressof(buffer)
    _capsule_payloads[address] = buffer
    return _capsule_new(address, STREAM_SOURCE_CAPSULE_NAME, _release_capsule)


for _cls in (Log, LogReader, StreamSource):
    _cls.__module__ = "auki_logs"
del _cls
