/* printf's conversions, the heap, and stdio on a real file. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int cmp(const void *a, const void *b) { return *(const int *)a - *(const int *)b; }

int main(void)
{
    printf("ints %d %i %u %ld %lld %x %X %o %5d|%-5d|%05d\n", -42, 7, 3000000000u, -1L, -9000000000LL, 255, 255, 8, 1, 2, 3);
    printf("floats %f %.3f %e %g %g %a\n", 3.14159, 2.0 / 3, 12345.678, 0.0001, 1e20, 1.0);
    printf("strings [%s] [%10s] [%-10s] [%.2s] %c%%\n", "abc", "right", "left", "truncate", 'Z');
    char buf[64];
    int n = snprintf(buf, sizeof buf, "%s-%d-%.1f", "snprintf", 99, 9.95);
    printf("snprintf %d %s\n", n, buf);
    printf("strtod %.6f strtol %ld atoi %d\n", strtod("2.5e3", 0), strtol("-0x1f", 0, 16), atoi("  77x"));

    /* heap: many sizes, realloc growth, frees in a mixed order */
    enum { N = 2000 };
    static char *blocks[N];
    size_t total = 0;
    for (int i = 0; i < N; i++) {
        size_t size = (size_t)(i * 37 % 5000) + 1;
        blocks[i] = malloc(size);
        if (!blocks[i]) { puts("malloc failed"); return 1; }
        memset(blocks[i], i & 0xff, size);
        total += size;
    }
    for (int i = 0; i < N; i += 2) free(blocks[i]);
    char *big = malloc(1);
    for (size_t size = 2; size <= (1 << 22); size *= 2) {
        big = realloc(big, size);
        big[size - 1] = 'x';
    }
    int intact = 1;
    for (int i = 1; i < N; i += 2)
        for (size_t k = 0; k < (size_t)(i * 37 % 5000) + 1; k++)
            if ((unsigned char)blocks[i][k] != (i & 0xff)) intact = 0;
    printf("heap total %zu intact %d big %c\n", total, intact, big[(1 << 22) - 1]);
    free(big);
    int v[10] = {5, 3, 9, 1, 7, 2, 8, 0, 6, 4};
    qsort(v, 10, sizeof v[0], cmp);
    for (int i = 0; i < 10; i++) printf("%d%c", v[i], i == 9 ? '\n' : ' ');

    /* a file: write, seek, read back, append, line reads */
    const char *path = "/tmp/nojit-cc-stdio.txt";
    FILE *f = fopen(path, "w");
    if (!f) { perror("fopen w"); return 1; }
    for (int i = 0; i < 1000; i++) fprintf(f, "line %d\n", i);
    printf("ftell after writing %ld\n", ftell(f));
    fclose(f);
    f = fopen(path, "r+");
    fseek(f, -9, SEEK_END);
    char tail[16] = {0};
    size_t got = fread(tail, 1, sizeof tail - 1, f);
    printf("tail %zu [%s]\n", got, strtok(tail, "\n"));
    rewind(f);
    char line[32];
    int lines = 0;
    while (fgets(line, sizeof line, f)) lines++;
    printf("lines %d eof %d\n", lines, feof(f));
    fclose(f);
    f = fopen(path, "a");
    fwrite("appended\n", 1, 9, f);
    fclose(f);
    f = fopen(path, "rb");
    fseek(f, 0, SEEK_END);
    printf("size %ld\n", ftell(f));
    fclose(f);
    int unlinked = unlink(path);
    printf("unlink %d, reopen %s\n", unlinked, fopen(path, "r") ? "found" : "gone");
    fprintf(stderr, "to stderr\n");
    return 0;
}
