/*
 * echo-epoll: a plain C echo server on epoll, the floor the echo benchmark holds every row against.
 *
 * One thread, level-triggered, non-blocking sockets with TCP_NODELAY, as the Java servers of the table. A read of up
 * to 64 KiB is written straight back; what the socket does not take waits in the connection's buffer, and the
 * connection stops reading until EPOLLOUT has flushed it (backpressure, as Netty's and Weft's servers do).
 *
 *   cc -O2 -o echo-epoll echo-epoll.c && ./echo-epoll --port 7400
 */
#define _GNU_SOURCE /* accept4 */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

enum { READ_SIZE = 64 * 1024, MAX_EVENTS = 256 };

struct connection {
    int fd;
    char *pending; /* bytes read but not yet written back */
    size_t length, capacity;
};

static int epoll_fd;

static void fail(const char *what) {
    perror(what);
    exit(1);
}

static void watch(int op, struct connection *c, unsigned events) {
    struct epoll_event event = {.events = events, .data.ptr = c};
    if (epoll_ctl(epoll_fd, op, c->fd, &event) != 0) {
        fail("epoll_ctl");
    }
}

static void drop(struct connection *c) {
    close(c->fd); /* also leaves the epoll set */
    free(c->pending);
    free(c);
}

static void accept_all(int listener) {
    for (;;) {
        int fd = accept4(listener, NULL, NULL, SOCK_NONBLOCK);
        if (fd < 0) {
            return; /* EAGAIN: no more for now; anything else: the client is gone already */
        }
        int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        struct connection *c = calloc(1, sizeof *c);
        c->fd = fd;
        watch(EPOLL_CTL_ADD, c, EPOLLIN);
    }
}

/* Keep what the socket did not take; returns 0 if out of memory. */
static int keep(struct connection *c, const char *bytes, size_t count) {
    if (c->length + count > c->capacity) {
        size_t capacity = (c->length + count) * 2;
        char *grown = realloc(c->pending, capacity);
        if (!grown) {
            return 0;
        }
        c->pending = grown;
        c->capacity = capacity;
    }
    memcpy(c->pending + c->length, bytes, count);
    c->length += count;
    return 1;
}

/* Write the connection's pending bytes; once all are out, read again. Returns 0 if the connection broke. */
static int flush(struct connection *c) {
    ssize_t written = write(c->fd, c->pending, c->length);
    if (written < 0) {
        return errno == EAGAIN;
    }
    memmove(c->pending, c->pending + written, c->length - (size_t) written);
    c->length -= (size_t) written;
    if (c->length == 0) {
        watch(EPOLL_CTL_MOD, c, EPOLLIN);
    }
    return 1;
}

/* Read once and write it back; returns 0 at the peer's end or an error. */
static int echo(struct connection *c) {
    static char buffer[READ_SIZE];
    ssize_t count = read(c->fd, buffer, sizeof buffer);
    if (count <= 0) {
        return count < 0 && errno == EAGAIN;
    }
    ssize_t written = write(c->fd, buffer, (size_t) count);
    if (written < 0) {
        if (errno != EAGAIN) {
            return 0;
        }
        written = 0;
    }
    if (written < count) {
        if (!keep(c, buffer + written, (size_t) (count - written))) {
            return 0;
        }
        watch(EPOLL_CTL_MOD, c, EPOLLOUT);
    }
    return 1;
}

int main(int argc, char **argv) {
    int port = 0;
    for (int i = 1; i + 1 < argc; i++) {
        if (strcmp(argv[i], "--port") == 0) {
            port = atoi(argv[i + 1]);
        }
    }
    if (port <= 0 || port > 65535) {
        fprintf(stderr, "usage: echo-epoll --port P (1-65535)\n");
        return 2;
    }
    int listener = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    int one = 1;
    setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons((uint16_t) port),
                                  .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    if (bind(listener, (struct sockaddr *) &address, sizeof address) != 0 || listen(listener, 1024) != 0) {
        fail("listen on 127.0.0.1");
    }
    epoll_fd = epoll_create1(0);
    struct epoll_event listening = {.events = EPOLLIN, .data.ptr = NULL};
    if (epoll_fd < 0 || epoll_ctl(epoll_fd, EPOLL_CTL_ADD, listener, &listening) != 0) {
        fail("epoll");
    }
    struct epoll_event events[MAX_EVENTS];
    for (;;) {
        int ready = epoll_wait(epoll_fd, events, MAX_EVENTS, -1);
        if (ready < 0 && errno != EINTR) {
            fail("epoll_wait");
        }
        for (int i = 0; i < ready; i++) {
            struct connection *c = events[i].data.ptr;
            if (c == NULL) {
                accept_all(listener);
            } else if (!(c->length > 0 ? flush(c) : echo(c))) {
                drop(c);
            }
        }
    }
}
