/*
 * kk.c - the linear Kramers-Kronig test (lin-KK) of lmb/kk.h: Schönleber, Klotz and
 * Ivers-Tiffée, Electrochim. Acta 131 (2014) 20-27, doi:10.1016/j.electacta.2014.01.034, in the
 * form of impedance.py's linKK (validation.py) with fit_type="complex".
 *
 * For a given M the unknowns x = (R_0, R_1..R_M [, 1/C] [, L]) enter the model linearly, so each
 * point gives two rows of a design matrix A (2n rows) and of a right-hand side b, both divided
 * by |Z| (the weighting of the paper):
 *   real row:      [1, Re K_1, .., Re K_M, 0,          0      ] . x = Z_re
 *   imaginary row: [0, Im K_1, .., Im K_M, -1/omega,   omega  ] . x = Z_im
 * with K_k = 1 / (1 + j omega tau_k). x minimises |A x - b|^2, solved by GSL's
 * gsl_multifit_linear (SVD with column balancing, so the badly scaled 1/C and L columns and the
 * nearly collinear Voigt columns of large M are handled; singular values below machine
 * precision are dropped, which gives the minimum-norm solution when A is rank-deficient).
 * impedance.py solves the normal equations instead; SVD gives the same solution where those are
 * well conditioned and a stable one where they are not.
 *
 * One workspace and one matrix of the largest size are allocated once; each M uses views of
 * their leading columns. GSL's error handler is not touched: the inputs are validated before
 * GSL sees them, and the sizes passed are consistent by construction.
 */
#include "lmb/kk.h"

#include "core/ctx_internal.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_multifit.h>
#include <gsl/gsl_vector.h>

#include <math.h>
#include <stdlib.h>

#define TWO_PI 6.283185307179586

lmb_kk_options lmb_kk_options_default(void) {
    lmb_kk_options o;
    o.mu_c = LMB_KK_MU_C;
    o.max_M = 0;
    o.add_capacitance = 0;
    o.add_inductance = 0;
    return o;
}

void lmb_kk_result_free(lmb_kk_result *r) {
    if (!r)
        return;
    free(r->res_re);
    free(r->res_im);
    free(r->R);
    free(r->tau);
    r->res_re = r->res_im = r->R = r->tau = NULL;
}

/* tau_1 = t_min .. tau_M = t_max, log-spaced; M = 1 gives t_max (impedance.py). */
static void kk_taus(double t_min, double t_max, int M, double *tau) {
    if (M == 1) {
        tau[0] = t_max;
        return;
    }
    double l0 = log10(t_min), span = log10(t_max) - l0;
    for (int k = 0; k < M; k++)
        tau[k] = pow(10.0, l0 + span * (double)k / (double)(M - 1));
    tau[M - 1] = t_max; /* exact ends, no rounding of pow */
    tau[0] = t_min;
}

/* mu of the paper from R_1..R_M; 1 when no R_k is negative, 0 when none is positive. */
static double kk_mu(const double *Rk, int M) {
    double neg = 0.0, pos = 0.0;
    for (int k = 0; k < M; k++) {
        if (Rk[k] < 0.0)
            neg += -Rk[k];
        else
            pos += Rk[k];
    }
    if (neg == 0.0)
        return 1.0;
    if (pos == 0.0)
        return 0.0;
    return 1.0 - neg / pos;
}

/*
 * Fills the first p = 1 + M + cap + ind columns of A (2n x pmax) and solves for x. Returns the
 * GSL status.
 */
static int kk_fit(const double *w, const double *absZ, size_t n, const double *tau, int M, int cap,
                  int ind, gsl_matrix *A, const gsl_vector *b, gsl_vector *xbuf, gsl_matrix *covbuf,
                  gsl_multifit_linear_workspace *ws) {
    size_t p = 1 + (size_t)M + (size_t)cap + (size_t)ind;
    for (size_t i = 0; i < n; i++) {
        size_t r = i, s = n + i;
        double g = 1.0 / absZ[i];
        gsl_matrix_set(A, r, 0, g);
        gsl_matrix_set(A, s, 0, 0.0);
        for (int k = 0; k < M; k++) {
            double wt = w[i] * tau[k], d = 1.0 + wt * wt;
            gsl_matrix_set(A, r, 1 + (size_t)k, g / d);
            gsl_matrix_set(A, s, 1 + (size_t)k, -g * wt / d);
        }
        size_t c = 1 + (size_t)M;
        if (cap) {
            gsl_matrix_set(A, r, c, 0.0);
            gsl_matrix_set(A, s, c, -g / w[i]);
            c++;
        }
        if (ind) {
            gsl_matrix_set(A, r, c, 0.0);
            gsl_matrix_set(A, s, c, g * w[i]);
        }
    }
    gsl_matrix_view Av = gsl_matrix_submatrix(A, 0, 0, 2 * n, p);
    gsl_vector_view xv = gsl_vector_subvector(xbuf, 0, p);
    gsl_matrix_view cv = gsl_matrix_submatrix(covbuf, 0, 0, p, p);
    double chisq = 0.0;
    return gsl_multifit_linear(&Av.matrix, b, &xv.vector, &cv.matrix, &chisq, ws);
}

lmb_status lmb_kk_test(lmb_ctx *ctx, const double *f_Hz, const double *Z_re, const double *Z_im,
                       size_t n, const lmb_kk_options *opt, lmb_kk_result *out) {
    if (!out)
        LMB__FAIL(ctx, LMB_EINVAL, "lmb_kk_test: the result pointer is NULL.");
    out->M = 0;
    out->mu = NAN;
    out->res_re = out->res_im = out->R = out->tau = NULL;
    out->rms_res = out->max_res = NAN;
    out->C = out->L = 0.0;
    if (!f_Hz || !Z_re || !Z_im)
        LMB__FAIL(ctx, LMB_EINVAL, "lmb_kk_test: a frequency or impedance array is NULL.");
    if (n < 3)
        LMB__FAIL(ctx, LMB_EINVAL,
                  "lmb_kk_test: the spectrum has %zu points; lin-KK needs at least 3.", n);
    lmb_kk_options o = opt ? *opt : lmb_kk_options_default();
    if (!(o.mu_c >= 0.0 && o.mu_c <= 1.0))
        LMB__FAIL(ctx, LMB_EINVAL, "lmb_kk_test: mu_c = %g is outside [0, 1].", o.mu_c);
    if (o.max_M < 0)
        LMB__FAIL(ctx, LMB_EINVAL, "lmb_kk_test: max_M = %d is negative (0 means automatic).",
                  o.max_M);
    if ((o.add_capacitance != 0 && o.add_capacitance != 1) ||
        (o.add_inductance != 0 && o.add_inductance != 1))
        LMB__FAIL(ctx, LMB_EINVAL,
                  "lmb_kk_test: add_capacitance = %d and add_inductance = %d must be 0 or 1.",
                  o.add_capacitance, o.add_inductance);
    double f_min = INFINITY, f_max = 0.0;
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(f_Hz[i]) || f_Hz[i] <= 0.0)
            LMB__FAIL(ctx, LMB_EINVAL,
                      "lmb_kk_test: frequency %zu is %g Hz; it must be finite and positive.", i,
                      f_Hz[i]);
        if (!isfinite(Z_re[i]) || !isfinite(Z_im[i]))
            LMB__FAIL(ctx, LMB_EINVAL,
                      "lmb_kk_test: the impedance at point %zu (%g Hz) is %g %+g j ohm; it must "
                      "be finite.",
                      i, f_Hz[i], Z_re[i], Z_im[i]);
        if (hypot(Z_re[i], Z_im[i]) == 0.0)
            LMB__FAIL(ctx, LMB_EINVAL,
                      "lmb_kk_test: |Z| is 0 ohm at point %zu (%g Hz); the 1/|Z| weight is "
                      "undefined.",
                      i, f_Hz[i]);
        if (f_Hz[i] < f_min)
            f_min = f_Hz[i];
        if (f_Hz[i] > f_max)
            f_max = f_Hz[i];
    }
    if (f_min == f_max)
        LMB__FAIL(ctx, LMB_EINVAL,
                  "lmb_kk_test: every frequency is %g Hz; lin-KK needs a frequency range.", f_min);

    int extra = 1 + o.add_capacitance + o.add_inductance; /* R_0, 1/C, L */
    size_t cap_auto = 2 * n < LMB_KK_MAX_M ? 2 * n : LMB_KK_MAX_M;
    size_t max_M = o.max_M > 0 ? (size_t)o.max_M : cap_auto;
    if (max_M > 2 * n - (size_t)extra)
        max_M = 2 * n - (size_t)extra; /* no more unknowns than equations */
    size_t pmax = max_M + (size_t)extra;

    lmb_status st = LMB_OK;
    double *w = malloc(n * sizeof *w);
    double *absZ = malloc(n * sizeof *absZ);
    double *tau = malloc(max_M * sizeof *tau);
    gsl_matrix *A = gsl_matrix_alloc(2 * n, pmax);
    gsl_matrix *cov = gsl_matrix_alloc(pmax, pmax);
    gsl_vector *b = gsl_vector_alloc(2 * n);
    gsl_vector *x = gsl_vector_alloc(pmax);
    gsl_multifit_linear_workspace *ws = gsl_multifit_linear_alloc(2 * n, pmax);
    out->res_re = malloc(n * sizeof *out->res_re);
    out->res_im = malloc(n * sizeof *out->res_im);
    if (!w || !absZ || !tau || !A || !cov || !b || !x || !ws || !out->res_re || !out->res_im) {
        st = lmb__ctx_fail(ctx, LMB_ENOMEM, "lmb_kk_test: out of memory for %zu points.", n);
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        w[i] = TWO_PI * f_Hz[i];
        absZ[i] = hypot(Z_re[i], Z_im[i]);
        gsl_vector_set(b, i, Z_re[i] / absZ[i]);
        gsl_vector_set(b, n + i, Z_im[i] / absZ[i]);
    }
    double t_min = 1.0 / (TWO_PI * f_max), t_max = 1.0 / (TWO_PI * f_min);

    int M = 0;
    double mu = 1.0;
    while ((size_t)M < max_M) {
        M++;
        kk_taus(t_min, t_max, M, tau);
        int gs = kk_fit(w, absZ, n, tau, M, o.add_capacitance, o.add_inductance, A, b, x, cov, ws);
        if (gs != GSL_SUCCESS) {
            st = lmb__ctx_fail(ctx, LMB_ESOLVER,
                               "lmb_kk_test: the least-squares fit with M = %d failed: %s.", M,
                               gsl_strerror(gs));
            goto done;
        }
        mu = kk_mu(x->data + 1, M); /* x is a fresh vector: stride 1 */
        if (o.mu_c > 0.0 && mu <= o.mu_c)
            break;
    }

    out->R = malloc(((size_t)M + 1) * sizeof *out->R);
    out->tau = malloc((size_t)M * sizeof *out->tau);
    if (!out->R || !out->tau) {
        st = lmb__ctx_fail(ctx, LMB_ENOMEM, "lmb_kk_test: out of memory for M = %d.", M);
        goto done;
    }
    for (int k = 0; k <= M; k++)
        out->R[k] = gsl_vector_get(x, (size_t)k);
    for (int k = 0; k < M; k++)
        out->tau[k] = tau[k];
    size_t c = 1 + (size_t)M;
    double invC = 0.0;
    if (o.add_capacitance) {
        invC = gsl_vector_get(x, c++);
        out->C = 1.0 / invC;
    }
    if (o.add_inductance)
        out->L = gsl_vector_get(x, c);
    out->M = M;
    out->mu = mu;

    double ss = 0.0, mx = 0.0;
    for (size_t i = 0; i < n; i++) {
        double zr = out->R[0], zi = -invC / w[i] + out->L * w[i];
        for (int k = 0; k < M; k++) {
            double wt = w[i] * tau[k], d = 1.0 + wt * wt;
            zr += out->R[k + 1] / d;
            zi -= out->R[k + 1] * wt / d;
        }
        double rr = (Z_re[i] - zr) / absZ[i], ri = (Z_im[i] - zi) / absZ[i];
        out->res_re[i] = rr;
        out->res_im[i] = ri;
        ss += rr * rr + ri * ri;
        if (fabs(rr) > mx)
            mx = fabs(rr);
        if (fabs(ri) > mx)
            mx = fabs(ri);
    }
    out->rms_res = sqrt(ss / (2.0 * (double)n));
    out->max_res = mx;

done:
    free(w);
    free(absZ);
    free(tau);
    gsl_matrix_free(A);
    gsl_matrix_free(cov);
    gsl_vector_free(b);
    gsl_vector_free(x);
    if (ws)
        gsl_multifit_linear_free(ws);
    if (st != LMB_OK) {
        lmb_kk_result_free(out);
        out->M = 0;
        out->mu = out->rms_res = out->max_res = NAN;
        out->C = out->L = 0.0;
    }
    return st;
}
