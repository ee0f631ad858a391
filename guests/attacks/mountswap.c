/*
 * attack-mountswap: the symlink swap on a read-write host mount (issue 15), one descriptor call
 * per technique (`attack-mountswap TECHNIQUE`; output: see attack.h). `nojit simulate` mounts a
 * private host directory read-write at /mnt/swap, with a canary tree beside it on the host
 * (HOST/canary: files starting "CANARY"), and writes the canary's absolute host path to
 * /mnt/swap/canary-path. Setup: /mnt/swap/a = { f ("inside"), sub/ }, descriptors on a/f
 * (O_RDWR) and a (O_DIRECTORY), then a renamed to moved and a symlink a -> "../canary" planted:
 * on the host that link climbs out of the mount to the canary. The decisive call uses an old
 * descriptor; it must answer an errno or act on the moved file. The row checks the canary from
 * outside; here, content or names of the canary seen by the guest print SURVIVED, and stat
 * answers are printed as STEP size= / mode= for the judge.
 *
 * mount-swap-fstat         fstat(old file descriptor)
 * mount-swap-proc-reopen   open("/proc/self/fd/N", O_RDWR) of the old file, then read it
 * mount-swap-fchmod        fchmod(old file, 04755)
 * mount-swap-futimens      utimensat(old file, NULL, times): futimens
 * mount-swap-getdents      getdents64(old directory descriptor)
 * mount-swap-linkat        linkat("/proc/self/fd/N", "/mnt/swap/linked", AT_SYMLINK_FOLLOW)
 * mount-swap-write         pwrite and ftruncate on the old file descriptor
 * mount-swap-abs-symlink   symlink(the canary's absolute host path, "/mnt/swap/a"): EPERM on host mounts
 */
#include "attack.h"

IMPORT(SYS_utimensat) i64 sys_utimensat(int dirfd, const char *path, const i64 *times, int flags);
IMPORT(SYS_linkat) i64 sys_linkat(int olddir, const char *from, int newdir, const char *to, int flags);

enum { AT_SYMLINK_FOLLOW = 0x400 };

static char buf[4096];

static void stat_steps(int fd) {
    struct stat st;
    i64 r = sys_fstat(fd, &st);
    if (r == 0) {
        step("size", st.size);
        step("mode", st.mode);
    }
}

int main(int argc, char **argv) {
    if (argc < 2) usage("attack-mountswap", "no technique");
    technique = argv[1];
    const char *t = technique;
    i64 r = sys_mkdir("/mnt/swap/a", 0755);
    if (r < 0) setup_failed("mkdir", r);
    write_file("/mnt/swap/a/f", "inside", 6, 0644);
    if ((r = sys_mkdir("/mnt/swap/a/sub", 0755)) < 0) setup_failed("mkdir-sub", r);
    int ff = (int)sys_open("/mnt/swap/a/f", O_RDWR, 0);
    int fd = (int)sys_open("/mnt/swap/a", O_RDONLY | O_DIRECTORY, 0);
    if (ff < 0 || fd < 0) setup_failed("open", ff < 0 ? ff : fd);
    if ((r = sys_rename("/mnt/swap/a", "/mnt/swap/moved")) < 0) setup_failed("rename", r);
    if (!strcmp(t, "mount-swap-abs-symlink")) {
        size_t len;
        char *canary = slurp("/mnt/swap/canary-path", &len);
        canary[len] = 0;
        attempt();
        result(sys_symlink(canary, "/mnt/swap/a"));
    }
    if ((r = sys_symlink("../canary", "/mnt/swap/a")) < 0) setup_failed("symlink", r);
    char proc[32];
    fmt_to(proc, "/proc/self/fd/", ff, "");
    attempt();
    if (!strcmp(t, "mount-swap-fstat")) {
        stat_steps(ff);
        struct stat st;
        result(sys_fstat(ff, &st));
    } else if (!strcmp(t, "mount-swap-proc-reopen")) {
        int re = (int)sys_open(proc, O_RDWR, 0);
        if (re >= 0) {
            stat_steps(re);
            i64 n = sys_read(re, buf, sizeof buf - 1);
            if (n > 0 && starts_with(buf, "CANARY")) survived("read-the-canary", n);
        }
        result(re < 0 ? re : 0);
    } else if (!strcmp(t, "mount-swap-fchmod")) {
        r = sys_fchmod(ff, 04755);
        stat_steps(ff);
        result(r);
    } else if (!strcmp(t, "mount-swap-futimens")) {
        i64 times[4] = { 1, 0, 1, 0 };
        result(sys_utimensat(ff, 0, times, 0));
    } else if (!strcmp(t, "mount-swap-getdents")) {
        i64 n = sys_getdents64(fd, buf, sizeof buf);
        for (i64 off = 0; off < n;) {
            unsigned short reclen = *(unsigned short *)(buf + off + 16);
            const char *name = buf + off + 19;
            if (strcmp(name, ".") && strcmp(name, "..") && strcmp(name, "f") && strcmp(name, "sub")) survived(name, n);
            off += reclen;
        }
        result(n < 0 ? n : 0);
    } else if (!strcmp(t, "mount-swap-linkat")) {
        r = sys_linkat(AT_FDCWD, proc, AT_FDCWD, "/mnt/swap/linked", AT_SYMLINK_FOLLOW);
        if (r == 0) {
            int l = (int)sys_open("/mnt/swap/linked", O_RDONLY, 0);
            if (l >= 0 && sys_read(l, buf, 6) == 6 && starts_with(buf, "CANARY")) survived("linked-the-canary", r);
        }
        result(r);
    } else if (!strcmp(t, "mount-swap-write")) {
        r = sys_pwrite64(ff, "written", 7, 0);
        if (r == 7) r = sys_ftruncate(ff, 7);
        stat_steps(ff);
        result(r);
    }
    usage("attack-mountswap", "unknown technique");
}
WALI_MAIN
