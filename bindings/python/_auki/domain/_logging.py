"""Domain events (connection lost and restored, retries, streams stalled, resumed or ended) from libauki
to Python's ``logging``, logger ``auki``: installed by the first join of a domain (there are no domain
events before one), so importing ``auki_session`` leaves libauki's process-wide callback alone.
libauki calls back on its own threads; the callback only formats and hands the record to ``logging``."""
import atexit
import ctypes
import logging
import threading

from _auki._ffi import lib

logger = logging.getLogger("auki")

_CALLBACK_TYPE = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.c_int, ctypes.c_char_p)


def _forward(_user, level, message):
    try:
        logger.log(level, message.decode("utf-8", "replace"))
    except Exception:  # noqa: BLE001 - a logging failure must not reach libauki's threads
        pass


# Kept referenced for the life of the process: libauki holds the bare function pointer.
_callback = _CALLBACK_TYPE(_forward)


_installed = False
_install_lock = threading.Lock()


def install():
    """Forward libauki's events to ``logging`` from now on (once per process; later calls do nothing)."""
    global _installed
    with _install_lock:
        if _installed:
            return
        lib.auki_log_set_callback(ctypes.cast(_callback, ctypes.c_void_p), None)
        atexit.register(_uninstall)
        _installed = True


def _uninstall():
    # Before the interpreter goes away, so no library thread calls into a finalizing Python.
    lib.auki_log_set_callback(None, None)

