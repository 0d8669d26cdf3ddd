"""Base class of every Python object that owns a libauki handle (after wasmtime-py's ``Managed``).

A subclass names its release function in ``_free``; the handle is released exactly once, by
``close()``, by leaving a ``with`` block, or when the object is collected. Using an object after
``close()`` raises ``RuntimeError("<Type> has been closed")`` instead of reaching the library
with a stale pointer.
"""


class Managed:
    __slots__ = ("_handle", "__weakref__")

    #: The ``auki_*_free`` function for this handle type (set by subclasses).
    _free = None

    def _set_handle(self, handle):
        """Take ownership of a raw handle (a non-zero ``int``)."""
        if getattr(self, "_handle", None):
            raise ValueError(f"{type(self).__name__} is already initialized")
        self._handle = handle

    def _ptr(self):
        """The live handle, or ``RuntimeError`` if the object was closed."""
        handle = getattr(self, "_handle", None)
        if not handle:
            raise RuntimeError(f"{type(self).__name__} has been closed")
        return handle

    @property
    def closed(self):
        """True once ``close()`` has released the handle."""
        return not getattr(self, "_handle", None)

    def close(self):
        """Release the native handle now. Closing twice is a no-op."""
        handle = getattr(self, "_handle", None)
        if handle:
            self._handle = None
            type(self)._free(handle)

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        self.close()

    def __del__(self):
        # Guarded: a half-constructed object has no handle; at interpreter shutdown the
        # module globals a free function relies on may already be gone.
        try:
            self.close()
        except Exception:
            pass
