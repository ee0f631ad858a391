#include <sys/sysinfo.h>
#include <string.h>
#include "syscall.h"

/* What the runtime fills: x86-64's struct sysinfo, whose counters are 64-bit longs (112 bytes). */
struct wali_sysinfo {
	long long uptime;
	unsigned long long loads[3];
	unsigned long long totalram, freeram, sharedram, bufferram, totalswap, freeswap;
	unsigned short procs, pad;
	unsigned long long totalhigh, freehigh;
	unsigned mem_unit;
};

/*
 * The library's struct sysinfo has 32-bit longs. Memory sizes that do not fit are given in
 * larger units (mem_unit doubled until they do), as Linux does for 32-bit programs.
 */
int __lsysinfo(struct sysinfo *info)
{
	struct wali_sysinfo k;
	memset(&k, 0, sizeof k);
	long r = __syscall(SYS_sysinfo, &k);
	if (r < 0) return __syscall_ret(r);
	unsigned long long *mem[] = { &k.totalram, &k.freeram, &k.sharedram, &k.bufferram,
		&k.totalswap, &k.freeswap, &k.totalhigh, &k.freehigh };
	unsigned long long biggest = 0;
	for (int i = 0; i < 8; i++) if (*mem[i] > biggest) biggest = *mem[i];
	int shift = 0;
	while ((biggest >> shift) > 0xffffffffULL) shift++;
	unsigned unit = k.mem_unit ? k.mem_unit : 1;
	memset(info, 0, sizeof *info);
	info->uptime = k.uptime > 0xffffffffLL ? 0xffffffffUL : (unsigned long)k.uptime;
	for (int i = 0; i < 3; i++)
		info->loads[i] = k.loads[i] > 0xffffffffULL ? 0xffffffffUL : (unsigned long)k.loads[i];
	info->totalram = k.totalram >> shift;
	info->freeram = k.freeram >> shift;
	info->sharedram = k.sharedram >> shift;
	info->bufferram = k.bufferram >> shift;
	info->totalswap = k.totalswap >> shift;
	info->freeswap = k.freeswap >> shift;
	info->procs = k.procs;
	info->totalhigh = k.totalhigh >> shift;
	info->freehigh = k.freehigh >> shift;
	info->mem_unit = unit << shift;
	return 0;
}

weak_alias(__lsysinfo, sysinfo);
