/*
 * wali-exec-race: races execve against a file being replaced (issue 5: the hash gate must run
 * exactly the bytes it hashed).
 *
 *   wali-exec-race GOOD EVIL TARGET ROUNDS
 *
 * A forked "swapper" keeps replacing TARGET until it is killed, cycling through four writes:
 * GOOD's bytes by temp file + rename, EVIL's by rename, GOOD's rewritten in place
 * (open O_WRONLY|O_TRUNC, then write in two halves), EVIL's in place. Meanwhile the parent runs
 * ROUNDS rounds of: fork a child that execve's TARGET with argv {TARGET}; wait4 it; classify:
 *   exited 0           good    (GOOD ran: it prints "MARKER good", exit 0)
 *   killed by signal 9 denied  (the vkernel's response to a violation)
 *   anything else      other   (execve failed on a half-written file: the child exits with
 *                              100 + errno; or EVIL ran: exit 66, and it printed "MARKER evil")
 * Then it kills the swapper and prints one line on stdout
 *   race rounds=N good=G denied=D other=O
 * and exits 0 (3 when the setup failed, 2 on a usage error). The children's stdout is the
 * container's, so a test counts "MARKER evil" lines (there must be none). The "other" outcomes
 * are broken down on stderr: "race other status=S count=C", S the raw wait status.
 */
#include "wali.h"

static __attribute__((noreturn)) void fail(const char *what, i64 r) {
    char text[160];
    fmt_to(text, "", r, "\n");
    const char *a = "wali-exec-race: ";
    sys_write(2, a, strlen(a));
    sys_write(2, what, strlen(what));
    sys_write(2, ": ", 2);
    sys_write(2, text, strlen(text));
    exit(3);
}

static char *slurp(const char *path, size_t *len) {
    char *buf;
    i64 r = read_file(path, &buf, len);
    if (r < 0) fail("read", r);
    return buf;
}

/* Writes len bytes; gives up quietly on an error (the swapper must keep going). */
static void put_bytes(int fd, const char *buf, size_t len) {
    size_t off = 0;
    while (off < len) {
        i64 w = sys_write(fd, buf + off, len - off);
        if (w <= 0) return;
        off += (size_t)w;
    }
}

static void replace_by_rename(const char *target, const char *temp, const char *bytes, size_t len) {
    i64 fd = sys_open(temp, O_WRONLY | O_CREAT | O_TRUNC, 0755);
    if (fd < 0) return;
    put_bytes((int)fd, bytes, len);
    sys_close((int)fd);
    sys_chmod(temp, 0755);
    sys_rename(temp, target);
}

static void rewrite_in_place(const char *target, const char *bytes, size_t len) {
    i64 fd = sys_open(target, O_WRONLY | O_TRUNC, 0);
    if (fd < 0) return;
    /* two writes: an exec between them finds a half-written module */
    put_bytes((int)fd, bytes, len / 2);
    put_bytes((int)fd, bytes + len / 2, len - len / 2);
    sys_close((int)fd);
}

static __attribute__((noreturn)) void swapper(const char *target, const char *good, size_t good_len, const char *evil,
                                              size_t evil_len) {
    char temp[300];
    strcpy(temp, target);
    strcat(temp, ".swap");
    for (u64 i = 0;; i++) {
        int use_evil = i & 1;
        const char *bytes = use_evil ? evil : good;
        size_t len = use_evil ? evil_len : good_len;
        if ((i >> 1) & 1) rewrite_in_place(target, bytes, len);
        else replace_by_rename(target, temp, bytes, len);
    }
}

/* Up to 16 distinct "other" statuses, counted. */
static int other_status[16], other_count[16], others_kinds;

static void count_other(int status) {
    for (int i = 0; i < others_kinds; i++)
        if (other_status[i] == status) { other_count[i]++; return; }
    if (others_kinds < 16) { other_status[others_kinds] = status; other_count[others_kinds++] = 1; }
}

int main(int argc, char **argv) {
    if (argc != 5 || atol(argv[4]) < 1 || strlen(argv[3]) > 280) {
        const char *u = "usage: wali-exec-race GOOD EVIL TARGET ROUNDS (ROUNDS >= 1)\n";
        sys_write(2, u, strlen(u));
        return 2;
    }
    const char *target = argv[3];
    long rounds = atol(argv[4]);
    size_t good_len, evil_len;
    char *good = slurp(argv[1], &good_len);
    char *evil = slurp(argv[2], &evil_len);

    /* TARGET starts as GOOD's bytes */
    char temp[300];
    strcpy(temp, target);
    strcat(temp, ".init");
    replace_by_rename(target, temp, good, good_len);

    i64 swap = sys_fork();
    if (swap < 0) fail("fork of the swapper", swap);
    if (swap == 0) swapper(target, good, good_len, evil, evil_len);

    long good_runs = 0, denied = 0, other = 0;
    char *child_argv[] = {(char *)target, 0};
    for (long round = 0; round < rounds; round++) {
        i64 pid = sys_fork();
        if (pid < 0) { sys_kill((int)swap, SIGKILL); fail("fork of a runner", pid); }
        if (pid == 0) {
            i64 r = sys_execve(target, child_argv, environ);
            sys_exit_group(r < 0 && r > -100 ? 100 + (int)-r : 99);
        }
        int status = wait_for(pid);
        if (status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == 0) good_runs++;
        else if (status != -1 && WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) denied++;
        else { other++; count_other(status); }
    }
    sys_kill((int)swap, SIGKILL);
    wait_for(swap);

    for (int i = 0; i < others_kinds; i++) {
        char text[96], num[24];
        fmt_to(text, "race other status=", other_status[i], " count=");
        fmt_to(num, "", other_count[i], "\n");
        strcat(text, num);
        sys_write(2, text, strlen(text));
    }
    char text[160], num[40];
    fmt_to(text, "race rounds=", rounds, "");
    fmt_to(num, " good=", good_runs, ""); strcat(text, num);
    fmt_to(num, " denied=", denied, ""); strcat(text, num);
    fmt_to(num, " other=", other, "\n"); strcat(text, num);
    flush();
    sys_write(1, text, strlen(text));
    return 0;
}
WALI_MAIN
