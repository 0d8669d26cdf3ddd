"""ctypes declarations of the "Activity sessions" section of ``auki.h`` (used by ``auki_data``).

Kept apart from ``_ffi`` so the section can grow without touching the shared declarations; the
library is the one ``_ffi`` loaded and ABI-checked.
"""

from ctypes import POINTER, c_char_p, c_int, c_int64, c_size_t, c_uint64, c_void_p

from ._ffi import declare, lib

_P = POINTER(c_void_p)  # char **out and handle **out
_I64P = POINTER(c_int64)

_SIGNATURES = (
    ("auki_activity_create", c_int, (c_char_p, c_char_p, c_char_p, _P)),
    ("auki_activity_get", c_int, (c_char_p, c_char_p, _P)),
    ("auki_activity_list", c_int, (c_char_p, c_char_p, c_char_p, c_size_t, _P)),
    ("auki_activity_update", c_int, (c_char_p, c_char_p, c_char_p, _P)),
    ("auki_activity_delete", c_int, (c_char_p, c_char_p)),
    ("auki_activity_bounds", c_int, (c_char_p, c_char_p, _P)),
    ("auki_activity_add_files", c_int, (c_char_p, c_char_p, c_char_p, _P)),
    ("auki_activity_add_recording", c_int, (c_char_p, c_char_p, c_char_p, _P)),
    ("auki_activity_remove_files", c_int, (c_char_p, c_char_p, c_char_p, c_int, _P, _P)),
    ("auki_activity_attach_device", c_int, (c_char_p, c_char_p, c_char_p)),
    ("auki_activity_detach_device", c_int, (c_char_p, c_char_p, c_char_p)),
    ("auki_activity_check_file", c_int, (c_char_p,)),
    ("auki_activity_list_files", c_int, (c_char_p, c_char_p, c_char_p, c_size_t, _P)),
    ("auki_activity_list_topics", c_int, (c_char_p, c_char_p, c_char_p, c_size_t, _P)),
    ("auki_activity_reader_open", c_int, (_P, c_char_p, c_char_p, c_char_p, _I64P, _I64P)),
    ("auki_activity_reader_free", None, (c_void_p,)),
    ("auki_activity_reader_next", c_int, (c_void_p, POINTER(c_int), _I64P, _P, POINTER(c_size_t))),
    ("auki_activity_reader_next_batch", c_int,
     (c_void_p, c_size_t, _I64P, POINTER(c_uint64), c_void_p, c_size_t, POINTER(c_size_t))),
)


declare(_SIGNATURES, "activity sessions")
