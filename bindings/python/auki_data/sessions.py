"""Activity sessions: named time windows over recorded logs (Roboto's ``Session`` API, locally).

A session holds *files* — recorded log directories, each whole or narrowed to an inclusive
window ``[range_min_timestamp_ns, range_max_timestamp_ns]`` in the log's own clock — and is
attached to zero or more *devices* (peer ids). A file's id is its path relative to the storage
root, e.g. ``"<boot_session_id>/logs/galbot/head_left_rgb"``. A *topic* is one peer's log of one
resource: ``topic_id`` ``"<peer>/<resource_id>"``, ``name`` the resource id.

Every logic rule lives in libauki (``core/Activity``); this module converts arguments and
results. Invalid arguments raise ``ValueError``, unknown ids ``auki_data.NotFoundError``.
"""

import ctypes
from collections import namedtuple
from datetime import datetime, timedelta, timezone

from _auki._errors import BUFFER_TOO_SMALL, NotFoundError, check
from _auki._ffi import lib
from _auki._json import dumps, loads
from _auki._managed import Managed
from _auki._strings import call_string, encode, take

from ._sentinels import NotSet
from ._store import resolve

__all__ = [
    "Session",
    "SessionFile",
    "SessionFileView",
    "Topic",
    "Entry",
    "NotSet",
    "create_session",
]

#: Items asked of the library per page by the listing generators.
PAGE_SIZE = 500

_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1


# ---- argument conversion ---------------------------------------------------------------------


def _text(value, name):
    if not isinstance(value, str):
        raise ValueError(f"{name} must be a str, not {type(value).__name__}")
    return encode(value)


def _timestamp(value, name):
    if value is None:
        return None
    if type(value) is bool or not isinstance(value, int):
        raise ValueError(f"{name} must be an int (nanoseconds) or None, not {type(value).__name__}")
    if not _INT64_MIN <= value <= _INT64_MAX:
        raise ValueError(f"{name} {value} does not fit a signed 64-bit integer")
    return int(value)


def _file_id(file, name="file"):
    """A file id from a str or from an object with a ``file_id`` attribute (a File-like)."""
    if isinstance(file, str):
        return file
    file_id = getattr(file, "file_id", None)
    if isinstance(file_id, str):
        return file_id
    raise ValueError(f"{name} must be a file id (str) or have a str file_id, not {type(file).__name__}")


def _string_list(values, name):
    if isinstance(values, (str, bytes)):
        raise ValueError(f"{name} must be a sequence of str, not a single {type(values).__name__}")
    try:
        items = list(values)
    except TypeError:
        raise ValueError(f"{name} must be a sequence of str, not {type(values).__name__}") from None
    for item in items:
        if not isinstance(item, str):
            raise ValueError(f"{name} must hold str items, not {type(item).__name__}")
    return items


def _datetime(ns):
    return None if ns is None else _EPOCH + timedelta(microseconds=ns // 1000)


def _call_record(fn, *args):
    return loads(call_string(fn, *args))


def _pages(fn, *args):
    """Every item of a token-paged listing, page by page."""
    token = None
    while True:
        page = loads(call_string(fn, *args, token, PAGE_SIZE))
        yield from page["items"]
        token = page["next_token"]
        if token is None:
            return
        token = token.encode("utf-8")


# ---- value types ---------------------------------------------------------------------------------


class SessionFile:
    """One file to add to a session (Roboto's ``SessionFile``): the whole file, or only the
    inclusive window ``[range_min_timestamp_ns, range_max_timestamp_ns]`` of it. Both bounds or
    neither, ``min <= max`` (equal allowed); checked when the object is built. Immutable."""

    __slots__ = ("file_id", "range_min_timestamp_ns", "range_max_timestamp_ns")

    def __init__(self, file_id, range_min_timestamp_ns=None, range_max_timestamp_ns=None):
        _text(file_id, "file_id")
        lo = _timestamp(range_min_timestamp_ns, "range_min_timestamp_ns")
        hi = _timestamp(range_max_timestamp_ns, "range_max_timestamp_ns")
        object.__setattr__(self, "file_id", file_id)
        object.__setattr__(self, "range_min_timestamp_ns", lo)
        object.__setattr__(self, "range_max_timestamp_ns", hi)
        check(lib.auki_activity_check_file(encode(dumps(self._json()))))

    def _json(self):
        return {
            "file_id": self.file_id,
            "range_min_timestamp_ns": self.range_min_timestamp_ns,
            "range_max_timestamp_ns": self.range_max_timestamp_ns,
        }

    def __setattr__(self, name, value):
        raise AttributeError(f"SessionFile is immutable: cannot set {name!r}")

    def __eq__(self, other):
        return isinstance(other, SessionFile) and self._json() == other._json()

    def __hash__(self):
        return hash((self.file_id, self.range_min_timestamp_ns, self.range_max_timestamp_ns))

    def __repr__(self):
        return (
            f"SessionFile(file_id={self.file_id!r}, range_min_timestamp_ns={self.range_min_timestamp_ns!r}, "
            f"range_max_timestamp_ns={self.range_max_timestamp_ns!r})"
        )


class SessionFileView:
    """One row of :meth:`Session.list_files` (Roboto's ``SessionFileView``): the contribution as
    held (``file_id``, ``range_min_timestamp_ns``, ``range_max_timestamp_ns``, ``added``,
    ``added_by``) and read-only projections of the recorded log, resolved when listed: ``name``,
    ``relative_path``, ``size`` (bytes of its segments), ``source_peer_id``, ``resource_id``,
    ``topic_id``, ``boot_session_id``, its data extent ``min_timestamp_ns``/``max_timestamp_ns``
    and ``modified`` (last write of its data). Projections are ``None`` when the log is gone."""

    __slots__ = ("_record",)

    def __init__(self, record):
        self._record = record

    def __getattr__(self, name):
        record = object.__getattribute__(self, "_record")
        if name in record:
            return record[name]
        raise AttributeError(f"'SessionFileView' object has no attribute {name!r}")

    @property
    def added(self):
        """When the file joined the session (UTC)."""
        return _datetime(self._record["added_ns"])

    @property
    def modified(self):
        """Last write of the log's data (UTC), or ``None``."""
        return _datetime(self._record["modified_ns"])

    @property
    def record(self):
        """The view as a dict (JSON shape of ``auki_activity_list_files``)."""
        return dict(self._record)

    def __repr__(self):
        return f"SessionFileView({dumps(self._record)})"


class Entry(namedtuple("Entry", ("timestamp_ns", "payload"))):
    """One entry of topic data: ``timestamp_ns`` (int) and ``payload`` (bytes); unpacks as a pair."""

    __slots__ = ()

    def __repr__(self):
        return f"Entry(timestamp_ns={self.timestamp_ns}, payload=<{len(self.payload)} bytes>)"


class Topic:
    """A topic reachable from a session: one peer's log of one resource. ``get_data`` reads it
    within the session (each file clipped to the window the session holds of it)."""

    __slots__ = ("_record", "_session")

    def __init__(self, record, session):
        self._record = record
        self._session = session

    @property
    def topic_id(self):
        """``"<source_peer_id>/<resource_id>"``."""
        return self._record["topic_id"]

    @property
    def name(self):
        """The resource id."""
        return self._record["name"]

    @property
    def source_peer_id(self):
        return self._record["source_peer_id"]

    @property
    def resource_id(self):
        return self._record["resource_id"]

    @property
    def session_id(self):
        """The session this topic was listed from (its read context)."""
        return self._session.session_id

    @property
    def record(self):
        return dict(self._record)

    def get_data(self, start_ns=None, end_ns=None):
        """This topic's entries in the session, merged in timestamp order (see :meth:`Session.get_data`)."""
        return self._session.get_data(self, start_ns=start_ns, end_ns=end_ns)

    def __eq__(self, other):
        return isinstance(other, Topic) and other._record == self._record and other.session_id == self.session_id

    def __hash__(self):
        return hash((self.session_id, self.topic_id))

    def __repr__(self):
        return f"Topic({dumps(self._record)})"


class _Reader(Managed):
    __slots__ = ()
    _free = lib.auki_activity_reader_free


_BATCH_ENTRIES = 4096
_BATCH_BYTES = 1 << 20


def _read(reader):
    """Entries from an open reader, a batch per library call; closes the reader when done."""
    with reader:
        stamps = (ctypes.c_int64 * _BATCH_ENTRIES)()
        offsets = (ctypes.c_uint64 * (_BATCH_ENTRIES + 1))()
        buf = ctypes.create_string_buffer(_BATCH_BYTES)
        count = ctypes.c_size_t()
        next_batch, string_at, byref = lib.auki_activity_reader_next_batch, ctypes.string_at, ctypes.byref
        while True:
            status = next_batch(reader._ptr(), _BATCH_ENTRIES, stamps, offsets, buf, _BATCH_BYTES, byref(count))
            if status == BUFFER_TOO_SMALL:
                yield _read_one(reader)  # a payload larger than the batch buffer
                continue
            check(status)
            n = count.value
            if n == 0:
                return
            ends = offsets[1 : n + 1]
            data = string_at(buf, ends[-1])
            start = 0
            for ts, end in zip(stamps[:n], ends):
                yield Entry(ts, data[start:end])
                start = end


def _read_one(reader):
    has, ts, data, length = ctypes.c_int(), ctypes.c_int64(), ctypes.c_void_p(), ctypes.c_size_t()
    check(lib.auki_activity_reader_next(reader._ptr(), ctypes.byref(has), ctypes.byref(ts), ctypes.byref(data),
                                        ctypes.byref(length)))
    return Entry(ts.value, ctypes.string_at(data.value, length.value) if length.value else b"")


# ---- Session ---------------------------------------------------------------------------------


class Session:
    """An activity session (Roboto's ``Session``): a named time window over recorded logs of
    zero or more devices. Build one with :meth:`create` or :func:`create_session`, find them with
    :meth:`from_id`, :meth:`for_device` and :meth:`for_org`.

    The instance caches the session's record; composition methods (``add_*``/``remove_*``) and
    :meth:`update` refresh it and return ``self``. ``min_timestamp_ns``/``max_timestamp_ns`` are
    computed from the data on every access, so they follow growing logs."""

    __slots__ = ("_record", "_store")

    def __init__(self, record, store=None):
        if not isinstance(record, dict) or not isinstance(record.get("session_id"), str):
            raise ValueError("Session(record) takes a session record dict (use Session.create or Session.from_id)")
        self._record = record
        self._store = resolve(store)

    # -- construction and lookup

    @classmethod
    def create(cls, name=None, device_ids=(), store=None):
        """A new session for zero, one or many devices (known peer ids of the store)."""
        store = resolve(store)
        name_arg = None if name is None else _text(name, "name")
        devices = encode(dumps(_string_list(device_ids, "device_ids")))
        return cls(_call_record(lib.auki_activity_create, store._encoded, name_arg, devices), store)

    @classmethod
    def from_id(cls, session_id, store=None):
        """The session with this id; ``NotFoundError`` if there is none."""
        store = resolve(store)
        return cls(_call_record(lib.auki_activity_get, store._encoded, _text(session_id, "session_id")), store)

    @classmethod
    def for_device(cls, device_id, store=None):
        """Lazy generator of the sessions attached to ``device_id``, oldest first."""
        store = resolve(store)
        device = _text(device_id, "device_id")
        return (cls(r, store) for r in _pages(lib.auki_activity_list, store._encoded, device))

    @classmethod
    def for_org(cls, store=None):
        """Lazy generator of every session of the store, oldest first."""
        store = resolve(store)
        return (cls(r, store) for r in _pages(lib.auki_activity_list, store._encoded, None))

    # -- properties

    @property
    def session_id(self):
        return self._record["session_id"]

    @property
    def name(self):
        return self._record["name"]

    @property
    def created(self):
        """Creation time (UTC ``datetime``)."""
        return _datetime(self._record["created_ns"])

    @property
    def created_by(self):
        """The OS account that created the session."""
        return self._record["created_by"]

    @property
    def modified(self):
        """Time of the last change (UTC ``datetime``)."""
        return _datetime(self._record["modified_ns"])

    @property
    def modified_by(self):
        """The OS account that made the last change."""
        return self._record["modified_by"]

    @property
    def min_timestamp_ns(self):
        """Earliest time any contribution supplies, computed now; ``None`` when none supplies one."""
        return self._bounds()["min_timestamp_ns"]

    @property
    def max_timestamp_ns(self):
        """Latest time any contribution supplies, computed now; ``None`` when none supplies one."""
        return self._bounds()["max_timestamp_ns"]

    @property
    def store(self):
        return self._store

    @property
    def record(self):
        """The cached record as a dict (``session_id``, ``name``, ``device_ids``, ``file_count``,
        ``created_ns``, ``created_by``, ``modified_ns``, ``modified_by``, and the bounds as of the last refresh)."""
        record = dict(self._record)
        record["device_ids"] = list(record["device_ids"])
        return record

    def _bounds(self):
        return _call_record(lib.auki_activity_bounds, self._store._encoded, encode(self.session_id))

    def _args(self):
        return self._store._encoded, encode(self.session_id)

    def _adopt(self, record):
        self._record = record
        return self

    # -- composition

    def add_file(self, file, range_min_timestamp_ns=None, range_max_timestamp_ns=None):
        """Add one file (an id, or an object with ``file_id``), whole or windowed. Returns ``self``."""
        return self.add_files([SessionFile(_file_id(file), range_min_timestamp_ns, range_max_timestamp_ns)])

    def add_files(self, files):
        """Add :class:`SessionFile` items (a plain id adds that file whole). All or nothing: a
        refused or unknown file changes nothing; re-adding a held file replaces its window."""
        if isinstance(files, (str, bytes)):
            raise ValueError("add_files() takes a sequence of SessionFile, not a single str")
        items = []
        for f in files:
            if isinstance(f, SessionFile):
                items.append(f._json())
            elif isinstance(f, str):
                items.append(f)
            else:
                raise ValueError(f"add_files() items must be SessionFile or a file id, not {type(f).__name__}")
        return self._adopt(_call_record(lib.auki_activity_add_files, *self._args(), encode(dumps(items))))

    def add_recording(self, boot_session_id):
        """Add every log of one boot session (``<root>/<boot_session_id>/logs/**``) whole. Returns ``self``."""
        return self._adopt(
            _call_record(lib.auki_activity_add_recording, *self._args(), _text(boot_session_id, "boot_session_id"))
        )

    def remove_file(self, file):
        """Remove one held file (an id, or an object with ``file_id``); ``NotFoundError`` if it is not held."""
        return self._remove([_file_id(file)], strict=True)

    def remove_files(self, file_ids):
        """Remove held files; ids the session does not hold are skipped. Returns ``self``."""
        if isinstance(file_ids, (str, bytes)):
            raise ValueError("remove_files() takes a sequence of file ids, not a single str")
        return self._remove([_file_id(f, "file_ids item") for f in file_ids], strict=False)

    def _remove(self, ids, strict):
        out = ctypes.c_void_p()
        status = lib.auki_activity_remove_files(*self._args(), encode(dumps(ids)), 1 if strict else 0, ctypes.byref(out), None)
        if status:
            take(out)
            check(status)
        return self._adopt(loads(take(out)))

    # -- devices

    def attach_to_device(self, device_id):
        """Attach a known peer (idempotent). The cached record is not refreshed (as in Roboto)."""
        check(lib.auki_activity_attach_device(*self._args(), _text(device_id, "device_id")))

    def detach_from_device(self, device_id):
        """Detach a device (a no-op when it is not attached). The cached record is not refreshed."""
        check(lib.auki_activity_detach_device(*self._args(), _text(device_id, "device_id")))

    def list_devices(self):
        """Lazy generator of the attached device ids, read from the store now."""
        record = _call_record(lib.auki_activity_get, *self._args())
        return iter(record["device_ids"])

    # -- listings

    def list_files(self):
        """Lazy generator of :class:`SessionFileView`, ordered by file id."""
        return (SessionFileView(r) for r in _pages(lib.auki_activity_list_files, *self._args()))

    def list_topics(self):
        """Lazy generator of :class:`Topic`: each topic once, only if a contribution's own window
        overlaps that file's data; ordered by name, then topic id."""
        return (Topic(r, self) for r in _pages(lib.auki_activity_list_topics, *self._args()))

    def get_topic(self, topic):
        """The reachable topic with this topic id, else with this name; ``NotFoundError`` when
        the session holds no data of it, ``ValueError`` when the name is ambiguous (several peers)."""
        return Topic(_call_record(lib.auki_activity_get_topic, *self._args(), _text(topic, "topic")), self)

    # -- attributes and deletion

    def update(self, name=NotSet):
        """Change attributes: ``name=NotSet`` leaves it, ``None`` clears it, a str (<= 120
        characters) sets it. Returns ``self`` refreshed."""
        changes = {}
        if name is not NotSet:
            if name is not None and not isinstance(name, str):
                raise ValueError(f"name must be a str, None or NotSet, not {type(name).__name__}")
            changes["name"] = name
        return self._adopt(_call_record(lib.auki_activity_update, *self._args(), encode(dumps(changes))))

    def delete(self):
        """Delete the session with its file links and device attachments; recorded data and peers stay."""
        check(lib.auki_activity_delete(*self._args()))

    # -- data

    def get_data(self, topic, start_ns=None, end_ns=None):
        """Entries (:class:`Entry`: ``timestamp_ns``, ``payload``) of ``topic`` — a :class:`Topic`,
        a topic id, or a name (same-named logs of several peers are read together) — from every
        file of the session, each clipped to the window the session holds of it and to
        ``[start_ns, end_ns]`` (inclusive, ``None`` = open), merged in timestamp order.
        Arguments and the topic are checked now; entries are read lazily, in batches."""
        topic_id = topic.topic_id if isinstance(topic, Topic) else topic
        topic_arg = _text(topic_id, "topic")
        lo, hi = _timestamp(start_ns, "start_ns"), _timestamp(end_ns, "end_ns")
        out = ctypes.c_void_p()
        check(lib.auki_activity_reader_open(
            ctypes.byref(out), *self._args(), topic_arg,
            None if lo is None else ctypes.byref(ctypes.c_int64(lo)),
            None if hi is None else ctypes.byref(ctypes.c_int64(hi)),
        ))
        reader = _Reader()
        reader._set_handle(out.value)
        return _read(reader)

    def __repr__(self):
        return dumps(self._record)


def create_session(device_id, name=None, store=None):
    """A new session attached to one device (Roboto's ``Device.create_session``)."""
    _text(device_id, "device_id")
    return Session.create(name=name, device_ids=[device_id], store=store)
