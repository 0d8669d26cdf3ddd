/*
 * bench_logs.c — libauki's log data plane from C, each figure beside a plain-C baseline measured
 * in the same run on the same disk. Not a test: no thresholds; run through bench/logs/run.sh.
 *
 *   bench_logs <dir> [scale=1.0] [reads]      ("reads": the read figures only)
 *
 * For payloads of 16 B, 1 KiB, 64 KiB and 6,912,000 B (one 1920x1200 rgb8 frame):
 *   append      auki_log_writer_append, one call per entry (zero-copy: a span over our buffer)
 *   append_many auki_log_writer_append_many_fixed, 4096 entries (or 64 MiB) per call
 *   gather      auki_log_writer_append_gather, the same batches as a pointer and a length per payload
 *   baseline    fwrite of the same bytes with the same framing (i64 ts, u32 len, payload) into one
 *               FILE* with a 1 MiB buffer; for the batches, from the batch's own memory (the same
 *               per-call array, cache-cold at 64 KiB as theirs), for the rest from one hot payload
 *   ceiling     write() of whole 1 MiB blocks already framed (no per-entry work at all): what the
 *               kernel's copy into the page cache alone costs, the bound of any writer through write()
 * Appends are timed until the last call returns; the final close/fsync is not timed, for either.
 * Each writer is paired with fwrite runs of its own, in alternating order (see main). Built against
 * an ABI 2.1 header (an older libauki, for before/after runs) it leaves out the gathered batch.
 *   read        auki_log_reader_next over the whole log (borrowed views, no copy)
 *   read_batch  auki_log_reader_next_batch into a 4 MiB buffer (copies)
 *   read_views  auki_log_reader_next_views, 65536 entries per call (borrowed views, no copy)
 *   baseline    read() of the baseline file in 1 MiB blocks, parsing the framing in place
 *   fread       the older baseline: fread of the same file (1 MiB FILE buffer) into a 4 MiB buffer,
 *               reported against the block read() (its "seconds" are fread's)
 * Every reader touches each entry's timestamp, length and last payload byte.
 * Output: one line per figure, "name size entries seconds baseline_seconds", parsed by run.sh.
 */
#define _XOPEN_SOURCE 700
#define BENCH_NAME    "bench_logs"
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

static void rm_rf(const char *path) {
    nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* Segments of 1000 s: the whole run of one size stays in one segment file, like the baseline file. */
static const char *MANIFEST = "{\"segment_duration_ns\":1000000000000,\"retention_ns\":0,\"kind\":\"bench\"}";

/* Payloads per batch call: 4096, or 64 MiB of large ones. */
static long batch_entries(size_t size) {
    long per_call = size <= 16384 ? 4096 : (long) ((64u << 20) / size);
    return per_call < 1 ? 1 : per_call;
}

static double bench_append(const char *root, const uint8_t *payload, size_t size, long n) {
    auki_log_writer *w;
    if (auki_log_writer_open(&w, root, MANIFEST, NULL)) die("auki_log_writer_open");
    double t0 = now_s();
    for (long i = 0; i < n; i++)
        if (auki_log_writer_append(w, i, payload + (size_t) (i & 7), size)) die("auki_log_writer_append");
    double t = now_s() - t0;
    if (auki_log_writer_close(w)) die("auki_log_writer_close");
    auki_log_writer_free(w);
    return t;
}

static double bench_append_many(const char *root, const uint8_t *payload, size_t size, long n) {
    long per_call = batch_entries(size);
    /* The batch's payloads are back to back: reuse one buffer of per_call payloads. */
    uint8_t *data = malloc((size_t) per_call * size);
    int64_t *ts = malloc(sizeof(int64_t) * (size_t) per_call);
    for (long j = 0; j < per_call; j++) memcpy(data + (size_t) j * size, payload, size);
    auki_log_writer *w;
    if (auki_log_writer_open(&w, root, MANIFEST, NULL)) die("auki_log_writer_open");
    double t0 = now_s();
    for (long i = 0; i < n; i += per_call) {
        long k = n - i < per_call ? n - i : per_call;
        for (long j = 0; j < k; j++) ts[j] = i + j;
        if (auki_log_writer_append_many_fixed(w, ts, (size_t) k, data, size)) die("auki_log_writer_append_many_fixed");
    }
    double t = now_s() - t0;
    if (auki_log_writer_close(w)) die("auki_log_writer_close");
    auki_log_writer_free(w);
    free(data);
    free(ts);
    return t;
}

static double bench_append_gather(const char *root, const uint8_t *payload, size_t size, long n) {
#if AUKI_ABI_VERSION_MINOR < 2 && AUKI_ABI_VERSION_MAJOR == 2
    (void) root, (void) payload, (void) size, (void) n;
    return 1e30; /* an older libauki (before/after runs): no gathered batches */
#else
    long per_call = batch_entries(size);
    uint8_t *data = malloc((size_t) per_call * size);
    int64_t *ts = malloc(sizeof(int64_t) * (size_t) per_call);
    const uint8_t **payloads = malloc(sizeof(uint8_t *) * (size_t) per_call);
    size_t *lengths = malloc(sizeof(size_t) * (size_t) per_call);
    for (long j = 0; j < per_call; j++) {
        memcpy(data + (size_t) j * size, payload, size);
        payloads[j] = data + (size_t) j * size;
        lengths[j] = size;
    }
    auki_log_writer *w;
    if (auki_log_writer_open(&w, root, MANIFEST, NULL)) die("auki_log_writer_open");
    double t0 = now_s();
    for (long i = 0; i < n; i += per_call) {
        long k = n - i < per_call ? n - i : per_call;
        for (long j = 0; j < k; j++) ts[j] = i + j;
        if (auki_log_writer_append_gather(w, ts, (size_t) k, payloads, lengths)) die("auki_log_writer_append_gather");
    }
    double t = now_s() - t0;
    if (auki_log_writer_close(w)) die("auki_log_writer_close");
    auki_log_writer_free(w);
    free(data);
    free(ts);
    free(payloads);
    free(lengths);
    return t;
#endif
}

/* The same bytes as bench_fwrite, already framed in a hot 1 MiB block: write() calls and nothing else. */
static double bench_write_ceiling(const char *path, size_t size, long n) {
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) die("open");
    static uint8_t block[1 << 20];
    memset(block, 7, sizeof block);
    uint64_t left = (uint64_t) n * (12 + size);
    double t0 = now_s();
    while (left > 0) {
        size_t k = left < sizeof block ? (size_t) left : sizeof block;
        if (write(fd, block, k) != (ssize_t) k) die("write");
        left -= k;
    }
    double t = now_s() - t0;
    fsync(fd);
    close(fd);
    return t;
}

static double fwrite_from(const char *path, const uint8_t *payloads, size_t stride, long cycle, size_t size, long n);

static double bench_fwrite(const char *path, const uint8_t *payload, size_t size, long n) {
    return fwrite_from(path, payload, 1, 8, size, n);
}

/* fwrite of a batch's payloads from the batch's own memory (the same per-call array the batch calls pass),
 * so both sides read the same, cache-cold, source bytes. */
static double bench_fwrite_batch(const char *path, const uint8_t *payload, size_t size, long n) {
    long per_call = batch_entries(size);
    uint8_t *data = malloc((size_t) per_call * size);
    for (long j = 0; j < per_call; j++) memcpy(data + (size_t) j * size, payload, size);
    double t = fwrite_from(path, data, size, per_call, size, n);
    free(data);
    return t;
}

/* Entry i's payload is payloads + (i % cycle) * stride. */
static double fwrite_from(const char *path, const uint8_t *payloads, size_t stride, long cycle, size_t size, long n) {
    FILE *f = fopen(path, "wb");
    if (!f) die("fopen");
    /* A real 1 MiB buffer: with NULL, glibc ignores the size and keeps its 4 KiB one (strace shows 4 KiB writes). */
    static char wbuf[1 << 20];
    setvbuf(f, wbuf, _IOFBF, sizeof wbuf);
    uint8_t header[16] = {'A', 'K', 'L', 'G', 1, 0, 0, 0};
    fwrite(header, 1, 16, f);
    double t0 = now_s();
    for (long i = 0; i < n; i++) {
        uint8_t entry[12];
        int64_t ts = i;
        uint32_t len = (uint32_t) size;
        memcpy(entry, &ts, 8);
        memcpy(entry + 8, &len, 4);
        if (fwrite(entry, 1, 12, f) != 12 || fwrite(payloads + (size_t) (i % cycle) * stride, 1, size, f) != size)
            die("fwrite");
    }
    double t = now_s() - t0;
    fflush(f);
    fsync(fileno(f));
    fclose(f);
    return t;
}

static double bench_read(const char *root, long n, size_t size) {
    auki_log_reader *r;
    if (auki_log_reader_open(&r, root, NULL, NULL)) die("auki_log_reader_open");
    double t0 = now_s();
    long got = 0;
    uint64_t sum = 0;
    for (;;) {
        int has;
        int64_t ts;
        const uint8_t *data;
        size_t len;
        if (auki_log_reader_next(r, &has, &ts, &data, &len)) die("auki_log_reader_next");
        if (!has) break;
        sum += (uint64_t) ts + len + (len ? data[len - 1] : 0);
        got++;
    }
    double t = now_s() - t0;
    auki_log_reader_free(r);
    if (got != n || sum == 0) {
        fprintf(stderr, "bench_logs: read %ld of %ld entries of %zu B\n", got, n, size);
        exit(1);
    }
    return t;
}

#define READ_BUF (4u << 20)

#if AUKI_ABI_VERSION_MINOR >= 2 /* auki_log_reader_next_views came with ABI 2.2 */
static double bench_read_views(const char *root, long n) {
    enum { MAX = 65536 };
    static int64_t ts[MAX];
    static const uint8_t *data[MAX];
    static size_t lens[MAX];
    auki_log_reader *r;
    if (auki_log_reader_open(&r, root, NULL, NULL)) die("auki_log_reader_open");
    double t0 = now_s();
    long got = 0;
    uint64_t sum = 0;
    for (;;) {
        size_t count;
        if (auki_log_reader_next_views(r, MAX, ts, data, lens, &count)) die("auki_log_reader_next_views");
        if (count == 0) break;
        for (size_t i = 0; i < count; i++) sum += (uint64_t) ts[i] + lens[i] + (lens[i] ? data[i][lens[i] - 1] : 0);
        got += (long) count;
    }
    double t = now_s() - t0;
    auki_log_reader_free(r);
    if (got != n || sum == 0) {
        fprintf(stderr, "bench_logs: views read %ld of %ld entries\n", got, n);
        exit(1);
    }
    return t;
}
#endif

/* The strongest plain reader: read() the file in 1 MiB blocks and parse the framing where it lies (an
 * entry cut by the block's end moves to the front; one larger than the buffer gets a bigger buffer). */
static double bench_block_read(const char *path, long n) {
    int fd = open(path, O_RDONLY);
    if (fd < 0) die("open");
    size_t cap = 1u << 20;
    uint8_t *b = malloc(cap);
    if (read(fd, b, 16) != 16) die("read header");
    double t0 = now_s();
    size_t have = 0, pos = 0;
    long got = 0;
    uint64_t sum = 0;
    for (;;) {
        size_t need = 12;
        while (have - pos >= 12) {
            int64_t ts;
            uint32_t len;
            memcpy(&ts, b + pos, 8);
            memcpy(&len, b + pos + 8, 4);
            if (have - pos - 12 < len) {
                need = 12 + (size_t) len;
                break;
            }
            sum += (uint64_t) ts + len + (len ? b[pos + 12 + len - 1] : 0);
            got++;
            pos += 12 + (size_t) len;
        }
        memmove(b, b + pos, have - pos);
        have -= pos;
        pos = 0;
        if (need > cap) {
            cap = need;
            b = realloc(b, cap);
        }
        ssize_t k = read(fd, b + have, cap - have);
        if (k <= 0) break;
        have += (size_t) k;
    }
    double t = now_s() - t0;
    close(fd);
    free(b);
    if (got != n || sum == 0) {
        fprintf(stderr, "bench_logs: block read %ld of %ld\n", got, n);
        exit(1);
    }
    return t;
}

static double bench_read_batch(const char *root, long n, uint8_t *buf) {
    enum { MAX = 65536 };
    static int64_t ts[MAX];
    static uint64_t offsets[MAX + 1];
    auki_log_reader *r;
    if (auki_log_reader_open(&r, root, NULL, NULL)) die("auki_log_reader_open");
    double t0 = now_s();
    long got = 0;
    for (;;) {
        size_t count;
        int rc = auki_log_reader_next_batch(r, MAX, ts, offsets, buf, READ_BUF, &count);
        if (rc == AUKI_ERR_BUFFER_TOO_SMALL) {
            /* A payload larger than the buffer: take it as a borrowed view instead. */
            int has;
            int64_t t1;
            const uint8_t *data;
            size_t len;
            if (auki_log_reader_next(r, &has, &t1, &data, &len) || !has) die("auki_log_reader_next");
            got++;
            continue;
        }
        if (rc) die("auki_log_reader_next_batch");
        if (count == 0) break;
        got += (long) count;
    }
    double t = now_s() - t0;
    auki_log_reader_free(r);
    if (got != n) {
        fprintf(stderr, "bench_logs: batch read %ld of %ld entries\n", got, n);
        exit(1);
    }
    return t;
}

static double bench_fread(const char *path, long n, uint8_t *buf) {
    FILE *f = fopen(path, "rb");
    if (!f) die("fopen");
    static char rbuf[1 << 20]; /* a real 1 MiB buffer, as above */
    setvbuf(f, rbuf, _IOFBF, sizeof rbuf);
    uint8_t header[16];
    if (fread(header, 1, 16, f) != 16) die("fread header");
    double t0 = now_s();
    long got = 0;
    uint64_t sum = 0;
    uint8_t *big = NULL;
    for (;;) {
        uint8_t entry[12];
        if (fread(entry, 1, 12, f) != 12) break;
        int64_t ts;
        uint32_t len;
        memcpy(&ts, entry, 8);
        memcpy(&len, entry + 8, 4);
        uint8_t *into = buf;
        if (len > READ_BUF) into = big ? big : (big = malloc(len));
        if (fread(into, 1, len, f) != len) break;
        sum += (uint64_t) ts + len + (len ? into[len - 1] : 0);
        got++;
    }
    double t = now_s() - t0;
    fclose(f);
    free(big);
    if (got != n || sum == 0) {
        fprintf(stderr, "bench_logs: fread %ld of %ld\n", got, n);
        exit(1);
    }
    return t;
}

/* Best (smallest) of REPEATS timings. Each run writes into memory the previous run freed, so the
 * first run pays for fresh pages (slow on a VM) and the best run shows the steady state. */
#define REPEATS 3

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: bench_logs <dir> [scale] [reads]\n");
        return 2;
    }
    if (auki_abi_version() != AUKI_ABI_VERSION) {
        fprintf(stderr, "bench_logs: ABI mismatch\n");
        return 2;
    }
    const char *dir = argv[1];
    double scale = argc > 2 ? atof(argv[2]) : 1.0;
    int reads_only =
        argc > 3 && strcmp(argv[3], "reads") == 0; /* the read figures only (the log is still written once) */
    const size_t sizes[] = {16, 1024, 65536, 6912000};
    /* About 250-300 MB of framed data per run and size. */
    const long counts[] = {10000000, 300000, 4000, 40};
    uint8_t *payload = malloc(6912000 + 8);
    for (size_t i = 0; i < 6912000 + 8; i++) payload[i] = (uint8_t) (i * 31 + 7);
    uint8_t *buf = malloc(READ_BUF);
    char root[1024], file[1024];
    for (int k = 0; k < 4; k++) {
        size_t size = sizes[k];
        long n = (long) ((double) counts[k] * scale);
        if (n < 2) n = 2;
        snprintf(root, sizeof root, "%s/c-log-%zu", dir, size);
        snprintf(file, sizeof file, "%s/c-fwrite-%zu.bin", dir, size);
        /* Each writer is timed in a pair with its own fwrite run, the order alternating from repeat to
         * repeat: whatever runs later in a sequence meets more dirty pages in the kernel (and on a shared
         * machine, other writers'), so one fwrite run at the start of a round would favour the baseline. */
        const char *names[] = {"c_append", "c_append_many", "c_append_gather", "c_write_ceiling"};
        enum { WRITERS = sizeof names / sizeof names[0] };
        double ours[WRITERS], base[WRITERS], t;
        for (int c = 0; c < (reads_only ? 0 : WRITERS); c++) {
            ours[c] = base[c] = 1e30;
            for (int r = 0; r < REPEATS; r++) {
                for (int turn = 0; turn < 2; turn++) {
                    rm_rf(root);
                    remove(file);
                    if ((turn == 0) == (r % 2 == 0)) {
                        /* The batches' baseline writes from the same batch memory; the others' from one hot payload. */
                        t = c == 1 || c == 2 ? bench_fwrite_batch(file, payload, size, n)
                                             : bench_fwrite(file, payload, size, n);
                        if (t < base[c]) base[c] = t;
                        continue;
                    }
                    switch (c) {
                    case 0: t = bench_append(root, payload, size, n); break;
                    case 1: t = bench_append_many(root, payload, size, n); break;
                    case 2: t = bench_append_gather(root, payload, size, n); break;
                    default: t = bench_write_ceiling(file, size, n); break;
                    }
                    if (t < ours[c]) ours[c] = t;
                }
            }
            if (ours[c] < 1e30) printf("%s %zu %ld %.6f %.6f\n", names[c], size, n, ours[c], base[c]);
        }
        rm_rf(root);
        remove(file);
        bench_append_many(root, payload, size, n); /* the log the reads below read */
        fflush(stdout);
        /* Reads: that log and a baseline file written the same way, both in the page cache. */
        bench_fwrite(file, payload, size, n);
        double rbase = 1e30, fread_t = 1e30, read = 1e30, batch = 1e30, views = 1e30;
        for (int r = 0; r < REPEATS; r++) {
            if ((t = bench_block_read(file, n)) < rbase) rbase = t;
            if ((t = bench_fread(file, n, buf)) < fread_t) fread_t = t;
            if ((t = bench_read(root, n, size)) < read) read = t;
            if ((t = bench_read_batch(root, n, buf)) < batch) batch = t;
#if AUKI_ABI_VERSION_MINOR >= 2
            if ((t = bench_read_views(root, n)) < views) views = t;
#endif
        }
        printf("c_read %zu %ld %.6f %.6f\n", size, n, read, rbase);
        printf("c_read_batch %zu %ld %.6f %.6f\n", size, n, batch, rbase);
        if (views < 1e30) printf("c_read_views %zu %ld %.6f %.6f\n", size, n, views, rbase);
        printf("c_fread %zu %ld %.6f %.6f\n", size, n, fread_t, rbase);
        fflush(stdout);
        rm_rf(root);
        remove(file);
    }
    free(payload);
    free(buf);
    return 0;
}
