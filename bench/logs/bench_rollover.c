/*
 * bench_rollover.c — what a segment rollover costs an appending thread, beside a plain-C baseline
 * doing the same file switches. Not a test: no thresholds; run through bench/logs/run.sh.
 *
 *   bench_rollover <dir> [scale=1.0]
 *
 * frames   30 Hz 6,912,000 B frames (1920x1200 rgb8) with 1 s segments, paced at the real rate
 *          (each append starts at its frame's wall-clock time), max(3, 5*scale) seconds:
 *          worst, p99 and median latency of auki_log_writer_append, and the worst of the appends
 *          that opened a segment. Baseline: fwrite (1 MiB buffer) into one file per second, the
 *          previous file fflush'ed, fsync'ed and closed before the next is opened (what a writer
 *          that fsyncs at rollover inline does).
 * ticks    16 B entries 10 us apart (100 kHz) as fast as they go, 1 s segments (a rollover every
 *          100,000 entries) against the same entries in one segment: the rate with rollovers over
 *          the rate without, and the same for fwrite with an inline fsync per file.
 * Output: markdown table rows.
 */
#define _XOPEN_SOURCE 700
#define BENCH_NAME    "bench_rollover"
#include "bench.h"

#include <ftw.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define FRAME     6912000u
#define SECOND_NS 1000000000LL

static void sleep_until(double t) {
    double left = t - now_s();
    if (left <= 0) return;
    struct timespec ts = {(time_t) left, (long) ((left - (double) (time_t) left) * 1e9)};
    nanosleep(&ts, NULL);
}

static void rm_rf(const char *path) {
    nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

struct latencies {
    double worst, p99, median, worst_at_rollover;
};

static struct latencies summarize(double *lat, const int *rolled, int n) {
    struct latencies out = {0, 0, 0, 0};
    for (int i = 0; i < n; i++) {
        if (lat[i] > out.worst) out.worst = lat[i];
        if (rolled[i] && lat[i] > out.worst_at_rollover) out.worst_at_rollover = lat[i];
    }
    qsort(lat, (size_t) n, sizeof *lat, cmp_double);
    out.p99 = lat[(n * 99) / 100 < n ? (n * 99) / 100 : n - 1];
    out.median = lat[n / 2];
    return out;
}

#define ROUNDS 3

/* "median [min–max]" in ms of one field over the rounds (a static buffer per call site is enough: printf copies). */
static const char *spread(const struct latencies *rounds, size_t field) {
    static char out[8][64];
    static int next;
    double v[ROUNDS];
    for (int r = 0; r < ROUNDS; r++) memcpy(&v[r], (const char *) &rounds[r] + field, sizeof(double));
    qsort(v, ROUNDS, sizeof *v, cmp_double);
    char *s = out[next++ % 8];
    snprintf(s, 64, "%.1f [%.1f–%.1f]", v[ROUNDS / 2] * 1e3, v[0] * 1e3, v[ROUNDS - 1] * 1e3);
    return s;
}

static int64_t frame_ts(int i) {
    return (int64_t) i * SECOND_NS / 30;
}

static struct latencies frames_auki(const char *root, const uint8_t *frame, int n) {
    double *lat = malloc(sizeof(double) * (size_t) n);
    int *rolled = calloc((size_t) n, sizeof(int));
    auki_log_writer *w;
    if (auki_log_writer_open(&w, root, "{\"segment_duration_ns\":1000000000,\"retention_ns\":0}", NULL))
        die("auki_log_writer_open");
    double start = now_s();
    for (int i = 0; i < n; i++) {
        sleep_until(start + (double) i / 30.0);
        rolled[i] = i > 0 && frame_ts(i) / SECOND_NS != frame_ts(i - 1) / SECOND_NS;
        double t0 = now_s();
        if (auki_log_writer_append(w, frame_ts(i), frame, FRAME)) die("auki_log_writer_append");
        lat[i] = now_s() - t0;
    }
    if (auki_log_writer_close(w)) die("auki_log_writer_close");
    auki_log_writer_free(w);
    struct latencies out = summarize(lat, rolled, n);
    free(lat);
    free(rolled);
    return out;
}

static FILE *open_segment(const char *dir, long second) {
    char path[1200];
    snprintf(path, sizeof path, "%s/%020ld.seg", dir, second);
    FILE *f = fopen(path, "wb");
    if (!f) die("fopen");
    static char wbuf[1 << 20];
    setvbuf(f, wbuf, _IOFBF, sizeof wbuf);
    return f;
}

static void close_segment(FILE *f) {
    fflush(f);
    fsync(fileno(f));
    fclose(f);
}

static void put_entry(FILE *f, int64_t ts, const uint8_t *payload, uint32_t len) {
    uint8_t header[12];
    memcpy(header, &ts, 8);
    memcpy(header + 8, &len, 4);
    if (fwrite(header, 1, 12, f) != 12 || fwrite(payload, 1, len, f) != len) die("fwrite");
}

static struct latencies frames_fwrite(const char *dir, const uint8_t *frame, int n) {
    double *lat = malloc(sizeof(double) * (size_t) n);
    int *rolled = calloc((size_t) n, sizeof(int));
    mkdir(dir, 0755);
    FILE *f = NULL;
    double start = now_s();
    for (int i = 0; i < n; i++) {
        sleep_until(start + (double) i / 30.0);
        long second = (long) (frame_ts(i) / SECOND_NS);
        rolled[i] = i > 0 && second != (long) (frame_ts(i - 1) / SECOND_NS);
        double t0 = now_s();
        if (!f || rolled[i]) {
            if (f) close_segment(f);
            f = open_segment(dir, second);
        }
        put_entry(f, frame_ts(i), frame, FRAME);
        lat[i] = now_s() - t0;
    }
    close_segment(f);
    struct latencies out = summarize(lat, rolled, n);
    free(lat);
    free(rolled);
    return out;
}

static double ticks_auki(const char *root, long n, int64_t segment_ns) {
    char manifest[128];
    snprintf(manifest, sizeof manifest, "{\"segment_duration_ns\":%lld,\"retention_ns\":0}", (long long) segment_ns);
    auki_log_writer *w;
    if (auki_log_writer_open(&w, root, manifest, NULL)) die("auki_log_writer_open");
    static const uint8_t payload[16] = "0123456789abcdef";
    double t0 = now_s();
    for (long i = 0; i < n; i++)
        if (auki_log_writer_append(w, (int64_t) i * 10000, payload, 16)) die("auki_log_writer_append");
    double t = now_s() - t0;
    if (auki_log_writer_close(w)) die("auki_log_writer_close");
    auki_log_writer_free(w);
    return t;
}

static double ticks_fwrite(const char *dir, long n, int64_t segment_ns) {
    static const uint8_t payload[16] = "0123456789abcdef";
    mkdir(dir, 0755);
    FILE *f = NULL;
    long current = -1;
    double t0 = now_s();
    for (long i = 0; i < n; i++) {
        int64_t ts = (int64_t) i * 10000;
        long segment = (long) (ts / segment_ns);
        if (segment != current) {
            if (f) close_segment(f);
            f = open_segment(dir, segment);
            current = segment;
        }
        put_entry(f, ts, payload, 16);
    }
    double t = now_s() - t0;
    close_segment(f);
    return t;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: bench_rollover <dir> [scale]\n");
        return 2;
    }
    const char *dir = argv[1];
    double scale = argc > 2 ? atof(argv[2]) : 1.0;
    char a[1024], b[1024];
    snprintf(a, sizeof a, "%s/roll-auki", dir);
    snprintf(b, sizeof b, "%s/roll-fwrite", dir);

    int frames = (int) (150 * scale) < 90 ? 90 : (int) (150 * scale);
    uint8_t *frame = malloc(FRAME);
    for (size_t i = 0; i < FRAME; i++) frame[i] = (uint8_t) (i * 31 + 7);
    /* Interleaved rounds: this machine is shared, so one round can land on a busy moment. */
    struct latencies ours[ROUNDS], base[ROUNDS];
    for (int r = 0; r < ROUNDS; r++) {
        rm_rf(a);
        ours[r] = frames_auki(a, frame, frames);
        rm_rf(a);
        rm_rf(b);
        base[r] = frames_fwrite(b, frame, frames);
        rm_rf(b);
    }
    free(frame);
    printf("| 30 Hz 6.9 MB frames, 1 s segments, %d frames (%d rollovers), median [range] of %d rounds | "
           "at a rollover: worst %s ms; any append: worst %s, p99 %s, median %s | fwrite + inline fsync per file: "
           "at a rollover: worst %s ms; any: worst %s, p99 %s, median %s |\n",
           frames, (frames - 1) / 30, ROUNDS, spread(ours, offsetof(struct latencies, worst_at_rollover)),
           spread(ours, offsetof(struct latencies, worst)), spread(ours, offsetof(struct latencies, p99)),
           spread(ours, offsetof(struct latencies, median)),
           spread(base, offsetof(struct latencies, worst_at_rollover)), spread(base, offsetof(struct latencies, worst)),
           spread(base, offsetof(struct latencies, p99)), spread(base, offsetof(struct latencies, median)));

    long n = (long) (3000000 * scale) < 1000000 ? 1000000 : (long) (3000000 * scale);
    double one = 1e30, rolling = 1e30, fone = 1e30, frolling = 1e30, t;
    for (int r = 0; r < 3; r++) {
        rm_rf(a);
        if ((t = ticks_auki(a, n, 1000 * SECOND_NS)) < one) one = t;
        rm_rf(a);
        if ((t = ticks_auki(a, n, SECOND_NS)) < rolling) rolling = t;
        rm_rf(b);
        if ((t = ticks_fwrite(b, n, 1000 * SECOND_NS)) < fone) fone = t;
        rm_rf(b);
        if ((t = ticks_fwrite(b, n, SECOND_NS)) < frolling) frolling = t;
    }
    rm_rf(a);
    rm_rf(b);
    printf("| 16 B at 100 kHz, 1 s segments, %ld entries (%ld rollovers) | %.1f M/s vs %.1f M/s in one segment: %.2f× "
           "| fwrite + inline fsync per file: %.1f M/s vs %.1f M/s: %.2f× |\n",
           n, n / 100000 - 1 + (n % 100000 != 0), n / rolling / 1e6, n / one / 1e6, one / rolling, n / frolling / 1e6,
           n / fone / 1e6, fone / frolling);
    return 0;
}
