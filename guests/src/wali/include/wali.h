/*
 * wali.h: a tiny freestanding runtime for nojit's own WALI test guests (there is no WALI libc
 * on this machine). Everything is static inline or a macro, so each guest is one translation
 * unit. Compiled with -mbulk-memory, copies and fills become memory.copy/memory.fill.
 *
 * ABI (SPEC §3): every Linux syscall is the import wali.SYS_<name>; pointers, int, unsigned and
 * size_t are i32; long and off_t are i64; the result is i64, -errno on failure. Struct layouts
 * are x86-64 with 4-byte pointers (struct stat 144 bytes; iovec two u32; sigaction handler@0
 * mask@8 flags@136).
 *
 * A guest defines `int main(int argc, char **argv)`; WALI_MAIN below provides _start (argv from
 * __cl_get_argc/__cl_get_argv_len/__cl_copy_argv, the environment from __get_init_envfile).
 * CHECK(cond) prints "ok <what>" or "FAIL <what> (line N)" and counts failures.
 */
#ifndef NOJIT_WALI_H
#define NOJIT_WALI_H

/*
 * WALI passes signal handlers as function-table indices, and SIG_IGN is 1: the function in table
 * slot 1 could never be a handler. wasm-ld numbers address-taken functions in the order the code
 * refers to them, so the first function of every guest (below, called first by _start) takes
 * slot 1 for a function that is never a handler.
 */
static void wali_slot_one(void) {}
volatile unsigned wali_slot_sink;
/* external linkage: emitted where it is defined, before the guest's own functions */
__attribute__((noinline, used)) void wali_reserve_slot_one(void) { wali_slot_sink = (unsigned)(unsigned long)wali_slot_one; }
typedef unsigned long size_t;
typedef long ssize_t;
typedef long long i64;
typedef unsigned long long u64;
typedef unsigned int u32;

#define IMPORT(name) __attribute__((import_module("wali"), import_name(#name)))
#define SC0(n) IMPORT(SYS_##n) i64 sys_##n(void);
IMPORT(SYS_read) i64 sys_read(int fd, void *buf, size_t n);
IMPORT(SYS_write) i64 sys_write(int fd, const void *buf, size_t n);
IMPORT(SYS_open) i64 sys_open(const char *path, int flags, int mode);
IMPORT(SYS_openat) i64 sys_openat(int dirfd, const char *path, int flags, int mode);
IMPORT(SYS_close) i64 sys_close(int fd);
IMPORT(SYS_lseek) i64 sys_lseek(int fd, i64 off, int whence);
IMPORT(SYS_pread64) i64 sys_pread64(int fd, void *buf, size_t n, i64 off);
IMPORT(SYS_pwrite64) i64 sys_pwrite64(int fd, const void *buf, size_t n, i64 off);
IMPORT(SYS_dup) i64 sys_dup(int fd);
IMPORT(SYS_dup2) i64 sys_dup2(int fd, int to);
IMPORT(SYS_dup3) i64 sys_dup3(int fd, int to, int flags);
IMPORT(SYS_fcntl) i64 sys_fcntl(int fd, int cmd, i64 arg);
IMPORT(SYS_pipe) i64 sys_pipe(int *fds);
IMPORT(SYS_pipe2) i64 sys_pipe2(int *fds, int flags);
IMPORT(SYS_stat) i64 sys_stat(const char *path, void *st);
IMPORT(SYS_lstat) i64 sys_lstat(const char *path, void *st);
IMPORT(SYS_fstat) i64 sys_fstat(int fd, void *st);
IMPORT(SYS_newfstatat) i64 sys_newfstatat(int dirfd, const char *path, void *st, int flags);
IMPORT(SYS_getdents64) i64 sys_getdents64(int fd, void *buf, size_t n);
IMPORT(SYS_mkdir) i64 sys_mkdir(const char *path, int mode);
IMPORT(SYS_rmdir) i64 sys_rmdir(const char *path);
IMPORT(SYS_unlink) i64 sys_unlink(const char *path);
IMPORT(SYS_rename) i64 sys_rename(const char *from, const char *to);
IMPORT(SYS_symlink) i64 sys_symlink(const char *target, const char *path);
IMPORT(SYS_readlink) i64 sys_readlink(const char *path, char *buf, size_t n);
IMPORT(SYS_truncate) i64 sys_truncate(const char *path, i64 len);
IMPORT(SYS_ftruncate) i64 sys_ftruncate(int fd, i64 len);
IMPORT(SYS_chdir) i64 sys_chdir(const char *path);
IMPORT(SYS_getcwd) i64 sys_getcwd(char *buf, size_t n);
IMPORT(SYS_umask) i64 sys_umask(int mask);
IMPORT(SYS_access) i64 sys_access(const char *path, int mode);
IMPORT(SYS_chmod) i64 sys_chmod(const char *path, int mode);
IMPORT(SYS_fork) i64 sys_fork(void);
IMPORT(SYS_execve) i64 sys_execve(const char *path, char *const *argv, char *const *envp);
IMPORT(SYS_exit_group) i64 sys_exit_group(int code);
IMPORT(SYS_exit) i64 sys_exit(int code);
IMPORT(SYS_wait4) i64 sys_wait4(int pid, int *status, int options, void *rusage);
IMPORT(SYS_getpid) i64 sys_getpid(void);
IMPORT(SYS_getppid) i64 sys_getppid(void);
IMPORT(SYS_getpgid) i64 sys_getpgid(int pid);
IMPORT(SYS_setpgid) i64 sys_setpgid(int pid, int pgid);
IMPORT(SYS_setsid) i64 sys_setsid(void);
IMPORT(SYS_kill) i64 sys_kill(int pid, int sig);
IMPORT(SYS_rt_sigaction) i64 sys_rt_sigaction(int sig, const void *act, void *old, size_t size);
IMPORT(SYS_rt_sigprocmask) i64 sys_rt_sigprocmask(int how, const u64 *set, u64 *old, size_t size);
IMPORT(SYS_rt_sigpending) i64 sys_rt_sigpending(u64 *set, size_t size);
IMPORT(SYS_brk) i64 sys_brk(void *addr);
IMPORT(SYS_mmap) i64 sys_mmap(void *addr, size_t len, int prot, int flags, int fd, i64 off);
IMPORT(SYS_munmap) i64 sys_munmap(void *addr, size_t len);
IMPORT(SYS_mremap) i64 sys_mremap(void *addr, size_t old, size_t len, int flags, void *to);
IMPORT(SYS_mprotect) i64 sys_mprotect(void *addr, size_t len, int prot);
IMPORT(SYS_poll) i64 sys_poll(void *fds, u64 n, int timeout);
IMPORT(SYS_select) i64 sys_select(int n, void *r, void *w, void *e, void *tv);
IMPORT(SYS_nanosleep) i64 sys_nanosleep(const i64 *req, i64 *rem);
IMPORT(SYS_clock_gettime) i64 sys_clock_gettime(int clock, i64 *ts);
IMPORT(SYS_getrlimit) i64 sys_getrlimit(int res, u64 *lim);
IMPORT(SYS_prlimit64) i64 sys_prlimit64(int pid, int res, const u64 *nl, u64 *old);
IMPORT(SYS_alarm) i64 sys_alarm(unsigned s);
IMPORT(SYS_pause) i64 sys_pause(void);
IMPORT(SYS_uname) i64 sys_uname(void *buf);
IMPORT(SYS_getrandom) i64 sys_getrandom(void *buf, size_t n, unsigned flags);
IMPORT(SYS_readv) i64 sys_readv(int fd, const void *iov, int n);
IMPORT(SYS_writev) i64 sys_writev(int fd, const void *iov, int n);
IMPORT(SYS_link) i64 sys_link(const char *from, const char *to);
IMPORT(SYS_fchdir) i64 sys_fchdir(int fd);
IMPORT(SYS_mkdirat) i64 sys_mkdirat(int dirfd, const char *path, int mode);
IMPORT(SYS_unlinkat) i64 sys_unlinkat(int dirfd, const char *path, int flags);
IMPORT(SYS_renameat) i64 sys_renameat(int fromfd, const char *from, int tofd, const char *to);
IMPORT(SYS_readlinkat) i64 sys_readlinkat(int dirfd, const char *path, char *buf, size_t n);
IMPORT(SYS_symlinkat) i64 sys_symlinkat(const char *target, int dirfd, const char *path);
IMPORT(SYS_faccessat) i64 sys_faccessat(int dirfd, const char *path, int mode, int flags);
IMPORT(SYS_fchmod) i64 sys_fchmod(int fd, int mode);
IMPORT(SYS_getpgrp) i64 sys_getpgrp(void);
IMPORT(SYS_getsid) i64 sys_getsid(int pid);
IMPORT(SYS_setrlimit) i64 sys_setrlimit(int res, const u64 *lim);
IMPORT(SYS_getrusage) i64 sys_getrusage(int who, void *usage);
IMPORT(SYS_rt_sigsuspend) i64 sys_rt_sigsuspend(const u64 *mask, size_t size);
IMPORT(SYS_getuid) i64 sys_getuid(void);
IMPORT(SYS_msync) i64 sys_msync(void *addr, size_t len, int flags);
/* the code-loading and memory-writing calls that issue 5's attack guest (wali-violate) tries */
IMPORT(SYS_execveat) i64 sys_execveat(int dirfd, const char *path, char *const *argv, char *const *envp, int flags);
IMPORT(SYS_pkey_mprotect) i64 sys_pkey_mprotect(void *addr, size_t len, int prot, int pkey);
IMPORT(SYS_personality) i64 sys_personality(u32 persona);
IMPORT(SYS_shmget) i64 sys_shmget(int key, size_t size, int flags);
IMPORT(SYS_shmat) i64 sys_shmat(int id, const void *addr, int flags);
IMPORT(SYS_memfd_create) i64 sys_memfd_create(const char *name, u32 flags);
IMPORT(SYS_process_vm_writev) i64 sys_process_vm_writev(int pid, const void *local, i64 nlocal, const void *remote, i64 nremote, i64 flags);
IMPORT(SYS_ptrace) i64 sys_ptrace(i64 request, int pid, void *addr, void *data);
IMPORT(SYS_init_module) i64 sys_init_module(const void *image, i64 len, const char *params);
IMPORT(SYS_finit_module) i64 sys_finit_module(int fd, const char *params, int flags);
IMPORT(SYS_kexec_load) i64 sys_kexec_load(i64 entry, i64 nsegments, const void *segments, i64 flags);
IMPORT(SYS_bpf) i64 sys_bpf(int cmd, void *attr, u32 size);
IMPORT(__cl_get_argc) int wali_argc(void);
IMPORT(__cl_get_argv_len) int wali_argv_len(int i);
IMPORT(__cl_copy_argv) int wali_copy_argv(char *buf, int i);
IMPORT(__get_init_envfile) int wali_envfile(char *buf, int size);
IMPORT(setjmp) int setjmp(void *buf);
IMPORT(sigsetjmp) int sigsetjmp(void *buf, int savemask);
IMPORT(longjmp) void longjmp(void *buf, int v) __attribute__((noreturn));

typedef struct { u32 buf[64]; } jmp_buf[1];

enum { O_RDONLY = 0, O_WRONLY = 1, O_RDWR = 2, O_CREAT = 0100, O_EXCL = 0200, O_TRUNC = 01000, O_APPEND = 02000,
       O_NONBLOCK = 04000, O_DIRECTORY = 0200000, O_NOFOLLOW = 0400000, O_CLOEXEC = 02000000 };
enum { F_DUPFD = 0, F_GETFD = 1, F_SETFD = 2, F_GETFL = 3, F_SETFL = 4, FD_CLOEXEC = 1, F_DUPFD_CLOEXEC = 1030 };
enum { AT_FDCWD = -100, AT_SYMLINK_NOFOLLOW = 0x100, AT_REMOVEDIR = 0x200, AT_EMPTY_PATH = 0x1000 };
enum { R_OK = 4, W_OK = 2, X_OK = 1, F_OK = 0 };
enum { SA_NODEFER = 0x40000000, SA_RESETHAND = (int)0x80000000, SA_RESTART = 0x10000000 };
enum { RLIMIT_NOFILE = 7, RLIMIT_NPROC = 6, RLIMIT_AS = 9 };
enum { MREMAP_FIXED = 2, MAP_FIXED = 0x10, MS_SYNC = 4 };
enum { PROT_READ = 1, PROT_WRITE = 2, PROT_EXEC = 4, MAP_SHARED = 1, MAP_PRIVATE = 2, MAP_ANONYMOUS = 0x20, MREMAP_MAYMOVE = 1 };
enum { SIGHUP = 1, SIGINT = 2, SIGKILL = 9, SIGUSR1 = 10, SIGSEGV = 11, SIGUSR2 = 12, SIGPIPE = 13, SIGALRM = 14,
       SIGTERM = 15, SIGCHLD = 17, SIG_BLOCK = 0, SIG_UNBLOCK = 1, SIG_SETMASK = 2, WNOHANG = 1 };
enum { EPERM = 1, ENOENT = 2, ESRCH = 3, EINTR = 4, E2BIG = 7, ENOEXEC = 8, EBADF = 9, ECHILD = 10, EAGAIN = 11,
       ENOMEM = 12, EACCES = 13, EFAULT = 14, EEXIST = 17, ENOTDIR = 20, EISDIR = 21, EINVAL = 22, EMFILE = 24,
       ENOTTY = 25, ENOSPC = 28, ESPIPE = 29, EROFS = 30, EPIPE = 32, ENAMETOOLONG = 36, ENOSYS = 38,
       ENOTEMPTY = 39, ELOOP = 40, EXDEV = 18, ERANGE = 34 };
#define WIFEXITED(s) (((s) & 0x7f) == 0)
#define WEXITSTATUS(s) (((s) >> 8) & 0xff)
#define WIFSIGNALED(s) (((s) & 0x7f) != 0 && ((s) & 0x7f) != 0x7f)
#define WTERMSIG(s) ((s) & 0x7f)
#define MAP_FAILED_ADDR(r) ((r) < 0 && (r) > -4096)

/* struct stat (x86-64): mode u32 @24, size i64 @48, nlink u64 @16, ino u64 @8 */
struct stat { u64 dev, ino, nlink; u32 mode, uid, gid, pad; u64 rdev; i64 size, blksize, blocks; i64 times[6]; i64 reserved[3]; };
#define S_ISDIR(m) (((m) & 0170000) == 0040000)
#define S_ISREG(m) (((m) & 0170000) == 0100000)
#define S_ISLNK(m) (((m) & 0170000) == 0120000)
#define S_ISCHR(m) (((m) & 0170000) == 0020000)
#define S_ISFIFO(m) (((m) & 0170000) == 0010000)

/* WALI's struct sigaction */
struct sigaction { u32 handler; u32 pad; u64 mask[16]; int flags; u32 restorer; };
struct pollfd { int fd; short events, revents; };
struct iovec { u32 base; u32 len; };
enum { POLLIN = 1, POLLOUT = 4, POLLERR = 8, POLLHUP = 0x10, POLLNVAL = 0x20 };

static inline size_t strlen(const char *s) { size_t n = 0; while (s[n]) n++; return n; }
static inline int strcmp(const char *a, const char *b) {
    while (*a && *a == *b) { a++; b++; }
    return (unsigned char)*a - (unsigned char)*b;
}
static inline int strncmp(const char *a, const char *b, size_t n) {
    for (size_t i = 0; i < n; i++) { if (a[i] != b[i] || !a[i]) return (unsigned char)a[i] - (unsigned char)b[i]; }
    return 0;
}
static inline char *strcpy(char *d, const char *s) { size_t n = strlen(s); __builtin_memcpy(d, s, n + 1); return d; }
static inline char *strcat(char *d, const char *s) { strcpy(d + strlen(d), s); return d; }
static inline int memeq(const void *a, const void *b, size_t n) {
    const unsigned char *x = a, *y = b;
    for (size_t i = 0; i < n; i++) if (x[i] != y[i]) return 0;
    return 1;
}
static inline int starts_with(const char *s, const char *p) { return strncmp(s, p, strlen(p)) == 0; }
static inline long atol(const char *s) {
    long v = 0, sign = 1;
    if (*s == '-') { sign = -1; s++; }
    while (*s >= '0' && *s <= '9') v = v * 10 + (*s++ - '0');
    return v * sign;
}

/* Output: an 8 KiB buffer flushed at newline (so lines from several processes do not mix). */
static char out_buf[8192];
static size_t out_len;
static inline void flush(void) { size_t off = 0; while (off < out_len) { i64 n = sys_write(1, out_buf + off, out_len - off); if (n <= 0) break; off += n; } out_len = 0; }
static inline void put(const char *s, size_t n) { for (size_t i = 0; i < n; i++) { if (out_len == sizeof out_buf) flush(); out_buf[out_len++] = s[i]; if (s[i] == '\n') flush(); } }
static inline void puts_(const char *s) { put(s, strlen(s)); }
static inline void putl(i64 v) {
    char b[24]; int n = 0; u64 u = v < 0 ? -(u64)v : (u64)v;
    do { b[n++] = '0' + u % 10; u /= 10; } while (u);
    if (v < 0) b[n++] = '-';
    while (n) put(&b[--n], 1);
}
/* print("text", value, "text", ...) style helpers */
#define say(s) puts_(s)
static inline void fmt_to(char *dst, const char *a, i64 v, const char *b) {
    char t[24]; int n = 0; u64 u = v < 0 ? -(u64)v : (u64)v;
    do { t[n++] = '0' + u % 10; u /= 10; } while (u);
    if (v < 0) t[n++] = '-';
    strcpy(dst, a); size_t l = strlen(dst); while (n) dst[l++] = t[--n]; dst[l] = 0; strcat(dst, b);
}

static int failures;
#define CHECK(cond, what) do { if (cond) { say("ok " what "\n"); } else { failures++; say("FAIL " what " (line "); putl(__LINE__); say(")\n"); } } while (0)
#define CHECKV(cond, what, v) do { if (cond) { say("ok " what "\n"); } else { failures++; say("FAIL " what ": got "); putl((i64)(v)); say(" (line "); putl(__LINE__); say(")\n"); } } while (0)

static inline __attribute__((noreturn)) void exit(int code) { flush(); sys_exit_group(code); __builtin_unreachable(); }

/* Memory: a bump allocator on brk (never freed: test guests are short-lived). */
static inline void *alloc(size_t n) {
    static char *cur, *end;
    n = (n + 15) & ~(size_t)15;
    if (!cur) cur = end = (char *)(size_t)sys_brk(0);
    if (cur + n > end) {
        size_t chunk = n > 65536 ? n : 65536;
        i64 r = sys_brk(end + chunk);
        if (r != (i64)(size_t)(end + chunk)) return 0;
        end += chunk;
    }
    void *p = cur; cur += n; return p;
}

static char **environ;
static inline char **read_env(void) {
    char path[256];
    static char *none[1];
    if (!wali_envfile(path, sizeof path)) return none;
    i64 fd = sys_open(path, O_RDONLY, 0);
    if (fd < 0) return none;
    char *text = alloc(65536); i64 n = 0, r;
    while (n < 65535 && (r = sys_read(fd, text + n, 65535 - n)) > 0) n += r;
    sys_close(fd); text[n] = 0;
    int count = 0; for (i64 i = 0; i < n; i++) if (text[i] == '\n') count++;
    char **env = alloc((count + 2) * sizeof(char *)); int k = 0; char *line = text;
    for (i64 i = 0; i < n; i++) if (text[i] == '\n') { text[i] = 0; env[k++] = line; line = text + i + 1; }
    env[k] = 0; return env;
}
static inline const char *getenv(const char *name) {
    size_t l = strlen(name);
    for (char **e = environ; e && *e; e++) if (!strncmp(*e, name, l) && (*e)[l] == '=') return *e + l + 1;
    return 0;
}

int main(int argc, char **argv);
#define WALI_MAIN \
    __attribute__((export_name("_start"))) void _start(void) { \
        wali_reserve_slot_one(); \
        int argc = wali_argc(); \
        char **argv = alloc((argc + 1) * sizeof(char *)); \
        for (int i = 0; i < argc; i++) { argv[i] = alloc(wali_argv_len(i) + 1); wali_copy_argv(argv[i], i); } \
        argv[argc] = 0; \
        environ = read_env(); \
        exit(main(argc, argv)); \
    }

static inline i64 now_ns(void) { i64 ts[2]; sys_clock_gettime(1, ts); return ts[0] * 1000000000LL + ts[1]; }
static inline void sleep_ms(long ms) { i64 ts[2] = { ms / 1000, (ms % 1000) * 1000000LL }; sys_nanosleep(ts, 0); }
static inline i64 set_handler(int sig, void (*h)(int), int flags) {
    struct sigaction sa; __builtin_memset(&sa, 0, sizeof sa);
    sa.handler = (u32)(size_t)h; sa.flags = flags;
    return sys_rt_sigaction(sig, &sa, 0, 8);
}
static inline i64 set_disposition(int sig, u32 value) {
    struct sigaction sa; __builtin_memset(&sa, 0, sizeof sa); sa.handler = value;
    return sys_rt_sigaction(sig, &sa, 0, 8);
}
/* Reads until end of file (or max - 1 bytes) and terminates with NUL; the byte count, or -errno. */
static inline i64 read_all(int fd, char *buf, size_t max) {
    i64 n = 0, r;
    while ((size_t)n < max - 1 && (r = sys_read(fd, buf + n, max - 1 - n)) != 0) {
        if (r == -EINTR) continue;
        if (r < 0) return r;
        n += r;
    }
    buf[n] = 0;
    return n;
}
/* The whole file at path, in memory from alloc: 0 with *buf and *len set, or -errno. */
static inline i64 read_file(const char *path, char **buf, size_t *len) {
    i64 fd = sys_open(path, O_RDONLY, 0);
    if (fd < 0) return fd;
    struct stat st;
    i64 r = sys_fstat((int)fd, &st);
    char *b = r < 0 ? 0 : alloc((size_t)st.size + 1);
    if (r >= 0 && !b) r = -ENOMEM;
    if (r >= 0) r = read_all((int)fd, b, (size_t)st.size + 1);
    sys_close((int)fd);
    if (r < 0) return r;
    *buf = b;
    *len = (size_t)r;
    return 0;
}

/* wait4 for one child, retrying after EINTR; the status, or -1 on error. */
static inline int wait_for(i64 pid) {
    int status = 0; i64 r;
    while ((r = sys_wait4((int)pid, &status, 0, 0)) == -EINTR) {}
    return r == pid ? status : -1;
}
static inline void putx(u64 v) {
    char b[16]; int n = 0;
    do { b[n++] = "0123456789abcdef"[v & 15]; v >>= 4; } while (v);
    say("0x"); while (n) put(&b[--n], 1);
}
static inline int write_all(int fd, const char *s) { return sys_write(fd, s, strlen(s)) == (i64)strlen(s); }

#endif
