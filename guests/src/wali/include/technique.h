/*
 * technique.h: what the attack guests share — those that try one technique per run and report it
 * on stdout (src/wali/wali-violate.c for the enforcement tests, the C files of guests/attacks for
 * `nojit simulate`). The technique being run, report lines written in one write each (lines of
 * several processes never mix), and setup helpers that end the run when they fail:
 *
 *   <TAG_SETUP_FAILED> <technique> <what>=<ret>   setup failed before the decisive call (exit 3)
 *
 * The tag words differ between the two families (simulate's are upper case); a program may
 * define TAG_ATTEMPT and TAG_SETUP_FAILED before including this file.
 */
#ifndef NOJIT_TECHNIQUE_H
#define NOJIT_TECHNIQUE_H
#include "wali.h"

#ifndef TAG_ATTEMPT
#define TAG_ATTEMPT "ATTEMPT"
#endif
#ifndef TAG_SETUP_FAILED
#define TAG_SETUP_FAILED "SETUP-FAILED"
#endif

static const char *technique = "?";

/* "TAG technique[ extra][value]\n" in one write. */
static void report(const char *tag, const char *extra, i64 value, int with_value) {
    char buf[600];
    strcpy(buf, tag);
    strcat(buf, " ");
    strcat(buf, technique);
    if (extra && *extra) {
        strcat(buf, " ");
        strcat(buf, extra);
    }
    if (with_value) {
        char num[32];
        fmt_to(num, "", value, "");
        strcat(buf, num);
    }
    strcat(buf, "\n");
    flush();
    sys_write(1, buf, strlen(buf));
}

/* Printed just before the decisive syscall (after any setup). */
static __attribute__((unused)) void attempt(void) { report(TAG_ATTEMPT, "", 0, 0); }

static __attribute__((noreturn)) void setup_failed(const char *what, i64 r) {
    char extra[64];
    strcpy(extra, what);
    strcat(extra, "=");
    report(TAG_SETUP_FAILED, extra, r, 1);
    exit(3);
}

/* ---- file setup; each failure ends the run with a setup-failed line ---- */

/* The whole file, in memory from the bump allocator; *len its size. */
static char *slurp(const char *path, size_t *len) {
    char *buf;
    i64 r = read_file(path, &buf, len);
    if (r < 0) setup_failed("read", r);
    return buf;
}

static void write_fully(int fd, const char *buf, size_t len) {
    size_t off = 0;
    while (off < len) {
        i64 w = sys_write(fd, buf + off, len - off);
        if (w <= 0) setup_failed("write", w);
        off += (size_t)w;
    }
}

/* PATH := bytes (a new file, replacing one there), then chmod MODE (the "chmod +x" of a download). */
static __attribute__((unused)) void write_file(const char *path, const char *buf, size_t len, int mode) {
    sys_unlink(path);
    i64 fd = sys_open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0) setup_failed("create", fd);
    write_fully((int)fd, buf, len);
    sys_close((int)fd);
    i64 r = sys_chmod(path, mode);
    if (r < 0) setup_failed("chmod", r);
}

static __attribute__((unused)) void copy_file(const char *src, const char *dst, int mode) {
    size_t len;
    char *bytes = slurp(src, &len);
    write_file(dst, bytes, len, mode);
}

/* A memfd (memfd_create flags FLAGS) holding SRC's bytes. */
static __attribute__((unused)) int memfd_with(const char *src, u32 flags) {
    size_t len;
    char *bytes = slurp(src, &len);
    i64 fd = sys_memfd_create("payload", flags);
    if (fd < 0) setup_failed("memfd_create", fd);
    write_fully((int)fd, bytes, len);
    return (int)fd;
}

#endif
