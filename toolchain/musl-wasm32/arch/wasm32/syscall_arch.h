/*
 * The WALI syscall layer. Each Linux syscall is the import wali.SYS_<name> with WALI's own
 * signature (int and pointers i32, long/off_t i64, result i64; -errno on failure). musl names
 * syscalls by number (x86-64's, as WALI does); __wali_syscall (generated from syscalls.txt by
 * gen-syscalls.awk) maps a number to its import, and a number it does not know to -ENOSYS.
 *
 * Arguments travel as 64-bit syscall_arg_t, so 64-bit offsets are passed whole (as on x32):
 * __scc widens pointers and ints without sign-extending pointers.
 */
#define __SYSCALL_LL_E(x) (x)
#define __SYSCALL_LL_O(x) (x)

#define __scc(X) sizeof(1?(X):0ULL) < 8 ? (unsigned long) (X) : (long long) (X)
typedef long long syscall_arg_t;

#include "wali_syscalls.h"

static __inline long __syscall0(syscall_arg_t n)
{
	return __wali_syscall(n, 0, 0, 0, 0, 0, 0);
}

static __inline long __syscall1(syscall_arg_t n, syscall_arg_t a)
{
	return __wali_syscall(n, a, 0, 0, 0, 0, 0);
}

static __inline long __syscall2(syscall_arg_t n, syscall_arg_t a, syscall_arg_t b)
{
	return __wali_syscall(n, a, b, 0, 0, 0, 0);
}

static __inline long __syscall3(syscall_arg_t n, syscall_arg_t a, syscall_arg_t b, syscall_arg_t c)
{
	return __wali_syscall(n, a, b, c, 0, 0, 0);
}

static __inline long __syscall4(syscall_arg_t n, syscall_arg_t a, syscall_arg_t b, syscall_arg_t c,
	syscall_arg_t d)
{
	return __wali_syscall(n, a, b, c, d, 0, 0);
}

static __inline long __syscall5(syscall_arg_t n, syscall_arg_t a, syscall_arg_t b, syscall_arg_t c,
	syscall_arg_t d, syscall_arg_t e)
{
	return __wali_syscall(n, a, b, c, d, e, 0);
}

static __inline long __syscall6(syscall_arg_t n, syscall_arg_t a, syscall_arg_t b, syscall_arg_t c,
	syscall_arg_t d, syscall_arg_t e, syscall_arg_t f)
{
	return __wali_syscall(n, a, b, c, d, e, f);
}

/* no vDSO */
#define VDSO_USEFUL 0
