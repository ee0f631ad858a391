/*
 * wali-execcheck: the interpreter hooks of issue 16 as a guest sees them (ExecCheckTest runs it
 * under scripts: via-interpreter and manifest-only). It stands in for an interpreter: started as
 * `wali-execcheck /opt/own.sh MODE`, the script operand is its listed script (the manifest-only
 * bundle describes it with the bash profile) and MODE, the last argument, says what to do.
 *
 *   wali-execcheck checks     execveat(..., AT_EXECVE_CHECK) on a listed executable (by fd and by
 *                             path), the listed script /opt/listed.sh (#!/bin/wali-echo), /opt/own.sh
 *                             (listed for wali-execcheck itself, no #! line), a directory, a pipe,
 *                             /dev/null, a copy of a listed module without x bits, bad flag words;
 *                             then, each in a child (manifest-only kills it), an unlisted text file
 *                             (mode 0644, as `echo > file` leaves it) and an unlisted module (0755).
 *                             One line "check NAME ret=R" each; "child NAME exited N|killed S".
 *   wali-execcheck bits       prctl(PR_GET/SET_SECUREBITS): reads, tries to clear, sets, then shows
 *                             the bits in a forked child and after execve of itself ("bits-exec").
 */
#include "technique.h"

IMPORT(SYS_prctl) i64 sys_prctl(int option, u64 arg2, u64 arg3, u64 arg4, u64 arg5);

enum { AT_EXECVE_CHECK = 0x10000, PR_GET_SECUREBITS = 27, PR_SET_SECUREBITS = 28 };
enum { SECBIT_KEEP_CAPS = 0x10, EXEC_BITS_LOCKED = 0xf00 };

static void line(const char *what, const char *name, i64 r) {
    char buf[200];
    strcpy(buf, what);
    strcat(buf, " ");
    strcat(buf, name);
    char num[40];
    fmt_to(num, " ret=", r, "\n");
    strcat(buf, num);
    flush();
    sys_write(1, buf, strlen(buf));
}

static i64 check_fd(int fd, int extra) { return sys_execveat(fd, "", 0, 0, AT_EMPTY_PATH | AT_EXECVE_CHECK | extra); }

static void check_path(const char *name, const char *path, int flags) {
    i64 fd = sys_open(path, flags, 0);
    if (fd < 0) {
        line("open-failed", name, fd);
        exit(3);
    }
    line("check", name, check_fd((int)fd, 0));
    sys_close((int)fd);
}

/* An unlisted file checked in a child: under manifest-only the check is a violation that kills the child. */
static void check_in_child(const char *name, const char *path) {
    i64 pid = sys_fork();
    if (pid == 0) {
        check_path(name, path, O_RDONLY);
        exit(0);
    }
    int status = wait_for(pid);
    char buf[120];
    strcpy(buf, "child ");
    strcat(buf, name);
    char num[40];
    if (WIFSIGNALED(status)) fmt_to(num, " killed ", WTERMSIG(status), "\n");
    else fmt_to(num, " exited ", WEXITSTATUS(status), "\n");
    strcat(buf, num);
    flush();
    sys_write(1, buf, strlen(buf));
}

static void checks(void) {
    check_path("listed-exe-fd", "/bin/wali-hello", O_RDONLY);
    line("check", "listed-exe-path", sys_execveat(AT_FDCWD, "/bin/wali-hello", 0, 0, AT_EXECVE_CHECK));
    check_path("listed-script", "/opt/listed.sh", O_RDONLY);
    check_path("own-script", "/opt/own.sh", O_RDONLY);
    check_path("directory", "/tmp", O_RDONLY | O_DIRECTORY);
    int p[2];
    if (sys_pipe(p) < 0) exit(3);
    line("check", "pipe", check_fd(p[0], 0));
    check_path("device", "/dev/null", O_RDONLY);
    copy_file("/bin/wali-hello", "/tmp/hello-no-x", 0644);
    check_path("listed-no-x", "/tmp/hello-no-x", O_RDONLY);
    i64 hello = sys_open("/bin/wali-hello", O_RDONLY, 0);
    line("check", "unknown-flag", check_fd((int)hello, 0x8));
    line("check", "top-flag-bit", check_fd((int)hello, (int)0x80000000));
    line("check", "empty-path-without-flag", sys_execveat((int)hello, "", 0, 0, AT_EXECVE_CHECK));
    write_file("/tmp/notes.sh", "echo pwned\n", 11, 0644); /* as `echo ... > /tmp/notes.sh` leaves it */
    check_in_child("unlisted-text", "/tmp/notes.sh");
    check_in_child("unlisted-module", "/opt/payload/evil-x");
    puts_("checks done\n");
}

static i64 set_bits(u64 v) { return sys_prctl(PR_SET_SECUREBITS, v, 0, 0, 0); }
static i64 get_bits(void) { return sys_prctl(PR_GET_SECUREBITS, 0, 0, 0, 0); }

static void bits(void) {
    i64 start = get_bits();
    line("bits", "start", start);
    line("bits", "clear", set_bits(0));
    line("bits", "unknown-bit", set_bits((u64)start | 0x1000));
    line("bits", "high-word", set_bits((u64)start | (1ULL << 32)));
    line("bits", "set-exec-locked", set_bits(EXEC_BITS_LOCKED | SECBIT_KEEP_CAPS));
    line("bits", "unlock", set_bits(SECBIT_KEEP_CAPS | 0x500));
    line("bits", "now", get_bits());
    i64 pid = sys_fork();
    if (pid == 0) {
        line("bits", "child", get_bits());
        exit(0);
    }
    wait_for(pid);
    char *argv[] = {"/bin/wali-execcheck", "/opt/own.sh", "bits-exec", 0};
    i64 r = sys_execve("/bin/wali-execcheck", argv, 0);
    line("bits", "execve-failed", r);
    exit(1);
}

int main(int argc, char **argv) {
    if (argc < 2) {
        write_all(2, "usage: wali-execcheck [SCRIPT] checks|bits\n");
        return 2;
    }
    const char *mode = argv[argc - 1];
    if (!strcmp(mode, "checks")) checks();
    else if (!strcmp(mode, "bits")) bits();
    else if (!strcmp(mode, "bits-exec")) line("bits", "after-exec", get_bits());
    else {
        write_all(2, "wali-execcheck: unknown mode\n");
        return 2;
    }
    return 0;
}

WALI_MAIN
