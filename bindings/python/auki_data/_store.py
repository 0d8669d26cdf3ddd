"""``Store``: the storage root activity sessions live in (it plays the part of Roboto's client),
and discovery over it: ``peers()``, ``boot_sessions()``, ``logs()`` (what ``auki ls --json`` lists,
from the same core code through ``auki_store_*``) and ``open()`` to stream one log's entries.

Every activity-session call takes ``store=`` or falls back to the default set with :func:`use_store`.
"""

import os

from _auki import _json
from _auki._convert import given, i64
from _auki._ffi import lib
from _auki._logdata import EntryStream, open_reader_out_first
from _auki._strings import call_string, encode
from _auki._message_types import message_class
from _auki._refs import LogRef, make_log_ref

from ._discovery import BootSessionInfo, LogInfo, PeerInfo

_default = None


class Store:
    """The storage root peers record under (``Peer.with_storage_root(...)``); sessions are kept
    in ``<storage_root>/activity_sessions/``. Cheap to create: it holds only the path."""

    __slots__ = ("_root", "_encoded")

    def __init__(self, storage_root):
        try:
            root = os.fspath(storage_root)
        except TypeError:
            raise ValueError(f"storage_root must be a str or path-like, not {type(storage_root).__name__}") from None
        if not isinstance(root, str):
            raise ValueError("storage_root must be a str or path-like giving a str, not bytes")
        if not root:
            raise ValueError("storage_root must not be empty")
        if "\0" in root:
            raise ValueError("embedded null character")
        self._root = root
        self._encoded = root.encode("utf-8")

    @property
    def storage_root(self):
        """The storage root, as given."""
        return self._root

    # ---- discovery (core/Inspect through auki_store_*) ------------------------------------------

    def peers(self):
        """Every peer (device) with logs under the root, by ``peer_id``: a list of ``PeerInfo``."""
        return [PeerInfo._from(r) for r in _json.loads(call_string(lib.auki_store_peers, self._encoded))]

    def boot_sessions(self, peer_id=None):
        """The boot sessions of ``peer_id`` (``None``: of every peer), by peer then id: ``BootSessionInfo``s."""
        peer = None if peer_id is None else encode(_text(peer_id, "peer_id"))
        return [BootSessionInfo._from(r) for r in _json.loads(call_string(lib.auki_store_boot_sessions, self._encoded, peer))]

    def logs(self, peer_id=None, start_ns=None, end_ns=None, *, kind=None, boot_session_id=None):
        """The logs of one peer (``None``: every peer) holding an entry in ``[start_ns, end_ns]``
        (inclusive; ``None`` = unbounded; each log's timestamps in its own clock; with a bound, a log
        without entries is left out), optionally of one ``kind`` (sensor, pose, time_transform,
        detection) or boot session: a list of ``LogInfo`` by peer, boot session and resource id."""
        query = given(("peer_id", peer_id, _text), ("boot_session_id", boot_session_id, _text), ("kind", kind, _text),
                      ("start_ns", start_ns, i64), ("end_ns", end_ns, i64))
        text = call_string(lib.auki_store_logs, self._encoded, _json.dumps(query).encode("utf-8") if query else None)
        return [LogInfo._from(r, self) for r in _json.loads(text)]

    def log(self, log, *, boot_session_id=None):
        """The ``LogInfo`` of one log: a ``LogInfo``, a file id (``<boot_session_id>/logs/<peer>/<resource_id>``),
        a path to its directory inside the root, anything with a ``root`` (a log handle), or a ``LogRef``
        (with ``boot_session_id`` when its peer recorded it in several boot sessions).
        ``NotFoundError`` when there is no such log."""
        if isinstance(log, LogRef) or (isinstance(log, dict) and "resource_id" in log):
            source, resource = (log.source_peer_id, log.resource_id) if isinstance(log, LogRef) else (log.get("source_peer_id"), log.get("resource_id"))
            boot = None if boot_session_id is None else encode(_text(boot_session_id, "boot_session_id"))
            text = call_string(lib.auki_store_find_log, self._encoded, encode(_text(source, "source_peer_id")),
                               encode(_text(resource, "resource_id")), boot)
        else:
            text = call_string(lib.auki_store_log, self._encoded, encode(_log_name(log)))
        return LogInfo._from(_json.loads(text), self)

    def open(self, log, start_ns=None, end_ns=None, *, decode=False, boot_session_id=None):
        """Stream one log's entries with ``start_ns`` ≤ timestamp ≤ ``end_ns`` (``None`` = unbounded), in
        timestamp order, one batch at a time: ``auki_logs.Entry`` objects, or with ``decode=True``
        ``(timestamp_ns, message)`` of its ``payload_type`` (``TypeError`` for opaque payloads). ``log`` is
        anything :meth:`log` takes. The stream keeps ``log`` (its ``LogInfo``), ``file_id``, ``root`` and
        ``log_ref`` after ``close()``."""
        info = log if isinstance(log, LogInfo) and log._store == self else self.log(log, boot_session_id=boot_session_id)
        cls = None
        if decode:
            if info.payload_type is None:
                raise TypeError(f"log {info.file_id!r} has opaque payloads (no message type); open() it without decode")
            cls = message_class(info.payload_type)
        reader = open_reader_out_first(lib.auki_store_open_reader, self._encoded, encode(info.file_id),
                                       start_ns=start_ns, end_ns=end_ns)
        stream = LogStream._wrap(reader, cls)
        stream._log = info
        return stream

    def __repr__(self):
        return f"Store({self._root!r})"

    def __eq__(self, other):
        return isinstance(other, Store) and other._root == self._root

    def __hash__(self):
        return hash(("auki_data.Store", self._root))


class LogStream(EntryStream):
    """The entries of one discovered log (``Store.open``), streamed one batch at a time; ``log``,
    ``file_id``, ``root`` and ``log_ref`` name the log and stay readable after ``close()``."""

    __slots__ = ("_log",)

    @property
    def log(self):
        """The ``LogInfo`` of the log being read."""
        return self._log

    @property
    def file_id(self):
        return self._log.file_id

    @property
    def root(self):
        """The log directory."""
        return self._log.root

    @property
    def log_ref(self):
        return make_log_ref(self._log.source_peer_id, self._log.resource_id)

    def __repr__(self):
        return f"<auki_data.LogStream {self._log.file_id!r}{' closed' if self.closed else ''}>"


LogStream.__module__ = "auki_data"


def _text(value, name):
    if not isinstance(value, str):
        raise ValueError(f"{name} must be a str, not {type(value).__name__}")
    if "\0" in value:
        raise ValueError(f"{name}: embedded null character")
    return value


def _log_name(log):
    if isinstance(log, LogInfo):
        return log.file_id
    root = getattr(log, "root", None)
    if isinstance(root, str) and not isinstance(log, (str, bytes)):
        return root
    try:
        name = os.fspath(log)
    except TypeError:
        raise ValueError(f"log must be a LogInfo, a file id, a log directory, a LogRef or a log handle, not {type(log).__name__}") from None
    return _text(name, "log")


def use_store(store):
    """Make ``store`` the default for calls that pass no ``store=``; ``None`` removes the default.
    Returns ``store``."""
    global _default
    if store is not None and not isinstance(store, Store):
        raise ValueError(f"use_store() takes an auki_data.Store or None, not {type(store).__name__}")
    _default = store
    return store


def resolve(store):
    """The store for a call: ``store`` itself, else the default."""
    if store is None:
        if _default is None:
            raise ValueError("no store: pass store=auki_data.Store(storage_root) or call auki_data.use_store(...) first")
        return _default
    if not isinstance(store, Store):
        raise ValueError(f"store must be an auki_data.Store, not {type(store).__name__}")
    return store
