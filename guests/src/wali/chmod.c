/*
 * chmod: changes permission bits, a WALI guest for the example bundle's agent task.
 *
 *   chmod MODE FILE...
 *
 * MODE is octal (755) or symbolic: [ugoa]*[+-=][rwx]*, several joined by commas (+x, u+x,go-w,a=r).
 * No letter before the operator means a (umask is not consulted). Exit 0, or 1 when a file
 * could not be changed (each reported as "chmod: FILE: error N"), 2 for a bad MODE.
 */
#include "wali.h"

static void report(const char *file, const char *what, i64 e) {
    flush();
    write_all(2, "chmod: "); write_all(2, file); write_all(2, ": "); write_all(2, what);
    if (e) { char n[24]; fmt_to(n, " (errno ", -e, ")"); write_all(2, n); }
    write_all(2, "\n");
}

/* The new mode for a file whose mode is old; -1 when spec is not a valid MODE. */
static int apply(const char *spec, int old) {
    if (*spec >= '0' && *spec <= '7') {
        int m = 0;
        for (const char *p = spec; *p; p++) {
            if (*p < '0' || *p > '7' || m > 07777) return -1;
            m = m * 8 + (*p - '0');
        }
        return m > 07777 ? -1 : m;
    }
    int mode = old & 07777;
    const char *p = spec;
    for (;;) {
        int who = 0;
        for (; *p == 'u' || *p == 'g' || *p == 'o' || *p == 'a'; p++)
            who |= *p == 'u' ? 04700 : *p == 'g' ? 02070 : *p == 'o' ? 01007 : 07777;
        if (!who) who = 07777;
        char op = *p++;
        if (op != '+' && op != '-' && op != '=') return -1;
        int bits = 0;
        for (; *p == 'r' || *p == 'w' || *p == 'x'; p++) bits |= *p == 'r' ? 0444 : *p == 'w' ? 0222 : 0111;
        bits &= who;
        if (op == '+') mode |= bits;
        else if (op == '-') mode &= ~bits;
        else mode = (mode & ~(who & 0777)) | bits;
        if (*p == 0) return mode;
        if (*p++ != ',') return -1;
    }
}

int main(int argc, char **argv) {
    if (argc < 3) { write_all(2, "usage: chmod MODE FILE...\n"); return 2; }
    if (apply(argv[1], 0) < 0) { report(argv[1], "invalid mode", 0); return 2; }
    int rc = 0;
    for (int i = 2; i < argc; i++) {
        struct stat st;
        i64 e = sys_stat(argv[i], &st);
        if (e == 0) e = sys_chmod(argv[i], apply(argv[1], (int)st.mode));
        if (e < 0) { report(argv[i], "cannot change mode", e); rc = 1; }
    }
    return rc;
}
WALI_MAIN
