/*
 * wali-violate: tries one technique of loading code or writing executable memory (issue 5), so
 * that a test can assert what the vkernel did about it.
 *
 *   wali-violate TECHNIQUE [ARGS…]          the process itself tries TECHNIQUE
 *   wali-violate --fork TECHNIQUE [ARGS…]   a forked child tries it; the parent reports how the
 *                                           child ended and that it is itself still running
 *
 * Output (stdout, each line one write):
 *   attempt TECHNIQUE             just before the decisive syscall (after any setup)
 *   survived TECHNIQUE ret=R      the decisive syscall returned R (decimal; -errno on failure);
 *                                 exit status 0. For the exec techniques R is execve's errno,
 *                                 since a successful exec never returns.
 *   setup-failed TECHNIQUE STEP=R   a preparatory call failed before the decisive one;
 *                                 exit status 3
 * With --fork, the parent then prints
 *   child TECHNIQUE exited=N | child TECHNIQUE signal=N
 *   parent alive victim=0x11111111   (victim: a word the memory-writing techniques aim at in
 *                                 their parent; any other value means a write got through)
 * and exits 0. Usage errors: a line on stderr, exit 2.
 *
 * Memory techniques (no ARGS unless shown): those of include/memory-attacks.h, shared with
 * `nojit simulate`'s attack-memory — mmap-exec, mmap-rwx, mmap-file-exec FILE, mprotect-exec,
 *   pkey-mprotect, mremap-mprotect, personality-rie, shmat-exec, memfd-mfd-exec, proc-self-mem,
 *   proc-parent-mem, process-vm-writev, ptrace-poke, ptrace-attach (the last four aim at
 *   getppid(): use --fork to give them a parent that is a guest), init-module, finit-module,
 *   kexec-load, bpf-prog-load — and personality-query (allowed: a query).
 * Code entry points (each then execs with argv {PATH, ARG…}: PATH the name it execs, the
 * optional trailing ARGs passed on):
 *   exec PATH, exec-copy SRC DST, exec-elf DST, exec-script DST INTERP, exec-symlink SRC LINK,
 *   exec-hardlink SRC LINK, exec-rename-chain SRC DST, execveat-path DIR NAME,
 *   execveat-empty SRC, fexecve-proc SRC, memfd-exec SRC, memfd-proc-exec SRC,
 *   exec-noexec-mode SRC DST (mode 0644: an ordinary EACCES, not a violation),
 *   exec-swapped-interp SRC INTERP SCRIPT (copies SRC over INTERP, then execs SCRIPT)
 */
#define TAG_ATTEMPT "attempt"
#define TAG_SETUP_FAILED "setup-failed"
#include "memory-attacks.h"

enum { MFD_CLOEXEC = 1 };

/* The decisive call returned R. */
static __attribute__((noreturn)) void survived(i64 r) {
    report("survived", "ret=", r, 1);
    exit(0);
}

static __attribute__((noreturn)) void usage(const char *why) {
    const char *a = "wali-violate: ", *b = "\nusage: wali-violate [--fork] TECHNIQUE [ARGS...] (see the source's header)\n";
    sys_write(2, a, strlen(a));
    sys_write(2, why, strlen(why));
    sys_write(2, b, strlen(b));
    exit(2);
}

static void remove_if_there(const char *path) { sys_unlink(path); }

/* ---- the exec techniques ---- */

static char **exec_args; /* the trailing ARGs, NULL-terminated */
static int exec_arg_count;

static char **argv_for(const char *path) {
    char **v = alloc((size_t)(exec_arg_count + 2) * sizeof(char *));
    v[0] = (char *)path;
    for (int i = 0; i < exec_arg_count; i++) v[i + 1] = exec_args[i];
    v[exec_arg_count + 1] = 0;
    return v;
}

static __attribute__((noreturn)) void exec_path(const char *path) {
    char **v = argv_for(path);
    attempt();
    survived(sys_execve(path, v, environ));
}

static __attribute__((noreturn)) void exec_fd_path(int fd, const char *shown) {
    char path[64];
    fmt_to(path, "/proc/self/fd/", fd, "");
    char **v = argv_for(shown);
    attempt();
    survived(sys_execve(path, v, environ));
}

static __attribute__((noreturn)) void exec_fd_empty(int fd, const char *shown) {
    char **v = argv_for(shown);
    attempt();
    survived(sys_execveat(fd, "", v, environ, AT_EMPTY_PATH));
}

/* A minimal x86-64 ELF executable header: 64 bytes, one program header announced (not present). */
static void elf_header(unsigned char *h) {
    __builtin_memset(h, 0, 64);
    static const unsigned char ident[] = {0x7f, 'E', 'L', 'F', 2, 1, 1, 0};
    __builtin_memcpy(h, ident, sizeof ident);
    h[16] = 2;                                    /* e_type ET_EXEC */
    h[18] = 0x3e;                                 /* e_machine x86-64 */
    h[20] = 1;                                    /* e_version */
    h[24] = 0x78; h[25] = 0x00; h[26] = 0x40;     /* e_entry 0x400078 */
    h[32] = 64;                                   /* e_phoff */
    h[52] = 64;                                   /* e_ehsize */
    h[54] = 56;                                   /* e_phentsize */
    h[56] = 1;                                    /* e_phnum */
}

static __attribute__((noreturn)) void code_technique(const char *t, char **a, int n) {
    if (!strcmp(t, "exec")) {
        exec_path(a[0]);
    } else if (!strcmp(t, "exec-copy")) {
        copy_file(a[0], a[1], 0755);
        exec_path(a[1]);
    } else if (!strcmp(t, "exec-elf")) {
        unsigned char h[64];
        elf_header(h);
        write_file(a[0], (const char *)h, sizeof h, 0755);
        exec_path(a[0]);
    } else if (!strcmp(t, "exec-script")) {
        char text[512];
        if (strlen(a[1]) > 400) usage("INTERP too long");
        strcpy(text, "#!");
        strcat(text, a[1]);
        strcat(text, "\necho hi\n");
        write_file(a[0], text, strlen(text), 0755);
        exec_path(a[0]);
    } else if (!strcmp(t, "exec-symlink")) {
        remove_if_there(a[1]);
        i64 r = sys_symlink(a[0], a[1]);
        if (r < 0) setup_failed("symlink", r);
        exec_path(a[1]);
    } else if (!strcmp(t, "exec-hardlink")) {
        remove_if_there(a[1]);
        i64 r = sys_link(a[0], a[1]);
        if (r < 0) setup_failed("link", r);
        exec_path(a[1]);
    } else if (!strcmp(t, "exec-rename-chain")) {
        char first[300], second[300];
        if (strlen(a[1]) > 280) usage("DST too long");
        strcpy(first, a[1]); strcat(first, ".part1");
        strcpy(second, a[1]); strcat(second, ".part2");
        copy_file(a[0], first, 0755);
        i64 r = sys_rename(first, second);
        if (r < 0) setup_failed("rename-1", r);
        r = sys_rename(second, a[1]);
        if (r < 0) setup_failed("rename-2", r);
        exec_path(a[1]);
    } else if (!strcmp(t, "execveat-path")) {
        i64 dir = sys_open(a[0], O_RDONLY | O_DIRECTORY, 0);
        if (dir < 0) setup_failed("open-dir", dir);
        char **v = argv_for(a[1]);
        attempt();
        survived(sys_execveat((int)dir, a[1], v, environ, 0));
    } else if (!strcmp(t, "execveat-empty")) {
        i64 fd = sys_open(a[0], O_RDONLY, 0);
        if (fd < 0) setup_failed("open-source", fd);
        exec_fd_empty((int)fd, a[0]);
    } else if (!strcmp(t, "fexecve-proc")) {
        i64 fd = sys_open(a[0], O_RDONLY, 0);
        if (fd < 0) setup_failed("open-source", fd);
        exec_fd_path((int)fd, a[0]);
    } else if (!strcmp(t, "memfd-exec")) {
        exec_fd_empty(memfd_with(a[0], MFD_CLOEXEC), a[0]);
    } else if (!strcmp(t, "memfd-proc-exec")) {
        exec_fd_path(memfd_with(a[0], 0), a[0]);
    } else if (!strcmp(t, "exec-swapped-interp")) {
        /* overwrite a listed script's interpreter with another listed module, then run the script */
        copy_file(a[0], a[1], 0755);
        exec_path(a[2]);
    } else if (!strcmp(t, "exec-noexec-mode")) {
        copy_file(a[0], a[1], 0644);
        exec_path(a[1]);
    }
    (void)n;
    usage("unknown technique");
}

/* ---- the memory techniques ---- */

static __attribute__((noreturn)) void memory_technique(const char *t, char **a) {
    if (!strcmp(t, "personality-query")) {
        attempt();
        survived(sys_personality(0xffffffffu));
    }
    survived(memory_attack(t, a[0]));
}

/* Technique name and how many ARGS it needs; -1 for an unknown name. */
static int required_args(const char *t) {
    static const struct { const char *name; int args; } table[] = {
        {"mmap-file-exec", 1}, {"personality-query", 0},
        {"exec", 1}, {"exec-copy", 2}, {"exec-elf", 1}, {"exec-script", 2}, {"exec-symlink", 2},
        {"exec-hardlink", 2}, {"exec-rename-chain", 2}, {"execveat-path", 2}, {"execveat-empty", 1},
        {"fexecve-proc", 1}, {"memfd-exec", 1}, {"memfd-proc-exec", 1}, {"exec-noexec-mode", 2},
        {"exec-swapped-interp", 3},
    };
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        if (!strcmp(table[i].name, t)) return table[i].args;
    return is_memory_technique(t) ? 0 : -1;
}

static int is_exec_technique(const char *t) {
    return starts_with(t, "exec") || starts_with(t, "fexecve") || (starts_with(t, "memfd-") && strcmp(t, "memfd-mfd-exec"));
}

static __attribute__((noreturn)) void run(char **a, int n) {
    technique = a[0];
    int need = required_args(technique);
    if (need < 0) usage("unknown technique");
    if (n - 1 < need) usage("missing arguments for this technique");
    if (is_exec_technique(technique)) {
        exec_args = a + 1 + need;
        exec_arg_count = n - 1 - need;
        code_technique(technique, a + 1, n - 1);
    }
    if (n - 1 > need) usage("too many arguments for this technique");
    memory_technique(technique, a + 1);
}

int main(int argc, char **argv) {
    if (argc < 2) usage("no technique");
    if (strcmp(argv[1], "--fork")) run(argv + 1, argc - 1);
    if (argc < 3) usage("no technique after --fork");
    technique = argv[2];
    i64 pid = sys_fork();
    if (pid < 0) setup_failed("fork", pid);
    if (pid == 0) run(argv + 2, argc - 2);
    int status = wait_for(pid);
    if (status == -1) report("child", "wait4-failed", 0, 0);
    else if (WIFSIGNALED(status)) report("child", "signal=", WTERMSIG(status), 1);
    else report("child", "exited=", WEXITSTATUS(status), 1);
    flush();
    say("parent alive victim=");
    putx(victim);
    say("\n");
    return 0;
}
WALI_MAIN
