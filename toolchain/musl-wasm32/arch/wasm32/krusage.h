/* struct rusage as the WALI runtime writes it: x86-64's, every field 64 bits (144 bytes). */
struct krusage {
	long long utime_sec, utime_usec, stime_sec, stime_usec;
	long long counters[14];
};

/* The library's struct rusage has 32-bit longs after the two timevals. */
static inline void __wasm32_rusage_from_kernel(struct rusage *ru, const struct krusage *k)
{
	long *out = &ru->ru_maxrss;
	ru->ru_utime.tv_sec = k->utime_sec;
	ru->ru_utime.tv_usec = k->utime_usec;
	ru->ru_stime.tv_sec = k->stime_sec;
	ru->ru_stime.tv_usec = k->stime_usec;
	for (int i = 0; i < 14; i++) out[i] = k->counters[i];
}
