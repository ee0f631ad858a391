/*
 * wali-mmap: memory mappings beyond wali-memory. mremap shrink, move (MREMAP_FIXED) and
 * in-place failure, MAP_FIXED, argument errors (length 0, unaligned address, bad fd, offset),
 * private file mappings at an offset and not written back, shared file mappings written back,
 * fork copying mappings, brk failing at the limit, memory.grow past the limit; and with
 * "share N" (MiB), the container-wide limit shared by a parent and a child.
 * Prints ok/FAIL lines; exits 0 when all passed.
 */
#include "wali.h"

#define PAGE 4096
static i64 anon(size_t len) { return sys_mmap(0, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0); }

/* Maps 1 MiB blocks until ENOMEM (touching each); returns MiB mapped. */
static long grab(long cap_mib, i64 *last) {
    long mib = 0;
    while (mib < cap_mib) {
        i64 r = anon(1 << 20);
        *last = r;
        if (MAP_FAILED_ADDR(r)) break;
        ((char *)(size_t)r)[12345] = 1;
        mib++;
    }
    return mib;
}

static int share(long limit_mib) {
    /*
     * fork copies the whole linear memory, so the child is forked while both are small; then the
     * parent takes about half the limit, and the child's grab must stop near the other half
     */
    int go[2], p[2];
    sys_pipe(go); sys_pipe(p);
    i64 last = 0;
    i64 child = sys_fork();
    if (child == 0) {
        char c; sys_read(go[0], &c, 1);
        long got = grab(limit_mib * 4, &last);
        char line[64]; fmt_to(line, "", got, "\n");
        sys_write(p[1], line, strlen(line));
        sys_exit_group(last == -ENOMEM ? 0 : 1);
    }
    sys_close(p[1]);
    long half = limit_mib / 2;
    long mine = grab(half, &last);
    CHECKV(mine == half, "the parent maps half the limit", mine);
    sys_write(go[1], "g", 1);
    char line[64]; read_all(p[0], line, sizeof line);
    int st = wait_for(child);
    long got = atol(line);
    say("child mapped MiB: "); putl(got); say("\n");
    CHECKV(WIFEXITED(st) && WEXITSTATUS(st) == 0, "the child's mappings end with ENOMEM", st);
    CHECKV(got > 0 && got + mine < limit_mib, "parent and child together stay below the container limit", got + mine);
    /* the child's memory is released when it is reaped: the parent can map it */
    i64 again = anon(8 << 20);
    CHECKV(!MAP_FAILED_ADDR(again), "memory freed by the child is available again", again);
    /* fork copies everything: with more than half the limit in use it cannot */
    grab(half - 4, &last);
    i64 f = sys_fork();
    if (f == 0) sys_exit_group(0);
    if (f > 0) wait_for(f);
    say("fork while holding most of the limit: "); putl(f); say("\n");
    CHECKV(f == -ENOMEM || f == -EAGAIN, "fork of a process too big to copy: an error, not a kill", f);
    return failures;
}

int main(int argc, char **argv) {
    if (argc >= 3 && !strcmp(argv[1], "share")) return share(atol(argv[2]));

    /* mremap: shrink in place, fail to grow in place when blocked, move with MREMAP_FIXED */
    i64 a = anon(16 * PAGE);
    char *pa = (char *)(size_t)a;
    pa[0] = 'a'; pa[PAGE] = 'b';
    CHECK(sys_mremap(pa, 16 * PAGE, 2 * PAGE, 0, 0) == a, "mremap shrinks in place");
    i64 blocker = sys_mmap(pa + 2 * PAGE, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    CHECK(blocker == a + 2 * PAGE, "MAP_FIXED maps at the address asked for");
    CHECK(sys_mremap(pa, 2 * PAGE, 8 * PAGE, 0, 0) == -ENOMEM, "mremap without MAYMOVE cannot grow into a mapping: ENOMEM");
    i64 dest = anon(8 * PAGE);
    i64 moved = sys_mremap(pa, 2 * PAGE, 4 * PAGE, MREMAP_MAYMOVE | MREMAP_FIXED, (void *)(size_t)dest);
    CHECKV(moved == dest && ((char *)(size_t)dest)[0] == 'a' && ((char *)(size_t)dest)[PAGE] == 'b', "mremap moves to a fixed address", moved);
    i64 remapped = anon(2 * PAGE);
    CHECK(!MAP_FAILED_ADDR(remapped), "the old range can be mapped again");

    /* MAP_FIXED over existing data replaces it with zeros */
    char *pd = (char *)(size_t)dest;
    pd[0] = 'x';
    CHECK(sys_mmap(pd, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == dest && pd[0] == 0,
          "MAP_FIXED over a mapping gives fresh zeros");

    /* argument errors */
    CHECK(anon(0) == -EINVAL, "mmap of length 0: EINVAL");
    CHECK(sys_munmap(pd + 1, PAGE) == -EINVAL, "munmap of an unaligned address: EINVAL");
    CHECK(sys_mmap(0, PAGE, PROT_READ, MAP_PRIVATE, 77, 0) == -EBADF, "mmap of a closed descriptor: EBADF");
    i64 unaligned = sys_mmap(0, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 100);
    CHECKV(unaligned == -EINVAL, "mmap with an unaligned offset: EINVAL", unaligned);
    CHECK(sys_mmap(0, PAGE, PROT_READ, MAP_ANONYMOUS, -1, 0) == -EINVAL, "mmap without PRIVATE or SHARED: EINVAL");
    CHECK(sys_munmap(pd, PAGE) == 0 && sys_munmap(pd, PAGE) == 0, "munmap of an unmapped range is fine");

    /* a file mapped privately at an offset; writes to the mapping do not reach the file */
    int fd = (int)sys_open("/tmp/data", O_RDWR | O_CREAT | O_TRUNC, 0644);
    static char page[PAGE];
    for (int i = 0; i < PAGE; i++) page[i] = 'P';
    sys_write(fd, page, PAGE);
    for (int i = 0; i < PAGE; i++) page[i] = 'Q';
    sys_write(fd, page, 100);
    i64 fm = sys_mmap(0, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, PAGE);
    char *pf = (char *)(size_t)fm;
    CHECK(!MAP_FAILED_ADDR(fm) && pf[0] == 'Q' && pf[99] == 'Q' && pf[100] == 0 && pf[PAGE - 1] == 0,
          "a private mapping at offset 4096, zero past the end of the file");
    pf[0] = 'W';
    char c = 0;
    CHECK(sys_pread64(fd, &c, 1, PAGE) == 1 && c == 'Q', "writes to a private mapping do not reach the file");

    /* a shared mapping is written back (msync, munmap) */
    i64 sm = sys_mmap(0, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    CHECK(!MAP_FAILED_ADDR(sm), "a shared file mapping");
    if (!MAP_FAILED_ADDR(sm)) {
        ((char *)(size_t)sm)[10] = 'S';
        sys_msync((void *)(size_t)sm, PAGE, MS_SYNC);
        CHECK(sys_pread64(fd, &c, 1, 10) == 1 && c == 'S', "msync writes a shared mapping back");
        ((char *)(size_t)sm)[11] = 'T';
        sys_munmap((void *)(size_t)sm, PAGE);
        CHECK(sys_pread64(fd, &c, 1, 11) == 1 && c == 'T', "munmap writes a shared mapping back");
    }
    CHECK(sys_mmap(0, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, (int)sys_open("/etc/motd", O_RDONLY, 0), 0) == -EACCES,
          "a writable shared mapping of a read-only descriptor: EACCES");

    /* fork copies mappings */
    i64 m = anon(1 << 20);
    char *pm = (char *)(size_t)m;
    pm[500000] = 'p';
    i64 child = sys_fork();
    if (child == 0) { int ok = pm[500000] == 'p'; pm[500000] = 'c'; sys_exit_group(ok ? 0 : 1); }
    int st = wait_for(child);
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0 && pm[500000] == 'p', "a child sees its copy of a mapping, the parent keeps its own");

    /* brk and memory.grow at the limit fail without killing */
    i64 cur = sys_brk(0);
    CHECK(sys_brk((char *)(size_t)cur + 0xC0000000u) == cur, "brk past the limit fails: the break stays");
    int grown = __builtin_wasm_memory_grow(0, 60000);
    CHECKV(grown == -1, "memory.grow past the limit: -1", grown);
    CHECK(sys_getpid() > 0, "still alive after both");
    return failures;
}
WALI_MAIN
