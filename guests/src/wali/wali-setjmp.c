/*
 * wali-setjmp: setjmp/longjmp as C programs use them (lua on every protected call, bash on
 * errors): nested buffers, jumps across many frames and past inner setjmps, longjmp(b, 0)
 * returning 1, locals kept, a loop of 100,000 setjmp/longjmp pairs, recursion holding 1,000
 * live buffers, sigsetjmp with and without the saved mask, a jump out of a signal handler,
 * and a jump to a frame that has returned (the process dies, nobody else).
 * Prints ok/FAIL lines; exits 0 when all passed.
 */
#include "wali.h"

static jmp_buf top, mid;
static volatile int trail;

static __attribute__((noinline)) int inner(int n) {
    trail = trail * 10 + 3;
    if (n == 1) longjmp(mid, 2);
    if (n == 2) longjmp(top, 3); /* skips the live setjmp in middle() */
    return 0;
}

static __attribute__((noinline)) int middle(int n) {
    trail = trail * 10 + 2;
    int r = setjmp(mid);
    if (r) return 100 + r;
    return inner(n);
}

/* A recursion that holds one live buffer per frame, then jumps from the deepest to the outermost. */
static jmp_buf *frames[1001];
static volatile int unwound;
static __attribute__((noinline)) int recurse(int depth) {
    jmp_buf here;
    frames[depth] = &here;
    int r = setjmp(here);
    if (r) { unwound = depth; return r; }
    if (depth == 1000) longjmp(*frames[0], 1000);
    return recurse(depth + 1) + 1;
}

static jmp_buf stale;
static __attribute__((noinline)) void fill_and_return(void) { if (setjmp(stale)) sys_exit_group(50); }

static jmp_buf from_handler;
static volatile int handler_depth;
static void jumping_handler(int sig) { handler_depth++; longjmp(from_handler, sig); }

int main(int argc, char **argv) {
    (void)argc; (void)argv;

    /* nested: a jump to the inner buffer, then one to the outer past the inner */
    trail = 0;
    int r = setjmp(top);
    if (r == 0) {
        int m = middle(1);
        CHECKV(m == 102 && trail == 23, "longjmp to the inner setjmp returns there", m);
        trail = 0;
        middle(2);
        CHECK(0, "not reached after longjmp(top)");
    }
    CHECKV(r == 3 && trail == 23, "longjmp to the outer setjmp past a live inner one", r);

    /* the value 0 arrives as 1; volatile locals keep what they had at the jump */
    volatile int local = 1;
    static jmp_buf zero;
    r = setjmp(zero);
    if (r == 0) { local = 42; longjmp(zero, 0); }
    CHECKV(r == 1, "longjmp(b, 0) makes setjmp return 1", r);
    CHECKV(local == 42, "a volatile local keeps its last value", local);

    /* 100,000 setjmp/longjmp pairs on one buffer (lua does this on every pcall) */
    static jmp_buf loop;
    volatile long rounds = 0;
    r = setjmp(loop);
    if (rounds < 100000) { rounds++; longjmp(loop, (int)rounds); }
    CHECKV(rounds == 100000 && r == 100000, "100,000 setjmp/longjmp round trips", rounds);

    /* 100,000 setjmps in a loop of one live frame (a REPL's top level), with no jump */
    long calls = 0;
    for (long i = 0; i < 100000; i++) { static jmp_buf many; if (setjmp(many) == 0) calls++; }
    CHECKV(calls == 100000, "100,000 setjmps in one live frame", calls);

    /* 1,000 live buffers in a recursion; a jump from the deepest to the outermost */
    frames[0] = 0;
    static jmp_buf base;
    frames[0] = &base;
    r = setjmp(base);
    if (r == 0) { recurse(1); CHECK(0, "not reached after the deep jump"); }
    CHECKV(r == 1000 && unwound == 0, "a jump out of 1,000 frames that each hold a live setjmp", r);

    /* sigsetjmp(b, 1) restores the mask at the jump; sigsetjmp(b, 0) and setjmp leave it */
    u64 usr1 = 1ULL << (SIGUSR1 - 1), usr2 = 1ULL << (SIGUSR2 - 1), now = 0;
    static jmp_buf masked, unmasked;
    if (sigsetjmp(masked, 1) == 0) {
        sys_rt_sigprocmask(SIG_BLOCK, &usr1, 0, 8);
        longjmp(masked, 1);
    }
    sys_rt_sigprocmask(SIG_BLOCK, 0, &now, 8);
    CHECKV(!(now & usr1), "sigsetjmp(b, 1): the jump restores the saved mask", now);
    if (sigsetjmp(unmasked, 0) == 0) {
        sys_rt_sigprocmask(SIG_BLOCK, &usr2, 0, 8);
        longjmp(unmasked, 1);
    }
    sys_rt_sigprocmask(SIG_BLOCK, 0, &now, 8);
    CHECKV(now & usr2, "sigsetjmp(b, 0): the mask stays as it was at the jump", now);
    sys_rt_sigprocmask(SIG_UNBLOCK, &usr2, 0, 8);

    /* out of a handler, three times: the handler's own mask (SIGUSR1 blocked inside it) is undone each time */
    set_handler(SIGUSR1, jumping_handler, 0);
    volatile int jumps = 0;
    int sig = sigsetjmp(from_handler, 1);
    if (sig == SIGUSR1) jumps++;
    if (jumps < 3) sys_kill((int)sys_getpid(), SIGUSR1);
    sys_rt_sigprocmask(SIG_BLOCK, 0, &now, 8);
    CHECKV(jumps == 3 && handler_depth == 3, "three jumps out of a handler", jumps);
    CHECKV(!(now & usr1), "the handler's mask is gone after each jump", now);

    /* a jump to a frame that has returned kills that process only */
    i64 child = sys_fork();
    if (child == 0) {
        fill_and_return();
        longjmp(stale, 1);
        sys_exit_group(51);
    }
    int st = wait_for(child);
    say("stale jump: ");
    if (WIFSIGNALED(st)) { say("signal "); putl(WTERMSIG(st)); } else { say("exit "); putl(WEXITSTATUS(st)); }
    say("\n");
    CHECKV(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV, "a longjmp to a returned frame kills the process with SIGSEGV", st);
    CHECK(1, "the parent continues after it");
    return failures;
}
WALI_MAIN
