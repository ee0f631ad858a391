#include "pthread_impl.h"

/* The thread pointer of wasm32 (see pthread_arch.h): one global, as the runtime has no threads. */
uintptr_t __wasm32_thread_pointer;

int __set_thread_area(void *p)
{
	__wasm32_thread_pointer = (uintptr_t)p;
	return 0;
}
