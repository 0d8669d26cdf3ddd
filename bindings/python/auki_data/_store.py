"""``Store``: the storage root activity sessions live in (it plays the part of Roboto's client).

Every call takes ``store=`` or falls back to the default set with :func:`use_store`.
"""

import os

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

    def __repr__(self):
        return f"Store({self._root!r})"

    def __eq__(self, other):
        return isinstance(other, Store) and other._root == self._root

    def __hash__(self):
        return hash(("auki_data.Store", self._root))


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
