/*
 * curve.h - comparing two simulated curves y(t), for convergence studies (docs/
 * reference-case.md): the largest difference over the times both cover.
 */
#ifndef LMB_ANALYSIS_CURVE_H
#define LMB_ANALYSIS_CURVE_H

#include <stddef.h>

/*
 * max |y_a(t) - y_b(t)| over the points of a with t_from <= t <= min(t_a end, t_b end), y_b
 * linearly interpolated between its points (t strictly increasing in both; repeated times, as
 * at step boundaries, are skipped in b). *t_at (may be NULL) receives the time of the largest
 * difference. NaN if the curves share no time.
 */
double lmb__curve_max_diff(const double *t_a, const double *y_a, size_t n_a, const double *t_b,
                           const double *y_b, size_t n_b, double t_from, double *t_at);

#endif
