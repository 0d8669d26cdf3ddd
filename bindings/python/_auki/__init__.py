"""Private support package of AukiNative's Python bindings: the layer every package imports and
none imports around (ARCHITECTURE.md, "Python packages").

``_ffi`` loads ``libauki.so`` and declares the C ABI from ``_abi`` (generated from
``native/include/auki.h`` by ``tools/gen_abi.py``: never edited by hand), ``_errors`` turns status
codes into Python exceptions, ``_strings`` takes ownership of returned strings, ``_managed`` is the
base class of every handle-owning object, ``_convert`` checks arguments the way PyO3 did for
upstream, ``_signature`` gives classes upstream's constructor-less shape, and ``_rustfmt`` renders
values like Rust's ``{:?}`` for reprs. The log data plane adds ``_buffers`` (zero-copy access to any
bytes-like object), ``_entry`` (the one ``Entry`` type) and ``_logdata`` (``TailIter``, batch
appends and the one batch read loop). Shared by several packages: ``_refs`` (``RegistryRef``,
``LogRef``), ``_message_types`` (payload type names to ``auki_datatypes`` classes), ``_foxglove``
(``FoxgloveServer``) and ``domain`` (the domain classes, public in ``auki_domain``; era A's
``Session.join_domain`` returns its ``Domain``).
"""
