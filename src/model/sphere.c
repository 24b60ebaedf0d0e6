/*
 * sphere.c - the finite-volume sphere of sphere.h: mesh and residual.
 *
 * Spacing: geometric, shell thicknesses h_k proportional to q^-k with q = span^(1/(n-1)), so the
 * centre shell is `span` times as thick as the surface shell. Why:
 *   - what the cell model needs is the surface concentration (it sets the OCV and the kinetics),
 *     and at the start of a current step or at high frequency the profile is a boundary layer
 *     of width sqrt(D t) at the surface: thin shells belong there;
 *   - the grading is a smooth map of the shell index (adjacent shells differ by a factor
 *     1 + O(1/n)) at a fixed span, so the scheme stays second order as n grows;
 *   - equal-volume shells (r_k = R (k/n)^(1/3)) are the extreme of the first point, but their
 *     map is singular at the centre: the centre shell spans R n^(-1/3) (46 % of R at n = 10)
 *     and the order falls to ~1 there and ~1.6 at the surface once the whole particle takes part.
 * Measured on the galvanostatic sphere of test_sphere.c (surface error in units of j R / D,
 * n = 10, at D t / R^2 = 0.01 / 0.1 / 0.5): equal shells 7.6e-3 / 3.3e-3 / 3.3e-3; span 2
 * 4.0e-3 / 2.3e-3 / 2.5e-3; span 4 2.3e-3 / 2.0e-3 / 2.5e-3; span 8 1.6e-3 / 2.2e-3 / 3.0e-3;
 * equal volumes 1.2e-3 / 2.5e-3 / 7.7e-3 (and 7.8e-3 at the centre, where the others have
 * 2.5e-3 to 3.0e-3). Span 4 (LMB__SPHERE_SPAN) is the best compromise over the three times.
 *
 * The shell "centres" are the mid-radii. A shell's unknown is its volume mean, which on a smooth
 * profile differs from the value at the mid-radius by O(h^2) (uniformly, for the parabola of a
 * galvanostatic particle): this is the leading error of the surface value, second order as the
 * test shows.
 */
#include "model/sphere.h"

#include "core/ctx_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

lmb_status lmb__sphere_mesh_build(lmb_ctx *ctx, int n, double R_m, lmb__sphere_mesh *out) {
    return lmb__sphere_mesh_build_graded(ctx, n, R_m, LMB__SPHERE_SPAN, out);
}

lmb_status lmb__sphere_mesh_build_graded(lmb_ctx *ctx, int n, double R_m, double span,
                                         lmb__sphere_mesh *out) {
    memset(out, 0, sizeof *out);
    if (n < 1)
        LMB__FAIL(ctx, LMB_EINVAL, "sphere: %d shells, at least 1 needed", n);
    if (!(R_m > 0.0) || !isfinite(R_m))
        LMB__FAIL(ctx, LMB_ERANGE, "sphere: particle radius %g m must be positive and finite", R_m);
    if (!(span >= 1.0 && span <= LMB__SPHERE_SPAN_MAX))
        LMB__FAIL(ctx, LMB_ERANGE, "sphere: shell span %g must lie in [1, %g]", span,
                  LMB__SPHERE_SPAN_MAX);
    /* one block: r_face (n+1), r_mid (n), vol (n), g (n-1, at least 1) */
    size_t nn = (size_t)n;
    double *block = calloc(4 * nn + 1, sizeof(double));
    if (!block)
        LMB__FAIL(ctx, LMB_ENOMEM, "sphere: out of memory for %d shells", n);
    out->n = n;
    out->R = R_m;
    out->r_face = block;
    out->r_mid = block + nn + 1;
    out->vol = out->r_mid + nn;
    out->g = out->vol + nn;

    /* thicknesses h_k proportional to q^-k, q = span^(1/(n-1)): h_0 / h_{n-1} = span */
    double q = n > 1 ? pow(span, 1.0 / (double)(n - 1)) : 1.0;
    double sum = 0.0, w = 1.0;
    for (int k = 0; k < n; k++, w /= q)
        sum += w;
    w = 1.0;
    out->r_face[0] = 0.0;
    for (int k = 0; k < n; k++, w /= q)
        out->r_face[k + 1] = out->r_face[k] + R_m * w / sum;
    out->r_face[n] = R_m; /* the rounding of the running sum stays inside the last shell */

    out->vol_sum = 0.0;
    for (int k = 0; k < n; k++) {
        double a = out->r_face[k], b = out->r_face[k + 1];
        out->r_mid[k] = 0.5 * (a + b);
        /* (b^3 - a^3)/3 without cancellation for thin outer shells */
        out->vol[k] = (b - a) * (b * b + a * b + a * a) / 3.0;
        out->vol_sum += out->vol[k];
    }
    for (int f = 1; f < n; f++)
        out->g[f - 1] = out->r_face[f] * out->r_face[f] / (out->r_mid[f] - out->r_mid[f - 1]);
    out->dr_surf = R_m - out->r_mid[n - 1];
    out->area = R_m * R_m;
    return LMB_OK;
}

void lmb__sphere_mesh_free(lmb__sphere_mesh *m) {
    if (!m)
        return;
    free(m->r_face);
    memset(m, 0, sizeof *m);
}

void lmb__sphere_residual(const lmb__sphere_mesh *m, double D, const double *c, const double *cdot,
                          double j_surf, double *r) {
    double q_in = 0.0; /* Q_0 = 0: no flow through the centre */
    for (int k = 0; k < m->n; k++) {
        double q_out = k < m->n - 1 ? -D * m->g[k] * (c[k + 1] - c[k]) : m->area * j_surf;
        r[k] = (cdot ? m->vol[k] * cdot[k] : 0.0) + (q_out - q_in);
        q_in = q_out;
    }
}

double lmb__sphere_surface(const lmb__sphere_mesh *m, double D, const double *c, double j_surf) {
    return c[m->n - 1] - j_surf * m->dr_surf / D;
}

double lmb__sphere_mean(const lmb__sphere_mesh *m, const double *c) {
    double s = 0.0;
    for (int k = 0; k < m->n; k++)
        s += m->vol[k] * c[k];
    return s / m->vol_sum;
}
