/*
 * quickstart.c — register a frame, a camera, a session clock and a sensor log with libauki.
 *
 *   ./quickstart [storage_root]      (default: a new directory under /tmp)
 *
 * Prints the session's catalog (JSON) and where the log's manifest was written.
 */
#define _XOPEN_SOURCE 700
#include <auki.h>

#include <stdio.h>
#include <stdlib.h>

/* Every call returns a status; on failure print why and stop. */
#define TRY(call)                                                                                                      \
    do {                                                                                                               \
        if ((call) != AUKI_OK) {                                                                                       \
            fprintf(stderr, "quickstart: %s failed: %s\n", #call, auki_last_error_message());                          \
            return 1;                                                                                                  \
        }                                                                                                              \
    } while (0)

int main(int argc, char **argv) {
    char tmp[] = "/tmp/auki-quickstart-XXXXXX";
    const char *root = argc > 1 ? argv[1] : mkdtemp(tmp);
    if (root == NULL) {
        perror("mkdtemp");
        return 1;
    }
    if (auki_abi_version() != AUKI_ABI_VERSION) {
        fprintf(stderr, "quickstart: libauki ABI %#x, header %#x\n", auki_abi_version(), AUKI_ABI_VERSION);
        return 1;
    }

    auki_peer *peer; /* every handle is released with its *_free */
    auki_session *session;
    auki_log *log;
    char frame[AUKI_HASH_BUFSIZE], sensor[AUKI_HASH_BUFSIZE], clock[AUKI_HASH_BUFSIZE];
    char body[1024], spec[1024];

    TRY(auki_peer_new(&peer, "galbot", "galbot-ctrl"));
    TRY(auki_peer_set_storage_root(peer, root));
    TRY(auki_peer_register_frame(peer, "head_left_camera_optical", "ros_optical", frame));

    snprintf(body, sizeof body,
             "{\"kind\":\"camera\",\"type\":\"rgb\",\"width\":1920,\"height\":1200,\"frame_rate_hz\":30,"
             "\"pixel_format\":\"rgb8\",\"color_space\":\"srgb\",\"intrinsics_model\":\"pinhole\","
             "\"distortion_model\":\"brown_conrady\","
             "\"frame\":{\"peer_id\":\"galbot\",\"id\":\"head_left_camera_optical\",\"hash\":\"%s\"}}",
             frame);
    TRY(auki_peer_register_sensor(peer, "head_left_rgb", body, sensor));

    TRY(auki_peer_start_session(peer, &session)); /* a ULID + auto monotonic/UTC clocks */
    TRY(auki_session_register_clock(
        session, "session/sdk_clock",
        "{\"type\":\"monotonic_clock\",\"unit\":\"ns\",\"monotonic\":true,\"scope\":\"device-local\"}", clock));

    snprintf(spec, sizeof spec,
             "{\"sensor\":{\"peer_id\":\"galbot\",\"id\":\"head_left_rgb\",\"hash\":\"%s\"},"
             "\"clock\":{\"peer_id\":\"galbot\",\"id\":\"session/sdk_clock\",\"hash\":\"%s\"},"
             "\"head\":{\"kind\":\"rolling\",\"retention_ns\":5000000000},"
             "\"segment_duration_ns\":1000000000,\"retention_ns\":5000000000}",
             sensor, clock);
    TRY(auki_session_register_log(session, "sensor", spec, &log));

    char *catalog, *log_root; /* strings we get back are ours to free */
    TRY(auki_session_catalog(session, &catalog));
    TRY(auki_log_root(log, &log_root));
    printf("catalog: %s\n", catalog);
    printf("manifest: %s/manifest.json\n", log_root);
    auki_string_free(catalog);
    auki_string_free(log_root);

    auki_log_free(log);
    auki_session_free(session);
    auki_peer_free(peer);
    return 0;
}
