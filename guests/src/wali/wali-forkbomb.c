/*
 * wali-forkbomb: forks until the container's process limit answers EAGAIN, then kills and
 * reaps every child and exits 0; prints how many processes it got.
 */
#include "wali.h"

int main(int argc, char **argv) {
    (void)argc;
    (void)argv;
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
