/* Processes: fork, pipe, waitpid statuses, execve of this program, kill. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "child") == 0) {
        printf("exec'd child: argc %d, arg2 %s, GREETING=%s\n", argc, argv[2], getenv("GREETING"));
        return 7;
    }
    setvbuf(stdout, 0, _IONBF, 0);
    int fds[2];
    if (pipe(fds) != 0) { perror("pipe"); return 1; }
    pid_t pid = fork();
    if (pid == 0) {
        close(fds[0]);
        const char *msg = "through the pipe";
        write(fds[1], msg, strlen(msg));
        _exit(3);
    }
    close(fds[1]);
    char buf[64] = {0};
    ssize_t got = 0, r;
    while ((r = read(fds[0], buf + got, sizeof buf - 1 - got)) > 0) got += r;
    int status;
    pid_t w = waitpid(pid, &status, 0);
    printf("parent read [%s], waited own child %d, exited %d code %d\n", buf, w == pid, WIFEXITED(status), WEXITSTATUS(status));

    pid = fork();
    if (pid == 0) {
        char *args[] = {argv[0], "child", "two", 0};
        char *env[] = {"GREETING=hello from execve", 0};
        execve(argv[0], args, env);
        perror("execve");
        _exit(127);
    }
    waitpid(pid, &status, 0);
    printf("exec child exited %d code %d\n", WIFEXITED(status), WEXITSTATUS(status));

    pid = fork();
    if (pid == 0) {
        for (;;) pause();
    }
    kill(pid, SIGTERM);
    waitpid(pid, &status, 0);
    printf("killed child signaled %d by SIGTERM %d\n", WIFSIGNALED(status), WTERMSIG(status) == SIGTERM);
    printf("waitpid with no children: %d\n", (int)waitpid(-1, &status, WNOHANG));
    return 0;
}
