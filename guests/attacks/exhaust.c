/*
 * attack-exhaust: exhaust a resource, then try to start the payload, in the hope that the gate
 * fails open under pressure (`attack-exhaust TECHNIQUE`; output: see attack.h). The payload is
 * staged first (/data/payload.wasm copied to /tmp/payload, mode 0755). Each prints the
 * exhaustion's result as a STEP, then attempts the exec: "RESULT T ret=-errno" if execve
 * returned, "SURVIVED T payload-ran" from the payload if it ran.
 *
 * fork-bomb        fork children (which pause) until fork fails: STEP fork=-EAGAIN
 * memory-exhaust   mmap 1 MiB pieces until mmap fails: STEP mmap=-ENOMEM
 * fd-exhaust       open /etc/motd until open fails: STEP open=-EMFILE
 * huge-argv        execve the payload with 3 MiB of arguments: STEP argv=-E2BIG, then plainly
 */
#include "attack.h"

static const char *PAYLOAD = "/tmp/payload";

static __attribute__((noreturn)) void exec_payload(void) {
    char *argv[] = {(char *)PAYLOAD, (char *)technique, 0};
    attempt();
    result(sys_execve(PAYLOAD, argv, environ));
}

int main(int argc, char **argv) {
    if (argc < 2) usage("attack-exhaust", "no technique");
    technique = argv[1];
    const char *t = technique;
    copy_file("/data/payload.wasm", PAYLOAD, 0755);
    if (!strcmp(t, "fork-bomb")) {
        i64 r;
        for (int n = 0; n < 100000; n++) {
            r = sys_fork();
            if (r == 0) for (;;) sys_pause();
            if (r < 0) break;
        }
        step("fork", r);
    } else if (!strcmp(t, "memory-exhaust")) {
        i64 r;
        for (int n = 0; n < 100000; n++) {
            r = sys_mmap(0, 1 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
            if (MAP_FAILED_ADDR(r)) break;
        }
        step("mmap", r);
    } else if (!strcmp(t, "fd-exhaust")) {
        i64 r;
        for (int n = 0; n < 100000; n++) {
            r = sys_open("/etc/motd", O_RDONLY, 0);
            if (r < 0) break;
        }
        step("open", r);
    } else if (!strcmp(t, "huge-argv")) {
        enum { ARGS = 48, EACH = 65536 };
        char **big = alloc((ARGS + 2) * sizeof(char *));
        if (!big) setup_failed("alloc", -ENOMEM);
        big[0] = (char *)PAYLOAD;
        for (int i = 1; i <= ARGS; i++) {
            big[i] = alloc(EACH);
            if (!big[i]) setup_failed("alloc", -ENOMEM);
            __builtin_memset(big[i], 'A', EACH - 1);
            big[i][EACH - 1] = 0;
        }
        big[ARGS + 1] = 0;
        step("argv", sys_execve(PAYLOAD, big, environ));
    } else {
        usage("attack-exhaust", "unknown technique");
    }
    exec_payload();
}
WALI_MAIN
