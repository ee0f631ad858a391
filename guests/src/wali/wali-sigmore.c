/*
 * wali-sigmore: signal semantics beyond wali-signals. The handler gets the signal number; a
 * signal is blocked inside its own handler unless SA_NODEFER; sa_mask blocks others while the
 * handler runs; SA_RESETHAND; SA_RESTART resumes a read, without it the read fails with EINTR;
 * rt_sigsuspend; SIGKILL and SIGSTOP cannot be blocked; a child inherits the mask and
 * dispositions but not pending signals; kill(0, sig) reaches the caller's group; an ignored
 * SIGTERM does not kill; SIGCHLD's default does not kill; signals interrupt nanosleep, poll and
 * wait4. Prints ok/FAIL lines; exits 0 when all passed.
 */
#include "wali.h"

static volatile int order[16], norder, last_sig, nested_max, depth, usr2_seen_in_usr1;

static void record(int sig) { last_sig = sig; if (norder < 16) order[norder++] = sig; }

static void reentrant(int sig) {
    depth++;
    if (depth > nested_max) nested_max = depth;
    record(sig);
    if (norder < 3) sys_kill((int)sys_getpid(), sig); /* raise itself again from inside */
    depth--;
}

static void usr1_raises_usr2(int sig) {
    record(sig);
    sys_kill((int)sys_getpid(), SIGUSR2);
    usr2_seen_in_usr1 = norder > 1; /* did SIGUSR2's handler run inside this one? */
}

static volatile int hits;
static void count(int sig) { (void)sig; hits++; }

static int install(int sig, void (*h)(int), int flags, u64 mask) {
    struct sigaction sa;
    __builtin_memset(&sa, 0, sizeof sa);
    sa.handler = (u32)(size_t)h; sa.flags = flags; sa.mask[0] = mask;
    return (int)sys_rt_sigaction(sig, &sa, 0, 8);
}

static void reset(void) { norder = 0; nested_max = 0; depth = 0; last_sig = 0; usr2_seen_in_usr1 = 0; }
#define BIT(s) (1ULL << ((s) - 1))

/* The child blocks in read on a pipe; the parent signals it, then writes. Returns the child's exit code. */
static int read_under_signal(int flags) {
    int p[2]; sys_pipe(p);
    i64 pid = sys_fork();
    if (pid == 0) {
        hits = 0;
        install(SIGUSR1, count, flags, 0);
        char c = 0;
        i64 r = sys_read(p[0], &c, 1);
        /* 0: restarted and got the byte; 1: EINTR; 2: anything else */
        sys_exit_group(r == 1 && c == 'k' && hits == 1 ? 0 : r == -EINTR && hits == 1 ? 1 : 2);
    }
    sleep_ms(100);
    sys_kill((int)pid, SIGUSR1);
    sleep_ms(100);
    sys_write(p[1], "k", 1);
    int st = wait_for(pid);
    sys_close(p[0]); sys_close(p[1]);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 100 + WTERMSIG(st);
}

/* A child blocks in `what`; the parent sends SIGUSR1 (handled); the child reports EINTR as exit 0. */
static int interrupted(int what) {
    i64 pid = sys_fork();
    if (pid == 0) {
        hits = 0;
        install(SIGUSR1, count, 0, 0);
        i64 r = 0;
        if (what == 0) { i64 ts[2] = {5, 0}; r = sys_nanosleep(ts, 0); }
        if (what == 1) { int p[2]; sys_pipe(p); struct pollfd f = {p[0], POLLIN, 0}; r = sys_poll(&f, 1, 5000); }
        if (what == 2) { i64 c = sys_fork(); if (c == 0) { sleep_ms(3000); sys_exit_group(0); } int s; r = sys_wait4((int)c, &s, 0, 0); }
        sys_exit_group(r == -EINTR && hits == 1 ? 0 : 1);
    }
    sleep_ms(100);
    i64 t0 = now_ns();
    sys_kill((int)pid, SIGUSR1);
    int st = wait_for(pid);
    i64 ms = (now_ns() - t0) / 1000000;
    return WIFEXITED(st) && WEXITSTATUS(st) == 0 && ms < 2000;
}

int main(int argc, char **argv) {
    (void)argc; (void)argv;
    int self = (int)sys_getpid();
    u64 now = 0;

    install(SIGUSR1, record, 0, 0);
    install(SIGUSR2, record, 0, 0);
    reset(); sys_kill(self, SIGUSR2);
    CHECKV(last_sig == SIGUSR2, "the handler receives the signal number", last_sig);

    /* a signal is blocked inside its own handler: the second delivery waits for the first to return */
    install(SIGUSR1, reentrant, 0, 0);
    reset(); sys_kill(self, SIGUSR1);
    CHECKV(norder == 3 && nested_max == 1, "a handler is not re-entered by its own signal", nested_max);
    install(SIGUSR1, reentrant, SA_NODEFER, 0);
    reset(); sys_kill(self, SIGUSR1);
    CHECKV(norder == 3 && nested_max == 3, "SA_NODEFER lets it nest", nested_max);

    /* sa_mask: SIGUSR2 waits until the SIGUSR1 handler returns; without it, it runs inside */
    install(SIGUSR2, record, 0, 0);
    install(SIGUSR1, usr1_raises_usr2, 0, BIT(SIGUSR2));
    reset(); sys_kill(self, SIGUSR1);
    CHECK(norder == 2 && order[0] == SIGUSR1 && order[1] == SIGUSR2 && !usr2_seen_in_usr1, "sa_mask defers another signal until the handler returns");
    install(SIGUSR1, usr1_raises_usr2, 0, 0);
    reset(); sys_kill(self, SIGUSR1);
    CHECK(norder == 2 && usr2_seen_in_usr1, "without sa_mask it runs inside the handler");
    sys_rt_sigprocmask(SIG_BLOCK, 0, &now, 8);
    CHECKV(now == 0, "the mask is restored after the handlers", now);

    /* SA_RESETHAND: once, then the default action */
    install(SIGUSR1, record, SA_RESETHAND, 0);
    reset(); sys_kill(self, SIGUSR1);
    struct sigaction old;
    sys_rt_sigaction(SIGUSR1, 0, &old, 8);
    CHECK(norder == 1 && old.handler == 0, "SA_RESETHAND: the handler runs once, then SIG_DFL");

    /* SA_RESTART */
    int r = read_under_signal(0);
    CHECKV(r == 1, "without SA_RESTART a handled signal makes read fail with EINTR", r);
    r = read_under_signal(SA_RESTART);
    CHECKV(r == 0, "with SA_RESTART the read resumes and gets the data", r);

    /* rt_sigsuspend: waits with a temporary mask, returns EINTR, restores the mask */
    install(SIGUSR1, count, 0, 0);
    u64 block = BIT(SIGUSR1);
    sys_rt_sigprocmask(SIG_BLOCK, &block, 0, 8);
    hits = 0;
    i64 waker = sys_fork();
    if (waker == 0) { sleep_ms(100); sys_kill((int)sys_getppid(), SIGUSR1); sys_exit_group(0); }
    u64 none = 0;
    i64 sr = sys_rt_sigsuspend(&none, 8);
    sys_rt_sigprocmask(SIG_BLOCK, 0, &now, 8);
    CHECK(sr == -EINTR && hits == 1, "rt_sigsuspend returns EINTR after the handler ran");
    CHECKV(now == block, "rt_sigsuspend restores the mask", now);
    wait_for(waker);

    /* SIGKILL and SIGSTOP cannot be blocked */
    u64 all = ~0ULL;
    sys_rt_sigprocmask(SIG_SETMASK, &all, 0, 8);
    sys_rt_sigprocmask(SIG_BLOCK, 0, &now, 8);
    CHECKV(!(now & BIT(SIGKILL)) && !(now & BIT(19)), "SIGKILL and SIGSTOP stay unblocked", now);
    CHECK(sys_rt_sigprocmask(7, &all, 0, 8) == -EINVAL, "rt_sigprocmask with a bad how: EINVAL");

    /* sigsetsize: Linux takes only its own 8-byte sigset_t (libc's 128-byte one is refused) */
    CHECK(sys_rt_sigaction(SIGUSR1, 0, &old, 128) == -EINVAL, "rt_sigaction with sigsetsize 128: EINVAL");
    CHECK(sys_rt_sigprocmask(SIG_BLOCK, 0, &now, 16) == -EINVAL, "rt_sigprocmask with sigsetsize 16: EINVAL");
    CHECK(sys_rt_sigsuspend(&none, 128) == -EINVAL, "rt_sigsuspend with sigsetsize 128: EINVAL, without waiting");
    u64 pend4 = ~0ULL;
    CHECK(sys_rt_sigpending(&pend4, 4) == 0 && (pend4 >> 32) == 0xffffffffULL, "rt_sigpending with sigsetsize 4 writes 4 bytes");
    CHECK(sys_rt_sigpending(&pend4, 16) == -EINVAL, "rt_sigpending with sigsetsize 16: EINVAL");

    /* a child inherits mask and dispositions, not pending signals */
    sys_rt_sigprocmask(SIG_SETMASK, &block, 0, 8);
    set_disposition(SIGUSR2, 1);
    sys_kill(self, SIGUSR1); /* pending in the parent */
    i64 child = sys_fork();
    if (child == 0) {
        u64 m = 0, pend = 0;
        sys_rt_sigprocmask(SIG_BLOCK, 0, &m, 8);
        sys_rt_sigpending(&pend, 8);
        struct sigaction sa; sys_rt_sigaction(SIGUSR2, 0, &sa, 8);
        sys_exit_group(m == BIT(SIGUSR1) && pend == 0 && sa.handler == 1 ? 0 : 1);
    }
    int st = wait_for(child);
    CHECKV(WIFEXITED(st) && WEXITSTATUS(st) == 0, "fork: mask and dispositions inherited, pending signals not", st);
    hits = 0;
    sys_rt_sigprocmask(SIG_SETMASK, &none, 0, 8);
    CHECK(hits == 1, "the parent's pending signal arrives on unblocking");

    /* kill(0, sig) reaches every process of the caller's group */
    int p[2]; sys_pipe(p);
    child = sys_fork();
    if (child == 0) {
        hits = 0;
        install(SIGUSR1, count, 0, 0);
        sys_write(p[1], "r", 1);
        while (!hits) sys_pause();
        sys_exit_group(0);
    }
    char c; sys_read(p[0], &c, 1);
    hits = 0;
    sys_kill(0, SIGUSR1);
    st = wait_for(child);
    CHECK(hits == 1 && WIFEXITED(st) && WEXITSTATUS(st) == 0, "kill(0, sig) reaches the caller and its child");

    /* an ignored SIGTERM does not kill; SIGCHLD's default action is to ignore */
    child = sys_fork();
    if (child == 0) {
        set_disposition(SIGTERM, 1);
        set_disposition(SIGCHLD, 0);
        sys_write(p[1], "r", 1);
        sleep_ms(300);
        sys_kill((int)sys_getpid(), SIGCHLD);
        sys_exit_group(5);
    }
    sys_read(p[0], &c, 1);
    sys_kill((int)child, SIGTERM);
    st = wait_for(child);
    CHECKV(WIFEXITED(st) && WEXITSTATUS(st) == 5, "ignored SIGTERM and default SIGCHLD do not kill", st);

    /* SIGKILL of a child that blocks everything */
    child = sys_fork();
    if (child == 0) { sys_rt_sigprocmask(SIG_SETMASK, &all, 0, 8); set_disposition(SIGTERM, 1); for (;;) sys_pause(); }
    sleep_ms(50);
    sys_kill((int)child, SIGKILL);
    st = wait_for(child);
    CHECKV(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL, "SIGKILL kills a child that blocks and ignores the rest", st);

    /* blocking calls interrupted by a handled signal */
    CHECK(interrupted(0), "nanosleep interrupted: EINTR");
    CHECK(interrupted(1), "poll interrupted: EINTR");
    CHECK(interrupted(2), "wait4 interrupted: EINTR");
    return failures;
}
WALI_MAIN
