/*
 * test_store_discovery.c — the "Store discovery" section of auki.h, checked from C.
 *
 * Builds a store by writing auki-logs v1 segments directly (galbot in two boot sessions, park in
 * one, an era-A log under logs/), then lists it with auki_store_* and reads logs found that way
 * through auki_log_reader_*. auki_store_list must equal what `auki ls --json` prints for the same
 * root (build/cli/auki, whitespace outside strings removed). Run through tests/c/run.sh.
 */
#define _XOPEN_SOURCE 700
#include "fixtures.h"

#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define BOOT1 "01J00000000000000000000001"
#define BOOT2 "01J00000000000000000000002"

/* <root>/<logs_dir>/<peer>/<resource>: one segment, payload = the timestamp (i64 LE). */
static void record(const char *logs_dir, const char *peer, const char *resource, const int64_t *ts, int n) {
    char dir[1024], path[1100];
    snprintf(dir, sizeof dir, "%s/%s/%s/%s/segments", g_tmp_base, logs_dir, peer, resource);
    mkdirs(dir);
    snprintf(dir, sizeof dir, "%s/%s/%s/%s", g_tmp_base, logs_dir, peer, resource);
    snprintf(path, sizeof path, "%s/log_manifest.json", dir);
    write_text(path, "{\"retention_ns\":0,\"segment_duration_ns\":1000000000000}");
    snprintf(path, sizeof path, "%s/segments/%020lld.seg", dir, 0LL);
    write_segment(path, ts, n);
}

static void build_store(void) {
    static const int64_t cam1[] = {100, 200, 300}, cam2[] = {1000, 2000}, park[] = {150}, uwb[] = {7, 8};
    record(BOOT1 "/logs", "galbot", "cam", cam1, 3);
    record(BOOT2 "/logs", "galbot", "cam", cam2, 2);
    record(BOOT2 "/logs", "park", "cam", park, 1);
    record("logs", "legacy", "uwb", uwb, 2);
}

static int count_of(const char *haystack, const char *needle) {
    int n = 0;
    for (const char *p = haystack; p && (p = strstr(p, needle)) != NULL; p += strlen(needle)) n++;
    return n;
}

/* ---- Listings ---------------------------------------------------------------------------------- */

TEST(test_peers_and_boot_sessions) {
    char *json = NULL;
    CHECK_OK(auki_store_peers(g_tmp_base, &json));
    CHECK_CONTAINS(json,
                   "{\"peer_id\":\"galbot\",\"app_ids\":[],\"boot_session_count\":2,\"log_count\":2,\"entries\":5,"
                   "\"bytes\":132}");
    CHECK_CONTAINS(json, "{\"peer_id\":\"park\"");
    CHECK_CONTAINS(json, "{\"peer_id\":\"legacy\"");
    auki_string_free(json);

    CHECK_OK(auki_store_boot_sessions(g_tmp_base, "galbot", &json));
    CHECK_CONTAINS(json,
                   "{\"boot_session_id\":\"" BOOT1 "\",\"peer_id\":\"galbot\",\"standalone\":false,\"app_id\":null,"
                   "\"log_count\":1,\"entries\":3,\"bytes\":76,\"min_timestamp_ns\":100,\"max_timestamp_ns\":300}");
    CHECK_CONTAINS(json, "\"boot_session_id\":\"" BOOT2 "\"");
    CHECK(count_of(json, "\"boot_session_id\"") == 2);
    auki_string_free(json);

    CHECK_OK(auki_store_boot_sessions(g_tmp_base, NULL, &json));
    CHECK(count_of(json, "\"boot_session_id\"") == 4); /* galbot x2, legacy (standalone), park */
    CHECK_CONTAINS(json, "{\"boot_session_id\":null,\"peer_id\":\"legacy\",\"standalone\":true");
    auki_string_free(json);
}

TEST(test_logs_by_peer_kind_and_window) {
    char *json = NULL;
    CHECK_OK(auki_store_logs(g_tmp_base, NULL, &json));
    CHECK(count_of(json, "\"file_id\"") == 4);
    CHECK_CONTAINS(json, "\"file_id\":\"" BOOT1 "/logs/galbot/cam\"");
    CHECK_CONTAINS(json,
                   "\"entries\":3,\"bytes\":76,\"segment_count\":1,\"min_timestamp_ns\":100,\"max_timestamp_ns\":300,"
                   "\"state\":\"live\",\"notes\":[]}");
    auki_string_free(json);

    /* galbot's logs with an entry in [250, 1500]: both cams (300 and 1000 fall inside). */
    CHECK_OK(auki_store_logs(g_tmp_base, "{\"peer_id\":\"galbot\",\"start_ns\":250,\"end_ns\":1500}", &json));
    CHECK(count_of(json, "\"file_id\"") == 2);
    auki_string_free(json);
    CHECK_OK(auki_store_logs(g_tmp_base, "{\"peer_id\":\"galbot\",\"start_ns\":301,\"end_ns\":999}", &json));
    CHECK_STREQ(json, "[]");
    auki_string_free(json);
    CHECK_OK(auki_store_logs(g_tmp_base, "{\"boot_session_id\":\"" BOOT2 "\",\"end_ns\":150}", &json));
    CHECK(count_of(json, "\"file_id\"") == 1);
    CHECK_CONTAINS(json, "\"file_id\":\"" BOOT2 "/logs/park/cam\"");
    auki_string_free(json);
}

TEST(test_a_listing_equals_auki_ls_json) {
    const char *auki = "build/cli/auki";
    if (access(auki, X_OK) != 0) {
        fprintf(stderr, "test_store_discovery: %s not built, so the listing is not compared with auki ls --json\n",
                auki);
        return;
    }
    char command[512];
    snprintf(command, sizeof command, "%s ls %s --json", auki, g_tmp_base);
    FILE *p = popen(command, "r");
    CHECK(p != NULL);
    if (!p) return;
    static char printed[1 << 16];
    size_t n = 0;
    int in_string = 0, escaped = 0, c;
    while ((c = fgetc(p)) != EOF && n + 1 < sizeof printed) {
        if (in_string) {
            if (escaped)
                escaped = 0;
            else if (c == '\\')
                escaped = 1;
            else if (c == '"')
                in_string = 0;
        } else if (c == '"') {
            in_string = 1;
        } else if (c == ' ' || c == '\n') {
            continue; /* indentation */
        }
        printed[n++] = (char) c;
    }
    printed[n] = 0;
    CHECK(pclose(p) == 0);
    char *json = NULL;
    CHECK_OK(auki_store_list(g_tmp_base, &json));
    CHECK_STREQ(json, printed);
    auki_string_free(json);
}

/* ---- One log, and reading it ------------------------------------------------------------------- */

TEST(test_a_log_by_file_id_path_or_log_ref) {
    char *json = NULL, path[1024];
    CHECK_OK(auki_store_log(g_tmp_base, BOOT2 "/logs/park/cam", &json));
    CHECK_CONTAINS(json, "\"peer_id\":\"park\",\"source_peer_id\":\"park\",\"boot_session_id\":\"" BOOT2 "\"");
    auki_string_free(json);
    snprintf(path, sizeof path, "%s/logs/legacy/uwb", g_tmp_base);
    CHECK_OK(auki_store_log(g_tmp_base, path, &json));
    CHECK_CONTAINS(json, "\"file_id\":\"logs/legacy/uwb\"");
    CHECK_CONTAINS(json, "\"standalone\":true");
    auki_string_free(json);
    CHECK_OK(auki_store_find_log(g_tmp_base, "galbot", "cam", BOOT2, &json));
    CHECK_CONTAINS(json, "\"file_id\":\"" BOOT2 "/logs/galbot/cam\"");
    auki_string_free(json);
    CHECK_ERR(auki_store_find_log(g_tmp_base, "galbot", "cam", NULL, &json), AUKI_ERR_INVALID_ARGUMENT, "names 2 logs");
    CHECK_ERR(auki_store_find_log(g_tmp_base, "park", "lidar", NULL, &json), AUKI_ERR_NOT_FOUND, "no log for");
    CHECK_ERR(auki_store_log(g_tmp_base, "logs/nobody/nothing", &json), AUKI_ERR_NOT_FOUND, "no log");
    CHECK_ERR(auki_store_log(g_tmp_base, "/etc", &json), AUKI_ERR_NOT_FOUND, "no log");
    CHECK_ERR(auki_store_logs(g_tmp_base, "{\"peer_id\":\"../x\"}", &json), AUKI_ERR_INVALID_ARGUMENT, "peer_id");
    CHECK_ERR(auki_store_logs(g_tmp_base, "{\"since\":1}", &json), AUKI_ERR_INVALID_ARGUMENT, "unknown field `since`");
    CHECK_ERR(auki_store_peers("/no/such/root", &json), AUKI_ERR_NOT_FOUND, "no such directory");
    CHECK_ERR(auki_store_peers(NULL, &json), AUKI_ERR_INVALID_ARGUMENT, "storage_root");
}

TEST(test_a_found_log_reads_through_a_log_reader) {
    auki_log_reader *reader = NULL;
    int64_t start = 200, end = 1000;
    CHECK_OK(auki_store_open_reader(&reader, g_tmp_base, BOOT1 "/logs/galbot/cam", &start, &end));
    int64_t ts[8];
    uint64_t offsets[9];
    uint8_t buf[256];
    size_t count = 0;
    CHECK_OK(auki_log_reader_next_batch(reader, 8, ts, offsets, buf, sizeof buf, &count));
    CHECK(count == 2 && ts[0] == 200 && ts[1] == 300 && offsets[2] == 16);
    CHECK_OK(auki_log_reader_next_batch(reader, 8, ts, offsets, buf, sizeof buf, &count));
    CHECK(count == 0);
    auki_log_reader_free(reader);

    CHECK_OK(auki_store_open_reader(&reader, g_tmp_base, "logs/legacy/uwb", NULL, NULL));
    int has = 0;
    int64_t t = 0;
    const uint8_t *data = NULL;
    size_t len = 0;
    CHECK_OK(auki_log_reader_next(reader, &has, &t, &data, &len));
    CHECK(has == 1 && t == 7 && len == 8 && data[0] == 7);
    auki_log_reader_free(reader);
    CHECK_ERR(auki_store_open_reader(&reader, g_tmp_base, "logs/legacy/none", NULL, NULL), AUKI_ERR_NOT_FOUND,
              "no log");
}

int main(void) {
    fixtures_begin("test_store_discovery");
    build_store();
    run_all_tests();
    return fixtures_end();
}
