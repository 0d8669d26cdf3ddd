/*
 * test_dropin.c — the exports behind auki_manifests and auki_layout (ABI 1.3), checked from C:
 * upstream's manifest shapes and messages, the locked post-#216 sensor manifest, and upstream's
 * layout paths with the path-safety rule on top. Run through tests/c/run.sh.
 */
#define _XOPEN_SOURCE 700
#include "fixtures.h"

#include <stdint.h>

#include <stdio.h>
#include <stdlib.h>

/* The locked canonical sensor manifest (auki-manifests tests/locked/sensor_log_origin.json). */
#define SENSOR_ORIGIN                                                                                                  \
    "{\"app_id\":\"galbot-control-plane\",\"clock\":{\"hash\":\"fb0120a35f4fd1de8a7d46f5e76b7f68\",\"id\":\"session/"  \
    "sdk_clock\","                                                                                                     \
    "\"peer_id\":\"galbot\"},\"frame\":{\"hash\":\"3055a8ac27eecd57aa37235b05871c01\",\"id\":\"head_left_camera_"      \
    "optical\","                                                                                                       \
    "\"peer_id\":\"galbot\"},\"retention_ns\":5000000000,\"segment_duration_ns\":1000000000,\"sensor\":{\"hash\":"     \
    "\"8295922307fa2b426453486ba87a59ef\",\"id\":\"head_left_rgb\",\"peer_id\":\"galbot\"},\"session_id\":"            \
    "\"01HV-galbot-session\",\"source_peer_id\":\"galbot\",\"writer_peer_id\":\"galbot\"}"

TEST(test_manifest_build_with_refs_reproduces_the_locked_sensor_manifest) {
    /* Not in canonical order and with a spec-only key absent: the builder canonicalizes. */
    const char *args =
        "{\"writer_peer_id\":\"galbot\",\"source_peer_id\":\"galbot\",\"app_id\":\"galbot-control-plane\","
        "\"session_id\":\"01HV-galbot-session\",\"segment_duration_ns\":1000000000,\"retention_ns\":5000000000,"
        "\"sensor\":{\"peer_id\":\"galbot\",\"id\":\"head_left_rgb\",\"hash\":\"8295922307fa2b426453486ba87a59ef\"},"
        "\"clock\":{\"peer_id\":\"galbot\",\"id\":\"session/sdk_clock\",\"hash\":\"fb0120a35f4fd1de8a7d46f5e76b7f68\"},"
        "\"frame\":{\"peer_id\":\"galbot\",\"id\":\"head_left_camera_optical\",\"hash\":"
        "\"3055a8ac27eecd57aa37235b05871c01\"}}";
    char *out = NULL;
    CHECK_OK(auki_manifest_build("sensor", args, &out));
    CHECK_STREQ(out, SENSOR_ORIGIN);
    auki_string_free(out);
    CHECK_OK(auki_manifest_validate(SENSOR_ORIGIN));
}

TEST(test_manifest_build_flat_detection_has_upstreams_fields) {
    const char *args =
        "{\"app_id\":\"boosterapp\",\"session_id\":\"s\",\"detector_id\":\"aukilabs/qr/v1\",\"detector_hash\":\"dh\","
        "\"input_log_id\":\"rec-456\",\"input_sensor_id\":\"K1/head\",\"input_sensor_hash\":\"sh\",\"clock_id\":\"K1/"
        "utc\","
        "\"clock_hash\":\"ch\",\"segment_duration_ns\":1000000000,\"retention_ns\":30000000000}";
    char *out = NULL;
    CHECK_OK(auki_manifest_build("detection", args, &out));
    CHECK_STREQ(out,
                "{\"app_id\":\"boosterapp\",\"clock_hash\":\"ch\",\"clock_id\":\"K1/utc\",\"detector_hash\":\"dh\","
                "\"detector_id\":\"aukilabs/qr/v1\",\"input_log_id\":\"rec-456\",\"input_sensor_hash\":\"sh\","
                "\"input_sensor_id\":\"K1/head\",\"retention_ns\":30000000000,\"segment_duration_ns\":1000000000,"
                "\"session_id\":\"s\"}");
    auki_string_free(out);
}

TEST(test_manifest_build_errors_name_the_field_and_leave_out_null) {
    char *out = (char *) "untouched";
    CHECK_ERR(
        auki_manifest_build("pose",
                            "{\"app_id\":\"a\",\"session_id\":\"s\",\"from_frame_id\":\"f\",\"from_frame_hash\":\"h\","
                            "\"to_frame_id\":\"t\",\"to_frame_hash\":\"h\",\"clock_id\":\"c\",\"clock_hash\":\"h\","
                            "\"source\":{\"kind\":\"manual\"},\"writer_mode\":\"nonsense\",\"expected_rate_hz\":1,"
                            "\"segment_duration_ns\":1,\"retention_ns\":0}",
                            &out),
        AUKI_ERR_INVALID_ARGUMENT, "writer_mode: unknown variant `nonsense`");
    CHECK(out == NULL);
    CHECK_ERR(auki_manifest_build("map", "{}", &out), AUKI_ERR_INVALID_ARGUMENT, "unknown log kind `map`");
    CHECK_ERR(auki_manifest_build("sensor", "{\"app_id\":", &out), AUKI_ERR_INVALID_ARGUMENT, "invalid JSON");
    CHECK_ERR(auki_manifest_build(NULL, "{}", &out), AUKI_ERR_INVALID_ARGUMENT, "kind must not be NULL");
}

TEST(test_manifest_validate_uses_upstreams_messages) {
    CHECK_ERR(
        auki_manifest_validate("{\"app_id\":\"a\",\"session_id\":\"s\",\"sensor_id\":\"\",\"sensor_hash\":\"h\","
                               "\"clock_id\":\"c\",\"clock_hash\":\"h\",\"segment_duration_ns\":1,\"retention_ns\":0}"),
        AUKI_ERR_INVALID_ARGUMENT, "invalid manifest field `sensor_id`: must not be empty");
    CHECK_ERR(
        auki_manifest_validate("{\"app_id\":\"a\",\"session_id\":\"s\",\"sensor_id\":\"x\",\"sensor_hash\":\"h\","
                               "\"clock_id\":\"c\",\"clock_hash\":\"h\",\"segment_duration_ns\":0,\"retention_ns\":0}"),
        AUKI_ERR_INVALID_ARGUMENT, "invalid manifest field `segment_duration_ns`: must be greater than zero");
}

TEST(test_layout_paths_are_upstreams) {
    char *out = NULL;
    CHECK_OK(auki_layout_path("sensor_entry_path", "[\"/app\",\"K1-AABBCCDDEEFF/head_left_cam\",\"deadbeef\"]", &out));
    CHECK_STREQ(out, "/app/registries/sensors/K1-AABBCCDDEEFF__head_left_cam/deadbeef.json");
    auki_string_free(out);
    CHECK_OK(auki_layout_path("detection_log_path", "[\"/session\",\"aukilabs/qr/v1\",\"rec-456\"]", &out));
    CHECK_STREQ(out, "/session/detection_logs/aukilabs__qr__v1__rec-456");
    auki_string_free(out);
    CHECK_OK(auki_layout_path("registry_entry_path", "[\"/r\",\"sensor\",\"fleet/r7\",\"head/cam\",\"h\"]", &out));
    CHECK_STREQ(out, "/r/registries/sensors/fleet__r7/head__cam/h.json");
    auki_string_free(out);
    CHECK_OK(auki_layout_path("log_root", "[\"/r\",\"galbot\",\"a->b\",\"01J0\"]", &out));
    CHECK_STREQ(out, "/r/01J0/logs/galbot/a->b");
    auki_string_free(out);
}

TEST(test_layout_refuses_ids_that_leave_the_root) {
    char *out = NULL;
    CHECK_ERR(auki_layout_path("sensorlog_path", "[\"/s\",\"../x\"]", &out), AUKI_ERR_INVALID_ARGUMENT,
              "invalid sensor_log_id \"../x\": contains a `..` path segment");
    CHECK(out == NULL);
    CHECK_ERR(auki_layout_path("session_root", "[\"/s\"]", &out), AUKI_ERR_INVALID_ARGUMENT,
              "session_root takes 2 arguments, got 1");
    CHECK_ERR(auki_layout_path("nope", "[]", &out), AUKI_ERR_INVALID_ARGUMENT, "unknown layout helper `nope`");
    CHECK_ERR(auki_layout_path("session_root", "{}", &out), AUKI_ERR_INVALID_ARGUMENT, "a sequence of strings");
}

TEST(test_blobs_are_sha256_addressed_and_bounded) {
    char root[] = "/tmp/auki-dropin-XXXXXX";
    CHECK(mkdtemp(root) != NULL);
    char sha[AUKI_SHA256_BUFSIZE];
    CHECK_OK(auki_sha256_hex((const uint8_t *) "abc", 3, sha));
    CHECK_STREQ(sha, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    CHECK_OK(auki_blob_put(root, (const uint8_t *) "abc", 3, sha));
    CHECK_STREQ(sha, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    size_t len = 0;
    CHECK_ERR(auki_blob_get(root, sha, NULL, 0, &len), AUKI_ERR_BUFFER_TOO_SMALL, "is 3 bytes");
    CHECK(len == 3);
    uint8_t buf[3] = {0};
    CHECK_OK(auki_blob_get(root, sha, buf, sizeof buf, &len));
    CHECK(len == 3 && memcmp(buf, "abc", 3) == 0);
    CHECK_ERR(auki_blob_get(root, "0000000000000000000000000000000000000000000000000000000000000000", buf, 3, &len),
              AUKI_ERR_NOT_FOUND, "blob not found");
    CHECK_ERR(auki_blob_get(root, "../etc", buf, 3, &len), AUKI_ERR_INVALID_ARGUMENT,
              "sha256 must be 64 lowercase hex");
    CHECK_ERR(auki_blob_put(root, NULL, 1, sha), AUKI_ERR_INVALID_ARGUMENT, "data must not be NULL");
    char *out = NULL;
    CHECK_OK(auki_device_models_list(root, "galbot", &out));
    CHECK_STREQ(out, "[]");
    auki_string_free(out);
    char cmd[64];
    snprintf(cmd, sizeof cmd, "rm -rf %s", root);
    CHECK(system(cmd) == 0);
}

/* ---- ABI 2.2: URDF packages with a package root ----------------------------------------------- */

static void write_file(const char *path, const char *text) {
    FILE *f = fopen(path, "w");
    CHECK(f != NULL);
    if (f == NULL) return;
    fputs(text, f);
    fclose(f);
}

TEST(test_urdf_package_meshes_resolve_under_the_package_root) {
    char root[] = "/tmp/auki-urdf-XXXXXX";
    CHECK(mkdtemp(root) != NULL);
    char path[512], urdf[128], pkg[64], app[64];
    snprintf(pkg, sizeof pkg, "%s/pkg", root);
    snprintf(app, sizeof app, "%s/app", root);
    snprintf(path, sizeof path, "mkdir -p %s/urdf %s/meshes", pkg, pkg);
    CHECK(system(path) == 0);
    snprintf(path, sizeof path, "%s/meshes/body.stl", pkg);
    write_file(path, "mesh");
    snprintf(urdf, sizeof urdf, "%s/urdf/robot.urdf", pkg);
    write_file(urdf, "<robot name=\"Stock\"><mesh filename=\"package://pkg/meshes/body.stl\"/></robot>");

    char *out = NULL;
    /* Without a package root, meshes are looked for beside the URDF only: none there. */
    CHECK_ERR(auki_urdf_package_put_with_package_root(app, urdf, NULL, NULL, &out), AUKI_ERR_INVALID_ARGUMENT,
              "but none resolved beside");
    CHECK(out == NULL);
    CHECK_OK(auki_urdf_package_put_with_package_root(app, urdf, "ros_body", pkg, &out));
    CHECK(out != NULL && strstr(out, "\"device_model_id\":\"stock\"") != NULL);
    CHECK(out != NULL && strstr(out, "\"path\":\"meshes/body.stl\"") != NULL);
    auki_string_free(out);
    /* The mesh blob sits at <app>/blobs/<sha256 of "mesh">. */
    snprintf(path, sizeof path, "%s/blobs/d30ca7a7a32bf5772dc5eb2a2e7bd35737eff795ad74f2479b359716b59abdfa", app);
    FILE *blob = fopen(path, "r");
    CHECK(blob != NULL);
    if (blob) fclose(blob);
    snprintf(path, sizeof path, "rm -rf %s", root);
    CHECK(system(path) == 0);
}

TEST(test_map_entries_use_the_registry_exports) {
    char *canonical = NULL;
    char hash[AUKI_HASH_BUFSIZE];
    CHECK_ERR(
        auki_registry_entry_canonical("map",
                                      "{\"peer_id\":\"galbot\",\"map_id\":\"m\",\"kind\":\"voxel\",\"frame\":"
                                      "{\"peer_id\":\"galbot\",\"id\":\"world\",\"hash\":\"h\"},\"voxel_size_m\":0,"
                                      "\"chunk_dimension\":1,\"value_model\":\"additive_occupancy_evidence\"}",
                                      &canonical, hash),
        AUKI_ERR_INVALID_ARGUMENT, "invalid map: voxel_size_m must be finite and greater than zero");
    CHECK(canonical == NULL);
}

int main(void) {
    fixtures_begin("test_dropin");
    run_all_tests();
    return fixtures_end();
}
