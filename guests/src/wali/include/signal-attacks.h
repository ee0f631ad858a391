/*
 * signal-attacks.h: what the signal guests share (src/wali/wali-kill.c for the vkernel's tests,
 * attacks/signals.c for `nojit simulate`), on top of technique.h: a child that blocks in one chosen
 * call (with every signal it can block blocked) for its parent to SIGKILL, and the nested-handler
 * storm. Needs -matomics and a shared memory (memory.atomic.wait): such a source says
 * "build: shared-memory" in its header comment for guests/build.sh.
 */
#ifndef NOJIT_SIGNAL_ATTACKS_H
#define NOJIT_SIGNAL_ATTACKS_H
#include "technique.h"

IMPORT(SYS_futex) i64 sys_futex(int *addr, int op, int val, const i64 *timeout, int *addr2, int val3);
IMPORT(SYS_ppoll) i64 sys_ppoll(void *fds, u64 n, const i64 *timeout, const u64 *mask, size_t size);
IMPORT(SYS_pselect6) i64 sys_pselect6(int n, void *r, void *w, void *e, const i64 *timeout, const void *sig);
IMPORT(SYS_clock_nanosleep) i64 sys_clock_nanosleep(int clock, int flags, const i64 *req, i64 *rem);
IMPORT(SYS_epoll_create1) i64 sys_epoll_create1(int flags);
IMPORT(SYS_epoll_ctl) i64 sys_epoll_ctl(int ep, int op, int fd, void *event);
IMPORT(SYS_epoll_wait) i64 sys_epoll_wait(int ep, void *events, int max, int timeout);
IMPORT(SYS_eventfd2) i64 sys_eventfd2(unsigned initval, int flags);
IMPORT(SYS_sendfile) i64 sys_sendfile(int out, int in, i64 *offset, size_t count);

/*
 * The calls a child can be killed in. "host-write" writes to fd 1 until the host pipe behind it, which
 * nobody drains, is full (its parent then reports on fd 2: see kill_blocked).
 */
static const char *const BLOCKING_CALLS[] = {
    "atomic-wait", "futex", "pipe-read", "pipe-write", "poll", "ppoll", "select", "pselect6", "epoll-wait",
    "eventfd-read", "sendfile", "nanosleep", "clock-nanosleep", "wait4", "pause", "sigsuspend", "spin", "stdin-read", "host-write", 0,
};

static int atomic_word; /* never notified */

/* Blocks in CALL and never returns (exit 100 if the call did; 101 for an unknown name). */
static __attribute__((noreturn)) void block_in(const char *call, int ready_fd) {
    u64 all = ~0ULL;
    sys_rt_sigprocmask(SIG_SETMASK, &all, 0, 8); /* everything that can be blocked is: SIGKILL still wins */
    int p[2];
    if (sys_pipe(p) < 0) exit(102);
    static char big[128 * 1024];
    i64 forever[2] = {3600, 0};
    if (!strcmp(call, "wait4")) {
        i64 child = sys_fork();
        if (child == 0) for (;;) sys_pause();
        sys_write(ready_fd, "r", 1);
        int status;
        sys_wait4((int)child, &status, 0, 0);
        exit(100);
    }
    sys_write(ready_fd, "r", 1);
    if (!strcmp(call, "atomic-wait")) __builtin_wasm_memory_atomic_wait32(&atomic_word, 0, -1);
    else if (!strcmp(call, "futex")) sys_futex(&atomic_word, 0 /* FUTEX_WAIT */, 0, 0, 0, 0);
    else if (!strcmp(call, "pipe-read")) sys_read(p[0], big, 1);
    else if (!strcmp(call, "pipe-write")) sys_write(p[1], big, sizeof big);
    else if (!strcmp(call, "poll")) { struct pollfd f = {p[0], POLLIN, 0}; sys_poll(&f, 1, -1); }
    else if (!strcmp(call, "ppoll")) { struct pollfd f = {p[0], POLLIN, 0}; sys_ppoll(&f, 1, 0, 0, 8); }
    else if (!strcmp(call, "select")) { u64 r = 1ULL << p[0]; sys_select(p[0] + 1, &r, 0, 0, 0); }
    else if (!strcmp(call, "pselect6")) { u64 r = 1ULL << p[0]; sys_pselect6(p[0] + 1, &r, 0, 0, 0, 0); }
    else if (!strcmp(call, "epoll-wait")) {
        int ep = (int)sys_epoll_create1(0);
        struct { u32 events; u64 data; } __attribute__((packed)) ev = {POLLIN, 0};
        sys_epoll_ctl(ep, 1 /* EPOLL_CTL_ADD */, p[0], &ev);
        sys_epoll_wait(ep, &ev, 1, -1);
    }
    else if (!strcmp(call, "eventfd-read")) { u64 v; sys_read((int)sys_eventfd2(0, 0), &v, 8); }
    else if (!strcmp(call, "sendfile")) sys_sendfile(1, p[0], 0, 1);
    else if (!strcmp(call, "nanosleep")) sys_nanosleep(forever, 0);
    else if (!strcmp(call, "clock-nanosleep")) sys_clock_nanosleep(1, 0, forever, 0);
    else if (!strcmp(call, "pause")) sys_pause();
    else if (!strcmp(call, "sigsuspend")) sys_rt_sigsuspend(&all, 8);
    else if (!strcmp(call, "spin")) { for (volatile int i = 0;; i++) {} }
    else if (!strcmp(call, "stdin-read")) sys_read(0, big, 1);
    else if (!strcmp(call, "host-write")) { for (;;) sys_write(1, big, 65536); }
    else exit(101);
    exit(100);
}

/* Forks a child blocked in CALL; returns its pid once it is about to block (-errno if it could not start). */
static i64 start_blocked_child(const char *call) {
    int sync[2];
    if (sys_pipe(sync) < 0) return -EMFILE;
    i64 pid = sys_fork();
    if (pid == 0) { sys_close(sync[0]); block_in(call, sync[1]); }
    sys_close(sync[1]);
    char c = 0;
    i64 r = pid < 0 ? pid : sys_read(sync[0], &c, 1);
    sys_close(sync[0]);
    if (pid > 0 && r != 1) return -EPIPE;
    return pid;
}

/*
 * Kills a child blocked in CALL and waits for it: its wait status, *micros the time from kill to
 * wait4's return. Gives the child 100 ms to get into the call first.
 */
static __attribute__((unused)) int kill_blocked(const char *call, i64 *micros) {
    i64 pid = start_blocked_child(call);
    if (pid < 0) setup_failed("fork", pid);
    int host_write = !strcmp(call, "host-write");
    if (host_write) sys_dup2(2, 1); /* the child's stdout is stuck: report on stderr */
    sleep_ms(host_write ? 400 : 100); /* host-write: time to fill the host pipe */
    i64 t0 = now_ns();
    sys_kill((int)pid, SIGKILL);
    int status = wait_for(pid);
    *micros = (now_ns() - t0) / 1000;
    return status;
}

/* ---- the nested-handler storm ---- */

static volatile int storm_depth, storm_attack_at;

/* SA_NODEFER: the handler raises its own signal, which is delivered inside it, nested, again and again. */
static void storm_handler(int sig) {
    int d = ++storm_depth;
    if (d == storm_attack_at) {
        attempt();
        i64 r = sys_mmap(0, 65536, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        report("SURVIVED", "mmap-exec-returned ret=", r, 1);
        exit(0);
    }
    sys_kill((int)sys_getpid(), sig);
    storm_depth--;
}

/* A child that storms and attempts PROT_EXEC at handler depth AT (never, if the nesting limit comes first). */
static i64 start_storm_child(int at) {
    i64 pid = sys_fork();
    if (pid != 0) return pid;
    storm_attack_at = at;
    if (set_handler(SIGUSR1, storm_handler, SA_NODEFER) < 0) exit(102);
    sys_kill((int)sys_getpid(), SIGUSR1);
    exit(103); /* the storm never ends by itself */
}

#endif
