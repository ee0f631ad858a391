/*
 * The C library's struct stat has x86-64's layout (144 bytes), the one the WALI runtime writes
 * (kstat.h), so a program that hands it to the fstat/newfstatat syscall directly (syscall(2),
 * or WALI's import: WALI's own unit tests do) reads it right. nlink_t and blksize_t are 32 bits
 * on wasm32: each is followed by the upper half x86-64 gives it. struct timespec is 16 bytes
 * already (64-bit tv_sec, 32-bit tv_nsec and padding), as x86-64's.
 */
struct stat {
	dev_t st_dev;
	ino_t st_ino;
	nlink_t st_nlink;
	unsigned __st_nlink_hi;
	mode_t st_mode;
	uid_t st_uid;
	gid_t st_gid;
	unsigned __pad0;
	dev_t st_rdev;
	off_t st_size;
	blksize_t st_blksize;
	int __st_blksize_hi;
	blkcnt_t st_blocks;
	struct timespec st_atim;
	struct timespec st_mtim;
	struct timespec st_ctim;
	long long __unused[3];
};
