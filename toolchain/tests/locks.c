/* Advisory locks: fcntl record locks (F_SETLK, F_SETLKW, F_GETLK, OFD), lockf, flock, and
 * F_GETPIPE_SZ/F_SETPIPE_SZ, between a parent and forked children. Prints outcomes only
 * (never pids or paths), so the native and nojit runs compare line by line. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

static char path[64];

static const char *outcome(int rc)
{
    if (rc >= 0) return "ok";
    switch (errno) {
    case EAGAIN: return "EAGAIN";
    case EACCES: return "EACCES";
    case EBADF: return "EBADF";
    case EINVAL: return "EINVAL";
    case EDEADLK: return "EDEADLK";
    case EINTR: return "EINTR";
    case EBUSY: return "EBUSY";
    case EOVERFLOW: return "EOVERFLOW";
    default: return strerror(errno);
    }
}

static int lk(int fd, int cmd, short type, off_t start, off_t len)
{
    struct flock fl = {.l_type = type, .l_whence = SEEK_SET, .l_start = start, .l_len = len};
    return fcntl(fd, cmd, &fl);
}

static void say(const char *what, int rc)
{
    printf("%s: %s\n", what, outcome(rc));
}

/* Runs fn in a child with its own descriptor of the file; waits for it. */
static void in_child(void (*fn)(int fd))
{
    pid_t pid = fork();
    if (pid == 0) {
        int fd = open(path, O_RDWR);
        fn(fd);
        _exit(0);
    }
    int status;
    waitpid(pid, &status, 0);
}

static pid_t parent;

static void child_conflicts(int fd)
{
    say("child WRLCK 5..14 over parent's 0..9", lk(fd, F_SETLK, F_WRLCK, 5, 10));
    struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 5, .l_len = 10};
    int rc = fcntl(fd, F_GETLK, &fl);
    printf("child GETLK: %s type %s start %ld len %ld pid is parent %d\n", outcome(rc),
           fl.l_type == F_WRLCK ? "WRLCK" : fl.l_type == F_UNLCK ? "UNLCK" : "RDLCK",
           (long)fl.l_start, (long)fl.l_len, fl.l_pid == parent);
    say("child RDLCK 10..19 beside it", lk(fd, F_SETLK, F_RDLCK, 10, 10));
    say("child lockf F_TEST 0..", lockf(fd, F_TEST, 0));
    say("child lockf F_TLOCK 0..", lockf(fd, F_TLOCK, 0));
}

static void child_after_split(int fd)
{
    say("child WRLCK 3..4 (parent unlocked it)", lk(fd, F_SETLK, F_WRLCK, 3, 2));
    say("child WRLCK 2..2 (still the parent's)", lk(fd, F_SETLK, F_WRLCK, 2, 1));
    say("child RDLCK 20..29 beside a read lock", lk(fd, F_SETLK, F_RDLCK, 20, 10));
    say("child WRLCK 25..25 over a read lock", lk(fd, F_SETLK, F_WRLCK, 25, 1));
}

static void child_after_close(int fd)
{
    say("child WRLCK whole file after the parent closed another descriptor", lk(fd, F_SETLK, F_WRLCK, 0, 0));
}

static void child_flock(int fd)
{
    say("child flock LOCK_EX|LOCK_NB, own description", flock(fd, LOCK_EX | LOCK_NB));
    say("child flock LOCK_SH|LOCK_NB, own description", flock(fd, LOCK_SH | LOCK_NB));
    say("child fcntl WRLCK beside a flock (they do not meet)", lk(fd, F_SETLK, F_WRLCK, 0, 0));
}

static void on_usr1(int sig)
{
    (void)sig;
}

/*
 * Forks a child that opens the file, takes byte `hold` first (unless it is -1), catches SIGUSR1
 * without SA_RESTART when `catch_usr1`, says it is ready and then waits in F_SETLKW for a write
 * lock on start..start+len-1, printing `label` and the outcome. Returns once the child is (very
 * likely) blocked.
 */
static pid_t waiter(int ready[2], off_t hold, off_t start, off_t len, int catch_usr1, const char *label)
{
    pid_t pid = fork();
    if (pid == 0) {
        if (catch_usr1) {
            struct sigaction sa = {.sa_handler = on_usr1};
            sigaction(SIGUSR1, &sa, 0);
        }
        int cfd = open(path, O_RDWR);
        if (hold >= 0) lk(cfd, F_SETLK, F_WRLCK, hold, 1);
        write(ready[1], "r", 1);
        say(label, lk(cfd, F_SETLKW, F_WRLCK, start, len));
        _exit(0);
    }
    char c;
    read(ready[0], &c, 1);
    usleep(200000);
    return pid;
}

int main(void)
{
    setvbuf(stdout, 0, _IONBF, 0);
    parent = getpid();
    snprintf(path, sizeof path, "/tmp/nojit-locks-test.%ld", (long)parent);
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
    if (fd < 0) { perror("open"); return 1; }
    char zeros[100] = {0};
    write(fd, zeros, sizeof zeros);

    /* Conflicts between processes, F_GETLK, lockf. */
    say("parent WRLCK 0..9", lk(fd, F_SETLK, F_WRLCK, 0, 10));
    in_child(child_conflicts);

    /* Splitting: unlock the middle of the parent's lock; shared read locks. */
    say("parent UNLCK 3..4", lk(fd, F_SETLK, F_UNLCK, 3, 2));
    say("parent RDLCK 20..29", lk(fd, F_SETLK, F_RDLCK, 20, 10));
    in_child(child_after_split);

    /* Any close of the file by the process drops all its record locks. */
    int other = open(path, O_RDONLY);
    close(other);
    in_child(child_after_close);

    /* F_SETLKW waits for the holder; the release wakes it. */
    int ready[2];
    pipe(ready);
    say("parent WRLCK whole file", lk(fd, F_SETLK, F_WRLCK, 0, 0));
    pid_t pid = waiter(ready, -1, 0, 0, 0, "child SETLKW after the release");
    printf("parent releasing\n");
    lk(fd, F_SETLK, F_UNLCK, 0, 0);
    int status;
    waitpid(pid, &status, 0);

    /* Deadlock: the child holds byte 1 and waits for byte 0; the parent asks for byte 1. */
    say("parent WRLCK 0..0", lk(fd, F_SETLK, F_WRLCK, 0, 1));
    pid = waiter(ready, 1, 0, 1, 0, "child SETLKW 0..0 once the parent let go");
    say("parent SETLKW 1..1 (the child waits for the parent)", lk(fd, F_SETLKW, F_WRLCK, 1, 1));
    lk(fd, F_SETLK, F_UNLCK, 0, 0);
    waitpid(pid, &status, 0);

    /* A signal (handler without SA_RESTART) interrupts F_SETLKW. */
    say("parent WRLCK whole file again", lk(fd, F_SETLK, F_WRLCK, 0, 0));
    pid = waiter(ready, -1, 0, 0, 1, "child SETLKW under a signal");
    kill(pid, SIGUSR1);
    waitpid(pid, &status, 0);
    lk(fd, F_SETLK, F_UNLCK, 0, 0);

    /* flock: owned by the description (shared over fork), separate from record locks. */
    say("parent flock LOCK_EX", flock(fd, LOCK_EX));
    pid = fork();
    if (pid == 0) {
        say("child flock LOCK_EX|LOCK_NB on the inherited description", flock(fd, LOCK_EX | LOCK_NB));
        _exit(0);
    }
    waitpid(pid, &status, 0);
    in_child(child_flock);
    say("parent flock LOCK_UN", flock(fd, LOCK_UN));
    pid = fork();
    if (pid == 0) {
        int cfd = open(path, O_RDWR);
        say("child flock LOCK_EX|LOCK_NB after LOCK_UN", flock(cfd, LOCK_EX | LOCK_NB));
        _exit(0);
    }
    waitpid(pid, &status, 0);

    /* Open file description locks: two descriptions of one process conflict. */
    int a = open(path, O_RDWR), b = open(path, O_RDWR);
    struct flock ofd = {.l_type = F_WRLCK, .l_whence = SEEK_SET};
    say("OFD WRLCK on description a", fcntl(a, F_OFD_SETLK, &ofd));
    say("OFD WRLCK on description b of the same process", fcntl(b, F_OFD_SETLK, &ofd));
    struct flock q = {.l_type = F_WRLCK, .l_whence = SEEK_SET};
    int rc = fcntl(b, F_OFD_GETLK, &q);
    printf("OFD GETLK from b: %s pid %d\n", outcome(rc), q.l_pid);
    close(a);
    say("OFD WRLCK on b after a closed", fcntl(b, F_OFD_SETLK, &ofd));
    close(b);

    /* Bad requests. */
    struct flock bad = {.l_type = 7, .l_whence = SEEK_SET};
    say("l_type 7", fcntl(fd, F_SETLK, &bad));
    bad.l_type = F_WRLCK;
    bad.l_whence = 9;
    say("l_whence 9", fcntl(fd, F_SETLK, &bad));
    bad.l_whence = SEEK_SET;
    bad.l_start = -5;
    say("l_start -5", fcntl(fd, F_SETLK, &bad));
    bad.l_start = 10;
    bad.l_len = -20;
    say("l_start 10 l_len -20", fcntl(fd, F_SETLK, &bad));
    bad.l_len = -10;
    say("l_start 10 l_len -10 (bytes 0..9)", fcntl(fd, F_SETLK, &bad));
    bad.l_type = F_UNLCK;
    bad.l_len = 0;
    say("GETLK of F_UNLCK", fcntl(fd, F_GETLK, &bad));
    bad.l_type = F_WRLCK;
    bad.l_pid = 5;
    say("OFD SETLK with l_pid 5", fcntl(fd, F_OFD_SETLK, &bad));
    int ro = open(path, O_RDONLY);
    say("WRLCK on a read-only descriptor", lk(ro, F_SETLK, F_WRLCK, 0, 0));
    close(ro);
    say("SETLK on a closed descriptor", lk(ro, F_SETLK, F_RDLCK, 0, 0));
    say("flock operation 0", flock(fd, 0));
    say("flock operation LOCK_SH|LOCK_EX", flock(fd, LOCK_SH | LOCK_EX));

    /* Pipe capacity. */
    int p[2];
    pipe(p);
    printf("F_GETPIPE_SZ default: %d\n", fcntl(p[1], F_GETPIPE_SZ));
    printf("F_SETPIPE_SZ 32768: %d\n", fcntl(p[1], F_SETPIPE_SZ, 32768));
    printf("F_GETPIPE_SZ on the read end: %d\n", fcntl(p[0], F_GETPIPE_SZ));
    printf("F_SETPIPE_SZ 5000: %d\n", fcntl(p[1], F_SETPIPE_SZ, 5000));
    printf("F_SETPIPE_SZ 0: %d\n", fcntl(p[1], F_SETPIPE_SZ, 0));
    fcntl(p[1], F_SETFL, O_NONBLOCK);
    char big[8192];
    memset(big, 'x', sizeof big);
    printf("non-blocking write of 8192 into 4096: %ld\n", (long)write(p[1], big, sizeof big));
    fcntl(p[1], F_SETPIPE_SZ, 65536);
    printf("write 5000 more after growing: %ld\n", (long)write(p[1], big, 5000));
    say("F_SETPIPE_SZ 4096 below the 9096 queued", fcntl(p[1], F_SETPIPE_SZ, 4096));
    say("F_GETPIPE_SZ on a regular file", fcntl(fd, F_GETPIPE_SZ));
    say("F_SETPIPE_SZ on a regular file", fcntl(fd, F_SETPIPE_SZ, 4096));

    close(fd);
    unlink(path);
    return 0;
}
