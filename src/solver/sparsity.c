/*
 * sparsity.c - the sparsity pattern of a model's Jacobian dF/dy + c dF/dy', a column colouring
 * of it, and the coloured forward-difference Jacobian that the KLU path of sim.c uses.
 *
 * Pattern: the probe of bandwidth.c, made more sensitive. At a generic state -- the rest state
 * with deterministic pseudo-random offsets, so that no derivative vanishes by symmetry -- every
 * column j is perturbed alone (y_j and y'_j together) under each control, and the rows whose
 * residual changes are the non-zeros of column j. The union over the controls and over four
 * probe states, plus the diagonal, is stored in compressed sparse columns. Three changes from
 * bandwidth.c, each found necessary by the dense check of tests/unit/test_klu.c (the band is
 * forgiving, since it computes every entry inside it; a pattern is not):
 *  - four states, because the residuals have kinks (max(Q_dead, 0) of an inventory that starts
 *    at zero, SEI growth on fresh area only while the true area grows): a coupling through a
 *    kink is zero on one side of it. Each random offset is also used mirrored (the rest state
 *    minus the offsets), so a kink decided by the sign of one offset from a zero rest value is
 *    probed on both sides;
 *  - rates y' on each state's own scale, not an absolute 1e-3 per second, which swamps the
 *    residual of a small state (the SEI thickness, ~1e-8 m);
 *  - a perturbation of 1e-4 |y_j| + 10 atol_j (not 1e-7 relative), at least IDA's increments:
 *    weak couplings otherwise change a residual by less than its rounding.
 *
 * Colouring (Curtis, Powell and Reid 1974, doi:10.1093/imamat/13.1.117): columns whose row sets
 * are disjoint can be perturbed together, since every row then sees at most one of them. A
 * greedy pass in natural order gives each column the smallest colour not used by a column that
 * shares a row with it; for the layered, nearest-neighbour structure of the cell models this is
 * close to the largest number of non-zeros in a row.
 *
 * Jacobian: for each colour, y_j += d_j and y'_j += c d_j for all its columns, one residual
 * evaluation, and J_ij = (F_i(perturbed) - F_i) / d_j for the rows i of each column j. The
 * increment is IDA's band difference quotient's (idaLsBandDQJac):
 *   d_j = max(sqrt(U) max(|y_j|, |h y'_j|), 1 / w_j) sign(h y'_j),  U the unit roundoff,
 * with w_j IDA's error weight, then rounded to (y_j + d_j) - y_j. With the same increments the
 * entries equal those of IDA's banded DQ Jacobian bit for bit (a row's residual does not change
 * when a state it does not depend on changes).
 *
 * Missing a non-zero (a coupling that is zero at every probe state) would not change the
 * solution -- the residual defines it -- but would corrupt the entries of the columns sharing
 * its colour in that row and slow Newton's convergence; the unit test checks the pattern
 * against a dense Jacobian at another state. (bandwidth.c could be a call of
 * lmb__model_sparsity and lmb__sparsity_bandwidth; it was left as it is, outside this change.)
 */
#include "solver/solver_internal.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The probe states: bandwidth.c's (seed 12345, sign +1), its mirror image, and another pair. */
static const unsigned long k_probe_seeds[] = {12345UL, 987654321UL};
static const double k_probe_signs[] = {1.0, -1.0};

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

/* Marks mark[j * n + i] for every row i whose residual changes when column j is perturbed at
 * the probe state of the seed, its offsets multiplied by sign, under the model's present control.
 * Returns 0, or -1 if a residual fails or is not finite. */
static int probe_one_control(const lmb__model *m, unsigned long seed, double sign,
                             unsigned char *mark) {
    const int n = m->n;
    double *y = calloc(4 * (size_t)n, sizeof(double));
    if (!y)
        return -1;
    double *yp = y + n, *r0 = y + 2 * n, *r1 = y + 3 * n;
    for (int i = 0; i < n; i++) {
        /* offsets of 1 % of the value and 1000 times the absolute tolerance (as bandwidth.c) */
        double u = next_unit(&seed), v = next_unit(&seed);
        y[i] = m->y0[i] * (1.0 + sign * 0.01 * u) + sign * 1e3 * m->atol[i] * v;
        /* rates on the scale of each state (a change over ~1000 s): bandwidth.c's absolute
         * 1e-3 per second would swamp the residual of a small state (the SEI thickness, ~1e-8
         * m) so that couplings to it vanish in rounding */
        yp[i] = m->is_diff[i] != 0.0
                    ? sign * 1e-3 * (fabs(m->y0[i]) + 1e3 * m->atol[i]) * next_unit(&seed)
                    : 0.0;
    }
    int rc = m->residual(m, 0.0, y, yp, r0);
    if (rc == 0 && !finite_all(r0, n))
        rc = -1;
    for (int j = 0; j < n && rc == 0; j++) {
        double yj = y[j], ypj = yp[j];
        /* larger than bandwidth.c's 1e-7 relative and at least IDA's increments (~atol):
         * a weak coupling (the dead-Li layer's resistance seen through the ~1e-4 mol/m3
         * surface-concentration correction of a 1000 mol/m3 electrolyte) otherwise changes the
         * residual by less than its rounding. Only whether a row changes matters here. */
        double d = 1e-4 * fabs(yj) + 10.0 * m->atol[j] + 1e-12;
        y[j] += d;
        yp[j] += d;
        rc = m->residual(m, 0.0, y, yp, r1);
        if (rc == 0 && !finite_all(r1, n))
            rc = -1;
        y[j] = yj;
        yp[j] = ypj;
        for (int i = 0; i < n && rc == 0; i++)
            if (r1[i] != r0[i])
                mark[(size_t)j * (size_t)n + (size_t)i] = 1;
    }
    free(y);
    return rc == 0 ? 0 : -1;
}

/* Greedy colouring in natural column order; fills s->color and s->n_colors. */
static int colour_columns(lmb__sparsity *s) {
    const int n = s->n;
    /* the rows as lists of columns (the transpose), to find the columns sharing a row */
    int *rowptr = calloc((size_t)n + 1, sizeof(int));
    int *colind = malloc((size_t)s->nnz * sizeof(int));
    int *fill = malloc((size_t)n * sizeof(int));
    int *used = malloc((size_t)n * sizeof(int)); /* used[c] == j: colour c taken for column j */
    if (!rowptr || !colind || !fill || !used) {
        free(rowptr);
        free(colind);
        free(fill);
        free(used);
        return -1;
    }
    for (int k = 0; k < s->nnz; k++)
        rowptr[s->rowind[k] + 1]++;
    for (int i = 0; i < n; i++)
        rowptr[i + 1] += rowptr[i];
    memcpy(fill, rowptr, (size_t)n * sizeof(int));
    for (int j = 0; j < n; j++)
        for (int k = s->colptr[j]; k < s->colptr[j + 1]; k++)
            colind[fill[s->rowind[k]]++] = j;
    for (int c = 0; c < n; c++)
        used[c] = -1;
    s->n_colors = 0;
    for (int j = 0; j < n; j++) {
        for (int k = s->colptr[j]; k < s->colptr[j + 1]; k++) {
            int i = s->rowind[k];
            for (int q = rowptr[i]; q < rowptr[i + 1]; q++)
                if (colind[q] < j)
                    used[s->color[colind[q]]] = j;
        }
        int c = 0;
        while (used[c] == j)
            c++;
        s->color[j] = c;
        if (c + 1 > s->n_colors)
            s->n_colors = c + 1;
    }
    free(rowptr);
    free(colind);
    free(fill);
    free(used);
    return 0;
}

int lmb__model_sparsity(lmb__model *m, lmb__sparsity **out) {
    static const lmb_control controls[] = {LMB_CONTROL_REST, LMB_CONTROL_CURRENT,
                                           LMB_CONTROL_VOLTAGE};
    *out = NULL;
    const int n = m->n;
    /* a dense n x n mark, column-major: n^2 bytes once at creation (40 kB for 200 states) */
    unsigned char *mark = calloc((size_t)n * (size_t)n, 1);
    lmb__sparsity *s = calloc(1, sizeof *s);
    if (!mark || !s) {
        free(mark);
        free(s);
        return -1;
    }
    lmb_control saved = m->control;
    int rc = 0;
    for (size_t p = 0; p < sizeof k_probe_seeds / sizeof k_probe_seeds[0] && rc == 0; p++)
        for (size_t g = 0; g < sizeof k_probe_signs / sizeof k_probe_signs[0] && rc == 0; g++)
            for (size_t c = 0; c < sizeof controls / sizeof controls[0] && rc == 0; c++) {
                m->control = controls[c];
                rc = probe_one_control(m, k_probe_seeds[p], k_probe_signs[g], mark);
            }
    m->control = saved;
    if (rc != 0) {
        free(mark);
        free(s);
        return -1;
    }
    /* the diagonal always: the Newton matrix has c on every differential diagonal */
    for (int j = 0; j < n; j++)
        mark[(size_t)j * (size_t)n + (size_t)j] = 1;
    int nnz = 0;
    for (size_t k = 0; k < (size_t)n * (size_t)n; k++)
        nnz += mark[k];
    s->n = n;
    s->nnz = nnz;
    s->colptr = malloc(((size_t)n + 1) * sizeof(int));
    s->rowind = malloc((size_t)nnz * sizeof(int));
    s->color = malloc((size_t)n * sizeof(int));
    if (!s->colptr || !s->rowind || !s->color) {
        free(mark);
        lmb__sparsity_free(s);
        return -1;
    }
    int k = 0;
    for (int j = 0; j < n; j++) {
        s->colptr[j] = k;
        for (int i = 0; i < n; i++)
            if (mark[(size_t)j * (size_t)n + (size_t)i])
                s->rowind[k++] = i;
    }
    s->colptr[n] = k;
    free(mark);
    if (colour_columns(s) != 0) {
        lmb__sparsity_free(s);
        return -1;
    }
    *out = s;
    return 0;
}

void lmb__sparsity_free(lmb__sparsity *s) {
    if (!s)
        return;
    free(s->colptr);
    free(s->rowind);
    free(s->color);
    free(s);
}

void lmb__sparsity_bandwidth(const lmb__sparsity *s, int *mu, int *ml) {
    *mu = 0;
    *ml = 0;
    for (int j = 0; j < s->n; j++)
        for (int k = s->colptr[j]; k < s->colptr[j + 1]; k++) {
            int i = s->rowind[k];
            if (j - i > *mu)
                *mu = j - i;
            if (i - j > *ml)
                *ml = i - j;
        }
}

int lmb__sparse_dq_jacobian(const lmb__sparsity *s, const lmb__model *m, double t, double cj,
                            double h, const double *y, const double *yp, const double *r,
                            const double *ewt, double *work, double *Jx) {
    const int n = s->n;
    double *yt = work, *ypt = work + n, *rt = work + 2 * n, *inc = work + 3 * n;
    const double srur = sqrt(DBL_EPSILON);
    memcpy(yt, y, (size_t)n * sizeof(double));
    memcpy(ypt, yp, (size_t)n * sizeof(double));
    for (int j = 0; j < n; j++) {
        double d = fmax(srur * fmax(fabs(y[j]), fabs(h * yp[j])), 1.0 / ewt[j]);
        if (h * yp[j] < 0.0)
            d = -d;
        inc[j] = (y[j] + d) - y[j];
    }
    for (int c = 0; c < s->n_colors; c++) {
        for (int j = 0; j < n; j++)
            if (s->color[j] == c) {
                yt[j] += inc[j];
                ypt[j] += cj * inc[j];
            }
        int rc = m->residual(m, t, yt, ypt, rt);
        if (rc == 0 && !finite_all(rt, n))
            rc = 1; /* recoverable, as for the residual itself (sim.c) */
        for (int j = 0; j < n; j++)
            if (s->color[j] == c) {
                yt[j] = y[j];
                ypt[j] = yp[j];
                if (rc == 0)
                    for (int k = s->colptr[j]; k < s->colptr[j + 1]; k++)
                        Jx[k] = (rt[s->rowind[k]] - r[s->rowind[k]]) / inc[j];
            }
        if (rc != 0)
            return rc;
    }
    return 0;
}
