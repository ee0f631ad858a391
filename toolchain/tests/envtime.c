/* getenv/setenv, time and clocks, calendar conversions, syscall(2), strerror. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

int main(void)
{
    printf("GREETING=%s\n", getenv("GREETING") ? getenv("GREETING") : "(unset)");
    printf("NOT_SET=%s\n", getenv("NOJIT_CC_NOT_SET") ? "set" : "(unset)");
    setenv("ADDED", "yes", 1);
    printf("setenv then getenv %s\n", getenv("ADDED"));
    int seen = 0;
    for (char **e = environ; *e; e++) if (strncmp(*e, "GREETING=", 9) == 0) seen++;
    printf("environ has GREETING %d\n", seen);

    time_t now = time(0);
    printf("time after 2024: %d\n", now > 1704067200);
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    struct timespec nap = {0, 20 * 1000 * 1000};
    nanosleep(&nap, 0);
    clock_gettime(CLOCK_MONOTONIC, &b);
    long long ms = (b.tv_sec - a.tv_sec) * 1000LL + (b.tv_nsec - a.tv_nsec) / 1000000;
    printf("nanosleep 20 ms took at least 20 ms: %d\n", ms >= 20);
    time_t fixed = 1700000000;
    struct tm tm;
    gmtime_r(&fixed, &tm);
    char text[64];
    strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S %A %j", &tm);
    printf("gmtime %s\n", text);
    tm.tm_mday += 40;
    printf("timegm after 40 days %lld\n", (long long)timegm(&tm));

    printf("syscall(SYS_getpid) matches getpid %d\n", syscall(SYS_getpid) == getpid());
    errno = 0;
    long r = syscall(100000);
    int unknown_errno = errno;
    printf("unknown syscall %ld ENOSYS %d\n", r, unknown_errno == ENOSYS);
    printf("strerror(ENOENT) %s\n", strerror(ENOENT));
    struct utsname u;
    int un = uname(&u);
    printf("uname %d sysname %s\n", un, u.sysname);
    return 0;
}
