/*
 * attack-memory: ways to get executable memory, or to change another process's code, or to load
 * kernel code (the memory paths of the enforcement issue), one per run: `attack-memory TECHNIQUE`.
 * Output: see attack.h. Every decisive call here is one the policy must answer by killing the
 * caller, so if it returns at all the program prints "SURVIVED TECHNIQUE returned ret=R".
 *
 * mmap-exec, mmap-rwx, mmap-file-exec   mmap with PROT_EXEC (anonymous, RWX, of a file)
 * mprotect-exec, pkey-mprotect          RW memory made PROT_EXEC
 * mremap-mprotect                       RW memory moved by mremap, then mprotect PROT_EXEC
 * personality-rie                       personality(READ_IMPLIES_EXEC)
 * shmat-exec                            shmat(SHM_EXEC)
 * memfd-mfd-exec                        memfd_create(MFD_EXEC)
 * proc-self-mem                         open("/proc/self/mem", O_RDWR)
 * init-module, finit-module, kexec-load, bpf-prog-load   loading kernel or BPF code
 * The next four fork: the child attacks its parent, the parent reports "STEP T child=S" (S the
 * wait status: 9 = SIGKILL) and whether its victim word changed ("SURVIVED T victim-changed").
 * proc-parent-mem                       the child opens /proc/PPID/mem for writing
 * process-vm-writev                     the child writes the parent's victim word
 * ptrace-poke, ptrace-attach            the child ptraces its parent
 * kill-container-mmap                   a forked sibling sleeps; the parent asks for mmap PROT_EXEC
 *                                       (under kill-container nothing may print after the attempt:
 *                                       the sibling prints "SURVIVED T sibling-ran-on" if it wakes)
 */
#include "attack.h"

enum { PAGE = 4096, READ_IMPLIES_EXEC = 0x0400000, IPC_PRIVATE = 0, IPC_CREAT = 01000, SHM_EXEC = 0100000,
       MFD_EXEC = 0x10, PTRACE_POKEDATA = 5, PTRACE_ATTACH = 16 };

static volatile u32 victim = 0x11111111;

static i64 anon_rw(size_t len) {
    i64 r = sys_mmap(0, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (MAP_FAILED_ADDR(r)) setup_failed("mmap", r);
    return r;
}

static __attribute__((noreturn)) void returned(i64 r) { survived("returned", r); }

/* The attacks a forked child makes on its parent. */
static __attribute__((noreturn)) void on_parent(const char *t) {
    int parent = (int)sys_getppid();
    if (!strcmp(t, "proc-parent-mem")) {
        char path[64];
        fmt_to(path, "/proc/", parent, "/mem");
        attempt();
        returned(sys_open(path, O_WRONLY, 0));
    } else if (!strcmp(t, "process-vm-writev")) {
        static u32 evil = 0x66666666;
        struct iovec local = {(u32)(size_t)&evil, 4}, remote = {(u32)(size_t)&victim, 4};
        attempt();
        returned(sys_process_vm_writev(parent, &local, 1, &remote, 1, 0));
    } else if (!strcmp(t, "ptrace-poke")) {
        attempt();
        returned(sys_ptrace(PTRACE_POKEDATA, parent, (void *)&victim, (void *)(size_t)0x66666666));
    }
    attempt();
    returned(sys_ptrace(PTRACE_ATTACH, parent, 0, 0));
}

static __attribute__((noreturn)) void forked(const char *t) {
    i64 pid = sys_fork();
    if (pid < 0) setup_failed("fork", pid);
    if (pid == 0) on_parent(t);
    int status = wait_for(pid);
    step("child", status);
    if (victim != 0x11111111) survived("victim-changed", victim);
    result(0);
}

static __attribute__((noreturn)) void kill_container(void) {
    i64 pid = sys_fork();
    if (pid < 0) setup_failed("fork", pid);
    if (pid == 0) {
        sleep_ms(400);
        survived("sibling-ran-on", 0);
    }
    sleep_ms(50);
    attempt();
    returned(sys_mmap(0, PAGE, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
}

int main(int argc, char **argv) {
    if (argc < 2) usage("attack-memory", "no technique");
    technique = argv[1];
    const char *t = technique;
    i64 r;
    if (!strcmp(t, "mmap-exec")) {
        attempt();
        r = sys_mmap(0, PAGE, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    } else if (!strcmp(t, "mmap-rwx")) {
        attempt();
        r = sys_mmap(0, PAGE, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    } else if (!strcmp(t, "mmap-file-exec")) {
        i64 fd = sys_open("/etc/motd", O_RDONLY, 0);
        if (fd < 0) setup_failed("open", fd);
        attempt();
        r = sys_mmap(0, PAGE, PROT_READ | PROT_EXEC, MAP_PRIVATE, (int)fd, 0);
    } else if (!strcmp(t, "mprotect-exec")) {
        i64 m = anon_rw(PAGE);
        attempt();
        r = sys_mprotect((void *)(size_t)m, PAGE, PROT_READ | PROT_EXEC);
    } else if (!strcmp(t, "pkey-mprotect")) {
        i64 m = anon_rw(PAGE);
        attempt();
        r = sys_pkey_mprotect((void *)(size_t)m, PAGE, PROT_READ | PROT_EXEC, 0);
    } else if (!strcmp(t, "mremap-mprotect")) {
        i64 m = anon_rw(PAGE);
        i64 moved = sys_mremap((void *)(size_t)m, PAGE, 4 * PAGE, MREMAP_MAYMOVE, 0);
        if (MAP_FAILED_ADDR(moved)) setup_failed("mremap", moved);
        attempt();
        r = sys_mprotect((void *)(size_t)moved, 4 * PAGE, PROT_READ | PROT_EXEC);
    } else if (!strcmp(t, "personality-rie")) {
        attempt();
        r = sys_personality(READ_IMPLIES_EXEC);
    } else if (!strcmp(t, "shmat-exec")) {
        i64 id = sys_shmget(IPC_PRIVATE, PAGE, IPC_CREAT | 0600);
        attempt();
        r = sys_shmat(id < 0 ? 0 : (int)id, 0, SHM_EXEC);
    } else if (!strcmp(t, "memfd-mfd-exec")) {
        attempt();
        r = sys_memfd_create("x", MFD_EXEC);
    } else if (!strcmp(t, "proc-self-mem")) {
        attempt();
        r = sys_open("/proc/self/mem", O_RDWR, 0);
    } else if (!strcmp(t, "init-module")) {
        static const char image[64] = {0x7f, 'E', 'L', 'F'};
        attempt();
        r = sys_init_module(image, sizeof image, "");
    } else if (!strcmp(t, "finit-module")) {
        i64 fd = sys_open("/etc/motd", O_RDONLY, 0);
        attempt();
        r = sys_finit_module((int)fd, "", 0);
    } else if (!strcmp(t, "kexec-load")) {
        attempt();
        r = sys_kexec_load(0, 0, 0, 0);
    } else if (!strcmp(t, "bpf-prog-load")) {
        static unsigned char attr[128];
        attempt();
        r = sys_bpf(5 /* BPF_PROG_LOAD */, attr, sizeof attr);
    } else if (!strcmp(t, "proc-parent-mem") || !strcmp(t, "process-vm-writev") || !strcmp(t, "ptrace-poke")
               || !strcmp(t, "ptrace-attach")) {
        forked(t);
    } else if (!strcmp(t, "kill-container-mmap")) {
        kill_container();
    } else {
        usage("attack-memory", "unknown technique");
    }
    returned(r);
}
WALI_MAIN
