/*
 * wali-marker-good: the approved program of the exec race (wali-exec-race): prints
 * "MARKER good" and exits 0. Its twin wali-marker-evil prints "MARKER evil" and exits 66; a
 * test bundle lists only this one as executable.
 */
#include "wali.h"

int main(int argc, char **argv) {
    (void)argc; (void)argv;
    write_all(1, "MARKER good\n");
    return 0;
}
WALI_MAIN
