/*
 * WALI's rt_sigaction structure (SPEC §3): handler u32 @0 (a function-table index; SIG_DFL 0,
 * SIG_IGN 1), mask @8 (the first 8 bytes are signals 1..64, 128 bytes reserved), flags i32
 * @136, restorer u32 @140. The runtime calls handlers itself and returns from them through the
 * engine, so the restorer musl passes (the empty __restore_rt) is never called.
 */
struct k_sigaction {
	void (*handler)(int);
	unsigned __pad;
	unsigned mask[32];
	int flags;
	void (*restorer)(void);
};

hidden void __restore(), __restore_rt();

/* musl ORs SA_RESTORER into every action; under WALI there is no such flag. */
#define SA_RESTORER 0
