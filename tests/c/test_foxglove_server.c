/*
 * test_foxglove_server.c — the "Foxglove live server" section of auki.h, checked from C.
 *
 * Starts a server on a free port over an empty storage root, speaks the WebSocket handshake to it
 * over a plain socket as a Foxglove client would, reads its first message (serverInfo), and checks
 * that closing it sends a close frame and frees the port; then bad arguments, each a status code
 * with a message naming what was wrong. Run through tests/c/run.sh.
 */
#define _XOPEN_SOURCE 700
#include "fixtures.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

static int connect_to(uint32_t port) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in addr = {0};
    addr.sin_family = AF_INET;
    addr.sin_port = htons((uint16_t) port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *) &addr, sizeof addr) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

/* Read until the blank line that ends the HTTP answer (one byte at a time: frames follow it). */
static void read_head(int fd, char *buf, size_t cap) {
    size_t n = 0;
    while (n + 1 < cap && read(fd, buf + n, 1) == 1) {
        n++;
        buf[n] = '\0';
        if (n >= 4 && memcmp(buf + n - 4, "\r\n\r\n", 4) == 0) return;
    }
    buf[n] = '\0';
}

static size_t read_exactly(int fd, unsigned char *buf, size_t len) {
    size_t got = 0;
    while (got < len) {
        ssize_t r = read(fd, buf + got, len - got);
        if (r <= 0) break;
        got += (size_t) r;
    }
    return got;
}

TEST(test_a_client_is_upgraded_gets_server_info_first_and_a_close_frame_at_the_end) {
    auki_foxglove_server *server = NULL;
    CHECK_OK(auki_foxglove_server_start(g_tmp_base, NULL, 0, &server));
    uint32_t port = auki_foxglove_server_port(server);
    CHECK(port > 0 && port <= 65535);

    int fd = connect_to(port);
    CHECK(fd >= 0);
    if (fd < 0) return;
    const char *request = "GET / HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                          "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                          "Sec-WebSocket-Protocol: foxglove.websocket.v1\r\n\r\n";
    CHECK(write(fd, request, strlen(request)) == (ssize_t) strlen(request));
    char head[2048];
    read_head(fd, head, sizeof head);
    CHECK_CONTAINS(head, "HTTP/1.1 101 Switching Protocols\r\n");
    CHECK_CONTAINS(head, "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n");
    CHECK_CONTAINS(head, "Sec-WebSocket-Protocol: foxglove.websocket.v1\r\n");

    /* The first frame: a whole text message (FIN + opcode 1, unmasked) holding serverInfo. */
    unsigned char frame[2];
    CHECK(read_exactly(fd, frame, 2) == 2);
    CHECK(frame[0] == 0x81);
    size_t len = frame[1] & 0x7f;
    if (len == 126) {
        unsigned char ext[2];
        CHECK(read_exactly(fd, ext, 2) == 2);
        len = ((size_t) ext[0] << 8) | ext[1];
    }
    char *json = calloc(1, len + 1);
    CHECK(read_exactly(fd, (unsigned char *) json, len) == len);
    CHECK_CONTAINS(json, "{\"op\":\"serverInfo\",\"name\":\"auki\"");
    free(json);

    /* Closing: a close frame (FIN + opcode 8) comes after what was queued, then the connection ends. */
    auki_foxglove_server_close(server);
    unsigned char rest[4096];
    size_t n = 0;
    ssize_t r;
    while (n < sizeof rest && (r = read(fd, rest + n, sizeof rest - n)) > 0) n += (size_t) r;
    CHECK(memchr(rest, 0x88, n) != NULL);
    close(fd);

    /* The port is free again. */
    CHECK_OK(auki_foxglove_server_start(g_tmp_base, "127.0.0.1", port, &server));
    CHECK(auki_foxglove_server_port(server) == port);
    auki_foxglove_server_close(server);
}

TEST(test_bad_arguments_are_status_codes_that_name_the_problem) {
    auki_foxglove_server *server = NULL;
    CHECK_ERR(auki_foxglove_server_start(NULL, NULL, 0, &server), AUKI_ERR_INVALID_ARGUMENT, "root");
    CHECK_ERR(auki_foxglove_server_start("/nonexistent/auki-root", NULL, 0, &server), AUKI_ERR_NOT_FOUND,
              "no such directory");
    CHECK_ERR(auki_foxglove_server_start(g_tmp_base, NULL, 70000, &server), AUKI_ERR_INVALID_ARGUMENT, "port");
    CHECK_ERR(auki_foxglove_server_start(g_tmp_base, "not-an-address", 0, &server), AUKI_ERR_INVALID_ARGUMENT,
              "host must be an IP address");
    CHECK_ERR(auki_foxglove_server_start(g_tmp_base, NULL, 0, NULL), AUKI_ERR_INVALID_ARGUMENT, "out");
    CHECK(server == NULL);

    CHECK_OK(auki_foxglove_server_start(g_tmp_base, NULL, 0, &server));
    auki_foxglove_server *second = NULL;
    CHECK_ERR(auki_foxglove_server_start(g_tmp_base, NULL, auki_foxglove_server_port(server), &second), AUKI_ERR_IO,
              "cannot listen on 127.0.0.1:");
    CHECK(second == NULL);
    auki_foxglove_server_close(server);
    /* A closed, NULL or garbage handle: port 0, close a no-op. */
    CHECK(auki_foxglove_server_port(server) == 0);
    CHECK(auki_foxglove_server_port(NULL) == 0);
    auki_foxglove_server_close(server);
    auki_foxglove_server_close(NULL);
}

int main(void) {
    fixtures_begin("test_foxglove_server");
    run_all_tests();
    return fixtures_end();
}
