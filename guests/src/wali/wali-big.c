/*
 * wali-big: a 3 MB module for the execve-latency benchmark (issue 5: hashing a large approved
 * module, cold and cached). Its size is a real data segment: one string of 49,152 blocks of
 * about 64 bytes, each carrying its own number (__COUNTER__), so no two blocks are alike and
 * nothing folds to zeros. A string literal compiles in well under a second, where an array of
 * 393,216 initializers took five. main reads one byte chosen at run time, so wasm-ld keeps it.
 * Prints "big BYTES bytes of data, byte[N]=C" and exits 0.
 *
 *   wali-big arrive T0   (bench/vkernel's execve benchmark) prints only "exec_ns D", D its
 *                        CLOCK_MONOTONIC time now minus T0, the caller's time just before execve
 */
#include "wali.h"

#define STR_(x) #x
#define STR(x) STR_(x)
/* 16 + 38 bytes of text and the block's number twice (5 digits for most blocks): about 64 bytes */
#define B(c) "nojit-big block " STR(c) " 0123456789abcdefghijklmnopqrstuvwxyz " STR(c)
#define B4 B(__COUNTER__) B(__COUNTER__) B(__COUNTER__) B(__COUNTER__)
#define B16 B4 B4 B4 B4
#define B64 B16 B16 B16 B16
#define B256 B64 B64 B64 B64
#define B1K B256 B256 B256 B256
#define B4K B1K B1K B1K B1K
#define B16K B4K B4K B4K B4K

#ifdef WALI_BIG_SMALL
/* bench/vkernel builds this source a second time with -DWALI_BIG_SMALL: the same program, 2 KB */
static const char data[] = B4 B4;
#else
static const char data[] = B16K B16K B16K;
#endif

int main(int argc, char **argv) {
    if (argc == 3 && !strcmp(argv[1], "arrive")) {
        i64 t1 = now_ns();
        say("exec_ns ");
        putl(t1 - atol(argv[2]));
        say("\n");
        return 0;
    }
    volatile size_t index = ((size_t)argc * 1000003u) % (sizeof data - 1);
    say("big ");
    putl((i64)(sizeof data - 1));
    say(" bytes of data, byte[");
    putl((i64)index);
    say("]=");
    put(&data[index], 1);
    say("\n");
    return 0;
}
WALI_MAIN
