/* Timeouts of select, pselect and ppoll on an empty pipe: each returns 0 after about the time
 * asked (the C library hands the runtime x86-64's 64-bit timeval/timespec), and a byte in the
 * pipe makes each return 1 at once. */
#define _GNU_SOURCE
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <sys/select.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static const char *took(double start, double lo, double hi)
{
    double d = now() - start;
    return d >= lo && d < hi ? "in time" : "WRONG TIME";
}

int main(void)
{
    int p[2];
    if (pipe(p) != 0) { perror("pipe"); return 1; }
    for (int round = 0; round < 2; round++) {
        double lo = round == 0 ? 0.04 : 0, hi = round == 0 ? 5 : 1;
        fd_set r;
        FD_ZERO(&r); FD_SET(p[0], &r);
        struct timeval tv = { 0, 50000 };
        double t0 = now();
        int n = select(p[0] + 1, &r, 0, 0, &tv);
        printf("select %d %s\n", n, took(t0, lo, hi));
        FD_ZERO(&r); FD_SET(p[0], &r);
        struct timespec ts = { 0, 50000000 };
        sigset_t none;
        sigemptyset(&none);
        t0 = now();
        n = pselect(p[0] + 1, &r, 0, 0, &ts, &none);
        printf("pselect %d %s\n", n, took(t0, lo, hi));
        struct pollfd fd = { p[0], POLLIN, 0 };
        t0 = now();
        n = ppoll(&fd, 1, &ts, &none);
        printf("ppoll %d %s\n", n, took(t0, lo, hi));
        if (round == 0 && write(p[1], "x", 1) != 1) { perror("write"); return 1; }
    }
    /* a timeout of 1.5 s given as 0 s + 1500000 us is carried into whole seconds: still a wait
       that ends, and here at once since the pipe has data */
    fd_set r;
    FD_ZERO(&r); FD_SET(p[0], &r);
    struct timeval tv = { 0, 1500000 };
    printf("select carry %d\n", select(p[0] + 1, &r, 0, 0, &tv));
    return 0;
}
