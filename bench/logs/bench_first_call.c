/* The first call into libauki in a fresh process, then the first and the best later auki_log_info of
 * a log (e.g. bench_index's 36,000-segment log, whose .segment_index sidecar an earlier process left).
 * Run it as many fresh processes and take medians: what a short-lived tool or a new Python process
 * pays before its first answer (docs/benchmarks.md, "First call into libauki").
 *   bench_first_call <log root>   ->  "first_call_ms first_info_ms again_best_ms" */
#define _XOPEN_SOURCE 700
#define BENCH_NAME    "bench_first_call"
#include "bench.h"

#include <stdio.h>

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: bench_first_call <log root>\n");
        return 2;
    }
    double t0 = now_s();
    (void) auki_abi_version();
    double t1 = now_s();
    char *json;
    if (auki_log_info(argv[1], &json)) die("auki_log_info");
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
    printf("%.3f %.3f %.3f\n", (t1 - t0) * 1e3, (t2 - t1) * 1e3, best * 1e3);
    return 0;
}
