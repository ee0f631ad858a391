/* statfs/fstatfs/statvfs and sysinfo: the values are the system's own, so only their consistency is printed. */
#include <fcntl.h>
#include <stdio.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <unistd.h>

int main(void)
{
	struct statfs s, fs;
	struct statvfs v;
	int fd = open("/tmp", O_RDONLY | O_DIRECTORY);
	printf("statfs /tmp: %d, fstatfs: %d, statvfs: %d\n", statfs("/tmp", &s), fstatfs(fd, &fs), statvfs("/tmp", &v));
	printf("block size a power of two >= 512: %d\n", s.f_bsize >= 512 && (s.f_bsize & (s.f_bsize - 1)) == 0);
	printf("free <= blocks: %d, files > 0: %d, name length 255: %d\n", s.f_bfree <= s.f_blocks, s.f_files > 0,
	       s.f_namelen == 255);
	printf("fstatfs agrees: %d\n", fs.f_type == s.f_type && fs.f_bsize == s.f_bsize && fs.f_blocks == s.f_blocks);
	printf("statvfs agrees: %d\n", v.f_bsize == (unsigned long)s.f_bsize && v.f_blocks == s.f_blocks && v.f_namemax == 255);
	struct statfs raw;
	long r = syscall(SYS_statfs, "/tmp", &raw);
	printf("statfs syscall: %ld, agrees %d\n", r, raw.f_bsize == s.f_bsize && raw.f_blocks == s.f_blocks &&
	       raw.f_namelen == s.f_namelen && raw.f_type == s.f_type);
	close(fd);

	struct sysinfo i;
	printf("sysinfo: %d\n", sysinfo(&i));
	unsigned long long total = (unsigned long long)i.totalram * i.mem_unit;
	printf("mem_unit >= 1: %d, total memory > 16 MiB: %d, free <= total: %d\n", i.mem_unit >= 1, total > (16u << 20),
	       i.freeram <= i.totalram);
	printf("processes >= 1: %d, uptime < 100 years: %d\n", i.procs >= 1, i.uptime < 3200000000UL);
	printf("get_phys_pages matches: %d\n", get_phys_pages() == (long)(total / 4096));
	return 0;
}
