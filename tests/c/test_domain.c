/*
 * test_domain.c — the "Domains" section of auki.h, checked from C.
 *
 * Starts Debian's mosquitto (/usr/sbin/mosquitto) on a free 127.0.0.1 port with a throwaway
 * config and stops it at exit. Several peers live in this one process, each with its own session
 * and membership: join and leave, catalog fetches and watches, a stream and a materialization
 * between two sessions, a copy served by its materializer once the owner is gone, an unreachable
 * broker (refused, or silent until the timeout) that writes nothing, and bad input of every kind —
 * NULL or wrong-type handles, NULL strings, invalid JSON, invalid log refs, calls after leave —
 * which must be a status with a message, never a crash. Run through tests/c/run.sh.
 */
#define _GNU_SOURCE
#include "fixtures.h"

#include <arpa/inet.h>
#include <errno.h>
#include <ftw.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MOSQUITTO "/usr/sbin/mosquitto"
#define WAIT_MS   10000 /* the longest any single wait may take before a check fails */
#define CAMERA    "{\"source_peer_id\":\"galbot\",\"resource_id\":\"head_left_rgb\"}"

static char g_broker_url[64];
static pid_t g_broker_pid;

/* ---- The broker ------------------------------------------------------------------------------- */

/* A TCP port on 127.0.0.1 nothing listens on right now. */
static int free_port(void) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t n = sizeof a;
    if (fd < 0 || bind(fd, (struct sockaddr *) &a, sizeof a) != 0 || getsockname(fd, (struct sockaddr *) &a, &n) != 0) {
        perror("test_domain: free port");
        exit(2);
    }
    close(fd);
    return ntohs(a.sin_port);
}

static int can_connect(int port) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {
        .sin_family = AF_INET, .sin_port = htons((uint16_t) port), .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    int ok = fd >= 0 && connect(fd, (struct sockaddr *) &a, sizeof a) == 0;
    if (fd >= 0) close(fd);
    return ok;
}

static void sleep_ms(long ms) {
    struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&t, NULL);
}

static long long now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long) t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static void broker_stop(void) {
    if (g_broker_pid > 0) {
        kill(g_broker_pid, SIGKILL);
        waitpid(g_broker_pid, NULL, 0);
        g_broker_pid = 0;
    }
}

/* mosquitto on a free loopback port, no persistence, Nagle off (as the other domain tests run it). */
static void broker_start(void) {
    if (access(MOSQUITTO, X_OK) != 0) {
        fprintf(stderr, "test_domain: %s not found: install Debian's mosquitto (./build.sh test does)\n", MOSQUITTO);
        exit(2);
    }
    int port = free_port();
    char config[600];
    snprintf(config, sizeof config, "%s/mosquitto.conf", g_tmp_base);
    FILE *f = fopen(config, "w");
    if (f == NULL) {
        perror(config);
        exit(2);
    }
    fprintf(f, "listener %d 127.0.0.1\nallow_anonymous true\npersistence false\nlog_dest none\nset_tcp_nodelay true\n",
            port);
    fclose(f);
    pid_t pid = fork();
    if (pid < 0) {
        perror("fork");
        exit(2);
    }
    if (pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL); /* never outlive this program, even if it crashes */
        freopen("/dev/null", "w", stdout);
        execl(MOSQUITTO, "mosquitto", "-c", config, (char *) NULL);
        _exit(127);
    }
    g_broker_pid = pid;
    atexit(broker_stop);
    for (long long deadline = now_ms() + 10000; !can_connect(port); sleep_ms(20)) {
        if (waitpid(pid, NULL, WNOHANG) == pid || now_ms() > deadline) {
            g_broker_pid = 0;
            fprintf(stderr, "test_domain: mosquitto did not start listening on 127.0.0.1:%d\n", port);
            exit(2);
        }
    }
    snprintf(g_broker_url, sizeof g_broker_url, "mqtt://127.0.0.1:%d", port);
}

/* ---- Fixtures -------------------------------------------------------------------------------- */

/* A domain config for the broker (extra: more JSON members, "" for none). */
static const char *config(const char *extra) {
    static char buf[512];
    snprintf(buf, sizeof buf, "{\"domain_id\":\"lab\",\"broker\":\"%s\",\"catalog_interval_ms\":50%s}", g_broker_url,
             extra);
    return buf;
}

/* A peer, its session and (if joined) its membership. */
typedef struct {
    auki_peer *peer;
    auki_session *session;
    auki_domain *domain;
    auki_log *log; /* the owner's camera log, else NULL */
} member;

static member start_member(const char *peer_id, const char *root) {
    member m = {0};
    CHECK_OK(auki_peer_new(&m.peer, peer_id, "app"));
    CHECK_OK(auki_peer_set_storage_root(m.peer, root));
    CHECK_OK(auki_peer_start_session(m.peer, &m.session));
    return m;
}

/* The owner "galbot": a camera sensor log head_left_rgb whose entries are handed to the OS at once. */
static member start_owner(const char *root) {
    char frame[AUKI_HASH_BUFSIZE], sensor[AUKI_HASH_BUFSIZE], body[1024], spec[2048];
    member m = {0};
    CHECK_OK(auki_peer_new(&m.peer, "galbot", "galbot-ctrl"));
    CHECK_OK(auki_peer_set_storage_root(m.peer, root));
    CHECK_OK(auki_peer_register_frame(m.peer, "head_left_camera_optical", "ros_optical", frame));
    snprintf(body, sizeof body,
             "{\"kind\":\"camera\",\"type\":\"rgb\",\"width\":1920,\"height\":1200,\"frame_rate_hz\":30,"
             "\"pixel_format\":\"rgb8\",\"color_space\":\"srgb\",\"intrinsics_model\":\"pinhole\","
             "\"distortion_model\":\"brown_conrady\","
             "\"frame\":{\"peer_id\":\"galbot\",\"id\":\"head_left_camera_optical\",\"hash\":\"%s\"}}",
             frame);
    CHECK_OK(auki_peer_register_sensor(m.peer, "head_left_rgb", body, sensor));
    CHECK_OK(auki_peer_start_session(m.peer, &m.session));
    char *info = NULL;
    CHECK_OK(auki_session_info(m.session, &info));
    const char *clock = info ? strstr(info, "\"monotonic_clock\":") : NULL;
    char clock_ref[256] = "{}";
    if (clock) {
        clock += strlen("\"monotonic_clock\":");
        snprintf(clock_ref, sizeof clock_ref, "%.*s}", (int) (strchr(clock, '}') - clock), clock);
    }
    auki_string_free(info);
    snprintf(spec, sizeof spec,
             "{\"sensor\":{\"peer_id\":\"galbot\",\"id\":\"head_left_rgb\",\"hash\":\"%s\"},\"clock\":%s,"
             "\"head\":{\"kind\":\"rolling\",\"retention_ns\":60000000000},\"segment_duration_ns\":1000000000,"
             "\"retention_ns\":0}",
             sensor, clock_ref);
    CHECK_OK(auki_session_register_log(m.session, "sensor", spec, &m.log));
    CHECK_OK(auki_log_configure(m.log, "{\"buffer_size\":0}"));
    return m;
}

static void join(member *m) {
    CHECK_OK(auki_domain_join(m->session, config(""), &m->domain));
}

static void end_member(member *m) {
    if (m->domain) CHECK_OK(auki_domain_leave(m->domain));
    auki_domain_free(m->domain);
    auki_log_free(m->log);
    auki_session_free(m->session);
    auki_peer_free(m->peer);
    memset(m, 0, sizeof *m);
}

/* Entry i's payload: 16 bytes, byte k = (i * 31 + k * 7) & 0xFF. */
static void payload(int i, uint8_t out[16]) {
    for (int k = 0; k < 16; k++) out[k] = (uint8_t) ((i * 31 + k * 7) & 0xFF);
}

/* Append entries [from, to) with timestamp 1000 * i. */
static void append(auki_log *log, int from, int to) {
    uint8_t p[16];
    for (int i = from; i < to; i++) {
        payload(i, p);
        CHECK_OK(auki_log_append(log, 1000LL * i, p, sizeof p));
    }
}

/* The JSON of a call returning char ** (NULL on error); the caller frees. */
static char *catalog_of(auki_domain *domain, const char *peer_id) {
    char *out = NULL;
    CHECK_OK(auki_domain_fetch_resources_catalog(domain, peer_id, &out));
    return out;
}

/* Wait up to WAIT_MS until peer's catalog as seen by domain contains needle. */
static int wait_catalog(auki_domain *domain, const char *peer_id, const char *needle) {
    for (long long deadline = now_ms() + WAIT_MS; now_ms() < deadline; sleep_ms(20)) {
        char *rows = NULL;
        int found =
            auki_domain_fetch_resources_catalog(domain, peer_id, &rows) == AUKI_OK && strstr(rows, needle) != NULL;
        auki_string_free(rows);
        if (found) return 1;
    }
    return 0;
}

/* How many entries the log at root holds (read through libauki). */
static int count_entries(auki_log *log) {
    auki_log_reader *r = NULL;
    int n = 0, has = 1;
    int64_t ts;
    const uint8_t *data;
    size_t len;
    if (auki_log_open_reader(log, NULL, NULL, &r) != AUKI_OK) return -1;
    while (auki_log_reader_next(r, &has, &ts, &data, &len) == AUKI_OK && has) n++;
    auki_log_reader_free(r);
    return n;
}

static int wait_entries(auki_log *log, int n) {
    for (long long deadline = now_ms() + WAIT_MS; now_ms() < deadline; sleep_ms(20))
        if (count_entries(log) >= n) return count_entries(log) == n;
    return 0;
}

/* Entries [from, to) of the log, byte for byte, in order. */
static int log_holds(auki_log *log, int from, int to) {
    auki_log_reader *r = NULL;
    int has, i = from, ok = 1;
    int64_t ts;
    const uint8_t *data;
    size_t len;
    uint8_t want[16];
    if (auki_log_open_reader(log, NULL, NULL, &r) != AUKI_OK) return 0;
    while (auki_log_reader_next(r, &has, &ts, &data, &len) == AUKI_OK && has) {
        payload(i, want);
        if (i >= to || ts != 1000LL * i || len != 16 || memcmp(data, want, 16) != 0) ok = 0;
        i++;
    }
    auki_log_reader_free(r);
    return ok && i == to;
}

/* Every path under root, one per line, for "nothing was written" checks. */
static char g_listing[8192];
static int list_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw) {
    (void) sb;
    (void) flag;
    (void) ftw;
    strncat(g_listing, path, sizeof g_listing - strlen(g_listing) - 2);
    strcat(g_listing, "\n");
    return 0;
}

static void list_tree(const char *root, char *out, size_t size) {
    g_listing[0] = '\0';
    nftw(root, list_entry, 16, FTW_PHYS);
    snprintf(out, size, "%s", g_listing);
}

/* ---- Joining and leaving ---------------------------------------------------------------------- */

TEST(test_join_lists_members_and_leave_ends_the_membership) {
    member a = start_owner(temp_root("join-galbot"));
    member b = start_member("park", temp_root("join-park"));
    join(&a);
    join(&b);
    char *out = NULL;
    CHECK_OK(auki_domain_peers(a.domain, &out));
    CHECK_STREQ(out, "[\"galbot\",\"park\"]");
    auki_string_free(out);
    CHECK_OK(auki_domain_info(b.domain, &out));
    CHECK_CONTAINS(out, "\"domain_id\":\"lab\"");
    CHECK_CONTAINS(out, "\"peer_id\":\"park\"");
    CHECK_CONTAINS(out, "\"left\":false");
    CHECK_CONTAINS(out, g_broker_url);
    auki_string_free(out);

    /* A second handle names the same membership; freeing a handle does not leave. */
    auki_domain *again = NULL;
    CHECK_OK(auki_session_domain(b.session, &again));
    auki_domain_free(again);
    CHECK_OK(auki_domain_peers(b.domain, &out));
    CHECK_STREQ(out, "[\"galbot\",\"park\"]");
    auki_string_free(out);
    CHECK_ERR(auki_domain_join(b.session, config(""), &again), AUKI_ERR_INVALID_ARGUMENT,
              "already joined domain \"lab\"");
    CHECK(again == NULL);

    CHECK_OK(auki_domain_leave(b.domain));
    CHECK_OK(auki_domain_leave(b.domain)); /* idempotent */
    CHECK_OK(auki_domain_peers(a.domain, &out));
    CHECK_STREQ(out, "[\"galbot\"]");
    auki_string_free(out);
    CHECK_OK(auki_domain_info(b.domain, &out));
    CHECK_CONTAINS(out, "\"left\":true");
    auki_string_free(out);
    CHECK_ERR(auki_session_domain(b.session, &again), AUKI_ERR_NOT_FOUND, "has not joined a domain");

    /* The same session can join again. */
    auki_domain_free(b.domain);
    join(&b);
    CHECK_OK(auki_domain_peers(a.domain, &out));
    CHECK_STREQ(out, "[\"galbot\",\"park\"]");
    auki_string_free(out);
    end_member(&b);
    end_member(&a);
}

TEST(test_calls_after_leave_are_closed_errors) {
    member a = start_owner(temp_root("after-galbot"));
    member b = start_member("park", temp_root("after-park"));
    join(&a);
    join(&b);
    auki_catalog_watch *watch = NULL;
    CHECK_OK(auki_domain_watch_catalog(b.domain, &watch));
    CHECK_OK(auki_domain_leave(b.domain));

    char *out = NULL;
    auki_stream *stream = NULL;
    auki_catalog_watch *w2 = NULL;
    CHECK_ERR(auki_domain_peers(b.domain, &out), AUKI_ERR_CLOSED, "domain \"lab\" has been left");
    CHECK(out == NULL);
    CHECK_ERR(auki_domain_fetch_resources_catalog(b.domain, "galbot", &out), AUKI_ERR_CLOSED, "has been left");
    CHECK_ERR(auki_domain_refresh_catalog(b.domain), AUKI_ERR_CLOSED, "has been left");
    CHECK_ERR(auki_domain_watch_catalog(b.domain, &w2), AUKI_ERR_CLOSED, "has been left");
    CHECK(w2 == NULL);
    CHECK_ERR(auki_domain_open_stream(b.domain, CAMERA, NULL, &stream), AUKI_ERR_CLOSED, "has been left");
    CHECK(stream == NULL);
    CHECK_ERR(auki_domain_fetch_registry_entry(b.domain, "frame", "galbot", "head_left_camera_optical",
                                               "00000000000000000000000000000000", NULL, &out),
              AUKI_ERR_CLOSED, "has been left");
    /* A watch opened before ends once its events are read. */
    for (int i = 0; i < 10 && auki_catalog_watch_next(watch, 0, &out) == AUKI_OK && out; i++) auki_string_free(out);
    CHECK_ERR(auki_catalog_watch_next(watch, 0, &out), AUKI_ERR_CLOSED, "catalog watch has ended");
    auki_catalog_watch_free(watch);
    /* Without a membership, materialization is upstream's stub (with a hint). */
    auki_log *copy = NULL;
    CHECK_ERR(auki_session_materialize_remote_log(b.session, CAMERA, 0, 1000000000, &copy), AUKI_ERR_NOT_IMPLEMENTED,
              "join a domain first");
    CHECK(copy == NULL);
    end_member(&b);
    end_member(&a);
}

/* ---- Catalogs --------------------------------------------------------------------------------- */

TEST(test_catalog_rows_are_fetched_and_watched) {
    member a = start_owner(temp_root("cat-galbot"));
    member b = start_member("park", temp_root("cat-park"));
    append(a.log, 0, 5);
    join(&a);
    join(&b);
    char *rows = catalog_of(b.domain, "galbot");
    CHECK_CONTAINS(rows, "\"source_peer_id\":\"galbot\"");
    CHECK_CONTAINS(rows, "\"writer_peer_id\":\"galbot\"");
    CHECK_CONTAINS(rows, "\"resource_id\":\"head_left_rgb\"");
    CHECK_CONTAINS(rows, "\"variant\":\"sensor_log\"");
    CHECK_CONTAINS(rows, "\"state\":\"live\"");
    CHECK_CONTAINS(rows, "\"entries\":5");
    CHECK_CONTAINS(rows, "\"kind\":\"camera\"");
    auki_string_free(rows);
    rows = catalog_of(b.domain, "park");
    CHECK_STREQ(rows, "[]");
    auki_string_free(rows);
    CHECK_ERR(auki_domain_fetch_resources_catalog(b.domain, "ghost", &rows), AUKI_ERR_NOT_FOUND,
              "peer \"ghost\" is not in domain \"lab\"");
    CHECK(rows == NULL);

    auki_catalog_watch *watch = NULL;
    char *event = NULL;
    CHECK_OK(auki_domain_watch_catalog(b.domain, &watch));
    CHECK_OK(auki_catalog_watch_next(watch, WAIT_MS, &event));
    CHECK_CONTAINS(event, "\"event\":\"added\"");
    CHECK_CONTAINS(event, "\"peer_id\":\"galbot\"");
    auki_string_free(event);
    CHECK_OK(auki_catalog_watch_next(watch, 50, &event));
    CHECK(event == NULL); /* nothing changed: a timeout is OK with no event */

    append(a.log, 5, 8);
    CHECK_OK(auki_domain_refresh_catalog(a.domain));
    int updated = 0;
    while (!updated && auki_catalog_watch_next(watch, WAIT_MS, &event) == AUKI_OK && event) {
        CHECK_CONTAINS(event, "\"event\":\"updated\"");
        updated = strstr(event, "\"entries\":8") != NULL;
        auki_string_free(event);
    }
    CHECK(updated);

    CHECK_OK(auki_domain_leave(a.domain));
    CHECK_OK(auki_catalog_watch_next(watch, WAIT_MS, &event));
    CHECK_CONTAINS(event, "\"event\":\"removed\"");
    CHECK_CONTAINS(event, "\"peer_id\":\"galbot\"");
    auki_string_free(event);
    auki_catalog_watch_free(watch);
    CHECK_ERR(auki_catalog_watch_next(watch, 0, &event), AUKI_ERR_INVALID_ARGUMENT,
              "auki_catalog_watch handle was freed");
    end_member(&b);
    end_member(&a);
}

TEST(test_registry_entries_are_fetched_by_content_address) {
    member a = start_owner(temp_root("reg-galbot"));
    member b = start_member("park", temp_root("reg-park"));
    join(&a);
    join(&b);
    char frame[AUKI_HASH_BUFSIZE], *mine = NULL, *fetched = NULL, root[600];
    CHECK_OK(auki_peer_register_frame(a.peer, "head_left_camera_optical", "ros_optical", frame));
    snprintf(root, sizeof root, "%s/reg-galbot", g_tmp_base);
    CHECK_OK(auki_registry_read(root, "frame", "galbot", "head_left_camera_optical", frame, &mine));
    CHECK_OK(auki_domain_fetch_registry_entry(b.domain, "frame", "galbot", "head_left_camera_optical", frame, NULL,
                                              &fetched));
    CHECK_STREQ(fetched, mine);
    auki_string_free(fetched);
    auki_string_free(mine);
    CHECK_ERR(auki_domain_fetch_registry_entry(b.domain, "frame", "galbot", "head_left_camera_optical",
                                               "00000000000000000000000000000000", "galbot", &fetched),
              AUKI_ERR_NOT_FOUND, "is not in the registry of peer galbot");
    CHECK(fetched == NULL);
    end_member(&b);
    end_member(&a);
}

/* ---- Streams and materialization ---------------------------------------------------------------- */

/* Read entries [from, to) from a stream: seq counts from first_seq, bytes and timestamps match. */
static void read_stream(auki_stream *s, int from, int to, int64_t first_seq) {
    int status;
    int64_t ts, seq;
    const uint8_t *data;
    size_t len;
    uint8_t want[16];
    for (int i = from; i < to; i++) {
        CHECK_OK(auki_stream_next(s, WAIT_MS, &status, &ts, &seq, &data, &len));
        payload(i, want);
        if (status != AUKI_STREAM_ENTRY || ts != 1000LL * i || seq != first_seq + (i - from) || len != 16 ||
            memcmp(data, want, 16) != 0) {
            CHECK(!"entry matches what the owner appended");
            return;
        }
    }
}

TEST(test_a_stream_serves_history_then_live_entries_then_end_of_stream) {
    member a = start_owner(temp_root("stream-galbot"));
    member b = start_member("park", temp_root("stream-park"));
    append(a.log, 0, 100);
    join(&a);
    join(&b);
    auki_stream *s = NULL;
    CHECK_OK(auki_domain_open_stream(b.domain, CAMERA, "{\"kind\":\"from_start\"}", &s));
    char *out = NULL;
    CHECK_OK(auki_stream_manifest(s, &out));
    CHECK_CONTAINS(out, "\"log_ref\":{\"resource_id\":\"head_left_rgb\",\"source_peer_id\":\"galbot\"}");
    CHECK_CONTAINS(out, "\"writer_peer_id\":\"galbot\"");
    CHECK_CONTAINS(out, "\"variant\":\"sensor_log\"");
    auki_string_free(out);
    CHECK_OK(auki_stream_end_reason(s, &out));
    CHECK(out == NULL);
    read_stream(s, 0, 100, 0);
    append(a.log, 100, 120);
    read_stream(s, 100, 120, 100);

    int status = -1;
    int64_t ts, seq;
    const uint8_t *data = (const uint8_t *) "x";
    size_t len = 1;
    CHECK_OK(auki_stream_next(s, 50, &status, &ts, &seq, &data, &len));
    CHECK(status == AUKI_STREAM_TIMEOUT && data == NULL && len == 0);

    /* latest (NULL): only what comes after the open; from_timestamp: from that entry on. */
    auki_stream *latest = NULL, *from = NULL;
    CHECK_OK(auki_domain_open_stream(b.domain, CAMERA, NULL, &latest));
    CHECK_OK(auki_domain_open_stream(b.domain, CAMERA, "{\"kind\":\"from_timestamp\",\"timestamp_ns\":118000}", &from));
    append(a.log, 120, 121);
    read_stream(latest, 120, 121, 0);
    read_stream(from, 118, 121, 0);
    read_stream(s, 120, 121, 120);

    CHECK_OK(auki_domain_leave(a.domain));
    CHECK_OK(auki_stream_next(s, WAIT_MS, &status, &ts, &seq, &data, &len));
    CHECK(status == AUKI_STREAM_ENDED);
    CHECK_OK(auki_stream_end_reason(s, &out));
    CHECK_CONTAINS(out, "galbot left the domain");
    auki_string_free(out);
    auki_stream_free(s);
    auki_stream_free(latest);
    auki_stream_free(from);
    end_member(&b);
    end_member(&a);
}

struct stream_waiter {
    auki_stream *stream;
    int rc;
    int status;
};

static void *next_forever(void *arg) {
    struct stream_waiter *w = arg;
    int64_t ts, seq;
    const uint8_t *data;
    size_t len;
    w->rc = auki_stream_next(w->stream, -1, &w->status, &ts, &seq, &data, &len);
    return NULL;
}

/* Calls on one stream handle are serialized, and freeing it ends a wait in progress on another thread:
 * the waiter returns (an end, or the freed handle's error), never hangs and never reads a freed stream. */
TEST(test_freeing_a_stream_ends_a_wait_in_progress_on_another_thread) {
    member a = start_owner(temp_root("free-galbot"));
    member b = start_member("park", temp_root("free-park"));
    join(&a);
    join(&b);
    struct stream_waiter w = {NULL, -1, -1};
    CHECK_OK(auki_domain_open_stream(b.domain, CAMERA, NULL, &w.stream));
    pthread_t thread;
    CHECK(pthread_create(&thread, NULL, next_forever, &w) == 0);
    struct timespec pause = {0, 50 * 1000 * 1000};
    nanosleep(&pause, NULL);
    auki_stream_free(w.stream);
    CHECK(pthread_join(thread, NULL) == 0);
    CHECK((w.rc == AUKI_OK && w.status == AUKI_STREAM_ENDED) || w.rc == AUKI_ERR_INVALID_ARGUMENT ||
          w.rc == AUKI_ERR_CLOSED);
    int status;
    int64_t ts, seq;
    const uint8_t *data;
    size_t len;
    CHECK_ERR(auki_stream_next(w.stream, 0, &status, &ts, &seq, &data, &len), AUKI_ERR_INVALID_ARGUMENT,
              "auki_stream handle was freed");
    end_member(&b);
    end_member(&a);
}

TEST(test_an_unknown_log_or_peer_is_not_found) {
    member a = start_owner(temp_root("decl-galbot"));
    member b = start_member("park", temp_root("decl-park"));
    join(&a);
    join(&b);
    auki_stream *s = NULL;
    CHECK_ERR(auki_domain_open_stream(b.domain, "{\"source_peer_id\":\"galbot\",\"resource_id\":\"nope\"}", NULL, &s),
              AUKI_ERR_NOT_FOUND, "unknown log galbot/nope: peer galbot has no such log");
    CHECK(s == NULL);
    CHECK_ERR(auki_domain_open_stream(b.domain, "{\"source_peer_id\":\"ghost\",\"resource_id\":\"x\"}", NULL, &s),
              AUKI_ERR_NOT_FOUND, "peer \"ghost\" is not in domain \"lab\"");
    auki_log *copy = NULL;
    CHECK_ERR(auki_session_materialize_remote_log(b.session, "{\"source_peer_id\":\"galbot\",\"resource_id\":\"nope\"}",
                                                  0, 1000000000, &copy),
              AUKI_ERR_NOT_FOUND, "advertises no log \"nope\"");
    CHECK(copy == NULL);
    end_member(&b);
    end_member(&a);
}

TEST(test_materialization_copies_history_and_live_entries_and_is_advertised) {
    member a = start_owner(temp_root("mat-galbot"));
    member b = start_member("park", temp_root("mat-park"));
    append(a.log, 0, 40);
    join(&a);
    join(&b);
    auki_log *copy = NULL;
    CHECK_OK(auki_session_materialize_remote_log(b.session, CAMERA, 0, 10000000000ULL, &copy));
    char *out = NULL;
    CHECK_OK(auki_log_root(copy, &out));
    CHECK_CONTAINS(out, "/mat-park/logs/galbot/head_left_rgb");
    auki_string_free(out);
    CHECK_OK(auki_log_manifest(copy, &out));
    CHECK_CONTAINS(out, "\"source_peer_id\":\"galbot\"");
    CHECK_CONTAINS(out, "\"writer_peer_id\":\"park\"");
    CHECK_CONTAINS(out, "\"segment_duration_ns\":10000000000");
    auki_string_free(out);
    CHECK(wait_entries(copy, 40));
    append(a.log, 40, 50);
    CHECK(wait_entries(copy, 50));
    CHECK(log_holds(copy, 0, 50));

    /* The materializer advertises its copy: source = owner, writer = itself. */
    CHECK(wait_catalog(a.domain, "park", "\"entries\":50"));
    out = catalog_of(a.domain, "park");
    CHECK_CONTAINS(out, "\"source_peer_id\":\"galbot\"");
    CHECK_CONTAINS(out, "\"writer_peer_id\":\"park\"");
    auki_string_free(out);

    auki_log *dup = NULL;
    CHECK_ERR(auki_session_materialize_remote_log(b.session, CAMERA, 0, 1, &dup), AUKI_ERR_INVALID_ARGUMENT,
              "duplicate log galbot/head_left_rgb");
    CHECK(dup == NULL);
    auki_log_free(copy);
    end_member(&b);
    end_member(&a);
}

TEST(test_with_the_owner_gone_a_copy_serves_new_consumers) {
    member a = start_owner(temp_root("fb-galbot"));
    member b = start_member("park", temp_root("fb-park"));
    member c = start_member("obs", temp_root("fb-obs"));
    append(a.log, 0, 30);
    join(&a);
    join(&b);
    auki_log *copy_b = NULL, *copy_c = NULL;
    CHECK_OK(auki_session_materialize_remote_log(b.session, CAMERA, 0, 10000000000ULL, &copy_b));
    CHECK(wait_entries(copy_b, 30));
    CHECK_OK(auki_domain_leave(a.domain));

    join(&c);
    char *out = NULL;
    CHECK_OK(auki_domain_peers(c.domain, &out));
    CHECK_STREQ(out, "[\"obs\",\"park\"]");
    auki_string_free(out);
    auki_stream *s = NULL;
    CHECK_OK(auki_domain_open_stream(c.domain, CAMERA, "{\"kind\":\"from_start\"}", &s));
    CHECK_OK(auki_stream_manifest(s, &out));
    CHECK_CONTAINS(out, "\"writer_peer_id\":\"park\"");
    auki_string_free(out);
    read_stream(s, 0, 30, 0);
    auki_stream_free(s);

    CHECK_OK(auki_session_materialize_remote_log(c.session, CAMERA, 0, 10000000000ULL, &copy_c));
    CHECK(wait_entries(copy_c, 30));
    CHECK(log_holds(copy_c, 0, 30));
    CHECK_OK(auki_log_manifest(copy_c, &out));
    CHECK_CONTAINS(out, "\"source_peer_id\":\"galbot\"");
    CHECK_CONTAINS(out, "\"writer_peer_id\":\"obs\"");
    auki_string_free(out);
    auki_log_free(copy_b);
    auki_log_free(copy_c);
    end_member(&c);
    end_member(&b);
    end_member(&a);
}

/* ---- An unreachable broker ---------------------------------------------------------------------- */

TEST(test_an_unreachable_broker_is_an_error_and_writes_nothing) {
    const char *root = temp_root("lonely");
    member m = start_member("lonely", root);
    char before[8192], after[8192], cfg[256];
    list_tree(root, before, sizeof before);

    /* Nothing listens: the connection is refused. */
    snprintf(cfg, sizeof cfg, "{\"domain_id\":\"lab\",\"broker\":\"mqtt://127.0.0.1:%d\",\"connect_timeout_ms\":2000}",
             free_port());
    auki_domain *d = (auki_domain *) 0x1;
    CHECK_ERR(auki_domain_join(m.session, cfg, &d), AUKI_ERR_IO, "cannot reach MQTT broker mqtt://127.0.0.1:");
    CHECK(d == NULL);

    /* A socket that accepts but never answers MQTT: no answer within connect_timeout_ms. */
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t n = sizeof a;
    CHECK(fd >= 0 && bind(fd, (struct sockaddr *) &a, sizeof a) == 0 && listen(fd, 8) == 0 &&
          getsockname(fd, (struct sockaddr *) &a, &n) == 0);
    snprintf(cfg, sizeof cfg, "{\"domain_id\":\"lab\",\"broker\":\"mqtt://127.0.0.1:%d\",\"connect_timeout_ms\":500}",
             ntohs(a.sin_port));
    CHECK_ERR(auki_domain_join(m.session, cfg, &d), AUKI_ERR_TIMEOUT, "no answer within 0.5 s");
    CHECK(d == NULL);
    close(fd);

    list_tree(root, after, sizeof after);
    CHECK_STREQ(after, before);
    CHECK_ERR(auki_session_domain(m.session, &d), AUKI_ERR_NOT_FOUND, "has not joined a domain");
    auki_log *copy = NULL;
    CHECK_ERR(auki_session_materialize_remote_log(m.session, CAMERA, 0, 1, &copy), AUKI_ERR_NOT_IMPLEMENTED,
              "join a domain first");
    end_member(&m);
}

/* ---- Bad input ---------------------------------------------------------------------------------- */

TEST(test_config_defaults_are_reported_for_every_optional_field) {
    char *json = NULL;
    CHECK_ERR(auki_domain_config_defaults(NULL), AUKI_ERR_INVALID_ARGUMENT, "out_json must not be NULL");
    CHECK_OK(auki_domain_config_defaults(&json));
    CHECK_STREQ(json, "{\"catalog_interval_ms\":250,\"chunk_bytes\":262144,\"connect_timeout_ms\":5000,"
                      "\"keep_alive_s\":5,\"request_timeout_ms\":10000}");
    auki_string_free(json);
}

TEST(test_bad_configs_are_refused_before_connecting) {
    member m = start_member("park", temp_root("cfg-park"));
    auki_domain *d = NULL;
    char cfg[256];
    CHECK_ERR(auki_domain_join(m.session, NULL, &d), AUKI_ERR_INVALID_ARGUMENT, "config_json must not be NULL");
    CHECK_ERR(auki_domain_join(m.session, config(""), NULL), AUKI_ERR_INVALID_ARGUMENT, "out must not be NULL");
    CHECK_ERR(auki_domain_join(m.session, "{\"domain_id\":", &d), AUKI_ERR_INVALID_ARGUMENT, "invalid JSON");
    CHECK_ERR(auki_domain_join(m.session, "[1]", &d), AUKI_ERR_INVALID_ARGUMENT, "invalid type");
    CHECK_ERR(auki_domain_join(m.session, "{\"domain_id\":\"\xff\"}", &d), AUKI_ERR_INVALID_ARGUMENT,
              "config_json: invalid UTF-8");
    CHECK_ERR(auki_domain_join(m.session, "{}", &d), AUKI_ERR_NOT_IMPLEMENTED, "libp2p");
    CHECK_ERR(auki_domain_join(m.session, "{\"domain_id\":\"lab\"}", &d), AUKI_ERR_NOT_IMPLEMENTED, "libp2p");
    CHECK_ERR(auki_domain_join(m.session, "{\"broker\":\"mqtt://127.0.0.1:1\"}", &d), AUKI_ERR_INVALID_ARGUMENT,
              "missing field `domain_id`");
    CHECK_ERR(auki_domain_join(m.session, "{\"domain_id\":\"lab\",\"broker\":\"http://127.0.0.1:1\"}", &d),
              AUKI_ERR_INVALID_ARGUMENT, "invalid broker \"http://127.0.0.1:1\": expected mqtt://host:port");
    CHECK_ERR(auki_domain_join(m.session, "{\"domain_id\":\"\",\"broker\":\"mqtt://127.0.0.1:1\"}", &d),
              AUKI_ERR_INVALID_ARGUMENT, "domain_id must not be empty");
    snprintf(cfg, sizeof cfg, "{\"domain_id\":\"lab\",\"broker\":\"%s\",\"connect_timeout_ms\":0}", g_broker_url);
    CHECK_ERR(auki_domain_join(m.session, cfg, &d), AUKI_ERR_INVALID_ARGUMENT,
              "connect_timeout_ms must be greater than zero");
    snprintf(cfg, sizeof cfg, "{\"domain_id\":\"lab\",\"broker\":\"%s\",\"request_timeout_ms\":-5}", g_broker_url);
    CHECK_ERR(auki_domain_join(m.session, cfg, &d), AUKI_ERR_INVALID_ARGUMENT,
              "invalid value: integer `-5`, expected u32");
    CHECK(d == NULL);
    CHECK_ERR(auki_session_domain(m.session, &d), AUKI_ERR_NOT_FOUND, "has not joined a domain");
    end_member(&m);
}

TEST(test_null_freed_and_wrong_type_handles_are_errors) {
    member a = start_owner(temp_root("h-galbot"));
    join(&a);
    auki_domain *d = NULL;
    char *out = NULL;
    CHECK_ERR(auki_domain_join(NULL, config(""), &d), AUKI_ERR_INVALID_ARGUMENT,
              "auki_session handle must not be NULL");
    CHECK_ERR(auki_domain_join((auki_session *) 0x1234, config(""), &d), AUKI_ERR_INVALID_ARGUMENT,
              "invalid auki_session handle");
    CHECK_ERR(auki_domain_join((auki_session *) a.peer, config(""), &d), AUKI_ERR_INVALID_ARGUMENT,
              "(it is an auki_peer handle)");
    CHECK_ERR(auki_session_domain(NULL, &d), AUKI_ERR_INVALID_ARGUMENT, "auki_session handle must not be NULL");
    CHECK(d == NULL);

    CHECK_ERR(auki_domain_peers(NULL, &out), AUKI_ERR_INVALID_ARGUMENT, "auki_domain handle must not be NULL");
    CHECK_ERR(auki_domain_peers((auki_domain *) a.session, &out), AUKI_ERR_INVALID_ARGUMENT,
              "(it is an auki_session handle)");
    CHECK_ERR(auki_domain_leave((auki_domain *) a.log), AUKI_ERR_INVALID_ARGUMENT, "(it is an auki_log handle)");
    CHECK_ERR(auki_domain_info(NULL, &out), AUKI_ERR_INVALID_ARGUMENT, "auki_domain handle must not be NULL");
    CHECK_ERR(auki_domain_refresh_catalog((auki_domain *) 0x7777), AUKI_ERR_INVALID_ARGUMENT,
              "invalid auki_domain handle");
    CHECK(out == NULL);

    /* A freed handle is reported as freed; freeing it again, NULL or another type is a no-op. */
    CHECK_OK(auki_session_domain(a.session, &d));
    auki_domain_free(d);
    CHECK_ERR(auki_domain_peers(d, &out), AUKI_ERR_INVALID_ARGUMENT, "auki_domain handle was freed");
    auki_domain_free(d);
    auki_domain_free(NULL);
    auki_domain_free((auki_domain *) a.session);
    auki_stream_free(NULL);
    auki_stream_free((auki_stream *) 0x1234);
    auki_stream_free((auki_stream *) a.domain);
    auki_catalog_watch_free(NULL);
    auki_catalog_watch_free((auki_catalog_watch *) a.domain);
    CHECK_OK(auki_domain_peers(a.domain, &out)); /* the frees of other types left it alone */
    CHECK_STREQ(out, "[\"galbot\"]");
    auki_string_free(out);
    out = NULL;

    int status;
    int64_t ts, seq;
    const uint8_t *data;
    size_t len;
    CHECK_ERR(auki_stream_next(NULL, 0, &status, &ts, &seq, &data, &len), AUKI_ERR_INVALID_ARGUMENT,
              "auki_stream handle must not be NULL");
    CHECK_ERR(auki_stream_next((auki_stream *) a.domain, 0, &status, &ts, &seq, &data, &len), AUKI_ERR_INVALID_ARGUMENT,
              "(it is an auki_domain handle)");
    CHECK_ERR(auki_stream_manifest((auki_stream *) 0x99, &out), AUKI_ERR_INVALID_ARGUMENT,
              "invalid auki_stream handle");
    CHECK_ERR(auki_stream_end_reason(NULL, &out), AUKI_ERR_INVALID_ARGUMENT, "auki_stream handle must not be NULL");
    CHECK_ERR(auki_catalog_watch_next((auki_catalog_watch *) a.domain, 0, &out), AUKI_ERR_INVALID_ARGUMENT,
              "(it is an auki_domain handle)");
    CHECK_ERR(auki_catalog_watch_next(NULL, 0, &out), AUKI_ERR_INVALID_ARGUMENT,
              "auki_catalog_watch handle must not be NULL");
    CHECK(out == NULL);
    end_member(&a);
}

TEST(test_null_strings_invalid_json_and_invalid_log_refs_are_errors) {
    member a = start_owner(temp_root("in-galbot"));
    member b = start_member("park", temp_root("in-park"));
    join(&a);
    join(&b);
    char *out = NULL;
    auki_stream *s = NULL;
    auki_catalog_watch *w = NULL;
    CHECK_ERR(auki_domain_peers(b.domain, NULL), AUKI_ERR_INVALID_ARGUMENT, "out_json must not be NULL");
    CHECK_ERR(auki_domain_info(b.domain, NULL), AUKI_ERR_INVALID_ARGUMENT, "out_json must not be NULL");
    CHECK_ERR(auki_domain_fetch_resources_catalog(b.domain, NULL, &out), AUKI_ERR_INVALID_ARGUMENT,
              "peer_id must not be NULL");
    CHECK_ERR(auki_domain_fetch_resources_catalog(b.domain, "\xc3", &out), AUKI_ERR_INVALID_ARGUMENT,
              "peer_id: invalid UTF-8");
    CHECK_ERR(auki_domain_fetch_registry_entry(b.domain, "planet", "galbot", "x", "00000000000000000000000000000000",
                                               NULL, &out),
              AUKI_ERR_INVALID_ARGUMENT, "planet");
    CHECK_ERR(
        auki_domain_fetch_registry_entry(b.domain, "frame", NULL, "x", "00000000000000000000000000000000", NULL, &out),
        AUKI_ERR_INVALID_ARGUMENT, "peer_id must not be NULL");
    CHECK_ERR(auki_domain_fetch_registry_entry(b.domain, "frame", "galbot", "x", NULL, NULL, &out),
              AUKI_ERR_INVALID_ARGUMENT, "hash must not be NULL");
    CHECK_ERR(auki_domain_fetch_registry_entry(b.domain, "frame", "galbot", "x", "00000000000000000000000000000000",
                                               NULL, NULL),
              AUKI_ERR_INVALID_ARGUMENT, "out_canonical must not be NULL");
    CHECK_ERR(auki_domain_watch_catalog(b.domain, NULL), AUKI_ERR_INVALID_ARGUMENT, "out must not be NULL");
    CHECK_OK(auki_domain_watch_catalog(b.domain, &w));
    CHECK_ERR(auki_catalog_watch_next(w, 0, NULL), AUKI_ERR_INVALID_ARGUMENT, "out_event_json must not be NULL");
    auki_catalog_watch_free(w);

    /* Log refs and read_from. */
    CHECK_ERR(auki_domain_open_stream(b.domain, NULL, NULL, &s), AUKI_ERR_INVALID_ARGUMENT,
              "log_ref_json must not be NULL");
    CHECK_ERR(auki_domain_open_stream(b.domain, "{\"source_peer_id\":", NULL, &s), AUKI_ERR_INVALID_ARGUMENT,
              "invalid JSON");
    CHECK_ERR(auki_domain_open_stream(b.domain, "{\"source_peer_id\":\"galbot\"}", NULL, &s), AUKI_ERR_INVALID_ARGUMENT,
              "missing field `resource_id`");
    CHECK_ERR(auki_domain_open_stream(b.domain, "\"galbot/head_left_rgb\"", NULL, &s), AUKI_ERR_INVALID_ARGUMENT,
              "invalid type");
    CHECK_ERR(auki_domain_open_stream(b.domain, CAMERA, "{\"kind\":\"someday\"}", &s), AUKI_ERR_INVALID_ARGUMENT,
              "someday");
    CHECK_ERR(auki_domain_open_stream(b.domain, CAMERA, "{\"kind\":\"from_timestamp\"}", &s), AUKI_ERR_INVALID_ARGUMENT,
              "timestamp_ns");
    CHECK_ERR(auki_domain_open_stream(b.domain, CAMERA, "not json", &s), AUKI_ERR_INVALID_ARGUMENT, "invalid JSON");
    CHECK_ERR(auki_domain_open_stream(b.domain, CAMERA, NULL, NULL), AUKI_ERR_INVALID_ARGUMENT, "out must not be NULL");
    CHECK(s == NULL);

    /* Materialization refuses bad refs and its own logs before anything is written. */
    auki_log *copy = NULL;
    CHECK_ERR(auki_session_materialize_remote_log(b.session, NULL, 0, 1, &copy), AUKI_ERR_INVALID_ARGUMENT,
              "must not be NULL");
    CHECK_ERR(auki_session_materialize_remote_log(b.session, "[]", 0, 1, &copy), AUKI_ERR_INVALID_ARGUMENT,
              "invalid type");
    CHECK_ERR(auki_session_materialize_remote_log(b.session, "{\"source_peer_id\":\"galbot\",\"resource_id\":\"../x\"}",
                                                  0, 1, &copy),
              AUKI_ERR_INVALID_ARGUMENT, "invalid resource id \"../x\": contains a `..` path segment");
    CHECK_ERR(auki_session_materialize_remote_log(b.session, CAMERA, 0, 0, &copy), AUKI_ERR_INVALID_ARGUMENT,
              "segment_duration_ns");
    CHECK_ERR(auki_session_materialize_remote_log(a.session, CAMERA, 0, 1, &copy), AUKI_ERR_INVALID_ARGUMENT,
              "belongs to this peer");
    CHECK(copy == NULL);
    char logs[600];
    snprintf(logs, sizeof logs, "%s/in-park/logs", g_tmp_base);
    CHECK(access(logs, F_OK) != 0);

    /* Stream out-params. */
    CHECK_OK(auki_domain_open_stream(b.domain, CAMERA, NULL, &s));
    int status;
    int64_t ts, seq;
    const uint8_t *data;
    size_t len;
    CHECK_ERR(auki_stream_next(s, 0, NULL, &ts, &seq, &data, &len), AUKI_ERR_INVALID_ARGUMENT,
              "status must not be NULL");
    CHECK_ERR(auki_stream_next(s, 0, &status, &ts, &seq, NULL, &len), AUKI_ERR_INVALID_ARGUMENT,
              "data must not be NULL");
    CHECK_ERR(auki_stream_next(s, 0, &status, &ts, &seq, &data, NULL), AUKI_ERR_INVALID_ARGUMENT,
              "len must not be NULL");
    CHECK_ERR(auki_stream_manifest(s, NULL), AUKI_ERR_INVALID_ARGUMENT, "out_json must not be NULL");
    CHECK_ERR(auki_stream_end_reason(s, NULL), AUKI_ERR_INVALID_ARGUMENT, "out must not be NULL");
    auki_stream_free(s);
    CHECK_ERR(auki_stream_next(s, 0, &status, &ts, &seq, &data, &len), AUKI_ERR_INVALID_ARGUMENT,
              "auki_stream handle was freed");
    end_member(&b);
    end_member(&a);
}

TEST(test_catalog_rows_and_pose_payloads_are_checked) {
    char *out = NULL;
    const char *row =
        "{\"source_peer_id\":\"galbot\",\"writer_peer_id\":\"galbot\",\"resource_id\":\"world->head\",\"state\":"
        "\"sealed\","
        "\"extent\":{\"start_at_ns\":0,\"finish_at_ns\":0},\"available\":{\"bytes\":84,\"entries\":1,\"duration_ns\":0}"
        ","
        "\"pose\":{\"writer_mode\":\"rigid\"},\"variant\":\"time_transform_log\",\"extra\":1,"
        "\"manifest\":{\"from_clock\":{\"peer_id\":\"galbot\",\"id\":\"a\",\"hash\":"
        "\"00000000000000000000000000000000\"},"
        "\"to_clock\":{\"peer_id\":\"galbot\",\"id\":\"b\",\"hash\":\"00000000000000000000000000000000\"},"
        "\"source\":{\"kind\":\"manual\"}}}";
    CHECK_OK(auki_resource_entry_from_dict(row, &out));
    CHECK(out != NULL && strstr(out, "\"extra\"") == NULL); /* unknown keys are dropped */
    CHECK_CONTAINS(out, "\"variant\":\"time_transform_log\"");
    auki_string_free(out);
    CHECK_ERR(auki_resource_entry_from_dict(NULL, &out), AUKI_ERR_INVALID_ARGUMENT, "json must not be NULL");
    CHECK_ERR(auki_resource_entry_from_dict("{}", &out), AUKI_ERR_INVALID_ARGUMENT,
              "invalid ResourceEntry dict: missing field");
    CHECK_ERR(auki_resource_entry_from_json("{", &out), AUKI_ERR_INVALID_ARGUMENT, "invalid ResourceEntry JSON: ");
    CHECK_ERR(auki_resource_entry_from_json("", &out), AUKI_ERR_INVALID_ARGUMENT,
              "EOF while parsing a value at line 1 column 0");
    CHECK_ERR(auki_resource_entry_from_json(row, NULL), AUKI_ERR_INVALID_ARGUMENT, "out_json must not be NULL");
    CHECK(out == NULL);

    const double pose[7] = {1.5, -2.0, 3.25, 0.0, 0.0, 0.7071067811865476, 0.7071067811865476};
    double back[7] = {0};
    uint8_t bytes[AUKI_SPATIAL_TRANSFORM_MAX_SIZE];
    size_t len = 0;
    CHECK_OK(auki_spatial_transform_encode(pose, bytes, &len));
    CHECK(len == 49); /* upstream's SpatialTransform: qx and qy are 0 and omitted */
    CHECK_OK(auki_spatial_transform_decode(bytes, len, back));
    CHECK(memcmp(pose, back, sizeof pose) == 0);
    const double locked[7] = {1, 2, 3, 0, 0, 0, 1}; /* upstream's locked spatial_transform vector */
    CHECK_OK(auki_spatial_transform_encode(locked, bytes, &len));
    CHECK(len == 40 && bytes[0] == 0x0a && bytes[1] == 0x1b && bytes[29] == 0x12 && bytes[30] == 0x09);
    char *json = NULL;
    CHECK_OK(auki_payload_to_json("auki.pose.SpatialTransform", bytes, len, &json));
    CHECK(strcmp(json, "{\"orientation\":{\"w\":1},\"translation\":{\"x\":1,\"y\":2,\"z\":3}}") == 0);
    auki_string_free(json);
    CHECK_ERR(auki_payload_to_json("auki.nope.Nope", bytes, len, &json), AUKI_ERR_INVALID_ARGUMENT,
              "unknown payload type `auki.nope.Nope`");
    CHECK_ERR(auki_spatial_transform_encode(NULL, bytes, &len), AUKI_ERR_INVALID_ARGUMENT, "values must not be NULL");
    CHECK_ERR(auki_spatial_transform_encode(pose, NULL, &len), AUKI_ERR_INVALID_ARGUMENT, "out must not be NULL");
    uint8_t old_format[56] = {0};
    CHECK_ERR(auki_spatial_transform_decode(old_format, sizeof old_format, back), AUKI_ERR_INVALID_ARGUMENT,
              "retired seven-f64 pose format");
    CHECK_ERR(auki_spatial_transform_decode(NULL, 56, back), AUKI_ERR_INVALID_ARGUMENT, "data must not be NULL");
    CHECK_ERR(auki_spatial_transform_decode(bytes, len, NULL), AUKI_ERR_INVALID_ARGUMENT, "values must not be NULL");
}

/* ---- Main ------------------------------------------------------------------------------------ */

int main(void) {
    fixtures_begin("test_domain");
    broker_start();
    run_all_tests();
    broker_stop();
    return fixtures_end();
}
