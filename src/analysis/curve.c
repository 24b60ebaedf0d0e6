/*
 * curve.c - the largest difference between two curves (curve.h).
 */
#include "analysis/curve.h"

#include <math.h>

double lmb__curve_max_diff(const double *t_a, const double *y_a, size_t n_a, const double *t_b,
                           const double *y_b, size_t n_b, double t_from, double *t_at) {
    if (n_a == 0 || n_b < 2)
        return NAN;
    double t_end = fmin(t_a[n_a - 1], t_b[n_b - 1]);
    double worst = NAN;
    size_t j = 0; /* t_b[j] <= t < t_b[j + 1] */
    for (size_t i = 0; i < n_a; i++) {
        double t = t_a[i];
        if (t < t_from || t > t_end || t < t_b[0])
            continue;
        while (j + 2 < n_b && t_b[j + 1] <= t)
            j++;
        double dt = t_b[j + 1] - t_b[j];
        double yb = dt > 0.0 ? y_b[j] + (y_b[j + 1] - y_b[j]) * (t - t_b[j]) / dt : y_b[j + 1];
        double d = fabs(y_a[i] - yb);
        if (!(d <= worst)) {
            worst = d;
            if (t_at)
                *t_at = t;
        }
    }
    return worst;
}
