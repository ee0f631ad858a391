/*
 * Shared by the engine benchmark workloads (bench/engine). Each workload defines
 * `long long run(void)`, which does all of its work from scratch and returns a checksum,
 * so that it can be called any number of times in the same instance.
 *
 * Built two ways from the same file:
 *   wasm32:  clang --target=wasm32 -O2 -nostdlib (no libc; run is the only export)
 *   native:  gcc -O2 -DNATIVE_MAIN, which adds the timing main below
 */
#ifndef NOJIT_BENCH_COMMON_H
#define NOJIT_BENCH_COMMON_H

typedef unsigned char u8;
typedef unsigned int u32;
typedef unsigned long long u64;
typedef long long i64;

/* splitmix64: a fixed, well-mixed stream of 64-bit values, the same on every target. */
static inline u64 splitmix64(u64 *state) {
    u64 z = (*state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

long long run(void);

#ifdef NATIVE_MAIN
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

/*
 * `./workload [N]` calls run() N times (default 1) and prints one line per call:
 * "<checksum> <seconds>", timed with CLOCK_MONOTONIC. The bench driver drops warm-up lines.
 */
int main(int argc, char **argv) {
    int n = argc > 1 ? atoi(argv[1]) : 1;
    for (int i = 0; i < n; i++) {
        struct timespec t0, t1;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        volatile long long checksum = run();
        clock_gettime(CLOCK_MONOTONIC, &t1);
        double seconds = (double) (t1.tv_sec - t0.tv_sec) + (double) (t1.tv_nsec - t0.tv_nsec) * 1e-9;
        printf("%lld %.9f\n", (long long) checksum, seconds);
        fflush(stdout);
    }
    return 0;
}
#endif

#endif
