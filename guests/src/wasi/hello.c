/*
 * hello: the smallest WASI guest of nojit.
 *
 * Prints one fixed line and exits 0. The demo and the tests run it to show
 * that a signed, recompiled module starts, writes to stdout and exits cleanly.
 */
#include <stdio.h>

int main(void) {
    puts("hello from a signed nojit guest");
    return 0;
}
