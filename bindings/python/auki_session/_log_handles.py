"""Log handles returned by ``Session.register_*_log``: the declared log's ``resource_id``, a fresh
``log_ref`` on each access, and ``root`` (the log directory holding ``manifest.json``).

Each handle owns an ``auki_log`` handle: ``close()`` (or ``with``) releases it; the log stays on
disk and in its session. A closed handle raises ``RuntimeError("... has been closed")``.
"""

from _auki import _json
from _auki._ffi import lib
from _auki._managed import Managed
from _auki._strings import call_string
from auki_registry._refs import make_log_ref


class _LogHandle(Managed):
    __slots__ = ("_resource_id", "_root", "_source_peer_id")
    _free = lib.auki_log_free

    def __new__(cls, *args, **kwargs):
        raise TypeError("No constructor defined")

    @classmethod
    def _wrap(cls, handle):
        obj = object.__new__(cls)
        obj._handle = handle
        obj._resource_id = obj._root = obj._source_peer_id = None
        return obj

    @property
    def resource_id(self):
        """The log's resource id (sensor id, ``from->to``, instance id, ...)."""
        ptr = self._ptr()
        if self._resource_id is None:
            self._resource_id = call_string(lib.auki_log_resource_id, ptr)
        return self._resource_id

    @property
    def log_ref(self):
        """A new ``LogRef(source_peer_id, resource_id)`` naming this log."""
        ptr = self._ptr()
        if self._source_peer_id is None:
            ref = _json.loads(call_string(lib.auki_log_ref, ptr))
            self._source_peer_id, self._resource_id = ref["source_peer_id"], ref["resource_id"]
        return make_log_ref(self._source_peer_id, self._resource_id)

    @property
    def root(self):
        """The log directory (``str``), which holds ``manifest.json``."""
        ptr = self._ptr()
        if self._root is None:
            self._root = call_string(lib.auki_log_root, ptr)
        return self._root


class SensorLogHandle(_LogHandle):
    """A declared sensor log."""

    __slots__ = ()


class PoseLogHandle(_LogHandle):
    """A declared pose log."""

    __slots__ = ()


class TimeTransformLogHandle(_LogHandle):
    """A declared time-transform log."""

    __slots__ = ()


class DetectionLogHandle(_LogHandle):
    """A declared detection log."""

    __slots__ = ()


class MaterializedLogHandle(_LogHandle):
    """A local copy of a remote log (``Session.materialize_remote_log``; not implemented yet, as upstream)."""

    __slots__ = ()


for _cls in (SensorLogHandle, PoseLogHandle, TimeTransformLogHandle, DetectionLogHandle, MaterializedLogHandle):
    _cls.__module__ = "auki_session"
del _cls
