/*
 * wali-mountswap: the symlink swap on a read-write host mount (issue 15). For each pair
 * ROOT TARGET of its arguments it builds ROOT/a = { f ("inside"), sub/, lnk -> f }, opens
 * descriptors on them, renames ROOT/a away, plants a symlink ROOT/a -> TARGET (TARGET like
 * "..", "../canary", "/" or an absolute host path) and then uses every descriptor-based call on
 * the old descriptors. Each call must answer an errno or act on the real object (the moved
 * directory, inside the mount); the test that runs it checks the canary tree beside the mount
 * from outside. Every stat result is printed ("observed ino= size= mode=") so the test can
 * see that no canary metadata came back.
 *
 * Prints "ok <round>: <what>" or "FAIL <round>: <what> (line N)"; exits with the failure count.
 */
#include "wali.h"

IMPORT(SYS_fchmodat) i64 sys_fchmodat(int dirfd, const char *path, int mode);
IMPORT(SYS_utimensat) i64 sys_utimensat(int dirfd, const char *path, const i64 *times, int flags);
IMPORT(SYS_linkat) i64 sys_linkat(int olddir, const char *from, int newdir, const char *to, int flags);
IMPORT(SYS_fsync) i64 sys_fsync(int fd);

enum { AT_SYMLINK_FOLLOW = 0x400, O_PATH = 010000000 };

static char label[64];
#define OK(cond, what) do { if (cond) { say("ok "); say(label); say(what "\n"); } \
    else { failures++; say("FAIL "); say(label); say(what " (line "); putl(__LINE__); say(")\n"); } } while (0)

static char path[512], path2[512], buf[8192];

static const char *at(const char *root, const char *rel) {
    strcpy(path, root); strcat(path, "/"); strcat(path, rel); return path;
}

static const char *at2(const char *root, const char *rel) {
    strcpy(path2, root); strcat(path2, "/"); strcat(path2, rel); return path2;
}

static void fdpath(int fd) {
    fmt_to(path, "/proc/self/fd/", fd, "");
}

/* A call whose only judge is the canary, checked from outside: its result is printed. */
static void did(const char *what, i64 r) {
    say("did "); say(label); say(what); say(" = "); putl(r); say("\n");
}

static void observe(const char *what, struct stat *st) {
    say("observed "); say(label); say(what); say(" ino="); putl((i64)st->ino); say(" size="); putl(st->size);
    say(" mode="); putl(st->mode); say(" nlink="); putl((i64)st->nlink); say("\n");
}

/* The names in directory fd, checked to be exactly the three the round made (no canary entry). */
static int lists_only_ours(int fd) {
    int seen = 0, other = 0; i64 n;
    while ((n = sys_getdents64(fd, buf, sizeof buf)) > 0) {
        for (i64 off = 0; off < n;) {
            unsigned short reclen = *(unsigned short *)(buf + off + 16);
            const char *name = buf + off + 19;
            if (!strcmp(name, "f") || !strcmp(name, "sub") || !strcmp(name, "lnk")) seen++;
            else if (strcmp(name, ".") && strcmp(name, "..")) { other++; say("listed "); say(label); say(name); say("\n"); }
            off += reclen;
        }
    }
    return n == 0 && seen == 3 && other == 0;
}

/* A content read through fd: never the canary's (whose files all start with "CANARY"). */
static int not_canary(int fd) {
    i64 n = sys_pread64(fd, buf, 64, 0);
    if (n < 0) return 1;
    buf[n] = 0;
    if (starts_with(buf, "CANARY")) { say("read canary content "); say(label); say("\n"); return 0; }
    return 1;
}

static void round_(int round, const char *root, const char *target) {
    fmt_to(label, "round ", round, ": ");
    struct stat st, st2;
    /* the tree, then descriptors on it */
    sys_mkdir(at(root, "a"), 0755);
    int w = (int)sys_open(at(root, "a/f"), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    OK(w >= 0 && sys_write(w, "inside", 6) == 6 && sys_close(w) == 0, "made a/f");
    OK(sys_mkdir(at(root, "a/sub"), 0755) == 0, "made a/sub");
    OK(sys_symlink("f", at(root, "a/lnk")) == 0, "made a/lnk");
    int ff = (int)sys_open(at(root, "a/f"), O_RDWR, 0);
    int fd = (int)sys_open(at(root, "a"), O_RDONLY | O_DIRECTORY, 0);
    int fs = (int)sys_open(at(root, "a/sub"), O_RDONLY | O_DIRECTORY, 0);
    int fl = (int)sys_open(at(root, "a/lnk"), O_PATH | O_NOFOLLOW, 0);
    OK(ff >= 0 && fd >= 0 && fs >= 0, "opened the file and the directories");
    OK(sys_fstat(ff, &st) == 0 && st.size == 6, "fstat before the swap");
    u64 ino_f = st.ino;
    OK(sys_fstat(fd, &st) == 0 && S_ISDIR(st.mode), "fstat of the directory before the swap");
    u64 ino_d = st.ino;

    /* the swap */
    char moved[32];
    fmt_to(moved, "moved-", round, "");
    OK(sys_rename(at(root, "a"), at2(root, moved)) == 0, "renamed a away");
    i64 r = sys_symlink(target, at(root, "a"));
    if (target[0] == '/') OK(r == -EPERM, "an absolute symlink target on a host mount: EPERM");
    else OK(r == 0, "planted a -> target");

    /* metadata of the open file, through its own descriptor */
    OK(sys_fstat(ff, &st) == 0 && st.ino == ino_f && st.size == 6, "fstat of the open file: the moved file");
    observe("fstat", &st);
    OK(sys_newfstatat(ff, "", &st, AT_EMPTY_PATH) == 0 && st.ino == ino_f, "newfstatat AT_EMPTY_PATH");
    observe("newfstatat-empty", &st);
    OK(sys_fstat(fd, &st) == 0 && st.ino == ino_d && S_ISDIR(st.mode), "fstat of the open directory");
    observe("fstat-dir", &st);
    OK(sys_fchmod(ff, 04755) == 0 && sys_fstat(ff, &st) == 0 && (st.mode & 07777) == 04755, "fchmod the open file");
    OK(sys_fchmod(ff, 0644) == 0, "fchmod back");
    OK(sys_fchmod(fd, 0700) == 0 && sys_fstat(fd, &st) == 0 && (st.mode & 0777) == 0700, "fchmod the open directory");
    i64 times[4] = { 1000, 0, 2000, 0 };
    OK(sys_utimensat(ff, 0, times, 0) == 0 && sys_fstat(ff, &st) == 0 && st.times[2] == 2000, "futimens the open file");
    OK(sys_utimensat(fd, "", times, AT_EMPTY_PATH) == 0, "utimensat AT_EMPTY_PATH on the directory");

    /* content of the open file */
    OK(sys_pwrite64(ff, "INSIDE", 6, 0) == 6, "pwrite");
    OK(sys_pread64(ff, buf, 6, 0) == 6 && memeq(buf, "INSIDE", 6), "pread");
    OK(sys_lseek(ff, 0, 0) == 0 && sys_read(ff, buf, 6) == 6 && memeq(buf, "INSIDE", 6), "read");
    OK(sys_lseek(ff, 0, 0) == 0 && sys_write(ff, "inside", 6) == 6, "write");
    OK(sys_ftruncate(ff, 3) == 0 && sys_fstat(ff, &st) == 0 && st.size == 3, "ftruncate");
    OK(sys_ftruncate(ff, 6) == 0 && sys_pwrite64(ff, "inside", 6, 0) == 6 && sys_fsync(ff) == 0, "ftruncate back, rewrite and fsync");

    /* listing through directory descriptors */
    OK(sys_lseek(fd, 0, 0) == 0 && lists_only_ours(fd), "getdents64 on the old directory descriptor");
    OK(sys_getdents64(fs, buf, sizeof buf) >= 0, "getdents64 on the old subdirectory descriptor");

    /* re-open through /proc/self/fd */
    fdpath(ff);
    int re = (int)sys_open(path, O_RDWR, 0);
    OK(re >= 0 && sys_fstat(re, &st) == 0 && st.ino == ino_f && not_canary(re), "re-open through /proc/self/fd: the moved file");
    if (re >= 0) { observe("reopened", &st); sys_close(re); }
    fdpath(fd);
    re = (int)sys_open(path, O_RDONLY | O_DIRECTORY, 0);
    OK(re >= 0 && sys_fstat(re, &st) == 0 && st.ino == ino_d && lists_only_ours(re), "re-open the directory through /proc/self/fd");
    if (re >= 0) sys_close(re);
    fdpath(ff);
    OK(sys_stat(path, &st) == 0 && st.ino == ino_f, "stat through /proc/self/fd");
    OK(sys_chmod(path, 0640) == 0 && sys_fstat(ff, &st) == 0 && (st.mode & 0777) == 0640, "chmod through /proc/self/fd");
    OK(sys_truncate(path, 6) == 0 && sys_fstat(ff, &st) == 0 && st.size == 6, "truncate through /proc/self/fd");
    OK(sys_utimensat(AT_FDCWD, path, times, 0) == 0, "utimensat through /proc/self/fd");

    /* hard links of the open file */
    fdpath(ff);
    r = sys_linkat(AT_FDCWD, path, AT_FDCWD, at2(root, "linked"), AT_SYMLINK_FOLLOW);
    OK(r == 0 && sys_lstat(at2(root, "linked"), &st) == 0 && st.ino == ino_f, "linkat AT_SYMLINK_FOLLOW of /proc/self/fd: the moved file");
    sys_unlink(at2(root, "linked"));
    r = sys_linkat(ff, "", AT_FDCWD, at2(root, "linked"), AT_EMPTY_PATH);
    OK(r == 0 && sys_lstat(at2(root, "linked"), &st) == 0 && st.ino == ino_f, "linkat AT_EMPTY_PATH: the moved file");
    sys_unlink(at2(root, "linked"));

    /* calls relative to the old directory descriptor: an errno, or an object inside the container */
    int o = (int)sys_openat(fd, "f", O_RDONLY, 0);
    OK(o < 0 || not_canary(o), "openat relative to the old directory");
    if (o >= 0) { if (sys_fstat(o, &st) == 0) observe("openat", &st); sys_close(o); }
    r = sys_newfstatat(fd, "f", &st, 0);
    if (r == 0) observe("fstatat", &st);
    OK(r != 0 || st.size != 4321, "fstatat relative to the old directory");
    r = sys_fchmodat(fd, "f", 04777);
    OK(r != 0 || (sys_newfstatat(fd, "f", &st2, 0) == 0 && st2.size != 4321), "fchmodat relative to the old directory");
    if (r == 0) sys_fchmodat(fd, "f", 0644);
    did("utimensat relative to the old directory", sys_utimensat(fd, "f", times, 0));
    r = sys_linkat(fd, "f", AT_FDCWD, at2(root, "linked2"), AT_SYMLINK_FOLLOW);
    OK(r != 0 || (sys_lstat(at2(root, "linked2"), &st) == 0 && st.size != 4321), "linkat AT_SYMLINK_FOLLOW relative to the old directory");
    if (r == 0) { observe("linked2", &st); sys_unlink(at2(root, "linked2")); }
    r = sys_readlinkat(fd, "lnk", buf, sizeof buf);
    OK(r < 0 || (r == 1 && buf[0] == 'f'), "readlinkat relative to the old directory");
    if (fl >= 0) { /* O_PATH|O_NOFOLLOW on a symlink: Linux opens the link; the vkernel may answer ELOOP */
        r = sys_readlinkat(fl, "", buf, sizeof buf);
        OK(r < 0 || (r == 1 && buf[0] == 'f'), "readlinkat of the old O_PATH link descriptor");
    }
    did("mkdirat relative to the old directory", sys_mkdirat(fd, "made", 0755));
    did("unlinkat AT_REMOVEDIR relative to the old directory", sys_unlinkat(fd, "made", AT_REMOVEDIR));
    did("renameat relative to the old directory", sys_renameat(fd, "f", fd, "g"));
    did("renameat back", sys_renameat(fd, "g", fd, "f"));
    did("unlinkat relative to the old directory", sys_unlinkat(fd, "f", 0));
    did("symlinkat relative to the old directory", sys_symlinkat("x", fd, "planted"));
    o = (int)sys_openat(fd, "created", O_RDWR | O_CREAT, 0644);
    OK(o < 0 || (sys_write(o, "x", 1) == 1 && sys_close(o) == 0), "openat O_CREAT relative to the old directory");

    /* fchdir into the old directory, then relative names */
    char cwd[512];
    OK(sys_getcwd(cwd, sizeof cwd) > 0 && sys_fchdir(fd) == 0, "fchdir to the old directory");
    o = (int)sys_open("f", O_RDONLY, 0);
    OK(o < 0 || not_canary(o), "open relative to the cwd");
    if (o >= 0) sys_close(o);
    sys_chdir(cwd);

    /* the real objects were acted on, inside the mount */
    fdpath(ff);
    OK(sys_fstat(ff, &st) == 0 && st.ino == ino_f && st.nlink >= 1, "the open file is still the moved one");
    sys_close(ff); sys_close(fd); sys_close(fs); if (fl >= 0) sys_close(fl);
    sys_unlink(at(root, "a"));
}

int main(int argc, char **argv) {
    if (argc < 3 || argc % 2 == 0) { say("usage: wali-mountswap ROOT TARGET [ROOT TARGET]...\n"); return 2; }
    for (int i = 1; i + 1 < argc; i += 2) round_((i + 1) / 2, argv[i], argv[i + 1]);
    say("rounds done\n");
    return failures;
}
WALI_MAIN
