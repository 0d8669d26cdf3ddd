/*
 * fixtures.h — what the C test programs share besides checks: one temporary directory per run
 * (fixtures_begin creates it, fixtures_end removes it and prints the summary) and paths under it.
 */
#ifndef AUKI_TESTS_FIXTURES_H
#define AUKI_TESTS_FIXTURES_H

#include "check.h"

#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

/* The run's temporary base, /tmp/auki-test-<program>-XXXXXX once fixtures_begin made it. */
static char g_tmp_base[128];
static const char *g_program = "";

/* Create the run's temporary base; exits with status 2 when it cannot. */
static void fixtures_begin(const char *program) {
    g_program = program;
    snprintf(g_tmp_base, sizeof g_tmp_base, "/tmp/auki-%s-XXXXXX", program);
    if (mkdtemp(g_tmp_base) == NULL) {
        perror("mkdtemp");
        exit(2);
    }
}

/* A path under the run's temporary base (not created). The returned buffer is reused after 64 calls. */
static const char *temp_path(const char *name) {
    static char paths[64][512];
    static int used;
    char *path = paths[used++ % 64];
    snprintf(path, sizeof paths[0], "%s/%s", g_tmp_base, name);
    return path;
}

/* A fresh directory under the run's temporary base. */
__attribute__((unused)) static const char *temp_root(const char *name) {
    const char *path = temp_path(name);
    mkdir(path, 0700);
    return path;
}

__attribute__((unused)) static int path_exists(const char *path) {
    struct stat st;
    return stat(path, &st) == 0;
}

static int remove_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw) {
    (void) sb;
    (void) flag;
    (void) ftw;
    return remove(path);
}

/* ---- writing stores byte by byte ---------------------------------------------------------- */

/* Every directory of path, like mkdir -p (errors show up in the checks that follow). */
__attribute__((unused)) static void mkdirs(const char *path) {
    char buf[1024];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *p = buf + 1; *p; p++) {
        if (*p == '/') {
            *p = '\0';
            mkdir(buf, 0700);
            *p = '/';
        }
    }
    mkdir(buf, 0700);
}

/* A file holding exactly text. */
__attribute__((unused)) static void write_text(const char *path, const char *text) {
    FILE *f = fopen(path, "wb");
    fputs(text, f);
    fclose(f);
}

/* value as `bytes` little-endian bytes (the log format's integers). */
__attribute__((unused)) static void put_le(uint8_t *out, uint64_t value, int bytes) {
    for (int i = 0; i < bytes; i++) out[i] = (uint8_t) (value >> (8 * i));
}

/* A v1 segment file (core/Logs/FORMAT.md) of n entries, each an 8-byte payload equal to its timestamp. */
__attribute__((unused)) static void write_segment(const char *path, const int64_t *ts, int n) {
    FILE *f = fopen(path, "wb");
    uint8_t header[16] = {'A', 'K', 'L', 'G', 1, 0, 0, 0};
    put_le(header + 8, 0, 8);
    fwrite(header, 1, sizeof header, f);
    for (int i = 0; i < n; i++) {
        uint8_t entry[20];
        put_le(entry, (uint64_t) ts[i], 8);
        put_le(entry + 8, 8, 4);
        put_le(entry + 12, (uint64_t) ts[i], 8);
        fwrite(entry, 1, sizeof entry, f);
    }
    fclose(f);
}

/* Remove the temporary base, print "<program>: N tests, M checks; ..." and give main's exit status. */
static int fixtures_end(void) {
    if (g_tmp_base[0] != '\0') nftw(g_tmp_base, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
    printf("%s: %d tests, %d checks; %d tests and %d checks failed\n", g_program, g_tests, g_checks, g_failed_tests,
           g_failures);
    return g_failures == 0 ? 0 : 1;
}

#endif
