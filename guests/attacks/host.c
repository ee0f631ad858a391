/*
 * attack-host: the host-level calls that the lockdown's seccomp filter refuses to the vkernel's
 * own JVM, asked for by a guest (`attack-host TECHNIQUE`; output: see attack.h). A guest reaches
 * the host only through the vkernel's syscalls, so each of these must be answered inside the
 * vkernel with an errno and never be passed to the host kernel: the program prints
 * "RESULT T ret=-errno". A call that succeeds prints "SURVIVED T returned ret=R" (and, for
 * clone, the child prints "SURVIVED T child-in-new-namespace").
 *
 * userfaultfd          userfaultfd(O_CLOEXEC): page faults handled in user space
 * io-uring-setup       io_uring_setup(8, params): a second syscall path the filter cannot see
 * perf-event-open      perf_event_open(software clock event)
 * mount-tmpfs          mount("none", "/tmp", "tmpfs"): a new file system over the container's
 * unshare-userns       unshare(CLONE_NEWUSER|CLONE_NEWNS): a namespace with root in it
 * setns                setns(0, 0): join another namespace
 * clone-newuser        clone(CLONE_NEWUSER|SIGCHLD): a child in a new user namespace
 * clone3               clone3(args, size): flags in memory a filter cannot read
 * pivot-root           pivot_root("/tmp", "/tmp"): swap the root file system
 * keyctl               keyctl(KEYCTL_GET_KEYRING_ID, session): the host's key rings
 * open-by-handle-at    open_by_handle_at(AT_FDCWD, handle, O_RDONLY): open a host file by handle
 * process-vm-readv     process_vm_readv(parent): read another process's memory
 */
#include "attack.h"

IMPORT(SYS_userfaultfd) i64 sys_userfaultfd(int flags);
IMPORT(SYS_io_uring_setup) i64 sys_io_uring_setup(u32 entries, void *params);
IMPORT(SYS_perf_event_open) i64 sys_perf_event_open(void *attr, int pid, int cpu, int group, u64 flags);
IMPORT(SYS_mount) i64 sys_mount(const char *source, const char *target, const char *type, u64 flags, const void *data);
IMPORT(SYS_unshare) i64 sys_unshare(i64 flags);
IMPORT(SYS_setns) i64 sys_setns(int fd, int type);
IMPORT(SYS_clone) i64 sys_clone(u64 flags, void *stack, int *ptid, int *ctid, u64 tls);
IMPORT(SYS_clone3) i64 sys_clone3(void *args, size_t size);
IMPORT(SYS_pivot_root) i64 sys_pivot_root(const char *new_root, const char *put_old);
IMPORT(SYS_keyctl) i64 sys_keyctl(int op, u64 a2, u64 a3, u64 a4, u64 a5);
IMPORT(SYS_open_by_handle_at) i64 sys_open_by_handle_at(int mount_fd, void *handle, int flags);
IMPORT(SYS_process_vm_readv) i64 sys_process_vm_readv(int pid, const void *local, u64 nlocal, const void *remote, u64 nremote, u64 flags);

#define CLONE_NEWNS 0x00020000
#define CLONE_NEWUSER 0x10000000
#define SIGCHLD 17
#define KEYCTL_GET_KEYRING_ID 0
#define KEY_SPEC_SESSION_KEYRING (-3)

static u64 scratch[64];
static u64 secret = 0x5ec7e7;

static __attribute__((noreturn)) void answered(i64 r) {
    if (r >= 0) survived("returned", r);
    result(r);
}

static i64 clone_newuser(void) {
    i64 pid = sys_clone(CLONE_NEWUSER | SIGCHLD, 0, 0, 0, 0);
    if (pid == 0) survived("child-in-new-namespace", 0);
    if (pid > 0) wait_for((int)pid);
    return pid;
}

static i64 read_parent(void) {
    u64 got = 0;
    struct { void *base; size_t len; } local = {&got, sizeof got}, remote = {&secret, sizeof secret};
    return sys_process_vm_readv((int)sys_getppid(), &local, 1, &remote, 1, 0);
}

int main(int argc, char **argv) {
    if (argc < 2) usage("attack-host", "no technique");
    technique = argv[1];
    const char *t = technique;
    i64 r;
    if (!strcmp(t, "process-vm-readv")) {
        /* the reader is a child; its parent's word is the target */
        i64 pid = sys_fork();
        if (pid < 0) setup_failed("fork", pid);
        if (pid == 0) {
            attempt();
            answered(read_parent());
        }
        step("child", wait_for((int)pid));
        exit(0);
    }
    attempt();
    if (!strcmp(t, "userfaultfd")) r = sys_userfaultfd(O_CLOEXEC);
    else if (!strcmp(t, "io-uring-setup")) r = sys_io_uring_setup(8, scratch);
    else if (!strcmp(t, "perf-event-open")) {
        u32 *attr = (u32 *)scratch;
        attr[0] = 1;   /* PERF_TYPE_SOFTWARE */
        attr[1] = 112; /* size of perf_event_attr */
        r = sys_perf_event_open(attr, 0, -1, -1, 0);
    } else if (!strcmp(t, "mount-tmpfs")) r = sys_mount("none", "/tmp", "tmpfs", 0, 0);
    else if (!strcmp(t, "unshare-userns")) r = sys_unshare(CLONE_NEWUSER | CLONE_NEWNS);
    else if (!strcmp(t, "setns")) r = sys_setns(0, 0);
    else if (!strcmp(t, "clone-newuser")) r = clone_newuser();
    else if (!strcmp(t, "clone3")) {
        scratch[0] = CLONE_NEWUSER; /* flags */
        scratch[4] = SIGCHLD;       /* exit_signal */
        r = sys_clone3(scratch, 88);
        if (r == 0) survived("child-in-new-namespace", 0);
    } else if (!strcmp(t, "pivot-root")) r = sys_pivot_root("/tmp", "/tmp");
    else if (!strcmp(t, "keyctl")) r = sys_keyctl(KEYCTL_GET_KEYRING_ID, (u64)(i64)KEY_SPEC_SESSION_KEYRING, 0, 0, 0);
    else if (!strcmp(t, "open-by-handle-at")) {
        u32 *handle = (u32 *)scratch;
        handle[0] = 8; /* handle_bytes */
        handle[1] = 1; /* handle_type */
        r = sys_open_by_handle_at(-100 /* AT_FDCWD */, handle, O_RDONLY);
    } else usage("attack-host", "unknown technique");
    answered(r);
}
WALI_MAIN
