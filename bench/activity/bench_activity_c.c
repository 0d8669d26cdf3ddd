/* C side of bench/activity (run by run.sh): a session's bounds and its whole topic list, paged
 * 500 topics per auki_activity_list_topics call, through libauki. cold = the first call in this
 * process (the root's .activity_index as an earlier process left it), warm = median of 15.
 *   bench_activity_c <storage_root> <session_id> bounds|topics
 * Prints tab-separated key=value pairs, as the C# and Python sides do. */
#include <auki.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static const char *root, *session;
static int pages;

static void bounds(void) {
    char *json;
    if (auki_activity_bounds(root, session, &json) != AUKI_OK) {
        fprintf(stderr, "bounds: %s\n", auki_last_error_message());
        exit(1);
    }
    auki_string_free(json);
}

/* The JSON string starting at s (after its opening quote), unescaped; tokens are ASCII here, so
 * \uXXXX escapes are taken as one byte. Caller frees. */
static char *json_string(const char *s) {
    char *out = malloc(strlen(s) + 1), *o = out;
    for (; *s && *s != '"'; s++) {
        if (*s != '\\') {
            *o++ = *s;
            continue;
        }
        s++;
        if (*s == 'u') {
            *o++ = (char) strtol((char[]){s[1], s[2], s[3], s[4], 0}, NULL, 16);
            s += 4;
        } else {
            *o++ = *s == 'n' ? '\n' : *s == 't' ? '\t' : *s;
        }
    }
    *o = 0;
    return out;
}

/* Every page, following next_token (found by text: the page is {"items":[...],"next_token":...}). */
static void topics(void) {
    char *token = NULL;
    pages = 0;
    do {
        char *json;
        if (auki_activity_list_topics(root, session, token, 500, &json) != AUKI_OK) {
            fprintf(stderr, "list_topics: %s\n", auki_last_error_message());
            exit(1);
        }
        pages++;
        free(token);
        token = NULL;
        const char *next = strstr(json, "\"next_token\":\"");
        if (next) token = json_string(next + strlen("\"next_token\":\""));
        auki_string_free(json);
    } while (token);
}

static int by_value(const void *a, const void *b) {
    double x = *(const double *) a, y = *(const double *) b;
    return (x > y) - (x < y);
}

static double timed(void (*fn)(void)) {
    double t = now_ms();
    fn();
    return now_ms() - t;
}

static double warm(void (*fn)(void)) {
    double samples[15];
    for (int i = 0; i < 15; i++) samples[i] = timed(fn);
    qsort(samples, 15, sizeof samples[0], by_value);
    return samples[7];
}

int main(int argc, char **argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: bench_activity_c <storage_root> <session_id> bounds|topics\n");
        return 2;
    }
    root = argv[1];
    session = argv[2];
    int first_bounds = strcmp(argv[3], "bounds") == 0;
    double cold = timed(first_bounds ? bounds : topics);
    double bounds_warm = warm(bounds), topics_warm = warm(topics);
    printf("impl=C\t%s_cold=%.1f\tbounds_warm=%.1f\ttopics_warm=%.1f\ttopic_pages=%d\n", argv[3], cold, bounds_warm,
           topics_warm, pages);
    return 0;
}
