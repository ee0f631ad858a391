/*
 * attack-payload: the code the attacks try to start. The simulation bundle carries it only as a
 * data file (/data/payload.wasm): the manifest never lists it as an executable, so if it ever
 * runs, the hash gate let unlisted code in. It says so — "SURVIVED <technique> payload-ran",
 * the technique being argv[1] (the attacks pass their own name) — and exits 66.
 */
#include "wali.h"

int main(int argc, char **argv) {
    char line[300];
    strcpy(line, "SURVIVED ");
    strcat(line, argc > 1 && strlen(argv[1]) < 200 ? argv[1] : "unknown");
    strcat(line, " payload-ran\n");
    sys_write(1, line, strlen(line));
    return 66;
}
WALI_MAIN
