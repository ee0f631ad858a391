/*
 * wali-fuzz SEED [ROUNDS [STEPS]]: the guest-level syscall fuzzer. From SEED it issues random
 * sequences of WALI syscalls with random but bounded arguments through the real engine: file and
 * descriptor calls, path games (symlink, link, rename chains), mmap/mprotect/pkey_mprotect with
 * PROT_EXEC, memfd_create (MFD_EXEC too) + execveat(AT_EMPTY_PATH), exec of files it wrote (an
 * approved module's bytes, unapproved module bytes, scripts), fork, kill, the code-loading calls.
 *
 * Process 1 runs ROUNDS rounds (default 16); each round forks a child that takes STEPS random
 * steps (default 60) and exits, so a policy kill (kill-process) ends only that child. A child
 * may fork once more (depth 2). Nothing it does can block: pipes are O_NONBLOCK, waits use
 * WNOHANG, sleeps last at most a millisecond, poll never waits, fcntl cannot clear O_NONBLOCK.
 * Process 1 reaps every child and prints one summary line:
 *   wali-fuzz seed S: R rounds, E exited, K killed (V by SIGKILL)
 * The host's oracles (the test, not this program) judge the run: the container ends, every exec
 * event names an approved module, every violation is recorded and well formed, nothing leaks.
 */
#include "wali.h"

IMPORT(SYS_madvise) i64 sys_madvise(void *addr, size_t len, int advice);
IMPORT(SYS_linkat) i64 sys_linkat(int fromfd, const char *from, int tofd, const char *to, int flags);
IMPORT(SYS_renameat2) i64 sys_renameat2(int fromfd, const char *from, int tofd, const char *to, unsigned flags);
IMPORT(SYS_fchmodat) i64 sys_fchmodat(int dirfd, const char *path, int mode, int flags);
IMPORT(SYS_sendfile) i64 sys_sendfile(int out, int in, i64 *off, size_t n);

static u64 rng;
static u64 next(void) {
    u64 z = (rng += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}
static u32 pick(u32 n) { return (u32)(next() % n); }

static const char *const PATHS[] = {
    "/bin/wali-hello", "/bin/wali-echo", "/data/evil.wasm", "/opt/payload/evil-x", "/opt/listed.sh",
    "/tmp/a", "/tmp/b", "/tmp/c", "/tmp/d/e", "/tmp/d", "/tmp/l", "/tmp/../tmp/a", "/proc/self/mem",
    "/proc/self/exe", "/proc/self/fd/3", "/proc/self/fd/4", "/proc/self/fd/5", "/proc/1/mem", "/proc/self/maps",
    "/dev/null", "/dev/zero", "/etc/motd", "/", ".", "..", "", "/bin", "/tmp", "a", "../../../tmp/a",
    "/tmp/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
};
#define NPATHS (sizeof PATHS / sizeof PATHS[0])
static const char *path(void) { return PATHS[pick(NPATHS)]; }

static char *hello, *evil;
static size_t hello_len, evil_len;
static const char SCRIPT_OK[] = "#!/bin/wali-echo\necho from a script\n";
static const char SCRIPT_EVIL[] = "#!/opt/payload/evil-x\nboom\n";
static char scratch[8192];
static int fds[32], nfds;
static int kids[16], nkids;
static int depth;

static void keep_fd(i64 fd) { if (fd >= 0) fds[nfds++ % 32] = (int)fd; }
static int some_fd(void) {
    if (nfds && pick(4)) return fds[pick(nfds < 32 ? nfds : 32)];
    return (int)pick(24) - 1; /* -1 .. 22 */
}

/* A pointer for a syscall: mostly good, sometimes NULL, unaligned, past memory or at its edge. */
static void *ptr(void) {
    switch (pick(10)) {
    case 0: return 0;
    case 1: return (void *)(size_t)0xffffffffu;
    case 2: return (void *)(size_t)0x7fff0000u;
    case 3: return scratch + 1 + pick(7);
    case 4: return (void *)PATHS[pick(NPATHS)];
    default: return scratch + pick(sizeof scratch - 512);
    }
}
static size_t len(void) {
    static const size_t L[] = {0, 1, 7, 4095, 4096, 4097, 8191, 65536, 0x7fffffff, 0xffffffff};
    return pick(3) ? pick(512) : L[pick(sizeof L / sizeof L[0])];
}
static int prot(void) { return pick(12) == 0 ? (PROT_EXEC | (int)pick(4)) : (int)pick(4); }

/* What a written file holds: an approved module, an unapproved one, or a script. */
static void content(const char **buf, size_t *n) {
    switch (pick(4)) {
    case 0: *buf = hello; *n = hello_len; break;
    case 1: *buf = evil; *n = evil_len; break;
    case 2: *buf = SCRIPT_OK; *n = sizeof SCRIPT_OK - 1; break;
    default: *buf = SCRIPT_EVIL; *n = sizeof SCRIPT_EVIL - 1; break;
    }
}

static char *const *argv_for(const char *p) {
    static char *argv[4];
    argv[0] = (char *)p; argv[1] = "fuzz"; argv[2] = pick(2) ? (char *)path() : 0; argv[3] = 0;
    return argv;
}

static void write_and_exec(void) {
    const char *files[] = {"/tmp/a", "/tmp/b", "/tmp/x.sh", "/tmp/d/e"};
    const char *f = files[pick(4)];
    if (pick(3) == 0) sys_mkdir("/tmp/d", 0755);
    i64 fd = sys_open(f, O_CREAT | O_WRONLY | O_TRUNC, pick(2) ? 0755 : 0644);
    if (fd < 0) return;
    const char *buf; size_t n; content(&buf, &n);
    sys_write((int)fd, buf, n);
    if (pick(2)) sys_close((int)fd); else keep_fd(fd); /* exec of a file open for writing: ETXTBSY or not */
    if (pick(2)) sys_chmod(f, 0755);
    const char *target = f;
    switch (pick(4)) {
    case 0: sys_unlink("/tmp/l"); if (sys_symlink(f, "/tmp/l") == 0) target = "/tmp/l"; break;
    case 1: sys_unlink("/tmp/c"); if (sys_link(f, "/tmp/c") == 0) target = "/tmp/c"; break;
    case 2: if (sys_rename(f, "/tmp/c") == 0) target = "/tmp/c"; break;
    default: break;
    }
    sys_execve(target, argv_for(target), 0);
}

static void memfd_exec(void) {
    i64 fd = sys_memfd_create("x", pick(8) == 0 ? 0x10 /* MFD_EXEC */ : pick(2));
    if (fd < 0) return;
    const char *buf; size_t n; content(&buf, &n);
    sys_write((int)fd, buf, n);
    keep_fd(fd);
    if (pick(3)) sys_execveat((int)fd, "", argv_for("memfd"), 0, pick(4) ? AT_EMPTY_PATH : (int)pick(0x2000));
    else {
        char p[32] = "/proc/self/fd/";
        i64 v = fd; char d[8]; int k = 0; do { d[k++] = '0' + v % 10; v /= 10; } while (v);
        int at = 14; while (k) p[at++] = d[--k]; p[at] = 0;
        sys_execve(p, argv_for(p), 0);
    }
}

static void step(void);

static void run(int steps) {
    for (int i = 0; i < steps; i++) step();
}

static void step(void) {
    switch (pick(20)) {
    /* O_NONBLOCK always: /proc/self/fd/N of a pipe must not reopen it blocking */
    case 0: keep_fd(sys_open(path(), ((int)pick(0x400000) & ~020000 /* O_ASYNC */) | O_NONBLOCK, (int)pick(01000)));
        break;
    case 1: keep_fd(sys_openat(pick(3) ? AT_FDCWD : some_fd(), path(), (pick(2) ? O_CREAT | O_RDWR : (int)pick(4)) | O_NONBLOCK, 0644));
        break;
    case 2: {
        int fd = some_fd();
        if (fd <= 2) break; /* the host's stdout and stderr stay quiet */
        const char *buf; size_t n; content(&buf, &n);
        sys_write(fd, pick(2) ? buf : ptr(), pick(2) ? n : len());
        break;
    }
    case 3: sys_read(some_fd(), ptr(), len()); break;
    case 4: sys_close(some_fd()); break;
    case 5:
        switch (pick(3)) {
        case 0: keep_fd(sys_dup(some_fd())); break;
        case 1: keep_fd(sys_dup2(some_fd(), (int)pick(24))); break;
        default: keep_fd(sys_dup3(some_fd(), (int)pick(24), pick(2) ? O_CLOEXEC : (int)pick(8))); break;
        }
        break;
    case 6: {
        int p[2];
        if (sys_pipe2(p, O_NONBLOCK | (pick(2) ? O_CLOEXEC : 0)) == 0) { keep_fd(p[0]); keep_fd(p[1]); }
        break;
    }
    case 7: {
        int flags = (pick(2) ? MAP_PRIVATE : MAP_SHARED) | (pick(2) ? MAP_ANONYMOUS : 0) | (pick(8) == 0 ? MAP_FIXED : 0);
        sys_mmap(pick(4) ? 0 : ptr(), len(), prot(), flags, some_fd(), pick(4) ? 0 : (i64)pick(3) * 4096);
        break;
    }
    case 8: {
        i64 m = sys_mmap(0, 4096 * (1 + pick(4)), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        void *at = MAP_FAILED_ADDR(m) ? ptr() : (void *)(size_t)m;
        if (pick(2)) sys_mprotect(at, len(), prot());
        else sys_pkey_mprotect(at, len(), prot(), (int)pick(3) - 1);
        if (!MAP_FAILED_ADDR(m) && pick(2)) sys_munmap((void *)(size_t)m, 4096);
        break;
    }
    case 9:
        switch (pick(3)) {
        case 0: sys_mremap(ptr(), len(), len(), (int)pick(4), ptr()); break;
        case 1: sys_madvise(ptr(), len(), (int)pick(12)); break;
        default: sys_msync(ptr(), len(), (int)pick(8)); break;
        }
        break;
    case 10: memfd_exec(); break;
    case 11: write_and_exec(); break;
    case 12: { const char *p = path(); sys_execve(p, pick(4) ? argv_for(p) : ptr(), pick(4) ? 0 : ptr()); break; }
    case 13:
        switch (pick(9)) {
        case 0: sys_symlink(path(), path()); break;
        case 1: sys_link(path(), path()); break;
        case 2: sys_rename(path(), path()); break;
        case 3: sys_unlink(path()); break;
        case 4: sys_mkdir(path(), 0755); break;
        case 5: sys_chmod(path(), (int)pick(010000)); break;
        case 6: sys_linkat(AT_FDCWD, path(), AT_FDCWD, path(), pick(2) ? 0x400 /* AT_SYMLINK_FOLLOW */ : AT_EMPTY_PATH); break;
        case 7: sys_renameat2(AT_FDCWD, path(), AT_FDCWD, path(), pick(3)); break;
        default: sys_fchmodat(AT_FDCWD, path(), (int)pick(010000), 0); break;
        }
        break;
    case 14:
        if (depth < 2 && pick(3) == 0) {
            i64 pid = sys_fork();
            if (pid == 0) { depth++; nkids = 0; run(10); exit(0); }
            if (pid > 0 && nkids < 16) kids[nkids++] = (int)pid;
        }
        break;
    case 15: {
        int target = nkids && pick(4) ? kids[pick(nkids)] : (int)sys_getpid();
        int sig = pick(8) ? (int)pick(31) : SIGKILL; /* never SIGSYS (31): the host's oracle reads it as an internal error */
        sys_kill(target, sig);
        break;
    }
    case 16: { int st; sys_wait4(-1, &st, WNOHANG, 0); break; }
    case 17:
        switch (pick(12)) {
        case 0: sys_getdents64(some_fd(), ptr(), len()); break;
        case 1: sys_fstat(some_fd(), ptr()); break;
        case 2: sys_lseek(some_fd(), (i64)pick(10000) - 10, (int)pick(5)); break;
        case 3: sys_ftruncate(some_fd(), (i64)pick(70000)); break;
        case 4: { static const int cmds[] = {F_DUPFD, F_GETFD, F_SETFD, F_GETFL, F_DUPFD_CLOEXEC};
                  keep_fd(sys_fcntl(some_fd(), cmds[pick(5)], pick(8))); break; }
        case 5: sys_readlink(path(), ptr(), len()); break;
        case 6: sys_chdir(pick(2) ? "/tmp" : path()); break;
        case 7: { struct { int fd; short events, revents; } pfd = {some_fd(), 1, 0};
                  sys_poll(&pfd, 1, 0); break; }
        case 8: { i64 ts[2] = {0, (i64)pick(1000000)}; sys_nanosleep(ts, 0); break; }
        case 9: sys_getrandom(ptr(), len() & 0xffff, 0); break;
        case 10: { i64 off = 0; sys_sendfile(some_fd(), some_fd(), pick(2) ? &off : 0, len()); break; }
        default: { u64 lim[2] = {pick(64), 64}; sys_prlimit64(0, RLIMIT_NOFILE, pick(4) ? 0 : lim, (u64 *)scratch); break; }
        }
        break;
    case 18:
        switch (pick(8)) {
        case 0: sys_process_vm_writev((int)sys_getppid(), ptr(), 1, ptr(), 1, 0); break;
        case 1: sys_ptrace(pick(2) ? 0x4206 /* SEIZE */ : (i64)pick(20), (int)sys_getppid(), ptr(), ptr()); break;
        case 2: sys_shmat((int)pick(4), 0, pick(2) ? 0100000 /* SHM_EXEC */ : 0); break;
        case 3: sys_personality(pick(2) ? 0x0400000 /* READ_IMPLIES_EXEC */ : 0xffffffff); break;
        case 4: sys_init_module(hello, hello_len, ""); break;
        case 5: sys_finit_module(some_fd(), "", 0); break;
        case 6: sys_bpf((int)pick(8), ptr(), (u32)len()); break;
        default: sys_kexec_load(0, 0, 0, 0); break;
        }
        break;
    default: sys_brk(pick(2) ? 0 : ptr()); break;
    }
}

int main(int argc, char **argv) {
    if (argc < 2) {
        write_all(2, "usage: wali-fuzz SEED [ROUNDS [STEPS]]\n");
        return 2;
    }
    u64 seed = (u64)atol(argv[1]);
    long rounds = argc > 2 ? atol(argv[2]) : 16, steps = argc > 3 ? atol(argv[3]) : 60;
    if (read_file("/bin/wali-hello", &hello, &hello_len) < 0 || read_file("/data/evil.wasm", &evil, &evil_len) < 0) {
        write_all(2, "wali-fuzz: cannot read the module files\n");
        return 1;
    }
    unsigned exited = 0, killed = 0, sigkill = 0;
    for (long r = 0; r < rounds; r++) {
        rng = seed * 1000003ULL + (u64)r;
        i64 pid = sys_fork();
        if (pid == 0) {
            depth = 1;
            run((int)steps);
            exit(0);
        }
        if (pid < 0) continue;
        int st = wait_for(pid);
        if (st < 0) continue;
        if (WIFEXITED(st)) exited++;
        else { killed++; if (WTERMSIG(st) == SIGKILL) sigkill++; }
        int s; while (sys_wait4(-1, &s, WNOHANG, 0) > 0) {}
    }
    int s; while (sys_wait4(-1, &s, 0, 0) > 0) {}
    say("wali-fuzz seed "); putl((i64)seed); say(": "); putl(rounds); say(" rounds, "); putl(exited);
    say(" exited, "); putl(killed); say(" killed ("); putl(sigkill); say(" by SIGKILL)\n");
    flush();
    return 0;
}
WALI_MAIN
