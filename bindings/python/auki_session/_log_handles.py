"""Log handles returned by ``Session.register_*_log``: the declared log's ``resource_id``, a fresh
``log_ref`` on each access, and ``root`` (the log directory holding ``manifest.json``).

Beyond upstream, every handle carries the log's data (auki-logs layout beside ``manifest.json``):
``append``, ``append_many``, ``read``, ``tail``, ``flush``, ``configure`` and ``close``.

Each handle owns an ``auki_log`` handle: ``close()`` (or ``with``) flushes, fsyncs and releases the
log's writer (sealing a fixed-head log), then the handle; the log stays on disk and in its session.
A closed handle keeps its identity (``resource_id``, ``log_ref``, ``root``, ``payload_type``,
``frame_layout``), as a closed file keeps its ``name``; its data calls raise
``RuntimeError("... has been closed")``.
"""

import ctypes

from _auki import _json
from _auki._convert import boolean, given, u64
from _auki._errors import check, error_for
from _auki._ffi import lib
from _auki._logdata import EntryStream, append_many, append_one, bind_append, open_reader, open_tail
from _auki._managed import Managed
from _auki._signature import no_constructor
from _auki._strings import call_string
from auki_datatypes import Message
from _auki._message_types import message_class
from _auki._refs import make_log_ref

_append = lib.auki_log_append
_append_typed = lib.auki_log_append_typed
_UNSET = object()


@no_constructor
class _LogHandle(Managed):
    __slots__ = ("_resource_id", "_root", "_source_peer_id", "_payload_type", "_frame_layout")
    _free = lib.auki_log_free

    @classmethod
    def _wrap(cls, handle):
        obj = object.__new__(cls)
        obj._handle = handle
        obj._payload_type = _UNSET
        obj._frame_layout = _UNSET
        # Identity is read now, so it stays readable after close() (as a closed file keeps its name).
        try:
            ref = _json.loads(call_string(lib.auki_log_ref, handle))
            obj._source_peer_id, obj._resource_id = ref["source_peer_id"], ref["resource_id"]
            obj._root = call_string(lib.auki_log_root, handle)
        except BaseException:
            obj._handle = None
            lib.auki_log_free(handle)
            raise
        return obj

    @property
    def resource_id(self):
        """The log's resource id (sensor id, ``from->to``, instance id, ...); readable after ``close()``."""
        return self._resource_id

    @property
    def log_ref(self):
        """A new ``LogRef(source_peer_id, resource_id)`` naming this log; readable after ``close()``."""
        return make_log_ref(self._source_peer_id, self._resource_id)

    @property
    def root(self):
        """The log directory (``str``), which holds ``manifest.json``; readable after ``close()``."""
        return self._root

    # ---- data (beyond upstream) ----------------------------------------------------------------

    def configure(self, *, integrity=None, fsync_interval_ns=None, buffer_size=None):
        """Writer options, only before the first append: ``integrity=True`` writes format-v2 segments
        (a CRC32C per entry; upstream readers cannot read them), ``fsync_interval_ns`` adds an fsync
        when that much time passed since the last one, ``buffer_size`` is the write buffer in bytes
        (0 = every entry goes to the OS at once). ``None`` keeps the default."""
        options = given(("integrity", integrity, boolean), ("fsync_interval_ns", fsync_interval_ns, u64),
                        ("buffer_size", buffer_size, u64))
        check(lib.auki_log_configure(self._ptr(), _json.dumps(options).encode("utf-8")))

    @property
    def payload_type(self):
        """The ``auki_datatypes`` class of this log's entries (``camera.CameraFrame``, ``pose.SpatialTransform``,
        …), from the log's kind and its sensor's kind; ``None`` when its payloads are opaque bytes.
        Readable after ``close()`` once read before it (``close()`` reads it)."""
        if self._payload_type is _UNSET:
            name = call_string(lib.auki_log_payload_type, self._ptr())
            self._payload_type = None if name is None else message_class(name)
        return self._payload_type

    @property
    def frame_layout(self):
        """For a camera log, how its frames are laid out (a dict: ``image_encoding``, ``pixel_format``,
        ``width``, ``height``, ``row_stride_bytes``, and ``channels``/``bytes_per_channel`` for known raw
        formats), what ``CameraFrame.to_numpy`` takes; ``None`` for other logs. Readable after ``close()``."""
        if self._frame_layout is _UNSET:
            self._frame_layout = call_string(lib.auki_log_frame_layout, self._ptr())
        return None if self._frame_layout is None else _json.loads(self._frame_layout)

    def _append_slow(self, timestamp_ns, payload):
        if isinstance(payload, Message):
            self._check(append_one(_append_typed, self._handle, timestamp_ns, self._encode(payload)))
            return
        self._check(append_one(_append, self._handle, timestamp_ns, payload))

    append = bind_append(_append, lambda self, status: self._fail(status), _append_slow)
    append.__doc__ = """Append one entry: ``timestamp_ns`` (int ≥ 0, not earlier than the log's last entry) and
        ``payload``: ``bytes`` or any C-contiguous bytes-like object, passed without a copy; or a
        message of the log's ``payload_type``, which is encoded and checked (a raw camera frame must
        hold height × row_stride_bytes bytes). Entries are buffered until ``flush()``, ``close()`` or
        a full buffer."""

    def append_many(self, timestamps, payloads, lengths=None):
        """Append a batch in one call, validated as a whole before anything is written.

        ``timestamps``: a sequence of ints or an int64 buffer (numpy ``int64`` array, ``array('q')``;
        used in place). ``payloads``: a sequence of bytes-like objects; or a 2-D array (numpy
        ``uint8`` of shape ``(n, size)``: one row per entry, used in place); or one bytes-like buffer
        with ``lengths`` (per-entry byte counts, consecutive payloads back to back). A sequence of
        large payloads (64 KiB or more on average) is passed as one pointer per payload, so frames
        are never joined into one copy."""
        self._check(append_many(lib.auki_log_append_many, lib.auki_log_append_many_fixed, lib.auki_log_append_gather,
                                self._ptr(), timestamps, payloads, lengths))

    def read(self, start_ns=None, end_ns=None, *, decode=False):
        """Entries with ``start_ns`` ≤ timestamp ≤ ``end_ns`` (``None`` = unbounded), in timestamp order, as
        an iterator of ``auki_logs.Entry`` that holds one batch at a time (``list(...)`` for a list); with
        ``decode=True`` of ``(timestamp_ns, message)`` of the log's ``payload_type`` (``TypeError`` for a
        log of opaque payloads), each frame's bytes copied once. Sees what was flushed (by any writer)."""
        cls = self._message_class() if decode else None
        return EntryStream._wrap(open_reader(lib.auki_log_open_reader, self._ptr(), start_ns=start_ns, end_ns=end_ns), cls)

    def messages(self, start_ns=None, end_ns=None):
        """``read(start_ns, end_ns, decode=True)``: an iterator of ``(timestamp_ns, message)``."""
        return self.read(start_ns, end_ns, decode=True)

    def _message_class(self):
        cls = self.payload_type
        if cls is None:
            raise TypeError(f"log {self.resource_id!r} has opaque payloads (no message type); read() its bytes")
        return cls

    def _encode(self, message):
        cls = self.payload_type
        if cls is None:
            raise TypeError(f"payload: log {self.resource_id!r} has opaque payloads; pass bytes, not {type(message).__name__}")
        if type(message) is not cls:
            raise TypeError(f"payload: expected {cls._full_name_}, got {type(message)._full_name_ or type(message).__name__}")
        return bytes(message)

    def tail(self):
        """An ``auki_logs.TailIter`` over entries flushed from now on (``try_next()``, blocking iteration)."""
        return open_tail(lib.auki_log_open_tail, self._ptr(), 0)

    def flush(self):
        """Write buffered entries and fsync them: they survive a crash from now on."""
        check(lib.auki_log_flush(self._ptr()))

    def close(self):
        """Flush, fsync and release the writer (a fixed-head log becomes sealed), then release this
        handle. Closing twice is a no-op. ``resource_id``, ``log_ref``, ``root``, ``payload_type`` and
        ``frame_layout`` stay readable; data calls raise ``RuntimeError("... has been closed")``."""
        handle = getattr(self, "_handle", None)
        if not handle:
            return
        try:
            self._keep_description()
            check(lib.auki_log_close(handle))
        finally:
            super().close()

    def _keep_description(self):
        # What describes the log (not its data) is kept for after close; a failure here must not keep the handle open.
        try:
            self.payload_type
            self.frame_layout
        except Exception:
            pass

    def _check(self, status):
        if status:
            self._fail(status)

    def _fail(self, status):
        self._ptr()  # a closed handle says so
        raise error_for(status)


class SensorLogHandle(_LogHandle):
    """A declared sensor log."""

    __slots__ = ()


class PoseLogHandle(_LogHandle):
    """A declared pose log."""

    __slots__ = ()


class TimeTransformLogHandle(_LogHandle):
    """A declared time-transform log."""

    __slots__ = ()


class DetectionLogHandle(_LogHandle):
    """A declared detection log."""

    __slots__ = ()


class MaterializedLogHandle(_LogHandle):
    """A local copy of a remote log (``Session.materialize_remote_log``; not implemented yet, as upstream)."""

    __slots__ = ()


for _cls in (SensorLogHandle, PoseLogHandle, TimeTransformLogHandle, DetectionLogHandle, MaterializedLogHandle):
    _cls.__module__ = "auki_session"
del _cls
