/*
 * attack.h: what the attack programs of `nojit simulate` share (the C files of guests/attacks, WALI
 * personality on top of src/wali/include/wali.h). Each program runs one named technique, chosen
 * by argv[1], and reports on stdout, each line in one write so lines of several processes never
 * mix:
 *
 *   ATTEMPT <technique>               just before the decisive syscall (after any setup)
 *   STEP <technique> <what>=<ret>     a preparatory result the expectation needs (e.g. fork=-11)
 *   RESULT <technique> ret=<ret>      the decisive call returned <ret> (-errno on failure); for
 *                                     the techniques where a plain errno is the right answer
 *   SURVIVED <technique> <why>        a forbidden thing happened: the payload ran, memory was
 *                                     mapped executable, a call the policy must kill for returned,
 *                                     or another process's memory changed
 *   SETUP-FAILED <technique> <step>=<ret>   setup failed before the decisive call (exit 3)
 *
 * Exit status 0 after RESULT or SURVIVED; 2 on a usage error. Under the policy, a process that
 * attempts a violation never sees its syscall return: it dies of SIGKILL (kill-process) or the
 * whole container stops (kill-container).
 */
#ifndef NOJIT_ATTACK_H
#define NOJIT_ATTACK_H
#include "wali.h"

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

static void attempt(void) { report("ATTEMPT", "", 0, 0); }

static void step(const char *what, i64 r) {
    char extra[64];
    strcpy(extra, what);
    strcat(extra, "=");
    report("STEP", extra, r, 1);
}

static __attribute__((noreturn)) void result(i64 r) {
    report("RESULT", "ret=", r, 1);
    exit(0);
}

static __attribute__((unused)) __attribute__((noreturn)) void survived(const char *why, i64 r) {
    char extra[160];
    strcpy(extra, why);
    strcat(extra, " ret=");
    report("SURVIVED", extra, r, 1);
    exit(0);
}

static __attribute__((noreturn)) void setup_failed(const char *what, i64 r) {
    char extra[64];
    strcpy(extra, what);
    strcat(extra, "=");
    report("SETUP-FAILED", extra, r, 1);
    exit(3);
}

static __attribute__((noreturn)) void usage(const char *program, const char *why) {
    write_all(2, program);
    write_all(2, ": ");
    write_all(2, why);
    write_all(2, "\nusage: ");
    write_all(2, program);
    write_all(2, " TECHNIQUE (see the source's header for the names)\n");
    exit(2);
}

/* ---- file setup; each failure ends the run with SETUP-FAILED ---- */

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

/* PATH := bytes, then chmod MODE (the "chmod +x" of a download). */
static void write_file(const char *path, const char *buf, size_t len, int mode) {
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

#endif
