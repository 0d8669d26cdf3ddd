"""Private support package of AukiNative's Python bindings.

Everything here is an implementation detail of ``auki_session`` and ``auki_registry``:
``_ffi`` loads ``libauki.so`` and declares the C ABI from ``_abi`` (generated from
``native/include/auki.h`` by ``tools/gen_abi.py``: never edited by hand), ``_errors``
turns status codes into Python exceptions, ``_strings`` takes ownership of returned strings,
``_managed`` is the base class of every handle-owning object, ``_convert`` checks arguments the
way PyO3 did for upstream, and ``_rustfmt`` renders values like Rust's ``{:?}`` for reprs.
The log data plane adds ``_buffers`` (zero-copy access to any
bytes-like object) and ``_logdata`` (``Entry``, ``TailIter``, batch appends and reads shared by
``auki_logs`` and the log handles).
"""
