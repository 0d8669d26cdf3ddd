"""Strings across the C ABI.

In: Python ``str`` → NUL-terminated UTF-8 ``bytes`` borrowed for the call (a ``str`` holding NUL
cannot be passed through a C string and is refused rather than silently truncated).
Out: a ``char *`` the library allocated (``char **out``) is decoded and released with
``auki_string_free`` exactly once; fixed-size buffers (hashes, ULIDs) are owned by Python.
"""

import ctypes

from ._errors import check, check_registry, check_warned
from ._ffi import HASH_BUFSIZE, lib

_string_at = ctypes.string_at
_string_free = lib.auki_string_free
_c_void_p = ctypes.c_void_p
_byref = ctypes.byref
_buffer = ctypes.create_string_buffer


def encode(value):
    """UTF-8 bytes of a ``str`` for a ``const char *`` parameter."""
    data = value.encode("utf-8")
    if b"\0" in data:
        raise ValueError("embedded null character")
    return data


def take(ptr):
    """Decode the library-owned string at ``ptr`` (a ``c_void_p``) and free it; ``None`` for NULL."""
    address = ptr.value
    if not address:
        return None
    try:
        return _string_at(address).decode("utf-8")
    finally:
        _string_free(address)


def call_string(fn, *args):
    """Call ``fn(*args, char **out)``, check its status and return the owned string it produced."""
    out = _c_void_p()
    status = fn(*args, _byref(out))
    if status:
        take(out)  # the contract leaves *out NULL on error; free defensively anyway
        check(status)
    return take(out)


def call_hash(fn, *args):
    """Call ``fn(*args, char out_hash[AUKI_HASH_BUFSIZE])``, check its status and return the hash."""
    buf = _buffer(HASH_BUFSIZE)
    check_warned(fn(*args, buf))  # hashes are computed from parsed bodies, which can warn
    return buf.value.decode("ascii")


def call_registry_hash(fn, *args):
    """:func:`call_hash` for ``Peer``/``Session`` registrations (registry I/O is a ``ValueError``)."""
    buf = _buffer(HASH_BUFSIZE)
    check_registry(fn(*args, buf))
    return buf.value.decode("ascii")
