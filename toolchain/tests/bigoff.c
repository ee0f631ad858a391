/* 64-bit file offsets beyond 2 GiB through lseek, fseeko/ftello and ftell (nothing is written there). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/types.h>
#include <unistd.h>

int main(void)
{
	const char *path = "/tmp/nojit-bigoff";
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || write(fd, "abc", 3) != 3) { perror("open/write"); return 1; }
	off_t three = (off_t)3 << 30, five = (off_t)5 << 30;
	printf("lseek SEEK_SET 3 GiB: %lld\n", (long long)lseek(fd, three, SEEK_SET));
	printf("lseek SEEK_CUR +5: %lld\n", (long long)lseek(fd, 5, SEEK_CUR));
	printf("lseek SEEK_CUR 0: %lld\n", (long long)lseek(fd, 0, SEEK_CUR));
	printf("lseek SEEK_SET 5 GiB: %lld\n", (long long)lseek(fd, five, SEEK_SET));
	printf("lseek SEEK_END: %lld\n", (long long)lseek(fd, 0, SEEK_END));
	errno = 0;
	off_t bad = lseek(fd, -1, SEEK_SET);
	printf("lseek to -1: %lld, EINVAL %d\n", (long long)bad, errno == EINVAL);

	FILE *f = fdopen(fd, "r+");
	if (!f) { perror("fdopen"); return 1; }
	printf("fseeko 3 GiB + 7: %d\n", fseeko(f, three + 7, SEEK_SET));
	printf("ftello: %lld\n", (long long)ftello(f));
	errno = 0;
	long t = ftell(f);
	/* ftell returns long: 64 bits natively, 32 bits on wasm32, where the offset does not fit */
	int right = sizeof(long) == 8 ? t == (long)(three + 7) : (t == -1 && errno == EOVERFLOW);
	printf("ftell beyond its long: %s\n", right ? "right" : "wrong");
	int back = fseeko(f, 1, SEEK_SET);
	int c = getc(f);
	printf("fseeko 1: %d, then getc '%c', ftell %ld\n", back, c, ftell(f));
	fclose(f);
	unlink(path);
	return 0;
}
