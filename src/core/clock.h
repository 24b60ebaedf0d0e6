/*
 * clock.h - the monotonic wall clock that timings (solver runs, sweep points, progress lines)
 * read: seconds since an arbitrary origin, never going back with the time of day.
 */
#ifndef LMB_CORE_CLOCK_H
#define LMB_CORE_CLOCK_H

#include <time.h>

/* [s] CLOCK_MONOTONIC (needs _POSIX_C_SOURCE >= 199309L in the including file) */
static inline double lmb__now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

#endif
