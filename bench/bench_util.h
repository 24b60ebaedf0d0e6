/*
 * bench_util.h - what every benchmark of bench/ shares: the library's monotonic clock
 * (core/clock.h lmb__now_s) and the median of repeated timings (medians are what the benchmarks
 * report).
 */
#ifndef LMB_BENCH_UTIL_H
#define LMB_BENCH_UTIL_H

#include "core/clock.h"

#include <stdlib.h>

static inline int bench_cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Sorts t[0..n) in place; returns the median (the upper one for even n). */
static inline double bench_median(double *t, int n) {
    qsort(t, (size_t)n, sizeof t[0], bench_cmp_double);
    return t[n / 2];
}

/*
 * Loads every file of dir as measured spectra (lmb/eis_data.h) into data[0..max), skipping (with
 * a message on stderr naming who) files that do not load; counts their spectra and points.
 * Returns the number of sets loaded, or -1 if dir cannot be opened. (Defined when lmb/lmb.h is
 * included before this header.)
 */
#ifdef LMB_EIS_DATA_H
#include <dirent.h>
#include <stdio.h>

static inline int bench_load_eis_dir(lmb_ctx *ctx, const char *who, const char *dir,
                                     lmb_eis_data **data, int max, size_t *n_spectra,
                                     size_t *n_points) {
    DIR *dp = opendir(dir);
    if (!dp)
        return -1;
    int n = 0;
    *n_spectra = *n_points = 0;
    for (struct dirent *e; (e = readdir(dp)) != NULL && n < max;) {
        if (e->d_name[0] == '.')
            continue;
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (lmb_eis_data_load(ctx, path, &data[n]) != LMB_OK) {
            fprintf(stderr, "%s: %s\n", who, lmb_ctx_errmsg(ctx));
            continue;
        }
        for (size_t s = 0; s < lmb_eis_data_count(data[n]); s++) {
            (*n_spectra)++;
            *n_points += lmb_eis_data_n(data[n], s);
        }
        n++;
    }
    closedir(dp);
    return n;
}
#endif

#endif
