/*
 * wali-hello: the first guest of nojit's WALI personality (Linux syscalls
 * imported one by one from the module "wali"). No libc: the three syscalls
 * it uses are declared here, and it exports _start itself.
 *
 * Writes "hello from WALI, pid N\n" to fd 1 with a single write, then calls
 * exit_group(0).
 *
 * WALI signatures: every syscall import returns i64 (the raw Linux result,
 * -errno on failure); int, pointer, unsigned and size_t arguments are i32,
 * long and off_t arguments are i64.
 *
 * Keep this file free of byte-copy loops and large array initialisers: at
 * -O2 clang turns those into calls to memcpy/memset, which (with no libc and
 * --allow-undefined) would become unwanted "env" imports.
 */

#define WALI(name) __attribute__((import_module("wali"), import_name(#name)))

WALI(SYS_write) long long SYS_write(int fd, const void *buf, unsigned count);
WALI(SYS_getpid) long long SYS_getpid(void);
WALI(SYS_exit_group) long long SYS_exit_group(int status);

#define PREFIX "hello from WALI, pid "
#define PREFIX_LEN (sizeof PREFIX - 1)

/* The prefix lives in the data segment; the pid and '\n' are written after it. */
static char line[PREFIX_LEN + 21] = PREFIX;

void _start(void) {
    long long pid = SYS_getpid();
    unsigned n = PREFIX_LEN;

    /* Format pid in decimal, by hand: sign, then digits from the last one. */
    unsigned long long v = (unsigned long long)pid;
    if (pid < 0) {
        line[n++] = '-';
        v = 0 - v;
    }
    unsigned digits = 1;
    for (unsigned long long t = v; t >= 10; t /= 10)
        digits++;
    for (unsigned i = digits; i > 0; i--) {
        line[n + i - 1] = (char)('0' + v % 10);
        v /= 10;
    }
    n += digits;
    line[n++] = '\n';

    SYS_write(1, line, n);
    SYS_exit_group(0);
}
