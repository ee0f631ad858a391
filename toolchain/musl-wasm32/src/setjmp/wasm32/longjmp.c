#include <setjmp.h>

/* The runtime unwinds to the setjmp/sigsetjmp call that filled buf (and restores the mask
 * sigsetjmp saved); a buffer never filled, or whose frame has returned, kills the process. */
__attribute__((__import_module__("wali"), __import_name__("longjmp")))
_Noreturn void __wali_longjmp(jmp_buf buf, int value);

_Noreturn void longjmp(jmp_buf buf, int value)
{
	__wali_longjmp(buf, value);
}

_Noreturn void _longjmp(jmp_buf buf, int value)
{
	__wali_longjmp(buf, value);
}
