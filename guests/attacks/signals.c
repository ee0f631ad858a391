/*
 * attack-signals: make the kernel's own signal machinery fail (`attack-signals TECHNIQUE`; output:
 * see attack.h; build: shared-memory, for memory.atomic.wait).
 *
 * atomic-wait-kill      a child waits in memory.atomic.wait forever, every blockable signal
 *                       blocked; the parent SIGKILLs it and polls wait4 (WNOHANG) for at most
 *                       10 s: "RESULT T ret=<wait status>" (9: SIGKILL), or "SURVIVED T
 *                       child-outlived-sigkill" when the child is still there at the deadline
 * nested-handler-storm  children raise SIGUSR1 from inside its own SA_NODEFER handler, nesting
 *                       handlers until each, at its chosen depth, asks mmap for PROT_EXEC (ATTEMPT
 *                       first) — or until the vkernel's nesting limit ends it first. STEP T
 *                       segv=<children that died of SIGSEGV>, then "RESULT T ret=<children>"
 */
#include "attack.h"
#include "signal-attacks.h"

enum { KILL_DEADLINE_MS = 10000 };

static __attribute__((noreturn)) void atomic_wait_kill(void) {
    i64 pid = start_blocked_child("atomic-wait");
    if (pid < 0) setup_failed("fork", pid);
    sleep_ms(100); /* into the wait */
    attempt();
    sys_kill((int)pid, SIGKILL);
    i64 deadline = now_ns() + KILL_DEADLINE_MS * 1000000LL;
    int status = 0;
    while (sys_wait4((int)pid, &status, WNOHANG, 0) != pid) {
        if (now_ns() > deadline) survived("child-outlived-sigkill", KILL_DEADLINE_MS);
        sleep_ms(5);
    }
    result(status);
}

static __attribute__((noreturn)) void nested_handler_storm(void) {
    /* depths at which to attempt PROT_EXEC: shallow, deep, at the nesting limit, and past it */
    static const int depths[] = {1, 2, 17, 64, 128, 200, 255, 256, 257, 1000};
    enum { N = sizeof depths / sizeof depths[0] };
    i64 pids[N];
    for (int i = 0; i < N; i++) {
        pids[i] = start_storm_child(depths[i]);
        if (pids[i] < 0) setup_failed("fork", pids[i]);
    }
    int segv = 0;
    for (int i = 0; i < N; i++) {
        int status = wait_for(pids[i]);
        if (WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV) segv++;
    }
    step("segv", segv);
    result(N);
}

int main(int argc, char **argv) {
    if (argc < 2) usage("attack-signals", "no technique");
    technique = argv[1];
    if (!strcmp(technique, "atomic-wait-kill")) atomic_wait_kill();
    if (!strcmp(technique, "nested-handler-storm")) nested_handler_storm();
    usage("attack-signals", "unknown technique");
}
WALI_MAIN
