"""``peer.batch()`` / ``session.batch()``: one durability point for many registrations (beyond upstream)."""

from _auki._errors import check
from _auki._ffi import lib


class RegistrationBatch:
    """A context manager over ``auki_peer_batch_begin``/``auki_peer_batch_commit``.

    Inside ``with peer.batch():`` every registration of the peer and its sessions writes its file
    atomically but leaves the fsync to the end of the block, which makes all of them durable at
    once. It is not a transaction: a registration that returned is there, one that raised wrote
    nothing, and leaving the block by an exception still commits what was registered. Batches nest
    (the outermost commit syncs); a batch object is entered once.
    """

    __slots__ = ("_peer", "_state")

    def __init__(self, peer):
        self._peer = peer
        self._state = "new"

    def __enter__(self):
        if self._state != "new":
            raise RuntimeError("a registration batch is entered once; call batch() again for another")
        check(lib.auki_peer_batch_begin(self._peer._ptr()))
        self._state = "open"
        return self

    def __exit__(self, exc_type, exc, tb):
        self._state = "committed"
        check(lib.auki_peer_batch_commit(self._peer._ptr()))
        return False

    def __repr__(self):
        return f"<RegistrationBatch of peer {self._peer.peer_id!r}: {self._state}>"
