"""``RegistryRef`` and ``LogRef``: plain value holders, identical in behaviour to upstream's pyclasses.

Attributes are read/write ``str``; the repr renders values with Rust ``{:?}``; there is no
``__eq__``/``__hash__`` (identity semantics, like upstream); ``json.dumps`` refuses them.
Public as ``auki_registry.RegistryRef``/``LogRef``; kept here, in the shared private layer, because
every package builds them (``make_*_ref``) and no package may import another's private modules.
"""

from _auki._convert import string
from _auki._rustfmt import debug_str


def _str_attribute(slot, doc):
    def get(self):
        return getattr(self, slot)

    def set_(self, value):
        setattr(self, slot, string(value))

    def delete(self):
        raise TypeError("can't delete attribute")

    return property(get, set_, delete, doc)


class RegistryRef:
    """Content address of one registry entry: ``RegistryRef(peer_id, id, hash)``.

    ``peer_id`` is the registering peer, ``id`` the registered id, ``hash`` the 32-hex-char
    XXH3-128 of the entry's canonical JSON.
    """

    __slots__ = ("_peer_id", "_id", "_hash", "__weakref__")

    def __init__(self, peer_id, id, hash):  # noqa: A002 - upstream's parameter names
        self._peer_id = string(peer_id, "peer_id")
        self._id = string(id, "id")
        self._hash = string(hash, "hash")

    peer_id = _str_attribute("_peer_id", "The peer that registered the entry.")
    id = _str_attribute("_id", "The registered id.")
    hash = _str_attribute("_hash", "XXH3-128 of the entry's canonical JSON, 32 lowercase hex chars.")

    def validate(self):
        """Raise ``ValueError`` if any field is empty."""
        if not self._peer_id:
            raise ValueError("RegistryRef.peer_id must not be empty")
        if not self._id:
            raise ValueError("RegistryRef.id must not be empty")
        if not self._hash:
            raise ValueError("RegistryRef.hash must not be empty")

    def __repr__(self):
        return f"RegistryRef(peer_id={debug_str(self._peer_id)}, id={debug_str(self._id)}, hash={debug_str(self._hash)})"


class LogRef:
    """Names a log anywhere in a domain: ``LogRef(source_peer_id, resource_id)``."""

    __slots__ = ("_source_peer_id", "_resource_id", "__weakref__")

    def __init__(self, source_peer_id, resource_id):
        self._source_peer_id = string(source_peer_id, "source_peer_id")
        self._resource_id = string(resource_id, "resource_id")

    source_peer_id = _str_attribute("_source_peer_id", "The peer whose data the log holds.")
    resource_id = _str_attribute("_resource_id", "The log's resource id on that peer.")

    def validate(self):
        """Raise ``ValueError`` if any field is empty."""
        if not self._source_peer_id:
            raise ValueError("LogRef.source_peer_id must not be empty")
        if not self._resource_id:
            raise ValueError("LogRef.resource_id must not be empty")

    def __repr__(self):
        return f"LogRef(source_peer_id={debug_str(self._source_peer_id)}, resource_id={debug_str(self._resource_id)})"


RegistryRef.__module__ = LogRef.__module__ = "auki_registry"

_new = object.__new__


def make_registry_ref(peer_id, id, hash):  # noqa: A002
    """A ``RegistryRef`` from values already known to be ``str`` (skips argument checks)."""
    ref = _new(RegistryRef)
    ref._peer_id = peer_id
    ref._id = id
    ref._hash = hash
    return ref


def make_log_ref(source_peer_id, resource_id):
    """A ``LogRef`` from values already known to be ``str``."""
    ref = _new(LogRef)
    ref._source_peer_id = source_peer_id
    ref._resource_id = resource_id
    return ref
