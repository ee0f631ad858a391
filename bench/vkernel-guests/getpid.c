/*
 * getpid: the cost of one syscall. Calls SYS_getpid N times (argv[1], default 1,000,000)
 * between two CLOCK_MONOTONIC readings, then runs the same loop calling a local function that
 * is not a syscall (the loop's own cost), then N/10 SYS_clock_gettime calls (a syscall that
 * writes guest memory). Prints: calls, getpid_ns, baseline_ns, clock_calls, clock_ns.
 */
#include "wali.h"

static volatile long long sink;

__attribute__((noinline)) static long long not_a_syscall(void) {
    return sink;
}

void _start(void) {
    long long calls = cl_get_argc() > 1 ? num_arg(1) : 1000000;
    long long sum = 0;

    long long t0 = now_ns();
    for (long long i = 0; i < calls; i++) sum += SYS_getpid();
    long long t1 = now_ns();
    for (long long i = 0; i < calls; i++) sum += not_a_syscall();
    long long t2 = now_ns();
    long long clock_calls = calls / 10;
    struct timespec64 ts;
    for (long long i = 0; i < clock_calls; i++) sum += SYS_clock_gettime(CLOCK_MONOTONIC, &ts);
    long long t3 = now_ns();
    sink = sum;

    figure("calls", calls);
    figure("getpid_ns", t1 - t0);
    figure("baseline_ns", t2 - t1);
    figure("clock_calls", clock_calls);
    figure("clock_ns", t3 - t2);
    SYS_exit_group(0);
}
