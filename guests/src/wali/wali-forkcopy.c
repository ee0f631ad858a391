/*
 * wali-forkcopy: fork of a process with 64 MiB of memory (a copy-on-write or lazy copy must keep this true): each side
 * sees exactly the memory of the fork and none of the other's later writes, over every 4 KiB page (a word at its
 * start, a byte at its end), whichever side writes first (a pipe orders them) or both at once; then forks in a row,
 * each while the previous child may still be taking its copy. fill and bad are not inlined, so that built --engine aot
 * the parent calls compiled code right after the fork (AotForkCliTest). Prints ok/FAIL lines; exit 0 when all passed.
 */
#include "wali.h"

#define BYTES ((size_t)64 << 20)
static unsigned char *mem;

__attribute__((noinline)) static void fill(unsigned gen) {
    for (size_t a = 0; a < BYTES; a += 4096) {
        *(volatile unsigned *)(mem + a) = gen * 1000003u + (unsigned)a;
        mem[a + 4095] = (unsigned char)(gen ^ (a >> 12));
    }
}

/* The places (two per page) that do not hold generation gen. */
__attribute__((noinline)) static size_t bad(unsigned gen) {
    size_t n = 0;
    for (size_t a = 0; a < BYTES; a += 4096) {
        if (*(volatile unsigned *)(mem + a) != gen * 1000003u + (unsigned)a) n++;
        if (mem[a + 4095] != (unsigned char)(gen ^ (a >> 12))) n++;
    }
    return n;
}

static int child_status(i64 pid) {
    int status = -1;
    if (sys_wait4((int)pid, &status, 0, 0) != pid) return -1;
    return status;
}

int main(int argc, char **argv) {
    (void)argc;
    (void)argv;
    i64 m = sys_mmap(0, BYTES, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(!MAP_FAILED_ADDR(m), "mmap 64 MiB");
    if (MAP_FAILED_ADDR(m)) return 1;
    mem = (unsigned char *)(size_t)m;
    int fds[2];
    char c = 'x';

    /* The parent writes everything right after the fork; the child looks only then. */
    fill(1);
    CHECK(sys_pipe(fds) == 0, "pipe");
    i64 pid = sys_fork();
    if (pid == 0) {
        sys_close(fds[1]);
        sys_read(fds[0], &c, 1);
        sys_exit_group(bad(1) == 0 ? 0 : 1);
    }
    fill(2);
    CHECK(bad(2) == 0, "the parent's writes after the fork are in the parent");
    sys_write(fds[1], &c, 1);
    int status = child_status(pid);
    CHECKV(status == 0, "the child sees the memory of the fork, not the parent's later writes", status);
    sys_close(fds[0]);
    sys_close(fds[1]);

    /* The child writes everything first; the parent looks only then. */
    fill(3);
    sys_pipe(fds);
    pid = sys_fork();
    if (pid == 0) {
        fill(4);
        int ok = bad(4) == 0;
        sys_write(fds[1], &c, 1);
        sys_exit_group(ok ? 0 : 1);
    }
    sys_read(fds[0], &c, 1);
    CHECK(bad(3) == 0, "the parent keeps the memory of the fork, not the child's writes");
    CHECK(child_status(pid) == 0, "the child's writes are in the child");
    sys_close(fds[0]);
    sys_close(fds[1]);

    /* Both write everything at once. */
    fill(5);
    pid = sys_fork();
    if (pid == 0) {
        int ok = bad(5) == 0;
        fill(6);
        sys_exit_group(ok && bad(6) == 0 ? 0 : 1);
    }
    int before = bad(5) == 0;
    fill(7);
    CHECK(before && bad(7) == 0, "the parent writing at once: its own writes only");
    CHECK(child_status(pid) == 0, "the child writing at once: the fork's memory, then its own writes only");

    /* Forks in a row: the parent forks again and writes at once, the previous child perhaps still copying. */
    int all = 1;
    i64 previous = 0;
    for (unsigned round = 0; round < 8; round++) {
        fill(100 + round);
        pid = sys_fork();
        if (pid == 0) sys_exit_group(bad(100 + round) == 0 ? 0 : 1);
        if (previous > 0 && child_status(previous) != 0) all = 0;
        previous = pid;
    }
    if (child_status(previous) != 0) all = 0;
    CHECK(all, "8 forks in a row: each child sees the memory of its own fork");
    CHECK(bad(107) == 0, "the parent after 8 forks: its last writes");
    return failures;
}

WALI_MAIN
