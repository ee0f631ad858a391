/*
 * exec-race.h: the one implementation of the exec race (time of check against time of use: the
 * hash gate must run exactly the bytes it hashed), shared by wali-exec-race (ExecRaceTest) and
 * attack-exec's exec-race technique (`nojit simulate`).
 *
 * race_run writes GOOD's bytes to TARGET, then forks a "swapper" that keeps replacing TARGET until
 * it is killed, cycling through four writes: GOOD's bytes by temp file (TARGET.swap) + rename,
 * EVIL's by rename, GOOD's rewritten in place (open O_WRONLY|O_TRUNC, then write in two halves),
 * EVIL's in place. Meanwhile it runs ROUNDS rounds of: fork a child that execve's TARGET with
 * ARGV; wait4 it; classify:
 *   exited 0           good    (GOOD ran)
 *   killed by signal 9 denied  (the vkernel's response to a violation)
 *   anything else      other   (execve failed on a half-written file: the child exits with
 *                              100 + errno; or EVIL ran)
 * Then it kills and reaps the swapper. Setup failures end the run (technique.h's setup_failed).
 */
#ifndef NOJIT_EXEC_RACE_H
#define NOJIT_EXEC_RACE_H
#include "technique.h"

/* Up to 16 distinct "other" wait statuses are counted one by one. */
struct race_tally {
    long good, denied, other;
    int other_status[16], other_count[16], other_kinds;
};

/* Writes len bytes; gives up quietly on an error (the swapper must keep going). */
static void race_put(int fd, const char *buf, size_t len) {
    size_t off = 0;
    while (off < len) {
        i64 w = sys_write(fd, buf + off, len - off);
        if (w <= 0) return;
        off += (size_t)w;
    }
}

static void race_replace(const char *target, const char *temp, const char *bytes, size_t len, int in_place) {
    if (in_place) {
        i64 fd = sys_open(target, O_WRONLY | O_TRUNC, 0);
        if (fd < 0) return;
        /* two writes: an exec between them finds a half-written module */
        race_put((int)fd, bytes, len / 2);
        race_put((int)fd, bytes + len / 2, len - len / 2);
        sys_close((int)fd);
        return;
    }
    i64 fd = sys_open(temp, O_WRONLY | O_CREAT | O_TRUNC, 0755);
    if (fd < 0) return;
    race_put((int)fd, bytes, len);
    sys_close((int)fd);
    sys_chmod(temp, 0755);
    sys_rename(temp, target);
}

static __attribute__((noreturn)) void race_swapper(const char *target, const char *good, size_t good_len,
                                                   const char *evil, size_t evil_len) {
    char temp[300];
    strcpy(temp, target);
    strcat(temp, ".swap");
    for (u64 i = 0;; i++) {
        int use_evil = (int)(i & 1);
        race_replace(target, temp, use_evil ? evil : good, use_evil ? evil_len : good_len, (int)((i >> 1) & 1));
    }
}

static void race_count_other(struct race_tally *t, int status) {
    t->other++;
    for (int i = 0; i < t->other_kinds; i++)
        if (t->other_status[i] == status) { t->other_count[i]++; return; }
    if (t->other_kinds < 16) {
        t->other_status[t->other_kinds] = status;
        t->other_count[t->other_kinds++] = 1;
    }
}

/* TARGET: at most 280 bytes. */
static __attribute__((unused)) void race_run(const char *target, char **argv, long rounds, const char *good,
                                             size_t good_len, const char *evil, size_t evil_len,
                                             struct race_tally *t) {
    write_file(target, good, good_len, 0755);
    i64 swapper = sys_fork();
    if (swapper < 0) setup_failed("fork", swapper);
    if (swapper == 0) race_swapper(target, good, good_len, evil, evil_len);
    for (long round = 0; round < rounds; round++) {
        i64 pid = sys_fork();
        if (pid < 0) { sys_kill((int)swapper, SIGKILL); setup_failed("fork", pid); }
        if (pid == 0) {
            i64 r = sys_execve(target, argv, environ);
            sys_exit_group(r < 0 && r > -100 ? 100 + (int)-r : 99);
        }
        int status = wait_for(pid);
        if (status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == 0) t->good++;
        else if (status != -1 && WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) t->denied++;
        else race_count_other(t, status);
    }
    sys_kill((int)swapper, SIGKILL);
    wait_for(swapper);
}

#endif
