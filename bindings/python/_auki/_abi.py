"""The C ABI of libauki as ctypes sees it: GENERATED from native/include/auki.h by tools/gen_abi.py.

Do not edit: change the header and run `python3 tools/gen_abi.py` (`./build.sh` does; the test
command fails when this file is stale).
"""

from ctypes import POINTER, c_char_p, c_double, c_int, c_int64, c_size_t, c_uint8, c_uint32, c_uint64, c_void_p

_P = POINTER(c_void_p)  # char **out, auki_<kind> **out, const uint8_t **data

# Every integer #define of the header, without the AUKI_ prefix.
ABI_VERSION_MAJOR = 2
ABI_VERSION_MINOR = 3
OK = 0
ERR_INVALID_ARGUMENT = 1
ERR_IO = 2
ERR_NOT_FOUND = 3
ERR_NOT_IMPLEMENTED = 4
ERR_CLOSED = 5
ERR_BUSY = 6
ERR_CORRUPT = 7
ERR_TIMEOUT = 8
ERR_BUFFER_TOO_SMALL = 9
ERR_OVERFLOW = 10
ERR_INTERNAL = 99
HASH_BUFSIZE = 33
ULID_BUFSIZE = 27
SHA256_BUFSIZE = 65
SPATIAL_TRANSFORM_MAX_SIZE = 67
STREAM_TIMEOUT = 0
STREAM_ENTRY = 1
STREAM_ENDED = 2

# (name, restype, argtypes) of every function, in header order, by section.
FUNCTIONS = (
    # Versions
    ("auki_abi_version", c_uint32, ()),
    ("auki_version", c_char_p, ()),
    # Status codes and errors
    ("auki_last_error_message", c_char_p, ()),
    ("auki_last_error_code", c_int, ()),
    ("auki_last_error_field", c_char_p, ()),
    ("auki_error_string", c_char_p, (c_int,)),
    ("auki_string_free", None, (c_void_p,)),
    # Utilities
    ("auki_hash_bytes", c_int, (c_void_p, c_size_t, c_char_p)),
    ("auki_canonical_json", c_int, (c_char_p, _P)),
    ("auki_ulid_new", c_int, (c_char_p,)),
    # Registries
    ("auki_registry_validate_id", c_int, (c_char_p,)),
    ("auki_frame_def_body", c_int, (c_char_p, _P)),
    ("auki_registry_entry_canonical", c_int, (c_char_p, c_char_p, _P, c_char_p)),
    ("auki_registry_write", c_int, (c_char_p, c_char_p, c_char_p, c_char_p)),
    ("auki_registry_read", c_int, (c_char_p, c_char_p, c_char_p, c_char_p, c_char_p, _P)),
    ("auki_sha256_hex", c_int, (c_void_p, c_size_t, c_char_p)),
    ("auki_blob_put", c_int, (c_char_p, c_void_p, c_size_t, c_char_p)),
    ("auki_blob_get", c_int, (c_char_p, c_char_p, c_void_p, c_size_t, POINTER(c_size_t))),
    ("auki_urdf_package_put", c_int, (c_char_p, c_char_p, c_char_p, _P)),
    ("auki_device_models_list", c_int, (c_char_p, c_char_p, _P)),
    # Registries, ABI 2.2: URDF packages with a package root
    ("auki_urdf_package_put_with_package_root", c_int, (c_char_p, c_char_p, c_char_p, c_char_p, _P)),
    # Manifests
    ("auki_manifest_build", c_int, (c_char_p, c_char_p, _P)),
    ("auki_manifest_validate", c_int, (c_char_p,)),
    # Layout
    ("auki_layout_path", c_int, (c_char_p, c_char_p, _P)),
    # Peers
    ("auki_peer_new", c_int, (_P, c_char_p, c_char_p)),
    ("auki_peer_free", None, (c_void_p,)),
    ("auki_peer_set_storage_root", c_int, (c_void_p, c_char_p)),
    ("auki_peer_id", c_int, (c_void_p, _P)),
    ("auki_peer_app_id", c_int, (c_void_p, _P)),
    ("auki_peer_storage_root", c_int, (c_void_p, _P)),
    ("auki_peer_register_frame", c_int, (c_void_p, c_char_p, c_char_p, c_char_p)),
    ("auki_peer_register_sensor", c_int, (c_void_p, c_char_p, c_char_p, c_char_p)),
    ("auki_peer_register_detector", c_int, (c_void_p, c_char_p, c_char_p, c_char_p, c_char_p, c_char_p)),
    ("auki_peer_start_session", c_int, (c_void_p, _P)),
    # Sessions
    ("auki_session_new_standalone", c_int, (_P, c_char_p, c_char_p)),
    ("auki_session_free", None, (c_void_p,)),
    ("auki_session_peer", c_int, (c_void_p, _P)),
    ("auki_session_id", c_int, (c_void_p, _P)),
    ("auki_session_info", c_int, (c_void_p, _P)),
    ("auki_session_register_clock", c_int, (c_void_p, c_char_p, c_char_p, c_char_p)),
    ("auki_log_spec_check", c_int, (c_char_p, c_char_p)),
    ("auki_session_register_log", c_int, (c_void_p, c_char_p, c_char_p, _P)),
    ("auki_session_logs", c_int, (c_void_p, c_char_p, _P)),
    ("auki_session_find_log", c_int, (c_void_p, c_char_p, _P)),
    ("auki_session_catalog", c_int, (c_void_p, _P)),
    ("auki_session_check_peer", c_int, (c_void_p, c_void_p)),
    ("auki_session_materialize_remote_log", c_int, (c_void_p, c_char_p, c_uint64, c_uint64, _P)),
    ("auki_session_resolve_static_transform", c_int, (c_void_p, c_char_p, _P)),
    # Log handles
    ("auki_log_free", None, (c_void_p,)),
    ("auki_log_kind", c_int, (c_void_p, _P)),
    ("auki_log_resource_id", c_int, (c_void_p, _P)),
    ("auki_log_root", c_int, (c_void_p, _P)),
    ("auki_log_ref", c_int, (c_void_p, _P)),
    ("auki_log_manifest", c_int, (c_void_p, _P)),
    # Log data
    ("auki_log_configure", c_int, (c_void_p, c_char_p)),
    ("auki_log_append", c_int, (c_void_p, c_int64, c_void_p, c_size_t)),
    ("auki_log_append_many", c_int, (c_void_p, c_void_p, c_size_t, c_void_p, c_size_t, c_void_p)),
    ("auki_log_append_many_fixed", c_int, (c_void_p, c_void_p, c_size_t, c_void_p, c_size_t)),
    ("auki_log_flush", c_int, (c_void_p,)),
    ("auki_log_close", c_int, (c_void_p,)),
    ("auki_log_open_reader", c_int, (c_void_p, POINTER(c_int64), POINTER(c_int64), _P)),
    ("auki_log_open_tail", c_int, (c_void_p, c_uint32, _P)),
    ("auki_log_writer_open", c_int, (_P, c_char_p, c_char_p, c_char_p)),
    ("auki_log_writer_free", None, (c_void_p,)),
    ("auki_log_writer_append", c_int, (c_void_p, c_int64, c_void_p, c_size_t)),
    ("auki_log_writer_append_many", c_int, (c_void_p, c_void_p, c_size_t, c_void_p, c_size_t, c_void_p)),
    ("auki_log_writer_append_many_fixed", c_int, (c_void_p, c_void_p, c_size_t, c_void_p, c_size_t)),
    ("auki_log_writer_flush", c_int, (c_void_p,)),
    ("auki_log_writer_set_retention", c_int, (c_void_p, c_int64)),
    ("auki_log_writer_manifest", c_int, (c_void_p, _P)),
    ("auki_log_writer_close", c_int, (c_void_p,)),
    ("auki_log_info", c_int, (c_char_p, _P)),
    ("auki_log_reader_open", c_int, (_P, c_char_p, POINTER(c_int64), POINTER(c_int64))),
    ("auki_log_reader_free", None, (c_void_p,)),
    ("auki_log_reader_next", c_int, (c_void_p, POINTER(c_int), POINTER(c_int64), _P, POINTER(c_size_t))),
    ("auki_log_reader_next_batch", c_int, (c_void_p, c_size_t, c_void_p, c_void_p, c_void_p, c_size_t, POINTER(c_size_t))),
    ("auki_log_tail_open", c_int, (_P, c_char_p, c_uint32)),
    ("auki_log_tail_free", None, (c_void_p,)),
    ("auki_log_tail_next", c_int, (c_void_p, c_int64, POINTER(c_int), POINTER(c_int64), _P, POINTER(c_size_t))),
    # Log data: batched reads without copies
    ("auki_log_reader_next_views", c_int, (c_void_p, c_size_t, c_void_p, _P, c_void_p, POINTER(c_size_t))),
    # Typed payloads
    ("auki_log_payload_type", c_int, (c_void_p, _P)),
    ("auki_log_frame_layout", c_int, (c_void_p, _P)),
    ("auki_log_append_typed", c_int, (c_void_p, c_int64, c_void_p, c_size_t)),
    ("auki_payload_to_json", c_int, (c_char_p, c_void_p, c_size_t, _P)),
    ("auki_spatial_transform_encode", c_int, (c_void_p, c_void_p, POINTER(c_size_t))),
    ("auki_spatial_transform_decode", c_int, (c_void_p, c_size_t, c_void_p)),
    ("auki_warnings_take", c_int, (_P,)),
    ("auki_warnings_set_stderr", c_int, (c_int,)),
    # Domains
    ("auki_domain_config_defaults", c_int, (_P,)),
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
    ("auki_stream_next", c_int, (c_void_p, c_int64, POINTER(c_int), POINTER(c_int64), POINTER(c_int64), _P, POINTER(c_size_t))),
    ("auki_stream_end_reason", c_int, (c_void_p, _P)),
    ("auki_stream_free", None, (c_void_p,)),
    ("auki_stream_status", c_int, (c_void_p, _P)),
    ("auki_domain_materialization_status", c_int, (c_void_p, c_char_p, _P)),
    ("auki_log_set_callback", c_int, (c_void_p, c_void_p)),
    ("auki_resource_entry_from_dict", c_int, (c_char_p, _P)),
    ("auki_resource_entry_from_json", c_int, (c_char_p, _P)),
    # Activity sessions
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
    ("auki_activity_get_topic", c_int, (c_char_p, c_char_p, c_char_p, _P)),
    ("auki_activity_reader_open", c_int, (_P, c_char_p, c_char_p, c_char_p, POINTER(c_int64), POINTER(c_int64))),
    ("auki_activity_reader_free", None, (c_void_p,)),
    ("auki_activity_reader_next", c_int, (c_void_p, POINTER(c_int), POINTER(c_int64), _P, POINTER(c_size_t))),
    ("auki_activity_reader_next_batch", c_int, (c_void_p, c_size_t, c_void_p, c_void_p, c_void_p, c_size_t, POINTER(c_size_t))),
    ("auki_activity_reader_next_views", c_int, (c_void_p, c_size_t, c_void_p, _P, c_void_p, POINTER(c_size_t))),
    # Activity sessions: attributes, search, timeline offsets, decoded reads
    ("auki_activity_create_v2", c_int, (c_char_p, c_char_p, _P)),
    ("auki_activity_search", c_int, (c_char_p, c_char_p, c_char_p, c_size_t, _P)),
    ("auki_activity_set_unix_offset", c_int, (c_char_p, c_char_p, c_char_p, POINTER(c_int64), _P)),
    ("auki_activity_default_unix_offset", c_int, (c_char_p, c_char_p, c_char_p, _P)),
    ("auki_activity_topic_schema", c_int, (c_char_p, c_char_p, c_char_p, _P)),
    ("auki_activity_table_open", c_int, (_P, c_char_p, c_char_p, c_char_p, POINTER(c_int64), POINTER(c_int64), c_char_p)),
    ("auki_activity_table_schema", c_int, (c_void_p, _P)),
    ("auki_activity_table_next", c_int, (c_void_p, c_size_t, c_size_t, POINTER(c_size_t))),
    ("auki_activity_table_timestamps", c_int, (c_void_p, _P)),
    ("auki_activity_table_column", c_int, (c_void_p, c_size_t, _P, POINTER(c_size_t), _P)),
    ("auki_activity_table_free", None, (c_void_p,)),
    # Store discovery
    ("auki_store_list", c_int, (c_char_p, _P)),
    ("auki_store_peers", c_int, (c_char_p, _P)),
    ("auki_store_boot_sessions", c_int, (c_char_p, c_char_p, _P)),
    ("auki_store_logs", c_int, (c_char_p, c_char_p, _P)),
    ("auki_store_log", c_int, (c_char_p, c_char_p, _P)),
    ("auki_store_find_log", c_int, (c_char_p, c_char_p, c_char_p, c_char_p, _P)),
    ("auki_store_open_reader", c_int, (_P, c_char_p, c_char_p, POINTER(c_int64), POINTER(c_int64))),
    # Foxglove live server
    ("auki_foxglove_server_start", c_int, (c_char_p, c_char_p, c_uint32, _P)),
    ("auki_foxglove_server_port", c_uint32, (c_void_p,)),
    ("auki_foxglove_server_close", None, (c_void_p,)),
    # Log data: gathered batch appends
    ("auki_log_append_gather", c_int, (c_void_p, c_void_p, c_size_t, _P, c_void_p)),
    ("auki_log_writer_append_gather", c_int, (c_void_p, c_void_p, c_size_t, _P, c_void_p)),
    # Registration batches
    ("auki_peer_batch_begin", c_int, (c_void_p,)),
    ("auki_peer_batch_commit", c_int, (c_void_p,)),
)
