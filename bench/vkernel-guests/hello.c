/* hello: the smallest useful WALI program, for the start-up time of a container. */
#include "wali.h"

void _start(void) {
    static const char text[] = "hello from nojit\n";
    SYS_write(1, text, sizeof text - 1);
    SYS_exit_group(0);
}
