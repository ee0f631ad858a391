/*
 * wali-marker-evil: the bytes the exec race (wali-exec-race) swaps in under an approved name:
 * prints "MARKER evil" and exits 66. A test bundle carries it only as a data file, so if this
 * line ever appears, unapproved code ran.
 */
#include "wali.h"

int main(int argc, char **argv) {
    (void)argc; (void)argv;
    write_all(1, "MARKER evil\n");
    return 66;
}
WALI_MAIN
