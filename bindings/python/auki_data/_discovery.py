"""What ``Store.peers()``, ``Store.boot_sessions()`` and ``Store.logs()`` return: small frozen
records with the field names of ``auki ls --json`` and the C ABI's ``auki_store_*`` (docs/names.md),
built from the JSON core/Inspect writes. ``record`` is that JSON object as a ``dict``."""

from dataclasses import dataclass, field

from _auki._refs import RegistryRef, make_log_ref


@dataclass(frozen=True)
class PeerInfo:
    """A peer (device) with data under the storage root."""

    peer_id: str
    app_ids: tuple
    boot_session_count: int
    log_count: int
    entries: int
    bytes: int

    @classmethod
    def _from(cls, r):
        return cls(r["peer_id"], tuple(r["app_ids"]), r["boot_session_count"], r["log_count"], r["entries"], r["bytes"])


@dataclass(frozen=True)
class BootSessionInfo:
    """One boot session of a peer (``standalone``: era-A logs under ``<root>/logs/``, whose
    ``boot_session_id`` is their manifests' ``session_id``, ``None`` when they name none). The time
    range spans its logs, each in its own clock."""

    boot_session_id: "str | None"
    peer_id: str
    standalone: bool
    app_id: "str | None"
    log_count: int
    entries: int
    bytes: int
    min_timestamp_ns: "int | None"
    max_timestamp_ns: "int | None"

    @classmethod
    def _from(cls, r):
        return cls(r["boot_session_id"], r["peer_id"], r["standalone"], r["app_id"], r["log_count"], r["entries"],
                   r["bytes"], r["min_timestamp_ns"], r["max_timestamp_ns"])


def _ref(r):
    return None if r is None else RegistryRef(r["peer_id"], r["id"], r["hash"])


@dataclass(frozen=True)
class LogInfo:
    """One recorded log: where it is (``file_id`` relative to the storage root, ``root`` its
    directory), whose it is (``peer_id``, ``source_peer_id``, ``boot_session_id``, ``resource_id``,
    ``app_id``), what it is (``kind``, ``sensor``/``clock`` as ``RegistryRef``, ``sensor_kind``,
    ``sensor_type``, ``payload_type`` the message full name or ``None``) and what it holds now
    (``entries``, ``bytes``, ``segment_count``, ``min_timestamp_ns``/``max_timestamp_ns`` — ``None``
    when empty —, ``state`` ``"live"`` or ``"sealed"``, ``notes`` on what could not be read).
    ``read(...)`` streams its entries."""

    file_id: str
    root: str
    peer_id: str
    source_peer_id: str
    boot_session_id: "str | None"
    standalone: bool
    resource_id: str
    app_id: "str | None"
    kind: "str | None"
    sensor: "RegistryRef | None" = field(compare=False)
    sensor_kind: "str | None"
    sensor_type: "str | None"
    clock: "RegistryRef | None" = field(compare=False)
    payload_type: "str | None"
    entries: int
    bytes: int
    segment_count: int
    min_timestamp_ns: "int | None"
    max_timestamp_ns: "int | None"
    state: str
    notes: tuple
    record: dict = field(compare=False, repr=False)
    _store: object = field(compare=False, repr=False)

    @classmethod
    def _from(cls, r, store):
        return cls(r["file_id"], r["root"], r["peer_id"], r["source_peer_id"], r["boot_session_id"], r["standalone"],
                   r["resource_id"], r["app_id"], r["kind"], _ref(r["sensor"]), r["sensor_kind"], r["sensor_type"],
                   _ref(r["clock"]), r["payload_type"], r["entries"], r["bytes"], r["segment_count"],
                   r["min_timestamp_ns"], r["max_timestamp_ns"], r["state"], tuple(r["notes"]), r, store)

    @property
    def log_ref(self):
        """A new ``LogRef(source_peer_id, resource_id)`` naming this log."""
        return make_log_ref(self.source_peer_id, self.resource_id)

    @property
    def sealed(self):
        """True when the log was closed with a fixed head."""
        return self.state == "sealed"

    def read(self, start_ns=None, end_ns=None, *, decode=False):
        """``Store.open(self, start_ns, end_ns, decode=decode)``: its entries as a stream."""
        return self._store.open(self, start_ns, end_ns, decode=decode)
