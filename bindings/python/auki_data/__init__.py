"""auki_data — activity sessions over the data AukiNative records (Roboto's Session API, locally).

``from auki_data.sessions import Session, SessionFile``. ``Store(storage_root)`` names the
storage root peers record under and plays the part of Roboto's client: every call takes
``store=`` or uses the default set with ``use_store(store)``. Unknown ids raise
``NotFoundError`` (a ``KeyError``), invalid arguments ``ValueError``. ``NotSet`` leaves a field
unchanged in ``Session.update``. ``create_session(device_id, name=None, store=None)`` stands in
for Roboto's ``Device.create_session``.
"""

from _auki._errors import NotFoundError

from ._foxglove import FoxgloveServer
from ._sentinels import NotSet
from ._store import Store, use_store
from .sessions import Entry, Session, SessionFile, SessionFileView, Topic, create_session

__version__ = "0.1.0"

__all__ = [
    "Store",
    "use_store",
    "NotFoundError",
    "NotSet",
    "Session",
    "SessionFile",
    "SessionFileView",
    "Topic",
    "Entry",
    "create_session",
    "FoxgloveServer",
]
