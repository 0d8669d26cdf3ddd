/*
 * bench.h — what the log benchmark programs share: a monotonic clock, failing with libauki's last
 * error, sorting figures for medians, and removing a temporary tree. BENCH_NAME prefixes messages.
 */
#ifndef AUKI_BENCH_H
#define AUKI_BENCH_H

#include <auki.h>

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>

__attribute__((unused)) static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double) ts.tv_sec + (double) ts.tv_nsec * 1e-9;
}

__attribute__((unused)) static void die(const char *what) {
    fprintf(stderr, "%s: %s failed: %s\n", BENCH_NAME, what, auki_last_error_message());
    exit(1);
}

/* qsort comparator for doubles (medians and percentiles). */
__attribute__((unused)) static int cmp_double(const void *a, const void *b) {
    double x = *(const double *) a, y = *(const double *) b;
    return x < y ? -1 : x > y;
}

/* nftw callback removing every entry (FTW_DEPTH); failures are ignored: it only cleans up. */
__attribute__((unused)) static int remove_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw) {
    (void) sb, (void) flag, (void) ftw;
    remove(path);
    return 0;
}

#endif
