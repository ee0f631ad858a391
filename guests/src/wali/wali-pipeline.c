/*
 * wali-pipeline: a pipeline of three processes and redirections with dup2, like
 *   seq 1 1000 | keep-multiples-of-3 | count   and   echo ... > file.
 * Each stage is this program run again with execve, its stdin/stdout wired with pipe + dup2.
 *   wali-pipeline                 the checks (prints "ok ..." lines)
 *   wali-pipeline produce N       prints 1..N, one per line
 *   wali-pipeline filter K        copies lines whose number is a multiple of K
 *   wali-pipeline count           prints the number of lines read
 */
#include "wali.h"

static int read_line(char *buf, int max) {
    static char in[4096]; static int have, pos;
    int n = 0;
    for (;;) {
        if (pos == have) { i64 r = sys_read(0, in, sizeof in); if (r <= 0) return n ? n : -1; have = (int)r; pos = 0; }
        char c = in[pos++];
        if (c == '\n') { buf[n] = 0; return n; }
        if (n < max - 1) buf[n++] = c;
    }
}

static i64 spawn(const char *self, char *const *args, int in, int out) {
    i64 pid = sys_fork();
    if (pid == 0) {
        if (in != 0) { sys_dup2(in, 0); sys_close(in); }
        if (out != 1) { sys_dup2(out, 1); sys_close(out); }
        for (int fd = 3; fd < 20; fd++) sys_close(fd);
        sys_execve(self, args, 0);
        sys_exit_group(127);
    }
    return pid;
}

int main(int argc, char **argv) {
    char line[64];
    if (argc >= 3 && !strcmp(argv[1], "produce")) {
        long n = atol(argv[2]);
        for (long i = 1; i <= n; i++) { putl(i); say("\n"); }
        return 0;
    }
    if (argc >= 3 && !strcmp(argv[1], "filter")) {
        long k = atol(argv[2]);
        while (read_line(line, sizeof line) >= 0) if (atol(line) % k == 0) { say(line); say("\n"); }
        return 0;
    }
    if (argc >= 2 && !strcmp(argv[1], "count")) {
        long c = 0;
        while (read_line(line, sizeof line) >= 0) c++;
        putl(c); say("\n");
        return 0;
    }
    /* producer | filter | counter > captured */
    int a[2], b[2], c[2];
    CHECK(sys_pipe(a) == 0 && sys_pipe(b) == 0 && sys_pipe2(c, O_CLOEXEC) == 0, "three pipes");
    char *p1[] = {"wali-pipeline", "produce", "1000", 0};
    char *p2[] = {"wali-pipeline", "filter", "3", 0};
    char *p3[] = {"wali-pipeline", "count", 0};
    i64 x = spawn(argv[0], p1, 0, a[1]);
    i64 y = spawn(argv[0], p2, a[0], b[1]);
    i64 z = spawn(argv[0], p3, b[0], c[1]);
    sys_close(a[0]); sys_close(a[1]); sys_close(b[0]); sys_close(b[1]); sys_close(c[1]);
    char buf[64]; i64 n = 0, r;
    while ((r = sys_read(c[0], buf + n, sizeof buf - 1 - n)) > 0) n += r;
    buf[n] = 0;
    int s1, s2, s3;
    sys_wait4((int)x, &s1, 0, 0); sys_wait4((int)y, &s2, 0, 0); sys_wait4((int)z, &s3, 0, 0);
    CHECK(!strcmp(buf, "333\n"), "three-stage pipeline counts 333 multiples of 3");
    CHECK(WIFEXITED(s1) && WIFEXITED(s2) && WIFEXITED(s3) && !WEXITSTATUS(s1) && !WEXITSTATUS(s2) && !WEXITSTATUS(s3), "every stage exited 0");
    CHECK(sys_read(c[0], buf, 1) == 0, "EOF once every writer is gone");

    /* Redirection of stdout to a file with dup2, then reading it back. */
    flush();
    int saved = (int)sys_dup(1);
    int fd = (int)sys_open("/tmp/redirected.txt", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    sys_dup2(fd, 1); sys_close(fd);
    say("into the file\n");
    flush();
    sys_dup2(saved, 1); sys_close(saved);
    fd = (int)sys_open("/tmp/redirected.txt", O_RDONLY, 0);
    n = sys_read(fd, buf, sizeof buf - 1); buf[n > 0 ? n : 0] = 0; sys_close(fd);
    CHECK(!strcmp(buf, "into the file\n"), "stdout redirected to a file with dup2");

    /* A child writing into a pipe whose reader is gone dies of SIGPIPE. */
    int d[2]; sys_pipe(d); sys_close(d[0]);
    i64 w = sys_fork();
    if (w == 0) { sys_write(d[1], "x", 1); sys_exit_group(0); }
    sys_close(d[1]);
    int st; sys_wait4((int)w, &st, 0, 0);
    CHECKV(WIFSIGNALED(st) && WTERMSIG(st) == SIGPIPE, "writer without reader dies of SIGPIPE", st);
    set_disposition(SIGPIPE, 1);
    sys_pipe(d); sys_close(d[0]);
    CHECK(sys_write(d[1], "x", 1) == -EPIPE, "with SIGPIPE ignored: EPIPE");

    /* poll: a pipe becomes readable when data arrives, hangs up when the writer closes. */
    sys_pipe(d);
    struct pollfd pf = {d[0], POLLIN, 0};
    CHECK(sys_poll(&pf, 1, 0) == 0, "poll: empty pipe not readable");
    sys_write(d[1], "y", 1);
    CHECK(sys_poll(&pf, 1, 1000) == 1 && (pf.revents & POLLIN), "poll: readable after a write");
    sys_read(d[0], buf, 1); sys_close(d[1]);
    CHECK(sys_poll(&pf, 1, 1000) == 1 && (pf.revents & POLLHUP), "poll: hang-up after the writer closed");
    u64 set[16] = {0}; set[0] = 1ULL << d[0];
    i64 tv[2] = {1, 0};
    CHECK(sys_select(d[0] + 1, set, 0, 0, tv) == 1, "select: readable at end of file");
    return failures;
}
WALI_MAIN
