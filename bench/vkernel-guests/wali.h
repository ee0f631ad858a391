/*
 * The few WALI imports and helpers the vkernel benchmark's guests share (bench/vkernel-guests;
 * the script bench/vkernel builds them).
 *
 * No libc: every syscall is imported by hand from the module "wali" (SPEC §3). WALI's ABI:
 * each syscall returns i64 (the raw Linux result, -errno on failure); pointer, int and size_t
 * arguments are i32, Linux's 64-bit long and off_t are i64. On wasm32, C's long is 32 bits, so
 * the 64-bit values here are long long.
 *
 * Figures go to stdout as lines "NAME V1 V2 ...", decimal integers (nanoseconds or bytes);
 * VkernelBench parses them. Built with -fno-builtin so that clang turns no loop into a call to
 * memcpy or memset (which, with no libc, would become an import the vkernel does not offer).
 */
#ifndef NOJIT_BENCH_WALI_H
#define NOJIT_BENCH_WALI_H

#define WALI(name) __attribute__((import_module("wali"), import_name(#name)))

WALI(SYS_getpid) long long SYS_getpid(void);
WALI(SYS_write) long long SYS_write(int fd, const void *buf, unsigned count);
WALI(SYS_read) long long SYS_read(int fd, void *buf, unsigned count);
WALI(SYS_close) long long SYS_close(int fd);
WALI(SYS_pipe) long long SYS_pipe(int *fds);
WALI(SYS_fork) long long SYS_fork(void);
WALI(SYS_execve) long long SYS_execve(const char *path, char *const *argv, char *const *envp);
WALI(SYS_wait4) long long SYS_wait4(int pid, int *status, int options, void *rusage);
WALI(SYS_exit_group) long long SYS_exit_group(int status);
WALI(SYS_open) long long SYS_open(const char *path, int flags, int mode);
WALI(SYS_chmod) long long SYS_chmod(const char *path, int mode);
WALI(SYS_unlink) long long SYS_unlink(const char *path);
WALI(SYS_dup2) long long SYS_dup2(int fd, int to);
WALI(SYS_clock_gettime) long long SYS_clock_gettime(int clock, void *timespec);

__attribute__((import_module("wali"), import_name("__cl_get_argc"))) int cl_get_argc(void);
__attribute__((import_module("wali"), import_name("__cl_get_argv_len"))) int cl_get_argv_len(int i);
__attribute__((import_module("wali"), import_name("__cl_copy_argv"))) int cl_copy_argv(char *buf, int i);

#define CLOCK_MONOTONIC 1

struct timespec64 {
    long long sec;
    long long nsec;
};

static inline long long now_ns(void) {
    struct timespec64 ts;
    SYS_clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.sec * 1000000000LL + ts.nsec;
}

static inline void die(const char *why, long long code);

/* Output: one line at a time, in a static buffer, written with a single write. */
static char out_line[4096];
static unsigned out_len;

static inline void put_char(char c) {
    if (out_len < sizeof out_line) out_line[out_len++] = c;
}

static inline void put_str(const char *s) {
    while (*s) put_char(*s++);
}

/* Formats v in decimal into buf (at least 21 bytes) with its NUL; returns buf. */
static inline char *format_num(long long value, char *buf) {
    unsigned long long v = (unsigned long long)value;
    char digits[20];
    int n = 0, len = 0;
    if (value < 0) {
        buf[len++] = '-';
        v = 0 - v;
    }
    do {
        digits[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n > 0) buf[len++] = digits[--n];
    buf[len] = 0;
    return buf;
}

static inline void put_num(long long value) {
    char buf[24];
    put_str(format_num(value, buf));
}

static inline void end_line(void) {
    put_char('\n');
    unsigned done = 0;
    while (done < out_len) {
        long long w = SYS_write(1, out_line + done, out_len - done);
        if (w <= 0) SYS_exit_group(3);
        done += (unsigned)w;
    }
    out_len = 0;
}

/* "NAME V" as a line. */
static inline void figure(const char *name, long long value) {
    put_str(name);
    put_char(' ');
    put_num(value);
    end_line();
}

/* "NAME V1 V2 ... Vn" as a line. */
static inline void figures(const char *name, const long long *values, int n) {
    put_str(name);
    for (int i = 0; i < n; i++) {
        put_char(' ');
        put_num(values[i]);
    }
    end_line();
}

/* Writes "bench error: WHY CODE" to stderr and exits with status 2. */
static inline void die(const char *why, long long code) {
    put_str("bench error: ");
    put_str(why);
    put_char(' ');
    put_num(code);
    put_char('\n');
    SYS_write(2, out_line, out_len);
    SYS_exit_group(2);
}

/* argv[i] into buf (at most size bytes with its NUL); exits when it does not fit. */
static inline char *arg(int i, char *buf, int size) {
    if (i >= cl_get_argc()) die("missing argument", i);
    int len = cl_get_argv_len(i);
    if (len < 0 || len >= size) die("argument too long", i);
    cl_copy_argv(buf, i);
    return buf;
}

static inline long long parse_num(const char *s) {
    long long v = 0;
    int negative = *s == '-';
    if (negative) s++;
    if (*s < '0' || *s > '9') die("not a number at argument", 0);
    while (*s >= '0' && *s <= '9') v = v * 10 + (*s++ - '0');
    return negative ? -v : v;
}

static inline long long num_arg(int i) {
    char buf[32];
    return parse_num(arg(i, buf, sizeof buf));
}

#endif
