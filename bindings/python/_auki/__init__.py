"""Private support package of AukiNative's Python bindings.

Everything here is an implementation detail of ``auki_session`` and ``auki_registry``:
``_ffi`` loads ``libauki.so`` and declares the C ABI (``native/include/auki.h``), ``_errors``
turns status codes into Python exceptions, ``_strings`` takes ownership of returned strings,
``_managed`` is the base class of every handle-owning object, ``_convert`` checks arguments the
way PyO3 did for upstream, and ``_rustfmt`` renders values like Rust's ``{:?}`` for reprs.
"""
