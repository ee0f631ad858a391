/*
 * attack-memory: ways to get executable memory, or to change another process's code, or to load
 * kernel code (the memory paths of the enforcement issue), one per run: `attack-memory TECHNIQUE`.
 * Output: see attack.h. Every decisive call here is one the policy must answer by killing the
 * caller, so if it returns at all the program prints "SURVIVED TECHNIQUE returned ret=R".
 *
 * The techniques are those of src/wali/include/memory-attacks.h (mmap-file-exec maps /etc/motd).
 * The four parent attacks (proc-parent-mem, process-vm-writev, ptrace-poke, ptrace-attach) fork:
 * the child attacks this process, which reports "STEP T child=S" (S the wait status: 9 = SIGKILL)
 * and whether its victim word changed ("SURVIVED T victim-changed"). One more:
 * kill-container-mmap                   a forked sibling sleeps; the parent asks for mmap PROT_EXEC
 *                                       (under kill-container nothing may print after the attempt:
 *                                       the sibling prints "SURVIVED T sibling-ran-on" if it wakes)
 */
#include "attack.h"
#include "memory-attacks.h"

static __attribute__((noreturn)) void returned(i64 r) { survived("returned", r); }

static __attribute__((noreturn)) void forked(const char *t) {
    i64 pid = sys_fork();
    if (pid < 0) setup_failed("fork", pid);
    if (pid == 0) returned(memory_attack(t, 0));
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
    returned(memory_attack("mmap-exec", 0));
}

int main(int argc, char **argv) {
    if (argc < 2) usage("attack-memory", "no technique");
    technique = argv[1];
    const char *t = technique;
    if (!strcmp(t, "kill-container-mmap")) kill_container();
    if (!is_memory_technique(t)) usage("attack-memory", "unknown technique");
    if (is_parent_attack(t)) forked(t);
    returned(memory_attack(t, "/etc/motd"));
}
WALI_MAIN
