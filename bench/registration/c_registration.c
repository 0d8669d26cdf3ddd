/*
 * c_registration.c — per-call cost of the C ABI, each figure beside a plain-C baseline from the
 * same run. Not a test: no thresholds, numbers depend on the machine and its disk.
 *
 *   dotnet publish native/Auki.Native.csproj -c Release -r linux-x64 -o build/native
 *   gcc -std=c11 -O2 -Inative/include bench/registration/c_registration.c -o /tmp/c_registration \
 *       -Lbuild/native -lauki -Wl,-rpath,$PWD/build/native
 *   /tmp/c_registration [registrations=10000] [getter_calls=1000000] [dir=/tmp]
 *
 * Figures:
 *   - register_frame, distinct ids: validation, hashing, one atomic write (temp, fsync, rename,
 *     directory fsync) per call; baseline: the same file operations done directly in C.
 *   - register_frame, distinct ids, in batches (auki_peer_batch_begin/commit, ABI 2.3): the same files
 *     renamed into place unsynced, one syncfs per batch; best of 3, interleaved with its baseline: the
 *     same file operations in C without fsync and one syncfs(2) per batch.
 *   - the rig (c_registration rig DIR 0|1): a frame, 100 sensors, a session and 100 sensor logs, one by
 *     one or in one batch, after an untimed warm-up rig, beside the same dirs + files made in C; run.sh
 *     counts the fsyncs of `c_registration rig DIR 0|1 count` (the rig alone) with strace -c.
 *   - register_frame, identical: the idempotent path (hash, then the file already exists);
 *     baseline: stat() of that file in C.
 *   - auki_log_resource_id + auki_string_free: a cheap getter; baseline: strdup + free in C.
 *   - auki_abi_version: the bare call into the library (no arguments, no handle).
 */
#define _GNU_SOURCE /* syncfs */
#include <auki.h>

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static double now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double) ts.tv_sec * 1e9 + (double) ts.tv_nsec;
}

static void report(const char *what, double total_ns, long n, const char *baseline, double base_ns, long base_n) {
    printf("%-44s %10.0f ns/call   | baseline %-28s %10.0f ns/call\n", what, total_ns / (double) n, baseline,
           base_ns / (double) base_n);
}

static void die(const char *what) {
    fprintf(stderr, "c_registration: %s failed: %s\n", what, auki_last_error_message());
    exit(1);
}

static int remove_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw) {
    (void) sb;
    (void) flag;
    (void) ftw;
    return remove(path);
}

/* A temp file written (and fsynced when asked), then renamed over path: the core of both baselines. */
static void write_and_rename(const char *tmp, const char *path, const char *bytes, size_t len, int sync) {
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0 || write(fd, bytes, len) != (ssize_t) len || (sync && fsync(fd) != 0)) {
        perror("baseline write");
        exit(1);
    }
    close(fd);
    if (rename(tmp, path) != 0) {
        perror("baseline rename");
        exit(1);
    }
}

/* The registry's write path done directly: mkdir -p, temp file, fsync, rename, fsync directory. */
static void c_atomic_write(const char *root, long i, const char *bytes, size_t len) {
    char dir[512], tmp[600], path[600];
    snprintf(dir, sizeof dir, "%s/registries", root);
    mkdir(dir, 0755);
    snprintf(dir, sizeof dir, "%s/registries/frames", root);
    mkdir(dir, 0755);
    snprintf(dir, sizeof dir, "%s/registries/frames/galbot", root);
    mkdir(dir, 0755);
    snprintf(dir, sizeof dir, "%s/registries/frames/galbot/frame_%ld", root, i);
    mkdir(dir, 0755);
    snprintf(tmp, sizeof tmp, "%s/.x.json.tmp", dir);
    snprintf(path, sizeof path, "%s/3055a8ac27eecd57aa37235b05871c01.json", dir);
    write_and_rename(tmp, path, bytes, len, 1);
    int dfd = open(dir, O_RDONLY);
    if (dfd >= 0) {
        fsync(dfd);
        close(dfd);
    }
}

/* The baseline of a batch: the same write path without fsync, durable by one syncfs at the end. The
 * entry directories share one parent, as the registry's do (registries/frames/<peer>/<id>/), so both
 * pay the same file system for the same shape of tree. */
static void c_write_unsynced(const char *root, const char *id, const char *bytes, size_t len) {
    char dir[512], tmp[600], path[600];
    snprintf(dir, sizeof dir, "%s/registries", root);
    mkdir(dir, 0755);
    snprintf(dir, sizeof dir, "%s/registries/frames", root);
    mkdir(dir, 0755);
    snprintf(dir, sizeof dir, "%s/registries/frames/galbot", root);
    mkdir(dir, 0755);
    snprintf(dir, sizeof dir, "%s/registries/frames/galbot/%s", root, id);
    mkdir(dir, 0755);
    snprintf(tmp, sizeof tmp, "%s/.x.json.tmp", dir);
    snprintf(path, sizeof path, "%s/3055a8ac27eecd57aa37235b05871c01.json", dir);
    write_and_rename(tmp, path, bytes, len, 0);
}

static void c_syncfs(const char *root) {
    int fd = open(root, O_RDONLY | O_DIRECTORY);
    if (fd < 0 || syncfs(fd) != 0) {
        perror("baseline syncfs");
        exit(1);
    }
    close(fd);
}

/* A frame, 100 sensors, a session (2 auto clocks) and 100 sensor logs; in one batch when batched. */
static int rig(const char *root, int batched, int quiet) {
    auki_peer *peer;
    auki_session *session;
    char frame[AUKI_HASH_BUFSIZE], sensor[100][AUKI_HASH_BUFSIZE], clock[AUKI_HASH_BUFSIZE], id[64], body[512],
        spec[4096];
    if (auki_peer_new(&peer, "galbot", "bench") || auki_peer_set_storage_root(peer, root)) die("rig peer");
    double t0 = now_ns();
    if (batched && auki_peer_batch_begin(peer)) die("auki_peer_batch_begin");
    if (auki_peer_register_frame(peer, "optical", "ros_optical", frame)) die("rig frame");
    for (int i = 0; i < 100; i++) {
        snprintf(id, sizeof id, "sensor_%d", i);
        snprintf(body, sizeof body,
                 "{\"kind\":\"scalar\",\"type\":\"temperature\",\"unit\":\"C\",\"expected_rate_hz\":10}");
        if (auki_peer_register_sensor(peer, id, body, sensor[i])) die("rig sensor");
    }
    if (auki_peer_start_session(peer, &session)) die("rig session");
    if (auki_session_register_clock(session, "clk",
                                    "{\"type\":\"monotonic_clock\",\"unit\":\"ns\",\"monotonic\":true,\"scope\":"
                                    "\"device-local\"}",
                                    clock))
        die("rig clock");
    for (int i = 0; i < 100; i++) {
        auki_log *log;
        snprintf(spec, sizeof spec,
                 "{\"sensor\":{\"peer_id\":\"galbot\",\"id\":\"sensor_%d\",\"hash\":\"%s\"},"
                 "\"clock\":{\"peer_id\":\"galbot\",\"id\":\"clk\",\"hash\":\"%s\"},"
                 "\"head\":{\"kind\":\"fixed\"},\"segment_duration_ns\":1000000000,\"retention_ns\":0}",
                 i, sensor[i], clock);
        if (auki_session_register_log(session, "sensor", spec, &log)) die("rig log");
        auki_log_free(log);
    }
    double t_commit = now_ns();
    if (batched && auki_peer_batch_commit(peer)) die("auki_peer_batch_commit");
    double total = now_ns() - t0, commit = now_ns() - t_commit;
    if (quiet) {
        auki_session_free(session);
        auki_peer_free(peer);
        return 0;
    }
    printf("rig %-10s: 204 registrations (frame, 100 sensors, 3 clocks, 100 logs) %7.1f ms = %5.0f us each",
           batched ? "batched" : "one by one", total / 1e6, total / 1e3 / 204);
    if (batched) printf(" (the commit's syncfs %.1f ms)", commit / 1e6);
    printf("\n");
    if (batched) {
        /* Baseline: the same 204 directories and files made directly in C (mkdir + write + rename, no
           fsync), then one syncfs: what the file system alone charges for the rig. */
        char c_root[600];
        snprintf(c_root, sizeof c_root, "%s/plain", root);
        mkdir(c_root, 0755);
        double t1 = now_ns();
        for (long i = 0; i < 204; i++) {
            snprintf(id, sizeof id, "rig_%ld", i);
            c_write_unsynced(c_root, id, body, strlen(body));
        }
        c_syncfs(c_root);
        double plain = now_ns() - t1;
        printf("rig baseline  : the same 204 dirs + files in C, 1 syncfs                   %7.1f ms = %5.0f us each "
               "(ours / baseline: %.2fx)\n",
               plain / 1e6, plain / 1e3 / 204, total / plain);
    }
    auki_session_free(session);
    auki_peer_free(peer);
    return 0;
}

int main(int argc, char **argv) {
    if (argc == 5 && strcmp(argv[1], "rig") == 0 && strcmp(argv[4], "count") == 0)
        return rig(argv[2], atoi(argv[3]), 1); /* for strace: the rig alone, no warm-up, no baseline */
    if (argc == 4 && strcmp(argv[1], "rig") == 0) {
        /* A first, untimed rig in its own root: the library's code paths are paged in and initialized
           once per process, which would otherwise be charged to 204 calls. */
        char warm[600], timed[600];
        snprintf(warm, sizeof warm, "%s/warm", argv[2]);
        snprintf(timed, sizeof timed, "%s/timed", argv[2]);
        mkdir(warm, 0755);
        mkdir(timed, 0755);
        rig(warm, atoi(argv[3]), 1);
        return rig(timed, atoi(argv[3]), 0);
    }
    long n = argc > 1 ? atol(argv[1]) : 10000;
    long getter_calls = argc > 2 ? atol(argv[2]) : 1000000;
    const char *base = argc > 3 ? argv[3] : "/tmp";
    char root[256], c_root[300], id[64], hash[AUKI_HASH_BUFSIZE];
    snprintf(root, sizeof root, "%s/auki-bench-XXXXXX", base);
    if (mkdtemp(root) == NULL) {
        perror("mkdtemp");
        return 1;
    }
    snprintf(c_root, sizeof c_root, "%s/c", root);
    mkdir(c_root, 0755);
    printf("libauki %s, %ld registrations, %ld getter calls, storage under %s\n", auki_version(), n, getter_calls,
           root);

    auki_peer *peer;
    if (auki_peer_new(&peer, "galbot", "bench") != AUKI_OK) die("auki_peer_new");
    if (auki_peer_set_storage_root(peer, root) != AUKI_OK) die("auki_peer_set_storage_root");
    if (auki_peer_register_frame(peer, "warmup", "ros_optical", hash) != AUKI_OK) die("warmup");

    /* Distinct ids: every call writes a new registry file. */
    double t0 = now_ns();
    for (long i = 0; i < n; i++) {
        snprintf(id, sizeof id, "frame_%ld", i);
        if (auki_peer_register_frame(peer, id, "ros_optical", hash) != AUKI_OK) die("auki_peer_register_frame");
    }
    double distinct = now_ns() - t0;
    const char *entry = "{\"axes\":{\"x\":\"right\",\"y\":\"down\",\"z\":\"forward\"},\"frame_id\":\"frame_0\","
                        "\"handedness\":\"right\",\"peer_id\":\"galbot\",\"units\":\"meters\"}";
    t0 = now_ns();
    for (long i = 0; i < n; i++) c_atomic_write(c_root, i, entry, strlen(entry));
    double c_distinct = now_ns() - t0;
    report("auki_peer_register_frame (distinct ids)", distinct, n, "C mkdir+write+fsync+rename", c_distinct, n);

    /* Batches of distinct ids: one syncfs per batch. Interleaved with the baseline, best of 3. */
    const long batch_sizes[] = {10, 100, 1000};
    for (size_t b = 0; b < sizeof batch_sizes / sizeof batch_sizes[0]; b++) {
        long size = batch_sizes[b], batches = n / size > 0 ? n / size : 1, count = batches * size;
        double best = 1e300, best_c = 1e300;
        for (int rep = 0; rep < 3; rep++) {
            t0 = now_ns();
            for (long k = 0; k < batches; k++) {
                if (auki_peer_batch_begin(peer) != AUKI_OK) die("auki_peer_batch_begin");
                for (long i = 0; i < size; i++) {
                    snprintf(id, sizeof id, "b%ld_r%d_%ld", size, rep, k * size + i);
                    if (auki_peer_register_frame(peer, id, "ros_optical", hash) != AUKI_OK)
                        die("auki_peer_register_frame");
                }
                if (auki_peer_batch_commit(peer) != AUKI_OK) die("auki_peer_batch_commit");
            }
            double ours = now_ns() - t0;
            t0 = now_ns();
            for (long k = 0; k < batches; k++) {
                for (long i = 0; i < size; i++) {
                    snprintf(id, sizeof id, "b%ld_r%d_%ld", size, rep, k * size + i);
                    c_write_unsynced(c_root, id, entry, strlen(entry));
                }
                c_syncfs(c_root);
            }
            double theirs = now_ns() - t0;
            if (ours < best) best = ours;
            if (theirs < best_c) best_c = theirs;
        }
        char what[64];
        snprintf(what, sizeof what, "... in batches of %ld (commit included)", size);
        report(what, best, count, "C mkdir+write+rename, 1 syncfs", best_c, count);
    }

    /* Identical re-registration: the idempotent path. */
    t0 = now_ns();
    for (long i = 0; i < n; i++)
        if (auki_peer_register_frame(peer, "frame_0", "ros_optical", hash) != AUKI_OK) die("auki_peer_register_frame");
    double identical = now_ns() - t0;
    char existing[1200];
    snprintf(existing, sizeof existing, "%s/registries/frames/galbot/frame_0/%s.json", root, hash);
    struct stat st;
    t0 = now_ns();
    for (long i = 0; i < n; i++)
        if (stat(existing, &st) != 0) {
            perror("stat");
            return 1;
        }
    double c_stat = now_ns() - t0;
    report("auki_peer_register_frame (identical)", identical, n, "C stat() of the entry", c_stat, n);

    /* A cheap getter: handle lookup + UTF-8 copy out + free. */
    auki_session *session;
    auki_log *log;
    char clock[AUKI_HASH_BUFSIZE], sensor[AUKI_HASH_BUFSIZE], body[1024], spec[1024];
    snprintf(
        body, sizeof body,
        "{\"kind\":\"camera\",\"type\":\"rgb\",\"width\":1920,\"height\":1200,\"frame_rate_hz\":30,"
        "\"pixel_format\":\"rgb8\",\"color_space\":\"srgb\",\"intrinsics_model\":\"pinhole\","
        "\"distortion_model\":\"brown_conrady\",\"frame\":{\"peer_id\":\"galbot\",\"id\":\"frame_0\",\"hash\":\"%s\"}}",
        hash);
    if (auki_peer_register_sensor(peer, "head_left_rgb", body, sensor) != AUKI_OK) die("auki_peer_register_sensor");
    if (auki_peer_start_session(peer, &session) != AUKI_OK) die("auki_peer_start_session");
    if (auki_session_register_clock(
            session, "sdk_clock",
            "{\"type\":\"monotonic_clock\",\"unit\":\"ns\",\"monotonic\":true,\"scope\":\"device-local\"}",
            clock) != AUKI_OK)
        die("auki_session_register_clock");
    snprintf(spec, sizeof spec,
             "{\"sensor\":{\"peer_id\":\"galbot\",\"id\":\"head_left_rgb\",\"hash\":\"%s\"},"
             "\"clock\":{\"peer_id\":\"galbot\",\"id\":\"sdk_clock\",\"hash\":\"%s\"},"
             "\"head\":{\"kind\":\"fixed\"},\"segment_duration_ns\":1000000000,\"retention_ns\":0}",
             sensor, clock);
    if (auki_session_register_log(session, "sensor", spec, &log) != AUKI_OK) die("auki_session_register_log");

    char *text;
    t0 = now_ns();
    for (long i = 0; i < getter_calls; i++) {
        if (auki_log_resource_id(log, &text) != AUKI_OK) die("auki_log_resource_id");
        auki_string_free(text);
    }
    double getter = now_ns() - t0;
    volatile size_t sink = 0;
    t0 = now_ns();
    for (long i = 0; i < getter_calls; i++) {
        char *copy = strdup("head_left_rgb");
        sink += (size_t) copy[0];
        free(copy);
    }
    double c_strdup = now_ns() - t0;
    report("auki_log_resource_id + auki_string_free", getter, getter_calls, "C strdup + free", c_strdup, getter_calls);

    volatile uint32_t v = 0;
    t0 = now_ns();
    for (long i = 0; i < getter_calls; i++) v += auki_abi_version();
    double version = now_ns() - t0;
    t0 = now_ns();
    for (long i = 0; i < getter_calls; i++) v += (uint32_t) i;
    double empty = now_ns() - t0;
    report("auki_abi_version", version, getter_calls, "empty C loop", empty, getter_calls);

    auki_log_free(log);
    auki_session_free(session);
    auki_peer_free(peer);
    nftw(root, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
    return 0;
}
