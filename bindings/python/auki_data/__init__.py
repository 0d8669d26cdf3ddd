"""auki_data — activity sessions over the data AukiNative records (Roboto's Session API, locally).

``from auki_data.sessions import Session, SessionFile``. ``Store(storage_root)`` names the
storage root peers record under, finds what is recorded there (``peers()``, ``boot_sessions()``,
``logs(peer_id, start_ns, end_ns)``, ``open(log)`` streaming one log) and plays the part of Roboto's client: every call takes
``store=`` or uses the default set with ``use_store(store)``. Unknown ids raise
``NotFoundError`` (a ``KeyError``), invalid arguments ``ValueError``. ``NotSet`` leaves a field
unchanged in ``Session.update``; ``MetadataChangeset`` puts and removes tags and metadata there.
``Topic.get_data`` yields ``(timestamp_ns, dict)`` decoded by libauki, ``Topic.get_data_as_df`` a
pandas DataFrame (pandas optional). ``create_session(device_id, name=None, store=None)`` stands in
for Roboto's ``Device.create_session``.
"""

from _auki._errors import NotFoundError
from _auki._foxglove import FoxgloveServer

from ._discovery import BootSessionInfo, LogInfo, PeerInfo
from ._sentinels import NotSet
from ._store import LogStream, Store, use_store
from .sessions import Entry, MetadataChangeset, Session, SessionFile, SessionFileView, Topic, create_session

__version__ = "0.1.0"

__all__ = [
    "Store",
    "use_store",
    "PeerInfo",
    "BootSessionInfo",
    "LogInfo",
    "LogStream",
    "NotFoundError",
    "NotSet",
    "Session",
    "SessionFile",
    "SessionFileView",
    "Topic",
    "Entry",
    "MetadataChangeset",
    "create_session",
    "FoxgloveServer",
]
