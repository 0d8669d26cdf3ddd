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

from . import _abi
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
    """The exception for a non-zero status returned by the call just made on this thread."""
    message = last_error_message() or f"libauki returned status {status}"
    return _EXCEPTIONS.get(status, RuntimeError)(message)


def check(status):
    """Raise the matching exception unless ``status`` is ``AUKI_OK``."""
    if status:
        raise error_for(status)


def check_registry(status):
    """Like :func:`check`, for registrations made through a ``Peer`` or ``Session``: upstream's
    session binding reported registry I/O failures (``io: ...``) as ``ValueError``, not ``OSError``."""
    if status:
        if status == IO:
            raise ValueError(last_error_message())
        raise error_for(status)
