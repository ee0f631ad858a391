/* 32-bit int, long and pointers; 64-bit off_t. */
#define _POSIX_V6_ILP32_OFFBIG 1
#define _POSIX_V7_ILP32_OFFBIG 1
