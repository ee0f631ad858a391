/*
 * wali-memory: brk, mmap growth, munmap and reuse, mremap, mprotect, file mappings
 * (PROT_EXEC is a policy violation that kills the caller: wali-violate tries it); with an argument N (MiB), maps until the container's memory limit says
 * ENOMEM and checks that it was somewhere below N MiB.
 */
#include "wali.h"

int main(int argc, char **argv) {
    i64 b0 = sys_brk(0);
    CHECK(b0 > 0, "brk(0) gives the break");
    CHECK(sys_brk((char *)(size_t)b0 + 100000) == b0 + 100000, "brk grows");
    char *heap = (char *)(size_t)b0;
    heap[99999] = 7;
    CHECK(heap[99999] == 7, "the grown heap is usable");

    /* grow to 64 MiB in 4 MiB steps */
    char *blocks[16]; int ok = 1;
    for (int i = 0; i < 16; i++) {
        i64 r = sys_mmap(0, 4 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (MAP_FAILED_ADDR(r)) { ok = 0; break; }
        blocks[i] = (char *)(size_t)r;
        blocks[i][0] = (char)i; blocks[i][(4 << 20) - 1] = (char)i;
    }
    CHECK(ok, "mmap grows memory to 64 MiB");
    for (int i = 0; ok && i < 16; i++) if (blocks[i][0] != (char)i || blocks[i][(4 << 20) - 1] != (char)i) ok = 0;
    CHECK(ok, "mappings keep their contents");
    CHECK(sys_munmap(blocks[3], 4 << 20) == 0, "munmap");
    i64 again = sys_mmap(0, 4 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(again == (i64)(size_t)blocks[3], "a freed range is reused");
    CHECK(((char *)(size_t)again)[0] == 0, "reused memory is zeroed");

    i64 small = sys_mmap(0, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    ((char *)(size_t)small)[8191] = 9;
    i64 big = sys_mremap((void *)(size_t)small, 8192, 1 << 20, MREMAP_MAYMOVE, 0);
    CHECK(!MAP_FAILED_ADDR(big) && ((char *)(size_t)big)[8191] == 9, "mremap grows and keeps the contents");
    CHECK(sys_mprotect((void *)(size_t)big, 4096, PROT_READ) == 0, "mprotect without PROT_EXEC");

    int fd = (int)sys_open("/etc/motd", O_RDONLY, 0);
    struct stat st; sys_fstat(fd, &st);
    i64 fm = sys_mmap(0, st.size, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    char first[8]; int n = (int)sys_pread64(fd, first, 8, 0);
    CHECK(!MAP_FAILED_ADDR(fm) && memeq((char *)(size_t)fm, first, n), "private file mapping holds the file");
    sys_close(fd);

    if (argc >= 2) {
        long limit = atol(argv[1]) << 20;
        long mapped = 0; i64 r = 0;
        while (mapped < 4 * limit) {
            r = sys_mmap(0, 1 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
            if (MAP_FAILED_ADDR(r)) break;
            mapped += 1 << 20;
        }
        CHECKV(r == -ENOMEM, "past the memory limit: ENOMEM", r);
        CHECKV(mapped < limit, "stopped below the limit", mapped);
        say("mapped MiB before ENOMEM: "); putl(mapped >> 20); say("\n");
    }
    return failures;
}
WALI_MAIN
