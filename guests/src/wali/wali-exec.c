/*
 * wali-exec: execve of another program (/bin/wali-echo) and what crosses it, and the process
 * tree around it: pid and ppid kept, argv (empty and 10,000-byte strings) and envp passed,
 * handlers reset while SIG_IGN and the mask stay, cwd and umask kept, close-on-exec honoured;
 * refusals: a data file (EACCES, the caller intact), and a module or scripts written at run
 * time (policy violations: the child that tries dies of SIGKILL, its parent goes on); orphans
 * re-parented to pid 1; wait4 by process group; kill of a process group; fork copying memory
 * and sharing file offsets; rlimits. Prints ok/FAIL lines; exits 0 when all passed.
 */
#include "wali.h"

static char out[16384];
static int counter = 5;
static void on_usr1(int sig) { (void)sig; }

/* Forks; the child points stdout at a pipe, runs setup, then execve. Returns the wait status; output in out. */
static int run_capture(const char *path, char *const *args, char *const *env, void (*setup)(void)) {
    int p[2];
    sys_pipe(p);
    i64 pid = sys_fork();
    if (pid == 0) {
        sys_dup2(p[1], 1); sys_close(p[1]); sys_close(p[0]);
        if (setup) setup();
        i64 r = sys_execve(path, args, env);
        sys_exit_group(r < 0 && r > -100 ? 100 + (int)-r : 99); /* execve failed: 100 + errno */
    }
    sys_close(p[1]);
    read_all(p[0], out, sizeof out);
    sys_close(p[0]);
    return wait_for(pid);
}

#define KILLED_BY_POLICY (-1000)
/* execve(path) in a child: its errno (negative) when refused, KILLED_BY_POLICY when the child died
 * of SIGKILL (a policy violation), 0 when something ran (its output in out). */
static i64 exec_attempt(const char *path) {
    char *a[] = {"x", 0};
    int st = run_capture(path, a, 0, 0);
    if (!WIFEXITED(st) && (st & 0x7f) == SIGKILL) return KILLED_BY_POLICY;
    if (WIFEXITED(st) && WEXITSTATUS(st) > 100 && out[0] == 0) return -(WEXITSTATUS(st) - 100);
    return 0;
}

static int has_line(const char *text, const char *want) {
    size_t n = strlen(want);
    for (const char *s = text; *s;) {
        if (!strncmp(s, want, n) && (s[n] == '\n' || s[n] == 0)) return 1;
        while (*s && *s != '\n') s++;
        if (*s) s++;
    }
    return 0;
}

static void inheritance_setup(void) {
    set_handler(SIGUSR1, on_usr1, 0);
    set_disposition(SIGUSR2, 1);
    u64 block = 1ULL << (SIGHUP - 1);
    sys_rt_sigprocmask(SIG_BLOCK, &block, 0, 8);
    sys_chdir("/srv/tree");
    sys_umask(027);
    sys_dup3((int)sys_open("/etc/motd", O_RDONLY, 0), 7, O_CLOEXEC);
    sys_dup2((int)sys_open("/etc/motd", O_RDONLY, 0), 8);
    sys_fcntl((int)sys_open("/etc/motd", O_RDONLY, 0), F_DUPFD_CLOEXEC, 9);
    for (int fd = 3; fd <= 6; fd++) sys_close(fd);
}

int main(int argc, char **argv) {
    (void)argc; (void)argv;
    char *long_arg = alloc(10001);
    for (int i = 0; i < 10000; i++) long_arg[i] = (char)('a' + i % 26);
    long_arg[10000] = 0;
    u64 long_sum = 0;
    for (int i = 0; i < 10000; i++) long_sum += (unsigned char)long_arg[i];

    char *args[] = {"echo-name", "", "two words", long_arg, "exit=3", 0};
    char *env[] = {"A=1", "EMPTY=", "PATH=/bin:/usr/bin", 0};
    int st = run_capture("/bin/wali-echo", args, env, inheritance_setup);
    say("--- wali-echo said:\n"); say(out); say("---\n");
    CHECKV(WIFEXITED(st) && WEXITSTATUS(st) == 3, "the other program's exit code", st);
    CHECK(has_line(out, "argc 5") && has_line(out, "argv[0]=echo-name") && has_line(out, "argv[1]=")
          && has_line(out, "argv[2]=two words"), "argv crosses execve, empty strings included");
    char want[80];
    fmt_to(want, "argv[3]=len=10000 sum=", (i64)long_sum, "");
    CHECK(has_line(out, want), "a 10,000-byte argument arrives intact");
    CHECK(has_line(out, "env A=1") && has_line(out, "env EMPTY=") && has_line(out, "env PATH=/bin:/usr/bin"), "envp crosses execve");
    CHECK(has_line(out, "SIGUSR1 default"), "execve resets a handled signal to default");
    CHECK(has_line(out, "SIGUSR2 ignore"), "execve keeps SIG_IGN");
    CHECK(has_line(out, "blocked 0x1"), "execve keeps the signal mask");
    CHECK(has_line(out, "cwd /srv/tree"), "execve keeps the working directory");
    CHECK(has_line(out, "umask 27"), "execve keeps the umask");
    CHECK(!has_line(out, "fd 7 open") && !has_line(out, "fd 9 open"), "O_CLOEXEC and F_DUPFD_CLOEXEC descriptors closed");
    CHECK(has_line(out, "fd 8 open"), "other descriptors stay open");

    /* pid kept, parent kept */
    i64 pid = sys_fork();
    int p[2];
    if (pid == 0) { sys_exit_group(0); }
    wait_for(pid);
    sys_pipe(p);
    pid = sys_fork();
    if (pid == 0) {
        sys_dup2(p[1], 1); sys_close(p[1]); sys_close(p[0]);
        char *a[] = {"wali-echo", 0};
        sys_execve("/bin/wali-echo", a, 0);
        sys_exit_group(127);
    }
    sys_close(p[1]);
    read_all(p[0], out, sizeof out); sys_close(p[0]);
    wait_for(pid);
    char ids[64]; fmt_to(ids, "pid ", pid, " ppid 1");
    CHECK(has_line(out, ids), "execve keeps the pid and the parent");
    CHECK(!has_line(out, "env A=1") && has_line(out, "argc 1"), "a NULL envp gives an empty environment");

    /* refusals leave the caller running with its memory and descriptors */
    char *a1[] = {"x", 0};
    CHECKV(sys_execve("/etc/data/numbers", a1, 0) == -EACCES, "execve of a data file: EACCES", sys_execve("/etc/data/numbers", a1, 0));
    int fd = (int)sys_open("/tmp/new.wasm", O_WRONLY | O_CREAT | O_TRUNC, 0755);
    /* a valid, empty WebAssembly module: magic and version */
    CHECK(sys_write(fd, "\0asm\1\0\0\0", 8) == 8, "write a module at run time");
    sys_close(fd);
    i64 r = exec_attempt("/tmp/new.wasm");
    CHECKV(r == KILLED_BY_POLICY, "execve of a module written at run time: the child is killed", r);
    fd = (int)sys_open("/tmp/script", O_WRONLY | O_CREAT | O_TRUNC, 0755);
    write_all(fd, "#!/bin/wali-echo\nhello\n");
    sys_close(fd);
    /* a #! script runs only when the manifest lists it (with that interpreter) */
    r = exec_attempt("/tmp/script");
    CHECKV(r == KILLED_BY_POLICY && out[0] == 0, "execve of a script written at run time: the child is killed", r);
    fd = (int)sys_open("/tmp/script2", O_WRONLY | O_CREAT | O_TRUNC, 0755);
    write_all(fd, "#!/tmp/new.wasm\n");
    sys_close(fd);
    r = exec_attempt("/tmp/script2");
    CHECKV(r == KILLED_BY_POLICY, "a script whose interpreter was written at run time: the child is killed", r);
    CHECK(counter == 5 && sys_fcntl(1, F_GETFD, 0) >= 0, "the caller keeps its memory and descriptors");

    /* an orphan is re-parented to pid 1, which reaps it */
    sys_pipe(p);
    pid = sys_fork();
    if (pid == 0) {
        i64 g = sys_fork();
        if (g == 0) {
            for (int i = 0; i < 200 && sys_getppid() != 1; i++) sleep_ms(10);
            char c = sys_getppid() == 1 ? 'y' : 'n';
            sys_write(p[1], &c, 1);
            sys_exit_group(9);
        }
        sys_exit_group(0);
    }
    sys_close(p[1]);
    wait_for(pid);
    char c = 0;
    CHECK(sys_read(p[0], &c, 1) == 1 && c == 'y', "an orphan's parent becomes pid 1");
    int gs = 0;
    r = sys_wait4(-1, &gs, 0, 0);
    CHECKV(r > pid && WIFEXITED(gs) && WEXITSTATUS(gs) == 9, "pid 1 reaps the orphan", r);
    sys_close(p[0]);

    /* process groups: wait4(-pgid), kill(-pgid) */
    i64 leader = sys_fork();
    if (leader == 0) { sys_setpgid(0, 0); for (;;) sys_pause(); }
    sys_setpgid((int)leader, (int)leader);
    i64 member = sys_fork();
    if (member == 0) { sys_setpgid(0, (int)leader); for (;;) sys_pause(); }
    sys_setpgid((int)member, (int)leader);
    i64 outsider = sys_fork();
    if (outsider == 0) { sleep_ms(300); sys_exit_group(4); }
    sleep_ms(30);
    CHECK(sys_getpgid((int)member) == leader, "setpgid puts a child in another group");
    CHECK(sys_kill(-(int)leader, SIGTERM) == 0, "kill(-pgid) accepted");
    int s1 = 0, s2 = 0;
    i64 w1 = sys_wait4(-(int)leader, &s1, 0, 0), w2 = sys_wait4(-(int)leader, &s2, 0, 0);
    CHECK((w1 == leader || w1 == member) && (w2 == leader || w2 == member) && w1 != w2, "wait4(-pgid) reaps that group only");
    CHECK(WIFSIGNALED(s1) && WTERMSIG(s1) == SIGTERM && WIFSIGNALED(s2) && WTERMSIG(s2) == SIGTERM, "the whole group died of SIGTERM");
    CHECK(sys_wait4(-(int)leader, &s1, WNOHANG, 0) == -ECHILD, "then the group has no children left");
    r = sys_wait4(0, &s1, 0, 0);
    CHECKV(r == outsider && WEXITSTATUS(s1) == 4, "wait4(0) reaps a child of the caller's group", r);

    /* fork copies memory and shares open file descriptions */
    fd = (int)sys_open("/etc/motd", O_RDONLY, 0);
    pid = sys_fork();
    if (pid == 0) { counter = 99; char b[3]; sys_read(fd, b, 3); sys_exit_group(counter == 99 ? 0 : 1); }
    st = wait_for(pid);
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0 && counter == 5, "the child's writes do not reach the parent's memory");
    CHECK(sys_lseek(fd, 0, 1) == 3, "the child's read moved the shared offset");
    sys_close(fd);

    /* exit codes are taken modulo 256; a NULL status pointer is allowed */
    pid = sys_fork();
    if (pid == 0) sys_exit_group(256 + 5);
    st = wait_for(pid);
    CHECKV(WIFEXITED(st) && WEXITSTATUS(st) == 5, "exit_group(261) is status 5", st);
    pid = sys_fork();
    if (pid == 0) sys_exit_group(-1);
    st = wait_for(pid);
    CHECKV(WIFEXITED(st) && WEXITSTATUS(st) == 255, "exit_group(-1) is status 255", st);
    pid = sys_fork();
    if (pid == 0) sys_exit(6);
    CHECK(sys_wait4((int)pid, 0, 0, 0) == pid, "wait4 with a NULL status pointer");

    /* rlimits */
    u64 lim[2] = {0, 0};
    CHECK(sys_getrlimit(RLIMIT_NPROC, lim) == 0, "getrlimit(RLIMIT_NPROC)");
    say("RLIMIT_NPROC "); putl((i64)lim[0]); say("\n");
    CHECK(sys_getrlimit(RLIMIT_NOFILE, lim) == 0 && lim[0] >= 64, "getrlimit(RLIMIT_NOFILE)");
    say("RLIMIT_NOFILE "); putl((i64)lim[0]); say("\n");
    pid = sys_fork();
    if (pid == 0) {
        u64 small[2] = {12, lim[1]};
        if (sys_setrlimit(RLIMIT_NOFILE, small) != 0) sys_exit_group(1);
        i64 last = 0, f;
        while ((f = sys_open("/dev/null", O_RDONLY, 0)) >= 0) last = f;
        if (f != -EMFILE || last != 11) sys_exit_group(2);
        u64 back[2] = {lim[0], lim[1]};
        sys_exit_group(sys_setrlimit(RLIMIT_NOFILE, back) == 0 && sys_open("/dev/null", O_RDONLY, 0) == 12 ? 0 : 3);
    }
    st = wait_for(pid);
    CHECKV(WIFEXITED(st) && WEXITSTATUS(st) == 0, "setrlimit(RLIMIT_NOFILE) lowers the descriptor limit and raises it back", st);
    static char usage[272];
    CHECK(sys_getrusage(0, usage) == 0, "getrusage");
    return failures;
}
WALI_MAIN
