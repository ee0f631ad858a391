/*
 * memory-attacks.h: the one implementation of the memory techniques of the enforcement issue —
 * ways to get executable memory, to change another process's memory, or to load kernel code —
 * shared by wali-violate (enforcement tests) and attack-memory (`nojit simulate`). Each does its
 * setup, attempt(), then the decisive syscall, and returns what that call returned: under the
 * policy every one of them kills the caller, so a return at all means the technique got through.
 *
 * mmap-exec, mmap-rwx, mmap-file-exec   mmap with PROT_EXEC (anonymous, RWX, of a file)
 * mprotect-exec, pkey-mprotect          RW memory made PROT_EXEC
 * mremap-mprotect                       RW memory moved by mremap, then mprotect PROT_EXEC
 * personality-rie                       personality(READ_IMPLIES_EXEC)
 * shmat-exec                            shmat(SHM_EXEC)
 * memfd-mfd-exec                        memfd_create(MFD_EXEC)
 * proc-self-mem                         open("/proc/self/mem", O_RDWR)
 * init-module, finit-module, kexec-load, bpf-prog-load   loading kernel or BPF code
 * The parent attacks aim at getppid() (its word `victim`, at the same address after fork):
 * proc-parent-mem                       open /proc/PPID/mem for writing
 * process-vm-writev                     process_vm_writev into the parent's victim word
 * ptrace-poke, ptrace-attach            ptrace the parent
 */
#ifndef NOJIT_MEMORY_ATTACKS_H
#define NOJIT_MEMORY_ATTACKS_H
#include "technique.h"

enum { PAGE = 4096, READ_IMPLIES_EXEC = 0x0400000, IPC_PRIVATE = 0, IPC_CREAT = 01000, SHM_EXEC = 0100000,
       MFD_EXEC = 0x10, PTRACE_POKEDATA = 5, PTRACE_ATTACH = 16 };

/* The word the parent attacks try to change in their parent; any other value means a write got through. */
static volatile u32 victim = 0x11111111;

static const char *const MEMORY_TECHNIQUES[] = {
    "mmap-exec", "mmap-rwx", "mmap-file-exec", "mprotect-exec", "pkey-mprotect", "mremap-mprotect",
    "personality-rie", "shmat-exec", "memfd-mfd-exec", "proc-self-mem", "init-module", "finit-module",
    "kexec-load", "bpf-prog-load", "proc-parent-mem", "process-vm-writev", "ptrace-poke", "ptrace-attach",
};

static int is_memory_technique(const char *t) {
    for (size_t i = 0; i < sizeof MEMORY_TECHNIQUES / sizeof MEMORY_TECHNIQUES[0]; i++)
        if (!strcmp(MEMORY_TECHNIQUES[i], t)) return 1;
    return 0;
}

/* The techniques that attack the caller's parent. */
static __attribute__((unused)) int is_parent_attack(const char *t) {
    return !strcmp(t, "proc-parent-mem") || !strcmp(t, "process-vm-writev") || !strcmp(t, "ptrace-poke")
           || !strcmp(t, "ptrace-attach");
}

static i64 anon_rw(size_t len) {
    i64 r = sys_mmap(0, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (MAP_FAILED_ADDR(r)) setup_failed("mmap", r);
    return r;
}

/* Runs memory technique T (one of MEMORY_TECHNIQUES; FILE is what mmap-file-exec maps) and returns
 * the decisive call's result. */
static i64 memory_attack(const char *t, const char *file) {
    if (!strcmp(t, "mmap-exec")) {
        attempt();
        return sys_mmap(0, PAGE, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    } else if (!strcmp(t, "mmap-rwx")) {
        attempt();
        return sys_mmap(0, PAGE, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    } else if (!strcmp(t, "mmap-file-exec")) {
        i64 fd = sys_open(file, O_RDONLY, 0);
        if (fd < 0) setup_failed("open", fd);
        attempt();
        return sys_mmap(0, PAGE, PROT_READ | PROT_EXEC, MAP_PRIVATE, (int)fd, 0);
    } else if (!strcmp(t, "mprotect-exec")) {
        i64 m = anon_rw(PAGE);
        attempt();
        return sys_mprotect((void *)(size_t)m, PAGE, PROT_READ | PROT_EXEC);
    } else if (!strcmp(t, "pkey-mprotect")) {
        i64 m = anon_rw(PAGE);
        attempt();
        return sys_pkey_mprotect((void *)(size_t)m, PAGE, PROT_READ | PROT_EXEC, 0);
    } else if (!strcmp(t, "mremap-mprotect")) {
        i64 m = anon_rw(PAGE);
        i64 moved = sys_mremap((void *)(size_t)m, PAGE, 4 * PAGE, MREMAP_MAYMOVE, 0);
        if (MAP_FAILED_ADDR(moved)) setup_failed("mremap", moved);
        attempt();
        return sys_mprotect((void *)(size_t)moved, 4 * PAGE, PROT_READ | PROT_EXEC);
    } else if (!strcmp(t, "personality-rie")) {
        attempt();
        return sys_personality(READ_IMPLIES_EXEC);
    } else if (!strcmp(t, "shmat-exec")) {
        /* the SHM_EXEC flag alone is the violation: without a segment, shmat(0) still carries it */
        i64 id = sys_shmget(IPC_PRIVATE, PAGE, IPC_CREAT | 0600);
        attempt();
        return sys_shmat(id < 0 ? 0 : (int)id, 0, SHM_EXEC);
    } else if (!strcmp(t, "memfd-mfd-exec")) {
        attempt();
        return sys_memfd_create("x", MFD_EXEC);
    } else if (!strcmp(t, "proc-self-mem")) {
        attempt();
        return sys_open("/proc/self/mem", O_RDWR, 0);
    } else if (!strcmp(t, "init-module")) {
        static const char image[64] = {0x7f, 'E', 'L', 'F'};
        attempt();
        return sys_init_module(image, sizeof image, "");
    } else if (!strcmp(t, "finit-module")) {
        i64 fd = sys_open("/etc/motd", O_RDONLY, 0);
        attempt();
        return sys_finit_module((int)fd, "", 0);
    } else if (!strcmp(t, "kexec-load")) {
        attempt();
        return sys_kexec_load(0, 0, 0, 0);
    } else if (!strcmp(t, "bpf-prog-load")) {
        static unsigned char attr[128];
        attempt();
        return sys_bpf(5 /* BPF_PROG_LOAD */, attr, sizeof attr);
    }
    int parent = (int)sys_getppid();
    if (!strcmp(t, "proc-parent-mem")) {
        char path[64];
        fmt_to(path, "/proc/", parent, "/mem");
        attempt();
        return sys_open(path, O_WRONLY, 0);
    } else if (!strcmp(t, "process-vm-writev")) {
        static u32 evil = 0x66666666;
        struct iovec local = {(u32)(size_t)&evil, 4}, remote = {(u32)(size_t)&victim, 4};
        attempt();
        return sys_process_vm_writev(parent, &local, 1, &remote, 1, 0);
    } else if (!strcmp(t, "ptrace-poke")) {
        attempt();
        return sys_ptrace(PTRACE_POKEDATA, parent, (void *)&victim, (void *)(size_t)0x66666666);
    }
    /* ptrace-attach (the caller checked is_memory_technique) */
    attempt();
    return sys_ptrace(PTRACE_ATTACH, parent, 0, 0);
}

#endif
