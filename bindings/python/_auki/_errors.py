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

from ._ffi import lib

OK = 0
INVALID_ARGUMENT = 1
IO = 2
NOT_FOUND = 3
NOT_IMPLEMENTED = 4
CLOSED = 5
BUSY = 6
CORRUPT = 7
TIMEOUT = 8
BUFFER_TOO_SMALL = 9
OVERFLOW = 10
INTERNAL = 99


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
