/*
 * execbig: execve latency of an approved module whose bytes the vkernel must hash (issue 5's
 * hash gate), timed inside the guest with CLOCK_MONOTONIC. The target is guests/src/wali/wali-big.c
 * (3 MB, /bin/big) or the same program without its data (/bin/small): run as "PATH arrive T0" it
 * prints "exec_ns D", D = its start - T0, T0 taken by the caller just before execve.
 *
 *   execbig image PATH N    N execs of PATH, the image file itself (its hash is signed)
 *   execbig cold PATH N     N rounds: copy PATH to a new file /tmp/execbig-cold-I (timed
 *                           apart: copy_ns), exec the copy (never hashed: a cold hash), unlink it
 *   execbig cached PATH N   one copy in /tmp, exec'd once untimed (which hashes it), then N
 *                           timed execs of that unchanged copy (a cached hash)
 *
 * Every timed exec is a forked child's, its stdout a pipe to this process. Before the timed
 * rounds, one untimed exec of PATH loads the module's image, so that every mode times the same
 * thing but the hash: printed as "warmup_exec_ns D" (the first exec of the module in this
 * container). Then "exec_ns D1 … DN", and for cold "copy_ns C1 … CN".
 */
#include "wali.h"

/* figures() writes one line of at most 4 KiB: 200 values of up to 20 characters fit */
#define MAX_ROUNDS 200
enum { O_RDONLY = 0, O_WRONLY = 1, O_CREAT = 0100, O_TRUNC = 01000 };

static char path[256], mode[16];
static char buf[65536];
static long long exec_ns[MAX_ROUNDS], copy_ns[MAX_ROUNDS];

static int equals(const char *a, const char *b) {
    while (*a && *a == *b) a++, b++;
    return *a == *b;
}

static int starts(const char *s, const char *prefix) {
    while (*prefix) if (*s++ != *prefix++) return 0;
    return 1;
}

/* Execs target in a forked child with "arrive T0"; returns the exec_ns the target printed. */
static long long timed_exec(const char *target) {
    int p[2];
    long long r = SYS_pipe(p);
    if (r < 0) die("pipe failed:", r);
    long long pid = SYS_fork();
    if (pid < 0) die("fork failed:", pid);
    if (pid == 0) {
        SYS_dup2(p[1], 1);
        SYS_close(p[1]);
        SYS_close(p[0]);
        char t0_text[24];
        char arrive[] = "arrive";
        char *argv[] = {(char *)target, arrive, format_num(now_ns(), t0_text), 0};
        char *envp[] = {0};
        r = SYS_execve(target, argv, envp);
        die("execve failed:", r);
    }
    SYS_close(p[1]);
    int n = 0;
    long long got;
    while (n < 255 && (got = SYS_read(p[0], buf + n, 255 - n)) > 0) n += (int)got;
    buf[n] = 0;
    SYS_close(p[0]);
    int status = 0;
    r = SYS_wait4((int)pid, &status, 0, 0);
    if (r != pid || status != 0) die("the exec'd program failed; wait status", status);
    if (!starts(buf, "exec_ns ")) die("the exec'd program did not print exec_ns; bytes", n);
    return parse_num(buf + 8);
}

/* Copies src to dst (mode 0755) through a 64 KiB buffer. */
static void copy(const char *src, const char *dst) {
    long long in = SYS_open(src, O_RDONLY, 0);
    if (in < 0) die("open of the source failed:", in);
    long long out = SYS_open(dst, O_WRONLY | O_CREAT | O_TRUNC, 0755);
    if (out < 0) die("create of the copy failed:", out);
    long long n;
    while ((n = SYS_read((int)in, buf, sizeof buf)) > 0) {
        for (long long done = 0; done < n;) {
            long long w = SYS_write((int)out, buf + done, (unsigned)(n - done));
            if (w <= 0) die("write of the copy failed:", w);
            done += w;
        }
    }
    if (n < 0) die("read of the source failed:", n);
    SYS_close((int)in);
    SYS_close((int)out);
    long long r = SYS_chmod(dst, 0755);
    if (r < 0) die("chmod of the copy failed:", r);
}

void _start(void) {
    arg(1, mode, sizeof mode);
    arg(2, path, sizeof path);
    long long rounds = num_arg(3);
    if (rounds < 1 || rounds > MAX_ROUNDS) die("N must be 1 to 200, not", rounds);
    figure("warmup_exec_ns", timed_exec(path));
    if (equals(mode, "image")) {
        for (int i = 0; i < rounds; i++) exec_ns[i] = timed_exec(path);
    } else if (equals(mode, "cold")) {
        for (int i = 0; i < rounds; i++) {
            char copy_path[48] = "/tmp/execbig-cold-";
            format_num(i, copy_path + 18);
            long long t0 = now_ns();
            copy(path, copy_path);
            copy_ns[i] = now_ns() - t0;
            exec_ns[i] = timed_exec(copy_path);
            long long r = SYS_unlink(copy_path);
            if (r < 0) die("unlink of the copy failed:", r);
        }
        figures("copy_ns", copy_ns, (int)rounds);
    } else if (equals(mode, "cached")) {
        char copy_path[] = "/tmp/execbig-cached";
        copy(path, copy_path);
        timed_exec(copy_path);
        for (int i = 0; i < rounds; i++) exec_ns[i] = timed_exec(copy_path);
    } else {
        die("unknown mode (image, cold or cached); argc", cl_get_argc());
    }
    figures("exec_ns", exec_ns, (int)rounds);
    SYS_exit_group(0);
}
