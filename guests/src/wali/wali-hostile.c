/*
 * wali-hostile: what a hostile program can hand the kernel. Every attempt must come back as
 * an error; the program then prints "survived". Modes:
 *   wali-hostile            the attempts below
 *   wali-hostile spin       loops forever (for timeouts and kills)
 *   wali-hostile mem        touches memory beyond its end (traps: the process dies, no one else)
 *   wali-hostile neighbours a trapping child, a child doing the hostile attempts and a
 *                           well-behaved child that keeps counting: only the first dies
 */
#include "wali.h"

int main(int argc, char **argv) {
    if (argc >= 2 && !strcmp(argv[1], "spin")) { for (;;) {} }
    if (argc >= 2 && !strcmp(argv[1], "mem")) { volatile char *p = (char *)0xfffffff0u; return *p; }
    if (argc >= 2 && !strcmp(argv[1], "exec-landed")) {
        /* an execve that should have failed with E2BIG ran this program instead */
        say("FAIL execve with 100,000 environment strings succeeded: the environment had ");
        int n = 0; for (char **e = environ; e && *e; e++) n++;
        putl(n); say(" strings\n");
        return 1;
    }
    if (argc >= 2 && !strcmp(argv[1], "oom")) {
        /* takes memory 1 MiB at a time (touching it) until ENOMEM, then tries memory.grow and brk */
        long mib = 0; i64 r = 0;
        while (mib < 8192) {
            r = sys_mmap(0, 1 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
            if (MAP_FAILED_ADDR(r)) break;
            ((char *)(size_t)r)[4096] = 1;
            mib++;
        }
        say("oom: mapped MiB "); putl(mib); say("\n");
        CHECKV(r == -ENOMEM, "mmap past the memory limit: ENOMEM", r);
        CHECK((int)__builtin_wasm_memory_grow(0, 256) == -1, "memory.grow past the memory limit: -1");
        i64 top = sys_brk(0);
        CHECK(sys_brk((char *)(size_t)top + (16 << 20)) == top, "brk past the memory limit: the break stays");
        sleep_ms(argc >= 3 ? atol(argv[2]) : 0); /* hold the memory while the neighbours work */
        say("survived\n");
        return failures;
    }
    if (argc >= 2 && !strcmp(argv[1], "oom-neighbours")) {
        /*
         * A well-behaved pair (a writer piping 200,000 bytes to a counter) is forked first and waits
         * for a go; then a hog takes all the container's memory and holds it while the pair works.
         * (fork copies the whole memory, so nothing can be forked once the hog has it all.)
         */
        int go[2], p[2]; sys_pipe(go); sys_pipe(p);
        i64 worker = sys_fork();
        if (worker == 0) {
            sys_close(p[0]); sys_close(go[1]);
            int q[2]; sys_pipe(q);
            i64 w = sys_fork();
            if (w == 0) {
                sys_close(q[0]);
                char c; sys_read(go[0], &c, 1);
                for (int i = 0; i < 20000; i++) sys_write(q[1], "0123456789", 10);
                return 0;
            }
            sys_close(q[1]); sys_close(go[0]);
            char chunk[4096]; i64 total = 0, n;
            while ((n = sys_read(q[0], chunk, sizeof chunk)) > 0) total += n;
            int ws = wait_for(w);
            sys_dup2(p[1], 1);
            putl(total); say(WIFEXITED(ws) && WEXITSTATUS(ws) == 0 ? " writer ok\n" : " writer failed\n");
            return 0;
        }
        sys_close(p[1]); sys_close(go[0]);
        i64 hog = sys_fork();
        if (hog == 0) { char *a[] = {argv[0], "oom", "1500", 0}; int nul = (int)sys_open("/dev/null", O_WRONLY, 0); sys_dup2(nul, 1); sys_execve(argv[0], a, 0); return 99; }
        sleep_ms(700);
        i64 late = sys_fork();
        if (late == 0) sys_exit_group(0);
        if (late > 0) wait_for(late);
        say("fork while the hog holds the memory: "); putl(late); say("\n");
        sys_write(go[1], "g", 1);
        char got[64];
        read_all(p[0], got, sizeof got);
        int s1 = wait_for(worker), s2 = wait_for(hog);
        say("neighbour: "); say(got);
        CHECK(WIFEXITED(s1) && WEXITSTATUS(s1) == 0 && !strcmp(got, "200000 writer ok\n"), "the well-behaved neighbours piped 200000 bytes while memory was exhausted");
        CHECKV(WIFEXITED(s2) && WEXITSTATUS(s2) == 0, "the memory hog got ENOMEM and exited 0", s2);
        return failures;
    }
    if (argc >= 2 && !strcmp(argv[1], "neighbours")) {
        int p[2]; sys_pipe(p);
        i64 counter = sys_fork();
        if (counter == 0) {
            sys_close(p[0]);
            long sum = 0;
            for (long i = 1; i <= 3000000; i++) sum += i % 7;
            sys_dup2(p[1], 1);
            putl(sum); say("\n");
            return 0;
        }
        sys_close(p[1]);
        char *mem[] = {argv[0], "mem", 0}, *attempts[] = {argv[0], 0};
        i64 crasher = sys_fork();
        if (crasher == 0) { sys_execve(argv[0], mem, 0); return 99; }
        i64 hostile = sys_fork();
        if (hostile == 0) { int nul = (int)sys_open("/dev/null", O_WRONLY, 0); sys_dup2(nul, 1); sys_execve(argv[0], attempts, 0); return 99; }
        int s1, s2, s3;
        sys_wait4((int)crasher, &s1, 0, 0);
        sys_wait4((int)hostile, &s2, 0, 0);
        char buf[32]; i64 n = 0, r;
        while ((r = sys_read(p[0], buf + n, sizeof buf - 1 - n)) > 0) n += r;
        buf[n] = 0;
        sys_wait4((int)counter, &s3, 0, 0);
        CHECKV(WIFSIGNALED(s1) && WTERMSIG(s1) == SIGSEGV, "the trapping neighbour died of SIGSEGV", s1);
        CHECKV(WIFEXITED(s2) && WEXITSTATUS(s2) == 0, "the hostile neighbour got errors and exited 0", s2);
        CHECK(WIFEXITED(s3) && WEXITSTATUS(s3) == 0 && !strcmp(buf, "8999997\n"), "the well-behaved neighbour finished its work");
        return failures;
    }
    char buf[64];
    char *const bad = (char *)0xfffffff0u;
    CHECK(sys_write(1, bad, 100) == -EFAULT, "write from a pointer past memory: EFAULT");
    CHECK(sys_read(0, bad, 100) == -EFAULT || sys_read(0, bad, 100) == 0, "read into a pointer past memory: EFAULT");
    CHECK(sys_open(bad, O_RDONLY, 0) == -EFAULT, "open with a bad path pointer: EFAULT");
    CHECK(sys_open(0, O_RDONLY, 0) == -EFAULT, "open(NULL): EFAULT");
    CHECK(sys_stat("/etc", bad) == -EFAULT, "stat into a bad buffer: EFAULT");
    CHECK(sys_pipe((int *)bad) == -EFAULT, "pipe into a bad array: EFAULT");
    CHECK(sys_write(1, buf, 0xffffffffu) == -EFAULT, "a 4 GiB length: EFAULT");
    CHECK(sys_read(-5, buf, 1) == -EBADF && sys_write(1 << 30, buf, 1) == -EBADF, "negative and huge descriptors: EBADF");
    CHECK(sys_dup2(1, -1) == -EBADF && sys_dup2(1, 1 << 20) == -EBADF, "dup2 to bad numbers: EBADF");
    CHECK(sys_poll(bad, 1, 0) == -EFAULT && sys_poll(buf, 1 << 30, 0) == -EINVAL, "poll with bad arrays");
    CHECK(sys_mmap(0, 0xfffff000u, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == -ENOMEM, "a 4 GiB mapping: ENOMEM");

    /* a path of 5000 components */
    char *deep = alloc(10001);
    for (int i = 0; i < 5000; i++) { deep[2 * i] = '/'; deep[2 * i + 1] = 'a'; }
    deep[10000] = 0;
    CHECK(sys_open(deep, O_RDONLY, 0) == -ENAMETOOLONG, "a 5000-component path: ENAMETOOLONG");
    CHECK(sys_mkdir(deep, 0755) == -ENAMETOOLONG, "mkdir of it: ENAMETOOLONG");
    /* a path with no NUL before the end of memory */
    i64 top = sys_brk(0);
    char *edge = (char *)(size_t)top - 8;
    __builtin_memset(edge, 'x', 8);
    CHECK(sys_open(edge, O_RDONLY, 0) == -EFAULT || sys_open(edge, O_RDONLY, 0) == -ENOENT, "an unterminated path at the end of memory");

    /* execve with 100,000 arguments */
    char **many = alloc(100001 * sizeof(char *));
    for (int i = 0; i < 100000; i++) many[i] = "an-argument-of-some-length";
    many[100000] = 0;
    CHECK(sys_execve(argv[0], many, 0) == -E2BIG, "execve with 100,000 arguments: E2BIG");
    many[1] = (char *)bad; many[2] = 0;
    CHECK(sys_execve(argv[0], many, 0) == -EFAULT, "execve with a bad argv entry: EFAULT");

    /* descriptors until EMFILE */
    int opened = 0; i64 fd = 0;
    while ((fd = sys_open("/dev/null", O_RDONLY, 0)) >= 0) opened++;
    CHECKV(fd == -EMFILE, "opening until EMFILE", fd);
    for (int i = 3; i < 3 + opened; i++) sys_close(i);

    /* signals out of range, kill of a pid that does not exist */
    CHECK(sys_kill(1, 99) == -EINVAL && sys_kill(123456, SIGTERM) == -ESRCH, "bad signal numbers and pids");
    CHECK(sys_rt_sigaction(0, 0, 0, 8) == -EINVAL, "rt_sigaction(0)");

    /* more pointers and lengths: every one an error, none a crash */
    struct iovec iov[2] = {{(u32)(size_t)buf, 4}, {0xfffffff0u, 100}};
    CHECK(sys_writev(1, iov, 2) == -EFAULT || sys_writev(1, iov, 2) == 4, "writev with a bad second buffer");
    CHECK(sys_writev(1, bad, 1) == -EFAULT, "writev with a bad iovec array: EFAULT");
    CHECK(sys_writev(1, iov, 1 << 30) == -EINVAL, "writev with 2^30 iovecs: EINVAL");
    CHECK(sys_readv(0, bad, 1) == -EFAULT, "readv with a bad iovec array: EFAULT");
    int nul = (int)sys_open("/dev/null", O_WRONLY, 0);
    CHECK(sys_write(nul, buf, 0x7fffffff) == -EFAULT, "a 2 GiB write from a small buffer: EFAULT");
    i64 neg;
    int tf = (int)sys_open("/tmp/neg", O_RDWR | O_CREAT, 0600);
    neg = sys_pread64(tf, buf, 10, -1);
    CHECKV(neg == -EINVAL, "pread of a file at a negative offset: EINVAL", neg);
    neg = sys_pwrite64(tf, buf, 10, -4096);
    CHECKV(neg == -EINVAL, "pwrite of a file at a negative offset: EINVAL", neg);
    CHECK(sys_ftruncate(nul, -1) == -EINVAL, "ftruncate to a negative length: EINVAL");
    int st = 0;
    CHECK(sys_getcwd(bad, 100) == -EFAULT, "getcwd into a bad buffer: EFAULT");
    CHECK(sys_readlink("/proc/self/exe", bad, 100) == -EFAULT, "readlink into a bad buffer: EFAULT");
    CHECK(sys_getdents64((int)sys_open("/", O_RDONLY | O_DIRECTORY, 0), bad, 4096) == -EFAULT, "getdents64 into a bad buffer: EFAULT");
    CHECK(sys_rt_sigaction(SIGUSR1, bad, 0, 8) == -EFAULT, "rt_sigaction from a bad pointer: EFAULT");
    CHECK(sys_rt_sigprocmask(SIG_BLOCK, (u64 *)bad, 0, 8) == -EFAULT, "rt_sigprocmask from a bad pointer: EFAULT");
    CHECK(sys_clock_gettime(1, (i64 *)bad) == -EFAULT, "clock_gettime into a bad pointer: EFAULT");
    CHECK(sys_uname(bad) == -EFAULT, "uname into a bad pointer: EFAULT");
    CHECK(sys_execve(bad, many, 0) == -EFAULT, "execve of a bad path pointer: EFAULT");
    CHECK(sys_execve(argv[0], (char **)bad, 0) == -EFAULT, "execve with a bad argv array: EFAULT");
    i64 child = sys_fork();
    if (child == 0) sys_exit_group(0);
    CHECK(sys_wait4((int)child, (int *)bad, 0, 0) == -EFAULT || sys_wait4((int)child, &st, 0, 0) == child,
          "wait4 into a bad status pointer: EFAULT, and the child can still be reaped");
    sys_wait4(-1, &st, WNOHANG, 0);
    CHECK(sys_close(-1) == -EBADF && sys_fstat(-3, buf) == -EBADF && sys_dup(-2) == -EBADF && sys_fcntl(-4, F_GETFD, 0) == -EBADF,
          "negative descriptors everywhere: EBADF");
    CHECK(sys_lseek(-1, 0, 0) == -EBADF && sys_getdents64(-1, buf, 64) == -EBADF, "lseek and getdents64 of -1: EBADF");
    CHECK(sys_mmap(0, 4096, PROT_READ, MAP_PRIVATE, -1, 0) == -EBADF, "a file mapping of fd -1: EBADF");

    /* names: a 300-byte component, a 5000-byte path of short components, 50 chained symlinks */
    char *longname = alloc(310);
    strcpy(longname, "/tmp/"); for (int i = 0; i < 300; i++) longname[5 + i] = 'n'; longname[305] = 0;
    CHECK(sys_open(longname, O_WRONLY | O_CREAT, 0644) == -ENAMETOOLONG, "a 300-byte name: ENAMETOOLONG");
    char link[32], prev[32];
    strcpy(prev, "/etc/motd");
    for (int i = 0; i < 50; i++) { fmt_to(link, "/tmp/chain", i, ""); sys_symlink(prev, link); strcpy(prev, link); }
    CHECK(sys_open(prev, O_RDONLY, 0) == -ELOOP, "50 chained symlinks: ELOOP");
    CHECK(sys_open("/tmp/chain10", O_RDONLY, 0) >= 0, "11 chained symlinks resolve");
    char **env100k = alloc(100001 * sizeof(char *));
    for (int i = 0; i < 100000; i++) env100k[i] = "VARIABLE=some value";
    env100k[100000] = 0;
    char *one[] = {argv[0], 0};
    char *landed[] = {argv[0], "exec-landed", 0};
    (void)one;
    flush();
    i64 tryer = sys_fork(); /* in a child: if the execve went through, the rest of the checks still run */
    if (tryer == 0) { i64 e = sys_execve(argv[0], landed, env100k); sys_exit_group(e < 0 && e > -100 ? 100 + (int)-e : 99); }
    int es = wait_for(tryer);
    CHECKV(WIFEXITED(es) && WEXITSTATUS(es) == 100 + E2BIG, "execve with 100,000 environment strings: E2BIG", es);
    say("survived\n");
    return failures;
}
WALI_MAIN
