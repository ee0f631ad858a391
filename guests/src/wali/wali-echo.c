/*
 * wali-echo: the program other guests execve. Prints what it was given and what it inherited,
 * one fact per line, so that the caller can compare:
 *   argc N / argv[i]=... (long arguments as "len=N sum=S") / env ... / pid N ppid N /
 *   fd K open (3..9) / SIGUSR1 default|ignore|handler / SIGUSR2 ... / blocked HEX / cwd ... /
 *   umask OCTAL-AS-DECIMAL
 * Exits with N when an argument is "exit=N", else 0.
 */
#include "wali.h"

static void line(const char *a, const char *b) { say(a); say(b); say("\n"); }

static void disposition(int sig, const char *name) {
    struct sigaction sa;
    __builtin_memset(&sa, 0, sizeof sa);
    sys_rt_sigaction(sig, 0, &sa, 8);
    line(name, sa.handler == 0 ? " default" : sa.handler == 1 ? " ignore" : " handler");
}

int main(int argc, char **argv) {
    int code = 0;
    say("argc "); putl(argc); say("\n");
    for (int i = 0; i < argc; i++) {
        size_t n = strlen(argv[i]);
        say("argv["); putl(i); say("]=");
        if (n > 64) {
            u64 sum = 0;
            for (size_t k = 0; k < n; k++) sum += (unsigned char)argv[i][k];
            say("len="); putl((i64)n); say(" sum="); putl((i64)sum);
        } else {
            say(argv[i]);
        }
        say("\n");
        if (starts_with(argv[i], "exit=")) code = (int)atol(argv[i] + 5);
    }
    for (char **e = environ; e && *e; e++) line("env ", *e);
    say("pid "); putl(sys_getpid()); say(" ppid "); putl(sys_getppid()); say("\n");
    for (int fd = 3; fd <= 9; fd++) if (sys_fcntl(fd, F_GETFD, 0) >= 0) { say("fd "); putl(fd); say(" open\n"); }
    disposition(SIGUSR1, "SIGUSR1");
    disposition(SIGUSR2, "SIGUSR2");
    u64 mask = 0;
    sys_rt_sigprocmask(SIG_BLOCK, 0, &mask, 8);
    say("blocked "); putx(mask); say("\n");
    char cwd[256];
    if (sys_getcwd(cwd, sizeof cwd) > 0) line("cwd ", cwd);
    int um = (int)sys_umask(0);
    say("umask "); putl((um >> 6 & 7) * 100 + (um >> 3 & 7) * 10 + (um & 7)); say("\n");
    return code;
}
WALI_MAIN
