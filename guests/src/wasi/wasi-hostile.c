/*
 * wasi-hostile: what a hostile WASI program can hand the kernel, through the raw imports (no
 * libc checks in between). Every attempt must come back as a WASI errno (FAULT = 21 for a
 * pointer or length outside memory); the program then prints "survived" and exits with the
 * number of failed checks.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define WASI(name) __attribute__((import_module("wasi_snapshot_preview1"), import_name(#name)))

WASI(fd_write) int32_t raw_fd_write(int32_t fd, uint32_t iovs, uint32_t n, uint32_t nwritten);
WASI(fd_read) int32_t raw_fd_read(int32_t fd, uint32_t iovs, uint32_t n, uint32_t nread);
WASI(fd_pwrite) int32_t raw_fd_pwrite(int32_t fd, uint32_t iovs, uint32_t n, int64_t off, uint32_t nwritten);
WASI(path_open) int32_t raw_path_open(int32_t fd, int32_t dirflags, uint32_t path, uint32_t len, int32_t oflags,
                                      int64_t base, int64_t inheriting, int32_t fdflags, uint32_t fdptr);
WASI(path_filestat_get) int32_t raw_path_filestat_get(int32_t fd, int32_t flags, uint32_t path, uint32_t len, uint32_t out);
WASI(path_create_directory) int32_t raw_path_create_directory(int32_t fd, uint32_t path, uint32_t len);
WASI(path_readlink) int32_t raw_path_readlink(int32_t fd, uint32_t path, uint32_t len, uint32_t buf, uint32_t buflen,
                                              uint32_t used);
WASI(path_symlink) int32_t raw_path_symlink(uint32_t old, uint32_t oldlen, int32_t fd, uint32_t path, uint32_t len);
WASI(fd_filestat_get) int32_t raw_fd_filestat_get(int32_t fd, uint32_t out);
WASI(fd_fdstat_get) int32_t raw_fd_fdstat_get(int32_t fd, uint32_t out);
WASI(fd_prestat_get) int32_t raw_fd_prestat_get(int32_t fd, uint32_t out);
WASI(fd_prestat_dir_name) int32_t raw_fd_prestat_dir_name(int32_t fd, uint32_t buf, uint32_t len);
WASI(fd_readdir) int32_t raw_fd_readdir(int32_t fd, uint32_t buf, uint32_t len, int64_t cookie, uint32_t used);
WASI(fd_seek) int32_t raw_fd_seek(int32_t fd, int64_t off, int32_t whence, uint32_t out);
WASI(fd_close) int32_t raw_fd_close(int32_t fd);
WASI(args_get) int32_t raw_args_get(uint32_t argv, uint32_t buf);
WASI(args_sizes_get) int32_t raw_args_sizes_get(uint32_t argc, uint32_t size);
WASI(environ_get) int32_t raw_environ_get(uint32_t env, uint32_t buf);
WASI(clock_time_get) int32_t raw_clock_time_get(int32_t id, int64_t precision, uint32_t out);
WASI(random_get) int32_t raw_random_get(uint32_t buf, uint32_t len);
WASI(poll_oneoff) int32_t raw_poll_oneoff(uint32_t in, uint32_t out, uint32_t n, uint32_t nevents);
WASI(sock_recv) int32_t raw_sock_recv(int32_t fd, uint32_t iovs, uint32_t n, int32_t flags, uint32_t nread, uint32_t oflags);

enum { FAULT = 21, BADF = 8, INVAL = 28, NAMETOOLONG = 37, NOTSUP = 58 };

static int failures;

static void check(int got, int want, const char *what) {
    if (got == want) printf("ok %s\n", what);
    else { failures++; printf("FAIL %s: got %d, want %d\n", what, got, want); }
}

static uint32_t p(const void *x) {
    return (uint32_t)(uintptr_t)x;
}

static char deep[20002];

int main(void) {
    const uint32_t bad = 0xfffffff0u, huge = 0xffffffffu;
    uint32_t out32 = 0;
    uint64_t out64[8];
    char text[] = "text";
    uint32_t iov[2] = {p(text), 4};
    uint32_t iov_bad_buf[2] = {bad, 100};
    uint32_t iov_huge_len[2] = {p(text), huge};
    int root = 3;

    check(raw_fd_write(1, bad, 1, p(&out32)), FAULT, "fd_write: iovec array outside memory");
    check(raw_fd_write(1, p(iov_bad_buf), 1, p(&out32)), FAULT, "fd_write: buffer outside memory");
    check(raw_fd_write(1, p(iov_huge_len), 1, p(&out32)), FAULT, "fd_write: a 4 GiB length");
    int many = raw_fd_write(1, p(iov), 0x7fffffff, p(&out32));
    check(many == FAULT || many == INVAL, 1, "fd_write: 2^31 iovecs");
    check(raw_fd_write(1, p(iov), 1, bad), FAULT, "fd_write: result pointer outside memory");
    check(raw_fd_write(1, p(iov), 1, 0), FAULT, "fd_write: NULL result pointer");
    check(raw_fd_write(-1, p(iov), 1, p(&out32)), BADF, "fd_write: fd -1");
    check(raw_fd_write(1 << 30, p(iov), 1, p(&out32)), BADF, "fd_write: fd 2^30");
    check(raw_fd_pwrite(1, p(iov_bad_buf), 1, 0, p(&out32)), FAULT, "fd_pwrite: buffer outside memory");
    check(raw_fd_read(0, p(iov_bad_buf), 1, p(&out32)), FAULT, "fd_read: buffer outside memory");

    check(raw_path_open(root, 0, bad, 10, 0, -1, -1, 0, p(&out32)), FAULT, "path_open: path outside memory");
    check(raw_path_open(root, 0, p(text), huge, 0, -1, -1, 0, p(&out32)), FAULT, "path_open: a 4 GiB path length");
    check(raw_path_open(root, 0, p("etc"), 3, 0, -1, -1, 0, bad), FAULT, "path_open: result pointer outside memory");
    check(raw_path_open(root, 0, 0, 0, 0, -1, -1, 0, p(&out32)) == 0 ? 0 : 1, 1, "path_open: an empty path fails");
    check(raw_path_open(-7, 0, p("etc"), 3, 0, -1, -1, 0, p(&out32)), BADF, "path_open: a negative directory fd");
    for (int i = 0; i < 10000; i++) { deep[2 * i] = 'a'; deep[2 * i + 1] = '/'; }
    check(raw_path_open(root, 0, p(deep), 20000, 0, -1, -1, 0, p(&out32)), NAMETOOLONG, "path_open: 10000 components");
    check(raw_path_filestat_get(root, 0, p("etc"), 3, bad), FAULT, "path_filestat_get: result outside memory");
    check(raw_path_create_directory(root, bad, 4), FAULT, "path_create_directory: path outside memory");
    check(raw_path_symlink(p("target"), 6, root, p("tmp/hostile-link"), 16), 0, "path_symlink");
    check(raw_path_readlink(root, p("tmp/hostile-link"), 16, bad, 100, p(&out32)), FAULT, "path_readlink: buffer outside memory");
    check(raw_path_readlink(root, p("tmp/hostile-link"), 16, p(out64), 100, bad), FAULT, "path_readlink: result outside memory");
    check(raw_path_symlink(bad, 8, root, p("tmp/x"), 5), FAULT, "path_symlink: target outside memory");

    check(raw_fd_filestat_get(1, bad), FAULT, "fd_filestat_get: result outside memory");
    check(raw_fd_fdstat_get(1, bad), FAULT, "fd_fdstat_get: result outside memory");
    check(raw_fd_prestat_get(root, bad), FAULT, "fd_prestat_get: result outside memory");
    check(raw_fd_prestat_dir_name(root, bad, 1), FAULT, "fd_prestat_dir_name: buffer outside memory");
    check(raw_fd_readdir(root, bad, 100, 0, p(&out32)), FAULT, "fd_readdir: buffer outside memory");
    check(raw_fd_readdir(root, p(out64), huge, 0, p(&out32)), FAULT, "fd_readdir: a 4 GiB length");
    check(raw_fd_seek(root + 100, 0, 0, p(out64)), BADF, "fd_seek: a closed descriptor");
    check(raw_fd_seek(0, 0, 7, p(out64)), INVAL, "fd_seek: whence 7");
    check(raw_fd_close(-5), BADF, "fd_close: fd -5");

    check(raw_args_sizes_get(bad, p(&out32)), FAULT, "args_sizes_get: outside memory");
    check(raw_args_get(bad, bad), FAULT, "args_get: outside memory");
    check(raw_environ_get(bad, bad), FAULT, "environ_get: outside memory");
    check(raw_clock_time_get(0, 0, bad), FAULT, "clock_time_get: result outside memory");
    check(raw_clock_time_get(99, 0, p(out64)), INVAL, "clock_time_get: clock 99");
    check(raw_random_get(bad, 16), FAULT, "random_get: buffer outside memory");
    check(raw_random_get(p(out64), huge), FAULT, "random_get: a 4 GiB length");
    check(raw_poll_oneoff(bad, p(out64), 1, p(&out32)), FAULT, "poll_oneoff: subscriptions outside memory");
    check(raw_poll_oneoff(p(out64), p(out64), 0, p(&out32)), INVAL, "poll_oneoff: no subscriptions");
    int polled = raw_poll_oneoff(p(out64), p(out64), huge, p(&out32));
    check(polled == FAULT || polled == INVAL, 1, "poll_oneoff: 2^32-1 subscriptions");
    check(raw_sock_recv(0, p(iov), 1, 0, p(&out32), p(&out32)), NOTSUP, "sock_recv: ENOTSUP");

    printf("survived with %d failures\n", failures);
    return failures;
}
