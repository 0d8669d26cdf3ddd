"""Status codes of the C ABI → Python exceptions (the message is ``auki_last_error_message()``).

=====  =========================  ==========================================
code   ``AUKI_ERR_*``              Python exception
=====  =========================  ==========================================
1      INVALID_ARGUMENT           ``ValueError``
2      IO                         ``OSError``
3      NOT_FOUND                  ``NotFoundError`` (a ``KeyError``)
4      NOT_IMPLEMENTED            ``NotImplementedError``
5      CLOSED                     ``RuntimeError``
6      BUSY                       ``RuntimeError``
7      CORRUPT                    ``ValueError``
8      TIMEOUT                    ``TimeoutError``
10     OVERFLOW                   ``OverflowError``
99     INTERNAL (and unknown)     ``RuntimeError``
=====  =========================  ==========================================
"""

import ctypes
import os
import sys
import warnings

from . import _abi, _json
from ._ffi import lib

# The status codes, as auki.h defines them (through the generated _abi).
OK = _abi.OK
INVALID_ARGUMENT = _abi.ERR_INVALID_ARGUMENT
IO = _abi.ERR_IO
NOT_FOUND = _abi.ERR_NOT_FOUND
NOT_IMPLEMENTED = _abi.ERR_NOT_IMPLEMENTED
CLOSED = _abi.ERR_CLOSED
BUSY = _abi.ERR_BUSY
CORRUPT = _abi.ERR_CORRUPT
TIMEOUT = _abi.ERR_TIMEOUT
BUFFER_TOO_SMALL = _abi.ERR_BUFFER_TOO_SMALL
OVERFLOW = _abi.ERR_OVERFLOW
INTERNAL = _abi.ERR_INTERNAL


class NotFoundError(KeyError):
    """The addressed entry, log or session does not exist.

    A ``KeyError`` (so ``except KeyError`` keeps working), but ``str()`` is the plain message
    rather than ``KeyError``'s quoted repr.
    """

    def __str__(self):
        return str(self.args[0]) if len(self.args) == 1 else super().__str__()


_EXCEPTIONS = {
    INVALID_ARGUMENT: ValueError,
    IO: OSError,
    NOT_FOUND: NotFoundError,
    NOT_IMPLEMENTED: NotImplementedError,
    CLOSED: RuntimeError,
    BUSY: RuntimeError,
    CORRUPT: ValueError,
    TIMEOUT: TimeoutError,
    OVERFLOW: OverflowError,
    INTERNAL: RuntimeError,
}


def last_error_message():
    """The calling thread's last error message ("" if none)."""
    raw = lib.auki_last_error_message()
    return raw.decode("utf-8", "replace") if raw else ""


def error_for(status):
    """The exception for a non-zero status returned by the call just made on this thread.

    ``str()`` is libauki's message (upstream's exact text where it has one); the input field it is
    about, when libauki knows it, is the ``field`` attribute (``"body.frame_rate_hz"``, else
    ``None``) and a PEP 678 note, so a traceback names it without changing the message.
    """
    message = last_error_message() or f"libauki returned status {status}"
    error = _EXCEPTIONS.get(status, RuntimeError)(message)
    raw = lib.auki_last_error_field()
    error.field = raw.decode("utf-8", "replace") if raw else None
    if error.field and hasattr(error, "add_note"):  # add_note: Python 3.11+
        error.add_note(f"field: {error.field}")
    return error


def check(status):
    """Raise the matching exception unless ``status`` is ``AUKI_OK``."""
    if status:
        raise error_for(status)


# Where the Python packages live: a warning is attributed to the first frame outside them.
_PACKAGES = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep


def _user_stacklevel():
    frame, level = sys._getframe(1), 1
    while frame is not None and frame.f_code.co_filename.startswith(_PACKAGES):
        frame, level = frame.f_back, level + 1
    return level


def raise_warnings():
    """Turn the warnings libauki recorded during this thread's last calls into ``warnings.warn``
    (``UserWarning``, attributed to the caller's line): input upstream silently ignores, such as an
    unknown body key, is accepted but told."""
    out = ctypes.c_void_p()
    if lib.auki_warnings_take(ctypes.byref(out)) or not out.value:
        return
    try:
        text = ctypes.string_at(out.value).decode("utf-8")
    finally:
        lib.auki_string_free(out.value)
    if text != "[]":
        level = _user_stacklevel()
        for message in _json.loads(text):
            warnings.warn(message, UserWarning, stacklevel=level)


# Python reports libauki's warnings through the warnings module (filters, pytest.warns); the stderr
# copy is for C programs and would print each one twice here.
lib.auki_warnings_set_stderr(0)


def check_warned(status):
    """:func:`check` for calls that can warn (those that parse bodies): warnings first, then the error.
    Not used on the per-entry paths, where one more call per entry would cost."""
    error = error_for(status) if status else None  # read before auki_warnings_take resets the last error
    raise_warnings()
    if error is not None:
        raise error


def check_registry(status):
    """Like :func:`check`, for registrations made through a ``Peer`` or ``Session``: upstream's
    session binding reported registry I/O failures (``io: ...``) as ``ValueError``, not ``OSError``."""
    if status == IO:
        status, error = 0, ValueError(last_error_message())
    else:
        error = error_for(status) if status else None  # read before auki_warnings_take resets the last error
    raise_warnings()
    if error is not None:
        raise error
