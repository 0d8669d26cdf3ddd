"""ctypes declarations of the "Log data" section of ``auki.h`` (appends, batches, readers, tails).

Kept apart from ``_ffi`` so the log data plane can grow without touching the shared declaration
table. Payload parameters are ``c_void_p``, which takes either a ``bytes`` object (ctypes passes
the pointer to the object's own buffer: no copy) or a raw address (any other buffer, pinned by the
caller with ``_buffers.Pinned``).
"""

from ctypes import POINTER, c_char_p, c_int, c_int64, c_size_t, c_uint32, c_void_p

from ._ffi import lib, library_path

_P = POINTER(c_void_p)
_I64P = POINTER(c_int64)
_INTP = POINTER(c_int)
_SIZEP = POINTER(c_size_t)

# (python name, C name, restype, argtypes)
_SIGNATURES = (
    # session logs
    ("log_configure", "auki_log_configure", c_int, (c_void_p, c_char_p)),
    ("log_append", "auki_log_append", c_int, (c_void_p, c_int64, c_void_p, c_size_t)),
    ("log_append_many", "auki_log_append_many", c_int, (c_void_p, c_void_p, c_size_t, c_void_p, c_size_t, c_void_p)),
    ("log_append_many_fixed", "auki_log_append_many_fixed", c_int, (c_void_p, c_void_p, c_size_t, c_void_p, c_size_t)),
    ("log_flush", "auki_log_flush", c_int, (c_void_p,)),
    ("log_close", "auki_log_close", c_int, (c_void_p,)),
    ("log_open_reader", "auki_log_open_reader", c_int, (c_void_p, _I64P, _I64P, _P)),
    ("log_open_tail", "auki_log_open_tail", c_int, (c_void_p, c_uint32, _P)),
    # standalone writers
    ("writer_open", "auki_log_writer_open", c_int, (_P, c_char_p, c_char_p, c_char_p)),
    ("writer_free", "auki_log_writer_free", None, (c_void_p,)),
    ("writer_append", "auki_log_writer_append", c_int, (c_void_p, c_int64, c_void_p, c_size_t)),
    ("writer_append_many", "auki_log_writer_append_many", c_int,
     (c_void_p, c_void_p, c_size_t, c_void_p, c_size_t, c_void_p)),
    ("writer_append_many_fixed", "auki_log_writer_append_many_fixed", c_int,
     (c_void_p, c_void_p, c_size_t, c_void_p, c_size_t)),
    ("writer_flush", "auki_log_writer_flush", c_int, (c_void_p,)),
    ("writer_set_retention", "auki_log_writer_set_retention", c_int, (c_void_p, c_int64)),
    ("writer_manifest", "auki_log_writer_manifest", c_int, (c_void_p, _P)),
    ("writer_close", "auki_log_writer_close", c_int, (c_void_p,)),
    # readers and tails
    ("info", "auki_log_info", c_int, (c_char_p, _P)),
    ("reader_open", "auki_log_reader_open", c_int, (_P, c_char_p, _I64P, _I64P)),
    ("reader_free", "auki_log_reader_free", None, (c_void_p,)),
    ("reader_next", "auki_log_reader_next", c_int, (c_void_p, _INTP, _I64P, _P, _SIZEP)),
    ("reader_next_batch", "auki_log_reader_next_batch", c_int,
     (c_void_p, c_size_t, c_void_p, c_void_p, c_void_p, c_size_t, _SIZEP)),
    ("tail_open", "auki_log_tail_open", c_int, (_P, c_char_p, c_uint32)),
    ("tail_free", "auki_log_tail_free", None, (c_void_p,)),
    ("tail_next", "auki_log_tail_next", c_int, (c_void_p, c_int64, _INTP, _I64P, _P, _SIZEP)),
)


def _declare():
    bound = {}
    missing = []
    for name, c_name, restype, argtypes in _SIGNATURES:
        try:
            fn = lib[c_name]
        except AttributeError:
            missing.append(c_name)
            continue
        fn.restype = restype
        fn.argtypes = argtypes
        bound[name] = fn
    if missing:
        raise ImportError(f"{library_path} does not export {', '.join(sorted(set(missing)))}: "
                          "it is a libauki without the log data plane")
    return bound


_fn = _declare()
log_configure = _fn["log_configure"]
log_append = _fn["log_append"]
log_append_many = _fn["log_append_many"]
log_append_many_fixed = _fn["log_append_many_fixed"]
log_flush = _fn["log_flush"]
log_close = _fn["log_close"]
log_open_reader = _fn["log_open_reader"]
log_open_tail = _fn["log_open_tail"]
writer_open = _fn["writer_open"]
writer_free = _fn["writer_free"]
writer_append = _fn["writer_append"]
writer_append_many = _fn["writer_append_many"]
writer_append_many_fixed = _fn["writer_append_many_fixed"]
writer_flush = _fn["writer_flush"]
writer_set_retention = _fn["writer_set_retention"]
writer_manifest = _fn["writer_manifest"]
writer_close = _fn["writer_close"]
info = _fn["info"]
reader_open = _fn["reader_open"]
reader_free = _fn["reader_free"]
reader_next = _fn["reader_next"]
reader_next_batch = _fn["reader_next_batch"]
tail_open = _fn["tail_open"]
tail_free = _fn["tail_free"]
tail_next = _fn["tail_next"]
del _fn
