/*
 * wc: counts lines, words and bytes, like wc(1), for WASI.
 *
 * Usage: wc [-l] [-w] [-c] [FILE...]
 * Reads stdin when no file is named ("-" also means stdin). Without options
 * it prints lines, words and bytes; -l, -w and -c select columns, always in
 * that order (one column alone is printed without padding). With more than
 * one file a "total" line follows. A word is a maximal run of bytes that are
 * not ASCII white space. A file that cannot be opened is reported on stderr
 * and the exit status is then 1.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

struct counts {
    unsigned long long lines, words, bytes;
};

static int show_lines, show_words, show_bytes;
static unsigned char buf[64 * 1024];

static int is_space(unsigned char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

/* Adds the counts of fd to *c; returns 0, or the errno of a failed read. */
static int count(int fd, struct counts *c) {
    int in_word = 0;
    for (;;) {
        ssize_t r = read(fd, buf, sizeof buf);
        if (r == 0)
            return 0;
        if (r < 0) {
            if (errno == EINTR)
                continue;
            return errno;
        }
        c->bytes += (unsigned long long)r;
        for (ssize_t i = 0; i < r; i++) {
            unsigned char b = buf[i];
            if (b == '\n')
                c->lines++;
            if (is_space(b)) {
                in_word = 0;
            } else if (!in_word) {
                in_word = 1;
                c->words++;
            }
        }
    }
}

/* One column alone is printed bare ("57 report.txt"); several are 7 wide. */
static void print(const struct counts *c, const char *name) {
    unsigned long long v[3];
    int n = 0;
    if (show_lines)
        v[n++] = c->lines;
    if (show_words)
        v[n++] = c->words;
    if (show_bytes)
        v[n++] = c->bytes;
    for (int k = 0; k < n; k++)
        printf(n == 1 ? "%s%llu" : "%s%7llu", k == 0 ? "" : " ", v[k]);
    if (name != NULL)
        printf(" %s", name);
    putchar('\n');
}

int main(int argc, char **argv) {
    int i = 1;
    for (; i < argc && argv[i][0] == '-' && argv[i][1] != '\0'; i++) {
        if (strcmp(argv[i], "--") == 0) {
            i++;
            break;
        }
        for (const char *o = argv[i] + 1; *o != '\0'; o++) {
            switch (*o) {
            case 'l': show_lines = 1; break;
            case 'w': show_words = 1; break;
            case 'c': show_bytes = 1; break;
            default:
                fprintf(stderr, "wc: unknown option -%c\nusage: wc [-l] [-w] [-c] [FILE...]\n", *o);
                return 2;
            }
        }
    }
    if (!show_lines && !show_words && !show_bytes)
        show_lines = show_words = show_bytes = 1;

    int status = 0;
    if (i == argc) {
        struct counts c = {0, 0, 0};
        int err = count(0, &c);
        if (err != 0) {
            fprintf(stderr, "wc: -: %s\n", strerror(err));
            status = 1;
        }
        print(&c, NULL);
        return status;
    }

    struct counts total = {0, 0, 0};
    int files = argc - i;
    for (; i < argc; i++) {
        const char *name = argv[i];
        int is_stdin = strcmp(name, "-") == 0;
        int fd = is_stdin ? 0 : open(name, O_RDONLY);
        if (fd < 0) {
            fprintf(stderr, "wc: %s: %s\n", name, strerror(errno));
            status = 1;
            continue;
        }
        struct counts c = {0, 0, 0};
        int err = count(fd, &c);
        if (!is_stdin)
            close(fd);
        if (err != 0) {
            fprintf(stderr, "wc: %s: %s\n", name, strerror(err));
            status = 1;
            continue;
        }
        print(&c, name);
        total.lines += c.lines;
        total.words += c.words;
        total.bytes += c.bytes;
    }
    if (files > 1)
        print(&total, "total");
    return status;
}
