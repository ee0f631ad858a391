/*
 * wasi-files: the WASI preview 1 personality as a wasi-libc program sees it. Prints one
 * "ok <what>" or "FAIL <what> ..." line per check and exits with the number of failures.
 *
 *   wasi-files [ARG...]   the checks, in a scratch directory /tmp/wasi-files; first prints
 *                         "argc=N", each argument and FOO from the environment
 *   wasi-files inherit    (run from a WALI program with fd 3 open for writing and stdout a
 *                         pipe) writes to the inherited fd 3, reads an image file through the
 *                         preopen, checks that stdout cannot seek
 *   wasi-files exit N     exits with status N through proc_exit
 *   wasi-files raise N    proc_raise(N) (WASI's signal numbers), then prints "still here" and exits 0
 *
 * Expects the image to hold /etc/motd ("Welcome to the container\n") and a writable /tmp.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>
#include <wasi/api.h>

static int failures, checks;

/* not declared by this wasi-libc's wasi/api.h */
__attribute__((import_module("wasi_snapshot_preview1"), import_name("proc_raise"))) int32_t raw_proc_raise(int32_t sig);

#define CHECK(cond, what) do { \
        errno = 0; \
        checks++; \
        if (cond) printf("ok %s\n", what); \
        else { failures++; printf("FAIL %s (line %d, errno %d)\n", what, __LINE__, errno); } \
    } while (0)

static long long now_ns(clockid_t clock) {
    struct timespec ts;
    if (clock_gettime(clock, &ts) != 0) return -1;
    return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static char buf[8192];

static ssize_t slurp(const char *path) {
    int fd = open(path, O_RDONLY);
    if (fd < 0) return -1;
    ssize_t n = 0, r;
    while ((r = read(fd, buf + n, sizeof buf - 1 - n)) > 0) n += r;
    buf[n] = 0;
    close(fd);
    return r < 0 ? -1 : n;
}

static int put(const char *path, const char *text) {
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) return -1;
    ssize_t w = write(fd, text, strlen(text));
    close(fd);
    return w == (ssize_t)strlen(text) ? 0 : -1;
}

/* errno after a call that must fail. */
static int fails_with(int result, int err) {
    return result < 0 && errno == err;
}

static void environment(int argc, char **argv) {
    printf("argc=%d\n", argc);
    for (int i = 1; i < argc; i++) printf("arg %d=%s\n", i, argv[i]);
    const char *foo = getenv("FOO");
    printf("FOO=%s\n", foo ? foo : "(unset)");

    long long r1 = now_ns(CLOCK_REALTIME), m1 = now_ns(CLOCK_MONOTONIC);
    CHECK(r1 > 1600000000LL * 1000000000LL, "realtime clock is after 2020");
    struct timespec res;
    CHECK(clock_getres(CLOCK_MONOTONIC, &res) == 0 && (res.tv_sec > 0 || res.tv_nsec > 0), "clock_getres");
    struct timespec nap = {0, 30 * 1000000};
    CHECK(nanosleep(&nap, NULL) == 0, "nanosleep (poll_oneoff on a clock)");
    long long m2 = now_ns(CLOCK_MONOTONIC);
    CHECK(m2 - m1 >= 30 * 1000000LL, "monotonic clock advanced by the sleep");
    CHECK(m2 - m1 < 10 * 1000000000LL, "the sleep ended");
    CHECK(now_ns(CLOCK_PROCESS_CPUTIME_ID) >= 0, "process CPU-time clock");

    unsigned char r[64] = {0}, s[64] = {0};
    CHECK(getentropy(r, sizeof r) == 0 && getentropy(s, sizeof s) == 0 && memcmp(r, s, sizeof r) != 0,
          "random_get fills with different bytes each time");
    CHECK(sched_yield() == 0, "sched_yield");
}

static void files(void) {
    struct stat st;
    mkdir("/tmp", 0777); /* may be there already */
    CHECK(mkdir("/tmp/wasi-files", 0755) == 0, "mkdir (path_create_directory)");
    CHECK(fails_with(mkdir("/tmp/wasi-files", 0755), EEXIST), "mkdir of an existing directory: EEXIST");
    CHECK(stat("/tmp/wasi-files", &st) == 0 && S_ISDIR(st.st_mode), "stat a directory");
    CHECK(chdir("/tmp/wasi-files") == 0, "chdir (wasi-libc's own working directory)");

    /* write, read, seek */
    int fd = open("a.txt", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    CHECK(fd >= 3, "open O_CREAT a relative path");
    CHECK(write(fd, "hello world\n", 12) == 12, "write (fd_write)");
    CHECK(close(fd) == 0, "close (fd_close)");
    CHECK(fails_with(close(fd), EBADF), "close twice: EBADF");
    CHECK(slurp("/tmp/wasi-files/a.txt") == 12 && !strcmp(buf, "hello world\n"), "read it back by absolute path");
    CHECK(fails_with(open("a.txt", O_WRONLY | O_CREAT | O_EXCL, 0644), EEXIST), "O_EXCL on an existing file: EEXIST");
    CHECK(fails_with(open("missing.txt", O_RDONLY), ENOENT), "open a missing file: ENOENT");
    CHECK(fails_with(open("/tmp/wasi-files", O_WRONLY), EISDIR), "open a directory for writing: EISDIR");
    CHECK(fails_with(open("a.txt", O_RDONLY | O_DIRECTORY), ENOTDIR), "O_DIRECTORY on a file: ENOTDIR");
    CHECK(fails_with(open("a.txt/x", O_RDONLY), ENOTDIR), "a file used as a directory: ENOTDIR");

    fd = open("a.txt", O_RDWR);
    char b[32] = {0};
    CHECK(lseek(fd, 6, SEEK_SET) == 6, "lseek SEEK_SET (fd_seek)");
    CHECK(read(fd, b, 5) == 5 && !memcmp(b, "world", 5), "read after the seek");
    CHECK(lseek(fd, 0, SEEK_CUR) == 11, "lseek SEEK_CUR 0 (fd_tell)");
    CHECK(lseek(fd, 0, SEEK_END) == 12, "lseek SEEK_END");
    CHECK(lseek(fd, -6, SEEK_CUR) == 6, "lseek backwards");
    CHECK(fails_with((int)lseek(fd, -100, SEEK_SET), EINVAL), "lseek before the start: EINVAL");
    CHECK(pwrite(fd, "HELLO", 5, 0) == 5, "pwrite (fd_pwrite)");
    memset(b, 0, sizeof b);
    CHECK(pread(fd, b, 11, 0) == 11 && !strcmp(b, "HELLO world"), "pread (fd_pread)");
    CHECK(lseek(fd, 0, SEEK_CUR) == 6, "pread and pwrite leave the offset alone");
    struct iovec iov[3] = {{"ab", 2}, {"", 0}, {"cd\n", 3}};
    lseek(fd, 0, SEEK_END);
    CHECK(writev(fd, iov, 3) == 5, "writev with three iovecs");
    CHECK(fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size == 17 && st.st_nlink == 1, "fstat (fd_filestat_get)");
    CHECK(ftruncate(fd, 5) == 0 && fstat(fd, &st) == 0 && st.st_size == 5, "ftruncate (fd_filestat_set_size)");
    CHECK(posix_fallocate(fd, 0, 100) == 0 && fstat(fd, &st) == 0 && st.st_size == 100, "posix_fallocate (fd_allocate)");
    CHECK(posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL) == 0, "posix_fadvise (fd_advise)");
    CHECK(fsync(fd) == 0 && fdatasync(fd) == 0, "fsync, fdatasync");
    struct timespec times[2] = {{1000000000, 5}, {1200000000, 7}};
    CHECK(futimens(fd, times) == 0 && fstat(fd, &st) == 0 && st.st_mtim.tv_sec == 1200000000
          && st.st_mtim.tv_nsec == 7 && st.st_atim.tv_sec == 1000000000, "futimens (fd_filestat_set_times)");
    close(fd);

    /* append mode and the descriptor's flags */
    fd = open("a.txt", O_WRONLY | O_TRUNC);
    CHECK(fd >= 0 && write(fd, "one\n", 4) == 4, "truncate on open");
    CHECK((fcntl(fd, F_GETFL) & O_APPEND) == 0, "F_GETFL without O_APPEND (fd_fdstat_get)");
    CHECK(fcntl(fd, F_SETFL, O_APPEND) == 0 && (fcntl(fd, F_GETFL) & O_APPEND) != 0, "F_SETFL O_APPEND (fd_fdstat_set_flags)");
    lseek(fd, 0, SEEK_SET);
    CHECK(write(fd, "two\n", 4) == 4, "write in append mode");
    close(fd);
    CHECK(slurp("a.txt") == 8 && !strcmp(buf, "one\ntwo\n"), "append mode wrote at the end");
    fd = open("a.txt", O_WRONLY | O_APPEND);
    CHECK(write(fd, "three\n", 6) == 6, "open O_APPEND");
    close(fd);
    CHECK(slurp("a.txt") == 14 && !strcmp(buf, "one\ntwo\nthree\n"), "O_APPEND wrote at the end");

    /* times by path */
    struct timespec t2[2] = {{1300000000, 0}, {1400000000, 0}};
    CHECK(utimensat(AT_FDCWD, "a.txt", t2, 0) == 0 && stat("a.txt", &st) == 0 && st.st_mtim.tv_sec == 1400000000
          && st.st_atim.tv_sec == 1300000000, "utimensat (path_filestat_set_times)");
    /* Debian's wasi-libc (2022-05) passes neither UTIME_NOW/UTIME_OMIT (its sys/stat.h values differ
       from its own) nor a NULL times as WASI's NOW flags (seen: ATIM|MTIM with zero times), so the
       NOW and "leave alone" cases go through the raw call */
    fd = open("a.txt", O_RDONLY);
    CHECK(__wasi_fd_filestat_set_times(fd, 0, 0, __WASI_FSTFLAGS_ATIM_NOW | __WASI_FSTFLAGS_MTIM_NOW) == 0
          && fstat(fd, &st) == 0 && st.st_atim.tv_sec > 1600000000 && st.st_mtim.tv_sec > 1600000000,
          "fd_filestat_set_times: both times now");
    CHECK(__wasi_fd_filestat_set_times(fd, 1234, 0, __WASI_FSTFLAGS_ATIM) == 0
          && __wasi_fd_filestat_set_times(fd, 0, 0, __WASI_FSTFLAGS_MTIM_NOW) == 0 && fstat(fd, &st) == 0
          && st.st_atim.tv_sec == 0 && st.st_atim.tv_nsec == 1234 && st.st_mtim.tv_sec > 1600000000,
          "fd_filestat_set_times: one time set, the other left alone");
    CHECK(__wasi_fd_filestat_set_times(fd, 0, 0, __WASI_FSTFLAGS_MTIM | __WASI_FSTFLAGS_MTIM_NOW) == __WASI_ERRNO_INVAL,
          "fd_filestat_set_times: MTIM and MTIM_NOW together: EINVAL");
    close(fd);

    /* a larger file through stdio */
    FILE *f = fopen("big.bin", "wb");
    unsigned sum = 0;
    for (int i = 0; i < 300000; i++) { fputc(i * 7 & 0xff, f); sum += i * 7 & 0xff; }
    CHECK(fclose(f) == 0 && stat("big.bin", &st) == 0 && st.st_size == 300000, "300000 bytes written by stdio");
    f = fopen("big.bin", "rb");
    unsigned back = 0; int c, count = 0;
    while ((c = fgetc(f)) != EOF) { back += c; count++; }
    fclose(f);
    CHECK(count == 300000 && back == sum, "and read back by stdio");

    /* links */
    CHECK(symlink("a.txt", "link") == 0, "symlink (path_symlink)");
    ssize_t n = readlink("link", b, sizeof b - 1);
    CHECK(n == 5 && !memcmp(b, "a.txt", 5), "readlink (path_readlink)");
    CHECK(lstat("link", &st) == 0 && S_ISLNK(st.st_mode), "lstat sees the symlink");
    CHECK(stat("link", &st) == 0 && S_ISREG(st.st_mode) && st.st_size == 14, "stat follows it");
    CHECK(slurp("link") == 14, "open follows it");
    CHECK(fails_with(open("link", O_RDONLY | O_NOFOLLOW), ELOOP), "O_NOFOLLOW on a symlink: ELOOP");
    CHECK(fails_with(readlink("a.txt", b, sizeof b), EINVAL), "readlink of a file: EINVAL");
    CHECK(link("a.txt", "hard") == 0 && stat("a.txt", &st) == 0 && st.st_nlink == 2, "link (path_link)");
    struct stat st2;
    CHECK(stat("hard", &st2) == 0 && st2.st_ino == st.st_ino, "a hard link has the same inode");

    /* rename */
    CHECK(rename("hard", "renamed") == 0 && fails_with(stat("hard", &st), ENOENT) && stat("renamed", &st) == 0,
          "rename (path_rename)");
    CHECK(mkdir("sub", 0755) == 0 && rename("renamed", "sub/moved") == 0 && slurp("sub/moved") == 14,
          "rename into a subdirectory");
    CHECK(rename("sub", "sub2") == 0 && slurp("/tmp/wasi-files/sub2/moved") == 14, "rename a directory");
    CHECK(fails_with(rename("missing", "x"), ENOENT), "rename a missing file: ENOENT");

    /* remove */
    CHECK(fails_with(rmdir("sub2"), ENOTEMPTY), "rmdir of a non-empty directory: ENOTEMPTY");
    CHECK(fails_with(unlink("sub2"), EISDIR) || fails_with(unlink("sub2"), EPERM), "unlink of a directory fails");
    CHECK(unlink("sub2/moved") == 0 && rmdir("sub2") == 0, "unlink (path_unlink_file), rmdir (path_remove_directory)");
    CHECK(fails_with(stat("sub2", &st), ENOENT), "gone");
    CHECK(fails_with(rmdir("a.txt"), ENOTDIR), "rmdir of a file: ENOTDIR");

    /* the image is read-only */
    CHECK(slurp("/etc/motd") > 0 && !strcmp(buf, "Welcome to the container\n"), "read an image file");
    int w = open("/etc/motd", O_WRONLY | O_APPEND);
    CHECK(w >= 0 && write(w, "more\n", 5) == 5 && close(w) == 0, "an image file is changed in the writable layer above it");
    CHECK(slurp("/etc/motd") == 30 && !strcmp(buf, "Welcome to the container\nmore\n"), "the change is visible");
    char longname[300];
    memset(longname, 'x', sizeof longname - 1);
    longname[sizeof longname - 1] = 0;
    CHECK(fails_with(open(longname, O_RDONLY | O_CREAT, 0644), ENAMETOOLONG), "a 299-byte name: ENAMETOOLONG");
}

static int by_name(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void directories(void) {
    CHECK(mkdir("many", 0755) == 0, "mkdir many");
    char name[64];
    for (int i = 0; i < 300; i++) {
        snprintf(name, sizeof name, "many/file-with-a-long-name-%03d", i);
        if (put(name, "x") != 0) { CHECK(0, "create 300 files"); return; }
    }
    CHECK(mkdir("many/subdir", 0755) == 0, "a subdirectory among them");
    DIR *d = opendir("many");
    CHECK(d != NULL, "opendir");
    char *names[400];
    int n = 0, dirs = 0, regs = 0, dots = 0;
    long cookie_at_10 = -1;
    char name_at_10[64] = "";
    struct dirent *e;
    while ((e = readdir(d)) != NULL && n < 400) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) { dots++; continue; }
        if (e->d_type == DT_DIR) dirs++;
        if (e->d_type == DT_REG) regs++;
        if (n == 10) { strcpy(name_at_10, e->d_name); }
        if (n == 9) cookie_at_10 = telldir(d);
        names[n++] = strdup(e->d_name);
    }
    CHECK(n == 301 && dots == 2, "readdir sees every entry once (fd_readdir over several buffers)");
    CHECK(dirs == 1 && regs == 300, "entry types");
    qsort(names, n, sizeof *names, by_name);
    int distinct = 1;
    for (int i = 1; i < n; i++) if (!strcmp(names[i], names[i - 1])) distinct = 0;
    CHECK(distinct && !strcmp(names[0], "file-with-a-long-name-000") && !strcmp(names[n - 1], "subdir"), "the names");
    seekdir(d, cookie_at_10);
    e = readdir(d);
    CHECK(e != NULL && !strcmp(e->d_name, name_at_10), "seekdir to a cookie");
    rewinddir(d);
    int again = 0;
    while (readdir(d) != NULL) again++;
    CHECK(again == 303, "rewinddir starts over");
    closedir(d);
    for (int i = 0; i < n; i++) free(names[i]);

    struct stat st;
    CHECK(stat("many/file-with-a-long-name-123", &st) == 0 && st.st_size == 1, "stat one of them (path_filestat_get)");
}

static void descriptors(void) {
    /* fd_renumber: the target takes over the source's open file */
    put("r1", "first\n");
    put("r2", "second\n");
    int a = open("r1", O_RDONLY), b = open("r2", O_RDONLY);
    CHECK(__wasi_fd_renumber(a, b) == 0, "fd_renumber");
    char c[16] = {0};
    CHECK(read(b, c, sizeof c - 1) == 6 && !strcmp(c, "first\n"), "the target reads the source's file");
    CHECK(fails_with(read(a, c, 1), EBADF), "the source is closed");
    CHECK(__wasi_fd_renumber(b, 1000) == __WASI_ERRNO_BADF, "fd_renumber to a closed number: EBADF");
    close(b);

    __wasi_fdstat_t fs;
    int fd = open("r1", O_RDONLY);
    CHECK(__wasi_fd_fdstat_get(fd, &fs) == 0 && fs.fs_filetype == __WASI_FILETYPE_REGULAR_FILE
          && (fs.fs_rights_base & __WASI_RIGHTS_FD_SEEK) != 0, "fd_fdstat_get of a file");
    CHECK(__wasi_fd_fdstat_set_rights(fd, fs.fs_rights_base, fs.fs_rights_inheriting) == 0, "fd_fdstat_set_rights");

    /* poll_oneoff: a readable file and a clock */
    __wasi_subscription_t sub[2];
    __wasi_event_t ev[2];
    __wasi_size_t nev = 0;
    memset(sub, 0, sizeof sub);
    sub[0].userdata = 11;
    sub[0].u.tag = __WASI_EVENTTYPE_FD_READ;
    sub[0].u.u.fd_read.file_descriptor = fd;
    sub[1].userdata = 22;
    sub[1].u.tag = __WASI_EVENTTYPE_CLOCK;
    sub[1].u.u.clock.id = __WASI_CLOCKID_MONOTONIC;
    sub[1].u.u.clock.timeout = 5000000000ULL;
    CHECK(__wasi_poll_oneoff(sub, ev, 2, &nev) == 0 && nev == 1 && ev[0].userdata == 11 && ev[0].error == 0
          && ev[0].type == __WASI_EVENTTYPE_FD_READ && ev[0].fd_readwrite.nbytes == 6, "poll_oneoff: a file is readable");
    long long t0 = now_ns(CLOCK_MONOTONIC);
    sub[1].u.u.clock.timeout = 20000000ULL;
    CHECK(__wasi_poll_oneoff(&sub[1], ev, 1, &nev) == 0 && nev == 1 && ev[0].userdata == 22
          && ev[0].type == __WASI_EVENTTYPE_CLOCK && now_ns(CLOCK_MONOTONIC) - t0 >= 20000000LL, "poll_oneoff: a relative clock");
    sub[1].u.u.clock.timeout = (unsigned long long)now_ns(CLOCK_MONOTONIC) + 15000000ULL;
    sub[1].u.u.clock.flags = __WASI_SUBCLOCKFLAGS_SUBSCRIPTION_CLOCK_ABSTIME;
    t0 = now_ns(CLOCK_MONOTONIC);
    CHECK(__wasi_poll_oneoff(&sub[1], ev, 1, &nev) == 0 && nev == 1 && now_ns(CLOCK_MONOTONIC) - t0 >= 10000000LL,
          "poll_oneoff: an absolute clock");
    sub[0].u.u.fd_read.file_descriptor = 999;
    CHECK(__wasi_poll_oneoff(sub, ev, 1, &nev) == 0 && nev == 1 && ev[0].error == __WASI_ERRNO_BADF,
          "poll_oneoff on a closed descriptor: an event with EBADF");
    struct pollfd pfd = {.fd = fd, .events = POLLIN};
    CHECK(poll(&pfd, 1, 1000) == 1 && (pfd.revents & POLLIN), "poll(2) through wasi-libc");
    close(fd);

    /* the preopen */
    __wasi_prestat_t pre;
    char dir[8] = {0};
    int root = -1;
    for (int i = 3; i < 64 && root < 0; i++) {
        __wasi_errno_t e = __wasi_fd_prestat_get(i, &pre);
        if (e == 0 && pre.tag == __WASI_PREOPENTYPE_DIR) root = i;
        else if (e == __WASI_ERRNO_BADF) break;
    }
    CHECK(root >= 3 && pre.u.dir.pr_name_len == 1 && __wasi_fd_prestat_dir_name(root, (uint8_t *)dir, 1) == 0
          && !strcmp(dir, "/"), "the preopen is \"/\"");
    CHECK(__wasi_fd_prestat_get(0, &pre) == __WASI_ERRNO_BADF, "stdin is not a preopen");
    CHECK(__wasi_fd_fdstat_get(root, &fs) == 0 && fs.fs_filetype == __WASI_FILETYPE_DIRECTORY, "it is a directory");

    CHECK(fails_with((int)write(77, "x", 1), EBADF), "write to a closed descriptor: EBADF");
    CHECK(!isatty(1) || isatty(1), "isatty answers");
}

int main(int argc, char **argv) {
    if (argc == 3 && !strcmp(argv[1], "exit")) __wasi_proc_exit(atoi(argv[2]));
    if (argc == 3 && !strcmp(argv[1], "raise")) {
        int r = raw_proc_raise(atoi(argv[2]));
        printf("still here: %d\n", r);
        return 0;
    }
    if (argc == 2 && !strcmp(argv[1], "inherit")) {
        const char *line = "written by the WASI program to its inherited fd 3\n";
        CHECK(write(3, line, strlen(line)) == (ssize_t)strlen(line), "write to the inherited descriptor 3");
        CHECK(slurp("/etc/motd") > 0 && !strcmp(buf, "Welcome to the container\n"), "the preopen works past fd 3");
        CHECK(fails_with((int)lseek(1, 0, SEEK_CUR), ESPIPE), "stdout is a pipe: ESPIPE");
        __wasi_fdstat_t fs;
        CHECK(__wasi_fd_fdstat_get(1, &fs) == 0 && (fs.fs_rights_base & __WASI_RIGHTS_FD_SEEK) == 0, "a pipe has no seek right");
        char in[64] = {0};
        ssize_t n = read(0, in, sizeof in - 1);
        printf("stdin said: %s", n > 0 ? in : "(nothing)\n");
        const char *foo = getenv("FOO");
        printf("FOO=%s\n", foo ? foo : "(unset)");
        return failures;
    }
    environment(argc, argv);
    files();
    directories();
    descriptors();
    printf("%d checks, %d failures\n", checks, failures);
    return failures;
}
