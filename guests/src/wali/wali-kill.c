/*
 * wali-kill: SIGKILL always wins, and nested signal handlers stay bounded (build: shared-memory).
 *
 *   wali-kill CALL            a child blocked in CALL (signal-attacks.h lists them), every blockable
 *                             signal blocked, is SIGKILLed; its parent's wait4 must see SIGKILL.
 *                             Prints "kill-latency CALL <us>" (kill to wait4's return)
 *   wali-kill sigstop         SIGKILL and SIGSTOP cannot be caught, ignored or blocked; a child sent
 *                             SIGSTOP is still killed by SIGKILL
 *   wali-kill stop-container  one child blocked in each call, then pid 1 itself waits in
 *                             memory.atomic.wait forever: only stopping the container ends them
 *   wali-kill storm           children in SA_NODEFER handler storms attempt PROT_EXEC at handler
 *                             depths 1..MAX (each prints ATTEMPT first) or beyond the nesting
 *                             limit; prints "storm-child at=D status=S" for each
 */
#include "signal-attacks.h"

enum { SIGSTOP = 19 };

static int kill_one(const char *call) {
    i64 micros;
    int status = kill_blocked(call, &micros);
    CHECKV(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL, "the blocked child died of SIGKILL", status);
    say("kill-latency "); say(call); say(" "); putl(micros); say("\n");
    return failures;
}

static int sigstop_rules(void) {
    struct sigaction sa; __builtin_memset(&sa, 0, sizeof sa);
    sa.handler = 1; /* SIG_IGN */
    CHECK(sys_rt_sigaction(SIGSTOP, &sa, 0, 8) == -EINVAL, "SIGSTOP cannot be ignored");
    CHECK(sys_rt_sigaction(SIGKILL, &sa, 0, 8) == -EINVAL, "SIGKILL cannot be ignored");
    sa.handler = (u32)(size_t)storm_handler;
    CHECK(sys_rt_sigaction(SIGSTOP, &sa, 0, 8) == -EINVAL, "SIGSTOP cannot be caught");
    u64 all = ~0ULL, now = 0;
    sys_rt_sigprocmask(SIG_SETMASK, &all, 0, 8);
    sys_rt_sigprocmask(SIG_SETMASK, 0, &now, 8);
    CHECKV((now & (1ULL << (SIGKILL - 1))) == 0 && (now & (1ULL << (SIGSTOP - 1))) == 0,
           "SIGKILL and SIGSTOP stay unblocked", now);
    u64 none = 0;
    sys_rt_sigprocmask(SIG_SETMASK, &none, 0, 8);
    i64 pid = start_blocked_child("pause");
    sleep_ms(50);
    CHECK(sys_kill((int)pid, SIGSTOP) == 0, "kill(SIGSTOP) is accepted");
    sleep_ms(50);
    sys_kill((int)pid, SIGKILL);
    int status = wait_for(pid);
    CHECKV(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL, "a child sent SIGSTOP is still killed by SIGKILL", status);
    return failures;
}

static int stop_container(void) {
    int n = 0;
    for (const char *const *c = BLOCKING_CALLS; *c; c++) {
        if (!strcmp(*c, "stdin-read") || !strcmp(*c, "host-write")) continue; /* need the test's stdio */
        if (start_blocked_child(*c) > 0) n++;
    }
    say("blocked "); putl(n); say("\n");
    flush();
    __builtin_wasm_memory_atomic_wait32(&atomic_word, 0, -1);
    return 1;
}

static int storm(void) {
    static const int depths[] = {1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 100, 128, 144, 200, 233, 250, 255, 256,
                                 1, 7, 64, 127, 129, 192, 255, 256, 300, 1000};
    enum { N = sizeof depths / sizeof depths[0] };
    i64 pids[N];
    for (int i = 0; i < N; i++) {
        pids[i] = start_storm_child(depths[i]);
        if (pids[i] < 0) setup_failed("fork", pids[i]);
    }
    for (int i = 0; i < N; i++) {
        int status = wait_for(pids[i]);
        say("storm-child at="); putl(depths[i]); say(" status="); putl(status); say("\n");
    }
    return 0;
}

int main(int argc, char **argv) {
    if (argc < 2) { say("usage: wali-kill CALL|sigstop|stop-container|storm\n"); return 2; }
    const char *what = argv[1];
    technique = !strcmp(what, "storm") ? "nested-handler-storm" : what;
    if (!strcmp(what, "sigstop")) return sigstop_rules();
    if (!strcmp(what, "stop-container")) return stop_container();
    if (!strcmp(what, "storm")) return storm();
    return kill_one(what);
}
WALI_MAIN
