#include <sys/time.h>
#include "syscall.h"

/* The runtime's struct itimerval is x86-64's: four 64-bit fields, the same as the library's
 * (64-bit time_t and suseconds_t), so no 32-bit conversion is needed. */
int setitimer(int which, const struct itimerval *restrict new, struct itimerval *restrict old)
{
	return syscall(SYS_setitimer, which, new, old);
}
