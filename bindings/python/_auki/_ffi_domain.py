"""Declarations of the domain section of ``auki.h`` (``auki_domain_*``, ``auki_stream_*``,
``auki_catalog_watch_*``, ``auki_resource_entry_*``, ``auki_pose_*``) on the library ``_ffi`` loaded."""

from ctypes import POINTER, c_char_p, c_double, c_int, c_int64, c_size_t, c_void_p

from ._ffi import declare, lib

_P = POINTER(c_void_p)

POSE_PAYLOAD_SIZE = 56

_SIGNATURES = (
    ("auki_domain_join", c_int, (c_void_p, c_char_p, _P)),
    ("auki_session_domain", c_int, (c_void_p, _P)),
    ("auki_domain_free", None, (c_void_p,)),
    ("auki_domain_leave", c_int, (c_void_p,)),
    ("auki_domain_info", c_int, (c_void_p, _P)),
    ("auki_domain_peers", c_int, (c_void_p, _P)),
    ("auki_domain_fetch_resources_catalog", c_int, (c_void_p, c_char_p, _P)),
    ("auki_domain_refresh_catalog", c_int, (c_void_p,)),
    ("auki_domain_fetch_registry_entry", c_int, (c_void_p, c_char_p, c_char_p, c_char_p, c_char_p, c_char_p, _P)),
    ("auki_domain_watch_catalog", c_int, (c_void_p, _P)),
    ("auki_catalog_watch_next", c_int, (c_void_p, c_int64, _P)),
    ("auki_catalog_watch_free", None, (c_void_p,)),
    ("auki_domain_open_stream", c_int, (c_void_p, c_char_p, c_char_p, _P)),
    ("auki_stream_manifest", c_int, (c_void_p, _P)),
    ("auki_stream_next", c_int, (c_void_p, c_int64, POINTER(c_int), POINTER(c_int64), POINTER(c_int64),
                                 POINTER(c_void_p), POINTER(c_size_t))),
    ("auki_stream_end_reason", c_int, (c_void_p, _P)),
    ("auki_stream_free", None, (c_void_p,)),
    ("auki_resource_entry_from_dict", c_int, (c_char_p, _P)),
    ("auki_resource_entry_from_json", c_int, (c_char_p, _P)),
    ("auki_pose_encode", c_int, (POINTER(c_double), c_char_p)),
    ("auki_pose_decode", c_int, (c_char_p, c_size_t, POINTER(c_double))),
)


declare(_SIGNATURES, "domains")
