#define _BSD_SOURCE
#include <unistd.h>
#include <stdarg.h>
#include "syscall.h"

#undef syscall

/*
 * syscall(2) with a number known only at run time: the one table of the WALI layer. Callers
 * pass ints and pointers (32-bit on wasm32) through "...", so the arguments are read as long;
 * an unknown number gives -1 with errno ENOSYS.
 */
long syscall(long n, ...)
{
	va_list ap;
	long a, b, c, d, e, f;
	va_start(ap, n);
	a = va_arg(ap, long);
	b = va_arg(ap, long);
	c = va_arg(ap, long);
	d = va_arg(ap, long);
	e = va_arg(ap, long);
	f = va_arg(ap, long);
	va_end(ap);
	return __syscall_ret(__wali_syscall(n, a, b, c, d, e, f));
}
