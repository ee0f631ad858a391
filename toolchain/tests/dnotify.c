/* Directory change notification: fcntl(F_NOTIFY) ("dnotify"), F_SETSIG and F_GETSIG. Each step
 * makes a change and prints how many notification signals arrived for it. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#define ALL (DN_ACCESS | DN_MODIFY | DN_CREATE | DN_DELETE | DN_RENAME | DN_ATTRIB)

static volatile sig_atomic_t io, usr1;
static char top[64], w[80], other[80], sub[96];

static void on_io(int sig) { (void)sig; io++; }
static void on_usr1(int sig) { (void)sig; usr1++; }

static void handle(int sig, void (*fn)(int))
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = fn;
    sa.sa_flags = SA_RESTART;
    sigemptyset(&sa.sa_mask);
    sigaction(sig, &sa, 0);
}

static char *in(const char *dir, const char *name)
{
    static char buf[4][160];
    static int next;
    char *b = buf[next++ % 4];
    snprintf(b, sizeof buf[0], "%s/%s", dir, name);
    return b;
}

/* A new descriptor of `dir` watched for `mask`. */
static int watch(const char *dir, unsigned long mask)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY);
    if (fd < 0 || fcntl(fd, F_NOTIFY, mask) != 0) printf("watch %s: %s\n", dir == w ? "w" : "?", strerror(errno));
    io = usr1 = 0;
    return fd;
}

static void touch(const char *path)
{
    int fd = open(path, O_WRONLY | O_CREAT, 0644);
    if (fd < 0) printf("create failed: %s\n", strerror(errno));
    close(fd);
}

#define STEP(what, op) do { io = 0; op; printf("%-44s SIGIO %d\n", what, (int)io); } while (0)

static void errno_of(const char *what, int fd, int cmd, unsigned long arg)
{
    errno = 0;
    int r = fcntl(fd, cmd, arg);
    printf("%-44s %d %s\n", what, r, r < 0 ? strerror(errno) : "");
}

static int reap(pid_t pid)
{
    int status;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
    return status;
}

int main(void)
{
    strcpy(top, "/tmp/dnotify.XXXXXX");
    if (!mkdtemp(top)) { perror("mkdtemp"); return 1; }
    snprintf(w, sizeof w, "%s/w", top);
    snprintf(other, sizeof other, "%s/other", top);
    snprintf(sub, sizeof sub, "%s/sub", w);
    mkdir(w, 0755);
    mkdir(other, 0755);
    mkdir(sub, 0755);
    handle(SIGIO, on_io);

    /* The arguments. */
    touch(in(w, "plain"));
    int file = open(in(w, "plain"), O_RDONLY);
    errno_of("F_NOTIFY on a file, DN_CREATE", file, F_NOTIFY, DN_CREATE);
    errno_of("F_NOTIFY on a file, 0 (removes nothing)", file, F_NOTIFY, 0);
    errno_of("F_NOTIFY on a file, DN_MULTISHOT alone", file, F_NOTIFY, DN_MULTISHOT);
    errno_of("F_NOTIFY on a closed descriptor", 99, F_NOTIFY, DN_CREATE);
    int opath = open(w, O_PATH);
    errno_of("F_NOTIFY on an O_PATH descriptor", opath, F_NOTIFY, DN_CREATE);
    close(opath);
    errno_of("F_GETSIG of a new description", file, F_GETSIG, 0);
    errno_of("F_SETSIG 65", file, F_SETSIG, 65);
    errno_of("F_SETSIG -1", file, F_SETSIG, (unsigned long)-1);
    errno_of("F_SETSIG 64", file, F_SETSIG, 64);
    errno_of("F_GETSIG after it", file, F_GETSIG, 0);
    close(file);
    unlink(in(w, "plain"));

    /* Every kind of event, DN_MULTISHOT. */
    int d = watch(w, ALL | DN_MULTISHOT);
    STEP("create a file (open O_CREAT)", touch(in(w, "a")));
    STEP("open it again with O_CREAT (exists)", touch(in(w, "a")));
    int fd = open(in(w, "a"), O_RDWR);
    STEP("write 3 bytes", write(fd, "abc", 3));
    STEP("write 0 bytes", write(fd, "", 0));
    char buf[8];
    STEP("pread 3 bytes", pread(fd, buf, 3, 0));
    STEP("read at the end (0 bytes)", read(fd, buf, sizeof buf));
    STEP("pwrite", pwrite(fd, "x", 1, 0));
    STEP("ftruncate", ftruncate(fd, 1));
    STEP("fchmod", fchmod(fd, 0600));
    STEP("fstat", ({ struct stat st; fstat(fd, &st); }));
    close(fd);
    STEP("stat", ({ struct stat st; stat(in(w, "a"), &st); }));
    STEP("truncate", truncate(in(w, "a"), 0));
    STEP("open O_WRONLY|O_TRUNC", close(open(in(w, "a"), O_WRONLY | O_TRUNC)));
    STEP("chmod", chmod(in(w, "a"), 0644));
    STEP("chown to the same owner", chown(in(w, "a"), getuid(), getgid()));
    STEP("chown -1 -1", chown(in(w, "a"), -1, -1));
    STEP("utimes", utimes(in(w, "a"), 0));
    struct timespec atime_only[2] = {{0, UTIME_NOW}, {0, UTIME_OMIT}};
    STEP("utimensat, both times UTIME_OMIT", ({ struct timespec t[2] = {{0, UTIME_OMIT}, {0, UTIME_OMIT}};
        utimensat(AT_FDCWD, in(w, "a"), t, 0); }));
    STEP("rename within the directory", rename(in(w, "a"), in(w, "b")));
    STEP("link", link(in(w, "b"), in(w, "c")));
    STEP("symlink", symlink("b", in(w, "s")));
    STEP("chmod through the symlink", chmod(in(w, "s"), 0644));
    STEP("unlink", unlink(in(w, "c")));
    STEP("mkdir", mkdir(in(w, "d"), 0755));
    STEP("rmdir", rmdir(in(w, "d")));
    STEP("chmod the watched directory itself", chmod(w, 0755));
    STEP("fchmod the watching descriptor", fchmod(d, 0755));
    STEP("chmod a subdirectory", chmod(sub, 0755));
    STEP("create in a subdirectory", touch(in(sub, "deep")));
    STEP("chmod in a subdirectory", chmod(in(sub, "deep"), 0600));
    STEP("create in another directory", touch(in(other, "o")));
    STEP("move a file out", rename(in(w, "b"), in(other, "b")));
    STEP("move a file in", rename(in(other, "b"), in(w, "b")));
    STEP("readdir of the watched directory", ({ DIR *dir = opendir(w); while (readdir(dir)) {} closedir(dir); }));
    STEP("readdir of a subdirectory", ({ DIR *dir = opendir(sub); while (readdir(dir)) {} closedir(dir); }));
    close(d);

    /* One event kind at a time. */
    struct { const char *name; unsigned long mask; } kinds[] = {
        {"DN_ACCESS", DN_ACCESS}, {"DN_MODIFY", DN_MODIFY}, {"DN_CREATE", DN_CREATE}, {"DN_DELETE", DN_DELETE},
        {"DN_RENAME", DN_RENAME}, {"DN_ATTRIB", DN_ATTRIB},
    };
    for (unsigned k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
        d = watch(w, kinds[k].mask | DN_MULTISHOT);
        int counts[10], i = 0;
        io = 0; touch(in(w, "k")); counts[i++] = io;
        io = 0; fd = open(in(w, "k"), O_RDWR); write(fd, "12", 2); counts[i++] = io;
        io = 0; pread(fd, buf, 2, 0); counts[i++] = io;
        close(fd);
        io = 0; chmod(in(w, "k"), 0600); counts[i++] = io;
        io = 0; utimensat(AT_FDCWD, in(w, "k"), atime_only, 0); counts[i++] = io;
        io = 0; rename(in(w, "k"), in(w, "k2")); counts[i++] = io;
        io = 0; rename(in(w, "k2"), in(other, "k")); counts[i++] = io;
        io = 0; rename(in(other, "k"), in(w, "k")); counts[i++] = io;
        io = 0; unlink(in(w, "k")); counts[i++] = io;
        printf("%-10s create write read chmod atime rename out in unlink:", kinds[k].name);
        for (int j = 0; j < i; j++) printf(" %d", counts[j]);
        printf("\n");
        close(d);
    }

    /* Without DN_MULTISHOT: the first notification ends the watch. */
    d = watch(w, DN_CREATE);
    STEP("one-shot: first create", touch(in(w, "o1")));
    STEP("one-shot: second create", touch(in(w, "o2")));
    fcntl(d, F_NOTIFY, DN_CREATE);
    STEP("registered again: third create", touch(in(w, "o3")));
    close(d);

    /* Further F_NOTIFY calls add to the mask; 0 removes the watch; bits naming no event never fire. */
    d = watch(w, DN_CREATE | DN_MULTISHOT);
    fcntl(d, F_NOTIFY, DN_DELETE);
    STEP("DN_CREATE then DN_DELETE: a create", touch(in(w, "m")));
    STEP("DN_CREATE then DN_DELETE: an unlink", unlink(in(w, "m")));
    fcntl(d, F_NOTIFY, 0);
    STEP("after F_NOTIFY 0: a create", touch(in(w, "m")));
    errno_of("F_NOTIFY 0x40 (no event bit)", d, F_NOTIFY, 0x40);
    STEP("after F_NOTIFY 0x40: an unlink", unlink(in(w, "m")));
    close(d);

    /* Closing a descriptor of the description ends the watch: the watched one, or a duplicate. */
    d = watch(w, DN_CREATE | DN_MULTISHOT);
    close(d);
    STEP("after close: a create", touch(in(w, "c1")));
    d = watch(w, DN_CREATE | DN_MULTISHOT);
    int dup_fd = dup(d);
    STEP("with a duplicate open: a create", touch(in(w, "c2")));
    close(dup_fd);
    STEP("after closing the duplicate: a create", touch(in(w, "c3")));
    close(d);

    /* F_SETSIG: another signal instead of SIGIO, and 0 for SIGIO again. */
    handle(SIGUSR1, on_usr1);
    d = watch(w, DN_CREATE | DN_DELETE | DN_MULTISHOT);
    fcntl(d, F_SETSIG, SIGUSR1);
    printf("F_GETSIG after F_SETSIG SIGUSR1: %d\n", fcntl(d, F_GETSIG));
    io = usr1 = 0;
    touch(in(w, "u"));
    printf("F_SETSIG SIGUSR1, a create: SIGIO %d SIGUSR1 %d\n", (int)io, (int)usr1);
    fcntl(d, F_SETSIG, 0);
    io = usr1 = 0;
    unlink(in(w, "u"));
    printf("F_SETSIG 0, an unlink: SIGIO %d SIGUSR1 %d\n", (int)io, (int)usr1);
    close(d);

    /* Another process's change notifies the watcher; the child's close of its inherited copy does not end the watch. */
    d = watch(w, DN_CREATE | DN_MULTISHOT);
    pid_t pid = fork();
    if (pid == 0) {
        close(d);
        touch(in(w, "from-child"));
        _exit(0);
    }
    reap(pid);
    printf("a forked child's create (after its close): SIGIO %d\n", (int)io);
    close(d);

    /* A child's own watch ends with it: the parent's later change signals nobody. */
    pid = fork();
    if (pid == 0) {
        watch(w, DN_CREATE | DN_MULTISHOT);
        _exit(0);
    }
    reap(pid);
    io = 0;
    touch(in(w, "after-child"));
    printf("a create after the watching child exited: SIGIO %d\n", (int)io);

    /* SIGIO at its default action terminates the watcher; ignored, it does nothing. */
    pid = fork();
    if (pid == 0) {
        signal(SIGIO, SIG_DFL);
        watch(w, DN_CREATE);
        touch(in(w, "deadly"));
        printf("survived SIGIO\n");
        _exit(0);
    }
    int status = reap(pid);
    printf("default SIGIO: signaled %d by %s\n", WIFSIGNALED(status), WIFSIGNALED(status) && WTERMSIG(status) == SIGIO ? "SIGIO" : "?");
    pid = fork();
    if (pid == 0) {
        signal(SIGIO, SIG_IGN);
        watch(w, DN_CREATE);
        touch(in(w, "harmless"));
        _exit(7);
    }
    status = reap(pid);
    printf("ignored SIGIO: exit %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1);

    /* Remove what was made (no shell to run rm -r in every container). */
    int left = 0;
    const char *names[] = {"b", "s", "o1", "o2", "o3", "c1", "c2", "c3", "from-child", "after-child", "deadly", "harmless", "sub/deep", "sub"};
    for (unsigned i = 0; i < sizeof names / sizeof names[0]; i++) {
        const char *path = in(w, names[i]);
        if (unlink(path) != 0 && rmdir(path) != 0) left++;
    }
    unlink(in(other, "o"));
    if (rmdir(other) != 0) left++;
    if (rmdir(w) != 0) left++;
    if (rmdir(top) != 0) left++;
    printf("cleaned up, %d left\n", left);
    return 0;
}
