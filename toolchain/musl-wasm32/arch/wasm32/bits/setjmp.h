/*
 * WALI keeps the resume point of setjmp in the runtime (a wasm function cannot save its own
 * frame): setjmp and sigsetjmp ARE the support imports, called directly from the caller's
 * frame, so the point they return to twice is the caller's. The runtime stores a token in the
 * first 4 bytes of the buffer; sigsetjmp's saved mask is kept by the runtime too.
 */
typedef unsigned long __jmp_buf[8];

struct __jmp_buf_tag;
int setjmp(struct __jmp_buf_tag *)
    __attribute__((__returns_twice__, __import_module__("wali"), __import_name__("setjmp")));
int _setjmp(struct __jmp_buf_tag *)
    __attribute__((__returns_twice__, __import_module__("wali"), __import_name__("setjmp")));
int sigsetjmp(struct __jmp_buf_tag *, int)
    __attribute__((__returns_twice__, __import_module__("wali"), __import_name__("sigsetjmp")));
