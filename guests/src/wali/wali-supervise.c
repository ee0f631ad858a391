/*
 * wali-supervise [--stay] CMD [ARG...]: runs CMD in a child (fork + execve), waits for it and
 * reports how it ended — "child exited N" or "child killed by signal N" — then "supervisor
 * alive" and exit 0; with --stay it then sleeps until killed (so a test can kill the host).
 * Policy tests run an attack as the child: under onViolation kill-process the child dies of
 * SIGKILL and this parent goes on; under kill-container nothing prints after the attempt.
 */
#include "wali.h"

int main(int argc, char **argv) {
    int stay = argc > 1 && !strcmp(argv[1], "--stay");
    if (stay) { argv++; argc--; }
    if (argc < 2) {
        write_all(2, "usage: wali-supervise [--stay] CMD [ARG...]\n");
        return 2;
    }
    i64 pid = sys_fork();
    if (pid == 0) {
        i64 r = sys_execve(argv[1], argv + 1, 0);
        say("execve failed: "); putl(r); say("\n");
        sys_exit_group(100);
    }
    int st = wait_for(pid);
    if (WIFEXITED(st)) { say("child exited "); putl((st >> 8) & 0xff); say("\n"); }
    else { say("child killed by signal "); putl(st & 0x7f); say("\n"); }
    say("supervisor alive\n");
    flush();
    while (stay) sleep_ms(3600 * 1000L);
    return 0;
}
WALI_MAIN
