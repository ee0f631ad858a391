/*
 * Integer sort and search with many small function calls: quicksort (recursive, with an
 * insertion sort for short ranges) and binary search, both comparing through a function
 * pointer, so every comparison is an indirect call (call_indirect in wasm).
 * Measures call and return overhead, branches and i32 loads/stores.
 * Checksum: a position-weighted sum of the sorted keys plus the positions the searches found.
 */
#include "common.h"

#define KEYS 250000
#define LOOKUPS 250000

typedef int (*compare_fn)(int, int);

static int keys[KEYS];

static int compare_ints(int a, int b) { return (a > b) - (a < b); }

/* Read through a volatile so that no compiler can turn the indirect calls into direct ones. */
static compare_fn volatile compare = compare_ints;

static void swap(int *a, int i, int j) {
    int t = a[i];
    a[i] = a[j];
    a[j] = t;
}

static void insertion_sort(int *a, int lo, int hi, compare_fn cmp) {
    for (int i = lo + 1; i <= hi; i++) {
        int v = a[i];
        int j = i - 1;
        while (j >= lo && cmp(a[j], v) > 0) {
            a[j + 1] = a[j];
            j--;
        }
        a[j + 1] = v;
    }
}

/* Sorts a[lo..hi] (inclusive): median-of-three pivot, Hoare partition, recursion on the smaller side. */
__attribute__((noinline)) static void quicksort(int *a, int lo, int hi, compare_fn cmp) {
    while (hi - lo > 16) {
        int mid = lo + (hi - lo) / 2;
        if (cmp(a[mid], a[lo]) < 0) swap(a, mid, lo);
        if (cmp(a[hi], a[lo]) < 0) swap(a, hi, lo);
        if (cmp(a[hi], a[mid]) < 0) swap(a, hi, mid);
        int pivot = a[mid];
        int i = lo - 1, j = hi + 1;
        for (;;) {
            do i++; while (cmp(a[i], pivot) < 0);
            do j--; while (cmp(a[j], pivot) > 0);
            if (i >= j) break;
            swap(a, i, j);
        }
        if (j - lo < hi - j) {
            quicksort(a, lo, j, cmp);
            lo = j + 1;
        } else {
            quicksort(a, j + 1, hi, cmp);
            hi = j;
        }
    }
    insertion_sort(a, lo, hi, cmp);
}

/* The lowest index of key in the sorted a[0..n), or -1. */
__attribute__((noinline)) static int binary_search(const int *a, int n, int key, compare_fn cmp) {
    int lo = 0, hi = n;
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        if (cmp(a[mid], key) < 0) lo = mid + 1;
        else hi = mid;
    }
    return lo < n && cmp(a[lo], key) == 0 ? lo : -1;
}

long long run(void) {
    u64 seed = 0x534f525400000001ULL;
    /* Keys from [0, 2 * KEYS): about half of the lookups below find one. */
    for (int i = 0; i < KEYS; i++) keys[i] = (int) (splitmix64(&seed) % (2 * KEYS));
    compare_fn cmp = compare;
    quicksort(keys, 0, KEYS - 1, cmp);

    u64 checksum = 0;
    for (int i = 0; i < KEYS; i++) checksum += (u64) keys[i] * (u64) (i + 1);
    for (int i = 0; i < LOOKUPS; i++) {
        int key = (int) (splitmix64(&seed) % (2 * KEYS));
        checksum = checksum * 31 + (u64) (i64) binary_search(keys, KEYS, key, cmp);
    }
    return (i64) checksum;
}
