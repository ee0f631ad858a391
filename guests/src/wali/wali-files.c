/*
 * wali-files: the file system as a Linux program sees it. Expects the image to hold
 * /etc/motd (data, read-only layer) and a writable /tmp; and, when run with an argument, a
 * mounted host directory at that path.
 */
#include "wali.h"

static char buf[4096];

static i64 slurp(const char *path) {
    i64 fd = sys_open(path, O_RDONLY, 0);
    if (fd < 0) return fd;
    i64 n = 0, r;
    while ((r = sys_read((int)fd, buf + n, sizeof buf - 1 - n)) > 0) n += r;
    buf[n] = 0;
    sys_close((int)fd);
    return n;
}

static int dir_has(const char *dir, const char *name) {
    static char d[4096];
    i64 fd = sys_open(dir, O_RDONLY | O_DIRECTORY, 0);
    if (fd < 0) return 0;
    int found = 0; i64 n;
    while ((n = sys_getdents64((int)fd, d, sizeof d)) > 0) {
        for (i64 off = 0; off < n;) {
            unsigned short reclen = *(unsigned short *)(d + off + 16);
            if (!strcmp(d + off + 19, name)) found = 1;
            off += reclen;
        }
    }
    sys_close((int)fd);
    return found;
}

int main(int argc, char **argv) {
    struct stat st;
    CHECK(slurp("/etc/motd") > 0, "read an image file");
    CHECK(sys_stat("/etc/motd", &st) == 0 && S_ISREG(st.mode) && st.size > 0, "stat an image file");
    CHECK(sys_stat("/etc", &st) == 0 && S_ISDIR(st.mode), "stat a directory");

    /* create, write, seek, read, pread/pwrite, append, truncate */
    int fd = (int)sys_open("/tmp/a.txt", O_RDWR | O_CREAT | O_TRUNC, 0640);
    CHECK(fd >= 3, "create a file in /tmp");
    CHECK(sys_write(fd, "hello world", 11) == 11, "write");
    CHECK(sys_lseek(fd, 0, 1) == 11, "offset after write");
    CHECK(sys_lseek(fd, 6, 0) == 6 && sys_read(fd, buf, 5) == 5 && memeq(buf, "world", 5), "seek and read");
    CHECK(sys_pwrite64(fd, "W", 1, 6) == 1 && sys_pread64(fd, buf, 5, 6) == 5 && memeq(buf, "World", 5), "pwrite and pread");
    CHECK(sys_fstat(fd, &st) == 0 && st.size == 11 && (st.mode & 0777) == 0640 - (0640 & 022), "fstat size and mode");
    CHECK(sys_ftruncate(fd, 5) == 0 && sys_fstat(fd, &st) == 0 && st.size == 5, "ftruncate");
    CHECK(sys_lseek(fd, 0, 2) == 5, "lseek SEEK_END");
    sys_close(fd);
    fd = (int)sys_open("/tmp/a.txt", O_WRONLY | O_APPEND, 0);
    sys_write(fd, "!", 1); sys_close(fd);
    CHECK(slurp("/tmp/a.txt") == 6 && !strcmp(buf, "hello!"), "O_APPEND");
    CHECK(sys_truncate("/tmp/a.txt", 2) == 0 && slurp("/tmp/a.txt") == 2, "truncate");
    CHECK(sys_open("/tmp/a.txt", O_CREAT | O_EXCL | O_WRONLY, 0600) == -EEXIST, "O_EXCL on an existing file");
    CHECK(sys_open("/tmp/none", O_RDONLY, 0) == -ENOENT, "missing file: ENOENT");
    CHECK(sys_open("/tmp/a.txt/x", O_RDONLY, 0) == -ENOTDIR, "file as a directory: ENOTDIR");

    /* directories, rename, unlink, symlinks, hard links */
    CHECK(sys_mkdir("/tmp/d", 0755) == 0 && sys_mkdir("/tmp/d", 0755) == -EEXIST, "mkdir, then EEXIST");
    CHECK(sys_rename("/tmp/a.txt", "/tmp/d/b.txt") == 0 && slurp("/tmp/d/b.txt") == 2, "rename into a directory");
    CHECK(dir_has("/tmp/d", "b.txt") && dir_has("/tmp/d", ".") && dir_has("/tmp/d", ".."), "getdents64 lists the entries");
    CHECK(sys_rmdir("/tmp/d") == -ENOTEMPTY, "rmdir of a non-empty directory");
    CHECK(sys_symlink("/tmp/d/b.txt", "/tmp/link") == 0, "symlink");
    i64 n = sys_readlink("/tmp/link", buf, sizeof buf);
    CHECK(n == 12 && memeq(buf, "/tmp/d/b.txt", 12), "readlink");
    CHECK(sys_lstat("/tmp/link", &st) == 0 && S_ISLNK(st.mode), "lstat sees the link");
    CHECK(sys_stat("/tmp/link", &st) == 0 && S_ISREG(st.mode), "stat follows the link");
    CHECK(sys_open("/tmp/link", O_RDONLY | O_NOFOLLOW, 0) == -ELOOP, "O_NOFOLLOW on a link: ELOOP");
    CHECK(sys_symlink("/tmp/loop", "/tmp/loop") == 0 && sys_open("/tmp/loop", O_RDONLY, 0) == -ELOOP, "symlink loop: ELOOP");
    CHECK(sys_unlink("/tmp/d/b.txt") == 0 && sys_rmdir("/tmp/d") == 0, "unlink and rmdir");
    CHECK(sys_stat("/tmp/link", &st) == -ENOENT, "dangling link: ENOENT");

    /* cwd, relative paths, umask */
    CHECK(sys_chdir("/tmp") == 0, "chdir");
    CHECK(sys_getcwd(buf, sizeof buf) > 0 && !strcmp(buf, "/tmp"), "getcwd");
    fd = (int)sys_open("rel.txt", O_WRONLY | O_CREAT, 0666);
    CHECK(fd >= 0 && sys_stat("/tmp/rel.txt", &st) == 0, "relative path from the cwd");
    sys_close(fd);
    CHECK(sys_umask(077) == 022, "umask returns the old mask");
    fd = (int)sys_open("/tmp/private", O_WRONLY | O_CREAT, 0666); sys_close(fd);
    CHECK(sys_stat("/tmp/private", &st) == 0 && (st.mode & 0777) == 0600, "umask applied to new files");
    CHECK(sys_chdir("..") == 0 && sys_getcwd(buf, sizeof buf) > 0 && !strcmp(buf, "/"), "chdir ..");
    CHECK(sys_stat("/../../etc/motd", &st) == 0, "/.. is /");

    /* descriptors: dup, fcntl, close-on-exec flags, bad descriptors */
    fd = (int)sys_open("/etc/motd", O_RDONLY, 0);
    int fd2 = (int)sys_dup(fd);
    sys_read(fd, buf, 3);
    CHECK(sys_lseek(fd2, 0, 1) == 3, "dup shares the offset");
    CHECK(sys_fcntl(fd, F_GETFD, 0) == 0 && sys_fcntl(fd, F_SETFD, FD_CLOEXEC) == 0 && sys_fcntl(fd, F_GETFD, 0) == FD_CLOEXEC, "FD_CLOEXEC");
    CHECK((sys_fcntl(fd, F_GETFL, 0) & 3) == O_RDONLY, "F_GETFL");
    CHECK(sys_fcntl(fd, F_DUPFD, 50) == 50, "F_DUPFD picks the lowest from 50");
    CHECK(sys_write(fd, "x", 1) == -EBADF, "write to a read-only descriptor: EBADF");
    CHECK(sys_read(-1, buf, 1) == -EBADF && sys_close(12345) == -EBADF, "bad descriptors: EBADF");

    /* the image layer: changes happen in the writable layer above it */
    fd = (int)sys_open("/etc/motd", O_WRONLY | O_TRUNC, 0);
    CHECK(fd >= 0 && sys_write(fd, "changed\n", 8) == 8, "write over an image file (copied up)");
    sys_close(fd);
    CHECK(slurp("/etc/motd") == 8 && !strcmp(buf, "changed\n"), "the change is visible");

    /* devices and /proc */
    fd = (int)sys_open("/dev/null", O_RDWR, 0);
    CHECK(sys_write(fd, "gone", 4) == 4 && sys_read(fd, buf, 10) == 0, "/dev/null");
    sys_close(fd);
    fd = (int)sys_open("/dev/zero", O_RDONLY, 0);
    buf[0] = 1; CHECK(sys_read(fd, buf, 16) == 16 && buf[0] == 0 && buf[15] == 0, "/dev/zero");
    sys_close(fd);
    fd = (int)sys_open("/dev/urandom", O_RDONLY, 0);
    char r1[16], r2[16];
    CHECK(sys_read(fd, r1, 16) == 16 && sys_read(fd, r2, 16) == 16 && !memeq(r1, r2, 16), "/dev/urandom");
    sys_close(fd);
    CHECK(sys_stat("/dev/null", &st) == 0 && S_ISCHR(st.mode), "/dev/null is a character device");
    n = sys_readlink("/proc/self/exe", buf, sizeof buf);
    CHECK(n > 0 && memeq(buf, argv[0], n), "/proc/self/exe");
    fd = (int)sys_open("/etc/motd", O_RDONLY, 0);
    char path[64]; fmt_to(path, "/proc/self/fd/", fd, "");
    n = sys_readlink(path, buf, sizeof buf);
    CHECK(n == 9 && memeq(buf, "/etc/motd", 9), "/proc/self/fd/N names the file");
    int again = (int)sys_open(path, O_RDONLY, 0);
    CHECK(again >= 0 && sys_read(again, buf, 8) == 8 && memeq(buf, "changed\n", 8), "opening /proc/self/fd/N reaches the file");

    /* a mounted host directory */
    if (argc >= 2) {
        char p[256];
        strcpy(p, argv[1]); strcat(p, "/from-guest.txt");
        fd = (int)sys_open(p, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        CHECK(fd >= 0 && sys_write(fd, "written in the container\n", 25) == 25, "write into the mounted directory");
        sys_close(fd);
        strcpy(p, argv[1]); strcat(p, "/from-host.txt");
        CHECK(slurp(p) > 0 && !strcmp(buf, "written on the host\n"), "read a host file");
        strcpy(p, argv[1]); strcat(p, "/../etc/motd");
        CHECK(sys_stat(p, &st) == 0, "MOUNT/.. is the container's parent");
        strcpy(p, argv[1]); strcat(p, "/escape");
        CHECK(sys_stat(p, &st) == -ENOENT, "a host symlink to a host path does not escape");
        strcpy(p, argv[1]); strcat(p, "/moved.txt");
        char q[256]; strcpy(q, argv[1]); strcat(q, "/from-guest.txt");
        CHECK(sys_rename(q, "/tmp/out.txt") == -18, "rename out of the mount: EXDEV");
    }
    return failures;
}
WALI_MAIN
