"""Activity sessions: named time windows over recorded logs (Roboto's ``Session`` API, locally).

A session holds *files* — recorded log directories, each whole or narrowed to an inclusive
window ``[range_min_timestamp_ns, range_max_timestamp_ns]`` in the log's own clock, optionally
shifted into wall time by a Unix-epoch offset — and is attached to zero or more *devices* (peer
ids); it carries a description, tags and metadata. A file's id is its path relative to the storage
root, e.g. ``"<boot_session_id>/logs/galbot/head_left_rgb"``. A *topic* is one peer's log of one
resource: ``topic_id`` ``"<peer>/<resource_id>"``, ``name`` the resource id.

Every logic rule lives in libauki (``core/Activity``); this module converts arguments and
results. Invalid arguments raise ``ValueError``, unknown ids ``auki_data.NotFoundError``.
"""

import ctypes
from datetime import datetime, timedelta, timezone

from _auki._entry import PairEntry
from _auki._errors import NotFoundError, check
from _auki._ffi import lib
from _auki._json import dumps, loads
from _auki._logdata import entries
from _auki._managed import Managed
from _auki._strings import call_string, encode, take

from . import _frames
from ._sentinels import NotSet
from ._store import resolve

__all__ = [
    "Session",
    "SessionFile",
    "SessionFileView",
    "Topic",
    "Entry",
    "MetadataChangeset",
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


def _time(value, name):
    """A read bound: int nanoseconds (Unix epoch in session time) or a timezone-aware datetime."""
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError(f"{name} must be a timezone-aware datetime (e.g. tzinfo=timezone.utc), not a naive one")
        delta = value - _EPOCH
        return _timestamp((delta.days * 86_400 + delta.seconds) * 1_000_000_000 + delta.microseconds * 1000, name)
    return _timestamp(value, name)


def _paths(values, name):
    """A message-path filter: None, or a non-empty sequence of dotted paths."""
    if values is None:
        return None
    items = _string_list(values, name)
    if not items:
        raise ValueError(f"{name} must not be empty (pass None for no filter)")
    return items


def _metadata_dict(values, name):
    if not isinstance(values, dict):
        raise ValueError(f"{name} must be a dict, not {type(values).__name__}")
    for key in values:
        if not isinstance(key, str):
            raise ValueError(f"{name} keys must be str, not {type(key).__name__}")
    return dict(values)


def _datetime(ns):
    return None if ns is None else _EPOCH + timedelta(microseconds=ns // 1000)


def _call_record(fn, *args):
    return loads(call_string(fn, *args))


def _pages(fn, *args, page_size=None):
    """Every item of a token-paged listing, one library call per page of ``page_size`` items
    (default :data:`PAGE_SIZE`, read at each listing; 0: all in one call)."""
    if page_size is None:
        page_size = PAGE_SIZE
    token = None
    while True:
        page = loads(call_string(fn, *args, token, page_size))
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


class MetadataChangeset:
    """Tags and metadata to change in one :meth:`Session.update` (Roboto's ``MetadataChangeset``):
    ``put_tags`` (appended, no duplicates), ``remove_tags`` (absent ones ignored), ``put_fields``
    (a dict; keys in dot notation address nested objects) and ``remove_fields`` (dotted keys;
    absent ones ignored), applied in that order."""

    __slots__ = ("put_tags", "remove_tags", "put_fields", "remove_fields")

    def __init__(self, put_tags=None, remove_tags=None, put_fields=None, remove_fields=None):
        self.put_tags = None if put_tags is None else _string_list(put_tags, "put_tags")
        self.remove_tags = None if remove_tags is None else _string_list(remove_tags, "remove_tags")
        self.put_fields = None if put_fields is None else _metadata_dict(put_fields, "put_fields")
        self.remove_fields = None if remove_fields is None else _string_list(remove_fields, "remove_fields")

    def _json(self):
        return {k: getattr(self, k) for k in self.__slots__ if getattr(self, k) is not None}

    def __eq__(self, other):
        return isinstance(other, MetadataChangeset) and other._json() == self._json()

    def __repr__(self):
        return "MetadataChangeset(" + ", ".join(f"{k}={v!r}" for k, v in self._json().items()) + ")"


#: One entry of topic data (``timestamp_ns``, ``payload``) that unpacks as a pair: the shared entry type
#: (``auki_logs.Entry``) with a namedtuple's behaviour, defined once in ``_auki/_entry.py``.
Entry = PairEntry


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

    def get_entries(self, start_ns=None, end_ns=None):
        """This topic's raw entries (:class:`Entry`) in the session, merged in timestamp order (see :meth:`Session.get_data`)."""
        return self._session.get_data(self, start_ns=start_ns, end_ns=end_ns)

    def message_paths(self):
        """The dotted field names (message paths) of this topic's message type, in column order;
        ``["payload"]`` for a log without a type."""
        return [c["path"] for c in self.schema()]

    def schema(self):
        """The columns of this topic's message type: ``[{"path", "kind"[, "element"]}]``."""
        record = _call_record(lib.auki_activity_topic_schema, *self._session._args(), encode(self.topic_id))
        return record["columns"]

    def get_data(self, message_paths_include=None, message_paths_exclude=None, start_time=None, end_time=None):
        """This topic's messages in the session as ``(timestamp_ns, dict)`` (Roboto's ``get_data``):
        the typed payload's fields as a nested dict of proto field names (``{"translation": {"x":
        ...}}``), every field present (proto3 defaults for absent ones); a log without a type gives
        ``{"payload": bytes}``. ``message_paths_include`` keeps only the named dotted paths (a path
        selects its children: ``"translation"``), ``message_paths_exclude`` drops them; a path that
        names no field is a ``ValueError``. ``start_time``/``end_time`` (inclusive, int ns or an aware
        ``datetime``, session time) narrow the read; each file stays clipped to the window the
        session holds of it. Decoded in libauki, a batch at a time; a payload that does not decode
        raises ``ValueError`` naming its timestamp."""
        table, columns = self._open(message_paths_include, message_paths_exclude, start_time, end_time)
        return _frames.iter_dicts(table, columns)

    def get_data_as_df(self, message_paths_include=None, message_paths_exclude=None, start_time=None, end_time=None):
        """As :meth:`get_data`, as a pandas DataFrame: indexed by a UTC ``DatetimeIndex`` named
        ``_index``, one column per dotted message path (``translation.x``), numeric columns as
        numpy arrays of the field's type (float64, float32, int64, uint32, ...), bytes/str/list
        columns of Python objects (a raw log: one ``payload`` column of bytes). ``ImportError``
        saying what to install when pandas is missing."""
        table, columns = self._open(message_paths_include, message_paths_exclude, start_time, end_time)
        return _frames.to_dataframe(table, columns)

    def _open(self, include, exclude, start_time, end_time):
        include = _paths(include, "message_paths_include")
        exclude = _paths(exclude, "message_paths_exclude")
        lo, hi = _time(start_time, "start_time"), _time(end_time, "end_time")
        store, session_id = self._session._args()
        return _frames.open_table(self._session._store, session_id, encode(self.topic_id), lo, hi, include, exclude)

    def __eq__(self, other):
        return isinstance(other, Topic) and other._record == self._record and other.session_id == self.session_id

    def __hash__(self):
        return hash((self.session_id, self.topic_id))

    def __repr__(self):
        return f"Topic({dumps(self._record)})"


class _Reader(Managed):
    __slots__ = ()
    _free = lib.auki_activity_reader_free


def _read(reader):
    """Entries from an open reader, a batch of borrowed views per library call (the log readers'
    loop); closes the reader when done."""
    with reader:
        yield from entries(reader._ptr(), lib.auki_activity_reader_next_views, Entry)


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
    def create(cls, name=None, device_ids=(), description=None, metadata=None, tags=None, store=None):
        """A new session for zero, one or many devices (known peer ids of the store), with an
        optional description, tags and metadata (a dict; dotted keys make nested objects)."""
        store = resolve(store)
        request = {"device_ids": _string_list(device_ids, "device_ids")}
        if name is not None:
            _text(name, "name")
            request["name"] = name
        if description is not None:
            _text(description, "description")
            request["description"] = description
        if metadata is not None:
            request["metadata"] = _metadata_dict(metadata, "metadata")
        if tags is not None:
            request["tags"] = _string_list(tags, "tags")
        return cls(_call_record(lib.auki_activity_create_v2, store._encoded, encode(dumps(request))), store)

    @classmethod
    def search(cls, device_id=None, start_time=None, end_time=None, tags=None, metadata=None, store=None):
        """Lazy generator of the sessions that meet every criterion given, oldest first (Roboto's
        ``find_sessions``): attached to ``device_id``; bounds overlapping ``[start_time, end_time]``
        (inclusive, int ns or aware datetime; one side may be open; a session without bounds never
        overlaps); carrying every tag of ``tags``; ``metadata`` ``{dotted_key: value}`` equal."""
        store = resolve(store)
        query = {}
        if device_id is not None:
            _text(device_id, "device_id")
            query["device_id"] = device_id
        lo, hi = _time(start_time, "start_time"), _time(end_time, "end_time")
        if lo is not None:
            query["start_ns"] = lo
        if hi is not None:
            query["end_ns"] = hi
        if tags is not None:
            query["tags"] = _string_list(tags, "tags")
        if metadata is not None:
            query["metadata"] = _metadata_dict(metadata, "metadata")
        return (cls(r, store) for r in _pages(lib.auki_activity_search, store._encoded, encode(dumps(query))))

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
    def description(self):
        return self._record.get("description")

    @property
    def tags(self):
        """The tags (a copy), in the order they were put."""
        return list(self._record.get("tags", ()))

    @property
    def metadata(self):
        """The metadata (a deep copy)."""
        return loads(dumps(self._record.get("metadata", {})))

    @property
    def device_unix_offsets_ns(self):
        """``{device_id: unix_offset_ns}`` set with :meth:`set_unix_offset` (a copy)."""
        return dict(self._record.get("device_unix_offsets_ns", {}))

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
        """The cached record as a dict (``session_id``, ``name``, ``description``, ``tags``,
        ``metadata``, ``device_ids``, ``device_unix_offsets_ns``, ``file_count``, ``created_ns``,
        ``created_by``, ``modified_ns``, ``modified_by``, and the bounds as of the last refresh)."""
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
        # Paged like every listing: the library computes the topic list for the first page and cuts
        # the later pages from it (while the session is unchanged), so a page costs one call and its items.
        return (Topic(r, self) for r in _pages(lib.auki_activity_list_topics, *self._args()))

    def get_topic(self, topic):
        """The reachable topic with this topic id, else with this name; ``NotFoundError`` when
        the session holds no data of it, ``ValueError`` when the name is ambiguous (several peers)."""
        return Topic(_call_record(lib.auki_activity_get_topic, *self._args(), _text(topic, "topic")), self)

    # -- attributes and deletion

    def update(self, description=NotSet, metadata_changeset=NotSet, name=NotSet):
        """Change attributes in one atomic step (Roboto's ``update``): ``NotSet`` leaves a field,
        ``None`` clears ``name``/``description``, a str sets it (a name has at most 120
        characters); ``metadata_changeset`` (a :class:`MetadataChangeset`) puts and removes tags
        and metadata. Returns ``self`` refreshed."""
        changes = {}
        for key, value in (("name", name), ("description", description)):
            if value is NotSet:
                continue
            if value is not None and not isinstance(value, str):
                raise ValueError(f"{key} must be a str, None or NotSet, not {type(value).__name__}")
            changes[key] = value
        if metadata_changeset is not NotSet and metadata_changeset is not None:
            if not isinstance(metadata_changeset, MetadataChangeset):
                raise ValueError(f"metadata_changeset must be a MetadataChangeset, not {type(metadata_changeset).__name__}")
            changes["metadata_changeset"] = metadata_changeset._json()
        return self._adopt(_call_record(lib.auki_activity_update, *self._args(), encode(dumps(changes))))

    def put_tags(self, tags):
        """Add tags (already present ones stay where they are). Returns ``self``."""
        return self.update(metadata_changeset=MetadataChangeset(put_tags=tags))

    def remove_tags(self, tags):
        """Remove tags; absent ones are ignored. Returns ``self``."""
        return self.update(metadata_changeset=MetadataChangeset(remove_tags=tags))

    def put_metadata(self, metadata):
        """Set the given keys (dot notation for nested: ``{"battery.cells": 6}``), keep the others. Returns ``self``."""
        return self.update(metadata_changeset=MetadataChangeset(put_fields=metadata))

    def remove_metadata(self, keys):
        """Remove keys (dot notation for nested); absent ones are ignored. Returns ``self``."""
        return self.update(metadata_changeset=MetadataChangeset(remove_fields=keys))

    # -- timeline offsets

    @staticmethod
    def _target(file, device_id):
        if (file is None) == (device_id is None):
            raise ValueError("pass exactly one of file= (a held file) and device_id=")
        if file is not None:
            return encode(dumps({"file_id": _file_id(file)}))
        _text(device_id, "device_id")
        return encode(dumps({"device_id": device_id}))

    def default_unix_offset(self, file=None, device_id=None):
        """The Unix-epoch offset a time-transform log suggests (from the file's clock to a UTC
        clock of the same boot session and peer: the median ``offset_ns`` over the file's extent),
        or ``None`` when there is none. For a device: that of its first held file that has one."""
        found = _call_record(lib.auki_activity_default_unix_offset, *self._args(), self._target(file, device_id))
        return None if found is None else found["unix_offset_ns"]

    def set_unix_offset(self, unix_offset_ns=None, file=None, device_id=None):
        """Give a held ``file`` or a ``device_id`` (all its held files without an offset of their
        own) a Unix-epoch offset (Roboto's ``set_unix_offset``): session time = file time +
        offset, in bounds and reads, so a monotonic recording lines up with wall time. Without
        ``unix_offset_ns`` the time-transform default (:meth:`default_unix_offset`) is used
        (``NotFoundError`` when there is none). Contribution windows stay in the file's own time.
        Returns ``self`` refreshed."""
        target = self._target(file, device_id)
        if unix_offset_ns is None:
            unix_offset_ns = self.default_unix_offset(file, device_id)
            if unix_offset_ns is None:
                what = f"file {_file_id(file)!r}" if file is not None else f"device {device_id!r}"
                raise NotFoundError(f"no time-transform log to a UTC clock suggests an offset for {what}: pass unix_offset_ns")
        value = _timestamp(unix_offset_ns, "unix_offset_ns")
        out = _call_record(lib.auki_activity_set_unix_offset, *self._args(), target, ctypes.byref(ctypes.c_int64(value)))
        return self._adopt(out)

    def clear_unix_offset(self, file=None, device_id=None):
        """Remove the offset of a held ``file`` or of a ``device_id``. Returns ``self`` refreshed."""
        return self._adopt(_call_record(lib.auki_activity_set_unix_offset, *self._args(), self._target(file, device_id), None))

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


def create_session(device_id, name=None, description=None, metadata=None, tags=None, store=None):
    """A new session attached to one device (Roboto's ``Device.create_session``)."""
    _text(device_id, "device_id")
    return Session.create(name=name, device_ids=[device_id], description=description, metadata=metadata, tags=tags,
                          store=store)
