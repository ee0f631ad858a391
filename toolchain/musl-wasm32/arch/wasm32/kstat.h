/* struct stat as the WALI runtime writes it: x86-64's layout, 144 bytes (SPEC §3). */
struct kstat {
	unsigned long long st_dev;
	unsigned long long st_ino;
	unsigned long long st_nlink;
	unsigned st_mode;
	unsigned st_uid;
	unsigned st_gid;
	unsigned __pad0;
	unsigned long long st_rdev;
	long long st_size;
	long long st_blksize;
	long long st_blocks;
	long long st_atime_sec;
	long long st_atime_nsec;
	long long st_mtime_sec;
	long long st_mtime_nsec;
	long long st_ctime_sec;
	long long st_ctime_nsec;
	long long __unused[3];
};
