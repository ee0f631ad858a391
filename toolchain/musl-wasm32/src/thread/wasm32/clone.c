#include <errno.h>
#include "pthread_impl.h"

/*
 * The WALI runtime has no threads yet (its __wasm_thread_spawn returns -ENOSYS), so a new
 * thread cannot be started: pthread_create reports EAGAIN, "insufficient resources to create
 * another thread".
 */
int __clone(int (*func)(void *), void *stack, int flags, void *arg, ...)
{
	return -EAGAIN;
}
