/*
 * wali-run-wasi: a WALI parent starts a program the way a shell does, to show that a WASI
 * program inherits its descriptors: fd 3 open on /tmp/inherited.txt, stdin and stdout pipes,
 * FOO=from-wali in the environment. Prints what the child wrote, how it ended and what it
 * wrote to fd 3.
 *   wali-run-wasi PATH [ARG...]
 */
#include "wali.h"

static char buf[8192];

int main(int argc, char **argv) {
    if (argc < 2) { puts_("usage: wali-run-wasi PATH [ARG...]\n"); return 2; }
    i64 f = sys_open("/tmp/inherited.txt", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (f < 0) { puts_("cannot create /tmp/inherited.txt\n"); return 1; }
    if (f != 3) { sys_dup2((int)f, 3); sys_close((int)f); }
    int in[2], out[2];
    if (sys_pipe(in) < 0 || sys_pipe(out) < 0) { puts_("pipe failed\n"); return 1; }
    i64 pid = sys_fork();
    if (pid == 0) {
        sys_dup2(in[0], 0);
        sys_dup2(out[1], 1);
        sys_close(in[0]); sys_close(in[1]); sys_close(out[0]); sys_close(out[1]);
        char *env[] = {"FOO=from-wali", 0};
        sys_execve(argv[1], argv + 1, env);
        sys_exit_group(127);
    }
    sys_close(in[0]);
    sys_close(out[1]);
    write_all(in[1], "hello through a pipe\n");
    sys_close(in[1]);
    i64 n = 0, r;
    while ((r = sys_read(out[0], buf + n, sizeof buf - 1 - n)) > 0) n += r;
    buf[n] = 0;
    int status = 0;
    sys_wait4((int)pid, &status, 0, 0);
    puts_("child wrote:\n");
    puts_(buf);
    if (WIFEXITED(status)) { puts_("child exited "); putl(WEXITSTATUS(status)); }
    else { puts_("child killed by signal "); putl(WTERMSIG(status)); }
    puts_("\n");
    sys_close(3);
    i64 fd = sys_open("/tmp/inherited.txt", O_RDONLY, 0);
    n = 0;
    while ((r = sys_read((int)fd, buf + n, sizeof buf - 1 - n)) > 0) n += r;
    buf[n] = 0;
    puts_("fd 3 got: ");
    puts_(buf);
    return 0;
}
WALI_MAIN
