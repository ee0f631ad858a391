/*
 * attack-execcheck: the interpreter hooks of issue 16 (execveat AT_EXECVE_CHECK and the exec
 * securebits), one technique per run: `attack-execcheck TECHNIQUE`. Output: see attack.h. A check
 * that must be refused but answers 0 prints "SURVIVED TECHNIQUE check-passed": an interpreter
 * trusting that answer would run the file.
 *
 * exec-check-listed                    check /bin/wali-hello by descriptor (AT_EMPTY_PATH): 0
 * exec-check-listed-script             check the listed script /opt/tools/listed.sh: 0
 * exec-check-unlisted                  check a written, chmod +x /tmp/evil.sh (via-interpreter: EACCES)
 * exec-check-unlisted-manifest-only    the same under manifest-only: a violation
 * exec-check-sourced-manifest-only     check /tmp/unlisted.sh, text written mode 0644 as `. FILE` would read it
 * exec-check-memfd-manifest-only       check a memfd holding the payload module (manifest-only)
 * exec-check-directory, exec-check-pipe, exec-check-device   /tmp, a pipe, /dev/null: EACCES
 * exec-check-bad-flags                 AT_EXECVE_CHECK with a flag bit Linux does not define: EINVAL
 * securebits-locked                    manifest-only: PR_SET_SECUREBITS(0) on the locked exec bits
 * securebits-guest-sets                via-interpreter: the guest sets and locks the exec bits itself
 */
#include "attack.h"

IMPORT(SYS_prctl) i64 sys_prctl(int option, u64 arg2, u64 arg3, u64 arg4, u64 arg5);

enum { AT_EXECVE_CHECK = 0x10000, PR_GET_SECUREBITS = 27, PR_SET_SECUREBITS = 28, EXEC_BITS_LOCKED = 0xf00 };

static i64 check_fd(int fd, int extra) { return sys_execveat(fd, "", 0, 0, AT_EMPTY_PATH | AT_EXECVE_CHECK | extra); }

static int open_or_fail(const char *path, int flags) {
    i64 fd = sys_open(path, flags, 0);
    if (fd < 0) setup_failed("open", fd);
    return (int)fd;
}

/* The check of a file the gate must refuse: an answer of 0 would let an interpreter run it. */
static __attribute__((noreturn)) void refused_check(int fd) {
    attempt();
    i64 r = check_fd(fd, 0);
    if (r == 0) survived("check-passed", r);
    result(r);
}

static __attribute__((noreturn)) void plain_check(int fd, int extra) {
    attempt();
    result(check_fd(fd, extra));
}

static __attribute__((noreturn)) void securebits_locked(void) {
    step("bits", sys_prctl(PR_GET_SECUREBITS, 0, 0, 0, 0));
    attempt();
    i64 r = sys_prctl(PR_SET_SECUREBITS, 0, 0, 0, 0);
    if (r == 0) survived("locked-bits-cleared", r);
    result(r);
}

static __attribute__((noreturn)) void securebits_guest_sets(void) {
    step("bits", sys_prctl(PR_GET_SECUREBITS, 0, 0, 0, 0));
    attempt();
    i64 r = sys_prctl(PR_SET_SECUREBITS, EXEC_BITS_LOCKED, 0, 0, 0);
    if (r < 0) result(r);
    result(sys_prctl(PR_GET_SECUREBITS, 0, 0, 0, 0));
}

int main(int argc, char **argv) {
    if (argc < 2) usage("attack-execcheck", "no technique");
    technique = argv[1];
    const char *t = technique;
    if (!strcmp(t, "exec-check-listed")) {
        plain_check(open_or_fail("/bin/wali-hello", O_RDONLY), 0);
    } else if (!strcmp(t, "exec-check-listed-script")) {
        plain_check(open_or_fail("/opt/tools/listed.sh", O_RDONLY), 0);
    } else if (!strcmp(t, "exec-check-unlisted") || !strcmp(t, "exec-check-unlisted-manifest-only")) {
        static const char script[] = "#!/bin/wali-echo\necho pwned\n";
        write_file("/tmp/evil.sh", script, sizeof script - 1, 0755);
        refused_check(open_or_fail("/tmp/evil.sh", O_RDONLY));
    } else if (!strcmp(t, "exec-check-sourced-manifest-only")) {
        static const char text[] = "echo pwned\n";
        write_file("/tmp/unlisted.sh", text, sizeof text - 1, 0644);
        refused_check(open_or_fail("/tmp/unlisted.sh", O_RDONLY));
    } else if (!strcmp(t, "exec-check-memfd-manifest-only")) {
        refused_check(memfd_with("/data/payload.wasm", 0));
    } else if (!strcmp(t, "exec-check-directory")) {
        plain_check(open_or_fail("/tmp", O_RDONLY | O_DIRECTORY), 0);
    } else if (!strcmp(t, "exec-check-pipe")) {
        int p[2];
        i64 r = sys_pipe(p);
        if (r < 0) setup_failed("pipe", r);
        plain_check(p[0], 0);
    } else if (!strcmp(t, "exec-check-device")) {
        plain_check(open_or_fail("/dev/null", O_RDONLY), 0);
    } else if (!strcmp(t, "exec-check-bad-flags")) {
        plain_check(open_or_fail("/bin/wali-hello", O_RDONLY), 0x8);
    } else if (!strcmp(t, "securebits-locked")) {
        securebits_locked();
    } else if (!strcmp(t, "securebits-guest-sets")) {
        securebits_guest_sets();
    } else {
        usage("attack-execcheck", "unknown technique");
    }
}

WALI_MAIN
