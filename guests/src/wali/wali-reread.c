/*
 * wali-reread SCRIPT: an "interpreter" for the script-pinning test. It overwrites SCRIPT with
 * other bytes (as a racing process could between the exec gate's check and the interpreter's
 * open), then opens SCRIPT and prints what it reads: the listed content when the vkernel pinned
 * the script to what its gate checked, the new bytes otherwise.
 */
#include "wali.h"

static char buf[4096];

int main(int argc, char **argv) {
    if (argc < 2) { write_all(2, "usage: wali-reread SCRIPT\n"); return 2; }
    i64 w = sys_open(argv[1], O_WRONLY | O_TRUNC, 0);
    if (w >= 0) { write_all((int)w, "REPLACED after the check\n"); sys_close((int)w); }
    say("overwrite "); putl(w >= 0 ? 0 : w); say("\n");
    i64 fd = sys_open(argv[1], O_RDONLY, 0);
    if (fd < 0) { say("open failed "); putl(fd); say("\n"); return 1; }
    i64 n = read_all((int)fd, buf, sizeof buf);
    say("read: "); put(buf, n > 0 ? (size_t)n : 0);
    flush();
    return 0;
}
WALI_MAIN
