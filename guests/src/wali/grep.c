/*
 * grep: prints the lines that contain a fixed string, a WALI guest for the example bundle's
 * agent task (no regular expressions).
 *
 *   grep [-c] [-i] [-n] [-v] [-q] STRING [FILE...]
 *
 * Reads stdin without a FILE. -c prints the count of matching lines, -i ignores ASCII case,
 * -n prefixes line numbers, -v selects lines that do not contain STRING, -q prints nothing.
 * With several files each output line starts with "FILE:". Exit 0 when a line was selected,
 * 1 when none was, 2 on an error (a file that cannot be read is reported and skipped).
 */
#include "wali.h"

static int count_only, ignore_case, numbers, invert, quiet, with_names;
static const char *needle;
static size_t needle_len;

static char lower(char c) { return c >= 'A' && c <= 'Z' ? (char)(c + 32) : c; }

static int contains(const char *s, size_t n) {
    if (needle_len > n) return 0;
    for (size_t i = 0; i + needle_len <= n; i++) {
        size_t k = 0;
        while (k < needle_len && (ignore_case ? lower(s[i + k]) == lower(needle[k]) : s[i + k] == needle[k])) k++;
        if (k == needle_len) return 1;
    }
    return 0;
}

/* Selects lines of fd, reading it in chunks; a line longer than the buffer is matched in pieces. */
static long scan(int fd, const char *name) {
    static char buf[65536];
    size_t have = 0;
    long selected = 0, line = 0;
    int eof = 0;
    while (!eof || have > 0) {
        if (!eof && have < sizeof buf) {
            i64 r = sys_read(fd, buf + have, sizeof buf - have);
            if (r == -EINTR) continue;
            if (r < 0) return -1;
            if (r == 0) eof = 1; else have += (size_t)r;
        }
        size_t end = 0;
        while (end < have && buf[end] != '\n') end++;
        if (end == have && !eof && have < sizeof buf) continue; /* need more of this line */
        line++;
        if (contains(buf, end) != invert) {
            selected++;
            if (!count_only && !quiet) {
                if (with_names) { say(name); say(":"); }
                if (numbers) { putl(line); say(":"); }
                put(buf, end); put("\n", 1);
            }
        }
        size_t used = end < have ? end + 1 : end;
        __builtin_memmove(buf, buf + used, have - used);
        have -= used;
    }
    if (count_only && !quiet) { if (with_names) { say(name); say(":"); } putl(selected); say("\n"); }
    return selected;
}

int main(int argc, char **argv) {
    int i = 1;
    for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
        if (!strcmp(argv[i], "--")) { i++; break; }
        for (const char *p = argv[i] + 1; *p; p++) {
            if (*p == 'c') count_only = 1;
            else if (*p == 'i') ignore_case = 1;
            else if (*p == 'n') numbers = 1;
            else if (*p == 'v') invert = 1;
            else if (*p == 'q') quiet = 1;
            else { write_all(2, "usage: grep [-c] [-i] [-n] [-v] [-q] STRING [FILE...]\n"); return 2; }
        }
    }
    if (i >= argc) { write_all(2, "usage: grep [-c] [-i] [-n] [-v] [-q] STRING [FILE...]\n"); return 2; }
    needle = argv[i++];
    needle_len = strlen(needle);
    with_names = argc - i > 1;
    long total = 0;
    int errors = 0;
    if (i == argc) total = scan(0, "(standard input)");
    for (; i < argc; i++) {
        i64 fd = sys_open(argv[i], O_RDONLY, 0);
        long n = fd < 0 ? -1 : scan((int)fd, argv[i]);
        if (fd >= 0) sys_close((int)fd);
        if (n < 0) { flush(); write_all(2, "grep: "); write_all(2, argv[i]); write_all(2, ": cannot read\n"); errors = 1; continue; }
        total += n;
    }
    flush();
    return errors ? 2 : total > 0 ? 0 : 1;
}
WALI_MAIN
