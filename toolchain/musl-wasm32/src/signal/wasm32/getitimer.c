#include <sys/time.h>
#include "syscall.h"

/* See setitimer.c: the runtime's struct itimerval and the library's have the same layout. */
int getitimer(int which, struct itimerval *old)
{
	return syscall(SYS_getitimer, which, old);
}
