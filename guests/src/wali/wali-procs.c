/*
 * wali-procs: processes. fork and wait4 (exit codes, death by signal, WNOHANG, ECHILD),
 * execve of this same program with argv and environment, getpid/getppid, process groups and
 * sessions, SIGCHLD, close-on-exec. Prints ok/FAIL lines; exit 0 when all passed.
 *   wali-procs                 the checks
 *   wali-procs exec-child A B  (run by execve) prints its argv, FOO and whether fd 9 is open
 */
#include "wali.h"

static volatile int chld;
static void on_chld(int sig) { (void)sig; chld++; }

int main(int argc, char **argv) {
    if (argc >= 2 && !strcmp(argv[1], "exec-child")) {
        say("child argv:"); for (int i = 2; i < argc; i++) { say(" "); say(argv[i]); } say("\n");
        const char *foo = getenv("FOO");
        say("child FOO="); say(foo ? foo : "(unset)"); say("\n");
        say(sys_fcntl(9, F_GETFD, 0) == -EBADF ? "child fd9 closed\n" : "child fd9 open\n");
        say(sys_fcntl(8, F_GETFD, 0) >= 0 ? "child fd8 open\n" : "child fd8 closed\n");
        return 42;
    }
    int self = (int)sys_getpid();
    CHECKV(self == 1, "pid 1", self);

    i64 pid = sys_fork();
    if (pid == 0) { sys_exit_group(7); }
    int status = 0;
    i64 w = sys_wait4((int)pid, &status, 0, 0);
    CHECK(w == pid, "wait4 returns the child");
    CHECKV(WIFEXITED(status) && WEXITSTATUS(status) == 7, "exit status 7 encoded", status);

    pid = sys_fork();
    if (pid == 0) { CHECK(sys_getppid() == 1, "child's parent is 1"); flush(); sys_kill((int)sys_getpid(), SIGUSR1); for (;;) {} }
    w = sys_wait4((int)pid, &status, 0, 0);
    CHECKV(WIFSIGNALED(status) && WTERMSIG(status) == SIGUSR1, "death by SIGUSR1 encoded", status);

    CHECK(sys_wait4(-1, &status, WNOHANG, 0) == -ECHILD, "no children: ECHILD");

    set_handler(SIGCHLD, on_chld, 0);
    pid = sys_fork();
    if (pid == 0) { sleep_ms(50); sys_exit_group(0); }
    CHECK(sys_wait4((int)pid, &status, WNOHANG, 0) == 0, "WNOHANG while the child runs");
    w = sys_wait4((int)pid, &status, 0, 0);
    CHECK(w == pid && chld >= 1, "SIGCHLD handler ran");

    /* A zombie stays until reaped: kill(pid, 0) still finds it. */
    pid = sys_fork();
    if (pid == 0) sys_exit_group(3);
    sleep_ms(100);
    CHECK(sys_kill((int)pid, 0) == 0, "zombie exists until reaped");
    sys_wait4((int)pid, &status, 0, 0);
    CHECK(sys_kill((int)pid, 0) == -ESRCH, "reaped zombie is gone");

    /* Process groups and sessions. */
    pid = sys_fork();
    if (pid == 0) {
        int ok = sys_setsid() == sys_getpid() && sys_getpgid(0) == sys_getpid();
        sys_exit_group(ok ? 0 : 1);
    }
    sys_wait4((int)pid, &status, 0, 0);
    CHECKV(WIFEXITED(status) && WEXITSTATUS(status) == 0, "setsid in a child", status);
    CHECK(sys_setpgid(0, 0) == 0 && sys_getpgid(0) == 1, "setpgid(0, 0)");

    /* execve: same pid, argv and environment passed, close-on-exec honoured. */
    int p[2];
    sys_pipe(p);
    pid = sys_fork();
    if (pid == 0) {
        sys_dup2(p[1], 1);
        sys_close(p[0]);
        sys_open("/dev/null", O_RDONLY, 0) ; /* some descriptor */
        sys_dup3((int)sys_open("/dev/null", O_RDONLY, 0), 9, O_CLOEXEC);
        sys_dup2((int)sys_open("/dev/null", O_RDONLY, 0), 8);
        char *args[] = {"wali-procs", "exec-child", "alpha", "beta gamma", 0};
        char *env[] = {"FOO=bar baz", "OTHER=1", 0};
        sys_execve(argv[0], args, env);
        sys_exit_group(99);
    }
    sys_close(p[1]);
    char buf[512]; i64 n = 0, r;
    /* The child's exit sends SIGCHLD, caught above without SA_RESTART: a read it interrupts
       returns EINTR (as on Linux), and the rest of the output is still to come. */
    while ((r = sys_read(p[0], buf + n, sizeof buf - 1 - n)) > 0 || r == -EINTR) if (r > 0) n += r;
    buf[n] = 0;
    sys_wait4((int)pid, &status, 0, 0);
    CHECKV(WIFEXITED(status) && WEXITSTATUS(status) == 42, "execve'd program's exit code", status);
    CHECK(!strcmp(buf, "child argv: alpha beta gamma\nchild FOO=bar baz\nchild fd9 closed\nchild fd8 open\n"), "execve argv, env and close-on-exec");
    CHECK(sys_execve("/no/such/program", 0, 0) == -ENOENT, "execve of a missing file: ENOENT");
    CHECK(sys_execve("/tmp", 0, 0) == -EACCES, "execve of a directory: EACCES");
    return failures;
}
WALI_MAIN
