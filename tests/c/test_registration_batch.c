/*
 * test_registration_batch.c — the "Registration batches" section of auki.h (ABI 2.3), checked from C.
 *
 * Entries registered between auki_peer_batch_begin and auki_peer_batch_commit are readable at once
 * and after the commit, with the bytes an unbatched registration leaves; an error inside a batch is
 * reported at that call and leaves the batch's other entries alone; a process killed (SIGKILL) in the
 * middle of a batch leaves only whole, valid entries; an entry file a crash left empty or short reads
 * as AUKI_ERR_CORRUPT and registering the entry again repairs it. Run through tests/c/run.sh.
 */
#define _XOPEN_SOURCE 700
#include "fixtures.h"

#include <dirent.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* ---- Fixtures -------------------------------------------------------------------------------- */

#define SCALAR_BODY "{\"kind\":\"scalar\",\"type\":\"temperature\",\"unit\":\"C\",\"expected_rate_hz\":10}"
#define CLOCK_BODY  "{\"type\":\"monotonic_clock\",\"unit\":\"ns\",\"monotonic\":true,\"scope\":\"device-local\"}"

static const char *g_self; /* argv[0]: the SIGKILL test runs this program again as its child */

static auki_peer *new_peer(const char *root) {
    auki_peer *peer = NULL;
    CHECK_OK(auki_peer_new(&peer, "galbot", "batch-test"));
    CHECK_OK(auki_peer_set_storage_root(peer, root));
    return peer;
}

/* Whole file as a NUL-terminated string in buf; returns its length or -1. */
static long read_file(const char *path, char *buf, size_t size) {
    FILE *f = fopen(path, "rb");
    if (!f) return -1;
    size_t n = fread(buf, 1, size - 1, f);
    fclose(f);
    buf[n] = '\0';
    return (long) n;
}

static const char *entry_path(const char *root, const char *kind_dir, const char *id, const char *hash) {
    static char path[1024];
    snprintf(path, sizeof path, "%s/registries/%s/galbot/%s/%s.json", root, kind_dir, id, hash);
    return path;
}

/* Status of auki_registry_read for one entry (the text is freed). */
static int read_entry(const char *root, const char *kind, const char *id, const char *hash) {
    char *json = NULL;
    int rc = auki_registry_read(root, kind, "galbot", id, hash, &json);
    auki_string_free(json);
    return rc;
}

/* ---- Batches --------------------------------------------------------------------------------- */

TEST(test_a_batchs_entries_are_readable_and_hold_the_bytes_of_unbatched_ones) {
    const char *batched = temp_root("batched"), *single = temp_root("single");
    auki_peer *a = new_peer(batched), *b = new_peer(single);
    char fa[AUKI_HASH_BUFSIZE], fb[AUKI_HASH_BUFSIZE], sa[AUKI_HASH_BUFSIZE], sb[AUKI_HASH_BUFSIZE];
    CHECK_OK(auki_peer_batch_begin(a));
    CHECK_OK(auki_peer_register_frame(a, "optical", "ros_optical", fa));
    CHECK_OK(auki_peer_register_sensor(a, "thermo", SCALAR_BODY, sa));
    CHECK_OK(read_entry(batched, "sensor", "thermo", sa)); /* readable before the commit too */
    CHECK_OK(auki_peer_batch_commit(a));
    CHECK_OK(auki_peer_register_frame(b, "optical", "ros_optical", fb));
    CHECK_OK(auki_peer_register_sensor(b, "thermo", SCALAR_BODY, sb));
    CHECK_STREQ(fa, fb);
    CHECK_STREQ(sa, sb);
    CHECK_OK(read_entry(batched, "frame", "optical", fa));
    CHECK_OK(read_entry(batched, "sensor", "thermo", sa));
    char x[2048], y[2048];
    CHECK(read_file(entry_path(batched, "sensors", "thermo", sa), x, sizeof x) > 0);
    CHECK(read_file(entry_path(single, "sensors", "thermo", sb), y, sizeof y) > 0);
    CHECK_STREQ(x, y);
    auki_peer_free(a);
    auki_peer_free(b);
}

TEST(test_an_error_inside_a_batch_is_reported_at_its_call_and_the_others_are_kept) {
    const char *root = temp_root("errors");
    auki_peer *peer = new_peer(root);
    char good[AUKI_HASH_BUFSIZE], other[AUKI_HASH_BUFSIZE], bad[AUKI_HASH_BUFSIZE] = "untouched";
    CHECK_OK(auki_peer_batch_begin(peer));
    CHECK_OK(auki_peer_register_sensor(peer, "first", SCALAR_BODY, good));
    CHECK_ERR(auki_peer_register_sensor(peer, "second",
                                        "{\"kind\":\"scalar\",\"type\":\"temperature\",\"unit\":\"C\","
                                        "\"expected_rate_hz\":\"fast\"}",
                                        bad),
              AUKI_ERR_INVALID_ARGUMENT, "body: invalid type");
    CHECK_STREQ(auki_last_error_field(), "body.expected_rate_hz");
    CHECK_ERR(auki_peer_register_frame(peer, "a/../b", "ros_optical", bad), AUKI_ERR_INVALID_ARGUMENT, "..");
    CHECK_STREQ(bad, "untouched");
    CHECK_OK(auki_peer_register_sensor(peer, "third", SCALAR_BODY, other));
    CHECK_OK(auki_peer_batch_commit(peer));
    CHECK_OK(read_entry(root, "sensor", "first", good));
    CHECK_OK(read_entry(root, "sensor", "third", other));
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/registries/sensors/galbot/second", root);
    CHECK(!path_exists(dir));
    auki_peer_free(peer);
}

TEST(test_batches_nest_and_a_commit_without_one_is_an_error) {
    auki_peer *peer = new_peer(temp_root("nest"));
    char hash[AUKI_HASH_BUFSIZE];
    CHECK_ERR(auki_peer_batch_commit(peer), AUKI_ERR_INVALID_ARGUMENT, "no registration batch is open");
    CHECK_OK(auki_peer_batch_begin(peer));
    CHECK_OK(auki_peer_batch_begin(peer));
    CHECK_OK(auki_peer_register_frame(peer, "optical", "ros_optical", hash));
    CHECK_OK(auki_peer_batch_commit(peer));
    CHECK_OK(auki_peer_batch_commit(peer));
    CHECK_ERR(auki_peer_batch_commit(peer), AUKI_ERR_INVALID_ARGUMENT, "no registration batch is open");
    CHECK_ERR(auki_peer_batch_begin(NULL), AUKI_ERR_INVALID_ARGUMENT, "peer");
    auki_peer_free(peer);
}

TEST(test_sessions_clocks_logs_and_a_first_append_inside_a_batch_work) {
    const char *root = temp_root("session");
    auki_peer *peer = new_peer(root);
    auki_session *session = NULL;
    auki_log *log = NULL;
    char sensor[AUKI_HASH_BUFSIZE], clock[AUKI_HASH_BUFSIZE], spec[1024];
    CHECK_OK(auki_peer_batch_begin(peer));
    CHECK_OK(auki_peer_register_sensor(peer, "thermo", SCALAR_BODY, sensor));
    CHECK_OK(auki_peer_start_session(peer, &session));
    CHECK_OK(auki_session_register_clock(session, "clk", CLOCK_BODY, clock));
    snprintf(spec, sizeof spec,
             "{\"sensor\":{\"peer_id\":\"galbot\",\"id\":\"thermo\",\"hash\":\"%s\"},"
             "\"clock\":{\"peer_id\":\"galbot\",\"id\":\"clk\",\"hash\":\"%s\"},"
             "\"head\":{\"kind\":\"fixed\"},\"segment_duration_ns\":1000000000,\"retention_ns\":0}",
             sensor, clock);
    CHECK_OK(auki_session_register_log(session, "sensor", spec, &log));
    CHECK_OK(auki_log_append(log, 5, (const uint8_t *) "x", 1));
    CHECK_OK(auki_log_flush(log));
    CHECK_OK(auki_peer_batch_commit(peer));
    CHECK_OK(read_entry(root, "clock", "clk", clock));
    auki_log_free(log);
    auki_session_free(session);
    auki_peer_free(peer);
}

/* ---- Crashes --------------------------------------------------------------------------------- */

/* The child: registers frame_0, frame_1, ... in one batch that never commits, writing one byte to fd
   after each registration returned, until it is killed. */
static int run_child(const char *root, int fd) {
    auki_peer *peer = NULL;
    char id[64], hash[AUKI_HASH_BUFSIZE];
    if (auki_peer_new(&peer, "galbot", "batch-test") || auki_peer_set_storage_root(peer, root) ||
        auki_peer_batch_begin(peer))
        return 3;
    for (long i = 0;; i++) {
        snprintf(id, sizeof id, "frame_%ld", i);
        if (auki_peer_register_frame(peer, id, "ros_optical", hash) != AUKI_OK) return 4;
        if (write(fd, "+", 1) != 1) return 5;
    }
}

TEST(test_a_batch_killed_midway_leaves_only_whole_valid_entries) {
    const char *root = temp_root("killed");
    int fds[2];
    CHECK(pipe(fds) == 0);
    char fd_text[16];
    snprintf(fd_text, sizeof fd_text, "%d", fds[1]);
    pid_t pid = fork();
    if (pid == 0) {
        close(fds[0]);
        execl(g_self, g_self, "--child", root, fd_text, (char *) NULL);
        _exit(127);
    }
    close(fds[1]);
    char c;
    int returned = 0;
    while (returned < 60 && read(fds[0], &c, 1) == 1) returned++;
    kill(pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);
    close(fds[0]);
    CHECK(returned == 60);
    CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);

    /* Every entry file under its final name is whole (hashes to its name), and each registration that
       returned is there (a killed process loses nothing the kernel already has). */
    char frames[1024];
    snprintf(frames, sizeof frames, "%s/registries/frames/galbot", root);
    DIR *ids = opendir(frames);
    CHECK(ids != NULL);
    int entries = 0, bad = 0;
    for (struct dirent *d; ids && (d = readdir(ids));) {
        if (d->d_name[0] == '.') continue;
        char dir_path[2048];
        snprintf(dir_path, sizeof dir_path, "%s/%s", frames, d->d_name);
        DIR *versions = opendir(dir_path);
        for (struct dirent *v; versions && (v = readdir(versions));) {
            size_t len = strlen(v->d_name);
            if (v->d_name[0] == '.' || len != 37) continue; /* hidden temp files are not entries */
            char hash[AUKI_HASH_BUFSIZE];
            memcpy(hash, v->d_name, 32);
            hash[32] = '\0';
            entries++;
            if (read_entry(root, "frame", d->d_name, hash) != AUKI_OK) bad++;
        }
        if (versions) closedir(versions);
    }
    if (ids) closedir(ids);
    CHECK(entries >= returned);
    CHECK(bad == 0);

    /* Registering them again (durably, outside a batch) finds each whole and changes nothing. */
    auki_peer *peer = new_peer(root);
    char id[64], hash[AUKI_HASH_BUFSIZE];
    for (int i = 0; i < entries; i++) {
        snprintf(id, sizeof id, "frame_%d", i);
        CHECK_OK(auki_peer_register_frame(peer, id, "ros_optical", hash));
        CHECK_OK(read_entry(root, "frame", id, hash));
    }
    auki_peer_free(peer);
}

TEST(test_an_entry_a_power_loss_left_empty_or_short_is_corrupt_and_registering_it_again_repairs_it) {
    const char *root = temp_root("torn");
    auki_peer *peer = new_peer(root);
    char hash[AUKI_HASH_BUFSIZE], whole[2048], now[2048];
    CHECK_OK(auki_peer_register_frame(peer, "optical", "ros_optical", hash));
    const char *path = entry_path(root, "frames", "optical", hash);
    long length = read_file(path, whole, sizeof whole);
    CHECK(length > 10);

    write_text(path, ""); /* what ext4 can leave after a power loss: the rename, not the data */
    CHECK_ERR(read_entry(root, "frame", "optical", hash), AUKI_ERR_CORRUPT, "hash mismatch");
    char body[512], sensor[AUKI_HASH_BUFSIZE];
    snprintf(body, sizeof body,
             "{\"kind\":\"camera\",\"type\":\"rgb\",\"width\":4,\"height\":2,\"frame_rate_hz\":30,"
             "\"pixel_format\":\"rgb8\",\"color_space\":\"srgb\",\"intrinsics_model\":\"pinhole\","
             "\"distortion_model\":\"none\",\"frame\":{\"peer_id\":\"galbot\",\"id\":\"optical\",\"hash\":\"%s\"}}",
             hash);
    /* Nor does a sensor get to name the damaged frame. */
    CHECK_ERR(auki_peer_register_sensor(peer, "cam", body, sensor), AUKI_ERR_CORRUPT, "hash mismatch");
    CHECK_OK(auki_peer_register_frame(peer, "optical", "ros_optical", hash));
    CHECK(read_file(path, now, sizeof now) == length);
    CHECK_STREQ(now, whole);
    CHECK_OK(read_entry(root, "frame", "optical", hash));

    whole[length / 2] = '\0';
    write_text(path, whole); /* a short file: its first half */
    CHECK_ERR(read_entry(root, "frame", "optical", hash), AUKI_ERR_CORRUPT, "hash mismatch");
    CHECK_OK(auki_peer_batch_begin(peer));
    CHECK_OK(auki_peer_register_frame(peer, "optical", "ros_optical", hash));
    CHECK_OK(auki_peer_batch_commit(peer));
    CHECK_OK(read_entry(root, "frame", "optical", hash));

    write_text(path, "{\"not\":\"this entry\"}"); /* someone else's bytes: reported and kept, as upstream */
    CHECK_ERR(auki_peer_register_frame(peer, "optical", "ros_optical", hash), AUKI_ERR_INVALID_ARGUMENT,
              "does not match canonical bytes");
    CHECK(read_file(path, now, sizeof now) > 0);
    CHECK_STREQ(now, "{\"not\":\"this entry\"}");
    auki_peer_free(peer);
}

/* ---- Main ------------------------------------------------------------------------------------ */

int main(int argc, char **argv) {
    if (argc == 4 && strcmp(argv[1], "--child") == 0) return run_child(argv[2], atoi(argv[3]));
    g_self = argv[0];
    fixtures_begin("test_registration_batch");
    run_all_tests();
    return fixtures_end();
}
