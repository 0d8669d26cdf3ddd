"""Borrow the memory of any bytes-like object for one C call, without copying it.

``bytes`` go to ``c_char_p`` parameters as they are (ctypes passes a pointer to the object's own
buffer). Every other object that exports the buffer protocol — ``bytearray``, ``memoryview``,
``array.array``, numpy arrays (read-only ones too) — is pinned with ``PyObject_GetBuffer`` through
``ctypes.pythonapi``: the exporter guarantees the address stays valid (and, for a bytearray, that
it is not resized) until the matching ``PyBuffer_Release``. No numpy import is needed.
"""

import ctypes
from ctypes import POINTER, c_char_p, c_int, c_ssize_t, c_void_p, py_object

# PyBUF_C_CONTIGUOUS | PyBUF_FORMAT: a C-contiguous view with its shape, strides and item format.
_FLAGS = 0x0038 | 0x0004


class _PyBuffer(ctypes.Structure):
    """CPython's ``Py_buffer`` (stable layout since Python 3.3)."""

    _fields_ = (
        ("buf", c_void_p),
        ("obj", c_void_p),
        ("len", c_ssize_t),
        ("itemsize", c_ssize_t),
        ("readonly", c_int),
        ("ndim", c_int),
        ("format", c_char_p),
        ("shape", POINTER(c_ssize_t)),
        ("strides", POINTER(c_ssize_t)),
        ("suboffsets", POINTER(c_ssize_t)),
        ("internal", c_void_p),
    )


_get_buffer = ctypes.pythonapi.PyObject_GetBuffer
_get_buffer.argtypes = (py_object, POINTER(_PyBuffer), c_int)
_get_buffer.restype = c_int
_release_buffer = ctypes.pythonapi.PyBuffer_Release
_release_buffer.argtypes = (POINTER(_PyBuffer),)
_release_buffer.restype = None
_byref = ctypes.byref


class Pinned:
    """A C-contiguous buffer held for the duration of a ``with`` block.

    ``address`` (``int``, 0 for an empty buffer), ``nbytes``, ``ndim``, ``shape`` (tuple),
    ``itemsize`` and ``format`` (``str``, struct syntax) describe it.
    """

    __slots__ = ("_view", "_held", "address", "nbytes", "ndim", "shape", "itemsize", "format")

    def __init__(self, obj, what):
        self._held = False
        view = _PyBuffer()
        try:
            _get_buffer(obj, _byref(view), _FLAGS)
        except BufferError as e:
            raise ValueError(f"{what}: {e} (a C-contiguous buffer is required)") from None
        except TypeError:
            raise TypeError(f"{what}: a bytes-like object is required, not '{type(obj).__name__}'") from None
        self._view = view
        self._held = True
        self.address = view.buf or 0
        self.nbytes = view.len
        self.ndim = view.ndim
        self.shape = tuple(view.shape[i] for i in range(view.ndim)) if view.shape else (view.len,)
        self.itemsize = view.itemsize
        self.format = (view.format or b"B").decode("ascii")

    def release(self):
        if self._held:
            self._held = False
            _release_buffer(_byref(self._view))

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        self.release()

    def __del__(self):
        self.release()


def is_int64(pinned):
    """True when a pinned buffer holds native or little-endian signed 64-bit integers
    (numpy int64, ``array('q')``, ...); libauki runs on little-endian 64-bit hosts only."""
    return pinned.itemsize == 8 and pinned.format.lstrip("@=<") in ("q", "l")
