/*
 * wali-hostile: what a hostile program can hand the kernel. Every attempt must come back as
 * an error; the program then prints "survived". Modes:
 *   wali-hostile            the attempts below
 *   wali-hostile spin       loops forever (for timeouts and kills)
 *   wali-hostile mem        touches memory beyond its end (traps: the process dies, no one else)
 */
#include "wali.h"

int main(int argc, char **argv) {
    if (argc >= 2 && !strcmp(argv[1], "spin")) { for (;;) {} }
    if (argc >= 2 && !strcmp(argv[1], "mem")) { volatile char *p = (char *)0xfffffff0u; return *p; }
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
