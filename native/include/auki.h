/*
 * auki.h — the C ABI of libauki (AukiNative).
 *
 * Conventions (sqlite3 / libgit2 style):
 *  - Every function returns an int status: AUKI_OK (0) or an AUKI_ERR_* code. On error the
 *    calling thread's last error (auki_last_error_message) says why; char ** and handle ** out-params
 *    are set to NULL, hash/ULID buffers are untouched. No exception or signal ever crosses this boundary.
 *  - The last error is per thread and sqlite-style: every status-returning call records its outcome,
 *    so after a success auki_last_error_code() is AUKI_OK and the message is "". The version, last-error
 *    and *_free functions never change it.
 *  - Objects are opaque handles created by *_new / *_open / *_start and released by exactly one
 *    *_free. Handles are never dereferenced: they index a table and are validated on every call, so a
 *    NULL, garbage, freed or wrong-type handle returns AUKI_ERR_INVALID_ARGUMENT instead of crashing.
 *    Freeing NULL, an invalid or an already freed handle is a no-op.
 *  - Strings in are UTF-8, NUL-terminated, borrowed for the duration of the call; invalid UTF-8
 *    is AUKI_ERR_INVALID_ARGUMENT. Strings out (char **out) are heap copies the caller owns and
 *    must release with auki_string_free.
 *  - JSON in/out uses the upstream auki-sdk shapes; JSON out is RFC 8785 canonical.
 *  - Handles may be used from any thread; calls on one handle are serialized internally.
 *  - Check the runtime ABI against the header at start: auki_abi_version() == AUKI_ABI_VERSION.
 */
#ifndef AUKI_H
#define AUKI_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Versions ------------------------------------------------------------------------------ */

#define AUKI_ABI_VERSION_MAJOR 2
#define AUKI_ABI_VERSION_MINOR 3
/* (major << 16) | minor. A library with another major is incompatible with this header; a higher minor only
 * adds functions. 2.0 removed auki_pose_encode/decode (the 56-byte pose format; pose logs carry upstream's
 * SpatialTransform, auki_spatial_transform_*) and added auki_error_string, AUKI_STREAM_*, the typed payloads,
 * manifests/layout and newest-registry functions, stream and materialization status, the log callback and
 * auki_last_error_field.
 * 2.1 adds the activity sessions' attributes, search, timeline offsets and decoded column reads,
 * store discovery (auki_store_*), auki_domain_config_defaults, auki_session_check_peer and the live Foxglove
 * server (auki_foxglove_server_*).
 * 2.2 adds auki_urdf_package_put_with_package_root (upstream's package_root argument) and gathered
 * batch appends (auki_log_append_gather, auki_log_writer_append_gather),
 * and auki_log_reader_next_views and auki_activity_reader_next_views (batched reads as borrowed views, no payload copied).
 * 2.3 adds registration batches (auki_peer_batch_begin, auki_peer_batch_commit: one durability point for many registrations).
 * (1.1 had added the log data, activity and domain sections.) */
#define AUKI_ABI_VERSION       ((AUKI_ABI_VERSION_MAJOR << 16) | AUKI_ABI_VERSION_MINOR)

/* The ABI version the loaded library implements; compare with AUKI_ABI_VERSION. */
uint32_t auki_abi_version(void);
/* Library version string, e.g. "0.1.0"; static, never free it. */
const char *auki_version(void);

/* ---- Status codes and errors ---------------------------------------------------------------- */

#define AUKI_OK                   0
#define AUKI_ERR_INVALID_ARGUMENT 1  /* bad input: NULL, invalid UTF-8/JSON/id, failed validation */
#define AUKI_ERR_IO               2  /* operating-system I/O failure */
#define AUKI_ERR_NOT_FOUND        3  /* the addressed entry/log/session does not exist */
#define AUKI_ERR_NOT_IMPLEMENTED  4  /* upstream has not implemented this either */
#define AUKI_ERR_CLOSED           5  /* the object was closed */
#define AUKI_ERR_BUSY             6  /* another writer holds the log */
#define AUKI_ERR_CORRUPT          7  /* data on disk is not in a readable format */
#define AUKI_ERR_TIMEOUT          8  /* a bounded wait expired */
#define AUKI_ERR_BUFFER_TOO_SMALL 9  /* a caller buffer is too small */
#define AUKI_ERR_OVERFLOW         10 /* an integer is out of range */
#define AUKI_ERR_INTERNAL         99 /* a bug in libauki */

/* Message of the calling thread's last error ("" if none); borrowed, valid until this thread's next libauki call. */
const char *auki_last_error_message(void);
/* Code of the calling thread's last error (AUKI_OK if none). */
int auki_last_error_code(void);
/* Input field the last error is about as a dotted path, e.g. "body.frame_rate_hz" ("" if none or unknown); borrowed like the message. */
const char *auki_last_error_field(void);
/* What a status code means in a few words ("invalid argument", "unknown status code" for others); static, never free it. */
const char *auki_error_string(int code);
/* Release a string returned through a char ** out-param; NULL is a no-op. */
void auki_string_free(char *s);

/* Size of a buffer that receives a content hash: 32 lowercase hex chars + NUL. */
#define AUKI_HASH_BUFSIZE   33
/* Size of a buffer that receives a ULID: 26 chars + NUL. */
#define AUKI_ULID_BUFSIZE   27
/* Size of a buffer for a SHA-256 address: 64 lowercase hex characters and a NUL. */
#define AUKI_SHA256_BUFSIZE 65

/* ---- Opaque handles ------------------------------------------------------------------------- */

typedef struct auki_peer auki_peer;       /* a device identity and its registries */
typedef struct auki_session auki_session; /* one boot session (era C) or a standalone era-A session */
typedef struct auki_log auki_log;         /* a declared log (sensor, pose, time-transform, detection) */

/* ---- Utilities ------------------------------------------------------------------------------ */

/* XXH3-128 of data[0..len) as hex into out_hash[AUKI_HASH_BUFSIZE]; data may be NULL iff len == 0; len > INT32_MAX is AUKI_ERR_OVERFLOW. */
int auki_hash_bytes(const uint8_t *data, size_t len, char out_hash[AUKI_HASH_BUFSIZE]);
/* RFC 8785 canonical form of json into *out (caller frees). */
int auki_canonical_json(const char *json, char **out);
/* A new ULID into out[AUKI_ULID_BUFSIZE]. */
int auki_ulid_new(char out[AUKI_ULID_BUFSIZE]);

/* ---- Registries (auki_registry) ------------------------------------------------------------- */

/* kind is "sensor", "clock", "frame", "detector", "map" or "device_model" everywhere below. */

/* AUKI_OK if id is a valid registry id, else AUKI_ERR_INVALID_ARGUMENT with upstream's message. */
int auki_registry_validate_id(const char *id);
/* Validated frame body {"axes","handedness","units"} of a preset name or custom JSON convention into *out_json (caller frees). */
int auki_frame_def_body(const char *frame_def, char **out_json);
/* Normalize a whole entry (peer_id, <kind>_id, body): canonical bytes into *out_canonical (caller frees), hash into out_hash. */
int auki_registry_entry_canonical(const char *kind, const char *entry_json, char **out_canonical,
                                  char out_hash[AUKI_HASH_BUFSIZE]);
/* Validate and write an entry under root/registries (idempotent, atomic); its hash into out_hash. */
int auki_registry_write(const char *root, const char *kind, const char *entry_json, char out_hash[AUKI_HASH_BUFSIZE]);
/* Read one entry's canonical JSON into *out (caller frees); AUKI_ERR_NOT_FOUND (and *out = NULL) if absent. */
int auki_registry_read(const char *root, const char *kind, const char *peer_id, const char *id, const char *hash,
                       char **out);

/* SHA-256 of data[0..len) as lowercase hex into out[AUKI_SHA256_BUFSIZE]; data may be NULL iff len == 0. */
int auki_sha256_hex(const uint8_t *data, size_t len, char out[AUKI_SHA256_BUFSIZE]);
/* Store data[0..len) as root/blobs/<sha256> (atomic; an intact stored copy is kept, a corrupt one is an error; at most 64 MiB); its SHA-256 into out_sha256. */
int auki_blob_put(const char *root, const uint8_t *data, size_t len, char out_sha256[AUKI_SHA256_BUFSIZE]);
/* The blob's size into *out_len and, if cap >= size, its bytes into buf (caller-owned); AUKI_ERR_BUFFER_TOO_SMALL if cap is short, AUKI_ERR_NOT_FOUND if absent. */
int auki_blob_get(const char *root, const char *sha256, uint8_t *buf, size_t cap, size_t *out_len);
/* Rewrite a URDF's mesh paths, store it and its meshes as blobs; {"device_model_id","body"} into *out_json (caller frees); root_convention may be NULL. */
int auki_urdf_package_put(const char *root, const char *urdf_path, const char *root_convention, char **out_json);
/* The tip of each device model id of peer_id (its TIP, else its newest valid entry) as a JSON array of {"id","hash"}, sorted, into *out_json (caller frees). */
int auki_device_models_list(const char *root, const char *peer_id, char **out_json);

/* ---- Registries, ABI 2.2: URDF packages with a package root ---------------------------------- */

/* As auki_urdf_package_put, with meshes resolved under package_root (NULL = the URDF's directory, as
 * auki_urdf_package_put does): for a stock ROS tree whose URDF sits in pkg/urdf/ and meshes in pkg/meshes/.
 * {"device_model_id","body"} into *out_json (caller frees); root_convention may be NULL. */
int auki_urdf_package_put_with_package_root(const char *root, const char *urdf_path, const char *root_convention,
                                            const char *package_root, char **out_json);

/* ---- Manifests (auki_manifests) ----------------------------------------------------------- */

/* kind is "sensor", "pose", "time_transform" or "detection". args_json holds upstream's keyword
   arguments: with "source_peer_id" the post-#216 refs (the bytes a session handle writes), else the
   flat <name>_id / <name>_hash arguments of upstream's Python module. */

/* The manifest of kind built from args_json, as canonical JSON into *out_json (caller frees); not validated, as upstream. */
int auki_manifest_build(const char *kind, const char *args_json, char **out_json);
/* AUKI_OK if manifest_json (either shape) passes auki-manifests validate(), else AUKI_ERR_INVALID_ARGUMENT naming the field. */
int auki_manifest_validate(const char *manifest_json);

/* ---- Layout (auki_layout) ------------------------------------------------------------------- */

/* The path the auki_layout helper names, from a JSON array of its string arguments, into *out_path (caller frees); ids pass PathId. */
int auki_layout_path(const char *helper, const char *args_json, char **out_path);

/* ---- Peers ---------------------------------------------------------------------------------- */

/* Create a peer rooted at "." into *out; free with auki_peer_free. */
int auki_peer_new(auki_peer **out, const char *peer_id, const char *app_id);
/* Release a peer handle (sessions keep their own reference); NULL is a no-op. */
void auki_peer_free(auki_peer *peer);
/* Set the storage root used for later writes (string kept as given). */
int auki_peer_set_storage_root(auki_peer *peer, const char *storage_root);
/* Peer id into *out (caller frees). */
int auki_peer_id(const auki_peer *peer, char **out);
/* App id into *out (caller frees). */
int auki_peer_app_id(const auki_peer *peer, char **out);
/* Storage root into *out (caller frees). */
int auki_peer_storage_root(const auki_peer *peer, char **out);
/* Register a frame; frame_def is "ros_body", "ros_optical", "opengl", "unity" or a JSON
 * {"handedness","axes":{"x","y","z"},"units"} custom convention. Hash into out_hash. */
int auki_peer_register_frame(auki_peer *peer, const char *frame_id, const char *frame_def,
                             char out_hash[AUKI_HASH_BUFSIZE]);
/* Register a sensor from its JSON body (tag "kind"); its frame must exist on disk. Hash into out_hash. */
int auki_peer_register_sensor(auki_peer *peer, const char *sensor_id, const char *body_json,
                              char out_hash[AUKI_HASH_BUFSIZE]);
/* Register a detector: JSON body (tag "type"), JSON array of output types, optional (NULL) JSON array of input types. */
int auki_peer_register_detector(auki_peer *peer, const char *detector_id, const char *body_json,
                                const char *output_types_json, const char *input_types_json,
                                char out_hash[AUKI_HASH_BUFSIZE]);
/* Start a session (ULID, auto monotonic + UTC clocks written now) into *out; free with auki_session_free. */
int auki_peer_start_session(auki_peer *peer, auki_session **out);

/* ---- Sessions ------------------------------------------------------------------------------- */

/* The Quickstart's era-A Session(peer_id, app_id): its own peer, root ".", nothing written yet. */
int auki_session_new_standalone(auki_session **out, const char *peer_id, const char *app_id);
/* Release a session handle; logs stay on disk; NULL is a no-op. */
void auki_session_free(auki_session *session);
/* A new handle to the session's peer (for a standalone session, its private peer); free with auki_peer_free. */
int auki_session_peer(auki_session *session, auki_peer **out);
/* Session id (ULID) into *out (caller frees). */
int auki_session_id(const auki_session *session, char **out);
/* {"peer_id","app_id","session_id","storage_root","standalone","monotonic_clock","utc_clock"} into *out (caller frees). */
int auki_session_info(const auki_session *session, char **out_json);
/* Register a clock from its JSON body (tag "type"); era-C entries carry session_id. Hash into out_hash. */
int auki_session_register_clock(auki_session *session, const char *clock_id, const char *body_json,
                                char out_hash[AUKI_HASH_BUFSIZE]);
/* Validate a log spec of kind "sensor"|"pose"|"time_transform"|"detection" without registering it. */
int auki_log_spec_check(const char *kind, const char *spec_json);
/* Declare a log from a JSON spec (see README "Log specs"), write its manifest, return a handle (free with auki_log_free). */
int auki_session_register_log(auki_session *session, const char *kind, const char *spec_json, auki_log **out);
/* JSON array of {"kind","resource_id","root"} for the declared logs of kind (NULL = all) into *out (caller frees). */
int auki_session_logs(const auki_session *session, const char *kind, char **out_json);
/* A new handle to the declared log with this resource id; AUKI_ERR_NOT_FOUND if none. */
int auki_session_find_log(auki_session *session, const char *resource_id, auki_log **out);
/* Catalog rows (/auki/resources/0.2.0 shape) as a JSON array into *out (caller frees). */
int auki_session_catalog(auki_session *session, char **out_json);
/* AUKI_OK when session was started by a peer with peer's id, else AUKI_ERR_INVALID_ARGUMENT naming both ids (2.1). */
int auki_session_check_peer(auki_session *session, auki_peer *peer);
/* Materialize a remote log (JSON LogRef) through the joined domain; AUKI_ERR_NOT_IMPLEMENTED without one. */
int auki_session_materialize_remote_log(auki_session *session, const char *log_ref_json, uint64_t retention_ns,
                                        uint64_t segment_duration_ns, auki_log **out);
/* {"translation":{x,y,z},"rotation":{x,y,z,w}} of a sealed rigid pose log into *out; remote logs need a joined domain (else AUKI_ERR_NOT_IMPLEMENTED). */
int auki_session_resolve_static_transform(auki_session *session, const char *log_ref_json, char **out_json);

/* ---- Log handles ---------------------------------------------------------------------------- */

/* Release a log handle; NULL is a no-op. */
void auki_log_free(auki_log *log);
/* "sensor", "pose", "time_transform" or "detection" into *out (caller frees). */
int auki_log_kind(const auki_log *log, char **out);
/* Resource id into *out (caller frees). */
int auki_log_resource_id(const auki_log *log, char **out);
/* Log directory (holds manifest.json) into *out (caller frees). */
int auki_log_root(const auki_log *log, char **out);
/* LogRef JSON {"resource_id","source_peer_id"} into *out (caller frees). */
int auki_log_ref(const auki_log *log, char **out_json);
/* The manifest's canonical JSON into *out (caller frees). */
int auki_log_manifest(const auki_log *log, char **out_json);

/* ---- Log data (beyond upstream: append, read and tail through libauki) ------------------------
 *
 * Entries are (int64 timestamp_ns, payload bytes) in the auki-logs segment format (README, "Log
 * data"). Timestamps must be >= 0 and non-decreasing per log (AUKI_ERR_INVALID_ARGUMENT otherwise,
 * nothing written). One writer per log across processes (AUKI_ERR_BUSY). Payload pointers passed
 * in are borrowed for the call only; payload pointers handed out are borrowed views valid until the
 * next call on the same reader/tail or its free. Options JSON (NULL = defaults):
 * {"integrity": bool (v2 segments with CRC32C), "fsync_interval_ns": N, "buffer_size": N}.
 */

typedef struct auki_log_writer auki_log_writer; /* a standalone auki-logs writer (Python auki_logs.Log) */
typedef struct auki_log_reader auki_log_reader; /* entries of one log in timestamp order, optionally windowed */
typedef struct auki_log_tail auki_log_tail;     /* follows entries appended after it was opened */

/* Writer options for a session log; only before its first append. */
int auki_log_configure(auki_log *log, const char *options_json);
/* Append one entry to a session log (its data lives beside manifest.json); data may be NULL iff len == 0. */
int auki_log_append(auki_log *log, int64_t timestamp_ns, const uint8_t *data, size_t len);
/* Append count entries: payload i is data[offsets[i] .. offsets[i+1]) (offsets has count + 1 items). */
int auki_log_append_many(auki_log *log, const int64_t timestamps_ns[], size_t count, const uint8_t *data,
                         size_t data_len, const uint64_t offsets[]);
/* Append count entries of payload_size bytes each, stored back to back in data. */
int auki_log_append_many_fixed(auki_log *log, const int64_t timestamps_ns[], size_t count, const uint8_t *data,
                               size_t payload_size);
/* Flush and fsync what was appended; a no-op before the first append. */
int auki_log_flush(auki_log *log);
/* Flush, fsync, release the writer lock; a fixed-head log becomes sealed. The handle stays usable for reads. */
int auki_log_close(auki_log *log);
/* A reader over this log's entries in [*start_ns, *end_ns] (NULL = unbounded); free with auki_log_reader_free. */
int auki_log_open_reader(auki_log *log, const int64_t *start_ns, const int64_t *end_ns, auki_log_reader **out);
/* A tail from the current end of this log; poll_interval_ms 0 = default (10 ms); free with auki_log_tail_free. */
int auki_log_open_tail(auki_log *log, uint32_t poll_interval_ms, auki_log_tail **out);

/* Open (creating if needed) the log at root with manifest_json (ignored when one exists); free with auki_log_writer_free. */
int auki_log_writer_open(auki_log_writer **out, const char *root, const char *manifest_json, const char *options_json);
/* Close (flush + fsync + unlock) and release a writer; NULL is a no-op. */
void auki_log_writer_free(auki_log_writer *writer);
/* Append one entry; data may be NULL iff len == 0. */
int auki_log_writer_append(auki_log_writer *writer, int64_t timestamp_ns, const uint8_t *data, size_t len);
/* Batch append with offsets (count + 1 items), as auki_log_append_many. */
int auki_log_writer_append_many(auki_log_writer *writer, const int64_t timestamps_ns[], size_t count,
                                const uint8_t *data, size_t data_len, const uint64_t offsets[]);
/* Batch append of fixed-size payloads, as auki_log_append_many_fixed. */
int auki_log_writer_append_many_fixed(auki_log_writer *writer, const int64_t timestamps_ns[], size_t count,
                                      const uint8_t *data, size_t payload_size);
/* Flush and fsync. */
int auki_log_writer_flush(auki_log_writer *writer);
/* Change retention_ns for future appends (log_manifest.json rewritten atomically). */
int auki_log_writer_set_retention(auki_log_writer *writer, int64_t retention_ns);
/* The log manifest's canonical JSON into *out (caller frees). */
int auki_log_writer_manifest(const auki_log_writer *writer, char **out_json);
/* Close the writer (idempotent); later appends return AUKI_ERR_CLOSED. */
int auki_log_writer_close(auki_log_writer *writer);

/* {"manifest":{…},"segment_starts":[…],"bytes":N,"entries":N,"min_timestamp_ns":N|null,"max_timestamp_ns":N|null} of the log at root into *out (caller frees); also first_/last_timestamp_ns, their ABI 2.0 names. */
int auki_log_info(const char *root, char **out_json);
/* A reader over the log at root within [*start_ns, *end_ns] (NULL = unbounded); free with auki_log_reader_free. */
int auki_log_reader_open(auki_log_reader **out, const char *root, const int64_t *start_ns, const int64_t *end_ns);
/* Release a reader; NULL is a no-op. */
void auki_log_reader_free(auki_log_reader *reader);
/* Next entry: *has_entry = 1 and a borrowed payload view, or *has_entry = 0 at the end. */
int auki_log_reader_next(auki_log_reader *reader, int *has_entry, int64_t *timestamp_ns, const uint8_t **data,
                         size_t *len);
/* Copy up to max_entries next entries into caller buffers: payload i is buf[offsets[i] .. offsets[i+1])
 * (offsets needs max_entries + 1 items); *count = 0 at the end. AUKI_ERR_BUFFER_TOO_SMALL (nothing
 * consumed) when the next payload alone does not fit buf_len: read it with auki_log_reader_next. */
int auki_log_reader_next_batch(auki_log_reader *reader, size_t max_entries, int64_t timestamps_ns[], uint64_t offsets[],
                               uint8_t buf[], size_t buf_len, size_t *count);

/* A tail from the current end of the log at root; poll_interval_ms 0 = default (10 ms); free with auki_log_tail_free. */
int auki_log_tail_open(auki_log_tail **out, const char *root, uint32_t poll_interval_ms);
/* Release a tail; NULL is a no-op. */
void auki_log_tail_free(auki_log_tail *tail);
/* Wait up to timeout_ms (0 = don't wait, < 0 = forever) for the next entry: *has_entry = 1 and a borrowed view, else 0.
 * AUKI_ERR_NOT_FOUND: entries were evicted before this tail read them (reported once; the next call goes on after the gap).
 * AUKI_ERR_CORRUPT: damaged bytes where a torn write cannot be. */
int auki_log_tail_next(auki_log_tail *tail, int64_t timeout_ms, int *has_entry, int64_t *timestamp_ns,
                       const uint8_t **data, size_t *len);

/* ---- Log data: batched reads without copies (ABI 2.2) -------------------------------------------
 *
 * The batch form of auki_log_reader_next: one call hands out many borrowed views into the reader's
 * pinned buffer, the entries one read of the segment file brought in, parsed where they lie.
 */

/* Up to max_entries next entries as borrowed views: entry i is timestamps_ns[i] and the payload data[i] ..
 * data[i] + lens[i], all valid until the next call on this reader or its free; the caller owns the three
 * arrays (max_entries items each). *count = 0 at the end; a batch may hold fewer than max_entries entries
 * (it ends where the buffered bytes or a segment end) without being the end. */
int auki_log_reader_next_views(auki_log_reader *reader, size_t max_entries, int64_t timestamps_ns[],
                               const uint8_t *data[], size_t lens[], size_t *count);

/* ---- Typed payloads (upstream auki.* protobuf messages; README "Typed payloads") --------------
 *
 * A log's kind and its sensor's kind name the message its entries carry (camera -> auki.camera.CameraFrame,
 * pose -> auki.pose.SpatialTransform, ...). auki_log_append keeps taking any bytes; auki_log_append_typed
 * checks them first. Warnings (input upstream accepts silently, e.g. an unknown body key) never fail a
 * call: they go to this thread's list (auki_warnings_take) and, by default, to stderr.
 */

/* The protobuf full name of the log's entry message (e.g. "auki.camera.CameraFrame") into *out, or *out = NULL when its payloads are opaque (caller frees). */
int auki_log_payload_type(const auki_log *log, char **out);
/* A camera log's frame layout {"image_encoding","pixel_format","width","height","row_stride_bytes"[,"channels","bytes_per_channel"]} into *out_json, or NULL for other logs (caller frees). */
int auki_log_frame_layout(const auki_log *log, char **out_json);
/* As auki_log_append, after checking data decodes as the log's message type and a raw camera frame holds height x row_stride_bytes bytes (AUKI_ERR_INVALID_ARGUMENT naming the field, nothing written). */
int auki_log_append_typed(auki_log *log, int64_t timestamp_ns, const uint8_t *data, size_t len);
/* One payload of message type (a full name as auki_log_payload_type gives) as canonical proto3 JSON into *out_json (caller frees); AUKI_ERR_INVALID_ARGUMENT saying why it does not decode. */
int auki_payload_to_json(const char *type, const uint8_t *data, size_t len, char **out_json);
/* Largest encoded auki.pose.SpatialTransform: both sub-messages with every component set. */
#define AUKI_SPATIAL_TRANSFORM_MAX_SIZE 67
/* Encode values[7] = {tx, ty, tz, qx, qy, qz, qw} as upstream's SpatialTransform into caller-owned out; its length into *out_len. */
int auki_spatial_transform_encode(const double values[7], uint8_t out[AUKI_SPATIAL_TRANSFORM_MAX_SIZE],
                                  size_t *out_len);
/* Decode a SpatialTransform pose payload into values[7] (unset components are 0). */
int auki_spatial_transform_decode(const uint8_t *data, size_t len, double values[7]);
/* This thread's warnings since the last take as a JSON array of strings into *out_json (caller frees); clears them. */
int auki_warnings_take(char **out_json);
/* Whether warnings are also written to stderr as "auki: warning: ..." lines (process-wide, default 1). */
int auki_warnings_set_stderr(int enabled);

/* ---- Domains (beyond upstream: peers over an MQTT 5 broker, docs/domains.md) ----------------
 *
 * config_json: {"domain_id", "broker": "mqtt://host:port", "connect_timeout_ms", "request_timeout_ms",
 * "catalog_interval_ms", "keep_alive_s", "chunk_bytes", "username", "password"}; a field left out takes
 * the default auki_domain_config_defaults reports.
 * A config without "broker" is upstream's libp2p configuration: AUKI_ERR_NOT_IMPLEMENTED with upstream's
 * text. An unreachable broker is AUKI_ERR_TIMEOUT (no answer in time) or AUKI_ERR_IO (refused), and
 * nothing is written. A session joins at most one domain; while joined, auki_session_materialize_remote_log
 * and auki_session_resolve_static_transform work through it. A log is served by its owner or, when the
 * owner does not advertise it, by a member advertising a copy: each materialized copy is in its
 * materializer's catalog (writer_peer_id = materializer). Stream payload views are borrowed until
 * the next auki_stream_next on that stream or its free.
 */

typedef struct auki_domain auki_domain;               /* a session's membership of a domain */
typedef struct auki_stream auki_stream;               /* entries of a remote log (Accept/Entry/EndOfStream) */
typedef struct auki_catalog_watch auki_catalog_watch; /* catalog rows appearing, changing, disappearing */

/* The defaults of config_json's optional fields as a JSON object into *out_json (caller frees). */
int auki_domain_config_defaults(char **out_json);
/* Join the domain named by config_json with session (its peer serves its logs); free with auki_domain_free. */
int auki_domain_join(auki_session *session, const char *config_json, auki_domain **out);
/* A new handle to the domain session joined; AUKI_ERR_NOT_FOUND if none. */
int auki_session_domain(auki_session *session, auki_domain **out);
/* Release a domain handle (the membership stays until auki_domain_leave); NULL is a no-op. */
void auki_domain_free(auki_domain *domain);
/* Leave: readers get EndOfStream, materializations stop, the retained catalog is cleared. Idempotent. */
int auki_domain_leave(auki_domain *domain);
/* {"domain_id","broker","peer_id","left",...timeouts} into *out (caller frees). */
int auki_domain_info(const auki_domain *domain, char **out_json);
/* JSON array of the peers whose catalog the broker holds now (this one included), sorted (caller frees). */
int auki_domain_peers(auki_domain *domain, char **out_json);
/* A peer's catalog rows (JSON array of ResourceEntry) into *out; AUKI_ERR_NOT_FOUND if the peer is not in the domain. */
int auki_domain_fetch_resources_catalog(auki_domain *domain, const char *peer_id, char **out_json);
/* Republish this peer's catalog now if it changed (it is also re-measured every catalog_interval_ms). */
int auki_domain_refresh_catalog(auki_domain *domain);
/* Canonical bytes of a registry entry (kind: sensor|clock|frame|detector) fetched from from_peer (NULL = peer_id),
 * re-hashed on arrival: AUKI_ERR_CORRUPT if they do not hash to hash, AUKI_ERR_NOT_FOUND if absent. */
int auki_domain_fetch_registry_entry(auki_domain *domain, const char *kind, const char *peer_id, const char *id,
                                     const char *hash, const char *from_peer, char **out_canonical);
/* Watch catalog changes (first an "added" event per known row); free with auki_catalog_watch_free. */
int auki_domain_watch_catalog(auki_domain *domain, auki_catalog_watch **out);
/* Next {"event":"added"|"updated"|"removed","peer_id","row"} into *out, waiting up to timeout_ms (< 0 = forever);
 * *out = NULL on timeout; AUKI_ERR_CLOSED once the domain was left. */
int auki_catalog_watch_next(auki_catalog_watch *watch, int64_t timeout_ms, char **out_event_json);
/* Stop and release a watch; NULL is a no-op. */
void auki_catalog_watch_free(auki_catalog_watch *watch);
/* Open a stream of log_ref_json ({"source_peer_id","resource_id"}) from read_from_json ({"kind":"latest"|
 * "from_start"|"from_timestamp","timestamp_ns"}; NULL = latest). Declined: AUKI_ERR_NOT_FOUND with the reason. */
int auki_domain_open_stream(auki_domain *domain, const char *log_ref_json, const char *read_from_json,
                            auki_stream **out);
/* {"log_ref","manifest","row"} of the stream (its server's manifest and catalog row: the owner's or a copy's) into *out (caller frees). */
int auki_stream_manifest(auki_stream *stream, char **out_json);
/* What auki_stream_next reports in *status. */
#define AUKI_STREAM_TIMEOUT 0 /* no entry within timeout_ms */
#define AUKI_STREAM_ENTRY   1 /* an entry: timestamp, seq and a borrowed payload view */
#define AUKI_STREAM_ENDED   2 /* EndOfStream: see auki_stream_end_reason */
/* Wait up to timeout_ms (< 0 = forever): *status = AUKI_STREAM_ENTRY and an entry (seq counts from 0,
 * payload borrowed), AUKI_STREAM_TIMEOUT on timeout, AUKI_STREAM_ENDED at EndOfStream (see auki_stream_end_reason). */
int auki_stream_next(auki_stream *stream, int64_t timeout_ms, int *status, int64_t *timestamp_ns, int64_t *seq,
                     const uint8_t **data, size_t *len);
/* Why the stream ended into *out (caller frees), or *out = NULL while it has not. */
int auki_stream_end_reason(auki_stream *stream, char **out);
/* Close (the owner is told) and release a stream; NULL is a no-op. */
void auki_stream_free(auki_stream *stream);
/* {"state": "connecting"|"catching_up"|"live"|"stalled"|"ended", "end_reason", "server", "lane": "small"|"bulk", "received_entries",
 * "received_bytes", "bytes_per_second", "lag_entries", "lag_ns"} of the stream now into *out_json (caller frees);
 * docs/domains.md "Observability". */
int auki_stream_status(auki_stream *stream, char **out_json);
/* The same status for this session's materialization of log_ref_json into *out_json (caller frees); AUKI_ERR_NOT_FOUND when it runs none. */
int auki_domain_materialization_status(auki_domain *domain, const char *log_ref_json, char **out_json);
/* Receives domain events (connection lost/restored, retries, streams stalled/resumed/ended) on library threads:
 * level as Python's logging (10 debug, 20 info, 30 warning), message borrowed for the call. Must not block or call back into auki. */
typedef void (*auki_log_fn)(void *user, int level, const char *message);
/* Send every event to callback (with user) from now on; NULL stops. One callback per process. */
int auki_log_set_callback(auki_log_fn callback, void *user);
/* Check a catalog row (JSON) against /auki/resources/0.2.0; its normalized JSON into *out. Errors:
 * "invalid ResourceEntry dict: ..." (from_dict) / "invalid ResourceEntry JSON: ..." (from_json, also bad syntax). */
int auki_resource_entry_from_dict(const char *json, char **out_json);
/* As auki_resource_entry_from_dict, for JSON text as upstream's from_json takes it; *out_json caller-freed. */
int auki_resource_entry_from_json(const char *json, char **out_json);

/* ---- Activity sessions (Roboto-style time windows over recorded logs) -------------------------
 *
 * An activity session names a time window over recorded logs of zero or more devices (peer ids).
 * A "file" is one recorded log directory, its id the path relative to storage_root with '/'
 * ("<boot_session_id>/logs/<peer>/<resource_id>" or "logs/<peer>/<resource_id>"); a topic is
 * (source peer, resource id) with topic_id "<peer>/<resource_id>" and name = resource id. Times
 * are int64 ns in the logs' own clocks; windows are inclusive. Sessions live in
 * <storage_root>/activity_sessions/ss_<ULID>.json, replaced atomically under a cross-process lock.
 * A session record (out_json) is {"session_id","name","device_ids","file_count","created_ns",
 * "created_by","modified_ns","modified_by","min_timestamp_ns","max_timestamp_ns"}, bounds computed
 * from the data at the time of the call (null when no contribution supplies a time). A file in
 * files_json is "<file_id>" or {"file_id","range_min_timestamp_ns","range_max_timestamp_ns"}
 * (both bounds or neither, min <= max). Listings return {"items":[...],"next_token":"..."|null}:
 * pass next_token back as page_token (NULL = first page); limit 0 = everything. Unknown session,
 * file, device or topic: AUKI_ERR_NOT_FOUND; refused input: AUKI_ERR_INVALID_ARGUMENT; either way
 * nothing is written.
 */

typedef struct auki_activity_reader auki_activity_reader; /* one topic's entries of a session, merged in time order */

/* Create a session (name NULL = none; device_ids_json a JSON array of known peer ids, NULL = []); its record into *out_json (caller frees). */
int auki_activity_create(const char *storage_root, const char *name, const char *device_ids_json, char **out_json);
/* The session's record into *out_json (caller frees). */
int auki_activity_get(const char *storage_root, const char *session_id, char **out_json);
/* A page of session records, oldest first: all of the store, or those attached to device_id (non-NULL); into *out_json (caller frees). */
int auki_activity_list(const char *storage_root, const char *device_id, const char *page_token, size_t limit,
                       char **out_json);
/* Apply {"name", "description", "metadata_changeset": {"put_tags","remove_tags","put_fields","remove_fields"}}: a key left out is left, null clears name/description (2.1: description, changeset); the record into *out_json (caller frees). */
int auki_activity_update(const char *storage_root, const char *session_id, const char *changes_json, char **out_json);
/* Delete the session and its links; recorded data and peers are never touched. */
int auki_activity_delete(const char *storage_root, const char *session_id);
/* {"min_timestamp_ns","max_timestamp_ns"} (null when none) computed now into *out_json (caller frees). */
int auki_activity_bounds(const char *storage_root, const char *session_id, char **out_json);
/* Add files (JSON array; a held file's window is replaced; an id twice in one call is refused); the record into *out_json (caller frees). */
int auki_activity_add_files(const char *storage_root, const char *session_id, const char *files_json, char **out_json);
/* Add every log of one boot session as whole files; the record into *out_json (caller frees). */
int auki_activity_add_recording(const char *storage_root, const char *session_id, const char *boot_session_id,
                                char **out_json);
/* Remove files (JSON array of ids): not held → skipped, or AUKI_ERR_NOT_FOUND with strict != 0; record into *out_json, skipped ids (JSON array) into *out_skipped_json if non-NULL (caller frees both). */
int auki_activity_remove_files(const char *storage_root, const char *session_id, const char *file_ids_json, int strict,
                               char **out_json, char **out_skipped_json);
/* Attach a known peer (attaching twice is a no-op). */
int auki_activity_attach_device(const char *storage_root, const char *session_id, const char *device_id);
/* Detach a device (detaching one that is not attached is a no-op). */
int auki_activity_detach_device(const char *storage_root, const char *session_id, const char *device_id);
/* Validate one file of files_json (id, window) without touching any store. */
int auki_activity_check_file(const char *file_json);
/* A page of file views ordered by file_id: {"file_id","range_min_timestamp_ns","range_max_timestamp_ns","added_ns","added_by","name","relative_path","size","source_peer_id","resource_id","topic_id","boot_session_id","min_timestamp_ns","max_timestamp_ns","modified_ns"} into *out_json (caller frees). */
int auki_activity_list_files(const char *storage_root, const char *session_id, const char *page_token, size_t limit,
                             char **out_json);
/* A page of topics {"topic_id","name","source_peer_id","resource_id"} with data inside a contribution's window, by name then topic_id; into *out_json (caller frees). */
int auki_activity_list_topics(const char *storage_root, const char *session_id, const char *page_token, size_t limit,
                              char **out_json);
/* The topic a caller names (its topic_id, else its name) as {"topic_id","name","source_peer_id","resource_id"} into *out_json
 * (caller frees); AUKI_ERR_NOT_FOUND without data in the session, AUKI_ERR_INVALID_ARGUMENT when several peers carry the name. */
int auki_activity_get_topic(const char *storage_root, const char *session_id, const char *topic, char **out_json);
/* A reader over topic (a topic_id, else a name: all peers' logs of that name) within [*start_ns, *end_ns] (NULL = unbounded); free with auki_activity_reader_free. */
int auki_activity_reader_open(auki_activity_reader **out, const char *storage_root, const char *session_id,
                              const char *topic, const int64_t *start_ns, const int64_t *end_ns);
/* Release a reader (closes its files); NULL is a no-op. */
void auki_activity_reader_free(auki_activity_reader *reader);
/* Next entry: *has_entry = 1 and a borrowed payload view (valid until the next call on this reader), or *has_entry = 0 at the end. */
int auki_activity_reader_next(auki_activity_reader *reader, int *has_entry, int64_t *timestamp_ns, const uint8_t **data,
                              size_t *len);
/* Copy up to max_entries next entries: payload i is buf[offsets[i] .. offsets[i+1]) (offsets has max_entries + 1 items); *count = 0 at
 * the end. AUKI_ERR_BUFFER_TOO_SMALL (nothing consumed) when the next payload alone does not fit: read it with auki_activity_reader_next. */
int auki_activity_reader_next_batch(auki_activity_reader *reader, size_t max_entries, int64_t timestamps_ns[],
                                    uint64_t offsets[], uint8_t buf[], size_t buf_len, size_t *count);
/* ABI 2.2. Up to max_entries next entries as borrowed views, in auki_activity_reader_next's order: entry i is timestamps_ns[i] and
 * the payload data[i] .. data[i] + lens[i], all valid until the next call on this reader or its free; the caller owns the three arrays
 * (max_entries items each). *count = 0 at the end; a batch holds entries of one file that lie in its read buffer, so it may hold fewer
 * than max_entries (it ends where the merge moves to another file or that buffer ends) without being the end. */
int auki_activity_reader_next_views(auki_activity_reader *reader, size_t max_entries, int64_t timestamps_ns[],
                                    const uint8_t *data[], size_t lens[], size_t *count);

/* ---- Activity sessions: attributes, search, timeline offsets, decoded reads (ABI 2.1) -----------
 *
 * Records also carry "description", "tags" (ordered set), "metadata" (JSON object) and
 * "device_unix_offsets_ns" ({peer: ns}); file views carry "unix_offset_ns" (the contribution's own,
 * null when none). A Unix-epoch offset shifts a file's timestamps into session time (session time =
 * file time + offset): bounds, reads and read windows are in session time, contribution windows
 * stay in the file's own time. A file's offset is its own, else its device's, else 0. Metadata keys
 * use dot notation for nested objects ("a.b" = metadata["a"]["b"]). A decoded table flattens a
 * topic's message type into columns named by dotted proto field names ("translation.x"); a log
 * without a type has one bytes column "payload". Column kinds: float64 float32 int64 uint64 int32
 * uint32 bool (fixed width, little-endian, rows x width bytes), string bytes (data + rows+1 byte
 * offsets), list (a repeated scalar: packed "element" values + rows+1 byte offsets), json (a
 * repeated message: one JSON array per row + rows+1 byte offsets).
 */

typedef struct auki_activity_table auki_activity_table; /* one topic of a session decoded into column batches */

/* Create a session from {"name","device_ids","description","tags","metadata"} (each optional); its record into *out_json (caller frees). */
int auki_activity_create_v2(const char *storage_root, const char *request_json, char **out_json);
/* A page of the session records {"device_id","start_ns","end_ns" (bounds overlap, inclusive),"tags" (all),"metadata" ({dotted key: equal value})} matches, oldest first; into *out_json (caller frees). */
int auki_activity_search(const char *storage_root, const char *query_json, const char *page_token, size_t limit,
                         char **out_json);
/* Set (*unix_offset_ns) or clear (NULL) the offset of {"file_id"} (a held file) or {"device_id"} (a known peer); the record into *out_json (caller frees). */
int auki_activity_set_unix_offset(const char *storage_root, const char *session_id, const char *target_json,
                                  const int64_t *unix_offset_ns, char **out_json);
/* The offset a time-transform log (the file's clock to a UTC clock) suggests for {"file_id"} or {"device_id"}: {"unix_offset_ns","time_transform_file_id","entries"} or null, into *out_json (caller frees). */
int auki_activity_default_unix_offset(const char *storage_root, const char *session_id, const char *target_json,
                                      char **out_json);
/* The columns of a topic's message type, {"type": "auki.pose.SpatialTransform"|null, "columns": [{"path","kind"[,"element"]}]}, into *out_json (caller frees). */
int auki_activity_topic_schema(const char *storage_root, const char *session_id, const char *topic, char **out_json);
/* A decoded reader over topic within [*start_ns, *end_ns] (session time; NULL = unbounded), columns kept by fields_json {"include":[paths]|null,"exclude":[paths]|null} (NULL = all; a path selects itself and its children); free with auki_activity_table_free. */
int auki_activity_table_open(auki_activity_table **out, const char *storage_root, const char *session_id,
                             const char *topic, const int64_t *start_ns, const int64_t *end_ns,
                             const char *fields_json);
/* The table's columns as auki_activity_topic_schema gives them, into *out_json (caller frees). */
int auki_activity_table_schema(auki_activity_table *table, char **out_json);
/* Decode the next batch: up to max_rows rows, fewer once variable-width data reaches max_bytes (at least one row); *rows = 0 at the end. Earlier batch views become invalid. */
int auki_activity_table_next(auki_activity_table *table, size_t max_rows, size_t max_bytes, size_t *rows);
/* The batch's rows session-time timestamps: a borrowed view of *rows int64 values, valid until the next auki_activity_table_next or free. */
int auki_activity_table_timestamps(auki_activity_table *table, const int64_t **timestamps_ns);
/* Column index of the batch: borrowed *data of *len bytes and, for string/bytes/list/json, *offsets (rows + 1 byte offsets; NULL for fixed width); valid until the next auki_activity_table_next or free. */
int auki_activity_table_column(auki_activity_table *table, size_t index, const uint8_t **data, size_t *len,
                               const uint64_t **offsets);
/* Release a table reader (closes its files); NULL is a no-op. */
void auki_activity_table_free(auki_activity_table *table);

/* ---- Store discovery (what `auki ls --json` lists; one name per concept, docs/names.md) ---------
 *
 * The peers, boot sessions and logs under a storage root, as JSON with the field names auki ls
 * --json prints. A log is {"file_id","root","peer_id","source_peer_id","boot_session_id",
 * "standalone","resource_id","app_id","kind","sensor","sensor_kind","sensor_type","clock",
 * "payload_type","entries","bytes","segment_count","min_timestamp_ns","max_timestamp_ns","state","notes"}: file_id
 * is the path relative to storage_root (the activity sessions' file id), root the log directory,
 * sensor and clock RegistryRef objects or null, payload_type the full name of the message its entries
 * carry ("auki.camera.CameraFrame"; null for opaque bytes), timestamps null for a log without entries, state
 * "live" or "sealed", notes what could not be read. Damaged files are described, not refused.
 * A missing storage_root is AUKI_ERR_NOT_FOUND.
 */

/* The whole listing {"storage_root","registry_entry_count","activity_session_count","peers":[peer + "boot_sessions":[boot session + "logs":[log]]]} into *out_json (caller frees). */
int auki_store_list(const char *storage_root, char **out_json);
/* Every peer [{"peer_id","app_ids","boot_session_count","log_count","entries","bytes"}] into *out_json (caller frees). */
int auki_store_peers(const char *storage_root, char **out_json);
/* Boot sessions of peer_id (NULL = every peer) [{"boot_session_id","peer_id","standalone","app_id","log_count","entries","bytes","min_timestamp_ns","max_timestamp_ns"}] into *out_json (caller frees). */
int auki_store_boot_sessions(const char *storage_root, const char *peer_id, char **out_json);
/* Logs matching query_json {"peer_id","boot_session_id","kind","start_ns","end_ns"} (each optional; the window is inclusive and keeps logs with an entry in it; NULL = all) as an array of logs into *out_json (caller frees). */
int auki_store_logs(const char *storage_root, const char *query_json, char **out_json);
/* The log a file id or a log directory path inside storage_root names, as a log object into *out_json (caller frees); AUKI_ERR_NOT_FOUND when none is there. */
int auki_store_log(const char *storage_root, const char *log, char **out_json);
/* The log a LogRef names (boot_session_id NULL = the only one; several is AUKI_ERR_INVALID_ARGUMENT listing them) into *out_json (caller frees). */
int auki_store_find_log(const char *storage_root, const char *source_peer_id, const char *resource_id,
                        const char *boot_session_id, char **out_json);
/* A reader over the log's (file id or path) entries in [*start_ns, *end_ns] (NULL = unbounded): auki_log_reader_next/_next_batch; free with auki_log_reader_free. */
int auki_store_open_reader(auki_log_reader **out, const char *storage_root, const char *log, const int64_t *start_ns,
                           const int64_t *end_ns);

/* ---- Foxglove live server (a Foxglove WebSocket server over a storage root's live logs) -------
 *
 * Foxglove WebSocket protocol v1 (subprotocols foxglove.websocket.v1 and foxglove.sdk.v1): a channel
 * per log with the schema `auki export --mcap` gives it, new entries streamed to subscribed clients,
 * logs that appear under the root advertised while it runs. A client that reads too slowly loses its
 * oldest queued messages; nothing waits for it. Served by threads of libauki until closed.
 */

typedef struct auki_foxglove_server
    auki_foxglove_server; /* a running server; stop and free with auki_foxglove_server_close */

/* Serve root on host:port (host NULL = "127.0.0.1", an IP address; port 0 = a free one, at most 65535); AUKI_ERR_IO when it
 * cannot bind, AUKI_ERR_NOT_FOUND when root is not a directory; *out is freed with auki_foxglove_server_close. */
int auki_foxglove_server_start(const char *root, const char *host, uint32_t port, auki_foxglove_server **out);
/* The port bound (the one picked for port 0); 0 for a NULL, freed or garbage handle. */
uint32_t auki_foxglove_server_port(auki_foxglove_server *server);
/* Stop (close frames sent, threads joined, connections closed) and free; NULL is a no-op. */
void auki_foxglove_server_close(auki_foxglove_server *server);

/* ---- Log data: gathered batch appends (ABI 2.2) ------------------------------------------------
 *
 * A batch whose payloads lie wherever the caller keeps them (frames in buffers of their own):
 * payload i is the lengths[i] bytes at payloads[i] (NULL only with length 0). The arrays and the
 * payloads are borrowed for the call only; nothing is kept. Payloads the writer would not copy
 * (large ones) go from the caller's memory to the file in vectored writes. All or nothing, as
 * auki_log_append_many: the whole batch is checked first (timestamps >= 0 and non-decreasing, also
 * against the log's last entry; each payload below 2 GiB) and a refusal, naming the entry, writes
 * nothing; an I/O error part-way says how many entries were appended.
 */

/* Append count entries to a session log: payload i is payloads[i][0 .. lengths[i]). */
int auki_log_append_gather(auki_log *log, const int64_t timestamps_ns[], size_t count, const uint8_t *payloads[],
                           const size_t lengths[]);
/* The gathered batch append on a standalone writer, as auki_log_append_gather. */
int auki_log_writer_append_gather(auki_log_writer *writer, const int64_t timestamps_ns[], size_t count,
                                  const uint8_t *payloads[], const size_t lengths[]);

/* ---- Registration batches (ABI 2.3) -----------------------------------------------------------
 *
 * Between auki_peer_batch_begin and auki_peer_batch_commit, every registration through the peer and
 * its sessions (frames, sensors, detectors, clocks, logs; from any thread) writes its file atomically
 * (temp + rename: never torn under its final name) but leaves the fsync to the commit, which makes all
 * of them durable with one syncfs per file system. A batch is not a transaction: a registration that
 * returned AUKI_OK is there and readable at once, one that failed (its error at that call) wrote nothing,
 * the others are unaffected. Until the commit a crash may lose batch registrations, and a power loss
 * may leave an entry file empty or short: reading it is AUKI_ERR_CORRUPT, registering it again repairs
 * it. Ordering: a file that names one not yet durable waits for it (a barrier inside the batch): a
 * sensor for its frame, a log's manifest for the entries it names, a log's first append or tail for its
 * manifest, a domain's published catalog for everything. Batches nest; the outermost commit syncs.
 */

/* Open (or nest) a registration batch on peer. */
int auki_peer_batch_begin(auki_peer *peer);
/* Close the innermost batch; the outermost makes everything it wrote durable before returning (AUKI_ERR_IO if the
   system reports a failure; AUKI_ERR_INVALID_ARGUMENT without an open batch). */
int auki_peer_batch_commit(auki_peer *peer);

#ifdef __cplusplus
}
#endif

#endif /* AUKI_H */
