/*
 * wamr-run MODULE.wasm [N]: loads a bench/workloads module into WAMR (in the interpreter
 * mode it was built with: fast-interp by bench/refs/build.sh), instantiates it once, then
 * calls its export `run` N times (default 1) and prints one line per call, "<checksum>
 * <seconds>", as the native main of bench/workloads/common.h does: only the call is timed,
 * not loading, validation or instantiation. Uses WAMR's embedding API (wasm_export.h).
 * Exit status 1 on any error (one line on stderr), 2 on a bad command line.
 */
#include "host.h"
#include "wasm_export.h"

#define PROG "wamr-run"
#define STACK_SIZE (1024 * 1024)

int main(int argc, char **argv) {
    int n, status;
    unsigned int size = 0;
    unsigned char *bytes = host_start(PROG, argc, argv, &n, &size, &status);
    if (!bytes) return status;
    if (!wasm_runtime_init()) {
        fprintf(stderr, PROG ": wasm_runtime_init failed\n");
        return 1;
    }
    char error[256];
    wasm_module_t module = wasm_runtime_load(bytes, size, error, sizeof error);
    if (!module) {
        fprintf(stderr, PROG ": loading %s: %s\n", argv[1], error);
        return 1;
    }
    wasm_module_inst_t instance = wasm_runtime_instantiate(module, STACK_SIZE, 0, error, sizeof error);
    if (!instance) {
        fprintf(stderr, PROG ": instantiating %s: %s\n", argv[1], error);
        return 1;
    }
    wasm_function_inst_t run = wasm_runtime_lookup_function(instance, "run");
    if (!run) {
        fprintf(stderr, PROG ": %s exports no function \"run\"\n", argv[1]);
        return 1;
    }
    wasm_exec_env_t env = wasm_runtime_create_exec_env(instance, STACK_SIZE);
    if (!env) {
        fprintf(stderr, PROG ": cannot create an execution environment\n");
        return 1;
    }
    for (int i = 0; i < n; i++) {
        wasm_val_t result = { .kind = WASM_I64, .of.i64 = 0 };
        struct timespec t0, t1;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        bool ok = wasm_runtime_call_wasm_a(env, run, 1, &result, 0, NULL);
        clock_gettime(CLOCK_MONOTONIC, &t1);
        if (!ok) {
            const char *e = wasm_runtime_get_exception(instance);
            fprintf(stderr, PROG ": run() failed: %s\n", e ? e : "(no exception)");
            return 1;
        }
        host_print_call((long long) result.of.i64, &t0, &t1);
    }
    wasm_runtime_destroy_exec_env(env);
    wasm_runtime_deinstantiate(instance);
    wasm_runtime_unload(module);
    wasm_runtime_destroy();
    free(bytes);
    return 0;
}
