/*
 * wali-fixes: small syscall corrections of issue 15.
 *
 *   wali-fixes              O_CREAT|O_EXCL on symbolic links (dangling or not) in the writable
 *                           layer and in /tmp; mprotect/pkey_mprotect with unknown prot bits,
 *                           above bit 31 of the 64-bit argument too; mmap ignoring unknown prot
 *                           bits as Linux does. Prints ok/FAIL lines; exits 0 when all passed.
 *   wali-fixes excl DIR     the O_CREAT|O_EXCL checks alone, in DIR (a host mount, say)
 *   wali-fixes excl-planted PATH   O_CREAT|O_EXCL on PATH, a dangling symlink made by the host
 *   wali-fixes exec-wide    mprotect(PROT_EXEC | an unknown bit above 31): must be recorded as a
 *                           violation (the caller is killed), never answered with EINVAL.
 *
 * mprotect and mmap are imported here with a 64-bit prot (Linux's is an unsigned long), so
 * bits above 31 reach the vkernel; this guest uses no other import of those two syscalls.
 */
#include "wali.h"

IMPORT(SYS_mprotect) i64 sys_mprotect_wide(void *addr, size_t len, u64 prot);
IMPORT(SYS_pkey_mprotect) i64 sys_pkey_mprotect_wide(void *addr, size_t len, u64 prot, int pkey);
IMPORT(SYS_mmap) i64 sys_mmap_wide(void *addr, size_t len, u64 prot, int flags, int fd, i64 off);

#define PAGE 4096
enum { PROT_SEM = 8, PROT_GROWSDOWN = 0x01000000, PROT_GROWSUP = 0x02000000 };

static void exclusive_on_links(const char *dir) {
    char link[64], target[64], real[64], path[64];
    strcpy(link, dir); strcat(link, "/dangling");
    strcpy(target, dir); strcat(target, "/never-made");
    strcpy(real, dir); strcat(real, "/real");
    strcpy(path, dir); strcat(path, "/to-real");
    struct stat st;
    /* relative targets: a host mount refuses absolute ones (docs/vkernel.md) */
    sys_symlink("never-made", link);
    i64 r = sys_open(link, O_WRONLY | O_CREAT | O_EXCL, 0644);
    say(dir); say(": ");
    CHECKV(r == -EEXIST, "O_CREAT|O_EXCL on a dangling symlink: EEXIST", r);
    CHECK(sys_stat(target, &st) == -ENOENT, "the symlink's target was not created");
    r = sys_openat(AT_FDCWD, link, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW, 0600);
    CHECKV(r == -EEXIST, "openat O_CREAT|O_EXCL|O_NOFOLLOW on it: EEXIST too", r);
    int fd = (int)sys_open(real, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    sys_write(fd, "x", 1);
    sys_close(fd);
    sys_symlink("real", path);
    r = sys_open(path, O_WRONLY | O_CREAT | O_EXCL | O_TRUNC, 0644);
    CHECKV(r == -EEXIST, "O_CREAT|O_EXCL on a symlink to a file: EEXIST", r);
    CHECK(sys_stat(real, &st) == 0 && st.size == 1, "the file it points to is untouched");
    /* without O_EXCL the link is followed, as on Linux: O_CREAT creates its target */
    r = sys_open(link, O_WRONLY | O_CREAT, 0644);
    CHECKV(r >= 0 && sys_stat(target, &st) == 0, "O_CREAT alone through a dangling symlink creates the target", r);
    if (r >= 0) sys_close((int)r);
    sys_unlink(link); sys_unlink(target); sys_unlink(real); sys_unlink(path);
}

static void unknown_prot_bits(void) {
    i64 m = sys_mmap_wide(0, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(!MAP_FAILED_ADDR(m), "a mapping to change");
    void *a = (void *)(size_t)m;
    CHECK(sys_mprotect_wide(a, PAGE, PROT_READ) == 0, "mprotect PROT_READ: 0");
    i64 r = sys_mprotect_wide(a, PAGE, PROT_READ | (1ULL << 32));
    CHECKV(r == -EINVAL, "mprotect with bit 32 of prot: EINVAL", r);
    r = sys_mprotect_wide(a, PAGE, 1ULL << 63);
    CHECKV(r == -EINVAL, "mprotect with bit 63 of prot: EINVAL", r);
    r = sys_mprotect_wide(a, PAGE, PROT_READ | 0x80000000ULL);
    CHECKV(r == -EINVAL, "mprotect with bit 31 of prot: EINVAL", r);
    r = sys_mprotect_wide(a, PAGE, PROT_READ | 0x10);
    CHECKV(r == -EINVAL, "mprotect with an unknown low bit (0x10): EINVAL", r);
    r = sys_mprotect_wide(a, PAGE, PROT_READ | PROT_GROWSDOWN | PROT_GROWSUP);
    CHECKV(r == -EINVAL, "mprotect with both GROWSDOWN and GROWSUP: EINVAL", r);
    r = sys_mprotect_wide(a, PAGE, PROT_READ | PROT_SEM);
    CHECKV(r == 0, "mprotect with PROT_SEM (x86-64 accepts it): 0", r);
    r = sys_pkey_mprotect_wide(a, PAGE, PROT_READ | (1ULL << 40), -1);
    CHECKV(r == -EINVAL, "pkey_mprotect with bit 40 of prot: EINVAL", r);
    r = sys_pkey_mprotect_wide(a, PAGE, PROT_READ, 1);
    CHECKV(r == -EINVAL, "pkey_mprotect with a key never allocated: EINVAL", r);
    r = sys_pkey_mprotect_wide(a, PAGE, PROT_READ | PROT_WRITE, -1);
    CHECKV(r == 0, "pkey_mprotect with pkey -1: 0", r);
    /* mmap: Linux takes the prot bits it knows and ignores the rest */
    r = sys_mmap_wide(0, PAGE, PROT_READ | PROT_WRITE | 0x10 | (1ULL << 33), MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECKV(!MAP_FAILED_ADDR(r), "mmap with unknown prot bits maps, as on Linux", r);
}

int main(int argc, char **argv) {
    if (argc >= 2 && !strcmp(argv[1], "exec-wide")) {
        i64 m = sys_mmap_wide(0, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        say("attempt exec-wide\n");
        i64 r = sys_mprotect_wide((void *)(size_t)m, PAGE, PROT_READ | PROT_EXEC | (1ULL << 32));
        say("survived exec-wide ret="); putl(r); say("\n");
        return 0;
    }
    if (argc >= 3 && !strcmp(argv[1], "excl-planted")) {
        i64 r = sys_open(argv[2], O_WRONLY | O_CREAT | O_EXCL, 0644);
        CHECKV(r == -EEXIST, "O_CREAT|O_EXCL on the planted host symlink: EEXIST", r);
        return failures;
    }
    if (argc >= 3 && !strcmp(argv[1], "excl")) {
        exclusive_on_links(argv[2]);
        return failures;
    }
    exclusive_on_links("");
    exclusive_on_links("/tmp");
    unknown_prot_bits();
    return failures;
}
WALI_MAIN
