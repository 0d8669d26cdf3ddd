"""Domain events (connection lost and restored, retries, streams stalled, resumed or ended) from libauki
to Python's ``logging``, logger ``auki``: installed when the domain classes are first imported (``auki_domain``, or ``auki_session``). libauki calls
back on its own threads; the callback only formats and hands the record to ``logging``."""
import atexit
import ctypes
import logging

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


def install():
    lib.auki_log_set_callback(ctypes.cast(_callback, ctypes.c_void_p), None)


def _uninstall():
    # Before the interpreter goes away, so no library thread calls into a finalizing Python.
    lib.auki_log_set_callback(None, None)


install()
atexit.register(_uninstall)
