/*
 * posix_spawn for wasm32 (WALI): the child is made with fork, not with a CLONE_VM|CLONE_VFORK
 * clone of the caller's memory (the runtime has no shared-memory clone; __clone answers EAGAIN),
 * so popen, system and posix_spawn[p] work. The child applies the attributes and the file
 * actions in the order they were added, then execs; a failure before or in exec reaches the
 * parent as an errno through a close-on-exec pipe, and the child exits 127.
 */
#define _GNU_SOURCE
#include <spawn.h>
#include <signal.h>
#include <fcntl.h>
#include <unistd.h>
#include <errno.h>
#include <sys/wait.h>
#include "../fdop.h"

typedef int (*exec_fn)(const char *, char *const *, char *const *);

/* Moves the error pipe's write end off fd when a file action is about to use that number. */
static int keep_clear(int *pipe_fd, int fd)
{
	if (fd != *pipe_fd) return 0;
	int moved = fcntl(*pipe_fd, F_DUPFD_CLOEXEC, 0);
	if (moved < 0) return -1;
	close(*pipe_fd);
	*pipe_fd = moved;
	return 0;
}

static int apply_action(const struct fdop *op, int *pipe_fd)
{
	int fd;
	switch (op->cmd) {
	case FDOP_CLOSE:
		if (keep_clear(pipe_fd, op->fd)) return -1;
		close(op->fd); /* an fd that is not open is not an error here */
		return 0;
	case FDOP_DUP2:
		if (op->srcfd == *pipe_fd) { errno = EBADF; return -1; }
		if (keep_clear(pipe_fd, op->fd)) return -1;
		if (op->srcfd == op->fd) {
			int flags = fcntl(op->fd, F_GETFD);
			if (flags < 0) return -1;
			return fcntl(op->fd, F_SETFD, flags & ~FD_CLOEXEC);
		}
		return dup2(op->srcfd, op->fd) < 0 ? -1 : 0;
	case FDOP_OPEN:
		if (keep_clear(pipe_fd, op->fd)) return -1;
		close(op->fd);
		fd = open(op->path, op->oflag, op->mode);
		if (fd < 0) return -1;
		if (fd != op->fd) {
			if (dup2(fd, op->fd) < 0) return -1;
			close(fd);
		}
		return 0;
	case FDOP_CHDIR:
		return chdir(op->path);
	case FDOP_FCHDIR:
		return fchdir(op->fd);
	}
	errno = EINVAL;
	return -1;
}

static int child(int pipe_fd, const char *path, const posix_spawn_file_actions_t *fa,
	const posix_spawnattr_t *attr, const sigset_t *parent_mask,
	char *const argv[], char *const envp[])
{
	int flags = attr ? attr->__flags : 0;
	struct sigaction dfl = { .sa_handler = SIG_DFL }, cur;

	/* No handler of the parent may run in the child: caught signals go back to the default
	 * (exec would do it anyway), as do the ones POSIX_SPAWN_SETSIGDEF names. */
	for (int sig = 1; sig < _NSIG; sig++) {
		if (sig == SIGKILL || sig == SIGSTOP) continue;
		if ((flags & POSIX_SPAWN_SETSIGDEF) && sigismember(&attr->__def, sig)) {
			sigaction(sig, &dfl, 0);
		} else if (sigaction(sig, 0, &cur) == 0 && cur.sa_handler != SIG_DFL
			   && cur.sa_handler != SIG_IGN) {
			sigaction(sig, &dfl, 0);
		}
	}
	if ((flags & POSIX_SPAWN_SETSID) && setsid() < 0) return errno;
	if ((flags & POSIX_SPAWN_SETPGROUP) && setpgid(0, attr->__pgrp)) return errno;
	if (flags & POSIX_SPAWN_RESETIDS) {
		if (setgid(getgid()) || setuid(getuid())) return errno;
	}
	if (fa && fa->__actions) {
		const struct fdop *op = fa->__actions;
		while (op->next) op = op->next; /* the list is newest first */
		for (; op; op = op->prev)
			if (apply_action(op, &pipe_fd)) return errno;
	}
	sigprocmask(SIG_SETMASK, (flags & POSIX_SPAWN_SETSIGMASK) ? &attr->__mask : parent_mask, 0);
	exec_fn exec = attr && attr->__fn ? (exec_fn)attr->__fn : execve;
	exec(path, argv, envp);
	int err = errno;
	while (write(pipe_fd, &err, sizeof err) < 0 && errno == EINTR);
	_exit(127);
}

int posix_spawn(pid_t *restrict res, const char *restrict path,
	const posix_spawn_file_actions_t *fa,
	const posix_spawnattr_t *restrict attr,
	char *const argv[restrict], char *const envp[restrict])
{
	int p[2], err = 0;
	sigset_t all, old;

	if (pipe2(p, O_CLOEXEC)) return errno;
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, &old);
	pid_t pid = fork();
	if (pid == 0) {
		close(p[0]);
		int e = child(p[1], path, fa, attr, &old, argv, envp);
		while (write(p[1], &e, sizeof e) < 0 && errno == EINTR);
		_exit(127);
	}
	if (pid < 0) err = errno;
	close(p[1]);
	if (pid > 0) {
		ssize_t n;
		while ((n = read(p[0], &err, sizeof err)) < 0 && errno == EINTR);
		if (n == sizeof err) {
			int status;
			while (waitpid(pid, &status, 0) < 0 && errno == EINTR);
		} else {
			err = 0;
		}
	}
	close(p[0]);
	sigprocmask(SIG_SETMASK, &old, 0);
	if (!err && res) *res = pid;
	return err;
}
