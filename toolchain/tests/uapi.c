/* Linux's API headers in the sysroot: <linux/futex.h> constants through syscall(2), x86-64's kernel types. */
#include <errno.h>
#include <linux/futex.h>
#include <linux/types.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(void)
{
	static int word = 7;
	long woken = syscall(SYS_futex, &word, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, 1, 0, 0, 0);
	printf("FUTEX_WAKE with no waiter: %ld\n", woken);
	errno = 0;
	long r = syscall(SYS_futex, &word, FUTEX_WAIT | FUTEX_PRIVATE_FLAG, 8, 0, 0, 0);
	printf("FUTEX_WAIT on a changed word: %ld, EAGAIN %d\n", r, errno == EAGAIN);
	printf("__kernel_long_t is 64 bits: %d, __u64 is 64 bits: %d\n", (int)sizeof(__kernel_long_t) == 8,
	       (int)sizeof(__u64) == 8);
	return 0;
}
