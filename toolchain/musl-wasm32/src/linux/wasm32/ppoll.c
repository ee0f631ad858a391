#define _GNU_SOURCE
#include <poll.h>
#include <signal.h>
#include "syscall.h"

/* The runtime reads the timeout as x86-64's struct timespec (two 64-bit fields); musl's
 * generic ppoll passes (long[]){s, ns}, two 32-bit longs on wasm32. */
int ppoll(struct pollfd *fds, nfds_t n, const struct timespec *to, const sigset_t *mask)
{
	return syscall_cp(SYS_ppoll, fds, n,
		to ? ((long long[]){to->tv_sec, to->tv_nsec}) : 0, mask, _NSIG/8);
}
