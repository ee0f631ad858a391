/*
 * cat: a minimal cat(1) for WASI.
 *
 * Copies each file named on the command line to stdout, in order, or stdin
 * when there is none ("-" also means stdin). A file that cannot be opened or
 * read is reported on stderr; the others are still copied and the exit
 * status is then 1.
 *
 * It is also the interpreter of the example image's script (#!/bin/cat), so
 * running that script prints it.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

static char buf[64 * 1024];

/* Writes all of s[0..n) to fd, retrying short writes; 0 on success. */
static int write_all(int fd, const char *s, size_t n) {
    while (n > 0) {
        ssize_t w = write(fd, s, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        s += w;
        n -= (size_t)w;
    }
    return 0;
}

/* Prints "cat: NAME: REASON" on stderr. */
static void complain(const char *name, int err) {
    const char *why = strerror(err);
    write_all(2, "cat: ", 5);
    write_all(2, name, strlen(name));
    write_all(2, ": ", 2);
    write_all(2, why, strlen(why));
    write_all(2, "\n", 1);
}

/* Copies fd to stdout; returns 0, or the errno of the failed read (write errors are fatal). */
static int copy(int fd) {
    for (;;) {
        ssize_t r = read(fd, buf, sizeof buf);
        if (r == 0)
            return 0;
        if (r < 0) {
            if (errno == EINTR)
                continue;
            return errno;
        }
        if (write_all(1, buf, (size_t)r) != 0) {
            complain("write error", errno);
            _exit(1);
        }
    }
}

int main(int argc, char **argv) {
    int status = 0;
    if (argc < 2) {
        int err = copy(0);
        if (err != 0) {
            complain("-", err);
            status = 1;
        }
        return status;
    }
    for (int i = 1; i < argc; i++) {
        const char *name = argv[i];
        int is_stdin = strcmp(name, "-") == 0;
        int fd = is_stdin ? 0 : open(name, O_RDONLY);
        if (fd < 0) {
            complain(name, errno);
            status = 1;
            continue;
        }
        int err = copy(fd);
        if (err != 0) {
            complain(name, err);
            status = 1;
        }
        if (!is_stdin)
            close(fd);
    }
    return status;
}
