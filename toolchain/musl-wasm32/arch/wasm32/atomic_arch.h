/*
 * Single-threaded wasm32 (no shared memory, no threads in the runtime): a compare-and-swap is
 * an ordinary load and store. a_barrier is a compiler barrier only.
 */
#define a_cas a_cas
static inline int a_cas(volatile int *p, int t, int s)
{
	int old = *p;
	if (old == t) *p = s;
	return old;
}

#define a_barrier a_barrier
static inline void a_barrier()
{
	__asm__ __volatile__ ("" : : : "memory");
}

#define a_crash a_crash
static inline void a_crash()
{
	__builtin_trap();
}

#define a_ctz_32 a_ctz_32
static inline int a_ctz_32(unsigned x)
{
	return __builtin_ctz(x);
}

#define a_clz_32 a_clz_32
static inline int a_clz_32(unsigned x)
{
	return __builtin_clz(x);
}
