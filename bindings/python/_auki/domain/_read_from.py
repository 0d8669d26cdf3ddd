"""``ReadFrom`` and ``StreamRequest``: where a stream starts, and a stream request (upstream's
``/auki/stream/0.2.0`` value types, value equality and reprs)."""

from _auki._convert import string


def _i64(value, name):
    if type(value) is not int:
        from operator import index

        try:
            value = index(value)
        except TypeError as e:
            raise TypeError(f"argument '{name}': {e}") from None
    value.to_bytes(8, "little", signed=True)  # OverflowError outside i64, as PyO3
    return value


class ReadFrom:
    """``ReadFrom.latest()`` (only new entries), ``ReadFrom.from_start()`` (everything the owner holds,
    then new entries) or ``ReadFrom.from_timestamp(ns)`` (entries at or after ``ns``, then new ones)."""

    __slots__ = ("_kind", "_timestamp_ns")

    def __init__(self, *args, **kwargs):
        raise TypeError("No constructor defined")

    @classmethod
    def _make(cls, kind, timestamp_ns=None):
        obj = object.__new__(cls)
        obj._kind = kind
        obj._timestamp_ns = timestamp_ns
        return obj

    @classmethod
    def latest(cls):
        return cls._make("latest")

    @classmethod
    def from_start(cls):
        return cls._make("from_start")

    @classmethod
    def from_timestamp(cls, timestamp_ns):
        return cls._make("from_timestamp", _i64(timestamp_ns, "timestamp_ns"))

    @property
    def kind(self):
        """``"latest"``, ``"from_start"`` or ``"from_timestamp"``."""
        return self._kind

    @property
    def timestamp_ns(self):
        """The start timestamp of ``from_timestamp``; ``None`` otherwise."""
        return self._timestamp_ns

    def _json(self):
        d = {"kind": self._kind}
        if self._timestamp_ns is not None:
            d["timestamp_ns"] = self._timestamp_ns
        return d

    def __eq__(self, other):
        if not isinstance(other, ReadFrom):
            return NotImplemented
        return self._kind == other._kind and self._timestamp_ns == other._timestamp_ns

    def __hash__(self):
        return hash((self._kind, self._timestamp_ns))

    def __repr__(self):
        if self._kind == "from_timestamp":
            return f"ReadFrom.from_timestamp({self._timestamp_ns})"
        return f"ReadFrom.{self._kind}()"


class StreamRequest:
    """``StreamRequest(resource_id, source_peer_id="", from_=ReadFrom.latest())``: what to stream.
    An empty ``source_peer_id`` means "the peer the request is sent to"."""

    __slots__ = ("_resource_id", "_source_peer_id", "_from")

    def __init__(self, resource_id, source_peer_id="", from_=None):
        self._resource_id = string(resource_id, "resource_id")
        self._source_peer_id = string(source_peer_id, "source_peer_id")
        if from_ is None:
            from_ = ReadFrom.latest()
        if not isinstance(from_, ReadFrom):
            raise TypeError(f"argument 'from_': '{type(from_).__name__}' object cannot be converted to 'ReadFrom'")
        self._from = from_

    @property
    def resource_id(self):
        return self._resource_id

    @property
    def source_peer_id(self):
        return self._source_peer_id

    @property
    def from_(self):
        return self._from

    def __eq__(self, other):
        if not isinstance(other, StreamRequest):
            return NotImplemented
        return (self._resource_id, self._source_peer_id, self._from) == (other._resource_id, other._source_peer_id, other._from)

    def __hash__(self):
        return hash((self._resource_id, self._source_peer_id, self._from))

    def __repr__(self):
        return (f"StreamRequest(resource_id={self._resource_id!r}, source_peer_id={self._source_peer_id!r}, "
                f"from_={self._from!r})")


ReadFrom.__module__ = StreamRequest.__module__ = "auki_domain"
