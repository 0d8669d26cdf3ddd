/*
 * bench_index.c — time windows and totals of a long log: what reading the last 100 entries and
 * auki_log_info cost at 360, 3,600 and 36,000 segments. Not a test: no thresholds.
 *
 *   bench_index <dir>
 *
 * Each log has 10 entries of 16 B per 1 ms segment, written as segment files (the format is
 * FORMAT.md's v1), and its segments directory's mtime set an hour back: a log written earlier and
 * read now. "first" is the first call in the process (nothing known yet), "again" the median of
 * 20 later calls, "first in a new process" the median of 5 fresh processes' first log_info, after
 * this one left the log's sidecar. Output: markdown table rows.
 */
#define _XOPEN_SOURCE 700
#define BENCH_NAME    "bench_index"
#include "bench.h"

#include <fcntl.h>
#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define PER_SEGMENT 10
#define SEGMENT_NS  1000000LL
#define CALLS       20

static void make_log(const char *root, int segments) {
    char path[1200];
    mkdir(root, 0755);
    snprintf(path, sizeof path, "%s/log_manifest.json", root);
    FILE *m = fopen(path, "wb");
    if (!m) die("fopen manifest");
    fputs("{\"retention_ns\":0,\"segment_duration_ns\":1000000}", m);
    fclose(m);
    snprintf(path, sizeof path, "%s/segments", root);
    mkdir(path, 0755);
    for (int s = 0; s < segments; s++) {
        int64_t start = (int64_t) s * SEGMENT_NS;
        snprintf(path, sizeof path, "%s/segments/%020lld.seg", root, (long long) start);
        FILE *f = fopen(path, "wb");
        if (!f) die("fopen segment");
        uint8_t header[16] = {'A', 'K', 'L', 'G', 1, 0, 0, 0};
        memcpy(header + 8, &start, 8);
        fwrite(header, 1, 16, f);
        for (int i = 0; i < PER_SEGMENT; i++) {
            uint8_t entry[12 + 16];
            int64_t ts = start + i * 1000;
            uint32_t len = 16;
            memcpy(entry, &ts, 8);
            memcpy(entry + 8, &len, 4);
            memset(entry + 12, 'a' + i, 16);
            fwrite(entry, 1, sizeof entry, f);
        }
        fclose(f);
    }
    snprintf(path, sizeof path, "%s/segments", root);
    struct timespec times[2];
    clock_gettime(CLOCK_REALTIME, &times[0]);
    times[0].tv_sec -= 3600;
    times[1] = times[0];
    utimensat(AT_FDCWD, path, times, 0);
}

static double last_100(const char *root, int segments) {
    int64_t from = (int64_t) (segments - 1) * SEGMENT_NS; /* 10 per segment: the last 10 segments */
    from -= 9 * SEGMENT_NS;
    double t0 = now_s();
    auki_log_reader *r;
    if (auki_log_reader_open(&r, root, &from, NULL)) die("auki_log_reader_open");
    int got = 0;
    for (;;) {
        int has;
        int64_t ts;
        const uint8_t *data;
        size_t len;
        if (auki_log_reader_next(r, &has, &ts, &data, &len)) die("auki_log_reader_next");
        if (!has) break;
        got++;
    }
    auki_log_reader_free(r);
    double t = now_s() - t0;
    if (got != 100) {
        fprintf(stderr, "bench_index: read %d entries, expected 100\n", got);
        exit(1);
    }
    return t;
}

static double info(const char *root) {
    double t0 = now_s();
    char *json;
    if (auki_log_info(root, &json)) die("auki_log_info");
    auki_string_free(json);
    return now_s() - t0;
}

/* The first auki_log_info of a fresh process (this program run again with --first-info), in ms: what a
 * new process pays once another left the log's sidecar (.segment_index) behind. */
static double first_info_in_new_process(const char *self, const char *root) {
    char command[3000];
    snprintf(command, sizeof command, "'%s' --first-info '%s'", self, root);
    FILE *p = popen(command, "r");
    double ms = -1;
    if (!p || fscanf(p, "%lf", &ms) != 1) die("bench_index --first-info");
    pclose(p);
    return ms;
}

int main(int argc, char **argv) {
    if (argc == 3 && strcmp(argv[1], "--first-info") == 0) {
        printf("%.3f\n", info(argv[2]) * 1e3);
        return 0;
    }
    if (argc < 2) {
        fprintf(stderr, "usage: bench_index <dir>\n");
        return 2;
    }
    const int sizes[] = {360, 3600, 36000};
    for (int k = 0; k < 3; k++) {
        char root[1024];
        snprintf(root, sizeof root, "%s/index-%d", argv[1], sizes[k]);
        make_log(root, sizes[k]);
        double first_read = last_100(root, sizes[k]);
        double reads[CALLS], infos[CALLS];
        for (int i = 0; i < CALLS; i++) reads[i] = last_100(root, sizes[k]);
        double first_info = info(root);
        for (int i = 0; i < CALLS; i++) infos[i] = info(root);
        double fresh[5];
        for (int i = 0; i < 5; i++) fresh[i] = first_info_in_new_process(argv[0], root);
        qsort(reads, CALLS, sizeof(double), cmp_double);
        qsort(infos, CALLS, sizeof(double), cmp_double);
        qsort(fresh, 5, sizeof(double), cmp_double);
        printf("| %d segments | last 100 entries: first %.2f ms, again %.3f ms [%.3f–%.3f] | log_info: first %.1f ms, "
               "again %.2f ms [%.2f–%.2f], first in a new process %.2f ms [%.2f–%.2f] |\n",
               sizes[k], first_read * 1e3, reads[CALLS / 2] * 1e3, reads[0] * 1e3, reads[CALLS - 1] * 1e3,
               first_info * 1e3, infos[CALLS / 2] * 1e3, infos[0] * 1e3, infos[CALLS - 1] * 1e3, fresh[2], fresh[0],
               fresh[4]);
        fflush(stdout);
        nftw(root, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
    }
    return 0;
}
