/*
 * wali-exec-race: races execve against a file being replaced (issue 5: the hash gate must run
 * exactly the bytes it hashed).
 *
 *   wali-exec-race GOOD EVIL TARGET ROUNDS
 *
 * A forked "swapper" keeps replacing TARGET until it is killed, cycling through four writes:
 * GOOD's bytes by temp file + rename, EVIL's by rename, GOOD's rewritten in place
 * (open O_WRONLY|O_TRUNC, then write in two halves), EVIL's in place. Meanwhile the parent runs
 * ROUNDS rounds of: fork a child that execve's TARGET with argv {TARGET}; wait4 it; classify
 * (the race itself is include/exec-race.h, shared with attack-exec's exec-race):
 *   exited 0           good    (GOOD ran: it prints "MARKER good", exit 0)
 *   killed by signal 9 denied  (the vkernel's response to a violation)
 *   anything else      other   (execve failed on a half-written file: the child exits with
 *                              100 + errno; or EVIL ran: exit 66, and it printed "MARKER evil")
 * Then it kills the swapper and prints one line on stdout
 *   race rounds=N good=G denied=D other=O
 * and exits 0 (3 when the setup failed, with "SETUP-FAILED race STEP=R" on stdout; 2 on a
 * usage error). The children's stdout is the container's, so a test counts "MARKER evil" lines (there must be none). The "other" outcomes
 * are broken down on stderr: "race other status=S count=C", S the raw wait status.
 */
#include "exec-race.h"

int main(int argc, char **argv) {
    if (argc != 5 || atol(argv[4]) < 1 || strlen(argv[3]) > 280) {
        write_all(2, "usage: wali-exec-race GOOD EVIL TARGET ROUNDS (ROUNDS >= 1)\n");
        return 2;
    }
    technique = "race";
    const char *target = argv[3];
    long rounds = atol(argv[4]);
    size_t good_len, evil_len;
    char *good = slurp(argv[1], &good_len);
    char *evil = slurp(argv[2], &evil_len);
    char *child_argv[] = {(char *)target, 0};
    struct race_tally t = {0};
    race_run(target, child_argv, rounds, good, good_len, evil, evil_len, &t);

    for (int i = 0; i < t.other_kinds; i++) {
        char text[96], num[24];
        fmt_to(text, "race other status=", t.other_status[i], " count=");
        fmt_to(num, "", t.other_count[i], "\n");
        strcat(text, num);
        sys_write(2, text, strlen(text));
    }
    char text[160], num[40];
    fmt_to(text, "race rounds=", rounds, "");
    fmt_to(num, " good=", t.good, ""); strcat(text, num);
    fmt_to(num, " denied=", t.denied, ""); strcat(text, num);
    fmt_to(num, " other=", t.other, "\n"); strcat(text, num);
    flush();
    sys_write(1, text, strlen(text));
    return 0;
}
WALI_MAIN
