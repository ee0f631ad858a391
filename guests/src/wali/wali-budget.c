/*
 * wali-budget: the container's one memory budget (issue 15), attacked from inside.
 *
 *   wali-budget grow-fork ROUNDS   memory.grow until it fails, then fork ROUNDS times: every fork
 *                                  must fail with ENOMEM (the copy would pass the budget)
 *   wali-budget fork-third         memory.grow to a third of what is possible, fork a child that
 *                                  grows until it fails, then exec in a second child
 *   wali-budget files DIR          empty files in DIR until ENOSPC; a file unlinked while open;
 *                                  hard links until ENOSPC; then everything removed
 *   wali-budget pipes              pipes filled with 64 KiB each until a pipe or a write fails;
 *                                  then all closed
 *   wali-budget flood-files N DIR  (bench) N files of 1 byte in DIR, until the first failure
 *   wali-budget idle               (bench) nothing: the footprint of an idle container
 *
 * With NOJIT_CHECKPOINTS=1 in the environment the guest stops at each "checkpoint NAME" line
 * until a byte arrives on stdin, so a test can look at the kernel's counters in between.
 * Prints ok/FAIL lines and "figure NAME VALUE" lines; exits 0 when all passed.
 */
#include "wali.h"

#define WASM_PAGE 65536
enum { ENFILE = 23 };

static int checkpoints;

static void figure(const char *name, i64 v) {
    say("figure "); say(name); say(" "); putl(v); say("\n");
}

IMPORT(SYS_sysinfo) i64 sys_sysinfo(void *info);

/* The container's memory budget as sysinfo reports it: totalram is the limit, freeram what is left. */
static void budget_figures(void) {
    u64 info[14];
    if (sys_sysinfo(info) == 0) { figure("limit", (i64)info[4]); figure("used", (i64)(info[4] - info[5])); }
}

static void checkpoint(const char *name) {
    say("checkpoint "); say(name); say("\n");
    if (checkpoints) { char c; sys_read(0, &c, 1); }
}

/* memory.grow in big steps, then single pages, until it fails; returns pages grown. Each new page is touched. */
static long grow_all(long cap_pages) {
    long grown = 0;
    for (long step = 256; step >= 1; step /= 4) {
        while (grown + step <= cap_pages) {
            long old = __builtin_wasm_memory_grow(0, step);
            if (old < 0) break;
            for (long p = 0; p < step; p++) ((volatile char *)(size_t)((old + p) * WASM_PAGE))[7] = 1;
            grown += step;
        }
    }
    return grown;
}

static int grow_fork(long rounds) {
    long grown = grow_all(1L << 16);
    figure("grown-pages", grown);
    CHECKV((long)__builtin_wasm_memory_grow(0, 1) == -1, "memory.grow at the budget: -1, the process lives", grown);
    checkpoint("full");
    long refused = 0;
    for (long i = 0; i < rounds; i++) {
        i64 pid = sys_fork();
        if (pid == 0) sys_exit_group(0);
        if (pid == -ENOMEM) refused++;
        else if (pid > 0) wait_for(pid);
    }
    figure("forks-refused", refused);
    CHECKV(refused == rounds, "every fork of a process holding the budget: ENOMEM", refused);
    checkpoint("forks-refused");
    /* the refused forks took nothing: the budget still has no page for memory.grow, nor less */
    CHECK((long)__builtin_wasm_memory_grow(0, 1) == -1, "still no page to grow after the refused forks");
    return failures;
}

static int fork_third(void) {
    /* a child measures how much the budget allows, and exits; then the parent takes a third */
    int p[2];
    sys_pipe(p);
    i64 probe = sys_fork();
    if (probe == 0) {
        long all = grow_all(1L << 16);
        sys_write(p[1], &all, sizeof all);
        sys_exit_group(0);
    }
    long all = 0;
    sys_read(p[0], &all, sizeof all);
    wait_for(probe);
    figure("budget-pages", all);
    CHECK(all > 16, "a child can grow its memory");
    long mine = grow_all(all / 3);
    CHECKV(mine == all / 3, "the parent grows to a third of that", mine);
    checkpoint("parent-third");
    i64 child = sys_fork();
    if (child == 0) {
        long more = grow_all(1L << 16);
        sys_write(p[1], &more, sizeof more);
        checkpoint("child-full");
        sys_exit_group(0);
    }
    CHECKV(child > 0, "a fork that fits the budget succeeds", child);
    long more = 0;
    sys_read(p[0], &more, sizeof more);
    int st = wait_for(child);
    figure("child-grew-pages", more);
    /* what is left: all the probe could take, less the parent's third and the child's copy of it */
    long left = all - 2 * (all / 3);
    CHECKV(WIFEXITED(st) && more <= left && more + 2 >= left, "the child grows only into what the parent and its copy left", more);
    checkpoint("child-gone");
    /* exec replaces the memory: the old image's charge goes, the new one's comes */
    i64 ex = sys_fork();
    if (ex == 0) {
        char *argv[] = {"/bin/wali-hello", 0};
        char *envp[] = {0};
        sys_execve("/bin/wali-hello", argv, envp);
        sys_exit_group(99);
    }
    st = wait_for(ex);
    CHECKV(WIFEXITED(st) && WEXITSTATUS(st) == 0, "a forked child of a third of the budget execs", st);
    checkpoint("exec-gone");
    return failures;
}

static void name_of(char *buf, const char *dir, long i) {
    strcpy(buf, dir);
    strcat(buf, "/f");
    char num[24];
    int n = 0;
    do { num[n++] = (char)('0' + i % 10); i /= 10; } while (i);
    size_t at = strlen(buf);
    while (n) buf[at++] = num[--n];
    buf[at] = 0;
}

static int files(const char *dir) {
    char path[128];
    sys_mkdir(dir, 0755);
    checkpoint("files-start");
    long made = 0;
    i64 r = 0;
    for (;;) {
        name_of(path, dir, made);
        r = sys_open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
        if (r < 0) break;
        sys_close((int)r);
        made++;
    }
    figure("empty-files", made);
    CHECKV(r == -ENOSPC, "empty files until ENOSPC", r);
    CHECK(made > 100, "many empty files before that");
    checkpoint("files-full");
    for (long i = 0; i < made; i++) { name_of(path, dir, i); sys_unlink(path); }
    checkpoint("files-removed");

    /* a file unlinked while open keeps its content (and its charge) until the last close */
    strcpy(path, dir); strcat(path, "/open-unlinked");
    int fd = (int)sys_open(path, O_RDWR | O_CREAT, 0600);
    static char block[65536];
    for (int i = 0; i < 16; i++) sys_write(fd, block, sizeof block);
    checkpoint("file-1mib");
    sys_unlink(path);
    checkpoint("file-unlinked-open");
    sys_close(fd);
    checkpoint("file-closed");

    /* hard links cost their entries: they end with ENOSPC too */
    strcpy(path, dir); strcat(path, "/target");
    sys_close((int)sys_open(path, O_WRONLY | O_CREAT, 0644));
    char link[128];
    long links = 0;
    for (;;) {
        name_of(link, dir, links);
        r = sys_link(path, link);
        if (r < 0) break;
        links++;
    }
    figure("hard-links", links);
    CHECKV(r == -ENOSPC, "hard links until ENOSPC", r);
    for (long i = 0; i < links; i++) { name_of(link, dir, i); sys_unlink(link); }
    sys_unlink(path);
    sys_rmdir(dir);
    checkpoint("files-gone");
    return failures;
}

static int pipes(void) {
    static int fds[2048];
    static char chunk[65536];
    long made = 0, bytes = 0;
    i64 r = 0, w = 0;
    while (made * 2 + 2 <= (long)(sizeof fds / sizeof fds[0])) {
        r = sys_pipe2(fds + made * 2, O_NONBLOCK);
        if (r < 0) break;
        made++;
        w = sys_write(fds[made * 2 - 1], chunk, sizeof chunk);
        if (w < 0) break;
        bytes += w;
    }
    figure("pipes", made);
    figure("pipe-bytes", bytes);
    CHECKV(r == -ENFILE || r == -EMFILE || w == -ENOMEM, "pipes end with ENFILE/EMFILE, or a write with ENOMEM", r ? r : w);
    checkpoint("pipes-full");
    for (long i = 0; i < made * 2; i++) sys_close(fds[i]);
    checkpoint("pipes-closed");
    return failures;
}

static int flood_files(long n, const char *dir) {
    char path[128];
    sys_mkdir(dir, 0755);
    long made = 0;
    i64 r = 0;
    for (; made < n; made++) {
        name_of(path, dir, made);
        r = sys_open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
        if (r < 0) break;
        sys_write((int)r, "x", 1);
        sys_close((int)r);
    }
    figure("files", made);
    figure("last", r < 0 ? r : 0);
    return 0;
}

static int run(int argc, char **argv) {
    if (argc >= 3 && !strcmp(argv[1], "grow-fork")) return grow_fork(atol(argv[2]));
    if (argc >= 2 && !strcmp(argv[1], "fork-third")) return fork_third();
    if (argc >= 3 && !strcmp(argv[1], "files")) return files(argv[2]);
    if (argc >= 2 && !strcmp(argv[1], "pipes")) return pipes();
    if (argc >= 4 && !strcmp(argv[1], "flood-files")) return flood_files(atol(argv[2]), argv[3]);
    if (argc >= 2 && !strcmp(argv[1], "idle")) return 0;
    say("usage: wali-budget grow-fork N | fork-third | files DIR | pipes | flood-files N DIR | idle\n");
    return 2;
}

int main(int argc, char **argv) {
    const char *cp = getenv("NOJIT_CHECKPOINTS");
    checkpoints = cp && !strcmp(cp, "1");
    int status = run(argc, argv);
    budget_figures();
    /* NOJIT_BUDGET_LINGER=1 (bench/memory-footprint): stay a second, so the host's peak RSS is read before exit */
    const char *linger = getenv("NOJIT_BUDGET_LINGER");
    if (linger && !strcmp(linger, "1")) sleep_ms(1000);
    return status;
}
WALI_MAIN
