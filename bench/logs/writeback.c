/* Sustained large writes with and without write-behind (core/Logs/Writeback.cs): N frames of 6.9 MB
 * written to one file on /work, then fdatasync; prints wall time and the process's CPU per frame.
 *   gcc -O2 -o /tmp/writeback bench/logs/writeback.c && for m in 0 3 4 6 2; do /tmp/writeback $m 1500; done
 * Modes: 0 plain write(); 3 write + sync_file_range(WRITE) of each frame (the writer's hint before the
 * drop-behind); 4 as 3, then wait for the previous frame's writeback; 6 as 3, then
 * posix_fadvise(DONTNEED) of everything before the previous frame (what the writer does now, per 8 MiB
 * stride); 2 O_DIRECT through an aligned bounce buffer (for comparison; not used by the writer). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

static double seconds(struct timeval t) {
    return t.tv_sec + t.tv_usec * 1e-6;
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: writeback MODE FRAMES [FILE]\n");
        return 2;
    }
    int mode = atoi(argv[1]), n = atoi(argv[2]);
    const char *path = argc > 3 ? argv[3] : "/work/writeback-bench.tmp";
    size_t sz = 6912000;
    char *src = malloc(sz + 100);
    char *bounce = NULL;
    if (!src || posix_memalign((void **) &bounce, 4096, sz + 8192) != 0) return 1;
    memset(src, 7, sz + 100);
    int fd = open(path, O_CREAT | O_TRUNC | O_WRONLY | (mode == 2 ? O_DIRECT : 0), 0644);
    if (fd < 0) {
        perror("open");
        return 1;
    }
    double t0 = now();
    off_t off = 0;
    for (int i = 0; i < n; i++) {
        if (mode == 2) {
            size_t len = (sz + 4095) & ~4095UL;
            memcpy(bounce, src + 13, sz);
            if (pwrite(fd, bounce, len, off) != (ssize_t) len) {
                perror("pwrite");
                return 1;
            }
            off += len;
            continue;
        }
        if (write(fd, src + 13, sz) != (ssize_t) sz) {
            perror("write");
            return 1;
        }
        if (mode >= 3) sync_file_range(fd, off, sz, SYNC_FILE_RANGE_WRITE);
        if (mode == 4 && i > 0)
            sync_file_range(fd, off - sz, sz,
                            SYNC_FILE_RANGE_WAIT_BEFORE | SYNC_FILE_RANGE_WRITE | SYNC_FILE_RANGE_WAIT_AFTER);
        if (mode == 6 && i > 1) posix_fadvise(fd, 0, off - sz, POSIX_FADV_DONTNEED);
        off += sz;
    }
    fdatasync(fd);
    double t1 = now();
    struct rusage r;
    getrusage(RUSAGE_SELF, &r);
    double cpu = seconds(r.ru_utime) + seconds(r.ru_stime);
    printf("mode %d: %.2f s wall, %.2f s user, %.2f s sys, %.2f ms CPU per frame, %.0f MB/s\n", mode, t1 - t0,
           seconds(r.ru_utime), seconds(r.ru_stime), cpu * 1e3 / n, (double) sz * n / (t1 - t0) / 1e6);
    close(fd);
    unlink(path);
    return 0;
}
