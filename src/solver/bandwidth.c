/*
 * bandwidth.c - finding the half-bandwidths of a model's Jacobian dF/dy + c dF/dy'.
 *
 * Every column j is perturbed alone (y_j and y'_j together) at a generic state -- the rest state
 * with deterministic pseudo-random offsets, so that no derivative vanishes by symmetry (at rest
 * the Butler-Volmer current does not depend on the concentration, for instance) -- and the rows
 * whose residual changes give the extent of the band. Models are built so that the band is
 * narrow; the test suite checks the band against a dense finite-difference Jacobian.
 */
#include "solver/solver_internal.h"

#include <math.h>
#include <stdlib.h>

static double next_unit(unsigned long *s) {
    *s = *s * 6364136223846793005UL + 1442695040888963407UL;
    return (double)((*s >> 11) & 0xFFFFFFFFFFFFFUL) / (double)0xFFFFFFFFFFFFFUL - 0.5;
}

static int finite_all(const double *r, int n) {
    for (int i = 0; i < n; i++)
        if (!isfinite(r[i]))
            return 0;
    return 1;
}

/* The band under the model's present control. Returns 0, or -1 if a residual fails or is not
 * finite. */
static int band_one_control(const lmb__model *m, int *mu, int *ml) {
    const int n = m->n;
    double *y = calloc(4 * (size_t)n, sizeof(double));
    if (!y)
        return -1;
    double *yp = y + n, *r0 = y + 2 * n, *r1 = y + 3 * n;
    unsigned long seed = 12345UL;
    for (int i = 0; i < n; i++) {
        /* offsets of 1 % of the value and 1000 times the absolute tolerance */
        y[i] = m->y0[i] * (1.0 + 0.01 * next_unit(&seed)) + 1e3 * m->atol[i] * next_unit(&seed);
        yp[i] = m->is_diff[i] != 0.0 ? 1e-3 * next_unit(&seed) : 0.0;
    }
    int rc = m->residual(m, 0.0, y, yp, r0);
    if (rc == 0 && !finite_all(r0, n))
        rc = -1;
    for (int j = 0; j < n && rc == 0; j++) {
        double yj = y[j], ypj = yp[j];
        double d = 1e-7 * (fabs(yj) + 1e2 * m->atol[j]) + 1e-12;
        y[j] += d;
        yp[j] += d;
        rc = m->residual(m, 0.0, y, yp, r1);
        if (rc == 0 && !finite_all(r1, n))
            rc = -1;
        y[j] = yj;
        yp[j] = ypj;
        for (int i = 0; i < n && rc == 0; i++) {
            if (r1[i] == r0[i])
                continue;
            if (j > i && j - i > *mu)
                *mu = j - i;
            if (i > j && i - j > *ml)
                *ml = i - j;
        }
    }
    free(y);
    return rc == 0 ? 0 : -1;
}

int lmb__model_bandwidth(lmb__model *m, int *mu, int *ml) {
    /* the control equation couples different states under current and voltage control: take
     * the widest band over all controls, and leave the model at rest */
    static const lmb_control controls[] = {LMB_CONTROL_REST, LMB_CONTROL_CURRENT,
                                           LMB_CONTROL_VOLTAGE};
    lmb_control saved = m->control;
    *mu = 0;
    *ml = 0;
    int rc = 0;
    for (size_t c = 0; c < sizeof controls / sizeof controls[0] && rc == 0; c++) {
        m->control = controls[c];
        rc = band_one_control(m, mu, ml);
    }
    m->control = saved;
    return rc;
}
