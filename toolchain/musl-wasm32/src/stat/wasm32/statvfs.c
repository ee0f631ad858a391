#include <sys/statvfs.h>
#include <sys/statfs.h>
#include <string.h>
#include "syscall.h"

/* What the runtime fills: x86-64's struct statfs, with 64-bit longs (120 bytes). */
struct wali_statfs {
	long long f_type, f_bsize;
	unsigned long long f_blocks, f_bfree, f_bavail, f_files, f_ffree;
	int f_fsid[2];
	long long f_namelen, f_frsize, f_flags, f_spare[4];
};

/* The library's struct statfs has 32-bit longs (its block and file counts are 64-bit). */
static int convert(long r, const struct wali_statfs *k, struct statfs *buf)
{
	if (r < 0) return __syscall_ret(r);
	memset(buf, 0, sizeof *buf);
	buf->f_type = k->f_type;
	buf->f_bsize = k->f_bsize;
	buf->f_blocks = k->f_blocks;
	buf->f_bfree = k->f_bfree;
	buf->f_bavail = k->f_bavail;
	buf->f_files = k->f_files;
	buf->f_ffree = k->f_ffree;
	buf->f_fsid.__val[0] = k->f_fsid[0];
	buf->f_fsid.__val[1] = k->f_fsid[1];
	buf->f_namelen = k->f_namelen;
	buf->f_frsize = k->f_frsize;
	buf->f_flags = k->f_flags;
	return 0;
}

static int __statfs(const char *path, struct statfs *buf)
{
	struct wali_statfs k; /* the runtime fills all of it on success, and it is read only then */
	return convert(__syscall(SYS_statfs, path, &k), &k, buf);
}

static int __fstatfs(int fd, struct statfs *buf)
{
	struct wali_statfs k;
	return convert(__syscall(SYS_fstatfs, fd, &k), &k, buf);
}

weak_alias(__statfs, statfs);
weak_alias(__fstatfs, fstatfs);

static void to_statvfs(struct statvfs *out, const struct statfs *in)
{
	memset(out, 0, sizeof *out);
	out->f_bsize = in->f_bsize;
	out->f_frsize = in->f_frsize ? in->f_frsize : in->f_bsize;
	out->f_blocks = in->f_blocks;
	out->f_bfree = in->f_bfree;
	out->f_bavail = in->f_bavail;
	out->f_files = in->f_files;
	out->f_ffree = in->f_ffree;
	out->f_favail = in->f_ffree;
	out->f_fsid = in->f_fsid.__val[0];
	out->f_flag = in->f_flags;
	out->f_namemax = in->f_namelen;
}

int statvfs(const char *restrict path, struct statvfs *restrict buf)
{
	struct statfs s;
	if (__statfs(path, &s) < 0) return -1;
	to_statvfs(buf, &s);
	return 0;
}

int fstatvfs(int fd, struct statvfs *buf)
{
	struct statfs s;
	if (__fstatfs(fd, &s) < 0) return -1;
	to_statvfs(buf, &s);
	return 0;
}

weak_alias(statvfs, statvfs64);
weak_alias(statfs, statfs64);
weak_alias(fstatvfs, fstatvfs64);
weak_alias(fstatfs, fstatfs64);
