"""auki_logs — append-only, segmented, timestamped logs (AukiNative).

A drop-in replacement for the auki-sdk's ``auki_logs`` Python module, backed by ``libauki.so``:
the same classes (``Log``, ``LogReader``, ``TailIter``, ``Entry``, ``StreamSource``), methods,
reprs and errors, and the same bytes on disk (auki-logs segment format v1). Beyond upstream:
reopening a log continues its latest segment, a torn tail left by a crash is cut off on open,
one writer per log is enforced across processes, and timestamps never go backwards.

    log = Log.open("/data/cam", {"segment_duration_ns": 1_000_000_000, "retention_ns": 0})
    log.append(100, b"hello")
    log.close()
    entries = Log.read("/data/cam").entries()          # a list, as upstream
    for entry in Log.read("/data/cam", start_ns=0):      # streamed, one batch at a time (beyond upstream)
        ...
"""

from _auki._logdata import Entry, EntryStream, TailIter

from ._log import Log, LogReader, StreamSource

__version__ = "0.1.0"

__all__ = ["Log", "LogReader", "TailIter", "Entry", "EntryStream", "StreamSource"]
