/*
 * exec: execve latency, timed inside the guest with CLOCK_MONOTONIC (one clock for every
 * process of a container). Built twice: exec.wasm and exec-target.wasm (-DEXEC_TARGET: other
 * bytes, so another module that the kernel has not loaded yet).
 *
 *   exec chain N        execs itself N times in a row, passing the count and the start time
 *                       in argv; the last one prints: execs, exec_total_ns. After the first
 *                       load every exec finds the module's image already loaded (cached).
 *   exec to PATH        execs PATH with "arrive T0"; run in a fresh container, PATH's module
 *                       has never been loaded there (uncached).
 *   exec arrive T0      prints exec_ns: now - T0.
 */
#include "wali.h"

#ifdef EXEC_TARGET
static const char variant[] = "exec-target";
#else
static const char variant[] = "exec";
#endif

static char self[256], mode[16], path[256];
static char n_text[24], total_text[24], t0_text[24];
static char hop[] = "hop", arrive[] = "arrive";

static int equals(const char *a, const char *b) {
    while (*a && *a == *b) a++, b++;
    return *a == *b;
}

static void exec_hop(long long left, long long total, long long t0) {
    char *argv[] = {self, hop, format_num(left, n_text), format_num(total, total_text), format_num(t0, t0_text), 0};
    char *envp[] = {0};
    long long r = SYS_execve(self, argv, envp);
    die("execve of itself failed:", r);
}

void _start(void) {
    arg(0, self, sizeof self);
    arg(1, mode, sizeof mode);
    if (equals(mode, "chain")) {
        long long n = num_arg(2);
        if (n < 1) die("chain needs N >= 1, not", n);
        exec_hop(n - 1, n, now_ns());
    } else if (equals(mode, "hop")) {
        long long left = num_arg(2), total = num_arg(3), t0 = num_arg(4);
        if (left > 0) exec_hop(left - 1, total, t0);
        long long t1 = now_ns();
        figure("execs", total);
        figure("exec_total_ns", t1 - t0);
    } else if (equals(mode, "to")) {
        arg(2, path, sizeof path);
        char *argv[] = {path, arrive, format_num(now_ns(), t0_text), 0};
        char *envp[] = {0};
        long long r = SYS_execve(path, argv, envp);
        die("execve failed:", r);
    } else if (equals(mode, "arrive")) {
        long long t1 = now_ns();
        figure("exec_ns", t1 - num_arg(2));
    } else {
        put_str(variant);
        die(": unknown mode; expected chain N, to PATH or arrive T0; argc", cl_get_argc());
    }
    SYS_exit_group(0);
}
