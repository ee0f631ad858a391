#define _GNU_SOURCE
#include <sys/wait.h>
#include <sys/resource.h>
#include "syscall.h"
#include "krusage.h"

pid_t wait4(pid_t pid, int *status, int options, struct rusage *ru)
{
	struct krusage k;
	int r = __syscall(SYS_wait4, pid, status, options, ru ? &k : 0);
	if (r > 0 && ru) __wasm32_rusage_from_kernel(ru, &k);
	return __syscall_ret(r);
}
