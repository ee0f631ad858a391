/*
 * fork: grows linear memory to argv[2] MiB (default 8) and writes one byte in every 4 KiB page
 * above the stack, then forks argv[1] times (default 20): the child exits at once, the parent
 * waits for it with wait4. Prints: memory_bytes; fork_call_ns (per round: the fork call as the
 * parent sees it) and fork_wait_ns (per round: fork + the child's exit + wait4).
 */
#include "wali.h"

#define MAX_ROUNDS 1000
#define PAGE 65536

extern unsigned char __heap_base;
static long long call_ns[MAX_ROUNDS], wait_ns[MAX_ROUNDS];

void _start(void) {
    long long rounds = cl_get_argc() > 1 ? num_arg(1) : 20;
    long long mib = cl_get_argc() > 2 ? num_arg(2) : 8;
    if (rounds < 1 || rounds > MAX_ROUNDS) die("rounds out of range:", rounds);
    if (mib < 1 || mib > 1024) die("MiB out of range:", mib);

    unsigned long want = (unsigned long)mib * (1024 * 1024 / PAGE);
    unsigned long have = __builtin_wasm_memory_size(0);
    if (have < want && __builtin_wasm_memory_grow(0, want - have) == (unsigned long)-1) die("memory.grow failed, pages:", want);
    volatile unsigned char *top = (volatile unsigned char *)(want * PAGE);
    for (volatile unsigned char *p = &__heap_base; p < top; p += 4096) *p = 1;

    for (long long r = 0; r < rounds; r++) {
        long long t0 = now_ns();
        long long pid = SYS_fork();
        if (pid == 0) SYS_exit_group(0);
        long long t1 = now_ns();
        if (pid < 0) die("fork failed:", pid);
        int status = -1;
        long long w = SYS_wait4((int)pid, &status, 0, 0);
        long long t2 = now_ns();
        if (w != pid) die("wait4 returned", w);
        if (status != 0) die("child status", status);
        call_ns[r] = t1 - t0;
        wait_ns[r] = t2 - t0;
    }
    figure("memory_bytes", (long long)__builtin_wasm_memory_size(0) * PAGE);
    figures("fork_call_ns", call_ns, (int)rounds);
    figures("fork_wait_ns", wait_ns, (int)rounds);
    SYS_exit_group(0);
}
