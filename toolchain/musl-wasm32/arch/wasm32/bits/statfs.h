/*
 * struct statfs in x86-64's layout (120 bytes), the one the WALI runtime writes: each 32-bit
 * unsigned long is followed by the upper half x86-64 gives it, so statfs/fstatfs (musl's own
 * code) and a program calling the syscall directly both read the runtime's buffer as it is.
 */
struct statfs {
	unsigned long f_type;
	unsigned __f_type_hi;
	unsigned long f_bsize;
	unsigned __f_bsize_hi;
	fsblkcnt_t f_blocks, f_bfree, f_bavail;
	fsfilcnt_t f_files, f_ffree;
	fsid_t f_fsid;
	unsigned long f_namelen;
	unsigned __f_namelen_hi;
	unsigned long f_frsize;
	unsigned __f_frsize_hi;
	unsigned long f_flags;
	unsigned __f_flags_hi;
	unsigned long f_spare[8];
};
