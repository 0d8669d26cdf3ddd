/*
 * bench_threads.c — how appends scale with threads: 16-byte entries, each thread appending to a log
 * of its own (auki_log_writer_append), 1 thread against 2, beside the same workload with fwrite
 * (a FILE* per thread with a real 1 MiB buffer) measured in the same rounds, interleaved. The
 * fwrite ratio is what the machine allows (2 cores, shared page cache); ours should match it.
 * Not a test: no thresholds; run through bench/logs/run.sh.
 *
 *   bench_threads <dir> [scale=1.0]
 *
 * Output: markdown rows "| case | 1 thread | 2 threads | 2 threads / 1 |", median [range] of the rounds.
 */
#define _XOPEN_SOURCE 700
#define BENCH_NAME    "bench_threads"
#include "bench.h"

#include <ftw.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define ROUNDS 5

static const char *MANIFEST = "{\"segment_duration_ns\":1000000000000,\"retention_ns\":0,\"kind\":\"bench\"}";

struct job {
    char path[1024];
    long n;
    int use_fwrite;
};

static void *run_job(void *arg) {
    const struct job *job = arg;
    uint8_t payload[24] = {7};
    if (job->use_fwrite) {
        FILE *f = fopen(job->path, "wb");
        if (!f) die("fopen");
        char *wbuf =
            malloc(1 << 20); /* per thread, on the heap (1 MiB of TLS would not fit the runtime's thread stacks) */
        if (!wbuf) die("malloc");
        setvbuf(f, wbuf, _IOFBF, 1 << 20);
        for (long i = 0; i < job->n; i++) {
            uint8_t entry[12];
            int64_t ts = i;
            uint32_t len = 16;
            memcpy(entry, &ts, 8);
            memcpy(entry + 8, &len, 4);
            if (fwrite(entry, 1, 12, f) != 12 || fwrite(payload + (i & 7), 1, 16, f) != 16) die("fwrite");
        }
        fclose(f); /* writes the buffer's rest (no fsync) */
        free(wbuf);
        return NULL;
    }
    auki_log_writer *w;
    if (auki_log_writer_open(&w, job->path, MANIFEST, NULL)) die("auki_log_writer_open");
    for (long i = 0; i < job->n; i++)
        if (auki_log_writer_append(w, i, payload + (i & 7), 16)) die("auki_log_writer_append");
    return w; /* closed (flush + fsync) after the timing, as in bench_logs */
}

/* Entries per second of `threads` threads each appending n entries to a file or log of its own. */
static double rate(const char *dir, int threads, long n, int use_fwrite) {
    struct job jobs[2];
    pthread_t ids[2];
    void *writers[2];
    for (int t = 0; t < threads; t++) {
        snprintf(jobs[t].path, sizeof jobs[t].path, "%s/%s-%d", dir, use_fwrite ? "fwrite" : "log", t);
        nftw(jobs[t].path, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
        jobs[t].n = n;
        jobs[t].use_fwrite = use_fwrite;
    }
    double t0 = now_s();
    for (int t = 0; t < threads; t++) pthread_create(&ids[t], NULL, run_job, &jobs[t]);
    for (int t = 0; t < threads; t++) pthread_join(ids[t], &writers[t]);
    double elapsed = now_s() - t0;
    for (int t = 0; t < threads; t++) {
        if (writers[t]) {
            if (auki_log_writer_close(writers[t])) die("auki_log_writer_close");
            auki_log_writer_free(writers[t]);
        }
        nftw(jobs[t].path, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
    }
    return (double) threads * (double) n / elapsed;
}

static void row(const char *name, double one[ROUNDS], double two[ROUNDS]) {
    double ratio[ROUNDS];
    for (int r = 0; r < ROUNDS; r++) ratio[r] = two[r] / one[r];
    qsort(one, ROUNDS, sizeof one[0], cmp_double);
    qsort(two, ROUNDS, sizeof two[0], cmp_double);
    qsort(ratio, ROUNDS, sizeof ratio[0], cmp_double);
    printf("| %s | %.1f M/s [%.1f–%.1f] | %.1f M/s [%.1f–%.1f] | %.2f× [%.2f–%.2f] |\n", name, one[ROUNDS / 2] / 1e6,
           one[0] / 1e6, one[ROUNDS - 1] / 1e6, two[ROUNDS / 2] / 1e6, two[0] / 1e6, two[ROUNDS - 1] / 1e6,
           ratio[ROUNDS / 2], ratio[0], ratio[ROUNDS - 1]);
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: bench_threads <dir> [scale]\n");
        return 2;
    }
    if (auki_abi_version() != AUKI_ABI_VERSION) {
        fprintf(stderr, "bench_threads: ABI mismatch\n");
        return 2;
    }
    double scale = argc > 2 ? atof(argv[2]) : 1.0;
    long n = (long) (5000000 * scale);
    if (n < 1000) n = 1000;
    double ours1[ROUNDS], ours2[ROUNDS], base1[ROUNDS], base2[ROUNDS];
    for (int r = 0; r < ROUNDS; r++) { /* interleaved: each round measures all four */
        base1[r] = rate(argv[1], 1, n, 1);
        ours1[r] = rate(argv[1], 1, n, 0);
        base2[r] = rate(argv[1], 2, n, 1);
        ours2[r] = rate(argv[1], 2, n, 0);
    }
    row("`auki_log_writer_append`, 16 B, a log per thread", ours1, ours2);
    row("`fwrite` (1 MiB buffer), 16 B, a file per thread", base1, base2);
    return 0;
}
