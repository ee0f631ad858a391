/*
 * pipe: throughput of a pipe between two processes. Forks; the child writes argv[1] MiB
 * (default 256) into the pipe in writes of argv[2] KiB (default 64) and exits; the parent reads
 * with reads of the same size until end of file, then waits for the child. The clock starts
 * when fork returns in the parent. Prints: pipe_bytes (read), pipe_ns.
 */
#include "wali.h"

#define MAX_CHUNK (1024 * 1024)

static char buffer[MAX_CHUNK];

void _start(void) {
    long long mib = cl_get_argc() > 1 ? num_arg(1) : 256;
    long long kib = cl_get_argc() > 2 ? num_arg(2) : 64;
    if (mib < 1) die("MiB out of range:", mib);
    if (kib < 1 || kib * 1024 > MAX_CHUNK) die("KiB out of range:", kib);
    unsigned chunk = (unsigned)kib * 1024;
    long long total = mib * 1024 * 1024;
    for (unsigned i = 0; i < chunk; i += 4096) buffer[i] = (char)i;

    int fds[2];
    long long r = SYS_pipe(fds);
    if (r != 0) die("pipe failed:", r);
    long long pid = SYS_fork();
    if (pid < 0) die("fork failed:", pid);
    if (pid == 0) {
        SYS_close(fds[0]);
        for (long long left = total; left > 0;) {
            unsigned n = left < chunk ? (unsigned)left : chunk;
            long long w = SYS_write(fds[1], buffer, n);
            if (w <= 0) SYS_exit_group(4);
            left -= w;
        }
        SYS_exit_group(0);
    }
    long long t0 = now_ns();
    SYS_close(fds[1]);
    long long got = 0;
    for (;;) {
        long long n = SYS_read(fds[0], buffer, chunk);
        if (n < 0) die("read failed:", n);
        if (n == 0) break;
        got += n;
    }
    long long t1 = now_ns();
    int status = -1;
    long long w = SYS_wait4((int)pid, &status, 0, 0);
    if (w != pid || status != 0) die("writer failed, status", status);
    if (got != total) die("bytes read:", got);
    figure("pipe_bytes", got);
    figure("pipe_ns", t1 - t0);
    SYS_exit_group(0);
}
