/* Unused: crt/wasm32/crt1.c provides _start (the start-up has no stack pointer to hand on). */
