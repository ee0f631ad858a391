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
    say("survived\n");
    return failures;
}
WALI_MAIN
