/*
 * test_abi.c — the C ABI contract of libauki (native/include/auki.h), checked from C.
 *
 * Each test_* function pins one behaviour: upstream's hash vectors and error texts, the on-disk
 * layout, and the promise that bad input (NULL, invalid UTF-8, freed or foreign handles) is a
 * status code with a message, never a crash. Run through tests/c/run.sh.
 */
#define _XOPEN_SOURCE 700
#include "fixtures.h"

#include <ftw.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- Fixtures -------------------------------------------------------------------------------- */

#define PEER        "galbot"
#define APP         "galbot-ctrl"
#define FRAME_ID    "head_left_camera_optical"
#define SENSOR_ID   "head_left_rgb"
#define FRAME_HASH  "3055a8ac27eecd57aa37235b05871c01"
#define SENSOR_HASH "8295922307fa2b426453486ba87a59ef"

/* The era-A camera body of the Quickstart; its frame is the ros_optical frame above. */
#define CAMERA_BODY(width_json)                                                                                        \
    "{\"kind\":\"camera\",\"type\":\"rgb\",\"width\":" width_json ",\"height\":1200,"                                  \
    "\"frame_rate_hz\":30,\"pixel_format\":\"rgb8\",\"color_space\":\"srgb\","                                         \
    "\"intrinsics_model\":\"pinhole\",\"distortion_model\":\"brown_conrady\","                                         \
    "\"frame\":{\"peer_id\":\"galbot\",\"id\":\"head_left_camera_optical\",\"hash\":\"" FRAME_HASH "\"}}"

#define SDK_CLOCK_BODY "{\"type\":\"monotonic_clock\",\"unit\":\"ns\",\"monotonic\":true,\"scope\":\"device-local\"}"

/* Whole file as a NUL-terminated heap string, or NULL. */
static char *read_file(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *text = malloc((size_t) n + 1);
    size_t got = fread(text, 1, (size_t) n, f);
    text[got] = '\0';
    fclose(f);
    return text;
}

/* A peer rooted at root with the Quickstart's frame and camera registered. */
static auki_peer *peer_with_camera(const char *root) {
    auki_peer *peer = NULL;
    char hash[AUKI_HASH_BUFSIZE];
    CHECK_OK(auki_peer_new(&peer, PEER, APP));
    CHECK_OK(auki_peer_set_storage_root(peer, root));
    CHECK_OK(auki_peer_register_frame(peer, FRAME_ID, "ros_optical", hash));
    CHECK_OK(auki_peer_register_sensor(peer, SENSOR_ID, CAMERA_BODY("1920"), hash));
    return peer;
}

/* The JSON spec of a sensor log over the Quickstart camera with clock `clock_id`@`clock_hash`. */
static void sensor_log_spec(char *out, size_t size, const char *sensor_id, const char *sensor_hash,
                            const char *clock_id, const char *clock_hash) {
    snprintf(out, size,
             "{\"sensor\":{\"peer_id\":\"galbot\",\"id\":\"%s\",\"hash\":\"%s\"},"
             "\"clock\":{\"peer_id\":\"galbot\",\"id\":\"%s\",\"hash\":\"%s\"},"
             "\"frame\":{\"peer_id\":\"galbot\",\"id\":\"" FRAME_ID "\",\"hash\":\"" FRAME_HASH "\"},"
             "\"head\":{\"kind\":\"rolling\",\"retention_ns\":5000000000},"
             "\"segment_duration_ns\":1000000000,\"retention_ns\":5000000000}",
             sensor_id, sensor_hash, clock_id, clock_hash);
}

/* ---- Versions and utilities ------------------------------------------------------------------ */

TEST(test_abi_version_matches_header) {
    CHECK(auki_abi_version() == AUKI_ABI_VERSION);
    CHECK(auki_abi_version() >> 16 == AUKI_ABI_VERSION_MAJOR);
    CHECK_STREQ(auki_version(), "0.1.0");
    CHECK(auki_version() == auki_version()); /* static, same pointer every time */
}

TEST(test_hash_bytes_matches_xxh3_128_vectors) {
    char hash[AUKI_HASH_BUFSIZE];
    CHECK_OK(auki_hash_bytes(NULL, 0, hash));
    CHECK_STREQ(hash, "99aa06d3014798d86001c324468d497f");
    CHECK_OK(auki_hash_bytes((const uint8_t *) "", 0, hash));
    CHECK_STREQ(hash, "99aa06d3014798d86001c324468d497f");
    CHECK_OK(auki_hash_bytes((const uint8_t *) "abc", 3, hash));
    CHECK_STREQ(hash, "06b05ab6733a618578af5f94892f3950");
    CHECK_ERR(auki_hash_bytes(NULL, 3, hash), AUKI_ERR_INVALID_ARGUMENT, "data must not be NULL");
}

TEST(test_canonical_json_sorts_keys_and_strips_whitespace) {
    char *out = NULL;
    CHECK_OK(auki_canonical_json("{ \"b\": 1, \"a\": [true, null, 1.50, \"\\u00e9\"] }", &out));
    CHECK_STREQ(out, "{\"a\":[true,null,1.5,\"\xc3\xa9\"],\"b\":1}");
    auki_string_free(out);
}

TEST(test_a_session_belongs_to_the_peer_that_started_it) {
    auki_peer *galbot = NULL, *park = NULL;
    auki_session *session = NULL;
    CHECK_OK(auki_peer_new(&galbot, "galbot", "app"));
    CHECK_OK(auki_peer_new(&park, "park", "app"));
    CHECK_OK(auki_peer_set_storage_root(galbot, temp_root("belongs")));
    CHECK_OK(auki_peer_start_session(galbot, &session));
    CHECK_OK(auki_session_check_peer(session, galbot));
    CHECK_ERR(auki_session_check_peer(session, park), AUKI_ERR_INVALID_ARGUMENT,
              "belongs to peer 'galbot', not 'park'");
    CHECK_ERR(auki_session_check_peer(session, NULL), AUKI_ERR_INVALID_ARGUMENT, "must not be NULL");
    auki_session_free(session);
    auki_peer_free(park);
    auki_peer_free(galbot);
}

TEST(test_ulid_new_is_26_chars) {
    char a[AUKI_ULID_BUFSIZE], b[AUKI_ULID_BUFSIZE];
    CHECK_OK(auki_ulid_new(a));
    CHECK_OK(auki_ulid_new(b));
    CHECK(strlen(a) == 26);
    CHECK(strcmp(a, b) != 0);
}

/* ---- Registry vectors and store -------------------------------------------------------------- */

TEST(test_registration_hashes_match_upstream_vectors) {
    const char *root = temp_root("vectors");
    auki_peer *peer = NULL;
    char frame[AUKI_HASH_BUFSIZE], sensor[AUKI_HASH_BUFSIZE];
    CHECK_OK(auki_peer_new(&peer, PEER, APP));
    CHECK_OK(auki_peer_set_storage_root(peer, root));
    CHECK_OK(auki_peer_register_frame(peer, FRAME_ID, "ros_optical", frame));
    CHECK_STREQ(frame, FRAME_HASH);
    CHECK_OK(auki_peer_register_sensor(peer, SENSOR_ID, CAMERA_BODY("1920"), sensor));
    CHECK_STREQ(sensor, SENSOR_HASH);
    /* Identical re-registration is idempotent: same hash, no error. */
    CHECK_OK(auki_peer_register_sensor(peer, SENSOR_ID, CAMERA_BODY("1920"), sensor));
    CHECK_STREQ(sensor, SENSOR_HASH);
    auki_peer_free(peer);
}

TEST(test_registry_entry_canonical_matches_frame_vector) {
    char *canonical = NULL;
    char hash[AUKI_HASH_BUFSIZE];
    CHECK_OK(auki_registry_entry_canonical(
        "frame",
        "{\"units\":\"meters\",\"peer_id\":\"galbot\",\"frame_id\":\"head_left_camera_optical\","
        "\"handedness\":\"right\",\"axes\":{\"z\":\"forward\",\"y\":\"down\",\"x\":\"right\"}}",
        &canonical, hash));
    CHECK_STREQ(hash, FRAME_HASH);
    CHECK_STREQ(
        canonical,
        "{\"axes\":{\"x\":\"right\",\"y\":\"down\",\"z\":\"forward\"},\"frame_id\":\"head_left_camera_optical\","
        "\"handedness\":\"right\",\"peer_id\":\"galbot\",\"units\":\"meters\"}");
    auki_string_free(canonical);
    CHECK_ERR(auki_registry_entry_canonical("lidar", "{}", &canonical, hash), AUKI_ERR_INVALID_ARGUMENT,
              "unknown registry kind `lidar`");
    /* maps are a registry kind since ABI 1.3 (newest upstream registry); a bad one names the field */
    CHECK_ERR(auki_registry_entry_canonical("map", "{}", &canonical, hash), AUKI_ERR_INVALID_ARGUMENT,
              "missing field `peer_id`");
}

TEST(test_registry_write_then_read_round_trips) {
    const char *root = temp_root("registry");
    const char *entry = "{\"peer_id\":\"galbot\",\"frame_id\":\"head_left_camera_optical\",\"handedness\":\"right\","
                        "\"axes\":{\"x\":\"right\",\"y\":\"down\",\"z\":\"forward\"},\"units\":\"meters\"}";
    char hash[AUKI_HASH_BUFSIZE];
    char *json = NULL;
    CHECK_OK(auki_registry_write(root, "frame", entry, hash));
    CHECK_STREQ(hash, FRAME_HASH);
    CHECK_OK(auki_registry_write(root, "frames", entry, hash)); /* idempotent, plural accepted */
    CHECK_OK(auki_registry_read(root, "frame", PEER, FRAME_ID, FRAME_HASH, &json));
    CHECK_CONTAINS(json, "\"frame_id\":\"head_left_camera_optical\"");
    auki_string_free(json);

    char path[1024];
    snprintf(path, sizeof path, "%s/registries/frames/galbot/head_left_camera_optical/%s.json", root, FRAME_HASH);
    CHECK(path_exists(path));
}

TEST(test_registry_read_of_missing_entry_is_not_found) {
    const char *root = temp_root("registry-missing");
    char *json = (char *) "sentinel";
    CHECK_ERR(auki_registry_read(root, "frame", PEER, FRAME_ID, "00000000000000000000000000000000", &json),
              AUKI_ERR_NOT_FOUND, "not found");
    CHECK(json == NULL);
}

/* ---- The full flows -------------------------------------------------------------------------- */

TEST(test_era_c_flow_writes_clocks_manifest_and_catalog) {
    const char *root = temp_root("era-c");
    auki_peer *peer = peer_with_camera(root);
    auki_session *session = NULL;
    auki_log *log = NULL;
    char clock[AUKI_HASH_BUFSIZE], spec[2048], path[1024];
    char *sid = NULL, *text = NULL;

    CHECK_OK(auki_peer_start_session(peer, &session));
    CHECK_OK(auki_session_id(session, &sid));
    CHECK(sid != NULL && strlen(sid) == 26);

    snprintf(path, sizeof path, "%s/registries/clocks/galbot/galbot__%s__monotonic", root, sid);
    CHECK(path_exists(path));
    snprintf(path, sizeof path, "%s/registries/clocks/galbot/galbot__%s__utc", root, sid);
    CHECK(path_exists(path));

    CHECK_OK(auki_session_info(session, &text));
    CHECK_CONTAINS(text, "\"standalone\":false");
    CHECK_CONTAINS(text, "\"monotonic_clock\":{\"hash\":");
    CHECK_CONTAINS(text, sid);
    auki_string_free(text);

    CHECK_OK(auki_session_register_clock(session, "session/sdk_clock", SDK_CLOCK_BODY, clock));
    sensor_log_spec(spec, sizeof spec, SENSOR_ID, SENSOR_HASH, "session/sdk_clock", clock);
    CHECK_OK(auki_log_spec_check("sensor", spec));
    CHECK_OK(auki_session_register_log(session, "sensor", spec, &log));

    snprintf(path, sizeof path, "%s/%s/logs/galbot/head_left_rgb/manifest.json", root, sid);
    CHECK(path_exists(path));
    char *manifest = read_file(path);
    CHECK_CONTAINS(manifest, "\"writer_peer_id\":\"galbot\"");
    free(manifest);

    CHECK_OK(auki_log_kind(log, &text));
    CHECK_STREQ(text, "sensor");
    auki_string_free(text);
    CHECK_OK(auki_log_resource_id(log, &text));
    CHECK_STREQ(text, SENSOR_ID);
    auki_string_free(text);
    CHECK_OK(auki_log_root(log, &text));
    snprintf(path, sizeof path, "%s/%s/logs/galbot/head_left_rgb", root, sid);
    CHECK_STREQ(text, path);
    auki_string_free(text);
    CHECK_OK(auki_log_ref(log, &text));
    CHECK_STREQ(text, "{\"resource_id\":\"head_left_rgb\",\"source_peer_id\":\"galbot\"}");
    auki_string_free(text);
    CHECK_OK(auki_log_manifest(log, &text));
    CHECK_CONTAINS(text, "\"session_id\":\"");
    auki_string_free(text);

    CHECK_OK(auki_session_catalog(session, &text));
    CHECK_CONTAINS(text, "\"resource_id\":\"head_left_rgb\"");
    CHECK_CONTAINS(text, "\"variant\":\"sensor_log\"");
    auki_string_free(text);

    CHECK_OK(auki_session_logs(session, NULL, &text));
    CHECK_CONTAINS(text, "[{\"kind\":\"sensor\",\"resource_id\":\"head_left_rgb\",\"root\":");
    auki_string_free(text);
    CHECK_OK(auki_session_logs(session, "pose", &text));
    CHECK_STREQ(text, "[]");
    auki_string_free(text);
    CHECK_ERR(auki_session_logs(session, "video", &text), AUKI_ERR_INVALID_ARGUMENT, "unknown log kind `video`");

    auki_log *found = NULL;
    CHECK_OK(auki_session_find_log(session, SENSOR_ID, &found));
    CHECK(found != NULL && found != log); /* a new handle to the same log */
    CHECK_OK(auki_log_resource_id(found, &text));
    CHECK_STREQ(text, SENSOR_ID);
    auki_string_free(text);
    auki_log_free(found);
    CHECK_ERR(auki_session_find_log(session, "nope", &found), AUKI_ERR_NOT_FOUND, "nope");
    CHECK(found == NULL);

    auki_peer *again = NULL;
    CHECK_OK(auki_session_peer(session, &again));
    CHECK_OK(auki_peer_storage_root(again, &text));
    CHECK_STREQ(text, root);
    auki_string_free(text);
    auki_peer_free(again);

    auki_string_free(sid);
    auki_log_free(log);
    auki_session_free(session);
    auki_peer_free(peer);
}

TEST(test_standalone_session_writes_era_a_paths) {
    const char *root = temp_root("era-a");
    auki_session *session = NULL;
    auki_peer *peer = NULL;
    auki_log *log = NULL;
    char hash[AUKI_HASH_BUFSIZE], clock[AUKI_HASH_BUFSIZE], spec[2048], path[1024];
    char *text = NULL;

    CHECK_OK(auki_session_new_standalone(&session, PEER, APP));
    CHECK_OK(auki_session_peer(session, &peer));
    CHECK_OK(auki_peer_set_storage_root(peer, root));
    CHECK_OK(auki_peer_register_frame(peer, FRAME_ID, "ros_optical", hash));
    CHECK_OK(auki_peer_register_sensor(peer, SENSOR_ID, CAMERA_BODY("1920"), hash));
    CHECK_STREQ(hash, SENSOR_HASH);

    CHECK_OK(auki_session_info(session, &text));
    CHECK_CONTAINS(text, "\"standalone\":true");
    CHECK_CONTAINS(text, "\"monotonic_clock\":null");
    auki_string_free(text);

    CHECK_OK(auki_session_register_clock(session, "sdk_clock", SDK_CLOCK_BODY, clock));
    sensor_log_spec(spec, sizeof spec, SENSOR_ID, SENSOR_HASH, "sdk_clock", clock);
    CHECK_OK(auki_session_register_log(session, "sensor", spec, &log));
    snprintf(path, sizeof path, "%s/logs/galbot/head_left_rgb/manifest.json", root);
    CHECK(path_exists(path));

    auki_log_free(log);
    auki_peer_free(peer);
    auki_session_free(session);
}

/* ---- Upstream error texts -------------------------------------------------------------------- */

TEST(test_duplicate_log_is_rejected) {
    const char *root = temp_root("duplicate");
    auki_peer *peer = peer_with_camera(root);
    auki_session *session = NULL;
    auki_log *log = NULL, *again = NULL;
    char clock[AUKI_HASH_BUFSIZE], spec[2048];
    CHECK_OK(auki_peer_start_session(peer, &session));
    CHECK_OK(auki_session_register_clock(session, "sdk_clock", SDK_CLOCK_BODY, clock));
    sensor_log_spec(spec, sizeof spec, SENSOR_ID, SENSOR_HASH, "sdk_clock", clock);
    CHECK_OK(auki_session_register_log(session, "sensor", spec, &log));
    CHECK_ERR(auki_session_register_log(session, "sensor", spec, &again), AUKI_ERR_INVALID_ARGUMENT,
              "duplicate log galbot/head_left_rgb");
    CHECK_STREQ(auki_last_error_message(), "duplicate log galbot/head_left_rgb");
    CHECK(again == NULL);
    auki_log_free(log);
    auki_session_free(session);
    auki_peer_free(peer);
}

TEST(test_log_of_unregistered_sensor_is_rejected) {
    const char *root = temp_root("ghost");
    auki_peer *peer = peer_with_camera(root);
    auki_session *session = NULL;
    auki_log *log = NULL;
    char clock[AUKI_HASH_BUFSIZE], spec[2048];
    CHECK_OK(auki_peer_start_session(peer, &session));
    CHECK_OK(auki_session_register_clock(session, "sdk_clock", SDK_CLOCK_BODY, clock));
    sensor_log_spec(spec, sizeof spec, "ghost_cam", SENSOR_HASH, "sdk_clock", clock);
    CHECK_ERR(auki_session_register_log(session, "sensor", spec, &log), AUKI_ERR_INVALID_ARGUMENT, "");
    CHECK_STREQ(auki_last_error_message(), "duplicate log galbot/sensor not registered: ghost_cam");
    auki_session_free(session);
    auki_peer_free(peer);
}

TEST(test_invalid_registry_ids_use_upstream_messages) {
    CHECK_OK(auki_registry_validate_id("head_left_rgb"));
    CHECK_OK(auki_registry_validate_id("session/sdk_clock"));
    CHECK_ERR(auki_registry_validate_id("bad>id"), AUKI_ERR_INVALID_ARGUMENT,
              "registry id contains disallowed character '>'");
    CHECK_ERR(auki_registry_validate_id(""), AUKI_ERR_INVALID_ARGUMENT, "registry id is empty");
    CHECK_ERR(auki_registry_validate_id("a/../b"), AUKI_ERR_INVALID_ARGUMENT,
              "registry id contains reserved path segment \"..\"");
    CHECK_ERR(auki_registry_validate_id("foo\tbar"), AUKI_ERR_INVALID_ARGUMENT,
              "registry id contains disallowed character '\\t'");

    const char *root = temp_root("bad-ids");
    auki_peer *peer = NULL;
    char hash[AUKI_HASH_BUFSIZE];
    CHECK_OK(auki_peer_new(&peer, PEER, APP));
    CHECK_OK(auki_peer_set_storage_root(peer, root));
    CHECK_ERR(auki_peer_register_frame(peer, "bad>id", "ros_optical", hash), AUKI_ERR_INVALID_ARGUMENT,
              "registry id contains disallowed character '>'");
    auki_peer_free(peer);
}

TEST(test_malformed_json_bodies_are_invalid_arguments) {
    const char *root = temp_root("bad-json");
    auki_peer *peer = peer_with_camera(root);
    char hash[AUKI_HASH_BUFSIZE];
    CHECK_ERR(auki_peer_register_sensor(peer, "s", "{", hash), AUKI_ERR_INVALID_ARGUMENT, "invalid JSON");
    CHECK_ERR(auki_peer_register_sensor(peer, "s", "[]", hash), AUKI_ERR_INVALID_ARGUMENT, "invalid type: sequence");
    CHECK_ERR(auki_peer_register_sensor(peer, "s", "42", hash), AUKI_ERR_INVALID_ARGUMENT,
              "invalid type: integer `42`");
    CHECK_ERR(auki_peer_register_sensor(peer, "s", "{\"kind\":\"camera\",\"type\":\"rgb\"}", hash),
              AUKI_ERR_INVALID_ARGUMENT, "missing field `width`");
    CHECK_ERR(auki_canonical_json("{\"a\":1,}", (char *[]){NULL}), AUKI_ERR_INVALID_ARGUMENT, "invalid JSON");
    CHECK_ERR(auki_peer_register_sensor(peer, "s", "{\"kind\":\"camera\",\"kind\":\"rf\"}", hash),
              AUKI_ERR_INVALID_ARGUMENT, "invalid JSON: Duplicate property 'kind'");
    auki_peer_free(peer);
}

TEST(test_float_for_integer_field_uses_serde_text) {
    const char *root = temp_root("float");
    auki_peer *peer = peer_with_camera(root);
    char hash[AUKI_HASH_BUFSIZE];
    CHECK_ERR(auki_peer_register_sensor(peer, SENSOR_ID, CAMERA_BODY("30.0"), hash), AUKI_ERR_INVALID_ARGUMENT,
              "invalid type: floating point `30.0`, expected u32");
    auki_peer_free(peer);
}

TEST(test_error_names_its_field_beside_the_upstream_message) {
    const char *root = temp_root("field");
    auki_peer *peer = peer_with_camera(root);
    char hash[AUKI_HASH_BUFSIZE];
    CHECK_ERR(auki_peer_register_sensor(peer, SENSOR_ID, CAMERA_BODY("\"640\""), hash), AUKI_ERR_INVALID_ARGUMENT,
              "body: invalid type: string \"640\", expected u32");
    CHECK_STREQ(auki_last_error_field(), "body.width");
    CHECK_OK(auki_peer_register_sensor(peer, SENSOR_ID, CAMERA_BODY("1920"), hash));
    CHECK_STREQ(auki_last_error_field(), ""); /* a success leaves no field behind */
    auki_peer_free(peer);
}

/* An unknown body key is dropped as upstream drops it (same hash) and reported as a warning. */
TEST(test_unknown_body_key_warns_and_keeps_the_hash) {
    const char *root = temp_root("warn");
    auki_peer *peer = peer_with_camera(root);
    char hash[AUKI_HASH_BUFSIZE];
    char *warnings = NULL;
    CHECK_OK(auki_warnings_set_stderr(0));
    CHECK_OK(auki_warnings_take(&warnings)); /* start from an empty list */
    auki_string_free(warnings);
    const char *typo =
        "{\"kind\":\"camera\",\"type\":\"rgb\",\"width\":1920,\"height\":1200,"
        "\"frame_rate_hz\":30,\"pixel_format\":\"rgb8\",\"color_space\":\"srgb\","
        "\"intrinsics_model\":\"pinhole\",\"distortion_model\":\"brown_conrady\","
        "\"calibraton\":{\"fx\":1,\"fy\":1,\"cx\":0,\"cy\":0},"
        "\"frame\":{\"peer_id\":\"galbot\",\"id\":\"head_left_camera_optical\",\"hash\":\"" FRAME_HASH "\"}}";
    CHECK_OK(auki_peer_register_sensor(peer, SENSOR_ID, typo, hash));
    CHECK_STREQ(hash, SENSOR_HASH);
    CHECK_OK(auki_warnings_take(&warnings));
    CHECK(warnings != NULL && strstr(warnings, "body: unknown field `calibraton` ignored") != NULL);
    auki_string_free(warnings);
    CHECK_OK(auki_warnings_take(&warnings)); /* taking clears */
    CHECK_STREQ(warnings, "[]");
    auki_string_free(warnings);
    CHECK_OK(auki_warnings_set_stderr(1));
    auki_peer_free(peer);
}

TEST(test_sensor_referencing_missing_frame_is_rejected) {
    const char *root = temp_root("no-frame");
    auki_peer *peer = NULL;
    char hash[AUKI_HASH_BUFSIZE];
    CHECK_OK(auki_peer_new(&peer, PEER, APP));
    CHECK_OK(auki_peer_set_storage_root(peer, root));
    CHECK_ERR(auki_peer_register_sensor(peer, SENSOR_ID, CAMERA_BODY("1920"), hash), AUKI_ERR_INVALID_ARGUMENT,
              "references missing frame");
    auki_peer_free(peer);
}

TEST(test_custom_frames_must_be_orthogonal) {
    const char *root = temp_root("custom-frame");
    auki_peer *peer = NULL;
    char hash[AUKI_HASH_BUFSIZE];
    CHECK_OK(auki_peer_new(&peer, PEER, APP));
    CHECK_OK(auki_peer_set_storage_root(peer, root));
    CHECK_OK(auki_peer_register_frame(
        peer, "imu",
        "{\"handedness\":\"right\",\"axes\":{\"x\":\"forward\",\"y\":\"left\",\"z\":\"up\"},\"units\":\"meters\"}",
        hash));
    CHECK_ERR(auki_peer_register_frame(peer, "skew",
                                       "{\"handedness\":\"right\",\"axes\":{\"x\":\"forward\",\"y\":\"backward\",\"z\":"
                                       "\"up\"},\"units\":\"meters\"}",
                                       hash),
              AUKI_ERR_INVALID_ARGUMENT, "invalid axes:");
    CHECK(strncmp(auki_last_error_message(), "invalid axes:", 13) == 0);
    CHECK_ERR(auki_peer_register_frame(peer, "x", "ros_sideways", hash), AUKI_ERR_INVALID_ARGUMENT, "unknown preset");
    auki_peer_free(peer);
}

TEST(test_detector_input_types_are_optional) {
    const char *root = temp_root("detector");
    auki_peer *peer = NULL;
    char without[AUKI_HASH_BUFSIZE], with[AUKI_HASH_BUFSIZE];
    const char *body = "{\"type\":\"object_detection\",\"model\":\"yolo_v8\"}";
    CHECK_OK(auki_peer_new(&peer, PEER, APP));
    CHECK_OK(auki_peer_set_storage_root(peer, root));
    CHECK_OK(auki_peer_register_detector(peer, "yolo", body, "[\"bbox_2d\"]", NULL, without));
    CHECK_OK(auki_peer_register_detector(peer, "yolo", body, "[\"bbox_2d\"]",
                                         "[{\"sensor_kind\":\"camera\",\"pixel_format\":\"rgb8\"}]", with));
    CHECK(strcmp(without, with) != 0); /* input types are part of the entry only when given */
    CHECK_ERR(auki_peer_register_detector(peer, "yolo", body, "{}", NULL, with), AUKI_ERR_INVALID_ARGUMENT,
              "output_types: invalid type: map, expected a sequence");
    auki_peer_free(peer);
}

TEST(test_log_spec_check_validates_without_registering) {
    CHECK_ERR(auki_log_spec_check("video", "{}"), AUKI_ERR_INVALID_ARGUMENT, "unknown log kind `video`");
    CHECK_ERR(auki_log_spec_check("sensor", "{}"), AUKI_ERR_INVALID_ARGUMENT, "missing field `sensor`");
}

TEST(test_upstream_stubs_are_not_implemented) {
    auki_session *session = NULL;
    auki_log *log = NULL;
    char *json = NULL;
    const char *ref = "{\"source_peer_id\":\"other\",\"resource_id\":\"cam\"}";
    CHECK_OK(auki_session_new_standalone(&session, PEER, APP));
    CHECK_ERR(auki_session_materialize_remote_log(session, ref, 5000000000ull, 1000000000ull, &log),
              AUKI_ERR_NOT_IMPLEMENTED, "not implemented");
    CHECK(log == NULL);
    CHECK_ERR(auki_session_resolve_static_transform(session, ref, &json), AUKI_ERR_NOT_IMPLEMENTED, "not implemented");
    CHECK(json == NULL);
    CHECK_ERR(auki_session_materialize_remote_log(session, "{}", 0, 0, &log), AUKI_ERR_INVALID_ARGUMENT,
              "missing field");
    auki_session_free(session);
}

TEST(test_unwritable_storage_root_is_an_io_error) {
    const char *dir = temp_root("io");
    char file[1024];
    snprintf(file, sizeof file, "%s/not-a-directory", dir);
    FILE *f = fopen(file, "w");
    CHECK(f != NULL);
    if (f) fclose(f);
    auki_peer *peer = NULL;
    char hash[AUKI_HASH_BUFSIZE];
    CHECK_OK(auki_peer_new(&peer, PEER, APP));
    CHECK_OK(auki_peer_set_storage_root(peer, file));
    CHECK_ERR(auki_peer_register_frame(peer, FRAME_ID, "ros_optical", hash), AUKI_ERR_IO, "io: ");
    CHECK_CONTAINS(auki_last_error_message(), file); /* a readable .NET message naming the path */
    auki_peer_free(peer);
}

/* ---- Bad pointers never crash ---------------------------------------------------------------- */

TEST(test_frame_def_body_gives_the_validated_convention) {
    char *body = NULL;
    CHECK_OK(auki_frame_def_body("ros_optical", &body));
    CHECK_STREQ(
        body,
        "{\"axes\":{\"x\":\"right\",\"y\":\"down\",\"z\":\"forward\"},\"handedness\":\"right\",\"units\":\"meters\"}");
    auki_string_free(body);
    body = NULL;
    CHECK_OK(auki_frame_def_body(
        "{\"handedness\":\"left\",\"axes\":{\"x\":\"right\",\"y\":\"up\",\"z\":\"forward\"},\"units\":\"meters\"}",
        &body));
    CHECK_CONTAINS(body, "\"handedness\":\"left\"");
    auki_string_free(body);
    body = (char *) 0x1;
    CHECK_ERR(
        auki_frame_def_body(
            "{\"handedness\":\"right\",\"axes\":{\"x\":\"up\",\"y\":\"down\",\"z\":\"left\"},\"units\":\"meters\"}",
            &body),
        AUKI_ERR_INVALID_ARGUMENT, "invalid axes:");
    CHECK(body == NULL);
    CHECK_ERR(auki_frame_def_body("{\"handedness\":\"sideways\"}", &body), AUKI_ERR_INVALID_ARGUMENT,
              "missing field `axes`");
    CHECK_ERR(auki_frame_def_body("ros_sideways", &body), AUKI_ERR_INVALID_ARGUMENT, "unknown preset");
    CHECK_ERR(auki_frame_def_body(NULL, &body), AUKI_ERR_INVALID_ARGUMENT, "frame_def must not be NULL");
    CHECK_ERR(auki_frame_def_body("ros_body", NULL), AUKI_ERR_INVALID_ARGUMENT, "must not be NULL");
}

TEST(test_null_arguments_are_invalid_arguments) {
    auki_peer *peer = NULL;
    auki_session *session = NULL;
    auki_log *log = NULL;
    char hash[AUKI_HASH_BUFSIZE], ulid[AUKI_ULID_BUFSIZE];
    char *text = NULL;
    const int E = AUKI_ERR_INVALID_ARGUMENT;

    /* NULL out-params. */
    CHECK_ERR(auki_peer_new(NULL, PEER, APP), E, "out must not be NULL");
    CHECK_ERR(auki_session_new_standalone(NULL, PEER, APP), E, "out must not be NULL");
    CHECK_ERR(auki_hash_bytes((const uint8_t *) "a", 1, NULL), E, "out_hash must not be NULL");
    CHECK_ERR(auki_canonical_json("{}", NULL), E, "out must not be NULL");
    CHECK_ERR(auki_ulid_new(NULL), E, "out must not be NULL");
    CHECK_ERR(auki_registry_entry_canonical("frame", "{}", NULL, hash), E, "out_canonical must not be NULL");

    /* NULL string arguments. */
    CHECK_ERR(auki_peer_new(&peer, NULL, APP), E, "peer_id must not be NULL");
    CHECK_ERR(auki_peer_new(&peer, PEER, NULL), E, "app_id must not be NULL");
    CHECK(peer == NULL);
    CHECK_ERR(auki_registry_validate_id(NULL), E, "id must not be NULL");
    CHECK_ERR(auki_canonical_json(NULL, &text), E, "json must not be NULL");
    CHECK_ERR(auki_log_spec_check(NULL, "{}"), E, "kind must not be NULL");
    CHECK_ERR(auki_registry_write(NULL, "frame", "{}", hash), E, "root must not be NULL");
    CHECK_ERR(auki_registry_read("/tmp", "frame", PEER, FRAME_ID, NULL, &text), E, "hash must not be NULL");

    /* NULL handles. */
    CHECK_ERR(auki_peer_id(NULL, &text), E, "auki_peer handle must not be NULL");
    CHECK_ERR(auki_peer_register_frame(NULL, FRAME_ID, "ros_optical", hash), E, "auki_peer handle must not be NULL");
    CHECK_ERR(auki_peer_start_session(NULL, &session), E, "auki_peer handle must not be NULL");
    CHECK_ERR(auki_session_id(NULL, &text), E, "auki_session handle must not be NULL");
    CHECK_ERR(auki_session_catalog(NULL, &text), E, "auki_session handle must not be NULL");
    CHECK_ERR(auki_session_register_log(NULL, "sensor", "{}", &log), E, "auki_session handle must not be NULL");
    CHECK_ERR(auki_log_resource_id(NULL, &text), E, "auki_log handle must not be NULL");
    CHECK_ERR(auki_log_manifest(NULL, &text), E, "auki_log handle must not be NULL");
    CHECK(text == NULL && session == NULL && log == NULL);

    /* NULL strings and out-params on live handles. */
    const char *root = temp_root("nulls");
    CHECK_OK(auki_peer_new(&peer, PEER, APP));
    CHECK_OK(auki_peer_set_storage_root(peer, root));
    CHECK_ERR(auki_peer_set_storage_root(peer, NULL), E, "storage_root must not be NULL");
    CHECK_ERR(auki_peer_id(peer, NULL), E, "out must not be NULL");
    CHECK_ERR(auki_peer_register_frame(peer, NULL, "ros_optical", hash), E, "frame_id must not be NULL");
    CHECK_ERR(auki_peer_register_frame(peer, FRAME_ID, NULL, hash), E, "frame_def must not be NULL");
    CHECK_ERR(auki_peer_register_frame(peer, FRAME_ID, "ros_optical", NULL), E, "out_hash must not be NULL");
    CHECK_ERR(auki_peer_register_sensor(peer, SENSOR_ID, NULL, hash), E, "body_json must not be NULL");
    CHECK_ERR(
        auki_peer_register_detector(peer, "aruco", "{\"type\":\"aruco\",\"dictionary\":\"4x4\"}", NULL, NULL, hash), E,
        "output_types_json must not be NULL");
    CHECK_OK(auki_peer_register_detector(peer, "aruco", "{\"type\":\"aruco\",\"dictionary\":\"4x4\"}", "[\"marker\"]",
                                         NULL, hash)); /* input types are optional */
    CHECK_ERR(auki_peer_start_session(peer, NULL), E, "out must not be NULL");
    CHECK_OK(auki_peer_start_session(peer, &session));
    CHECK_ERR(auki_session_register_clock(session, NULL, SDK_CLOCK_BODY, hash), E, "clock_id must not be NULL");
    CHECK_ERR(auki_session_register_log(session, "sensor", NULL, &log), E, "spec_json must not be NULL");
    CHECK_ERR(auki_session_register_log(session, "sensor", "{}", NULL), E, "out must not be NULL");
    CHECK_ERR(auki_session_find_log(session, NULL, &log), E, "resource_id must not be NULL");
    CHECK_ERR(auki_session_info(session, NULL), E, "out_json must not be NULL");
    CHECK_ERR(auki_session_peer(session, NULL), E, "out must not be NULL");
    CHECK_ERR(auki_ulid_new(NULL), E, "out must not be NULL");
    (void) ulid;
    auki_session_free(session);
    auki_peer_free(peer);
}

TEST(test_invalid_utf8_is_rejected) {
    auki_peer *peer = NULL;
    CHECK_ERR(auki_peer_new(&peer, "\xff\xfe", APP), AUKI_ERR_INVALID_ARGUMENT, "peer_id: invalid UTF-8");
    CHECK(peer == NULL);
    CHECK_ERR(auki_registry_validate_id("ok\xc3"), AUKI_ERR_INVALID_ARGUMENT, "id: invalid UTF-8");
    CHECK_ERR(auki_canonical_json("\"\xff\"", (char *[]){NULL}), AUKI_ERR_INVALID_ARGUMENT, "json: invalid UTF-8");
    CHECK_OK(auki_registry_validate_id("caf\xc3\xa9")); /* valid multi-byte UTF-8 is fine */
}

/* "\ud800" is well-formed JSON text but a string with no UTF-8 form: invalid input for every export
 * that takes JSON, with a message, never AUKI_ERR_INTERNAL. */
TEST(test_a_lone_surrogate_is_invalid_input_for_every_json_export) {
    const int E = AUKI_ERR_INVALID_ARGUMENT;
    const char *root = temp_root("surrogate");
    char hash[AUKI_HASH_BUFSIZE];
    char *out = NULL, *canonical = NULL;
    auki_peer *peer = NULL;
    auki_session *session = NULL;
    auki_log *log = NULL;
    CHECK_OK(auki_peer_new(&peer, PEER, APP));
    CHECK_OK(auki_peer_set_storage_root(peer, root));
    CHECK_OK(auki_peer_start_session(peer, &session));
    CHECK_ERR(auki_canonical_json("{\"a\":\"\\ud800\"}", &out), E, "surrogate");
    CHECK_ERR(auki_canonical_json("{\"\\udc00\":1}", &out), E, "surrogate");
    CHECK_ERR(auki_canonical_json("[\"x\\ud83d\"]", &out), E, "surrogate");
    CHECK(out == NULL);
    CHECK_ERR(auki_frame_def_body("{\"handedness\":\"\\ud800\"}", &out), E, "surrogate");
    CHECK_ERR(auki_registry_entry_canonical("sensor", "{\"peer_id\":\"\\ud800\"}", &canonical, hash), E, "surrogate");
    CHECK_ERR(auki_registry_write(root, "clock", "{\"peer_id\":\"\\ud800\"}", hash), E, "surrogate");
    CHECK_ERR(auki_peer_register_sensor(peer, SENSOR_ID, "{\"kind\":\"\\ud800\"}", hash), E, "surrogate");
    CHECK_ERR(auki_peer_register_detector(peer, "det", "{\"type\":\"custom\"}", "[\"\\ud800\"]", NULL, hash), E,
              "surrogate");
    CHECK_ERR(auki_session_register_clock(session, "c", "{\"type\":\"\\ud800\"}", hash), E, "surrogate");
    CHECK_ERR(auki_log_spec_check("sensor", "{\"sensor\":\"\\ud800\"}"), E, "surrogate");
    CHECK_ERR(auki_session_register_log(session, "sensor", "{\"sensor\":\"\\ud800\"}", &log), E, "surrogate");
    CHECK(log == NULL);
    CHECK_ERR(auki_resource_entry_from_dict("{\"resource_id\":\"\\ud800\"}", &out), E, "surrogate");
    CHECK_ERR(auki_resource_entry_from_json("{\"resource_id\":\"\\ud800\"}", &out), E, "surrogate");
    CHECK_ERR(auki_activity_create(root, NULL, "[\"\\ud800\"]", &out), E, "surrogate");
    CHECK_ERR(auki_activity_check_file("\"\\ud800\""), E, "surrogate");
    CHECK(out == NULL);
    auki_session_free(session);
    auki_peer_free(peer);
}

TEST(test_freed_foreign_and_garbage_handles_are_errors) {
    auki_peer *peer = NULL;
    auki_session *session = NULL;
    char *text = NULL;
    const int E = AUKI_ERR_INVALID_ARGUMENT;

    CHECK_OK(auki_peer_new(&peer, PEER, APP));
    CHECK_OK(auki_session_new_standalone(&session, PEER, APP));

    /* A peer handle passed where a session is expected, and the reverse. */
    CHECK_ERR(auki_session_id((auki_session *) peer, &text), E, "invalid auki_session handle");
    CHECK_ERR(auki_peer_id((auki_peer *) session, &text), E, "invalid auki_peer handle");
    CHECK_ERR(auki_log_root((auki_log *) session, &text), E, "invalid auki_log handle");
    auki_session_free((auki_session *) peer); /* the wrong free is ignored ... */
    CHECK_OK(auki_peer_id(peer, &text));      /* ... and the peer still works */
    auki_string_free(text);

    /* Garbage pointers. */
    CHECK_ERR(auki_peer_id((auki_peer *) 0x1234, &text), E, "invalid auki_peer handle");
    CHECK_ERR(auki_peer_id((auki_peer *) (uintptr_t) 0xdeadbeefcafe0000ull, &text), E, "invalid auki_peer handle");
    CHECK_ERR(auki_session_catalog((auki_session *) &text, &text), E, "invalid auki_session handle");
    auki_peer_free((auki_peer *) 0x1234); /* freeing garbage is a no-op */

    /* Freed handles, also after their slot has been reused. */
    auki_peer_free(peer);
    CHECK_ERR(auki_peer_id(peer, &text), E, "auki_peer handle was freed");
    auki_peer_free(peer); /* double free is a no-op */
    auki_peer *other = NULL;
    CHECK_OK(auki_peer_new(&other, "other", APP));
    CHECK_ERR(auki_peer_id(peer, &text), E, "auki_peer handle was freed");
    auki_session_free(session);
    CHECK_ERR(auki_session_info(session, &text), E, "auki_session handle was freed");
    CHECK(text == NULL);
    auki_peer_free(other);
}

#define WORKERS 4
#define ROUNDS  2000

static void *handle_worker(void *arg) {
    int *failures = arg;
    for (int i = 0; i < ROUNDS; i++) {
        auki_peer *peer = NULL;
        char *id = NULL;
        if (auki_peer_new(&peer, "worker", APP) != AUKI_OK) {
            (*failures)++;
            continue;
        }
        if (auki_peer_id(peer, &id) != AUKI_OK || strcmp(id, "worker") != 0) (*failures)++;
        auki_string_free(id);
        auki_peer_free(peer);
        if (auki_peer_id(peer, &id) != AUKI_ERR_INVALID_ARGUMENT) (*failures)++;
    }
    return NULL;
}

TEST(test_handles_work_from_many_threads) {
    pthread_t threads[WORKERS];
    int failures[WORKERS] = {0};
    for (int i = 0; i < WORKERS; i++) CHECK(pthread_create(&threads[i], NULL, handle_worker, &failures[i]) == 0);
    for (int i = 0; i < WORKERS; i++) CHECK(pthread_join(threads[i], NULL) == 0);
    for (int i = 0; i < WORKERS; i++) CHECK(failures[i] == 0);
}

TEST(test_free_functions_accept_null) {
    auki_string_free(NULL);
    auki_peer_free(NULL);
    auki_session_free(NULL);
    auki_log_free(NULL);
    CHECK(1);
}

/* ---- The last error -------------------------------------------------------------------------- */

TEST(test_error_string_names_every_status_and_leaves_the_last_error_alone) {
    CHECK_ERR(auki_registry_validate_id(""), AUKI_ERR_INVALID_ARGUMENT, "registry id is empty");
    CHECK(strcmp(auki_error_string(AUKI_OK), "ok") == 0);
    CHECK(strcmp(auki_error_string(AUKI_ERR_INVALID_ARGUMENT), "invalid argument") == 0);
    CHECK(strcmp(auki_error_string(AUKI_ERR_CORRUPT), "corrupt data") == 0);
    CHECK(strcmp(auki_error_string(AUKI_ERR_TIMEOUT), "timed out") == 0);
    CHECK(strcmp(auki_error_string(12345), "unknown status code") == 0);
    CHECK(strcmp(auki_error_string(-1), "unknown status code") == 0);
    for (int code = 0; code <= AUKI_ERR_INTERNAL; code++) CHECK(auki_error_string(code) != NULL);
    CHECK(auki_last_error_code() == AUKI_ERR_INVALID_ARGUMENT); /* like the other error getters: no side effect */
}

TEST(test_success_clears_the_last_error) {
    CHECK_ERR(auki_registry_validate_id(""), AUKI_ERR_INVALID_ARGUMENT, "registry id is empty");
    CHECK_OK(auki_registry_validate_id("fine"));
    CHECK(auki_last_error_code() == AUKI_OK);
    CHECK_STREQ(auki_last_error_message(), "");
}

static void *other_thread(void *arg) {
    int *seen = arg;
    seen[0] = auki_last_error_code();
    seen[1] = auki_last_error_message()[0] != '\0';
    seen[2] = auki_registry_validate_id("a@b");
    return NULL;
}

TEST(test_last_error_is_per_thread) {
    int seen[3] = {-1, -1, -1};
    pthread_t thread;
    CHECK_ERR(auki_registry_validate_id(""), AUKI_ERR_INVALID_ARGUMENT, "registry id is empty");
    CHECK(pthread_create(&thread, NULL, other_thread, seen) == 0);
    CHECK(pthread_join(thread, NULL) == 0);
    CHECK(seen[0] == AUKI_OK); /* the new thread sees no error ... */
    CHECK(seen[1] == 0);
    CHECK(seen[2] == AUKI_ERR_INVALID_ARGUMENT);
    CHECK(auki_last_error_code() == AUKI_ERR_INVALID_ARGUMENT); /* ... and its own error stays its own */
    CHECK_STREQ(auki_last_error_message(), "registry id is empty");
}

/* ---- Main ------------------------------------------------------------------------------------ */

int main(void) {
    fixtures_begin("test_abi");
    run_all_tests();
    return fixtures_end();
}
