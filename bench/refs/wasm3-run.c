/*
 * wasm3-run MODULE.wasm [N]: loads a bench/workloads module into wasm3, compiles all its
 * functions (m3_CompileModule; wasm3 otherwise compiles each function at its first call),
 * then calls its export `run` N times (default 1) and prints one line per call, "<checksum>
 * <seconds>", as the native main of bench/workloads/common.h does: only the call is timed.
 * Uses wasm3's embedding API (wasm3.h). Exit status 1 on any error (one line on stderr),
 * 2 on a bad command line.
 */
#include <stdint.h>

#include "host.h"
#include "wasm3.h"

#define PROG "wasm3-run"
#define STACK_SIZE (1024 * 1024)

static int failed(const char *what, M3Result result, IM3Runtime runtime) {
    M3ErrorInfo info;
    memset(&info, 0, sizeof info);
    if (runtime) m3_GetErrorInfo(runtime, &info);
    fprintf(stderr, PROG ": %s: %s%s%s\n", what, result, info.message ? ": " : "", info.message ? info.message : "");
    return 1;
}

int main(int argc, char **argv) {
    int n, status;
    unsigned int size = 0;
    unsigned char *bytes = host_start(PROG, argc, argv, &n, &size, &status);
    if (!bytes) return status;
    IM3Environment environment = m3_NewEnvironment();
    if (!environment) {
        fprintf(stderr, PROG ": m3_NewEnvironment failed\n");
        return 1;
    }
    IM3Runtime runtime = m3_NewRuntime(environment, STACK_SIZE, NULL);
    if (!runtime) {
        fprintf(stderr, PROG ": m3_NewRuntime failed\n");
        return 1;
    }
    IM3Module module;
    M3Result result = m3_ParseModule(environment, &module, bytes, size);
    if (result) return failed("parsing the module", result, NULL);
    result = m3_LoadModule(runtime, module);
    if (result) return failed("loading the module", result, runtime);
    result = m3_CompileModule(module);
    if (result) return failed("compiling the module", result, runtime);
    IM3Function run;
    result = m3_FindFunction(&run, runtime, "run");
    if (result) return failed("finding the export \"run\"", result, runtime);
    for (int i = 0; i < n; i++) {
        int64_t checksum = 0;
        struct timespec t0, t1;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        result = m3_CallV(run);
        clock_gettime(CLOCK_MONOTONIC, &t1);
        if (result) return failed("run()", result, runtime);
        result = m3_GetResultsV(run, &checksum);
        if (result) return failed("reading run()'s result", result, runtime);
        host_print_call((long long) checksum, &t0, &t1);
    }
    m3_FreeRuntime(runtime);
    m3_FreeEnvironment(environment);
    free(bytes);
    return 0;
}
