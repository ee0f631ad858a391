/*
 * attack-audit: attacks on the audit log itself (issue 15; `attack-audit TECHNIQUE [ARG]`; output:
 * see attack.h).
 *
 * audit-flood N [MS]      fork N children one after another, each exec'ing /bin/wali-hello with
 *                         16 arguments of 1 KiB (so every exec and process_exit event is large), in
 *                         the hope of filling the host's disk through the log; MS: a pause between
 *                         rounds (bench/audit-flood paces a flood with it). Under the audit budget
 *                         the container is stopped long before N; if the loop ends, the flood went
 *                         through unthrottled: "SURVIVED audit-flood unthrottled ret=N".
 * violation-flood N       fork N children one after another; each prints ATTEMPT and maps memory
 *                         executable (a violation: killed under kill-process). Counts the attempts
 *                         a log must hold: every one either recorded or the container stopped
 *                         before it reached the policy.
 * log-tamper LOG MARKER   the destroyed-log attack of issue 15: writes MARKER (proof that the guest
 *                         ran), keeps the first two lines of the host's audit log at LOG (visible
 *                         through a read-write mount), unlinks it, commits a violation in a child
 *                         (recorded into the unlinked file), then writes the two lines back as a
 *                         shorter chain that still verifies. nojit run refuses such a layout
 *                         before anything runs, so MARKER never appears.
 */
#include "attack.h"

static i64 number(const char *s) {
    i64 n = 0;
    while (*s >= '0' && *s <= '9') n = n * 10 + (*s++ - '0');
    return n;
}

static void run_child(char *const *argv) {
    i64 pid = sys_fork();
    if (pid < 0) setup_failed("fork", pid);
    if (pid == 0) {
        i64 r = sys_execve(argv[0], argv, environ);
        exit(r < 0 ? 120 : 0);
    }
    int status;
    while (sys_wait4((int)pid, &status, 0, 0) == -EINTR) {}
}

static void exec_flood(i64 rounds, i64 pause_ms) {
    enum { ARGS = 16, EACH = 1024 };
    char **big = alloc((ARGS + 2) * sizeof(char *));
    if (!big) setup_failed("alloc", -ENOMEM);
    big[0] = "/bin/wali-hello";
    for (int i = 1; i <= ARGS; i++) {
        big[i] = alloc(EACH);
        if (!big[i]) setup_failed("alloc", -ENOMEM);
        __builtin_memset(big[i], 'A' + i % 26, EACH - 1);
        big[i][EACH - 1] = 0;
    }
    big[ARGS + 1] = 0;
    attempt();
    for (i64 n = 0; n < rounds; n++) {
        run_child(big);
        if (pause_ms > 0) sleep_ms((long)pause_ms);
    }
    survived("unthrottled", rounds);
}

static void violation_flood(i64 rounds) {
    for (i64 n = 0; n < rounds; n++) {
        i64 pid = sys_fork();
        if (pid < 0) setup_failed("fork", pid);
        if (pid == 0) {
            attempt();
            i64 r = sys_mmap(0, 65536, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
            survived("mmap-exec", r);
        }
        int status;
        while (sys_wait4((int)pid, &status, 0, 0) == -EINTR) {}
    }
    result(rounds);
}

static void log_tamper(const char *log, const char *marker) {
    write_file(marker, "ran\n", 4, 0644);
    size_t len;
    char *text = slurp(log, &len);
    size_t keep = 0;
    for (int lines = 0; keep < len && lines < 2; keep++) if (text[keep] == '\n') lines++;
    i64 r = sys_unlink(log);
    if (r < 0) setup_failed("unlink", r);
    i64 pid = sys_fork();
    if (pid == 0) {
        attempt();
        sys_mmap(0, 65536, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        exit(0);
    }
    int status;
    while (sys_wait4((int)pid, &status, 0, 0) == -EINTR) {}
    write_file(log, text, keep, 0600);
    survived("log-rewritten", (i64)keep);
}

int main(int argc, char **argv) {
    if (argc < 2) usage("attack-audit", "no technique");
    technique = argv[1];
    const char *t = technique;
    if (!strcmp(t, "audit-flood")) exec_flood(argc > 2 ? number(argv[2]) : 40, argc > 3 ? number(argv[3]) : 0);
    else if (!strcmp(t, "violation-flood")) violation_flood(argc > 2 ? number(argv[2]) : 40);
    else if (!strcmp(t, "log-tamper") && argc > 3) log_tamper(argv[2], argv[3]);
    usage("attack-audit", "unknown technique");
}
WALI_MAIN
