/* struct stat filled by the fstat/newfstatat syscalls themselves (syscall(2)) reads the same as stat()'s. */
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

static void compare(const char *how, const struct stat *a, const struct stat *b)
{
	printf("%s: regular %d, size %lld, links %lu, same inode %d, same mode %d, same mtime %d, same blocks %d\n", how,
	       S_ISREG(a->st_mode), (long long)a->st_size, (unsigned long)a->st_nlink, a->st_ino == b->st_ino,
	       a->st_mode == b->st_mode, a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec,
	       a->st_blocks == b->st_blocks && a->st_blksize == b->st_blksize);
}

int main(void)
{
	const char *path = "/tmp/nojit-rawstat";
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0640);
	if (fd < 0 || write(fd, "DATA", 4) != 4) { perror("open/write"); return 1; }
	struct stat ref, raw;
	if (stat(path, &ref)) { perror("stat"); return 1; }
	printf("fstat syscall: %ld\n", syscall(SYS_fstat, fd, &raw));
	compare("fstat", &raw, &ref);
	printf("newfstatat syscall: %ld\n", syscall(SYS_newfstatat, AT_FDCWD, path, &raw, 0));
	compare("newfstatat", &raw, &ref);
	long r = syscall(SYS_newfstatat, AT_FDCWD, "/tmp", &raw, 0);
	printf("newfstatat on a directory: %ld, directory %d\n", r, S_ISDIR(raw.st_mode));
	close(fd);
	unlink(path);
	return 0;
}
