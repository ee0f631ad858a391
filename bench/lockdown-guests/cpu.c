/* cpu: the SHA-256 workload of bench/workloads (16 MiB) as a WALI program, for the cost of
 * --host-jit off on a CPU-bound guest. Prints the checksum. */
#include "../vkernel-guests/wali.h"
#include "../workloads/sha256.c"

void _start(void) {
    long long sum = run();
    char text[32];
    int n = 0;
    unsigned long long u = (unsigned long long) sum;
    char digits[24];
    int d = 0;
    do { digits[d++] = (char) ('0' + u % 10); u /= 10; } while (u);
    while (d) text[n++] = digits[--d];
    text[n++] = '\n';
    SYS_write(1, text, (unsigned) n);
    SYS_exit_group(0);
}
