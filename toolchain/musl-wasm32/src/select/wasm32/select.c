#include <sys/select.h>
#include <errno.h>
#include "syscall.h"

/* The runtime reads select's timeout as x86-64's struct timeval: two 64-bit fields. musl's
 * generic select passes (long[]){s, us}, two 32-bit longs on wasm32, so the runtime would read
 * the microseconds as the high half of the seconds (a 50 ms timeout became years). Same
 * normalisation as the generic file (carry whole seconds out of tv_usec; saturate). */
int select(int n, fd_set *restrict rfds, fd_set *restrict wfds, fd_set *restrict efds, struct timeval *restrict tv)
{
	time_t s = tv ? tv->tv_sec : 0;
	suseconds_t us = tv ? tv->tv_usec : 0;
	const time_t max_time = (1ULL<<8*sizeof(time_t)-1)-1;

	if (s<0 || us<0) return __syscall_ret(-EINVAL);
	if (us/1000000 > max_time - s) {
		s = max_time;
		us = 999999;
	} else {
		s += us/1000000;
		us %= 1000000;
	}
	return syscall_cp(SYS_select, n, rfds, wfds, efds,
		tv ? ((long long[]){s, us}) : 0);
}
