/*
 * Shared by the two reference hosts of bench/refs (wamr-run.c, wasm3-run.c): reading the
 * module, the call count, and the timed call line, which is the same "<checksum> <seconds>"
 * line (CLOCK_MONOTONIC around the call) as the native main of bench/workloads/common.h.
 */
#ifndef NOJIT_BENCH_REFS_HOST_H
#define NOJIT_BENCH_REFS_HOST_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define HOST_MAX_MODULE (256L * 1024 * 1024)

/* The whole file in a new buffer (kept for the module's lifetime), or NULL after one line on stderr. */
static unsigned char *host_read_module(const char *prog, const char *path, unsigned int *size) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "%s: %s: %s\n", prog, path, strerror(errno));
        return NULL;
    }
    unsigned char *buf = NULL;
    long length = -1;
    if (fseek(f, 0, SEEK_END) == 0) length = ftell(f);
    if (length < 0 || length > HOST_MAX_MODULE || fseek(f, 0, SEEK_SET) != 0) {
        fprintf(stderr, "%s: %s: not a regular file of at most %ld bytes\n", prog, path, HOST_MAX_MODULE);
    } else if (!(buf = malloc(length ? (size_t) length : 1))) {
        fprintf(stderr, "%s: out of memory\n", prog);
    } else if (fread(buf, 1, (size_t) length, f) != (size_t) length) {
        fprintf(stderr, "%s: %s: short read\n", prog, path);
        free(buf);
        buf = NULL;
    } else {
        *size = (unsigned int) length;
    }
    fclose(f);
    return buf;
}

/* "PROG MODULE.wasm [N]": N (default 1), or 0 after the usage line. */
static int host_calls(const char *prog, int argc, char **argv) {
    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: %s MODULE.wasm [N]\n", prog);
        return 0;
    }
    if (argc == 2) return 1;
    char *end;
    long n = strtol(argv[2], &end, 10);
    if (*argv[2] == '\0' || *end != '\0' || n < 1 || n > 1000000) {
        fprintf(stderr, "%s: N must be an integer from 1 to 1000000, not %s\n", prog, argv[2]);
        return 0;
    }
    return (int) n;
}

/*
 * The common start of both hosts: the command line, then the module's bytes. Returns them, or
 * NULL with *status set to the exit status (2 bad usage, 1 unreadable module).
 */
static unsigned char *host_start(const char *prog, int argc, char **argv, int *calls, unsigned int *size, int *status) {
    *calls = host_calls(prog, argc, argv);
    if (*calls == 0) {
        *status = 2;
        return NULL;
    }
    unsigned char *bytes = host_read_module(prog, argv[1], size);
    *status = bytes ? 0 : 1;
    return bytes;
}

static void host_print_call(long long checksum, const struct timespec *t0, const struct timespec *t1) {
    double seconds = (double) (t1->tv_sec - t0->tv_sec) + (double) (t1->tv_nsec - t0->tv_nsec) * 1e-9;
    printf("%lld %.9f\n", checksum, seconds);
    fflush(stdout);
}

#endif
