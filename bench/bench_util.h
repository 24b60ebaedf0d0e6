/*
 * bench_util.h - what every benchmark of bench/ shares: a monotonic clock and the median of
 * repeated timings (medians are what the benchmarks report).
 */
#ifndef LMB_BENCH_UTIL_H
#define LMB_BENCH_UTIL_H

#include <stdlib.h>
#include <time.h>

static inline double bench_now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static inline int bench_cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Sorts t[0..n) in place; returns the median (the upper one for even n). */
static inline double bench_median(double *t, int n) {
    qsort(t, (size_t)n, sizeof t[0], bench_cmp_double);
    return t[n / 2];
}

#endif
