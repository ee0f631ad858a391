/*
 * Start-up for WALI modules. There is no initial stack holding argc/argv/envp/auxv: argv comes
 * from the support imports __cl_get_argc/__cl_get_argv_len/__cl_copy_argv, the environment
 * from the file __get_init_envfile names (one NAME=VALUE per line). Both are laid out in one
 * anonymous mapping in the shape __libc_start_main expects: argv, NULL, envp, NULL, auxv.
 */
#include <features.h>
#include <errno.h>
#include <limits.h>
#include <sys/mman.h>
#include <fcntl.h>
#include <elf.h>
#include "syscall.h"

/*
 * WALI passes a handler as a function-table index and SIG_IGN is 1, so table slot 1 must never
 * hold a function a program could install. wasm-ld numbers address-taken functions in the order
 * the code refers to them, crt1.o first: the first reference below takes slot 1 (index 0 is
 * the null entry) for a function that is never a handler.
 */
static void slot_one(void) {}
volatile unsigned __wasm32_slot_one;
__attribute__((__noinline__, __used__)) void __wasm32_reserve_slot_one(void)
{
	__wasm32_slot_one = (unsigned)(unsigned long)slot_one;
}

#define WALI_SUPPORT(name) __attribute__((__import_module__("wali"), __import_name__(#name)))
WALI_SUPPORT(__cl_get_argc) unsigned __wali_argc(void);
WALI_SUPPORT(__cl_get_argv_len) unsigned __wali_argv_len(unsigned i);
WALI_SUPPORT(__cl_copy_argv) int __wali_copy_argv(char *buf, unsigned i);
WALI_SUPPORT(__get_init_envfile) int __wali_envfile(char *buf, unsigned size);

/*
 * clang for wasm32 names `int main(int, char **)` __main_argc_argv and keeps `main` for
 * `int main(void)` (as a wrapper taking argc and argv): a main that is not defined forwards.
 */
weak int __main_argc_argv(int, char **);
weak int main(int argc, char **argv)
{
	return __main_argc_argv(argc, argv);
}
/* __libc_start_main calls main with argc, argv and envp; wasm checks the callee's type. */
static int call_main(int argc, char **argv, char **envp)
{
	return main(argc, argv);
}

weak void _init();
weak void _fini();
int __libc_start_main(int (*)(), int, char **,
	void (*)(), void(*)(), void(*)());

static _Noreturn void start_failed(void)
{
	static const char msg[] = "wasm32 start-up: no memory for argv and the environment\n";
	__syscall(SYS_write, 2, msg, sizeof msg - 1);
	__syscall(SYS_exit_group, 127);
	for (;;);
}

static void *map(size_t n)
{
	long p = __syscall(SYS_mmap, 0, n, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0);
	if (p < 0 && p > -4096) start_failed();
	return (void *)p;
}

/* The environment file's bytes, NUL-terminated, or 0 when there is none. */
static char *read_envfile(size_t *len)
{
	char path[256];
	if (!__wali_envfile(path, sizeof path)) return 0;
	int fd = __syscall(SYS_open, path, O_RDONLY|O_CLOEXEC, 0);
	if (fd < 0) return 0;
	size_t cap = 4096, n = 0;
	char *buf = map(cap);
	for (;;) {
		if (n == cap - 1) {
			char *bigger = map(cap * 2);
			for (size_t i = 0; i < n; i++) bigger[i] = buf[i];
			__syscall(SYS_munmap, buf, cap);
			buf = bigger;
			cap *= 2;
		}
		long r = __syscall(SYS_read, fd, buf + n, cap - 1 - n);
		if (r == -EINTR) continue;
		if (r <= 0) break;
		n += r;
	}
	__syscall(SYS_close, fd);
	buf[n] = 0;
	*len = n;
	return buf;
}

__attribute__((__export_name__("_start"))) _Noreturn void _start(void)
{
	__wasm32_reserve_slot_one();
	unsigned argc = __wali_argc();
	size_t envlen = 0;
	char *env = read_envfile(&envlen);
	size_t envc = 0;
	for (size_t i = 0; i < envlen; i++) if (env[i] == '\n') envc++;
	if (envlen && env[envlen - 1] != '\n') envc++;

	/* argv[argc+1], envp[envc+1], auxv: AT_PAGESZ and the terminating AT_NULL */
	size_t slots = argc + 1 + envc + 1 + 4;
	size_t strings = 0;
	for (unsigned i = 0; i < argc; i++) strings += __wali_argv_len(i) + 1;
	char **vec = map(slots * sizeof(char *) + strings);
	char *s = (char *)(vec + slots);
	for (unsigned i = 0; i < argc; i++) {
		vec[i] = s;
		__wali_copy_argv(s, i);
		s += __wali_argv_len(i) + 1;
	}
	vec[argc] = 0;
	char **envp = vec + argc + 1;
	size_t k = 0;
	for (char *line = env, *p = env; envlen && p <= env + envlen; p++) {
		if (p == env + envlen || *p == '\n') {
			if (p > line) envp[k++] = line;
			if (p < env + envlen) *p = 0;
			line = p + 1;
		}
	}
	envp[k] = 0;
	size_t *auxv = (size_t *)(envp + envc + 1);
	auxv[0] = AT_PAGESZ; auxv[1] = PAGESIZE;
	auxv[2] = AT_NULL; auxv[3] = 0;
	__libc_start_main((int (*)())call_main, argc, vec, _init, _fini, 0);
	for (;;);
}
