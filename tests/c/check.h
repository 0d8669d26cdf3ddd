/*
 * check.h — the check harness shared by the C test programs: RUN a test function, CHECK conditions,
 * CHECK_OK / CHECK_ERR a libauki status with its last-error message. Failures are printed with
 * file, line and test name; the program's exit status says whether any check failed.
 */
#ifndef AUKI_TESTS_CHECK_H
#define AUKI_TESTS_CHECK_H

#include <auki.h>

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int g_tests;
static int g_failed_tests;
static int g_checks;
static int g_failures;
static const char *g_test = "";

__attribute__((format(printf, 3, 4))) static void fail_at(const char *file, int line, const char *fmt, ...) {
    va_list args;
    g_failures++;
    fprintf(stderr, "%s:%d: %s: FAILED: ", file, line, g_test);
    va_start(args, fmt);
    vfprintf(stderr, fmt, args);
    va_end(args);
    fputc('\n', stderr);
}

#define RUN(test)                                                                                                      \
    do {                                                                                                               \
        int before_ = g_failures;                                                                                      \
        g_test = #test;                                                                                                \
        g_tests++;                                                                                                     \
        test();                                                                                                        \
        if (g_failures != before_) g_failed_tests++;                                                                   \
    } while (0)

/*
 * TEST(name) { ... } defines a test and registers it, so a program's main calls run_all_tests()
 * instead of keeping a list: tests run in the order they are written.
 */
typedef struct {
    const char *name;
    void (*run)(void);
} test_case;

static test_case g_cases[256];
static int g_case_count;

__attribute__((unused)) static void register_test(const char *name, void (*run)(void)) {
    if (g_case_count == (int) (sizeof g_cases / sizeof g_cases[0])) {
        fprintf(stderr, "check.h: more than %d tests in one program\n", g_case_count);
        return;
    }
    g_cases[g_case_count].name = name;
    g_cases[g_case_count].run = run;
    g_case_count++;
}

#define TEST(name)                                                                                                     \
    static void name(void);                                                                                            \
    __attribute__((constructor)) static void register_##name(void) {                                                   \
        register_test(#name, name);                                                                                    \
    }                                                                                                                  \
    static void name(void)

__attribute__((unused)) static void run_all_tests(void) {
    for (int i = 0; i < g_case_count; i++) {
        int before = g_failures;
        g_test = g_cases[i].name;
        g_tests++;
        g_cases[i].run();
        if (g_failures != before) g_failed_tests++;
    }
}

#define CHECK(cond)                                                                                                    \
    do {                                                                                                               \
        g_checks++;                                                                                                    \
        if (!(cond)) fail_at(__FILE__, __LINE__, "%s", #cond);                                                         \
    } while (0)

#define CHECK_OK(call)                                                                                                 \
    do {                                                                                                               \
        g_checks++;                                                                                                    \
        int rc_ = (call);                                                                                              \
        if (rc_ != AUKI_OK) fail_at(__FILE__, __LINE__, "%s -> %d (%s)", #call, rc_, auki_last_error_message());       \
    } while (0)

#define CHECK_ERR(call, code, needle)                                                                                  \
    do {                                                                                                               \
        g_checks++;                                                                                                    \
        int rc_ = (call);                                                                                              \
        const char *msg_ = auki_last_error_message();                                                                  \
        if (rc_ != (code) || auki_last_error_code() != (code) || strstr(msg_, (needle)) == NULL)                       \
            fail_at(__FILE__, __LINE__, "%s -> %d (%s), expected %d with \"%s\"", #call, rc_, msg_, (code), (needle)); \
    } while (0)

#define CHECK_STREQ(actual, expected)                                                                                  \
    do {                                                                                                               \
        g_checks++;                                                                                                    \
        const char *a_ = (actual), *e_ = (expected);                                                                   \
        if (a_ == NULL || strcmp(a_, e_) != 0)                                                                         \
            fail_at(__FILE__, __LINE__, "%s is \"%s\", expected \"%s\"", #actual, a_ ? a_ : "(null)", e_);             \
    } while (0)

#define CHECK_CONTAINS(haystack, needle)                                                                               \
    do {                                                                                                               \
        g_checks++;                                                                                                    \
        const char *h_ = (haystack);                                                                                   \
        if (h_ == NULL || strstr(h_, (needle)) == NULL)                                                                \
            fail_at(__FILE__, __LINE__, "%s is \"%s\", which lacks \"%s\"", #haystack, h_ ? h_ : "(null)", (needle));  \
    } while (0)

#endif /* AUKI_TESTS_CHECK_H */
