"""``Entry``: one log entry, ``(timestamp_ns, payload)`` — the one type every read returns.

Two public faces of one type:

- ``auki_logs.Entry`` (from ``LogReader.entries()``, ``TailIter``, the log handles' and
  ``auki_data.Store``'s reads): upstream's pyclass exactly — two read-only attributes, its repr, no
  constructor, identity equality.
- ``auki_data.sessions.Entry`` (from ``Session.get_data``, ``Topic.get_entries``): the same entry that
  also behaves as the pair it was as a ``namedtuple`` — ``Entry(ts, payload)``, ``ts, payload = entry``,
  ``entry[0]``, ``len``, equality, ordering and hashing by value (also against plain tuples), ``_fields``/``_asdict``/``_replace`` — and is an
  ``auki_logs.Entry`` (``isinstance`` holds).

``make(cls, ts, payload)`` builds either without argument handling: the batch reader's fast path.
"""

from ._signature import no_constructor

_object_new = object.__new__


@no_constructor
class Entry:
    """One log entry: ``timestamp_ns`` (``int``) and ``payload`` (``bytes``), both read-only.

    Entries come out of ``LogReader.entries()``, ``TailIter`` and the log handles' ``read()``;
    they cannot be constructed directly (as upstream).
    """

    __slots__ = ("_ts", "_payload")

    @property
    def timestamp_ns(self):
        """The entry's timestamp in nanoseconds."""
        return self._ts

    @property
    def payload(self):
        """The entry's payload bytes."""
        return self._payload

    def __repr__(self):
        return f"Entry(timestamp_ns={self._ts}, payload=<{len(self._payload)} bytes>)"


Entry.__module__ = "auki_logs"


def make(cls, timestamp_ns, payload):
    """An entry of ``cls`` (``Entry`` or ``PairEntry``) holding these values, unchecked."""
    entry = _object_new(cls)
    entry._ts = timestamp_ns
    entry._payload = payload
    return entry


class PairEntry(Entry):
    """One entry of topic data: ``timestamp_ns`` (int) and ``payload`` (bytes); unpacks as a pair."""

    __slots__ = ()
    __signature__ = None  # a constructor again: inspect computes it from __new__
    _fields = ("timestamp_ns", "payload")

    def __new__(cls, timestamp_ns, payload):
        return make(cls, timestamp_ns, payload)

    def _pair(self):
        return (self._ts, self._payload)

    def __iter__(self):
        return iter((self._ts, self._payload))

    def __len__(self):
        return 2

    def __getitem__(self, index):
        return (self._ts, self._payload)[index]

    def __eq__(self, other):
        if not isinstance(other, (PairEntry, tuple)):
            return NotImplemented
        return self._pair() == _pair_of(other)

    def __hash__(self):
        return hash(self._pair())

    def __lt__(self, other):
        return self._pair() < _pair_of(other)

    def __le__(self, other):
        return self._pair() <= _pair_of(other)

    def __gt__(self, other):
        return self._pair() > _pair_of(other)

    def __ge__(self, other):
        return self._pair() >= _pair_of(other)

    def __reduce__(self):
        return (type(self), self._pair())

    def _asdict(self):
        """``{"timestamp_ns": ..., "payload": ...}`` (as a namedtuple's)."""
        return {"timestamp_ns": self._ts, "payload": self._payload}

    def _replace(self, **changes):
        """A new entry with the given fields replaced (as a namedtuple's)."""
        values = self._asdict()
        for name in changes:
            if name not in values:
                raise ValueError(f"Got unexpected field names: {[name]!r}")
        values.update(changes)
        return type(self)(**values)


def _pair_of(other):
    return other._pair() if isinstance(other, PairEntry) else other


PairEntry.__name__ = PairEntry.__qualname__ = "Entry"
PairEntry.__module__ = "auki_data.sessions"
