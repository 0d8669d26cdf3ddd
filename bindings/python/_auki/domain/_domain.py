"""``DomainConfig``, ``Domain`` (a session's membership of a domain over an MQTT 5 broker), the
catalog watch and the stream iterator. All behaviour is in libauki; these classes convert values
and own the native handles."""

import ctypes
import threading

from _auki._abi import STREAM_ENDED, STREAM_ENTRY
from _auki import _json
from _auki._convert import log_ref_json, string
from _auki._errors import check
from _auki._ffi import lib
from _auki._managed import Managed
from _auki._strings import call_string, encode, take
from _auki._refs import make_log_ref

from . import _logging
from ._read_from import ReadFrom, StreamRequest
from ._resource_entry import ResourceEntry

_c_void_p = ctypes.c_void_p
_byref = ctypes.byref
_MS = 1000.0


_MAX_WAIT_MS = 2**63 - 1  # libauki caps every wait (Timeouts.MaxWait); this only keeps the value an int64
_MAX_CONFIG_MS = 2**32 - 1  # the config's u32 milliseconds


def _timeout_ms(timeout):
    return -1 if timeout is None else int(max(0.0, min(float(timeout) * _MS, float(_MAX_WAIT_MS))))


def _config_ms(seconds):
    return int(max(0.0, min(seconds * _MS, float(_MAX_CONFIG_MS))))


class DomainConfig:
    """How to join: ``DomainConfig(domain_id, broker="mqtt://host:port", *, connect_timeout_s,
    request_timeout_s, catalog_interval_s, keep_alive_s, chunk_bytes, username=None, password=None)``,
    the numbers defaulting to libauki's (``help(DomainConfig)`` shows them).
    Entries this peer serves above ``chunk_bytes`` (1 KiB to 4 MiB) travel in chunks.
    Without ``broker`` the config is upstream's libp2p form, which joining refuses with
    ``NotImplementedError``."""

    __slots__ = ("domain_id", "broker", "connect_timeout_s", "request_timeout_s", "catalog_interval_s",
                 "keep_alive_s", "chunk_bytes", "username", "password")

    # The keyword defaults are placeholders replaced from libauki below (_take_core_defaults).
    def __init__(self, domain_id, broker=None, *, connect_timeout_s=None, request_timeout_s=None,
                 catalog_interval_s=None, keep_alive_s=None, chunk_bytes=None, username=None, password=None):
        self.domain_id = string(domain_id, "domain_id")
        self.broker = None if broker is None else string(broker, "broker")
        self.connect_timeout_s = float(connect_timeout_s)
        self.request_timeout_s = float(request_timeout_s)
        self.catalog_interval_s = float(catalog_interval_s)
        self.keep_alive_s = int(keep_alive_s)
        self.chunk_bytes = int(chunk_bytes)
        self.username = username
        self.password = password

    def _dict(self):
        d = {
            "domain_id": self.domain_id,
            "connect_timeout_ms": _config_ms(self.connect_timeout_s),
            "request_timeout_ms": _config_ms(self.request_timeout_s),
            "catalog_interval_ms": _config_ms(self.catalog_interval_s),
            "keep_alive_s": self.keep_alive_s,
            "chunk_bytes": self.chunk_bytes,
        }
        if self.broker is not None:
            d["broker"] = self.broker
        if self.username is not None:
            d["username"] = self.username
            d["password"] = self.password or ""
        return d

    def __repr__(self):
        return f"DomainConfig(domain_id={self.domain_id!r}, broker={self.broker!r})"


def _take_core_defaults():
    """DomainConfig's numeric keyword defaults are the core's (auki_domain_config_defaults), so the
    one place they are written down is core/Domain/DomainConfig.cs and help() shows real values."""
    core = _json.loads(call_string(lib.auki_domain_config_defaults))
    DomainConfig.__init__.__kwdefaults__.update(
        connect_timeout_s=core["connect_timeout_ms"] / _MS, request_timeout_s=core["request_timeout_ms"] / _MS,
        catalog_interval_s=core["catalog_interval_ms"] / _MS, keep_alive_s=core["keep_alive_s"],
        chunk_bytes=core["chunk_bytes"])


_take_core_defaults()


def _config_json(config):
    if isinstance(config, DomainConfig):
        return _json.dumps(config._dict())
    if isinstance(config, dict):
        return _json.dumps(config)
    raise TypeError(f"argument 'config': '{type(config).__name__}' object cannot be converted to 'DomainConfig'")


class StreamEntry:
    """One entry of a stream: ``timestamp_ns``, ``seq`` (position in this stream, from 0), ``payload`` (bytes)."""

    __slots__ = ("timestamp_ns", "seq", "payload")

    def __init__(self, timestamp_ns, seq, payload):
        self.timestamp_ns = timestamp_ns
        self.seq = seq
        self.payload = payload

    def __eq__(self, other):
        if not isinstance(other, StreamEntry):
            return NotImplemented
        return (self.timestamp_ns, self.seq, self.payload) == (other.timestamp_ns, other.seq, other.payload)

    def __repr__(self):
        return f"StreamEntry(timestamp_ns={self.timestamp_ns}, seq={self.seq}, payload=<{len(self.payload)} bytes>)"


class Stream(Managed):
    """Entries of a remote log: iterate (blocks for live entries, ends at EndOfStream) or call
    ``next(timeout)``. ``manifest`` is the owner's manifest, ``row`` its catalog row. ``close()``
    tells the owner to stop."""

    __slots__ = ("log_ref", "manifest", "row", "_status", "_ts", "_seq", "_data", "_len")
    _free = lib.auki_stream_free

    @classmethod
    def _wrap(cls, handle):
        obj = object.__new__(cls)
        obj._handle = handle
        try:
            info = _json.loads(call_string(lib.auki_stream_manifest, handle))
        except BaseException:
            obj.close()
            raise
        ref = info["log_ref"]
        obj.log_ref = make_log_ref(ref["source_peer_id"], ref["resource_id"])
        obj.manifest = info["manifest"]
        obj.row = ResourceEntry.from_dict(info["row"]) if info.get("row") else None
        obj._status = ctypes.c_int()
        obj._ts = ctypes.c_int64()
        obj._seq = ctypes.c_int64()
        obj._data = ctypes.c_void_p()
        obj._len = ctypes.c_size_t()
        return obj

    def next(self, timeout=None):
        """The next ``StreamEntry``, waiting up to ``timeout`` seconds (``None`` = forever); ``None`` on
        timeout; ``StopIteration`` once the stream has ended."""
        check(lib.auki_stream_next(self._ptr(), _timeout_ms(timeout), _byref(self._status), _byref(self._ts),
                                   _byref(self._seq), _byref(self._data), _byref(self._len)))
        status = self._status.value
        if status == STREAM_ENTRY:
            payload = ctypes.string_at(self._data.value, self._len.value) if self._len.value else b""
            return StreamEntry(self._ts.value, self._seq.value, payload)
        if status == STREAM_ENDED:
            raise StopIteration
        return None

    @property
    def end_reason(self):
        """Why the stream ended (the owner's EndOfStream reason), or ``None`` while it has not."""
        return call_string(lib.auki_stream_end_reason, self._ptr())

    def status(self):
        """What the stream is doing now: ``{"state": "connecting" | "catching_up" | "live" | "stalled" |
        "ended", "end_reason", "server", "received_entries", "received_bytes", "bytes_per_second",
        "lag_entries", "lag_ns", "lane": "small" | "bulk"}`` (docs/domains.md, "Observability")."""
        return _json.loads(call_string(lib.auki_stream_status, self._ptr()))

    def __iter__(self):
        return self

    def __next__(self):
        return self.next(None)

    def __repr__(self):
        return f"Stream(log_ref={self.log_ref!r})"


class CatalogEvent:
    """A catalog change: ``event`` ("added" | "updated" | "removed"), ``peer_id`` (whose catalog),
    ``entry`` (the ``ResourceEntry``; for "removed", the row as it was)."""

    __slots__ = ("event", "peer_id", "entry")

    def __init__(self, event, peer_id, entry):
        self.event = event
        self.peer_id = peer_id
        self.entry = entry

    def __repr__(self):
        return f"CatalogEvent(event={self.event!r}, peer_id={self.peer_id!r}, resource_id={self.entry.resource_id!r})"


class CatalogWatch(Managed):
    """Catalog rows appearing, changing and disappearing, starting with an "added" event for every
    row known when the watch was opened. Iterate (ends when the domain is left) or ``next(timeout)``."""

    __slots__ = ()
    _free = lib.auki_catalog_watch_free

    def next(self, timeout=None):
        """The next ``CatalogEvent``, or ``None`` after ``timeout`` seconds; ``StopIteration`` once the domain was left."""
        out = _c_void_p()
        status = lib.auki_catalog_watch_next(self._ptr(), _timeout_ms(timeout), _byref(out))
        if status == 5:  # AUKI_ERR_CLOSED: the domain was left
            raise StopIteration
        check(status)
        text = take(out)
        if text is None:
            return None
        e = _json.loads(text)
        return CatalogEvent(e["event"], e["peer_id"], ResourceEntry.from_dict(e["row"]))

    def __iter__(self):
        return self

    def __next__(self):
        return self.next(None)


class Domain(Managed):
    """A session's membership of a domain carried by an MQTT 5 broker. ``Domain.join(peer, session,
    config)`` connects (``TimeoutError``/``OSError`` within ``config.connect_timeout_s`` when the broker
    cannot be reached; nothing is written), publishes the session's catalog (retained; cleared by
    ``leave()`` or by the broker's last will if the process dies) and serves its logs. The membership
    lasts until ``leave()`` (a ``with`` block leaves at its end); ``close()`` or dropping the object only
    releases this handle."""

    __slots__ = ("_domain_id", "_peer_id", "_watchers")
    _free = lib.auki_domain_free

    @classmethod
    def join(cls, peer, session, config):
        """Join ``config``'s domain as ``peer`` with ``session`` (which must belong to ``peer``)."""
        # An auki_session.Peer is the Managed owner of a peer handle (this layer cannot import the class).
        if not (isinstance(peer, Managed) and getattr(type(peer), "_free", None) is lib.auki_peer_free):
            raise TypeError(f"argument 'peer': '{type(peer).__name__}' object cannot be converted to 'Peer'")
        check(lib.auki_session_check_peer(session._ptr(), peer._ptr()))
        return cls._join_session(session, config)

    @classmethod
    def _join_session(cls, session, config):
        _logging.install()  # before the join: its connection attempts are events too
        out = _c_void_p()
        check(lib.auki_domain_join(session._ptr(), encode(_config_json(config)), _byref(out)))
        return cls._wrap(out.value)

    @classmethod
    def _of_session(cls, session):
        out = _c_void_p()
        status = lib.auki_session_domain(session._ptr(), _byref(out))
        if status == 3:  # AUKI_ERR_NOT_FOUND
            return None
        check(status)
        return cls._wrap(out.value)

    @classmethod
    def _wrap(cls, handle):
        obj = object.__new__(cls)
        obj._handle = handle
        obj._watchers = []
        info = _json.loads(call_string(lib.auki_domain_info, handle))
        obj._domain_id = info["domain_id"]
        obj._peer_id = info["peer_id"]
        return obj

    @property
    def domain_id(self):
        return self._domain_id

    @property
    def peer_id(self):
        """This member's peer id."""
        return self._peer_id

    def leave(self):
        """Leave: readers of this peer's logs get EndOfStream, materializations stop (their data
        stays on disk), the retained catalog is cleared. Idempotent."""
        for w in self._watchers:
            w.close()
        self._watchers.clear()
        check(lib.auki_domain_leave(self._ptr()))

    def peers(self):
        """Peer ids whose catalog the broker holds now (this one included), sorted."""
        return _json.loads(call_string(lib.auki_domain_peers, self._ptr()))

    def fetch_resources_catalog(self, peer_id):
        """``peer_id``'s catalog rows (``list[ResourceEntry]``); ``KeyError`` if it is not in the domain."""
        rows = _json.loads(call_string(lib.auki_domain_fetch_resources_catalog, self._ptr(), encode(string(peer_id, "peer_id"))))
        return [ResourceEntry.from_dict(r) for r in rows]

    def refresh_catalog(self):
        """Republish this peer's catalog now if it changed (it is also re-measured periodically)."""
        check(lib.auki_domain_refresh_catalog(self._ptr()))

    def watch_catalog(self):
        """A ``CatalogWatch`` (iterator of ``CatalogEvent``)."""
        out = _c_void_p()
        check(lib.auki_domain_watch_catalog(self._ptr(), _byref(out)))
        watch = object.__new__(CatalogWatch)
        watch._handle = out.value
        return watch

    def on_catalog_change(self, callback):
        """Call ``callback(event)`` from a background thread for every ``CatalogEvent``; returns the
        watch (``close()`` it to stop; leaving the domain stops it too)."""
        watch = self.watch_catalog()
        self._watchers.append(watch)

        def run():
            try:
                for event in watch:
                    callback(event)
            except RuntimeError:
                pass  # the watch was closed

        threading.Thread(target=run, name="auki catalog watch", daemon=True).start()
        return watch

    def fetch_registry_entry(self, kind, peer_id, id, hash, *, from_peer=None):  # noqa: A002
        """A registry entry (dict) by content address, fetched from ``from_peer`` (default ``peer_id``)
        and re-hashed on arrival (``ValueError`` when the bytes do not match ``hash``)."""
        text = call_string(lib.auki_domain_fetch_registry_entry, self._ptr(), encode(string(kind, "kind")),
                           encode(string(peer_id, "peer_id")), encode(string(id, "id")), encode(string(hash, "hash")),
                           None if from_peer is None else encode(string(from_peer, "from_peer")))
        return _json.loads(text)

    def fetch_sensor_entry(self, peer_id, id, hash, *, from_peer=None):  # noqa: A002
        return self.fetch_registry_entry("sensor", peer_id, id, hash, from_peer=from_peer)

    def fetch_clock_entry(self, peer_id, id, hash, *, from_peer=None):  # noqa: A002
        return self.fetch_registry_entry("clock", peer_id, id, hash, from_peer=from_peer)

    def fetch_frame_entry(self, peer_id, id, hash, *, from_peer=None):  # noqa: A002
        return self.fetch_registry_entry("frame", peer_id, id, hash, from_peer=from_peer)

    def fetch_detector_entry(self, peer_id, id, hash, *, from_peer=None):  # noqa: A002
        return self.fetch_registry_entry("detector", peer_id, id, hash, from_peer=from_peer)

    def open_stream(self, log_ref, read_from=None):
        """A ``Stream`` of ``log_ref`` (``LogRef`` or ``{"source_peer_id","resource_id"}``) from
        ``read_from`` (default ``ReadFrom.latest()``). Declined (unknown log, absent peer):
        ``KeyError`` with the owner's reason."""

        if read_from is None:
            read_from = ReadFrom.latest()
        if not isinstance(read_from, ReadFrom):
            raise TypeError(f"argument 'read_from': '{type(read_from).__name__}' object cannot be converted to 'ReadFrom'")
        out = _c_void_p()
        check(lib.auki_domain_open_stream(self._ptr(), log_ref_json(log_ref), encode(_json.dumps(read_from._json())),
                                          _byref(out)))
        return Stream._wrap(out.value)

    def materialization_status(self, log_ref):
        """``Stream.status()`` of this session's materialization of ``log_ref`` (its copy's entries count
        as received); ``KeyError`` when it materializes no such log."""

        return _json.loads(call_string(lib.auki_domain_materialization_status, self._ptr(), log_ref_json(log_ref)))

    def open_stream_with_request(self, request):
        """``open_stream`` from a ``StreamRequest`` (an empty ``source_peer_id`` is not allowed here)."""
        if not isinstance(request, StreamRequest):
            raise TypeError(f"argument 'request': '{type(request).__name__}' object cannot be converted to 'StreamRequest'")
        if not request.source_peer_id:
            raise ValueError("StreamRequest.source_peer_id must name the peer to stream from")
        return self.open_stream({"source_peer_id": request.source_peer_id, "resource_id": request.resource_id},
                                request.from_)

    def __exit__(self, exc_type, exc, tb):
        try:
            self.leave()
        finally:
            self.close()

    def __repr__(self):
        return f"Domain(domain_id={self._domain_id!r}, peer_id={self._peer_id!r})"


for _cls in (DomainConfig, StreamEntry, Stream, CatalogEvent, CatalogWatch, Domain):
    _cls.__module__ = "auki_domain"
del _cls
