/*
 * wali-pipes: pipes in depth. Capacity and O_NONBLOCK, a writer blocked on a full pipe until
 * the reader drains it, atomic writes from several writers, EOF only when the last writer
 * (including a dup in another process) closes, EPIPE with SIGPIPE caught, poll and select
 * readiness (woken from another process, timeouts, POLLNVAL, POLLERR), and the stat and
 * seek behaviour of a FIFO. Prints ok/FAIL lines; exits 0 when all passed.
 */
#include "wali.h"

static char big[1 << 20];
static volatile int sigpipes;
static void on_pipe(int sig) { if (sig == SIGPIPE) sigpipes++; }

/* A byte of a pattern nobody would produce by accident. */
static char pattern(long i) { return (char)((i * 7 + i / 251) & 0xff); }

int main(int argc, char **argv) {
    (void)argc; (void)argv;
    int p[2];

    /* Capacity: a non-blocking writer fills 64 KiB, then EAGAIN; an empty non-blocking read is EAGAIN. */
    CHECK(sys_pipe2(p, O_NONBLOCK) == 0, "pipe2 with O_NONBLOCK");
    CHECK((sys_fcntl(p[1], F_GETFL, 0) & O_NONBLOCK) != 0, "F_GETFL shows O_NONBLOCK");
    CHECK(sys_read(p[0], big, 10) == -EAGAIN, "empty non-blocking read: EAGAIN");
    long filled = 0; i64 r;
    while ((r = sys_write(p[1], big, 4096)) > 0) filled += r;
    CHECKV(r == -EAGAIN, "full non-blocking write: EAGAIN", r);
    CHECKV(filled == 65536, "a pipe holds 64 KiB", filled);
    struct pollfd pw = {p[1], POLLOUT, 0};
    CHECK(sys_poll(&pw, 1, 0) == 0, "poll: a full pipe is not writable");
    CHECK(sys_read(p[0], big, 4096) == 4096 && sys_poll(&pw, 1, 0) == 1 && (pw.revents & POLLOUT), "poll: writable after a read");
    sys_close(p[0]); sys_close(p[1]);

    /* a non-blocking write bigger than the room left is partial; zero-length reads and writes return 0 */
    CHECK(sys_pipe2(p, O_NONBLOCK) == 0, "another non-blocking pipe");
    r = sys_write(p[1], big, 100000);
    CHECKV(r == 65536, "a non-blocking 100,000-byte write into an empty pipe writes 65536", r);
    CHECK(sys_read(p[0], big, 0) == 0 && sys_write(p[1], big, 0) == 0, "zero-length read and write: 0");
    sys_close(p[0]); sys_close(p[1]);

    /* F_SETFL clears O_NONBLOCK; then a blocked writer waits for the reader. */
    CHECK(sys_pipe(p) == 0, "pipe");
    CHECK(sys_fcntl(p[0], F_SETFL, O_NONBLOCK) == 0 && sys_read(p[0], big, 1) == -EAGAIN, "F_SETFL sets O_NONBLOCK");
    CHECK(sys_fcntl(p[0], F_SETFL, 0) == 0 && (sys_fcntl(p[0], F_GETFL, 0) & O_NONBLOCK) == 0, "F_SETFL clears it");

    /* One write of 1 MiB, bigger than the pipe, completes once the reader has drained it. */
    i64 child = sys_fork();
    if (child == 0) {
        sys_close(p[0]);
        for (long i = 0; i < (long)sizeof big; i++) big[i] = pattern(i);
        i64 w = sys_write(p[1], big, sizeof big);
        sys_exit_group(w == (i64)sizeof big ? 0 : 1);
    }
    sys_close(p[1]);
    sleep_ms(50); /* the writer is now blocked on a full pipe */
    long got = 0, bad = 0;
    static char chunk[5000];
    while ((r = sys_read(p[0], chunk, sizeof chunk)) > 0) {
        for (i64 i = 0; i < r; i++) if (chunk[i] != pattern(got + i)) bad++;
        got += r;
    }
    int st = wait_for(child);
    CHECKV(got == (long)sizeof big && bad == 0, "1 MiB through the pipe, in order", got);
    CHECKV(WIFEXITED(st) && WEXITSTATUS(st) == 0, "the blocked 1 MiB write returned the full count", st);
    sys_close(p[0]);

    /* Four writers, 500 records of 128 bytes each: records never interleave. */
    sys_pipe(p);
    i64 writers[4];
    for (int k = 0; k < 4; k++) {
        writers[k] = sys_fork();
        if (writers[k] == 0) {
            char rec[128];
            for (int i = 0; i < 127; i++) rec[i] = (char)('A' + k);
            rec[127] = '\n';
            sys_close(p[0]);
            for (int i = 0; i < 500; i++) if (sys_write(p[1], rec, 128) != 128) sys_exit_group(1);
            sys_exit_group(0);
        }
    }
    sys_close(p[1]);
    static char all[4 * 500 * 128 + 1];
    i64 total = read_all(p[0], all, sizeof all);
    int mixed = 0, per[4] = {0};
    for (i64 off = 0; off + 128 <= total; off += 128) {
        char c = all[off];
        for (int i = 1; i < 127; i++) if (all[off + i] != c) mixed++;
        if (all[off + 127] != '\n') mixed++;
        if (c >= 'A' && c <= 'D') per[c - 'A']++;
    }
    int writers_ok = 1;
    for (int k = 0; k < 4; k++) { int s = wait_for(writers[k]); if (!WIFEXITED(s) || WEXITSTATUS(s)) writers_ok = 0; }
    CHECKV(total == 4 * 500 * 128 && writers_ok, "four writers delivered 256000 bytes", total);
    CHECKV(mixed == 0 && per[0] == 500 && per[1] == 500 && per[2] == 500 && per[3] == 500, "128-byte writes are atomic", mixed);
    sys_close(p[0]);

    /* EOF only after the last write end closes, even one held by another process. */
    sys_pipe(p);
    child = sys_fork();
    if (child == 0) { sys_close(p[0]); sleep_ms(150); sys_write(p[1], "late", 4); sys_exit_group(0); }
    sys_close(p[1]);
    char small[16];
    i64 n = read_all(p[0], small, sizeof small); /* an early EOF would give 0 bytes */
    CHECKV(n == 4 && !strcmp(small, "late"), "EOF waits for the writer in another process", n);
    i64 t0, ms;
    wait_for(child);
    sys_close(p[0]);

    /* EPIPE with a SIGPIPE handler: the handler runs and write returns EPIPE. */
    set_handler(SIGPIPE, on_pipe, 0);
    sys_pipe(p); sys_close(p[0]);
    CHECK(sys_write(p[1], "x", 1) == -EPIPE, "write without a reader: EPIPE");
    CHECK(sigpipes == 1, "the SIGPIPE handler ran once");
    struct pollfd pe = {p[1], POLLOUT, 0};
    CHECK(sys_poll(&pe, 1, 0) == 1 && (pe.revents & POLLERR), "poll: POLLERR on a write end without a reader");
    sys_close(p[1]);

    /* poll woken by a write from another process; a timeout; POLLNVAL; negative fds ignored. */
    int q[2];
    sys_pipe(p); sys_pipe(q);
    child = sys_fork();
    if (child == 0) { sleep_ms(100); sys_write(q[1], "z", 1); sys_exit_group(0); }
    struct pollfd fds[3] = {{p[0], POLLIN, 0}, {q[0], POLLIN, 0}, {-1, POLLIN, 0}};
    t0 = now_ns();
    i64 ready = sys_poll(fds, 3, -1);
    ms = (now_ns() - t0) / 1000000;
    CHECKV(ready == 1 && !(fds[0].revents) && (fds[1].revents & POLLIN) && fds[2].revents == 0,
           "poll wakes when another process writes", ready);
    wait_for(child);
    fds[0].revents = 7;
    t0 = now_ns();
    CHECK(sys_poll(fds, 1, 200) == 0 && fds[0].revents == 0, "poll timeout: 0 ready");
    ms = (now_ns() - t0) / 1000000;
    CHECKV(ms >= 180 && ms < 3000, "poll waited about 200 ms", ms);
    struct pollfd closed = {99, POLLIN, 0};
    CHECK(sys_poll(&closed, 1, 0) == 1 && closed.revents == POLLNVAL, "poll: POLLNVAL for a closed descriptor");

    /* select: one of two pipes readable, write sets, timeouts, bad descriptors. */
    u64 rs[16], ws[16];
    __builtin_memset(rs, 0, sizeof rs); __builtin_memset(ws, 0, sizeof ws);
    rs[0] = (1ULL << p[0]) | (1ULL << q[0]);
    int nfds = (p[0] > q[0] ? p[0] : q[0]) + 1;
    i64 tv[2] = {0, 0};
    CHECK(sys_select(nfds, rs, 0, 0, tv) == 1 && rs[0] == (1ULL << q[0]), "select: only the pipe with data");
    ws[0] = 1ULL << p[1];
    i64 tv2[2] = {1, 0};
    CHECK(sys_select(p[1] + 1, 0, ws, 0, tv2) == 1 && ws[0] == (1ULL << p[1]), "select: an empty pipe is writable");
    rs[0] = 1ULL << p[0];
    i64 tv3[2] = {0, 150000};
    t0 = now_ns();
    CHECK(sys_select(p[0] + 1, rs, 0, 0, tv3) == 0 && rs[0] == 0, "select timeout: 0 ready, set cleared");
    ms = (now_ns() - t0) / 1000000;
    CHECKV(ms >= 130, "select waited about 150 ms", ms);
    rs[0] = 1ULL << 40;
    CHECK(sys_select(41, rs, 0, 0, tv) == -EBADF, "select on a closed descriptor: EBADF");

    /* A pipe is a FIFO: no seeking. */
    struct stat sb;
    CHECK(sys_fstat(p[0], &sb) == 0 && S_ISFIFO(sb.mode), "fstat: a FIFO");
    CHECK(sys_lseek(p[0], 0, 0) == -ESPIPE, "lseek on a pipe: ESPIPE");
    CHECK(sys_pread64(p[0], small, 1, 0) == -ESPIPE, "pread on a pipe: ESPIPE");
    CHECK(sys_write(p[0], "x", 1) == -EBADF && sys_read(p[1], small, 1) == -EBADF, "wrong ends: EBADF");

    /* readv/writev gather and scatter through the pipe. */
    struct iovec out[2] = {{(u32)(size_t)"abc", 3}, {(u32)(size_t)"defg", 4}};
    char x1[2], x2[5];
    struct iovec in[2] = {{(u32)(size_t)x1, 2}, {(u32)(size_t)x2, 5}};
    CHECK(sys_writev(p[1], out, 2) == 7 && sys_readv(p[0], in, 2) == 7 && memeq(x1, "ab", 2) && memeq(x2, "cdefg", 5),
          "writev and readv");
    return failures;
}
WALI_MAIN
