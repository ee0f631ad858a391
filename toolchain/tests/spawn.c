/* posix_spawn and posix_spawnp (the wasm32 layer makes the child with fork): the program spawns
 * itself (argv[0]) as the child, with file actions, signal attributes, and a path that does not
 * exist. Output and exit status must equal the gcc build's. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static void on_usr1(int sig) { (void)sig; }

static int as_child(char **argv)
{
    sigset_t mask;
    struct sigaction usr1, intr;
    sigprocmask(SIG_SETMASK, 0, &mask);
    sigaction(SIGUSR1, 0, &usr1);
    sigaction(SIGINT, 0, &intr);
    printf("child %s: SIGUSR2 blocked %s, SIGTERM blocked %s, SIGUSR1 %s, SIGINT %s\n", argv[2],
           sigismember(&mask, SIGUSR2) ? "yes" : "no", sigismember(&mask, SIGTERM) ? "yes" : "no",
           usr1.sa_handler == SIG_DFL ? "default" : usr1.sa_handler == SIG_IGN ? "ignored" : "caught",
           intr.sa_handler == SIG_DFL ? "default" : intr.sa_handler == SIG_IGN ? "ignored" : "caught");
    fflush(stdout);
    return atoi(argv[3]);
}

static void report(const char *what, int err, pid_t pid)
{
    if (err) {
        printf("%s: %s\n", what, strerror(err));
        return;
    }
    int status;
    if (waitpid(pid, &status, 0) != pid) {
        printf("%s: waitpid: %s\n", what, strerror(errno));
        return;
    }
    printf("%s: exited %d\n", what, WIFEXITED(status) ? WEXITSTATUS(status) : -1);
}

int main(int argc, char **argv)
{
    if (argc == 4 && strcmp(argv[1], "child") == 0) return as_child(argv);
    setvbuf(stdout, 0, _IONBF, 0);
    /* start from the default: a shell that ran us in the background may have left SIGINT ignored */
    signal(SIGINT, SIG_DFL);

    pid_t pid;
    int err;
    char *plain[] = {argv[0], "child", "plain", "3", 0};
    err = posix_spawn(&pid, argv[0], 0, 0, plain, environ);
    report("plain", err, pid);

    /* a handler is not inherited; an ignored signal stays ignored; the mask is inherited */
    signal(SIGUSR1, on_usr1);
    signal(SIGINT, SIG_IGN);
    sigset_t block;
    sigemptyset(&block);
    sigaddset(&block, SIGTERM);
    sigprocmask(SIG_BLOCK, &block, 0);
    char *inherit[] = {argv[0], "child", "inherit", "4", 0};
    err = posix_spawnp(&pid, argv[0], 0, 0, inherit, environ);
    report("inherit", err, pid);

    /* attributes: a new mask and SIGINT back to the default */
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    sigset_t m, def;
    sigemptyset(&m);
    sigaddset(&m, SIGUSR2);
    sigemptyset(&def);
    sigaddset(&def, SIGINT);
    posix_spawnattr_setsigmask(&attr, &m);
    posix_spawnattr_setsigdefault(&attr, &def);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    char *attrs[] = {argv[0], "child", "attrs", "5", 0};
    err = posix_spawn(&pid, argv[0], 0, &attr, attrs, environ);
    report("attrs", err, pid);
    posix_spawnattr_destroy(&attr);

    /* file actions in order: stdout to a new file, stderr a copy of it, then close stdin */
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, "/tmp/spawn-out", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&fa, 1, 2);
    posix_spawn_file_actions_addclose(&fa, 0);
    char *redirected[] = {argv[0], "child", "redirected", "6", 0};
    err = posix_spawn(&pid, argv[0], &fa, 0, redirected, environ);
    report("redirected", err, pid);
    posix_spawn_file_actions_destroy(&fa);
    char buf[256] = {0};
    int fd = open("/tmp/spawn-out", O_RDONLY);
    ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof buf - 1);
    printf("the file holds %zd bytes: %s", n, buf);
    if (fd >= 0) close(fd);
    unlink("/tmp/spawn-out");

    /* a failing file action and a missing program: the errno comes back, nothing is left */
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, "/nonexistent-dir/x", O_RDONLY, 0);
    err = posix_spawn(&pid, argv[0], &fa, 0, plain, environ);
    report("bad action", err, pid);
    posix_spawn_file_actions_destroy(&fa);
    char *missing[] = {"missing", 0};
    err = posix_spawn(&pid, "/nonexistent-program", 0, 0, missing, environ);
    report("missing", err, pid);
    err = posix_spawnp(&pid, "nonexistent-program-in-path", 0, 0, missing, environ);
    report("missing in PATH", err, pid);
    printf("children left: %s\n", waitpid(-1, 0, WNOHANG) < 0 && errno == ECHILD ? "none" : "some");
    return 0;
}
