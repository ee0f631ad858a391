/*
 * wali-paths: the rest of the file-system surface. The *at calls with directory descriptors
 * and AT_ flags, hard links, rename over files and directories, the read-only image layer under
 * the writable one (modes, deletion, directories), errors by file type, unlinked-but-open
 * files, getcwd's ERANGE, /proc/self/fd listing, and (with "fill") the writable layer's size
 * limit: ENOSPC, and room again after unlink. Expects /etc/motd, /etc/data/numbers and
 * /srv/tree/{top.txt,sub/leaf.txt} in the image. Prints ok/FAIL lines; exits 0 when all passed.
 */
#include "wali.h"

static char buf[8192];

static int dir_count(int fd, const char *name, int *entries) {
    static char d[4096];
    int found = 0; i64 n;
    *entries = 0;
    sys_lseek(fd, 0, 0);
    while ((n = sys_getdents64(fd, d, sizeof d)) > 0) {
        for (i64 off = 0; off < n;) {
            unsigned short reclen = *(unsigned short *)(d + off + 16);
            if (!strcmp(d + off + 19, name)) found = 1;
            (*entries)++;
            off += reclen;
        }
    }
    return found;
}

static int fill(void) {
    /* write 64 KiB chunks into /tmp until the writable layer is full */
    static char chunk[65536];
    long written = 0; i64 r = 0; int files = 0;
    char name[32];
    for (; files < 10000; files++) {
        fmt_to(name, "/tmp/fill", files, "");
        int fd = (int)sys_open(name, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (fd < 0) { r = fd; break; }
        r = sys_write(fd, chunk, sizeof chunk);
        if (r > 0) written += r;
        if (r >= 0 && r < (i64)sizeof chunk) r = sys_write(fd, chunk, sizeof chunk); /* a short write: the next one fails */
        sys_close(fd);
        if (r < 0) break;
    }
    CHECKV(r == -ENOSPC, "the writable layer fills up: ENOSPC", r);
    say("written before ENOSPC: "); putl(written >> 10); say(" KiB\n");
    CHECK(sys_unlink("/tmp/fill0") == 0, "unlink a full file");
    int fd = (int)sys_open("/tmp/again", O_WRONLY | O_CREAT, 0600);
    CHECKV(fd >= 0, "create a file after unlink", fd);
    i64 w = sys_write(fd, chunk, 4096);
    CHECKV(w == 4096, "writing works again after unlink", w);
    CHECK(sys_mkdir("/tmp/dir-after", 0755) == 0, "mkdir works again");
    return failures;
}

int main(int argc, char **argv) {
    if (argc >= 2 && !strcmp(argv[1], "fill")) return fill();
    struct stat st, st2;

    /* the image layer: modes from the manifest; changes land in the layer above */
    CHECK(sys_stat("/bin/wali-paths", &st) == 0 && (st.mode & 0111) == 0111, "an executable in the image has x bits");
    CHECK(sys_stat("/etc/data/numbers", &st) == 0 && (st.mode & 0111) == 0, "a data file has none");
    CHECK(sys_access("/etc/data/numbers", X_OK) == -EACCES && sys_access("/bin/wali-paths", X_OK) == 0, "access(X_OK)");
    CHECK(sys_access("/etc/data/numbers", R_OK | W_OK) == 0, "access(R_OK | W_OK) as root");
    CHECK(sys_mkdir("/etc/data/new", 0755) == 0 && sys_stat("/etc/data/new", &st) == 0 && S_ISDIR(st.mode),
          "mkdir inside an image directory");
    CHECK(sys_unlink("/etc/data/numbers") == 0 && sys_stat("/etc/data/numbers", &st) == -ENOENT, "unlink an image file");
    int fd = (int)sys_open("/etc/data/numbers", O_RDONLY, 0);
    CHECK(fd == -ENOENT, "the unlinked image file stays gone");
    fd = (int)sys_open("/etc/data/numbers", O_WRONLY | O_CREAT | O_EXCL, 0644);
    CHECK(fd >= 0 && write_all(fd, "new\n"), "create a file where the image file was");
    sys_close(fd);
    CHECK(sys_rename("/srv/tree/top.txt", "/srv/tree/sub/moved.txt") == 0 && sys_stat("/srv/tree/top.txt", &st) == -ENOENT
          && sys_stat("/srv/tree/sub/moved.txt", &st) == 0 && st.size == 4, "rename an image file");
    CHECK(sys_rmdir("/srv/tree/sub") == -ENOTEMPTY, "rmdir of a non-empty image directory");
    CHECK(sys_unlink("/srv/tree/sub/leaf.txt") == 0 && sys_unlink("/srv/tree/sub/moved.txt") == 0
          && sys_rmdir("/srv/tree/sub") == 0 && sys_stat("/srv/tree/sub", &st) == -ENOENT, "empty and remove an image directory");

    /* *at calls relative to a directory descriptor */
    CHECK(sys_mkdir("/tmp/base", 0755) == 0, "mkdir /tmp/base");
    int dir = (int)sys_open("/tmp/base", O_RDONLY | O_DIRECTORY, 0);
    CHECK(dir >= 0, "open a directory with O_DIRECTORY");
    fd = (int)sys_openat(dir, "f.txt", O_RDWR | O_CREAT, 0644);
    CHECK(fd >= 0 && write_all(fd, "at\n") && sys_stat("/tmp/base/f.txt", &st) == 0, "openat relative to a directory");
    CHECK(sys_mkdirat(dir, "sub", 0755) == 0 && sys_stat("/tmp/base/sub", &st) == 0 && S_ISDIR(st.mode), "mkdirat");
    CHECK(sys_symlinkat("f.txt", dir, "ln") == 0, "symlinkat");
    i64 n = sys_readlinkat(dir, "ln", buf, sizeof buf);
    CHECK(n == 5 && memeq(buf, "f.txt", 5), "readlinkat");
    CHECK(sys_newfstatat(dir, "ln", &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.mode), "newfstatat with AT_SYMLINK_NOFOLLOW");
    CHECK(sys_newfstatat(dir, "ln", &st, 0) == 0 && S_ISREG(st.mode) && st.size == 3, "newfstatat follows the link");
    CHECK(sys_newfstatat(fd, "", &st2, AT_EMPTY_PATH) == 0 && st2.ino == st.ino, "newfstatat with AT_EMPTY_PATH");
    CHECK(sys_newfstatat(AT_FDCWD, "/tmp/base/f.txt", &st2, 0) == 0 && st2.ino == st.ino, "newfstatat with AT_FDCWD");
    CHECK(sys_faccessat(dir, "f.txt", R_OK, 0) == 0 && sys_faccessat(dir, "none", F_OK, 0) == -ENOENT, "faccessat");
    CHECK(sys_renameat(dir, "f.txt", dir, "g.txt") == 0 && sys_faccessat(dir, "g.txt", F_OK, 0) == 0, "renameat");
    CHECK(sys_unlinkat(dir, "sub", 0) == -EISDIR && sys_unlinkat(dir, "sub", AT_REMOVEDIR) == 0, "unlinkat with and without AT_REMOVEDIR");
    CHECK(sys_openat(fd, "x", O_RDONLY, 0) == -ENOTDIR, "openat relative to a file: ENOTDIR");
    CHECK(sys_openat(-7, "x", O_RDONLY, 0) == -EBADF, "openat relative to a bad descriptor: EBADF");
    CHECK(sys_openat(-7, "/etc/motd", O_RDONLY, 0) >= 0, "openat ignores the descriptor for an absolute path");
    CHECK(sys_fchdir(dir) == 0 && sys_getcwd(buf, sizeof buf) > 0 && !strcmp(buf, "/tmp/base"), "fchdir");
    CHECK(sys_getcwd(buf, 4) == -ERANGE, "getcwd into a small buffer: ERANGE");
    sys_chdir("/");

    /* hard links share the inode; the data lives until the last name and descriptor go */
    CHECK(sys_link("/tmp/base/g.txt", "/tmp/hard") == 0, "link");
    CHECK(sys_stat("/tmp/hard", &st) == 0 && sys_stat("/tmp/base/g.txt", &st2) == 0 && st.ino == st2.ino && st.nlink == 2,
          "a hard link shares the inode, nlink 2");
    CHECK(sys_unlink("/tmp/base/g.txt") == 0 && sys_stat("/tmp/hard", &st) == 0 && st.nlink == 1, "unlink one name");
    int keep = (int)sys_open("/tmp/hard", O_RDONLY, 0);
    CHECK(sys_unlink("/tmp/hard") == 0 && sys_stat("/tmp/hard", &st) == -ENOENT, "unlink the last name");
    CHECK(sys_read(keep, buf, 10) == 3 && memeq(buf, "at\n", 3), "an unlinked file stays readable through its descriptor");
    CHECK(sys_fstat(keep, &st) == 0 && st.nlink == 0, "fstat of it: nlink 0");
    sys_close(keep);

    /* rename: replaces files, refuses type mismatches and moving a directory into itself */
    int a = (int)sys_open("/tmp/r1", O_WRONLY | O_CREAT, 0644); write_all(a, "one"); sys_close(a);
    a = (int)sys_open("/tmp/r2", O_WRONLY | O_CREAT, 0644); write_all(a, "two!"); sys_close(a);
    CHECK(sys_rename("/tmp/r1", "/tmp/r2") == 0 && sys_stat("/tmp/r2", &st) == 0 && st.size == 3
          && sys_stat("/tmp/r1", &st) == -ENOENT, "rename replaces an existing file");
    sys_mkdir("/tmp/rd", 0755); sys_mkdir("/tmp/rd/inner", 0755);
    CHECK(sys_rename("/tmp/rd", "/tmp/rd/inner/x") == -EINVAL, "rename a directory into itself: EINVAL");
    CHECK(sys_rename("/tmp/r2", "/tmp/rd") == -EISDIR, "rename a file over a directory: EISDIR");
    CHECK(sys_rename("/tmp/rd", "/tmp/r2") == -ENOTDIR, "rename a directory over a file: ENOTDIR");
    CHECK(sys_rename("/tmp/rd/inner", "/tmp/moved-dir") == 0 && sys_stat("/tmp/moved-dir", &st) == 0 && S_ISDIR(st.mode),
          "rename a directory");

    /* errors by type */
    CHECK(sys_open("/tmp/r2", O_RDONLY | O_DIRECTORY, 0) == -ENOTDIR, "O_DIRECTORY on a file: ENOTDIR");
    CHECK(sys_open("/tmp", O_WRONLY, 0) == -EISDIR, "opening a directory for writing: EISDIR");
    int d2 = (int)sys_open("/tmp", O_RDONLY, 0);
    CHECK(sys_read(d2, buf, 10) == -EISDIR, "read from a directory: EISDIR");
    a = (int)sys_open("/tmp/r2", O_RDONLY, 0);
    CHECK(sys_getdents64(a, buf, sizeof buf) == -ENOTDIR, "getdents64 on a file: ENOTDIR");
    CHECK(sys_readlink("/tmp/r2", buf, sizeof buf) == -EINVAL, "readlink of a file: EINVAL");
    CHECK(sys_unlink("/tmp/rd") == -EISDIR, "unlink a directory: EISDIR");
    CHECK(sys_rmdir("/tmp/r2") == -ENOTDIR, "rmdir a file: ENOTDIR");
    CHECK(sys_mkdir("/no/such/dir", 0755) == -ENOENT, "mkdir with a missing parent: ENOENT");
    CHECK(sys_lseek(a, -1, 0) == -EINVAL, "lseek to a negative offset: EINVAL");
    CHECK(sys_lseek(a, 100, 0) == 100 && sys_read(a, buf, 10) == 0, "reading past the end: 0");
    sys_close(a);
    a = (int)sys_open("/tmp/sparse", O_RDWR | O_CREAT, 0644);
    CHECK(sys_pwrite64(a, "z", 1, 5000) == 1 && sys_fstat(a, &st) == 0 && st.size == 5001, "a write past the end extends the file");
    CHECK(sys_pread64(a, buf, 10, 100) == 10 && buf[0] == 0 && buf[9] == 0, "the hole reads as zeros");
    CHECK(sys_fchmod(a, 0600) == 0 && sys_fstat(a, &st) == 0 && (st.mode & 0777) == 0600, "fchmod");
    CHECK(sys_chmod("/tmp/sparse", 0444) == 0 && sys_stat("/tmp/sparse", &st) == 0 && (st.mode & 0777) == 0444, "chmod");
    sys_close(a);

    /* O_APPEND set with F_SETFL: writes go to the end whatever the offset */
    a = (int)sys_open("/tmp/log", O_RDWR | O_CREAT | O_TRUNC, 0644);
    write_all(a, "12345");
    CHECK(sys_fcntl(a, F_SETFL, O_APPEND) == 0 && (sys_fcntl(a, F_GETFL, 0) & O_APPEND), "F_SETFL sets O_APPEND");
    sys_lseek(a, 0, 0);
    write_all(a, "6");
    CHECK(sys_pread64(a, buf, 10, 0) == 6 && memeq(buf, "123456", 6), "an O_APPEND write goes to the end");
    CHECK((sys_fcntl(a, F_GETFL, 0) & 3) == O_RDWR, "F_SETFL leaves the access mode");

    /* /proc/self/fd lists the open descriptors */
    int pf = (int)sys_open("/proc/self/fd", O_RDONLY | O_DIRECTORY, 0);
    int entries = 0;
    char name[16]; fmt_to(name, "", a, "");
    CHECK(pf >= 0 && dir_count(pf, name, &entries), "/proc/self/fd lists an open descriptor");
    sys_close(a);
    CHECK(!dir_count(pf, name, &entries), "and no longer lists it once closed");
    n = sys_readlink("/proc/self/fd/1", buf, sizeof buf);
    CHECK(n > 0, "/proc/self/fd/1 is a link");
    CHECK(sys_readlink("/proc/self/fd/77", buf, sizeof buf) == -ENOENT, "/proc/self/fd/77 (closed): ENOENT");
    char self[32]; fmt_to(self, "/proc/", sys_getpid(), "/exe");
    n = sys_readlink(self, buf, sizeof buf);
    CHECK(n == 15 && memeq(buf, "/bin/wali-paths", 15), "/proc/PID/exe");

    /* getdents64 with a 48-byte buffer (one or two entries a call) lists the same entries, each once */
    int big_count = 0, small_count = 0, names = 0;
    int td = (int)sys_open("/tmp", O_RDONLY | O_DIRECTORY, 0);
    dir_count(td, ".", &big_count);
    sys_lseek(td, 0, 0);
    static char one[48];
    u64 seen_hash = 0;
    while ((n = sys_getdents64(td, one, sizeof one)) > 0) {
        for (i64 off = 0; off < n;) {
            unsigned short reclen = *(unsigned short *)(one + off + 16);
            small_count++;
            for (char *c = one + off + 19; *c; c++) seen_hash = seen_hash * 31 + (unsigned char)*c;
            off += reclen;
        }
        names++;
    }
    CHECKV(n == 0 && small_count == big_count && names >= small_count / 2, "getdents64 one entry per call lists them all once", small_count);
    say("entries in /tmp: "); putl(big_count); say("\n");
    sys_lseek(td, 0, 0);
    CHECK(sys_getdents64(td, one, 10) == -EINVAL, "getdents64 into a buffer too small for one entry: EINVAL");
    sys_close(td);
    (void)seen_hash;

    /* dup2 onto itself is a no-op, dup3 onto itself is EINVAL */
    CHECK(sys_dup2(1, 1) == 1 && sys_dup3(1, 1, 0) == -EINVAL, "dup2(fd, fd) returns fd; dup3(fd, fd): EINVAL");

    /* /tmp is a sticky, world-writable directory; /dev/zero and /dev/null are devices */
    CHECK(sys_stat("/tmp", &st) == 0 && (st.mode & 01777) == 01777, "/tmp is mode 1777");
    CHECK(sys_stat("/dev/zero", &st) == 0 && S_ISCHR(st.mode), "/dev/zero is a character device");
    int z = (int)sys_open("/dev/zero", O_RDWR, 0);
    CHECK(sys_write(z, "abc", 3) == 3, "writes to /dev/zero are accepted");
    return failures;
}
WALI_MAIN
