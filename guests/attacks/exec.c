/*
 * attack-exec: ways to start code the manifest does not list (the code entry points of the
 * enforcement issue), one per run: `attack-exec TECHNIQUE`. Output: see attack.h.
 *
 * The payload is /data/payload.wasm (attack-payload, a data file in the bundle) or
 * /data/downloaded.elf (an x86-64 ELF header and some bytes); "staging" copies it to /tmp and
 * makes it executable, as a downloader would. Every exec passes argv {PATH, TECHNIQUE}, so a
 * payload that runs prints "SURVIVED TECHNIQUE payload-ran". An exec that returns prints
 * "RESULT TECHNIQUE ret=-errno".
 *
 * downloaded-elf, downloaded-wasm      stage and execve (kill-container-exec: the same, under kill-container)
 * written-script                       write "#!/bin/sh" script, chmod +x, execve
 * unlisted-script-approved-interp      a written script whose #! names the approved interpreter
 * script-operand                       execve the approved interpreter with a written script (manifest-only)
 * interpreter-inline-code              execve the approved interpreter -c CODE (manifest-only)
 * exec-symlink, exec-hardlink          execve a symlink / hard link to the staged payload
 * exec-rename-chain                    stage under a temporary name, rename twice, execve
 * execveat-dirfd                       execveat(open("/tmp"), "payload", 0)
 * execveat-empty-path                  execveat(open(payload), "", AT_EMPTY_PATH)
 * proc-self-fd                         execve("/proc/self/fd/N") of an open payload
 * memfd-execveat, memfd-proc-self-fd   the payload's bytes in a memfd, executed by fd / by /proc path
 * swapped-interpreter                  overwrite the listed script's interpreter, run the script
 * text-file-enoexec, text-file-manifest-only   execve a chmod +x text file without #!
 * noexec-mode                          execve a copy of an approved program with mode 0644 (EACCES)
 * exec-missing, exec-directory         execve a missing path (ENOENT), a directory (EACCES)
 * exec-race                            execve a file another process keeps rewriting (12 rounds)
 * path-too-long                        execve a 5000-byte path (ENAMETOOLONG)
 * path-nul-truncated                   "/tmp/payload\0/bin/wali-hello": the kernel reads to the NUL
 * dotdot-escape                        "../../../../../../tmp/payload" from /tmp
 * dotdot-host-binary                   "/../../../../usr/bin/env": no host file is reachable (ENOENT)
 * symlink-loop                         execve a symlink cycle (ELOOP)
 * control-approved-copy                a copy of an approved program runs (content addressing)
 * control-listed-script                the listed script runs with its interpreter
 */
#include "attack.h"
#include "exec-race.h"

enum { MFD_CLOEXEC = 1 };

static const char *PAYLOAD = "/tmp/payload";

static void stage(void) { copy_file("/data/payload.wasm", PAYLOAD, 0755); }

static __attribute__((noreturn)) void exec_as(const char *path, const char *shown) {
    char *argv[] = {(char *)shown, (char *)technique, 0};
    attempt();
    result(sys_execve(path, argv, environ));
}

static __attribute__((noreturn)) void exec_path(const char *path) { exec_as(path, path); }

static __attribute__((noreturn)) void exec_argv(char **argv) {
    attempt();
    result(sys_execve(argv[0], argv, environ));
}

static __attribute__((noreturn)) void exec_fd_empty(int fd) {
    char *argv[] = {"payload", (char *)technique, 0};
    attempt();
    result(sys_execveat(fd, "", argv, environ, AT_EMPTY_PATH));
}

static __attribute__((noreturn)) void exec_fd_proc(int fd) {
    char path[64];
    fmt_to(path, "/proc/self/fd/", fd, "");
    exec_as(path, "payload");
}

/* The staged payload, open for reading. */
static int open_payload(void) {
    stage();
    i64 fd = sys_open(PAYLOAD, O_RDONLY, 0);
    if (fd < 0) setup_failed("open", fd);
    return (int)fd;
}

/* LINK: a second name for the staged payload, a hard link or a symlink. */
static void link_payload(const char *link, int hard) {
    stage();
    sys_unlink(link);
    i64 r = hard ? sys_link(PAYLOAD, link) : sys_symlink(PAYLOAD, link);
    if (r < 0) setup_failed(hard ? "link" : "symlink", r);
}

static int memfd_payload(void) { return memfd_with("/data/payload.wasm", MFD_CLOEXEC); }

static void write_text(const char *path, const char *text) { write_file(path, text, strlen(text), 0755); }

/* exec-race (include/exec-race.h): the gate must run exactly the bytes it hashed. */
static __attribute__((noreturn)) void exec_race(void) {
    enum { ROUNDS = 12 };
    const char *target = "/tmp/race";
    size_t good_len, evil_len;
    char *good = slurp("/bin/wali-hello", &good_len);
    char *evil = slurp("/data/payload.wasm", &evil_len);
    char *argv[] = {(char *)target, (char *)technique, 0};
    struct race_tally tally = {0};
    attempt();
    race_run(target, argv, ROUNDS, good, good_len, evil, evil_len, &tally);
    step("good", tally.good);
    step("denied", tally.denied);
    step("other", tally.other);
    result(ROUNDS);
}

int main(int argc, char **argv) {
    if (argc < 2) usage("attack-exec", "no technique");
    technique = argv[1];
    const char *t = technique;
    if (!strcmp(t, "downloaded-elf")) {
        copy_file("/data/downloaded.elf", "/tmp/downloaded", 0755);
        exec_path("/tmp/downloaded");
    } else if (!strcmp(t, "downloaded-wasm") || !strcmp(t, "kill-container-exec")) {
        stage();
        exec_path(PAYLOAD);
    } else if (!strcmp(t, "written-script")) {
        write_text("/tmp/evil.sh", "#!/bin/sh\necho pwned\n");
        exec_path("/tmp/evil.sh");
    } else if (!strcmp(t, "unlisted-script-approved-interp")) {
        write_text("/tmp/evil.sh", "#!/bin/wali-echo\necho pwned\n");
        exec_path("/tmp/evil.sh");
    } else if (!strcmp(t, "script-operand")) {
        write_text("/tmp/evil.sh", "echo pwned\n");
        char *a[] = {"/bin/wali-echo", "/tmp/evil.sh", 0};
        exec_argv(a);
    } else if (!strcmp(t, "interpreter-inline-code")) {
        char *a[] = {"/bin/wali-echo", "-c", "echo pwned", 0};
        exec_argv(a);
    } else if (!strcmp(t, "exec-symlink")) {
        link_payload("/tmp/link", 0);
        exec_path("/tmp/link");
    } else if (!strcmp(t, "exec-hardlink")) {
        link_payload("/tmp/hard", 1);
        exec_path("/tmp/hard");
    } else if (!strcmp(t, "exec-rename-chain")) {
        copy_file("/data/payload.wasm", "/tmp/a.part", 0755);
        i64 r = sys_rename("/tmp/a.part", "/tmp/b.part");
        if (r < 0) setup_failed("rename", r);
        r = sys_rename("/tmp/b.part", "/tmp/final");
        if (r < 0) setup_failed("rename", r);
        exec_path("/tmp/final");
    } else if (!strcmp(t, "execveat-dirfd")) {
        stage();
        i64 dir = sys_open("/tmp", O_RDONLY | O_DIRECTORY, 0);
        if (dir < 0) setup_failed("open", dir);
        char *a[] = {"payload", (char *)technique, 0};
        attempt();
        result(sys_execveat((int)dir, "payload", a, environ, 0));
    } else if (!strcmp(t, "execveat-empty-path")) {
        exec_fd_empty(open_payload());
    } else if (!strcmp(t, "proc-self-fd")) {
        exec_fd_proc(open_payload());
    } else if (!strcmp(t, "memfd-execveat")) {
        exec_fd_empty(memfd_payload());
    } else if (!strcmp(t, "memfd-proc-self-fd")) {
        exec_fd_proc(memfd_payload());
    } else if (!strcmp(t, "swapped-interpreter")) {
        copy_file("/bin/wali-hello", "/bin/wali-echo", 0755);
        exec_path("/opt/tools/listed.sh");
    } else if (!strcmp(t, "text-file-enoexec") || !strcmp(t, "text-file-manifest-only")) {
        write_text("/tmp/notes", "just some notes, no #! line\n");
        exec_path("/tmp/notes");
    } else if (!strcmp(t, "noexec-mode")) {
        copy_file("/bin/wali-hello", "/tmp/hello", 0644);
        exec_path("/tmp/hello");
    } else if (!strcmp(t, "exec-missing")) {
        exec_path("/no/such/program");
    } else if (!strcmp(t, "exec-directory")) {
        exec_path("/tmp");
    } else if (!strcmp(t, "exec-race")) {
        exec_race();
    } else if (!strcmp(t, "path-too-long")) {
        enum { LEN = 5000 };
        char *p = alloc(LEN + 1);
        p[0] = '/';
        for (int i = 1; i < LEN; i++) p[i] = (i % 2) ? 'a' : '/';
        p[LEN - 1] = 'x';
        p[LEN] = 0;
        exec_as(p, "long");
    } else if (!strcmp(t, "path-nul-truncated")) {
        stage();
        static const char p[] = "/tmp/payload\0/bin/wali-hello";
        exec_as(p, "payload");
    } else if (!strcmp(t, "dotdot-escape")) {
        stage();
        i64 r = sys_chdir("/tmp");
        if (r < 0) setup_failed("chdir", r);
        exec_path("../../../../../../../../tmp/payload");
    } else if (!strcmp(t, "dotdot-host-binary")) {
        exec_path("/../../../../../usr/bin/env");
    } else if (!strcmp(t, "symlink-loop")) {
        sys_unlink("/tmp/loop-a");
        sys_unlink("/tmp/loop-b");
        if (sys_symlink("/tmp/loop-b", "/tmp/loop-a") < 0 || sys_symlink("/tmp/loop-a", "/tmp/loop-b") < 0) setup_failed("symlink", -1);
        exec_path("/tmp/loop-a");
    } else if (!strcmp(t, "control-approved-copy")) {
        copy_file("/bin/wali-hello", "/tmp/hello-copy", 0755);
        exec_path("/tmp/hello-copy");
    } else if (!strcmp(t, "control-listed-script")) {
        exec_path("/opt/tools/listed.sh");
    }
    usage("attack-exec", "unknown technique");
}
WALI_MAIN
