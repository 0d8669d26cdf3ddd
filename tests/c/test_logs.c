/*
 * test_logs.c — the "Log data" section of auki.h, checked from C.
 *
 * Round trips through standalone writers and session logs, the upstream byte layout, windows,
 * batches, borrowed views, tails fed from another thread, the one-writer rule, closed handles,
 * and bad input of every kind (NULL pointers, negative or out-of-order timestamps, bad offsets,
 * invalid options, corrupt and truncated segment files): always a status and a message, never a
 * crash. Run through tests/c/run.sh.
 */
#define _XOPEN_SOURCE 700
#include "fixtures.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* ---- Fixtures -------------------------------------------------------------------------------- */

#define SEC         1000000000LL
#define MANIFEST_1S "{\"segment_duration_ns\":1000000000,\"retention_ns\":0,\"kind\":\"test\"}"

static long file_size(const char *path) {
    struct stat st;
    return stat(path, &st) == 0 ? (long) st.st_size : -1;
}

/* Whole file into buf (at most size bytes); returns the byte count or -1. */
static long read_bytes(const char *path, uint8_t *buf, size_t size) {
    FILE *f = fopen(path, "rb");
    if (!f) return -1;
    size_t n = fread(buf, 1, size, f);
    fclose(f);
    return (long) n;
}

static void write_bytes(const char *path, const void *data, size_t len) {
    FILE *f = fopen(path, "wb");
    if (!f) return;
    fwrite(data, 1, len, f);
    fclose(f);
}

static void segment_path(char *out, size_t size, const char *root, long long start) {
    snprintf(out, size, "%s/segments/%020lld.seg", root, start);
}

static auki_log_writer *open_writer(const char *root, const char *options) {
    auki_log_writer *w = NULL;
    CHECK_OK(auki_log_writer_open(&w, root, MANIFEST_1S, options));
    return w;
}

/* Read every entry of root into ts/lens (up to max); returns the count. Payload bytes are summed into *sum. */
static int read_all(const char *root, int64_t *ts, size_t *lens, int max, uint64_t *sum) {
    auki_log_reader *r = NULL;
    int n = 0;
    if (sum) *sum = 0;
    CHECK_OK(auki_log_reader_open(&r, root, NULL, NULL));
    for (;;) {
        int has = -1;
        int64_t t;
        const uint8_t *data;
        size_t len;
        CHECK_OK(auki_log_reader_next(r, &has, &t, &data, &len));
        if (has != 1) break;
        if (n < max) {
            if (ts) ts[n] = t;
            if (lens) lens[n] = len;
        }
        if (sum)
            for (size_t i = 0; i < len; i++) *sum += data[i];
        n++;
    }
    auki_log_reader_free(r);
    return n;
}

/* ---- Standalone writers and readers ---------------------------------------------------------- */

TEST(test_writer_round_trips_entries_in_order) {
    const char *root = temp_path("round-trip");
    auki_log_writer *w = open_writer(root, NULL);
    CHECK_OK(auki_log_writer_append(w, 100, (const uint8_t *) "hello", 5));
    CHECK_OK(auki_log_writer_append(w, 200, (const uint8_t *) "world", 5));
    CHECK_OK(auki_log_writer_append(w, 200, NULL, 0)); /* equal timestamps are fine; empty payload */
    CHECK_OK(auki_log_writer_close(w));
    auki_log_writer_free(w);

    auki_log_reader *r = NULL;
    int has;
    int64_t ts;
    const uint8_t *data;
    size_t len;
    CHECK_OK(auki_log_reader_open(&r, root, NULL, NULL));
    CHECK_OK(auki_log_reader_next(r, &has, &ts, &data, &len));
    CHECK(has == 1 && ts == 100 && len == 5 && memcmp(data, "hello", 5) == 0);
    CHECK_OK(auki_log_reader_next(r, &has, &ts, &data, &len));
    CHECK(has == 1 && ts == 200 && len == 5 && memcmp(data, "world", 5) == 0);
    CHECK_OK(auki_log_reader_next(r, &has, &ts, &data, &len));
    CHECK(has == 1 && ts == 200 && len == 0);
    CHECK_OK(auki_log_reader_next(r, &has, &ts, &data, &len));
    CHECK(has == 0 && data == NULL && len == 0);
    CHECK_OK(auki_log_reader_next(r, &has, &ts, &data, &len)); /* the end stays the end */
    CHECK(has == 0);
    auki_log_reader_free(r);
}

TEST(test_segments_have_upstream_bytes) {
    const char *root = temp_path("bytes");
    auki_log_writer *w = open_writer(root, NULL);
    CHECK_OK(auki_log_writer_append(w, 100, (const uint8_t *) "ab", 2));
    CHECK_OK(auki_log_writer_append(w, SEC + 100, (const uint8_t *) "c", 1));
    auki_log_writer_free(w); /* free closes: flush + fsync + unlock */

    char path[600], manifest_path[600];
    uint8_t buf[128];
    segment_path(path, sizeof path, root, 0);
    const uint8_t first[] = {'A', 'K', 'L', 'G', 1, 0, 0, 0, 0, 0, 0, 0, 0,   0,  0, 0, /* header, start 0 */
                             100, 0,   0,   0,   0, 0, 0, 0, 2, 0, 0, 0, 'a', 'b'};     /* ts 100, len 2 */
    CHECK(read_bytes(path, buf, sizeof buf) == (long) sizeof first && memcmp(buf, first, sizeof first) == 0);
    segment_path(path, sizeof path, root, SEC);
    CHECK(file_size(path) == 16 + 12 + 1);
    snprintf(manifest_path, sizeof manifest_path, "%s/log_manifest.json", root);
    long n = read_bytes(manifest_path, buf, sizeof buf - 1);
    CHECK(n > 0);
    buf[n > 0 ? n : 0] = 0;
    CHECK_STREQ((const char *) buf, "{\"kind\":\"test\",\"retention_ns\":0,\"segment_duration_ns\":1000000000}");

    char *info = NULL;
    CHECK_OK(auki_log_info(root, &info));
    CHECK_STREQ(info, "{\"bytes\":59,\"entries\":2,\"first_timestamp_ns\":100,\"last_timestamp_ns\":1000000100,"
                      "\"manifest\":{\"kind\":\"test\",\"retention_ns\":0,\"segment_duration_ns\":1000000000},"
                      "\"max_timestamp_ns\":1000000100,\"min_timestamp_ns\":100,\"segment_starts\":[0,1000000000]}");
    auki_string_free(info);
}

TEST(test_reader_window_is_inclusive) {
    const char *root = temp_path("window");
    auki_log_writer *w = open_writer(root, NULL);
    for (int64_t t = 100; t <= 1000; t += 100) CHECK_OK(auki_log_writer_append(w, t, (const uint8_t *) "x", 1));
    CHECK_OK(auki_log_writer_close(w));
    auki_log_writer_free(w);

    struct {
        int64_t *start, *end;
        int expected;
        int64_t first;
    } cases[] = {
        {&(int64_t){300}, &(int64_t){600}, 4, 300},
        {&(int64_t){301}, &(int64_t){399}, 0, 0},
        {&(int64_t){900}, NULL, 2, 900},
        {NULL, &(int64_t){100}, 1, 100},
        {&(int64_t){700}, &(int64_t){200}, 0, 0}, /* start after end: empty, not an error */
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        auki_log_reader *r = NULL;
        int has, n = 0;
        int64_t ts, first = 0;
        const uint8_t *data;
        size_t len;
        CHECK_OK(auki_log_reader_open(&r, root, cases[c].start, cases[c].end));
        while (auki_log_reader_next(r, &has, &ts, &data, &len) == AUKI_OK && has) {
            if (n++ == 0) first = ts;
        }
        CHECK(n == cases[c].expected);
        if (n) CHECK(first == cases[c].first);
        auki_log_reader_free(r);
    }
}

TEST(test_append_many_with_offsets_round_trips) {
    const char *root = temp_path("many-offsets");
    auki_log_writer *w = open_writer(root, NULL);
    const int64_t ts[] = {10, 20, 20, SEC + 5};
    const uint8_t data[] = "aabbbcccc";
    const uint64_t offsets[] = {0, 2, 5, 5, 9}; /* "aa", "bbb", "", "cccc" */
    CHECK_OK(auki_log_writer_append_many(w, ts, 4, data, 9, offsets));
    CHECK_OK(auki_log_writer_close(w));
    auki_log_writer_free(w);

    int64_t got[8];
    size_t lens[8];
    CHECK(read_all(root, got, lens, 8, NULL) == 4);
    CHECK(got[0] == 10 && got[1] == 20 && got[2] == 20 && got[3] == SEC + 5);
    CHECK(lens[0] == 2 && lens[1] == 3 && lens[2] == 0 && lens[3] == 4);
}

TEST(test_append_many_fixed_round_trips) {
    const char *root = temp_path("many-fixed");
    auki_log_writer *w = open_writer(root, NULL);
    int64_t ts[100];
    uint8_t rows[100][16];
    for (int i = 0; i < 100; i++) {
        ts[i] = i * 1000;
        memset(rows[i], i, 16);
    }
    CHECK_OK(auki_log_writer_append_many_fixed(w, ts, 100, &rows[0][0], 16));
    CHECK_OK(auki_log_writer_close(w));
    auki_log_writer_free(w);

    auki_log_reader *r = NULL;
    int has, n = 0, intact = 1;
    int64_t t;
    const uint8_t *data;
    size_t len;
    CHECK_OK(auki_log_reader_open(&r, root, NULL, NULL));
    while (auki_log_reader_next(r, &has, &t, &data, &len) == AUKI_OK && has) {
        if (t != n * 1000 || len != 16 || data[0] != n || data[15] != n) intact = 0;
        n++;
    }
    CHECK(n == 100 && intact);
    auki_log_reader_free(r);
}

TEST(test_batches_are_validated_as_a_whole) {
    const char *root = temp_path("batch-errors");
    auki_log_writer *w = open_writer(root, NULL);
    const uint8_t data[] = "abcdef";
    CHECK_OK(auki_log_writer_append(w, 50, data, 1));

    const int64_t backwards[] = {60, 70, 65};
    const uint64_t offsets[] = {0, 1, 2, 3};
    CHECK_ERR(auki_log_writer_append_many(w, backwards, 3, data, 6, offsets), AUKI_ERR_INVALID_ARGUMENT,
              "timestamp_ns 65 is earlier than the last entry (70)");
    const int64_t before_last[] = {40};
    CHECK_ERR(auki_log_writer_append_many_fixed(w, before_last, 1, data, 1), AUKI_ERR_INVALID_ARGUMENT,
              "earlier than the last entry (50)");
    const int64_t negative[] = {60, -1};
    CHECK_ERR(auki_log_writer_append_many_fixed(w, negative, 2, data, 1), AUKI_ERR_INVALID_ARGUMENT,
              "timestamp_ns must be ≥ 0");

    const int64_t good[] = {60, 70, 80};
    const uint64_t decreasing[] = {0, 3, 2, 6};
    CHECK_ERR(auki_log_writer_append_many(w, good, 3, data, 6, decreasing), AUKI_ERR_INVALID_ARGUMENT,
              "payload: offsets must be non-decreasing");
    const uint64_t beyond[] = {0, 1, 2, 7};
    CHECK_ERR(auki_log_writer_append_many(w, good, 3, data, 6, beyond), AUKI_ERR_INVALID_ARGUMENT,
              "payload: offsets must lie within the payload buffer");
    const uint64_t huge[] = {0, UINT64_MAX, 2, 3};
    CHECK_ERR(auki_log_writer_append_many(w, good, 3, data, 6, huge), AUKI_ERR_INVALID_ARGUMENT, "payload:");
    CHECK_ERR(auki_log_writer_append_many(w, NULL, 3, data, 6, offsets), AUKI_ERR_INVALID_ARGUMENT,
              "timestamps_ns must not be NULL");
    CHECK_ERR(auki_log_writer_append_many(w, good, 3, data, 6, NULL), AUKI_ERR_INVALID_ARGUMENT,
              "offsets must not be NULL");
    CHECK_ERR(auki_log_writer_append_many(w, good, 3, NULL, 6, offsets), AUKI_ERR_INVALID_ARGUMENT,
              "data must not be NULL");
    CHECK_ERR(auki_log_writer_append_many_fixed(w, NULL, 3, data, 1), AUKI_ERR_INVALID_ARGUMENT,
              "timestamps_ns must not be NULL");
    CHECK_ERR(auki_log_writer_append_many_fixed(w, good, 3, NULL, 2), AUKI_ERR_INVALID_ARGUMENT,
              "data must not be NULL");
    CHECK_ERR(auki_log_writer_append_many_fixed(w, good, SIZE_MAX, data, 2), AUKI_ERR_OVERFLOW, "count");
    CHECK_ERR(auki_log_writer_append_many_fixed(w, good, 3, data, SIZE_MAX / 2), AUKI_ERR_OVERFLOW, "payload_size");
    /* An empty batch writes nothing and needs no arrays. */
    CHECK_OK(auki_log_writer_append_many(w, NULL, 0, NULL, 0, NULL));
    CHECK_OK(auki_log_writer_append_many_fixed(w, NULL, 0, NULL, 7));
    /* Zero-size fixed payloads need no data. */
    CHECK_OK(auki_log_writer_append_many_fixed(w, good, 3, NULL, 0));
    CHECK_OK(auki_log_writer_close(w));
    auki_log_writer_free(w);

    int64_t ts[8];
    CHECK(read_all(root, ts, NULL, 8, NULL) ==
          4); /* 50, then the three empty entries: nothing of the rejected batches */
    CHECK(ts[0] == 50 && ts[1] == 60 && ts[3] == 80);
}

/* Payloads wherever the caller keeps them (a frame per buffer), one call: small ones copied, runs of large
 * ones written from the caller's memory; the whole batch checked first, a refusal naming the entry. */
TEST(test_gathered_batches_take_payloads_from_separate_buffers) {
    const char *root = temp_path("gather");
    auki_log_writer *w = open_writer(root, NULL);
    enum { N = 5 };
    static uint8_t frames[N][100000];
    const size_t lengths[N] = {3, 0, 100000, 70000, 40000};
    const uint8_t *payloads[N];
    for (int i = 0; i < N; i++) {
        memset(frames[i], 'a' + i, sizeof frames[i]);
        payloads[i] = frames[i];
    }
    payloads[1] = NULL; /* NULL is fine with length 0 */
    const int64_t ts[N] = {10, 20, 20, 30, SEC + 1};
    CHECK_OK(auki_log_writer_append_gather(w, ts, N, payloads, lengths));

    const int64_t backwards[N] = {SEC + 10, SEC + 20, SEC + 30, SEC + 25, SEC + 40};
    CHECK_ERR(auki_log_writer_append_gather(w, backwards, N, payloads, lengths), AUKI_ERR_INVALID_ARGUMENT,
              "format: timestamp_ns 1000000025 is earlier than the last entry (1000000030) (entry 3 of the batch)");
    const int64_t before_last[N] = {SEC, SEC + 2, SEC + 3, SEC + 4, SEC + 5};
    CHECK_ERR(auki_log_writer_append_gather(w, before_last, N, payloads, lengths), AUKI_ERR_INVALID_ARGUMENT,
              "format: timestamp_ns 1000000000 is earlier than the last entry (1000000001) (entry 0 of the batch)");
    const int64_t negative[N] = {SEC + 2, SEC + 3, -1, SEC + 4, SEC + 5};
    CHECK_ERR(auki_log_writer_append_gather(w, negative, N, payloads, lengths), AUKI_ERR_INVALID_ARGUMENT,
              "format: timestamp_ns must be ≥ 0 (entry 2 of the batch)");
    const size_t missing[N] = {3, 4, 100000, 70000, 40000};
    CHECK_ERR(auki_log_writer_append_gather(w, before_last + 1, N - 1, payloads, missing), AUKI_ERR_INVALID_ARGUMENT,
              "payload: entry 1 has a NULL payload and a length of 4");
    CHECK_ERR(auki_log_writer_append_gather(w, NULL, N, payloads, lengths), AUKI_ERR_INVALID_ARGUMENT,
              "timestamps_ns must not be NULL");
    CHECK_ERR(auki_log_writer_append_gather(w, ts, N, NULL, lengths), AUKI_ERR_INVALID_ARGUMENT,
              "payloads must not be NULL");
    CHECK_ERR(auki_log_writer_append_gather(w, ts, N, payloads, NULL), AUKI_ERR_INVALID_ARGUMENT,
              "lengths must not be NULL");
    CHECK_OK(auki_log_writer_append_gather(w, NULL, 0, NULL, NULL)); /* an empty batch needs no arrays */
    CHECK_OK(auki_log_writer_close(w));
    auki_log_writer_free(w);

    int64_t got[8];
    size_t lens[8];
    uint64_t sum = 0;
    CHECK(read_all(root, got, lens, 8, &sum) == N); /* nothing of the refused batches */
    CHECK(got[0] == 10 && got[2] == 20 && got[3] == 30 && got[4] == SEC + 1);
    CHECK(lens[0] == 3 && lens[1] == 0 && lens[2] == 100000 && lens[3] == 70000 && lens[4] == 40000);
    uint64_t expected = 0;
    for (int i = 0; i < N; i++) expected += (uint64_t) ('a' + i) * lengths[i];
    CHECK(sum == expected); /* every byte from its own buffer */
}

TEST(test_single_appends_reject_bad_input) {
    const char *root = temp_path("append-errors");
    auki_log_writer *w = open_writer(root, NULL);
    CHECK_ERR(auki_log_writer_append(w, -1, (const uint8_t *) "x", 1), AUKI_ERR_INVALID_ARGUMENT,
              "format: timestamp_ns must be ≥ 0");
    CHECK_OK(auki_log_writer_append(w, 1000, (const uint8_t *) "x", 1));
    CHECK_ERR(auki_log_writer_append(w, 999, (const uint8_t *) "x", 1), AUKI_ERR_INVALID_ARGUMENT,
              "format: timestamp_ns 999 is earlier than the last entry (1000)");
    CHECK_ERR(auki_log_writer_append(w, 1001, NULL, 1), AUKI_ERR_INVALID_ARGUMENT, "data must not be NULL");
    CHECK_ERR(auki_log_writer_append(w, 1001, (const uint8_t *) "x", (size_t) INT32_MAX + 1), AUKI_ERR_OVERFLOW,
              "len must be smaller than 2 GiB");
    CHECK_ERR(auki_log_writer_append(NULL, 1001, (const uint8_t *) "x", 1), AUKI_ERR_INVALID_ARGUMENT,
              "auki_log_writer handle must not be NULL");
    CHECK_ERR(auki_log_writer_set_retention(w, -5), AUKI_ERR_INVALID_ARGUMENT, "manifest: retention_ns must be ≥ 0");
    CHECK_ERR(auki_log_writer_manifest(w, NULL), AUKI_ERR_INVALID_ARGUMENT, "out_json must not be NULL");
    auki_log_writer_free(w);
    CHECK(read_all(root, NULL, NULL, 0, NULL) == 1);
}

TEST(test_open_rejects_bad_arguments) {
    auki_log_writer *w = (auki_log_writer *) 0x1;
    const char *root = temp_path("open-errors");
    CHECK_ERR(auki_log_writer_open(&w, root, "{\"segment_duration_ns\":0,\"retention_ns\":0}", NULL),
              AUKI_ERR_INVALID_ARGUMENT, "manifest: segment_duration_ns must be > 0");
    CHECK(w == NULL);
    CHECK_ERR(auki_log_writer_open(&w, root, "[1,2]", NULL), AUKI_ERR_INVALID_ARGUMENT,
              "manifest: manifest must be a JSON object");
    CHECK_ERR(auki_log_writer_open(&w, root, "{\"retention_ns\":0}", NULL), AUKI_ERR_INVALID_ARGUMENT,
              "manifest: manifest missing or non-integer segment_duration_ns");
    CHECK_ERR(auki_log_writer_open(&w, root, "{", NULL), AUKI_ERR_INVALID_ARGUMENT, "invalid JSON");
    CHECK_ERR(auki_log_writer_open(&w, NULL, MANIFEST_1S, NULL), AUKI_ERR_INVALID_ARGUMENT, "root must not be NULL");
    CHECK_ERR(auki_log_writer_open(&w, "", MANIFEST_1S, NULL), AUKI_ERR_INVALID_ARGUMENT,
              "log root path must not be empty");
    CHECK_ERR(auki_log_writer_open(&w, "/tmp/\xff\xfe", MANIFEST_1S, NULL), AUKI_ERR_INVALID_ARGUMENT,
              "root: invalid UTF-8");
    CHECK_ERR(auki_log_writer_open(NULL, root, MANIFEST_1S, NULL), AUKI_ERR_INVALID_ARGUMENT, "out must not be NULL");
    char manifest_path[600];
    snprintf(manifest_path, sizeof manifest_path, "%s/log_manifest.json", root);
    CHECK(!path_exists(manifest_path)); /* a bad manifest never reaches the disk */

    /* Options. */
    CHECK_ERR(auki_log_writer_open(&w, root, MANIFEST_1S, "{\"integrity\":1}"), AUKI_ERR_INVALID_ARGUMENT,
              "options: integrity must be true or false");
    CHECK_ERR(auki_log_writer_open(&w, root, MANIFEST_1S, "{\"fsync_interval_ns\":-1}"), AUKI_ERR_INVALID_ARGUMENT,
              "options: fsync_interval_ns must be an integer ≥ 0");
    CHECK_ERR(auki_log_writer_open(&w, root, MANIFEST_1S, "{\"buffer_size\":1e3}"), AUKI_ERR_INVALID_ARGUMENT,
              "options: buffer_size must be an integer");
    CHECK_ERR(auki_log_writer_open(&w, root, MANIFEST_1S, "{\"integrty\":true}"), AUKI_ERR_INVALID_ARGUMENT,
              "options: unknown key \"integrty\"");
    CHECK_ERR(auki_log_writer_open(&w, root, MANIFEST_1S, "[]"), AUKI_ERR_INVALID_ARGUMENT,
              "options: must be a JSON object");
    CHECK_ERR(auki_log_writer_open(&w, root, MANIFEST_1S, "{not json"), AUKI_ERR_INVALID_ARGUMENT, "invalid JSON");

    /* Readers and tails. */
    auki_log_reader *r = (auki_log_reader *) 0x1;
    CHECK_ERR(auki_log_reader_open(&r, temp_path("no-such-log"), NULL, NULL), AUKI_ERR_IO, "io:");
    CHECK(r == NULL);
    CHECK_ERR(auki_log_reader_open(&r, NULL, NULL, NULL), AUKI_ERR_INVALID_ARGUMENT, "root must not be NULL");
    char *text = (char *) 0x1;
    CHECK_ERR(auki_log_info(temp_path("no-such-log"), &text), AUKI_ERR_IO, "io:");
    CHECK(text == NULL);
    auki_log_tail *t = NULL;
    CHECK_ERR(auki_log_tail_open(&t, NULL, 0), AUKI_ERR_INVALID_ARGUMENT, "root must not be NULL");
    CHECK_ERR(auki_log_tail_open(NULL, root, 0), AUKI_ERR_INVALID_ARGUMENT, "out must not be NULL");
}

TEST(test_borrowed_views_stay_valid_until_the_next_call) {
    const char *root = temp_path("views");
    auki_log_writer *w = open_writer(root, NULL);
    CHECK_OK(auki_log_writer_append(w, 1, (const uint8_t *) "first", 5));
    CHECK_OK(auki_log_writer_append(w, 2, (const uint8_t *) "second", 6));
    auki_log_writer_free(w);

    auki_log_reader *r = NULL;
    int has;
    int64_t ts;
    const uint8_t *a, *b;
    size_t alen, blen;
    CHECK_OK(auki_log_reader_open(&r, root, NULL, NULL));
    CHECK_OK(auki_log_reader_next(r, &has, &ts, &a, &alen));
    char copy[16] = {0};
    memcpy(copy, a, alen); /* read the view before the next call, as the contract says */
    CHECK_STREQ(copy, "first");
    CHECK_OK(auki_log_reader_next(r, &has, &ts, &b, &blen));
    CHECK(blen == 6 && memcmp(b, "second", 6) == 0);
    CHECK(b != a); /* a view into the reader's buffer, not a per-call copy */
    CHECK_ERR(auki_log_reader_next(r, NULL, &ts, &b, &blen), AUKI_ERR_INVALID_ARGUMENT, "has_entry must not be NULL");
    CHECK_ERR(auki_log_reader_next(r, &has, &ts, NULL, &blen), AUKI_ERR_INVALID_ARGUMENT, "data must not be NULL");
    auki_log_reader_free(r);
    CHECK_ERR(auki_log_reader_next(r, &has, &ts, &b, &blen), AUKI_ERR_INVALID_ARGUMENT,
              "auki_log_reader handle was freed");
    CHECK(has == 0);
    auki_log_reader_free(r); /* freeing twice is a no-op */
}

TEST(test_next_batch_copies_into_caller_buffers) {
    const char *root = temp_path("batch-read");
    auki_log_writer *w = open_writer(root, NULL);
    CHECK_OK(auki_log_writer_append(w, 1, (const uint8_t *) "0123456789", 10));
    CHECK_OK(auki_log_writer_append(w, 2, (const uint8_t *) "abcdefghij", 10));
    CHECK_OK(auki_log_writer_append(w, 3, (const uint8_t *) "ABCDEFGHIJ", 10));
    CHECK_OK(auki_log_writer_append(w, 4, (const uint8_t *) "0123456789abcdefghijklmnopqrstuvwxyz", 36));
    auki_log_writer_free(w);

    auki_log_reader *r = NULL;
    int64_t ts[8];
    uint64_t offsets[9];
    uint8_t buf[25];
    size_t count = 99;
    CHECK_OK(auki_log_reader_open(&r, root, NULL, NULL));
    CHECK_OK(auki_log_reader_next_batch(r, 8, ts, offsets, buf, sizeof buf, &count));
    /* 25 bytes hold two 10-byte payloads; the third waits for the next call. */
    CHECK(count == 2 && ts[0] == 1 && ts[1] == 2 && offsets[0] == 0 && offsets[1] == 10 && offsets[2] == 20);
    CHECK(memcmp(buf, "0123456789abcdefghij", 20) == 0);
    CHECK_OK(auki_log_reader_next_batch(r, 8, ts, offsets, buf, sizeof buf, &count));
    CHECK(count == 1 && ts[0] == 3 && memcmp(buf, "ABCDEFGHIJ", 10) == 0);
    /* A payload larger than the whole buffer: BUFFER_TOO_SMALL, nothing consumed ... */
    CHECK_ERR(auki_log_reader_next_batch(r, 8, ts, offsets, buf, sizeof buf, &count), AUKI_ERR_BUFFER_TOO_SMALL,
              "36 bytes");
    CHECK(count == 0);
    /* ... so reader_next still returns it. */
    int has;
    int64_t t;
    const uint8_t *data;
    size_t len;
    CHECK_OK(auki_log_reader_next(r, &has, &t, &data, &len));
    CHECK(has == 1 && t == 4 && len == 36);
    CHECK_OK(auki_log_reader_next_batch(r, 8, ts, offsets, buf, sizeof buf, &count));
    CHECK(count == 0);
    CHECK_OK(auki_log_reader_next_batch(r, 0, NULL, NULL, NULL, 0, &count)); /* asking for nothing */
    CHECK_ERR(auki_log_reader_next_batch(r, 8, NULL, offsets, buf, sizeof buf, &count), AUKI_ERR_INVALID_ARGUMENT,
              "timestamps_ns must not be NULL");
    CHECK_ERR(auki_log_reader_next_batch(r, 8, ts, offsets, NULL, 5, &count), AUKI_ERR_INVALID_ARGUMENT,
              "buf must not be NULL");
    CHECK_ERR(auki_log_reader_next_batch(r, 8, ts, offsets, buf, sizeof buf, NULL), AUKI_ERR_INVALID_ARGUMENT,
              "count must not be NULL");
    auki_log_reader_free(r);
}

/* Every entry of a reader through auki_log_reader_next_views, checked against what next returns for the
 * same window: same timestamps and payload bytes, in order, across segments. Returns the count. */
static int check_views_match_next(const char *root, const int64_t *start, const int64_t *end, size_t per_call) {
    auki_log_reader *by_views = NULL, *by_next = NULL;
    CHECK_OK(auki_log_reader_open(&by_views, root, start, end));
    CHECK_OK(auki_log_reader_open(&by_next, root, start, end));
    int64_t ts[64];
    const uint8_t *data[64];
    size_t lens[64];
    int total = 0;
    for (;;) {
        size_t count = 99;
        CHECK_OK(auki_log_reader_next_views(by_views, per_call, ts, data, lens, &count));
        CHECK(count <= per_call);
        for (size_t i = 0; i < count; i++) {
            int has = 0;
            int64_t t;
            const uint8_t *d;
            size_t len;
            CHECK_OK(auki_log_reader_next(by_next, &has, &t, &d, &len));
            CHECK(has == 1 && t == ts[i] && len == lens[i] && memcmp(d, data[i], len) == 0);
        }
        total += (int) count;
        if (count == 0) break;
    }
    int has = 1;
    int64_t t;
    const uint8_t *d;
    size_t len;
    CHECK_OK(auki_log_reader_next(by_next, &has, &t, &d, &len));
    CHECK(has == 0); /* views ended where next ends */
    auki_log_reader_free(by_views);
    auki_log_reader_free(by_next);
    return total;
}

TEST(test_next_views_hands_out_every_entry_without_copies) {
    const char *modes[] = {NULL, "{\"integrity\":true}"};
    for (int m = 0; m < 2; m++) {
        const char *root = temp_path(m ? "views-v2" : "views-v1");
        auki_log_writer *w = open_writer(root, modes[m]);
        uint8_t payload[3000];
        for (size_t i = 0; i < sizeof payload; i++) payload[i] = (uint8_t) (i * 7 + 1);
        /* 40 entries over 4 one-second segments, of sizes 0 .. 2925 bytes. */
        for (int i = 0; i < 40; i++) CHECK_OK(auki_log_writer_append(w, i * SEC / 10, payload + i, (size_t) (i * 75)));
        auki_log_writer_free(w);
        CHECK(check_views_match_next(root, NULL, NULL, 64) == 40);
        CHECK(check_views_match_next(root, NULL, NULL, 3) == 40);
        int64_t start = 15 * SEC / 10, end = 31 * SEC / 10;
        CHECK(check_views_match_next(root, &start, &end, 64) == 17); /* 1.5 s .. 3.1 s */

        auki_log_reader *r = NULL;
        int64_t ts[4];
        const uint8_t *data[4];
        size_t lens[4], count = 99;
        CHECK_OK(auki_log_reader_open(&r, root, NULL, NULL));
        CHECK_OK(auki_log_reader_next_views(r, 4, ts, data, lens, &count));
        CHECK(count == 4 && ts[1] == SEC / 10 && lens[1] == 75 && data[1][0] == payload[1]);
        CHECK(data[2] == data[1] + lens[1] + (m ? 16 : 12)); /* views into one buffer, entry headers between */
        CHECK_OK(auki_log_reader_next_views(r, 0, NULL, NULL, NULL, &count)); /* asking for nothing */
        CHECK(count == 0);
        CHECK_ERR(auki_log_reader_next_views(r, 4, NULL, data, lens, &count), AUKI_ERR_INVALID_ARGUMENT,
                  "timestamps_ns must not be NULL");
        CHECK_ERR(auki_log_reader_next_views(r, 4, ts, NULL, lens, &count), AUKI_ERR_INVALID_ARGUMENT,
                  "data must not be NULL");
        CHECK_ERR(auki_log_reader_next_views(r, 4, ts, data, NULL, &count), AUKI_ERR_INVALID_ARGUMENT,
                  "lens must not be NULL");
        CHECK_ERR(auki_log_reader_next_views(r, 4, ts, data, lens, NULL), AUKI_ERR_INVALID_ARGUMENT,
                  "count must not be NULL");
        auki_log_reader_free(r);
        CHECK_ERR(auki_log_reader_next_views(r, 4, ts, data, lens, &count), AUKI_ERR_INVALID_ARGUMENT,
                  "auki_log_reader handle was freed");
    }
}

TEST(test_next_views_reports_damage_instead_of_returning_it) {
    const char *root = temp_path("views-damage");
    auki_log_writer *w = open_writer(root, "{\"integrity\":true}");
    for (int i = 0; i < 5; i++) CHECK_OK(auki_log_writer_append(w, i, (const uint8_t *) "abcdefgh", 8));
    auki_log_writer_free(w);
    char seg[600];
    uint8_t bytes[256];
    segment_path(seg, sizeof seg, root, 0);
    long n = read_bytes(seg, bytes, sizeof bytes);
    CHECK(n == 16 + 5 * (16 + 8));
    bytes[16 + 2 * 24 + 16 + 3] ^= 0x40; /* a bit of the third payload; intact entries follow */
    write_bytes(seg, bytes, (size_t) n);
    auki_log_reader *r = NULL;
    int64_t ts[8];
    const uint8_t *data[8];
    size_t lens[8], count = 99;
    CHECK_OK(auki_log_reader_open(&r, root, NULL, NULL));
    CHECK_OK(auki_log_reader_next_views(r, 8, ts, data, lens, &count));
    CHECK(count == 2 && ts[1] == 1); /* the intact entries before the damage ... */
    CHECK_ERR(auki_log_reader_next_views(r, 8, ts, data, lens, &count), AUKI_ERR_CORRUPT,
              "checksum mismatch in the entry at offset 64"); /* ... then the damage, never its bytes */
    CHECK(count == 0);
    auki_log_reader_free(r);
}

struct appender {
    auki_log_writer *writer;
    int count;
    int status;
};

static void *append_slowly(void *arg) {
    struct appender *a = arg;
    struct timespec pause = {0, 2 * 1000 * 1000};
    for (int i = 0; i < a->count && a->status == AUKI_OK; i++) {
        int64_t payload = 1000 + i;
        a->status = auki_log_writer_append(a->writer, i, (const uint8_t *) &payload, sizeof payload);
        if (a->status == AUKI_OK && i % 3 == 0) a->status = auki_log_writer_flush(a->writer);
        nanosleep(&pause, NULL);
    }
    if (a->status == AUKI_OK) a->status = auki_log_writer_flush(a->writer);
    return NULL;
}

TEST(test_tail_follows_a_writer_on_another_thread) {
    const char *root = temp_path("tail");
    auki_log_writer *w = open_writer(root, NULL);
    CHECK_OK(auki_log_writer_append(w, 0, (const uint8_t *) "old", 3));
    CHECK_OK(auki_log_writer_flush(w));

    auki_log_tail *tail = NULL;
    int has;
    int64_t ts;
    const uint8_t *data;
    size_t len;
    CHECK_OK(auki_log_tail_open(&tail, root, 1));
    CHECK_OK(auki_log_tail_next(tail, 0, &has, &ts, &data, &len));
    CHECK(has == 0); /* starts at the end: the old entry is not replayed */
    CHECK_OK(auki_log_tail_next(tail, 5, &has, &ts, &data, &len));
    CHECK(has == 0); /* a bounded wait with nothing new is not an error */

    struct appender a = {w, 60, AUKI_OK};
    pthread_t thread;
    pthread_create(&thread, NULL, append_slowly, &a);
    int seen = 0, in_order = 1;
    while (seen < a.count) {
        int rc = auki_log_tail_next(tail, 10000, &has, &ts, &data, &len);
        if (rc != AUKI_OK || !has) break;
        int64_t payload;
        memcpy(&payload, data, sizeof payload);
        if (ts != seen || len != sizeof payload || payload != 1000 + seen) in_order = 0;
        seen++;
    }
    pthread_join(thread, NULL);
    CHECK(a.status == AUKI_OK);
    CHECK(seen == a.count);
    CHECK(in_order);
    auki_log_tail_free(tail);
    auki_log_writer_free(w);
}

struct waiter {
    auki_log_tail *tail;
    int status;
};

static void *wait_forever(void *arg) {
    struct waiter *wt = arg;
    int has;
    int64_t ts;
    const uint8_t *data;
    size_t len;
    wt->status = auki_log_tail_next(wt->tail, -1, &has, &ts, &data, &len);
    return NULL;
}

TEST(test_freeing_a_tail_ends_a_wait_in_progress) {
    const char *root = temp_path("tail-free");
    auki_log_writer *w = open_writer(root, NULL);
    auki_log_writer_free(w);
    struct waiter wt = {NULL, -1};
    CHECK_OK(auki_log_tail_open(&wt.tail, root, 1));
    pthread_t thread;
    pthread_create(&thread, NULL, wait_forever, &wt);
    struct timespec pause = {0, 20 * 1000 * 1000};
    nanosleep(&pause, NULL);
    auki_log_tail_free(wt.tail); /* the waiting call returns instead of hanging */
    pthread_join(thread, NULL);
    CHECK(wt.status == AUKI_ERR_CLOSED || wt.status == AUKI_ERR_INVALID_ARGUMENT);
}

TEST(test_one_writer_per_log) {
    const char *root = temp_path("busy");
    auki_log_writer *first = open_writer(root, NULL), *second = (auki_log_writer *) 0x1;
    CHECK_ERR(auki_log_writer_open(&second, root, MANIFEST_1S, NULL), AUKI_ERR_BUSY, "log is locked by another writer");
    CHECK(second == NULL);
    CHECK_OK(auki_log_writer_close(first)); /* closing releases the lock before the handle is freed */
    CHECK_OK(auki_log_writer_open(&second, root, MANIFEST_1S, NULL));
    auki_log_writer_free(second);
    auki_log_writer_free(first);
}

TEST(test_closed_writer_reports_closed) {
    const char *root = temp_path("closed");
    auki_log_writer *w = open_writer(root, NULL);
    CHECK_OK(auki_log_writer_append(w, 1, (const uint8_t *) "x", 1));
    CHECK_OK(auki_log_writer_close(w));
    CHECK_OK(auki_log_writer_close(w)); /* idempotent */
    CHECK_ERR(auki_log_writer_append(w, 2, (const uint8_t *) "x", 1), AUKI_ERR_CLOSED, "log has been closed");
    CHECK_ERR(auki_log_writer_flush(w), AUKI_ERR_CLOSED, "log has been closed");
    CHECK_ERR(auki_log_writer_set_retention(w, 5), AUKI_ERR_CLOSED, "log has been closed");
    char *text = (char *) 0x1;
    CHECK_ERR(auki_log_writer_manifest(w, &text), AUKI_ERR_CLOSED, "log has been closed");
    CHECK(text == NULL);
    const int64_t ts[] = {3};
    CHECK_ERR(auki_log_writer_append_many_fixed(w, ts, 1, (const uint8_t *) "x", 1), AUKI_ERR_CLOSED, "closed");
    CHECK_ERR(auki_log_writer_append_many(w, NULL, 0, NULL, 0, NULL), AUKI_ERR_CLOSED, "closed");
    auki_log_writer_free(w);
    CHECK_ERR(auki_log_writer_append(w, 2, (const uint8_t *) "x", 1), AUKI_ERR_INVALID_ARGUMENT,
              "auki_log_writer handle was freed");
    auki_log_writer_free(w);
    auki_log_writer_free(NULL);
    auki_log_reader_free(NULL);
    auki_log_tail_free(NULL);
}

TEST(test_handles_of_another_type_are_refused) {
    const char *root = temp_path("types");
    auki_log_writer *w = open_writer(root, NULL);
    auki_log_reader *r = NULL;
    CHECK_OK(auki_log_reader_open(&r, root, NULL, NULL));
    CHECK_ERR(auki_log_writer_append((auki_log_writer *) r, 1, NULL, 0), AUKI_ERR_INVALID_ARGUMENT,
              "(it is an auki_log_reader handle)");
    int has;
    int64_t ts;
    const uint8_t *data;
    size_t len;
    CHECK_ERR(auki_log_tail_next((auki_log_tail *) w, 0, &has, &ts, &data, &len), AUKI_ERR_INVALID_ARGUMENT,
              "(it is an auki_log_writer handle)");
    CHECK_ERR(auki_log_append((auki_log *) w, 1, NULL, 0), AUKI_ERR_INVALID_ARGUMENT, "invalid auki_log handle");
    CHECK_ERR(auki_log_writer_append((auki_log_writer *) (uintptr_t) 0xdeadbeef57, 1, NULL, 0),
              AUKI_ERR_INVALID_ARGUMENT, "invalid auki_log_writer handle");
    auki_log_reader_free((auki_log_reader *) w);     /* a wrong-type free is ignored ... */
    CHECK_OK(auki_log_writer_append(w, 1, NULL, 0)); /* ... and the writer still works */
    auki_log_reader_free(r);
    auki_log_writer_free(w);
}

struct shared_writer {
    auki_log_writer *writer;
    uint8_t id;
    int status;
};

static void *append_pattern(void *arg) {
    struct shared_writer *s = arg;
    uint8_t payload[100];
    memset(payload, s->id, sizeof payload);
    for (int i = 0; i < 2000 && s->status == AUKI_OK; i++)
        s->status = auki_log_writer_append(s->writer, 7, payload, sizeof payload);
    return NULL;
}

TEST(test_appends_from_many_threads_never_interleave) {
    const char *root = temp_path("threads");
    auki_log_writer *w = open_writer(root, NULL);
    struct shared_writer s[4];
    pthread_t threads[4];
    for (int i = 0; i < 4; i++) {
        s[i] = (struct shared_writer){w, (uint8_t) (i + 1), AUKI_OK};
        pthread_create(&threads[i], NULL, append_pattern, &s[i]);
    }
    for (int i = 0; i < 4; i++) pthread_join(threads[i], NULL);
    for (int i = 0; i < 4; i++) CHECK(s[i].status == AUKI_OK);
    auki_log_writer_free(w);

    auki_log_reader *r = NULL;
    int has, n = 0, intact = 1;
    int64_t ts;
    const uint8_t *data;
    size_t len;
    CHECK_OK(auki_log_reader_open(&r, root, NULL, NULL));
    while (auki_log_reader_next(r, &has, &ts, &data, &len) == AUKI_OK && has) {
        if (len != 100 || data[0] < 1 || data[0] > 4)
            intact = 0;
        else
            for (size_t i = 1; i < len; i++)
                if (data[i] != data[0]) intact = 0;
        n++;
    }
    auki_log_reader_free(r);
    CHECK(n == 8000);
    CHECK(intact);
}

/* ---- Durability, repair and damage ------------------------------------------------------------ */

TEST(test_reopen_continues_the_latest_segment) {
    const char *root = temp_path("reopen");
    auki_log_writer *w = open_writer(root, NULL);
    CHECK_OK(auki_log_writer_append(w, 100, (const uint8_t *) "a", 1));
    auki_log_writer_free(w);
    w = open_writer(root, NULL);
    CHECK_ERR(auki_log_writer_append(w, 50, (const uint8_t *) "b", 1), AUKI_ERR_INVALID_ARGUMENT,
              "earlier than the last entry (100)");                     /* the order survives a reopen */
    CHECK_OK(auki_log_writer_append(w, 200, (const uint8_t *) "b", 1)); /* same 1 s window: same file */
    auki_log_writer_free(w);
    char info_expected[] = "\"entries\":2";
    char *info = NULL;
    CHECK_OK(auki_log_info(root, &info));
    CHECK_CONTAINS(info, info_expected);
    CHECK_CONTAINS(info, "\"segment_starts\":[0]");
    auki_string_free(info);
}

TEST(test_truncated_tail_is_cut_and_appends_continue) {
    const char *root = temp_path("torn");
    auki_log_writer *w = open_writer(root, NULL);
    for (int i = 0; i < 5; i++) CHECK_OK(auki_log_writer_append(w, i, (const uint8_t *) "payload!", 8));
    auki_log_writer_free(w);
    char path[600];
    segment_path(path, sizeof path, root, 0);
    long full = file_size(path);
    CHECK(truncate(path, full - 3) == 0); /* the last entry is cut mid-payload, as by a crash */

    CHECK(read_all(root, NULL, NULL, 0, NULL) == 4); /* readers stop before the partial entry */
    w = open_writer(root, NULL);                     /* the writer cuts it off ... */
    CHECK(file_size(path) == full - 20);
    CHECK_OK(auki_log_writer_append(w, 10, (const uint8_t *) "after", 5)); /* ... and goes on */
    auki_log_writer_free(w);
    int64_t ts[8];
    CHECK(read_all(root, ts, NULL, 8, NULL) == 5);
    CHECK(ts[3] == 3 && ts[4] == 10);

    /* A header cut short is an empty segment, not an error. */
    const char *short_root = temp_path("short-header");
    w = open_writer(short_root, NULL);
    auki_log_writer_free(w);
    char seg[600];
    segment_path(seg, sizeof seg, short_root, 0);
    write_bytes(seg, "AKLG\x01", 5);
    CHECK(read_all(short_root, NULL, NULL, 0, NULL) == 0);
    w = open_writer(short_root, NULL); /* the writer deletes it and starts afresh */
    CHECK_OK(auki_log_writer_append(w, 1, (const uint8_t *) "x", 1));
    auki_log_writer_free(w);
    CHECK(read_all(short_root, NULL, NULL, 0, NULL) == 1);
}

TEST(test_foreign_segment_is_a_corrupt_error) {
    const char *root = temp_path("foreign");
    auki_log_writer *w = open_writer(root, NULL);
    CHECK_OK(auki_log_writer_append(w, 1, (const uint8_t *) "x", 1));
    auki_log_writer_free(w);
    char seg[600];
    segment_path(seg, sizeof seg, root, 5 * SEC);
    write_bytes(seg, "this is not a segment file at all", 33);

    auki_log_reader *r = NULL;
    int has;
    int64_t ts;
    const uint8_t *data;
    size_t len;
    CHECK_OK(auki_log_reader_open(&r, root, NULL, NULL));
    CHECK_OK(auki_log_reader_next(r, &has, &ts, &data, &len)); /* the good segment first */
    CHECK(has == 1 && ts == 1);
    CHECK_ERR(auki_log_reader_next(r, &has, &ts, &data, &len), AUKI_ERR_CORRUPT, "has bad magic");
    CHECK(has == 0);
    auki_log_reader_free(r);
    char *text = NULL;
    CHECK_ERR(auki_log_info(root, &text), AUKI_ERR_CORRUPT, "format: segment");
    auki_log_writer *again = NULL;
    CHECK_ERR(auki_log_writer_open(&again, root, MANIFEST_1S, NULL), AUKI_ERR_CORRUPT, "has bad magic");
    CHECK(again == NULL);
    auki_log_tail *tail = NULL;
    CHECK_ERR(auki_log_tail_open(&tail, root, 0), AUKI_ERR_CORRUPT, "has bad magic");

    /* An unsupported version is refused the same way. */
    uint8_t v9[16] = {'A', 'K', 'L', 'G', 9, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    write_bytes(seg, v9, sizeof v9);
    CHECK_ERR(auki_log_info(root, &text), AUKI_ERR_CORRUPT, "unsupported version 9");

    /* Files that are not named like segments are not segments. */
    remove(seg);
    snprintf(seg, sizeof seg, "%s/segments/notes.txt", root);
    write_bytes(seg, "hello", 5);
    CHECK(read_all(root, NULL, NULL, 0, NULL) == 1);
}

TEST(test_integrity_mode_detects_damage) {
    const char *root = temp_path("integrity");
    auki_log_writer *w = open_writer(root, "{\"integrity\":true,\"fsync_interval_ns\":1000000,\"buffer_size\":0}");
    for (int i = 0; i < 3; i++) CHECK_OK(auki_log_writer_append(w, i, (const uint8_t *) "abcdefgh", 8));
    auki_log_writer_free(w);
    char seg[600];
    uint8_t bytes[256];
    segment_path(seg, sizeof seg, root, 0);
    long n = read_bytes(seg, bytes, sizeof bytes);
    CHECK(n == 16 + 3 * (16 + 8));
    CHECK(bytes[4] == 2); /* format version 2 */
    CHECK(read_all(root, NULL, NULL, 0, NULL) == 3);

    bytes[16 + 16 + 2] ^= 0x40; /* flip a bit in the first payload; complete entries follow */
    write_bytes(seg, bytes, (size_t) n);
    auki_log_reader *r = NULL;
    int has;
    int64_t ts;
    const uint8_t *data;
    size_t len;
    CHECK_OK(auki_log_reader_open(&r, root, NULL, NULL));
    CHECK_ERR(auki_log_reader_next(r, &has, &ts, &data, &len), AUKI_ERR_CORRUPT,
              "checksum mismatch in the entry at offset 16");
    auki_log_reader_free(r);
}

TEST(test_retention_evicts_by_data_time) {
    const char *root = temp_path("retention");
    auki_log_writer *w = NULL;
    CHECK_OK(auki_log_writer_open(&w, root, "{\"segment_duration_ns\":1000000000,\"retention_ns\":3000000000}", NULL));
    for (int i = 0; i < 10; i++) CHECK_OK(auki_log_writer_append(w, i * SEC + 100, (const uint8_t *) "x", 1));
    auki_log_writer_free(w);
    char *info = NULL;
    CHECK_OK(auki_log_info(root, &info));
    CHECK_CONTAINS(info, "\"segment_starts\":[6000000000,7000000000,8000000000,9000000000]");
    auki_string_free(info);

    CHECK_OK(auki_log_writer_open(&w, root, MANIFEST_1S, NULL)); /* the manifest on disk wins */
    CHECK_OK(auki_log_writer_set_retention(w, 0));
    char *manifest = NULL;
    CHECK_OK(auki_log_writer_manifest(w, &manifest));
    CHECK_STREQ(manifest, "{\"retention_ns\":0,\"segment_duration_ns\":1000000000}");
    auki_string_free(manifest);
    auki_log_writer_free(w);
}

/* ---- Session logs ----------------------------------------------------------------------------- */

#define FRAME_HASH "3055a8ac27eecd57aa37235b05871c01"
#define CAMERA_BODY                                                                                                    \
    "{\"kind\":\"camera\",\"type\":\"rgb\",\"width\":1920,\"height\":1200,"                                            \
    "\"frame_rate_hz\":30,\"pixel_format\":\"rgb8\",\"color_space\":\"srgb\","                                         \
    "\"intrinsics_model\":\"pinhole\",\"distortion_model\":\"brown_conrady\","                                         \
    "\"frame\":{\"peer_id\":\"galbot\",\"id\":\"head_left_camera_optical\",\"hash\":\"" FRAME_HASH "\"}}"

/* A sensor log with the given head JSON in a fresh era-C session under root. */
static auki_log *session_log(const char *root, const char *head, auki_peer **peer, auki_session **session) {
    char sensor[AUKI_HASH_BUFSIZE], frame[AUKI_HASH_BUFSIZE], spec[2048];
    auki_log *log = NULL;
    CHECK_OK(auki_peer_new(peer, "galbot", "galbot-ctrl"));
    CHECK_OK(auki_peer_set_storage_root(*peer, root));
    CHECK_OK(auki_peer_register_frame(*peer, "head_left_camera_optical", "ros_optical", frame));
    CHECK_OK(auki_peer_register_sensor(*peer, "head_left_rgb", CAMERA_BODY, sensor));
    CHECK_OK(auki_peer_start_session(*peer, session));
    char *info = NULL;
    CHECK_OK(auki_session_info(*session, &info));
    /* the session's monotonic clock ref, cut out of the info JSON */
    const char *clock = info ? strstr(info, "\"monotonic_clock\":") : NULL;
    char clock_ref[256] = "{}";
    if (clock) {
        clock += strlen("\"monotonic_clock\":");
        const char *end = strchr(clock, '}');
        snprintf(clock_ref, sizeof clock_ref, "%.*s}", (int) (end - clock), clock);
    }
    auki_string_free(info);
    snprintf(spec, sizeof spec,
             "{\"sensor\":{\"peer_id\":\"galbot\",\"id\":\"head_left_rgb\",\"hash\":\"%s\"},\"clock\":%s,"
             "\"head\":%s,\"segment_duration_ns\":1000000000,\"retention_ns\":0}",
             sensor, clock_ref, head);
    CHECK_OK(auki_session_register_log(*session, "sensor", spec, &log));
    return log;
}

TEST(test_session_log_appends_beside_its_manifest) {
    const char *root = temp_path("session");
    mkdir(root, 0700);
    auki_peer *peer = NULL;
    auki_session *session = NULL;
    auki_log *log = session_log(root, "{\"kind\":\"rolling\",\"retention_ns\":5000000000}", &peer, &session);
    char *dir = NULL, *text = NULL, path[1024];
    CHECK_OK(auki_log_root(log, &dir));

    /* Reading and tailing a log with no data yet: empty, not an error. */
    auki_log_reader *r = NULL;
    int has;
    int64_t ts;
    const uint8_t *data;
    size_t len;
    CHECK_OK(auki_log_open_reader(log, NULL, NULL, &r));
    CHECK_OK(auki_log_reader_next(r, &has, &ts, &data, &len));
    CHECK(has == 0);
    auki_log_reader_free(r);
    auki_log_tail *tail = NULL;
    CHECK_OK(auki_log_open_tail(log, 0, &tail));

    CHECK_OK(auki_log_append(log, 100, (const uint8_t *) "frame-0", 7));
    const int64_t many_ts[] = {200, 300};
    const uint64_t offsets[] = {0, 7, 14};
    CHECK_OK(auki_log_append_many(log, many_ts, 2, (const uint8_t *) "frame-1frame-2", 14, offsets));
    const int64_t fixed_ts[] = {400, 500};
    CHECK_OK(auki_log_append_many_fixed(log, fixed_ts, 2, (const uint8_t *) "frame-3frame-4", 7));
    CHECK_ERR(auki_log_append(log, 50, (const uint8_t *) "late", 4), AUKI_ERR_INVALID_ARGUMENT,
              "earlier than the last entry");
    CHECK_ERR(auki_log_configure(log, "{\"integrity\":true}"), AUKI_ERR_INVALID_ARGUMENT, "before the first append");
    CHECK_OK(auki_log_flush(log));

    snprintf(path, sizeof path, "%s/segments/00000000000000000000.seg", dir ? dir : "");
    CHECK(path_exists(path));
    snprintf(path, sizeof path, "%s/log_manifest.json", dir ? dir : "");
    CHECK(path_exists(path));

    CHECK_OK(auki_log_tail_next(tail, 1000, &has, &ts, &data, &len));
    CHECK(has == 1 && ts == 100 && len == 7 && memcmp(data, "frame-0", 7) == 0);
    auki_log_tail_free(tail);

    int64_t start = 200, end = 400;
    int n = 0;
    CHECK_OK(auki_log_open_reader(log, &start, &end, &r));
    while (auki_log_reader_next(r, &has, &ts, &data, &len) == AUKI_OK && has) {
        char expected[8];
        snprintf(expected, sizeof expected, "frame-%d", (int) (ts / 100 - 1));
        CHECK(len == 7 && memcmp(data, expected, 7) == 0);
        n++;
    }
    CHECK(n == 3);
    auki_log_reader_free(r);

    CHECK_OK(auki_session_catalog(session, &text));
    CHECK_CONTAINS(text, "\"available\":{\"bytes\":");
    CHECK_CONTAINS(text, "\"duration_ns\":400,\"entries\":5}");
    CHECK_CONTAINS(text, "\"state\":\"live\"");
    auki_string_free(text);

    /* A second handle to the same log shares its writer: no Busy, one order. */
    auki_log *again = NULL;
    CHECK_OK(auki_session_find_log(session, "head_left_rgb", &again));
    CHECK_OK(auki_log_append(again, 600, (const uint8_t *) "frame-5", 7));
    auki_log_free(again);

    /* A standalone writer on the same directory is a second writer. */
    auki_log_writer *w = NULL;
    CHECK_ERR(auki_log_writer_open(&w, dir, MANIFEST_1S, NULL), AUKI_ERR_BUSY, "locked by another writer");

    CHECK_OK(auki_log_close(log));
    CHECK_OK(auki_log_close(log)); /* idempotent */
    CHECK_ERR(auki_log_append(log, 700, (const uint8_t *) "x", 1), AUKI_ERR_CLOSED, "log has been closed");
    CHECK_ERR(auki_log_flush(log), AUKI_ERR_CLOSED, "log has been closed");
    snprintf(path, sizeof path, "%s/sealed.json", dir ? dir : "");
    CHECK(!path_exists(path));                           /* a rolling log is not sealed */
    CHECK_OK(auki_log_open_reader(log, NULL, NULL, &r)); /* the handle still reads */
    n = 0;
    while (auki_log_reader_next(r, &has, &ts, &data, &len) == AUKI_OK && has) n++;
    CHECK(n == 6);
    auki_log_reader_free(r);

    CHECK_ERR(auki_log_append(NULL, 1, NULL, 0), AUKI_ERR_INVALID_ARGUMENT, "auki_log handle must not be NULL");
    CHECK_ERR(auki_log_open_reader(log, NULL, NULL, NULL), AUKI_ERR_INVALID_ARGUMENT, "out must not be NULL");
    auki_string_free(dir);
    auki_log_free(log);
    CHECK_ERR(auki_log_flush(log), AUKI_ERR_INVALID_ARGUMENT, "auki_log handle was freed");
    auki_session_free(session);
    auki_peer_free(peer);
}

TEST(test_session_log_gathered_batch_is_all_or_nothing) {
    const char *root = temp_path("session-gather");
    mkdir(root, 0700);
    auki_peer *peer = NULL;
    auki_session *session = NULL;
    auki_log *log = session_log(root, "{\"kind\":\"rolling\",\"retention_ns\":0}", &peer, &session);
    static uint8_t big[2][200000];
    memset(big[0], 1, sizeof big[0]);
    memset(big[1], 2, sizeof big[1]);
    const uint8_t *payloads[] = {(const uint8_t *) "small", big[0], big[1]};
    const size_t lengths[] = {5, sizeof big[0], sizeof big[1]};
    const int64_t late[] = {100, 200, 150};
    CHECK_ERR(auki_log_append_gather(log, late, 3, payloads, lengths), AUKI_ERR_INVALID_ARGUMENT,
              "format: timestamp_ns 150 is earlier than the last entry (200) (entry 2 of the batch)");
    const int64_t ts[] = {100, 200, 200};
    CHECK_OK(auki_log_append_gather(log, ts, 3, payloads, lengths));
    CHECK_ERR(auki_log_append_gather(NULL, ts, 3, payloads, lengths), AUKI_ERR_INVALID_ARGUMENT,
              "auki_log handle must not be NULL");
    CHECK_OK(auki_log_close(log));
    CHECK_ERR(auki_log_append_gather(log, ts, 3, payloads, lengths), AUKI_ERR_CLOSED, "log has been closed");

    auki_log_reader *r = NULL;
    int has, n = 0, intact = 1;
    int64_t t;
    const uint8_t *data;
    size_t len;
    CHECK_OK(auki_log_open_reader(log, NULL, NULL, &r));
    while (auki_log_reader_next(r, &has, &t, &data, &len) == AUKI_OK && has) {
        if (n < 3 && (t != ts[n] || len != lengths[n] || memcmp(data, payloads[n], len) != 0)) intact = 0;
        n++;
    }
    CHECK(n == 3 && intact); /* nothing of the refused batch, every byte of the accepted one */
    auki_log_reader_free(r);
    auki_log_free(log);
    auki_session_free(session);
    auki_peer_free(peer);
}

TEST(test_closing_a_fixed_session_log_seals_it) {
    const char *root = temp_path("sealed");
    mkdir(root, 0700);
    auki_peer *peer = NULL;
    auki_session *session = NULL;
    auki_log *log = session_log(root, "{\"kind\":\"fixed\"}", &peer, &session);
    char *dir = NULL, *text = NULL, path[1024];
    CHECK_OK(auki_log_root(log, &dir));
    CHECK_ERR(auki_log_configure(log, "{\"buffer_size\":-1}"), AUKI_ERR_INVALID_ARGUMENT, "options: buffer_size");
    CHECK_OK(auki_log_configure(log, "{\"integrity\":true}"));
    CHECK_OK(auki_log_configure(log, NULL)); /* back to the defaults: still before the first append */
    CHECK_OK(auki_log_configure(log, "{\"integrity\":true}"));
    CHECK_OK(auki_log_append(log, 1000, (const uint8_t *) "a", 1));
    CHECK_OK(auki_log_append(log, 5000, (const uint8_t *) "b", 1));
    CHECK_OK(auki_log_close(log));

    snprintf(path, sizeof path, "%s/sealed.json", dir ? dir : "");
    char *sealed = NULL;
    FILE *f = fopen(path, "rb");
    CHECK(f != NULL);
    if (f) {
        char buf[128] = {0};
        size_t got = fread(buf, 1, sizeof buf - 1, f);
        (void) got;
        fclose(f);
        sealed = buf;
        CHECK_STREQ(sealed, "{\"finish_at_ns\":5000,\"start_at_ns\":1000}");
    }
    uint8_t header[16];
    snprintf(path, sizeof path, "%s/segments/00000000000000000000.seg", dir ? dir : "");
    CHECK(read_bytes(path, header, sizeof header) == 16 && header[4] == 2); /* integrity: format v2 */

    CHECK_OK(auki_session_catalog(session, &text));
    CHECK_CONTAINS(text, "\"state\":\"sealed\"");
    CHECK_CONTAINS(text, "\"extent\":{\"finish_at_ns\":5000,\"start_at_ns\":1000}");
    auki_string_free(text);
    auki_string_free(dir);
    auki_log_free(log);
    auki_session_free(session);
    auki_peer_free(peer);
}

/* ---- Failing disks, bad manifests, bad roots ------------------------------------------------- */

/* Mount a tmpfs of size_opt (e.g. "1m") on a fresh directory into dir; 0 with a printed reason when we cannot. */
static int mount_small_tmpfs(char *dir, size_t size, const char *size_opt) {
    if (geteuid() != 0) {
        printf("SKIP %s: mounting a small tmpfs needs root\n", g_test);
        return 0;
    }
    snprintf(dir, size, "%s/tmpfs-%s", g_tmp_base, g_test);
    mkdir(dir, 0700);
    char opts[64];
    snprintf(opts, sizeof opts, "size=%s", size_opt);
    if (mount("tmpfs", dir, "tmpfs", 0, opts) != 0) {
        printf("SKIP %s: mount -t tmpfs failed (%s)\n", g_test, strerror(errno));
        return 0;
    }
    return 1;
}

/* Fill the file system holding path until a write fails; returns the number of bytes written. */
static long fill_disk(const char *path) {
    static uint8_t block[4096];
    FILE *f = fopen(path, "wb");
    if (!f) return -1;
    setvbuf(f, NULL, _IONBF, 0);
    long total = 0;
    while (fwrite(block, 1, sizeof block, f) == sizeof block) total += (long) sizeof block;
    while (fwrite(block, 1, 1, f) == 1) total++;
    fclose(f);
    return total;
}

TEST(test_an_append_that_failed_with_enospc_leaves_nothing_and_later_appends_are_kept) {
    char dir[600], root[700], filler[700];
    if (!mount_small_tmpfs(dir, sizeof dir, "1m")) return;
    snprintf(root, sizeof root, "%s/log", dir);
    snprintf(filler, sizeof filler, "%s/filler", dir);

    auki_log_writer *w = open_writer(root, NULL);
    CHECK_OK(auki_log_writer_append(w, 1, (const uint8_t *) "seven b", 7));
    CHECK_OK(auki_log_writer_flush(w));
    CHECK(fill_disk(filler) > 0);
    static uint8_t big[300000];
    memset(big, 0xAB, sizeof big);
    /* Larger than the writer copies (a quarter of its 1 MiB buffer): straight from the caller's memory to the file. */
    CHECK_ERR(auki_log_writer_append(w, 2, big, sizeof big), AUKI_ERR_IO, "io: ");
    remove(filler);
    for (int i = 0; i < 62; i++) {
        int64_t payload = 100 + i;
        CHECK_OK(auki_log_writer_append(w, 3 + i, (const uint8_t *) &payload, sizeof payload));
        if (i % 10 == 9) CHECK_OK(auki_log_writer_flush(w));
    }
    CHECK_OK(auki_log_writer_close(w));
    auki_log_writer_free(w);

    int64_t ts[80];
    size_t lens[80];
    int n = read_all(root, ts, lens, 80, NULL);
    CHECK(n == 63);
    CHECK(ts[0] == 1 && lens[0] == 7);
    int in_order = 1;
    for (int i = 1; i < n && i < 80; i++)
        if (ts[i] != 2 + i || lens[i] != 8) in_order = 0;
    CHECK(in_order); /* no ts=2 with a payload that was never written, and every later entry */
    umount2(dir, MNT_DETACH);
}

/* A batch of large entries goes to the file in one vectored write; when the disk fills part-way the
 * whole entries that got there are appended (the message says how many), the cut-short one is gone. */
TEST(test_a_large_batch_that_hit_enospc_keeps_exactly_the_entries_it_reports) {
    char dir[600], root[700], filler[700];
    if (!mount_small_tmpfs(dir, sizeof dir, "2m")) return;
    snprintf(root, sizeof root, "%s/log", dir);
    snprintf(filler, sizeof filler, "%s/filler", dir);

    auki_log_writer *w = open_writer(root, NULL);
    CHECK_OK(auki_log_writer_append(w, 1, (const uint8_t *) "seven b", 7));
    CHECK_OK(auki_log_writer_flush(w));
    long room = fill_disk(filler);
    CHECK(room > 0);
    /* Leave about 200 KB: three whole 64 KiB entries and part of a fourth. */
    remove(filler);
    FILE *f = fopen(filler, "wb");
    static uint8_t block[4096];
    for (long left = room - 200 * 1024; f && left > 0; left -= (long) sizeof block)
        fwrite(block, 1, left < (long) sizeof block ? (size_t) left : sizeof block, f);
    if (f) fclose(f);

    enum { N = 10, SIZE = 65536 };
    static uint8_t data[N * SIZE];
    int64_t ts[N];
    for (int i = 0; i < N; i++) {
        ts[i] = 2 + i;
        memset(data + (size_t) i * SIZE, 0x40 + i, SIZE);
    }
    CHECK_ERR(auki_log_writer_append_many_fixed(w, ts, N, data, SIZE), AUKI_ERR_IO,
              "entries of the batch were appended");
    const char *first = strstr(auki_last_error_message(), "the first ");
    int kept = first ? atoi(first + strlen("the first ")) : -1;
    CHECK(kept > 0 && kept < N);
    remove(filler);
    CHECK_OK(auki_log_writer_append(w, 100, (const uint8_t *) "after", 5));
    CHECK_OK(auki_log_writer_close(w));
    auki_log_writer_free(w);

    int64_t got[N + 2];
    size_t lens[N + 2];
    int n = read_all(root, got, lens, N + 2, NULL);
    CHECK(n == kept + 2);
    int exact = n == kept + 2 && got[0] == 1 && got[n - 1] == 100 && lens[n - 1] == 5;
    for (int i = 1; exact && i <= kept; i++) exact = got[i] == 1 + i && lens[i] == SIZE;
    CHECK(exact);
    umount2(dir, MNT_DETACH);
}

TEST(test_writer_open_with_a_bad_manifest_leaves_nothing_on_disk) {
    const char *root = temp_path("bad-manifest/log");
    auki_log_writer *w = NULL;
    CHECK_ERR(auki_log_writer_open(&w, root, "{\"segment_duration_ns\":0,\"retention_ns\":0}", NULL),
              AUKI_ERR_INVALID_ARGUMENT, "segment_duration_ns must be > 0");
    CHECK_ERR(auki_log_writer_open(&w, root, "{\"retention_ns\":0}", NULL), AUKI_ERR_INVALID_ARGUMENT,
              "manifest missing or non-integer segment_duration_ns");
    CHECK(w == NULL);
    CHECK(!path_exists(root));
    CHECK(!path_exists(temp_path("bad-manifest")));
}

TEST(test_tail_open_on_a_regular_file_is_an_error) {
    const char *root = temp_path("a-file");
    write_bytes(root, "not a log", 9);
    auki_log_tail *tail = NULL;
    CHECK_ERR(auki_log_tail_open(&tail, root, 0), AUKI_ERR_IO, "not a directory");
    CHECK(tail == NULL);
}

/* ---- Main ------------------------------------------------------------------------------------ */

int main(void) {
    fixtures_begin("test_logs");
    run_all_tests();
    return fixtures_end();
}
