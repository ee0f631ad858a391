/*
 * wali-signals: handlers, masks, pending signals, SIG_IGN, default actions, interruption of a
 * blocked read, alarm; and setjmp/longjmp (nested, across frames, from a signal handler with
 * sigsetjmp restoring the mask).
 */
#include "wali.h"

static volatile int hits[65];
static void handler(int sig) { hits[sig]++; }

static jmp_buf outer, inner, fromsig;
static volatile int depth_reached;

static __attribute__((noinline)) void deep(int n) {
    depth_reached = n;
    if (n == 50) longjmp(outer, 50);
    deep(n + 1);
}

static void jumping_handler(int sig) { (void)sig; longjmp(fromsig, 9); }

int main(int argc, char **argv) {
    (void)argc;
    (void)argv;
    int self = (int)sys_getpid();
    /* a pointer that is not table slot 1 (the value of SIG_IGN) */
    CHECK((u32)(size_t)handler != 1, "handler index is not SIG_IGN");
    CHECK(set_handler(SIGUSR1, handler, 0) == 0, "rt_sigaction installs a handler");
    sys_kill(self, SIGUSR1);
    CHECK(hits[SIGUSR1] == 1, "the handler ran on return from kill");

    u64 set = 1ULL << (SIGUSR1 - 1), pending = 0;
    CHECK(sys_rt_sigprocmask(SIG_BLOCK, &set, 0, 8) == 0, "block SIGUSR1");
    sys_kill(self, SIGUSR1);
    CHECK(hits[SIGUSR1] == 1, "a blocked signal waits");
    CHECK(sys_rt_sigpending(&pending, 8) == 0 && (pending & set), "rt_sigpending shows it");
    CHECK(sys_rt_sigprocmask(SIG_UNBLOCK, &set, 0, 8) == 0 && hits[SIGUSR1] == 2, "unblocking delivers it");

    CHECK(set_disposition(SIGUSR2, 1) == 0, "SIG_IGN");
    sys_kill(self, SIGUSR2);
    CHECK(hits[SIGUSR2] == 0, "an ignored signal does nothing");

    struct sigaction old;
    CHECK(sys_rt_sigaction(SIGUSR1, 0, &old, 8) == 0 && old.handler == (u32)(size_t)handler, "rt_sigaction reports the old handler");
    CHECK(sys_rt_sigaction(SIGKILL, &old, 0, 8) == -EINVAL, "SIGKILL cannot be caught");

    /* default action: the child dies of SIGTERM */
    int status;
    i64 pid = sys_fork();
    if (pid == 0) { for (;;) {} }
    sleep_ms(20);
    sys_kill((int)pid, SIGTERM);
    sys_wait4((int)pid, &status, 0, 0);
    CHECKV(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM, "a spinning child dies of SIGTERM", status);

    /* a signal interrupts a blocked read: EINTR, after the handler ran */
    int p[2]; sys_pipe(p);
    pid = sys_fork();
    if (pid == 0) {
        set_handler(SIGUSR1, handler, 0);
        int before = hits[SIGUSR1];
        char c; i64 r = sys_read(p[0], &c, 1);
        sys_exit_group(r == -EINTR && hits[SIGUSR1] == before + 1 ? 0 : 1);
    }
    sleep_ms(100);
    sys_kill((int)pid, SIGUSR1);
    sys_wait4((int)pid, &status, 0, 0);
    CHECKV(WIFEXITED(status) && WEXITSTATUS(status) == 0, "read interrupted with EINTR", status);
    sys_close(p[0]); sys_close(p[1]);

    /* alarm */
    set_handler(SIGALRM, handler, 0);
    i64 t0 = now_ns(); /* before alarm: time taken between the two must not count against the wait */
    sys_alarm(1);
    sys_pause();
    i64 waited = (now_ns() - t0) / 1000000;
    CHECKV(hits[SIGALRM] == 1 && waited >= 900 && waited < 5000, "alarm(1) interrupts pause after about a second", waited);

    /* setjmp/longjmp */
    volatile int round = 0;
    int v = setjmp(outer);
    if (v == 0) { round = 1; deep(0); }
    CHECKV(v == 50, "longjmp out of 50 frames returns 50", v);
    CHECKV(depth_reached == 50 && round == 1, "the frames ran before the jump", depth_reached);
    volatile int count = 0;
    if (setjmp(inner) < 3) { count++; if (count < 3) longjmp(inner, count); }
    CHECK(count == 3, "longjmp back into a live frame, repeatedly");
    /* A jmp_buf saved with memcpy still names its own setjmp after the original is reused (bash does this). */
    static jmp_buf site, saved;
    int r = setjmp(site);
    if (r == 0) {
        __builtin_memcpy(saved, site, sizeof saved);
        if (setjmp(site) == 0) longjmp(saved, 5);
    }
    CHECKV(r == 5, "longjmp through a copied jmp_buf", r);

    /* a jmp_buf filled before fork works in the child (its copy of the machine) */
    static jmp_buf before_fork;
    int fr = setjmp(before_fork);
    if (fr == 0) {
        i64 child = sys_fork();
        if (child == 0) longjmp(before_fork, 77);
        int st; sys_wait4((int)child, &st, 0, 0);
        CHECKV(WIFEXITED(st) && WEXITSTATUS(st) == 77, "a child longjmps to a setjmp made before fork", st);
    } else {
        sys_exit_group(fr); /* the child arrives here with 77 */
    }

    set_handler(SIGUSR2, jumping_handler, 0);
    set = 1ULL << (SIGUSR2 - 1);
    if (sigsetjmp(fromsig, 1) == 0) {
        sys_kill(self, SIGUSR2); /* the handler longjmps out */
        CHECK(0, "not reached");
    } else {
        u64 now = 0;
        sys_rt_sigprocmask(SIG_BLOCK, 0, &now, 8);
        CHECK(!(now & set), "siglongjmp from a handler restored the mask");
    }
    return failures;
}
WALI_MAIN
