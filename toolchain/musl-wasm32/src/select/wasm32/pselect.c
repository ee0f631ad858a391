#include <sys/select.h>
#include <signal.h>
#include <stdint.h>
#include "syscall.h"

/* The runtime reads the timeout as x86-64's struct timespec (two 64-bit fields); musl's
 * generic pselect passes (long[]){s, ns}, two 32-bit longs on wasm32. */
int pselect(int n, fd_set *restrict rfds, fd_set *restrict wfds, fd_set *restrict efds, const struct timespec *restrict ts, const sigset_t *restrict mask)
{
	syscall_arg_t data[2] = { (uintptr_t)mask, _NSIG/8 };
	return syscall_cp(SYS_pselect6, n, rfds, wfds, efds,
		ts ? ((long long[]){ts->tv_sec, ts->tv_nsec}) : 0, data);
}
