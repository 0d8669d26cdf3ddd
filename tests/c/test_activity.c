/*
 * test_activity.c — the "Activity sessions" section of auki.h, checked from C.
 *
 * Builds a store by writing auki-logs v1 segments directly (the format is the contract), then
 * drives every auki_activity_* function: records and live bounds, composition rules, paging,
 * file views, topics, the merged data reader (borrowed views and batches) and bad input, which
 * must be a status code with a message and must write nothing. Run through tests/c/run.sh.
 */
#define _XOPEN_SOURCE 700
#include "fixtures.h"

#include <ftw.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ---- Fixtures: a store written byte by byte ---------------------------------------------------- */

#define BOOT1      "01J00000000000000000000001"
#define BOOT2      "01J00000000000000000000002"
#define SEGMENT_NS 1000000000000LL /* one segment holds every test timestamp */

/* Record <root>/<boot>/logs/<peer>/<resource>: one entry per timestamp, payload = the timestamp (i64 LE). */
static void record(const char *root, const char *boot, const char *peer, const char *resource, const int64_t *ts,
                   int n) {
    char dir[1024], path[1100], text[256];
    snprintf(dir, sizeof dir, "%s/%s/logs/%s/%s/segments", root, boot, peer, resource);
    mkdirs(dir);
    snprintf(dir, sizeof dir, "%s/%s/logs/%s/%s", root, boot, peer, resource);
    snprintf(path, sizeof path, "%s/manifest.json", dir);
    snprintf(text, sizeof text, "{\"source_peer_id\":\"%s\"}", peer);
    write_text(path, text);
    snprintf(path, sizeof path, "%s/log_manifest.json", dir);
    snprintf(text, sizeof text, "{\"retention_ns\":0,\"segment_duration_ns\":%lld}", (long long) SEGMENT_NS);
    write_text(path, text);
    snprintf(path, sizeof path, "%s/segments/%020lld.seg", dir, 0LL);
    write_segment(path, ts, n);
}

/* A store with galbot/cam in two recordings, galbot/imu and park/cam; returns its root. */
static const char *recorded_store(const char *name) {
    const char *root = temp_root(name);
    static const int64_t cam1[] = {100, 200, 300, 400}, cam2[] = {150, 250, 350}, imu[] = {50, 500}, park[] = {225};
    record(root, BOOT1, "galbot", "cam", cam1, 4);
    record(root, BOOT2, "galbot", "cam", cam2, 3);
    record(root, BOOT1, "galbot", "imu", imu, 2);
    record(root, BOOT2, "park", "cam", park, 1);
    return root;
}

/* The session id inside a record (static buffer). */
static const char *id_of(const char *record_json) {
    static char id[64];
    const char *p = record_json ? strstr(record_json, "\"session_id\":\"") : NULL;
    if (!p) return "";
    snprintf(id, sizeof id, "%.29s", p + 14);
    return id;
}

/* Create an empty session and return its id (static buffer). */
static const char *new_session(const char *root, const char *name) {
    static char id[64];
    char *json = NULL;
    CHECK_OK(auki_activity_create(root, name, NULL, &json));
    snprintf(id, sizeof id, "%s", id_of(json));
    auki_string_free(json);
    return id;
}

/* ---- Records, bounds, updates ------------------------------------------------------------------ */

TEST(test_create_returns_a_record_with_null_bounds) {
    const char *root = recorded_store("create");
    char *json = NULL;
    CHECK_OK(auki_activity_create(root, "flight 1", "[\"galbot\",\"galbot\"]", &json));
    CHECK_CONTAINS(json, "\"session_id\":\"ss_");
    CHECK_CONTAINS(json, "\"name\":\"flight 1\"");
    CHECK_CONTAINS(json, "\"device_ids\":[\"galbot\"]");
    CHECK_CONTAINS(json, "\"file_count\":0");
    CHECK_CONTAINS(json, "\"min_timestamp_ns\":null");
    CHECK_CONTAINS(json, "\"max_timestamp_ns\":null");
    CHECK_CONTAINS(json, "\"created_by\":\"");
    char path[1024];
    snprintf(path, sizeof path, "%s/activity_sessions/%s.json", root, id_of(json));
    struct stat st;
    CHECK(stat(path, &st) == 0);
    char *again = NULL;
    CHECK_OK(auki_activity_get(root, id_of(json), &again));
    CHECK(again && strcmp(json, again) == 0);
    auki_string_free(again);
    auki_string_free(json);
}

TEST(test_bounds_follow_whole_and_windowed_files) {
    const char *root = recorded_store("bounds");
    const char *id = new_session(root, NULL);
    char *json = NULL;
    CHECK_OK(auki_activity_add_files(root, id, "[\"" BOOT1 "/logs/galbot/cam\"]", &json));
    CHECK_CONTAINS(json, "\"max_timestamp_ns\":400,");
    CHECK_CONTAINS(json, "\"min_timestamp_ns\":100,");
    auki_string_free(json);
    json = NULL;
    CHECK_OK(auki_activity_add_files(root, id,
                                     "[{\"file_id\":\"" BOOT1
                                     "/logs/galbot/imu\",\"range_min_timestamp_ns\":20,\"range_max_timestamp_ns\":20}]",
                                     &json));
    CHECK_CONTAINS(json, "\"file_count\":2");
    CHECK_CONTAINS(json, "\"max_timestamp_ns\":400,");
    CHECK_CONTAINS(json, "\"min_timestamp_ns\":20,");
    auki_string_free(json);
    char *skipped = NULL;
    json = NULL;
    CHECK_OK(auki_activity_remove_files(root, id, "[\"" BOOT1 "/logs/galbot/imu\",\"logs/x/y\"]", 0, &json, &skipped));
    CHECK_CONTAINS(json, "\"max_timestamp_ns\":400,");
    CHECK_CONTAINS(json, "\"min_timestamp_ns\":100,");
    CHECK(skipped && strcmp(skipped, "[\"logs/x/y\"]") == 0);
    auki_string_free(skipped);
    auki_string_free(json);
    json = NULL;
    CHECK_OK(auki_activity_bounds(root, id, &json));
    CHECK(json && strcmp(json, "{\"max_timestamp_ns\":400,\"min_timestamp_ns\":100}") == 0);
    auki_string_free(json);
}

TEST(test_update_sets_clears_and_leaves_the_name) {
    const char *root = temp_root("update");
    const char *id = new_session(root, "a");
    char *json = NULL;
    CHECK_OK(auki_activity_update(root, id, "{}", &json));
    CHECK_CONTAINS(json, "\"name\":\"a\"");
    auki_string_free(json);
    json = NULL;
    CHECK_OK(auki_activity_update(root, id, "{\"name\":\"b\"}", &json));
    CHECK_CONTAINS(json, "\"name\":\"b\"");
    auki_string_free(json);
    json = NULL;
    CHECK_OK(auki_activity_update(root, id, "{\"name\":null}", &json));
    CHECK_CONTAINS(json, "\"name\":null");
    auki_string_free(json);
    char name121[122];
    memset(name121, 'x', 121);
    name121[121] = '\0';
    char changes[200];
    snprintf(changes, sizeof changes, "{\"name\":\"%s\"}", name121);
    char *out = NULL;
    CHECK_ERR(auki_activity_update(root, id, changes, &out), AUKI_ERR_INVALID_ARGUMENT, "at most 120");
    CHECK_ERR(auki_activity_update(root, id, "{\"title\":\"x\"}", &out), AUKI_ERR_INVALID_ARGUMENT,
              "unknown field `title`");
    CHECK(out == NULL);
}

TEST(test_delete_removes_the_session_not_the_data) {
    const char *root = recorded_store("delete");
    const char *id = new_session(root, NULL);
    char *json = NULL;
    CHECK_OK(auki_activity_add_recording(root, id, BOOT1, &json));
    CHECK_CONTAINS(json, "\"file_count\":2");
    auki_string_free(json);
    char keep[64];
    snprintf(keep, sizeof keep, "%s", id);
    CHECK_OK(auki_activity_delete(root, keep));
    char *out = NULL;
    CHECK_ERR(auki_activity_get(root, keep, &out), AUKI_ERR_NOT_FOUND, "unknown activity session");
    CHECK_ERR(auki_activity_delete(root, keep), AUKI_ERR_NOT_FOUND, keep);
    char path[1024];
    snprintf(path, sizeof path, "%s/%s/logs/galbot/cam/segments", root, BOOT1);
    struct stat st;
    CHECK(stat(path, &st) == 0);
}

/* ---- Devices and listings ---------------------------------------------------------------------- */

TEST(test_devices_attach_idempotently_and_list_sessions_by_device) {
    const char *root = recorded_store("devices");
    char a[64], b[64];
    snprintf(a, sizeof a, "%s", new_session(root, "a"));
    snprintf(b, sizeof b, "%s", new_session(root, "b"));
    CHECK_OK(auki_activity_attach_device(root, a, "park"));
    CHECK_OK(auki_activity_attach_device(root, a, "park"));
    CHECK_OK(auki_activity_detach_device(root, b, "park"));
    CHECK_ERR(auki_activity_attach_device(root, a, "ghost"), AUKI_ERR_NOT_FOUND, "unknown device \"ghost\"");
    char *json = NULL;
    CHECK_OK(auki_activity_list(root, "park", NULL, 0, &json));
    CHECK_CONTAINS(json, a);
    CHECK(json && strstr(json, b) == NULL);
    CHECK_CONTAINS(json, "\"device_ids\":[\"park\"]");
    CHECK_CONTAINS(json, "\"next_token\":null");
    auki_string_free(json);
}

TEST(test_session_pages_chain_through_next_token) {
    const char *root = temp_root("pages");
    char ids[5][64];
    for (int i = 0; i < 5; i++) snprintf(ids[i], sizeof ids[i], "%s", new_session(root, NULL));
    char token[64] = "";
    int seen = 0, pages = 0;
    for (;;) {
        char *json = NULL;
        CHECK_OK(auki_activity_list(root, NULL, token[0] ? token : NULL, 2, &json));
        if (!json) break;
        pages++;
        for (int i = 0; i < 5; i++)
            if (strstr(json, ids[i])) seen++;
        const char *next = strstr(json, "\"next_token\":\"");
        if (next) snprintf(token, sizeof token, "%.29s", next + 14);
        auki_string_free(json);
        if (!next) break;
    }
    CHECK(seen == 5);
    CHECK(pages == 3);
}

/* A token a listing could not have handed out is refused by each listing alike, naming the listing. */
TEST(test_every_listing_refuses_a_page_token_it_did_not_hand_out) {
    const char *root = recorded_store("tokens");
    const char *id = new_session(root, NULL);
    static const char *garbage[] = {"garbage", "", "../../etc", "[\"a\"]", "ss_NOTAULID", BOOT1 "/logs"};
    char *json = NULL;
    CHECK_OK(auki_activity_add_files(root, id, "[\"" BOOT1 "/logs/galbot/cam\",\"" BOOT1 "/logs/galbot/imu\"]", &json));
    auki_string_free(json);
    for (size_t i = 0; i < sizeof garbage / sizeof *garbage; i++) {
        json = NULL;
        CHECK_ERR(auki_activity_list(root, NULL, garbage[i], 1, &json), AUKI_ERR_INVALID_ARGUMENT,
                  "invalid page token");
        CHECK_ERR(auki_activity_list_files(root, id, garbage[i], 1, &json), AUKI_ERR_INVALID_ARGUMENT,
                  "for list_files");
        CHECK_ERR(auki_activity_list_topics(root, id, garbage[i], 1, &json), AUKI_ERR_INVALID_ARGUMENT,
                  "for list_topics");
        CHECK(json == NULL);
    }
    /* The tokens they hand out are still accepted. */
    CHECK_OK(auki_activity_list_files(root, id, BOOT1 "/logs/galbot/cam", 1, &json));
    CHECK_CONTAINS(json, "/logs/galbot/imu");
    auki_string_free(json);
    json = NULL;
    CHECK_OK(auki_activity_list(root, NULL, id, 1, &json));
    auki_string_free(json);
}

TEST(test_file_views_and_topics) {
    const char *root = recorded_store("views");
    const char *id = new_session(root, NULL);
    char *json = NULL;
    CHECK_OK(auki_activity_add_files(
        root, id,
        "[\"" BOOT2 "/logs/park/cam\",\"" BOOT1 "/logs/galbot/cam\",\"" BOOT2 "/logs/galbot/cam\","
        "{\"file_id\":\"" BOOT1 "/logs/galbot/imu\",\"range_min_timestamp_ns\":600,\"range_max_timestamp_ns\":700}]",
        &json));
    auki_string_free(json);
    json = NULL;
    CHECK_OK(auki_activity_list_files(root, id, NULL, 1, &json));
    CHECK_CONTAINS(json, "\"file_id\":\"" BOOT1 "/logs/galbot/cam\"");
    CHECK_CONTAINS(json, "\"name\":\"cam\"");
    CHECK_CONTAINS(json, "\"size\":96"); /* 16-byte header + 4 x (12 + 8) */
    CHECK_CONTAINS(json, "\"min_timestamp_ns\":100");
    CHECK_CONTAINS(json, "\"topic_id\":\"galbot/cam\"");
    CHECK_CONTAINS(json, "\"next_token\":\"" BOOT1 "/logs/galbot/cam\"");
    auki_string_free(json);
    /* imu's window misses its data: not a topic; galbot/cam is listed once; same names by topic id. */
    json = NULL;
    CHECK_OK(auki_activity_list_topics(root, id, NULL, 0, &json));
    CHECK(json && strcmp(json, "{\"items\":[{\"name\":\"cam\",\"resource_id\":\"cam\",\"source_peer_id\":\"galbot\","
                               "\"topic_id\":\"galbot/cam\"},"
                               "{\"name\":\"cam\",\"resource_id\":\"cam\",\"source_peer_id\":\"park\",\"topic_id\":"
                               "\"park/cam\"}],\"next_token\":null}") == 0);
    auki_string_free(json);
}

/* ---- The data reader ----------------------------------------------------------------------------- */

TEST(test_reader_merges_clips_and_hands_out_borrowed_views) {
    const char *root = recorded_store("reader");
    const char *id = new_session(root, NULL);
    char *json = NULL;
    CHECK_OK(auki_activity_add_files(
        root, id,
        "[{\"file_id\":\"" BOOT1 "/logs/galbot/cam\",\"range_min_timestamp_ns\":200,\"range_max_timestamp_ns\":300},"
        "\"" BOOT2 "/logs/galbot/cam\"]",
        &json));
    auki_string_free(json);
    auki_activity_reader *reader = NULL;
    CHECK_OK(auki_activity_reader_open(&reader, root, id, "galbot/cam", NULL, NULL));
    int64_t expected[] = {150, 200, 250, 300, 350}, ts = 0;
    int has = 0, n = 0;
    const uint8_t *data = NULL;
    size_t len = 0;
    for (;;) {
        CHECK_OK(auki_activity_reader_next(reader, &has, &ts, &data, &len));
        if (!has) break;
        int64_t payload = 0;
        if (len == 8) memcpy(&payload, data, 8);
        CHECK(n < 5 && ts == expected[n] && payload == ts);
        n++;
    }
    CHECK(n == 5);
    auki_activity_reader_free(reader);

    int64_t start = 200, end = 299;
    CHECK_OK(auki_activity_reader_open(&reader, root, id, "cam", &start, &end));
    int64_t stamps[8];
    uint64_t offsets[9];
    uint8_t buf[64];
    size_t count = 0;
    CHECK_OK(auki_activity_reader_next_batch(reader, 8, stamps, offsets, buf, sizeof buf, &count));
    CHECK(count == 2 && stamps[0] == 200 && stamps[1] == 250 && offsets[2] == 16);
    CHECK_OK(auki_activity_reader_next_batch(reader, 8, stamps, offsets, buf, sizeof buf, &count));
    CHECK(count == 0);
    auki_activity_reader_free(reader);

    CHECK_OK(auki_activity_reader_open(&reader, root, id, "cam", NULL, NULL));
    CHECK_ERR(auki_activity_reader_next_batch(reader, 8, stamps, offsets, buf, 4, &count), AUKI_ERR_BUFFER_TOO_SMALL,
              "8 bytes");
    CHECK_OK(auki_activity_reader_next(reader, &has, &ts, &data, &len));
    CHECK(has == 1 && ts == 150); /* nothing was consumed by the refused batch */
    auki_activity_reader_free(reader);
    CHECK_ERR(auki_activity_reader_next(reader, &has, &ts, &data, &len), AUKI_ERR_INVALID_ARGUMENT,
              "auki_activity_reader handle was freed");
    auki_activity_reader_free(reader); /* a second free is a no-op */
}

/* ---- The data reader's batched views (ABI 2.2) ---------------------------------------------------- */

#define BOOT3 "01J00000000000000000000003"

/* A store whose galbot/cam has three recordings with interleaved timestamps: BOOT1 every 10 ns,
 * 60000 entries (more than one 1 MiB read buffer of the core cursor holds: 52428), BOOT2 runs of 100
 * entries at 10 i + 5, BOOT3 every 70 ns up to 6930 (ties with BOOT1). Returns a session holding all
 * three, BOOT2 clipped to [1000, 60000]: past 60000 BOOT1 runs alone for 54000 entries. */
static const char *interleaved_session(const char *root) {
    enum { A = 60000, B = 10000, C = 100 };
    int64_t *ts = malloc(sizeof(int64_t) * A);
    int n = 0;
    for (int i = 0; i < A; i++) ts[i] = 10LL * i;
    record(root, BOOT1, "galbot", "cam", ts, A);
    for (int i = 0; i < B; i++)
        if ((i / 100) % 2 == 0) ts[n++] = 10LL * i + 5;
    record(root, BOOT2, "galbot", "cam", ts, n);
    for (int i = 0; i < C; i++) ts[i] = 70LL * i;
    record(root, BOOT3, "galbot", "cam", ts, C);
    free(ts);
    const char *id = new_session(root, NULL);
    char *json = NULL;
    CHECK_OK(auki_activity_add_files(root, id,
                                     "[\"" BOOT1 "/logs/galbot/cam\","
                                     "{\"file_id\":\"" BOOT2
                                     "/logs/galbot/cam\",\"range_min_timestamp_ns\":1000,\"range_max_timestamp_ns\":"
                                     "60000},"
                                     "\"" BOOT3 "/logs/galbot/cam\"]",
                                     &json));
    auki_string_free(json);
    return id;
}

typedef struct {
    int64_t *ts, *payload;
    size_t n;
} entry_list;

/* Every entry of the topic in the window, one auki_activity_reader_next call each. */
static entry_list read_one_by_one(const char *root, const char *id, const int64_t *start, const int64_t *end) {
    entry_list out = {malloc(sizeof(int64_t) * 100000), malloc(sizeof(int64_t) * 100000), 0};
    auki_activity_reader *reader = NULL;
    CHECK_OK(auki_activity_reader_open(&reader, root, id, "galbot/cam", start, end));
    int has = 0;
    int64_t ts = 0;
    const uint8_t *data = NULL;
    size_t len = 0;
    while (out.n < 100000 && auki_activity_reader_next(reader, &has, &ts, &data, &len) == AUKI_OK && has) {
        out.ts[out.n] = ts;
        out.payload[out.n] = -1;
        if (len == 8) memcpy(&out.payload[out.n], data, 8);
        out.n++;
    }
    auki_activity_reader_free(reader);
    return out;
}

/* Read the same window through auki_activity_reader_next_views, batch entries at a time: the same
 * entries, in the same order, each view readable until the next call. Returns the largest batch. */
static size_t check_views_equal_one_by_one(const char *root, const char *id, const int64_t *start, const int64_t *end,
                                           size_t batch) {
    entry_list want = read_one_by_one(root, id, start, end);
    CHECK(want.n > 0);
    auki_activity_reader *reader = NULL;
    CHECK_OK(auki_activity_reader_open(&reader, root, id, "galbot/cam", start, end));
    int64_t *ts = malloc(sizeof(int64_t) * batch);
    const uint8_t **data = malloc(sizeof(uint8_t *) * batch);
    size_t *lens = malloc(sizeof(size_t) * batch);
    size_t got = 0, largest = 0, count = 0;
    int same = 1;
    for (;;) {
        int status = auki_activity_reader_next_views(reader, batch, ts, data, lens, &count);
        CHECK(status == AUKI_OK);
        if (status != AUKI_OK || count == 0) break;
        if (count > batch) same = 0;
        if (count > largest) largest = count;
        for (size_t i = 0; i < count && same; i++, got++) {
            int64_t payload = -1;
            if (lens[i] == 8) memcpy(&payload, data[i], 8);
            if (got >= want.n || ts[i] != want.ts[got] || payload != want.payload[got]) same = 0;
        }
        if (!same) break;
    }
    CHECK(same);
    CHECK(got == want.n);
    CHECK_OK(auki_activity_reader_next_views(reader, batch, ts, data, lens, &count));
    CHECK(count == 0); /* the end stays the end */
    auki_activity_reader_free(reader);
    free(ts);
    free(data);
    free(lens);
    free(want.ts);
    free(want.payload);
    return largest;
}

TEST(test_reader_views_are_the_entries_of_next_in_merge_order) {
    const char *root = temp_root("views");
    const char *id = interleaved_session(root);
    entry_list all = read_one_by_one(root, id, NULL, NULL);
    /* BOOT1 60000 + BOOT2's 29 runs of 100 inside [1000, 60000] + BOOT3 100. */
    CHECK(all.n == 60000 + 2900 + 100);
    int sorted = 1;
    for (size_t i = 1; i < all.n; i++)
        if (all.ts[i] < all.ts[i - 1]) sorted = 0;
    CHECK(sorted);
    free(all.ts);
    free(all.payload);

    CHECK(check_views_equal_one_by_one(root, id, NULL, NULL, 1) == 1);
    size_t largest = check_views_equal_one_by_one(root, id, NULL, NULL, 100000);
    CHECK(largest > 1000);  /* BOOT1's lone run comes in large batches ... */
    CHECK(largest < 53999); /* ... that end where its 1 MiB read buffer ends, before the run does */
    CHECK(check_views_equal_one_by_one(root, id, NULL, NULL, 7) == 7);
    int64_t start = 12345, end = 400000;
    CHECK(check_views_equal_one_by_one(root, id, &start, &end, 1) == 1);
    CHECK(check_views_equal_one_by_one(root, id, &start, &end, 100000) > 1);
    start = end = 6930; /* BOOT1 and BOOT3 tie: two batches, one per file, in session order */
    CHECK(check_views_equal_one_by_one(root, id, &start, &end, 100000) == 1);
}

TEST(test_reader_views_refuse_bad_arguments_and_keep_the_entry) {
    const char *root = recorded_store("views-args");
    const char *id = new_session(root, NULL);
    char *json = NULL;
    CHECK_OK(auki_activity_add_files(root, id, "[\"" BOOT1 "/logs/galbot/cam\",\"" BOOT2 "/logs/galbot/cam\"]", &json));
    auki_string_free(json);
    auki_activity_reader *reader = NULL;
    CHECK_OK(auki_activity_reader_open(&reader, root, id, "cam", NULL, NULL));
    int64_t ts[4];
    const uint8_t *data[4];
    size_t lens[4], count = 99;
    CHECK_ERR(auki_activity_reader_next_views(reader, 4, ts, data, lens, NULL), AUKI_ERR_INVALID_ARGUMENT,
              "count must not be NULL");
    CHECK_ERR(auki_activity_reader_next_views(reader, 4, NULL, data, lens, &count), AUKI_ERR_INVALID_ARGUMENT,
              "timestamps_ns must not be NULL");
    CHECK(count == 0);
    CHECK_ERR(auki_activity_reader_next_views(reader, 4, ts, NULL, lens, &count), AUKI_ERR_INVALID_ARGUMENT,
              "data must not be NULL");
    CHECK_ERR(auki_activity_reader_next_views(reader, 4, ts, data, NULL, &count), AUKI_ERR_INVALID_ARGUMENT,
              "lens must not be NULL");
    count = 99;
    CHECK_OK(auki_activity_reader_next_views(reader, 0, NULL, NULL, NULL, &count));
    CHECK(count == 0);
    /* Nothing was consumed by the refusals: the merge starts at 100 (BOOT1), then 150 (BOOT2). */
    CHECK_OK(auki_activity_reader_next_views(reader, 4, ts, data, lens, &count));
    CHECK(count == 1 && ts[0] == 100 && lens[0] == 8);
    CHECK_OK(auki_activity_reader_next_views(reader, 4, ts, data, lens, &count));
    CHECK(count == 1 && ts[0] == 150);
    auki_activity_reader_free(reader);
    CHECK_ERR(auki_activity_reader_next_views(reader, 4, ts, data, lens, &count), AUKI_ERR_INVALID_ARGUMENT,
              "auki_activity_reader handle was freed");
    CHECK_ERR(auki_activity_reader_next_views(NULL, 4, ts, data, lens, &count), AUKI_ERR_INVALID_ARGUMENT,
              "auki_activity_reader handle must not be NULL");
}

TEST(test_reader_of_a_topic_the_session_lacks_is_not_found) {
    const char *root = recorded_store("reader-missing");
    const char *id = new_session(root, NULL);
    auki_activity_reader *reader = (auki_activity_reader *) 1;
    CHECK_ERR(auki_activity_reader_open(&reader, root, id, "lidar", NULL, NULL), AUKI_ERR_NOT_FOUND, "topic \"lidar\"");
    CHECK(reader == NULL);
    int64_t start = 5, end = 4;
    char *json = NULL;
    CHECK_OK(auki_activity_add_recording(root, id, BOOT1, &json));
    auki_string_free(json);
    CHECK_ERR(auki_activity_reader_open(&reader, root, id, "cam", &start, &end), AUKI_ERR_INVALID_ARGUMENT,
              "start_ns (5) must be <= end_ns (4)");
}

/* ---- Bad input: a code and a message, nothing written --------------------------------------------- */

TEST(test_refused_adds_change_nothing) {
    const char *root = recorded_store("refused");
    const char *id = new_session(root, NULL);
    char *out = NULL;
    CHECK_ERR(auki_activity_add_files(
                  root, id, "[{\"file_id\":\"" BOOT1 "/logs/galbot/cam\",\"range_min_timestamp_ns\":5}]", &out),
              AUKI_ERR_INVALID_ARGUMENT, "must be given together");
    CHECK_ERR(auki_activity_add_files(
                  root, id, "[{\"file_id\":\"" BOOT1 "/logs/galbot/cam\",\"range_max_timestamp_ns\":5}]", &out),
              AUKI_ERR_INVALID_ARGUMENT, "must be given together");
    CHECK_ERR(auki_activity_add_files(root, id,
                                      "[{\"file_id\":\"" BOOT1
                                      "/logs/galbot/cam\",\"range_min_timestamp_ns\":6,\"range_max_timestamp_ns\":5}]",
                                      &out),
              AUKI_ERR_INVALID_ARGUMENT, "must be <=");
    CHECK_ERR(auki_activity_add_files(root, id, "[\"" BOOT1 "/logs/galbot/cam\",\"" BOOT1 "/logs/galbot/cam\"]", &out),
              AUKI_ERR_INVALID_ARGUMENT, "named twice");
    CHECK_ERR(auki_activity_add_files(root, id, "[\"" BOOT1 "/logs/galbot/cam\",\"logs/galbot/nope\"]", &out),
              AUKI_ERR_NOT_FOUND, "unknown file \"logs/galbot/nope\"");
    CHECK_ERR(
        auki_activity_add_files(root, id, "[{\"file_id\":\"" BOOT1 "/logs/galbot/cam\",\"range_min_ns\":1}]", &out),
        AUKI_ERR_INVALID_ARGUMENT, "unknown field `range_min_ns`");
    CHECK_ERR(auki_activity_add_files(root, id, "[\"../etc\"]", &out), AUKI_ERR_INVALID_ARGUMENT, "invalid file id");
    CHECK_ERR(auki_activity_add_files(root, id, "{\"file_id\":\"x\"}", &out), AUKI_ERR_INVALID_ARGUMENT,
              "expected a sequence");
    CHECK_ERR(auki_activity_add_files(root, id, "[1.5]", &out), AUKI_ERR_INVALID_ARGUMENT, "invalid type");
    CHECK_ERR(auki_activity_add_files(root, id, "[", &out), AUKI_ERR_INVALID_ARGUMENT, "invalid JSON");
    CHECK_ERR(auki_activity_remove_files(root, id, "[\"logs/galbot/nope\"]", 1, &out, NULL), AUKI_ERR_NOT_FOUND,
              "not part of session");
    CHECK(out == NULL);
    char *json = NULL;
    CHECK_OK(auki_activity_get(root, id, &json));
    CHECK_CONTAINS(json, "\"file_count\":0");
    auki_string_free(json);
    CHECK_OK(auki_activity_check_file(
        "{\"file_id\":\"logs/galbot/cam\",\"range_min_timestamp_ns\":3,\"range_max_timestamp_ns\":3}"));
    CHECK_ERR(auki_activity_check_file(
                  "{\"file_id\":\"logs/galbot/cam\",\"range_min_timestamp_ns\":4,\"range_max_timestamp_ns\":3}"),
              AUKI_ERR_INVALID_ARGUMENT, "must be <=");
    /* check_file applies add_files' rule for the id's form: "a" names no log directory. */
    CHECK_ERR(auki_activity_check_file("\"a\""), AUKI_ERR_INVALID_ARGUMENT,
              "expected <session_id>/logs/<peer>/<resource_id>");
    CHECK_ERR(auki_activity_check_file("\"logs/../../x/y\""), AUKI_ERR_INVALID_ARGUMENT, "`..` path segment");
}

TEST(test_unknown_ids_and_null_arguments) {
    const char *root = recorded_store("bad-args");
    char *out = (char *) 1;
    CHECK_ERR(auki_activity_get(root, "ss_01J00000000000000000000000", &out), AUKI_ERR_NOT_FOUND,
              "unknown activity session");
    CHECK(out == NULL);
    CHECK_ERR(auki_activity_get(root, "../../etc/passwd", &out), AUKI_ERR_NOT_FOUND, "unknown activity session");
    CHECK_ERR(auki_activity_add_files(root, "ss_01J00000000000000000000000", "[]", &out), AUKI_ERR_NOT_FOUND,
              "unknown activity session");
    CHECK_ERR(auki_activity_create(root, NULL, "[\"ghost\"]", &out), AUKI_ERR_NOT_FOUND, "unknown device");
    CHECK_ERR(auki_activity_create(NULL, NULL, NULL, &out), AUKI_ERR_INVALID_ARGUMENT, "storage_root must not be NULL");
    CHECK_ERR(auki_activity_create("", NULL, NULL, &out), AUKI_ERR_INVALID_ARGUMENT, "storage_root must not be empty");
    CHECK_ERR(auki_activity_create(root, NULL, NULL, NULL), AUKI_ERR_INVALID_ARGUMENT, "out_json must not be NULL");
    CHECK_ERR(auki_activity_create(root, "\xff", NULL, &out), AUKI_ERR_INVALID_ARGUMENT, "name: invalid UTF-8");
    CHECK_ERR(auki_activity_create(root, NULL, "[1]", &out), AUKI_ERR_INVALID_ARGUMENT, "invalid type");
    CHECK_ERR(auki_activity_get(root, NULL, &out), AUKI_ERR_INVALID_ARGUMENT, "session_id must not be NULL");
    const char *id = new_session(root, NULL);
    CHECK_ERR(auki_activity_list_topics(root, id, "garbage", 0, &out), AUKI_ERR_INVALID_ARGUMENT, "invalid page token");
    CHECK_ERR(auki_activity_update(root, id, NULL, &out), AUKI_ERR_INVALID_ARGUMENT, "changes_json must not be NULL");
    CHECK_ERR(auki_activity_add_recording(root, id, "01J99999999999999999999999", &out), AUKI_ERR_NOT_FOUND,
              "unknown recording");
    int has;
    int64_t ts;
    const uint8_t *data;
    size_t len, count;
    CHECK_ERR(auki_activity_reader_next(NULL, &has, &ts, &data, &len), AUKI_ERR_INVALID_ARGUMENT,
              "auki_activity_reader handle must not be NULL");
    CHECK_ERR(auki_activity_reader_next((auki_activity_reader *) 0x1234, &has, &ts, &data, &len),
              AUKI_ERR_INVALID_ARGUMENT, "invalid auki_activity_reader handle");
    CHECK_ERR(auki_activity_reader_next_batch(NULL, 1, NULL, NULL, NULL, 0, &count), AUKI_ERR_INVALID_ARGUMENT,
              "timestamps_ns must not be NULL");
    auki_activity_reader_free(NULL);
    auki_activity_reader_free((auki_activity_reader *) 0x1234);
}

/* ---- Main ------------------------------------------------------------------------------------ */

/* ---- ABI 2.1: attributes, search, offsets, decoded tables ---------------------------------------- */

TEST(test_attributes_search_and_offsets) {
    const char *root = recorded_store("attributes");
    char *json = NULL, *out = NULL;
    CHECK_OK(auki_activity_create_v2(
        root,
        "{\"name\":\"c\",\"device_ids\":[\"galbot\"],\"tags\":[\"t\"],\"metadata\":{\"a.b\":1},\"description\":\"d\"}",
        &json));
    CHECK_CONTAINS(json, "\"tags\":[\"t\"]");
    CHECK_CONTAINS(json, "\"metadata\":{\"a\":{\"b\":1}}");
    CHECK_CONTAINS(json, "\"description\":\"d\"");
    char id[64];
    snprintf(id, sizeof id, "%s", id_of(json));
    auki_string_free(json);
    CHECK_OK(auki_activity_update(
        root, id, "{\"metadata_changeset\":{\"put_tags\":[\"u\",\"t\"],\"remove_fields\":[\"a.b\"]}}", &json));
    CHECK_CONTAINS(json, "\"tags\":[\"t\",\"u\"]");
    CHECK_CONTAINS(json, "\"metadata\":{\"a\":{}}");
    auki_string_free(json);
    CHECK_OK(auki_activity_search(root, "{\"tags\":[\"u\"],\"device_id\":\"galbot\"}", NULL, 0, &json));
    CHECK_CONTAINS(json, id);
    auki_string_free(json);
    CHECK_OK(auki_activity_search(root, "{\"tags\":[\"zz\"]}", NULL, 0, &json));
    CHECK(json && strcmp(json, "{\"items\":[],\"next_token\":null}") == 0);
    auki_string_free(json);
    CHECK_ERR(auki_activity_search(root, "{\"tag\":[]}", NULL, 0, &out), AUKI_ERR_INVALID_ARGUMENT,
              "unknown field `tag`");

    CHECK_OK(auki_activity_add_files(root, id, "[\"" BOOT1 "/logs/galbot/cam\"]", &json));
    auki_string_free(json);
    int64_t offset = 1000;
    CHECK_OK(auki_activity_set_unix_offset(root, id, "{\"device_id\":\"galbot\"}", &offset, &json));
    CHECK_CONTAINS(json, "\"device_unix_offsets_ns\":{\"galbot\":1000}");
    CHECK_CONTAINS(json, "\"max_timestamp_ns\":1400,");
    CHECK_CONTAINS(json, "\"min_timestamp_ns\":1100,");
    auki_string_free(json);
    CHECK_OK(auki_activity_set_unix_offset(root, id, "{\"device_id\":\"galbot\"}", NULL, &json));
    CHECK_CONTAINS(json, "\"max_timestamp_ns\":400,");
    CHECK_CONTAINS(json, "\"min_timestamp_ns\":100,");
    auki_string_free(json);
    CHECK_OK(auki_activity_default_unix_offset(root, id, "{\"file_id\":\"" BOOT1 "/logs/galbot/cam\"}", &json));
    CHECK(json && strcmp(json, "null") == 0); /* no time-transform log in this store */
    auki_string_free(json);
    CHECK_ERR(auki_activity_set_unix_offset(root, id, "{\"file_id\":\"" BOOT1 "/logs/galbot/imu\"}", &offset, &out),
              AUKI_ERR_NOT_FOUND, "is not part of session");
    CHECK_ERR(auki_activity_set_unix_offset(root, id, "{}", &offset, &out), AUKI_ERR_INVALID_ARGUMENT, "exactly one");
    CHECK(out == NULL);
}

TEST(test_a_table_reads_a_raw_log_as_a_payload_column) {
    const char *root = recorded_store("table");
    const char *id = new_session(root, "t");
    char *json = NULL, *out = NULL;
    CHECK_OK(auki_activity_add_files(root, id, "[\"" BOOT1 "/logs/galbot/cam\"]", &json));
    auki_string_free(json);
    CHECK_OK(auki_activity_topic_schema(root, id, "galbot/cam", &json));
    CHECK(json && strcmp(json, "{\"columns\":[{\"kind\":\"bytes\",\"path\":\"payload\"}],\"type\":null}") == 0);
    auki_string_free(json);

    auki_activity_table *table = NULL;
    int64_t start = 150;
    CHECK_OK(auki_activity_table_open(&table, root, id, "cam", &start, NULL, NULL));
    size_t rows = 0;
    CHECK_OK(auki_activity_table_next(table, 2, 1 << 20, &rows));
    CHECK(rows == 2);
    const int64_t *ts = NULL;
    CHECK_OK(auki_activity_table_timestamps(table, &ts));
    CHECK(ts && ts[0] == 200 && ts[1] == 300);
    const uint8_t *data = NULL;
    size_t len = 0;
    const uint64_t *offsets = NULL;
    CHECK_OK(auki_activity_table_column(table, 0, &data, &len, &offsets));
    CHECK(len == 16 && offsets && offsets[0] == 0 && offsets[1] == 8 && offsets[2] == 16);
    int64_t second = 0;
    if (data) memcpy(&second, data + 8, 8);
    CHECK(second == 300);
    CHECK_ERR(auki_activity_table_column(table, 1, &data, &len, &offsets), AUKI_ERR_INVALID_ARGUMENT, "out of range");
    CHECK_OK(auki_activity_table_next(table, 100, 1 << 20, &rows));
    CHECK(rows == 1);
    CHECK_OK(auki_activity_table_next(table, 100, 1 << 20, &rows));
    CHECK(rows == 0);
    auki_activity_table_free(table);
    CHECK_ERR(auki_activity_table_next(table, 1, 1, &rows), AUKI_ERR_INVALID_ARGUMENT, "auki_activity_table");

    CHECK_ERR(auki_activity_table_open(&table, root, id, "cam", NULL, NULL, "{\"include\":[\"frame\"]}"),
              AUKI_ERR_INVALID_ARGUMENT, "names no field");
    CHECK_ERR(auki_activity_table_schema(NULL, &out), AUKI_ERR_INVALID_ARGUMENT, "must not be NULL");
    CHECK(out == NULL);
}

int main(void) {
    fixtures_begin("test_activity");
    run_all_tests();
    return fixtures_end();
}
