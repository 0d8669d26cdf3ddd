/* The first call into libauki in a fresh process, then the first and the best later auki_log_info of
 * a log (e.g. bench_index's 36,000-segment log, whose .segment_index sidecar an earlier process left).
 * Run it as many fresh processes and take medians: what a short-lived tool or a new Python process
 * pays before its first answer (docs/benchmarks.md, "First call into libauki"). The fourth figure is
 * the calling thread's CPU time in that first auki_log_info (it runs on the caller's thread), which
 * other processes' load on a shared machine moves much less than the wall-clock time.
 *   bench_first_call <log root>   ->  "first_call_ms first_info_ms again_best_ms first_info_cpu_ms" */
#define _XOPEN_SOURCE 700
#define BENCH_NAME    "bench_first_call"
#include "bench.h"

#include <stdio.h>
#include <time.h>

static double thread_cpu_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double) ts.tv_sec + (double) ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: bench_first_call <log root>\n");
        return 2;
    }
    double t0 = now_s();
    (void) auki_abi_version();
    double t1 = now_s();
    double c1 = thread_cpu_s();
    char *json;
    if (auki_log_info(argv[1], &json)) die("auki_log_info");
    double c2 = thread_cpu_s();
    double t2 = now_s();
    auki_string_free(json);
    double best = 1e9;
    for (int k = 0; k < 60; k++) {
        double a = now_s();
        if (auki_log_info(argv[1], &json)) die("auki_log_info");
        double b = now_s();
        auki_string_free(json);
        if (b - a < best) best = b - a;
    }
    printf("%.3f %.3f %.3f %.3f\n", (t1 - t0) * 1e3, (t2 - t1) * 1e3, best * 1e3, (c2 - c1) * 1e3);
    return 0;
}
