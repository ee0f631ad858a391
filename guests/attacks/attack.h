/*
 * attack.h: what the attack programs of `nojit simulate` share (the C files of guests/attacks, WALI
 * personality), on top of src/wali/include/technique.h (report lines, setup helpers). Each program runs one named technique, chosen
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
#include "technique.h"

static __attribute__((unused)) void step(const char *what, i64 r) {
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

static __attribute__((noreturn)) void usage(const char *program, const char *why) {
    write_all(2, program);
    write_all(2, ": ");
    write_all(2, why);
    write_all(2, "\nusage: ");
    write_all(2, program);
    write_all(2, " TECHNIQUE (see the source's header for the names)\n");
    exit(2);
}

#endif
