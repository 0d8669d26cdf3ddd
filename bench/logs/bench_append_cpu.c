/*
 * bench_append_cpu.c — what one auki_log_writer_append costs the calling thread, in thread CPU time
 * (CLOCK_THREAD_CPUTIME_ID), which a loaded machine disturbs far less than wall time: the per-call
 * path (handle lookup, the handle's gate, the writer) plus this thread's share of the writes. Work
 * moved to other threads (the writeback hint) is not counted. Not a test; run through run.sh.
 *
 *   bench_append_cpu <dir> [scale=1.0]
 *
 * Output: markdown rows "| payload | ns per append (best of 5) |".
 */
#define _XOPEN_SOURCE 700
#define BENCH_NAME    "bench_append_cpu"
#include "bench.h"

#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

static const char *MANIFEST = "{\"segment_duration_ns\":1000000000000,\"retention_ns\":0,\"kind\":\"bench\"}";

static double thread_cpu_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double) ts.tv_sec + (double) ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: bench_append_cpu <dir> [scale]\n");
        return 2;
    }
    if (auki_abi_version() != AUKI_ABI_VERSION) {
        fprintf(stderr, "bench_append_cpu: ABI mismatch\n");
        return 2;
    }
    double scale = argc > 2 ? atof(argv[2]) : 1.0;
    static uint8_t payload[1024 + 8];
    const size_t sizes[] = {16, 1024};
    const long counts[] = {10000000, 700000};
    char root[1024];
    snprintf(root, sizeof root, "%s/cpu-log", argv[1]);
    for (int k = 0; k < 2; k++) {
        long n = (long) ((double) counts[k] * scale);
        if (n < 1000) n = 1000;
        double best = 1e30;
        for (int r = 0; r < 5; r++) {
            nftw(root, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
            auki_log_writer *w;
            if (auki_log_writer_open(&w, root, MANIFEST, NULL)) die("auki_log_writer_open");
            double t0 = thread_cpu_s();
            for (long i = 0; i < n; i++)
                if (auki_log_writer_append(w, i, payload + (i & 7), sizes[k])) die("auki_log_writer_append");
            double t = thread_cpu_s() - t0;
            if (t < best) best = t;
            if (auki_log_writer_close(w)) die("auki_log_writer_close");
            auki_log_writer_free(w);
        }
        printf("| %zu B | %.1f ns |\n", sizes[k], best / (double) n * 1e9);
    }
    nftw(root, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
    return 0;
}
