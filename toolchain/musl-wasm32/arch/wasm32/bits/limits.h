/* The vkernel's mmap granularity is Linux's 4 KiB page, not wasm's 64 KiB memory page. */
#define PAGESIZE 4096
#define LONG_BIT 32
