"""``ResourceEntry``: one ``/auki/resources/0.2.0`` catalog row. Parsing and checking happen in
libauki (serde's rules and texts); this class holds the normalized row."""

from _auki import _json
from _auki._signature import no_constructor
from _auki._ffi import lib
from _auki._strings import call_string, encode


@no_constructor
class ResourceEntry:
    """A catalog row. Build with ``ResourceEntry.from_dict(d)`` or ``ResourceEntry.from_json(s)``;
    errors are ``ValueError("invalid ResourceEntry dict: …")`` / ``("invalid ResourceEntry JSON: …")``."""

    __slots__ = ("_row", "_text")

    def __init__(self, *args, **kwargs):
        raise TypeError("No constructor defined")

    @classmethod
    def _from_normalized(cls, text):
        obj = object.__new__(cls)
        obj._text = text
        obj._row = _json.loads(text)
        return obj

    @classmethod
    def from_dict(cls, d):
        """A row from a dict (the JSON shape)."""
        try:
            data = _json.dumps(d)
        except (TypeError, ValueError) as e:
            raise ValueError(f"invalid ResourceEntry dict: {e}") from None
        return cls._from_normalized(call_string(lib.auki_resource_entry_from_dict, encode(data)))

    @classmethod
    def from_json(cls, s):
        """A row from JSON text."""
        if not isinstance(s, str):
            raise TypeError(f"argument 's': '{type(s).__name__}' object cannot be converted to 'PyString'")
        return cls._from_normalized(call_string(lib.auki_resource_entry_from_json, encode(s)))

    def to_json(self):
        """The row as canonical JSON text (``from_json(e.to_json())`` gives an equal entry)."""
        return self._text

    def to_dict(self):
        """The row as a new dict."""
        return _json.loads(self._text)

    def _get(self, key):
        value = self._row.get(key)
        return _json.loads(_json.dumps(value)) if isinstance(value, (dict, list)) else value

    source_peer_id = property(lambda self: self._row["source_peer_id"], doc="The peer whose data the log holds.")
    writer_peer_id = property(lambda self: self._row["writer_peer_id"], doc="The peer that writes this copy.")
    resource_id = property(lambda self: self._row["resource_id"], doc="The log's resource id.")
    variant = property(lambda self: self._row["variant"], doc="sensor_log | pose_log | time_transform_log | detection_log.")
    state = property(lambda self: self._row["state"], doc="'live' or 'sealed'.")
    head = property(lambda self: self._get("head"), doc="Head block of a live row (dict) or None.")
    extent = property(lambda self: self._get("extent"), doc="Extent of a sealed row (dict) or None.")
    available = property(lambda self: self._get("available"), doc="{'bytes','entries','duration_ns'}.")
    sensor = property(lambda self: self._get("sensor"), doc="Sensor block of a sensor_log row (dict) or None.")
    pose = property(lambda self: self._get("pose"), doc="Pose block of a pose_log row (dict) or None.")
    manifest = property(lambda self: self._get("manifest"), doc="The kind's manifest pointer block (dict).")

    def __eq__(self, other):
        if not isinstance(other, ResourceEntry):
            return NotImplemented
        return self._text == other._text

    def __hash__(self):
        return hash(self._text)

    def __repr__(self):
        r = self._row
        return (f"ResourceEntry(source_peer_id={r['source_peer_id']!r}, writer_peer_id={r['writer_peer_id']!r}, "
                f"resource_id={r['resource_id']!r}, variant={r['variant']!r}, state={r['state']!r})")


ResourceEntry.__module__ = "auki_domain"
