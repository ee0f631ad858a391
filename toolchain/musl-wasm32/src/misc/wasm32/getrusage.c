#include <sys/resource.h>
#include "syscall.h"
#include "krusage.h"

int getrusage(int who, struct rusage *ru)
{
	struct krusage k;
	int r = __syscall(SYS_getrusage, who, &k);
	if (!r) __wasm32_rusage_from_kernel(ru, &k);
	return __syscall_ret(r);
}
