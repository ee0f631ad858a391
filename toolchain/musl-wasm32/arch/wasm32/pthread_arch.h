/*
 * wasm32 has no thread-pointer register: the main thread's pointer lives in a global set by
 * __set_thread_area (src/thread/wasm32). TLS sits below it, as on x86 (no TLS_ABOVE_TP). The
 * runtime has no threads yet, so one global is the whole story.
 */
extern uintptr_t __wasm32_thread_pointer;

static inline uintptr_t __get_tp()
{
	return __wasm32_thread_pointer;
}

/* no machine context: signal handlers get no ucontext from the runtime */
#define MC_PC __pc
