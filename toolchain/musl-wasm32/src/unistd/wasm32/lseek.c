#include <unistd.h>
#include <errno.h>
#include "syscall.h"

/*
 * WALI's lseek returns the new offset as an i64. musl's generic lseek passes it through
 * syscall()'s long, 32 bits on wasm32, which cut offsets beyond 2 GiB (and ftello, fseeko's
 * result, everything stdio computes from it). The import's result is kept whole here.
 */
off_t __lseek(int fd, off_t offset, int whence)
{
	long long r = __wali_SYS_lseek(fd, offset, whence);
	if (r < 0) {
		errno = -r;
		return -1;
	}
	return r;
}

weak_alias(__lseek, lseek);
weak_alias(__lseek, lseek64);
