/*
 * wali-forkbomb: forks until the container's process limit answers EAGAIN, then kills and
 * reaps every child and exits 0; prints how many processes it got. Modes "tree" and
 * "endless" below.
 */
#include "wali.h"

/*
 * "tree": every process forks up to 3 children, each of which does the same, down to depth 5
 * (364 processes if nothing stopped it), and stops forking at its first EAGAIN. Each fork and
 * each EAGAIN is reported as a byte ('F', 'E') on a pipe shared by the whole tree; a process
 * exits 0 when all its children did. The root prints the counts.
 */
static int tree(int depth, int report) {
    i64 kids[3]; int n = 0;
    for (int i = 0; i < 3 && depth < 5; i++) {
        i64 r = sys_fork();
        if (r == 0) { n = 0; depth++; i = -1; continue; }
        if (r < 0) { sys_write(report, r == -EAGAIN ? "E" : "X", 1); break; }
        sys_write(report, "F", 1);
        kids[n++] = r;
    }
    sleep_ms(200); /* stay alive a while, so that the tree presses on the limit */
    int ok = 1;
    for (int i = 0; i < n; i++) { int st = wait_for(kids[i]); if (!WIFEXITED(st) || WEXITSTATUS(st)) ok = 0; }
    return ok ? 0 : 1;
}

/* "endless": forks forever, ignoring every error; the children spin. Only the container's timeout ends it. */
static void endless(void) {
    for (;;) { if (sys_fork() == 0) for (;;) {} }
}

int main(int argc, char **argv) {
    if (argc >= 2 && !strcmp(argv[1], "endless")) endless();
    if (argc >= 2 && !strcmp(argv[1], "tree")) {
        int p[2]; sys_pipe(p);
        flush();
        i64 root = sys_getpid();
        int code = tree(0, p[1]);
        if (sys_getpid() != root) sys_exit_group(code);
        sys_close(p[1]);
        static char bytes[65536];
        i64 n = read_all(p[0], bytes, sizeof bytes);
        int forks = 0, eagain = 0, other = 0;
        for (i64 i = 0; i < n; i++) { if (bytes[i] == 'F') forks++; else if (bytes[i] == 'E') eagain++; else other++; }
        say("tree forks: "); putl(forks); say(", EAGAIN: "); putl(eagain); say("\n");
        CHECKV(eagain > 0 && other == 0, "the fork tree met EAGAIN and nothing else", other);
        CHECKV(forks >= 31 && forks < 364, "the tree grew to the limit, not to its full size", forks);
        CHECK(code == 0, "every process of the tree reaped its children and exited 0");
        int st;
        CHECK(sys_wait4(-1, &st, WNOHANG, 0) == -ECHILD, "nothing left to reap");
        return failures;
    }
    int pids[4096], n = 0;
    i64 r = 0;
    while (n < 4096) {
        r = sys_fork();
        if (r == 0) { for (;;) sys_pause(); }
        if (r < 0) break;
        pids[n++] = (int)r;
    }
    CHECKV(r == -EAGAIN, "fork fails with EAGAIN at the process limit", r);
    say("children: "); putl(n); say("\n");
    for (int i = 0; i < n; i++) sys_kill(pids[i], SIGKILL);
    int reaped = 0, status;
    while (sys_wait4(-1, &status, 0, 0) > 0) reaped++;
    CHECKV(reaped == n, "every child reaped", reaped);
    i64 again = sys_fork();
    if (again == 0) sys_exit_group(0);
    CHECK(again > 0, "fork works again afterwards");
    sys_wait4((int)again, &status, 0, 0);
    return failures;
}
WALI_MAIN
