/*
 * drt.c - the distribution of relaxation times (lmb/drt.h): Tikhonov regularisation of the
 * Gaussian-RBF discretisation of Z(omega) = R_inf + j omega L + int gamma(y) / (1 + j omega e^y)
 * dy, with non-negativity, as pyDRTtools does it (Wan, Saccoccio, Chen, Ciucci, Electrochim.
 * Acta 184 (2015) 483, doi:10.1016/j.electacta.2015.09.097).
 *
 * Discretisation. The unknowns are v = (R_inf, L omega_max, x_1..x_m) [ohm] (L scaled so every
 * column of A is of order one). Rows 0..n-1 of A are real parts, rows n..2n-1 imaginary parts:
 *   A[i][R_inf] = 1 (real rows), A[n+i][L] = omega_i / omega_max (imaginary rows),
 *   A[i][m] = A_re(omega_i tau_m), A[n+i][m] = A_im(omega_i tau_m), with
 *   A_re(u) = int exp(-(eps x)^2) / (1 + u^2 e^2x) dx, A_im(u) = -int exp(-(eps x)^2) u e^x /
 *   (1 + u^2 e^2x) dx.
 * The integrals are taken by the trapezoid rule on |eps x| <= QUAD_HALFWIDTH with step
 * h = min(QUAD_STEP_MAX, QUAD_STEP_EPS / eps). The integrand is analytic in the strip
 * |Im x| < pi/2 and decays like a Gaussian, so the error falls like exp(-pi^2 eps^-2 h^-2)
 * (about e^-110 at QUAD_STEP_EPS = 0.3): the rule is exact to rounding, which
 * tests/unit/test_drt.c checks against GSL's adaptive QAGI. The nodes' Gaussian weights and
 * e^x, e^2x are computed once, so a matrix entry costs K multiply-adds and divisions.
 *
 * Penalty. x^T M x = int (d^r gamma / dy^r)^2 dy, exactly for Gaussians: with
 * C(d) = int phi(y) phi(y - d) dy = sqrt(pi/2)/eps exp(-a d^2), a = eps^2/2, M_kl =
 * (-1)^r C^(2r)(y_k - y_l), i.e. (t = a d^2)
 *   r = 0: C,  r = 1: sqrt(pi/2)/eps a (2 - 4t) e^-t,  r = 2: sqrt(pi/2)/eps a^2 (16t^2 - 48t +
 *   12) e^-t.
 * The default r = 2 (pyDRTtools' default) penalises curvature, not amplitude: a ridge penalty
 * (r = 0, the "identity") shrinks gamma towards zero and so biases R_pol low, which the second
 * derivative does not (a broad peak of the right area costs almost nothing).
 *
 * lambda by generalised cross-validation (Golub, Heath, Wahba 1979), as pyDRTtools offers:
 *   GCV(lambda) = N ||Z - A v_lambda||^2 / (N - tr K_lambda)^2,  K = A (A^T A + lambda P)^-1 A^T,
 * N = 2n, P = blockdiag(0, M), v_lambda the unconstrained minimiser (the influence matrix of the
 * constrained problem is not linear). GCV rather than the L-curve: it estimates the predictive
 * error directly, needs no curvature of a sampled curve (the L-curve corner of a smooth,
 * over-sampled spectrum is often ill defined), and is cheap for many lambda after one
 * simultaneous diagonalisation: with S = A^T A + s P = L L^T (s balances the traces) and
 * L^-1 s P L^-T = Q diag(nu) Q^T, W = L^-T Q gives W^T A^T A W = diag(1 - nu), W^T s P W =
 * diag(nu), so v_lambda = W diag(1 / (1 - nu + mu nu)) W^T A^T Z and tr K = sum (1 - nu)/(1 - nu +
 * mu nu), mu = lambda / s, O(N p) per lambda. The grid lambda_min..lambda_max is searched, then the
 * best bracket refined by golden section in log lambda.
 *
 * Non-negativity: min 1/2 v^T H v - g^T v, H = A^T A + lambda P, g = A^T Z, v_k >= 0 for the
 * bounded variables, by the Lawson-Hanson active-set NNLS method in the normal-equation form of
 * Bro and de Jong (J. Chemometrics 11 (1997) 393):
 *   passive set F = free variables; v = argmin over F; w = g - H v
 *   while some bounded k outside F has w_k > tol:
 *     add the k of largest w_k to F
 *     repeat: s = H_FF^-1 g_F (Cholesky), s = 0 outside F
 *             if every bounded s_k in F is > 0: v = s, leave
 *             alpha = min over bounded k in F with s_k <= 0 of v_k / (v_k - s_k)
 *             v += alpha (s - v); move every bounded k with v_k <= 0 out of F (v_k = 0)
 *     w = g - H v
 * H is positive definite (A^T A + lambda M, M a Gram matrix of independent functions), so each
 * H_FF is. A variable that re-enters with s_k <= 0 at once (rounding) is blocked until v changes,
 * which prevents cycling.
 *
 * GSL (Cholesky, symmetric eigensolver, BLAS) runs with its error handler switched off; it is
 * restored before returning, and its failures are reported with gsl_strerror's text.
 */
#include "lmb/drt.h"

#include "core/ctx_internal.h"

#include <gsl/gsl_blas.h>
#include <gsl/gsl_eigen.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_vector.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define TWO_PI       6.283185307179586
#define SQRT_PI      1.7724538509055160
#define SQRT_HALF_PI 1.2533141373155003
#define FWHM_GAUSS   1.6651092223153954 /* 2 sqrt(ln 2): FWHM of exp(-x^2) */

#define QUAD_HALFWIDTH 6.5  /* Gaussian cut at |eps x| = 6.5, where it is exp(-42) */
#define QUAD_STEP_EPS  0.3  /* step h <= 0.3 / eps: error ~ exp(-pi^2 / 0.09) */
#define QUAD_STEP_MAX  0.1  /* step h <= 0.1: error of the kernel's poles ~ exp(-pi^2 / 0.1) */
#define OUT_HALFWIDTH  6.0  /* output grid reaches 6/eps beyond the end centres: exp(-36) */
#define EVAL_HALFWIDTH 8.0  /* gamma sums the basis functions with |eps (y - y_m)| < 8 */
#define MAX_BASIS      4000 /* more basis functions is a mistake in the options */
#define MAX_OUT        1000000
#define GOLDEN_ITER    40
#define DUP_REL        1e-12 /* frequencies closer than this (relative) share a basis function */

lmb_drt_options lmb_drt_options_default(void) {
    lmb_drt_options o;
    o.lambda = 0.0;
    o.lambda_min = LMB_DRT_LAMBDA_MIN;
    o.lambda_max = LMB_DRT_LAMBDA_MAX;
    o.lambda_per_decade = LMB_DRT_LAMBDA_PER_DECADE;
    o.fwhm_coeff = LMB_DRT_FWHM_COEFF;
    o.reg_order = LMB_DRT_REG_ORDER;
    o.inductance = LMB_DRT_L_NONNEG;
    o.basis_per_decade = 0;
    o.out_per_decade = LMB_DRT_OUT_PER_DECADE;
    o.peak_threshold = LMB_DRT_PEAK_THRESHOLD;
    return o;
}

void lmb_drt_result_free(lmb_drt_result *r) {
    if (!r)
        return;
    free(r->tau_s);
    free(r->gamma_ohm);
    free(r->basis_tau_s);
    free(r->coef_ohm);
    free(r->Z_fit_re);
    free(r->Z_fit_im);
    free(r->peaks);
    memset(r, 0, sizeof *r);
}

/* ---- quadrature of the basis integrals ---- */

typedef struct quad {
    size_t K;
    double *w;   /* h exp(-(eps x_k)^2) */
    double *ex;  /* e^x_k */
    double *e2x; /* e^2x_k */
} quad;

static void quad_free(quad *q) {
    free(q->w);
    free(q->ex);
    free(q->e2x);
}

static int quad_init(quad *q, double eps) {
    double h = fmin(QUAD_STEP_MAX, QUAD_STEP_EPS / eps);
    double half = QUAD_HALFWIDTH / eps;
    size_t nh = (size_t)ceil(half / h);
    q->K = 2 * nh + 1;
    q->w = malloc(q->K * sizeof *q->w);
    q->ex = malloc(q->K * sizeof *q->ex);
    q->e2x = malloc(q->K * sizeof *q->e2x);
    if (!q->w || !q->ex || !q->e2x) {
        quad_free(q);
        return -1;
    }
    for (size_t k = 0; k < q->K; k++) {
        double x = ((double)k - (double)nh) * h;
        q->w[k] = h * exp(-(eps * x) * (eps * x));
        q->ex[k] = exp(x);
        q->e2x[k] = q->ex[k] * q->ex[k];
    }
    return 0;
}

static void quad_eval(const quad *q, double u, double *re, double *im) {
    double u2 = u * u, sr = 0.0, si = 0.0;
    for (size_t k = 0; k < q->K; k++) {
        double d = q->w[k] / (1.0 + u2 * q->e2x[k]);
        sr += d;
        si += d * q->ex[k];
    }
    *re = sr;
    *im = -u * si;
}

void lmb_drt_basis_impedance(double eps, double omega_tau, double *A_re, double *A_im) {
    double re = NAN, im = NAN;
    quad q;
    if (isfinite(eps) && eps > 0.0 && isfinite(omega_tau) && omega_tau > 0.0 &&
        QUAD_HALFWIDTH / eps / fmin(QUAD_STEP_MAX, QUAD_STEP_EPS / eps) < 1e7 &&
        quad_init(&q, eps) == 0) {
        quad_eval(&q, omega_tau, &re, &im);
        quad_free(&q);
    }
    if (A_re)
        *A_re = re;
    if (A_im)
        *A_im = im;
}

/* M_kl of the r-th derivative for centres a distance d apart (header of this file). */
static double penalty(int r, double eps, double d) {
    double a = 0.5 * eps * eps, t = a * d * d, c = SQRT_HALF_PI / eps * exp(-t);
    switch (r) {
    case 0:
        return c;
    case 1:
        return c * a * (2.0 - 4.0 * t);
    default:
        return c * a * a * (16.0 * t * t - 48.0 * t + 12.0);
    }
}

/* ---- non-negative least squares on the normal equations ---- */

/* Solves a x = b for symmetric positive definite a (k x k, row-major, overwritten) by Cholesky;
 * b becomes x. Returns -1 if a is not numerically positive definite. */
static int chol_solve(double *a, size_t k, double *b) {
    for (size_t j = 0; j < k; j++) {
        double s = a[j * k + j];
        for (size_t l = 0; l < j; l++)
            s -= a[j * k + l] * a[j * k + l];
        if (!(s > 0.0))
            return -1;
        double d = sqrt(s);
        a[j * k + j] = d;
        for (size_t i = j + 1; i < k; i++) {
            double t = a[i * k + j];
            for (size_t l = 0; l < j; l++)
                t -= a[i * k + l] * a[j * k + l];
            a[i * k + j] = t / d;
        }
    }
    for (size_t i = 0; i < k; i++) {
        double t = b[i];
        for (size_t l = 0; l < i; l++)
            t -= a[i * k + l] * b[l];
        b[i] = t / a[i * k + i];
    }
    for (size_t i = k; i-- > 0;) {
        double t = b[i];
        for (size_t l = i + 1; l < k; l++)
            t -= a[l * k + i] * b[l];
        b[i] = t / a[i * k + i];
    }
    return 0;
}

typedef struct nnls_ws {
    size_t p;
    const double *H; /* p x p row-major */
    const double *g;
    const unsigned char *bounded;
    unsigned char *pas, *blocked;
    size_t *idx;
    double *sub, *s, *w;
} nnls_ws;

/* s = H_FF^-1 g_F on the passive set F, 0 elsewhere. A tiny diagonal shift is added if
 * rounding makes H_FF indefinite. */
static int nnls_subsolve(nnls_ws *ws) {
    size_t k = 0, p = ws->p;
    for (size_t i = 0; i < p; i++)
        if (ws->pas[i])
            ws->idx[k++] = i;
    for (int attempt = 0; attempt < 3; attempt++) {
        double shift = 0.0;
        if (attempt > 0) {
            double dmax = 0.0;
            for (size_t i = 0; i < k; i++)
                dmax = fmax(dmax, ws->H[ws->idx[i] * p + ws->idx[i]]);
            shift = dmax * (attempt == 1 ? 1e-13 : 1e-10);
        }
        for (size_t i = 0; i < k; i++) {
            for (size_t j = 0; j < k; j++)
                ws->sub[i * k + j] = ws->H[ws->idx[i] * p + ws->idx[j]];
            ws->sub[i * k + i] += shift;
        }
        double *b = ws->w; /* scratch: w is recomputed after every outer step */
        for (size_t i = 0; i < k; i++)
            b[i] = ws->g[ws->idx[i]];
        if (chol_solve(ws->sub, k, b) == 0) {
            for (size_t i = 0; i < p; i++)
                ws->s[i] = 0.0;
            for (size_t i = 0; i < k; i++)
                ws->s[ws->idx[i]] = b[i];
            return 0;
        }
    }
    return -1;
}

static void nnls_gradient(nnls_ws *ws, const double *v) {
    size_t p = ws->p;
    for (size_t i = 0; i < p; i++) {
        double t = ws->g[i];
        for (size_t j = 0; j < p; j++)
            t -= ws->H[i * p + j] * v[j];
        ws->w[i] = t;
    }
}

/* Returns the number of outer iterations, -1 on a singular subproblem, -2 on the limit. */
static int nnls(nnls_ws *ws, double *v, double tol) {
    size_t p = ws->p;
    int any_free = 0;
    for (size_t i = 0; i < p; i++) {
        v[i] = 0.0;
        ws->pas[i] = !ws->bounded[i];
        ws->blocked[i] = 0;
        any_free |= !ws->bounded[i];
    }
    if (any_free) {
        if (nnls_subsolve(ws) != 0)
            return -1;
        memcpy(v, ws->s, p * sizeof *v);
    }
    nnls_gradient(ws, v);
    int iter = 0, max_iter = 3 * (int)p + 10;
    for (;;) {
        size_t jmax = p;
        double wmax = tol;
        for (size_t i = 0; i < p; i++)
            if (!ws->pas[i] && !ws->blocked[i] && ws->w[i] > wmax) {
                wmax = ws->w[i];
                jmax = i;
            }
        if (jmax == p)
            return iter;
        if (++iter > max_iter)
            return -2;
        ws->pas[jmax] = 1;
        int first = 1, moved = 0;
        for (int inner = 0;; inner++) {
            if (inner > (int)p + 1)
                return -2;
            if (nnls_subsolve(ws) != 0)
                return -1;
            if (first && !(ws->s[jmax] > 0.0)) {
                /* w_j > 0 said v_j should grow, the solve says not: rounding. Block j. */
                ws->pas[jmax] = 0;
                ws->blocked[jmax] = 1;
                break;
            }
            first = 0;
            double alpha = 2.0;
            for (size_t i = 0; i < p; i++)
                if (ws->pas[i] && ws->bounded[i] && ws->s[i] <= 0.0) {
                    double a = v[i] / (v[i] - ws->s[i]);
                    if (a < alpha)
                        alpha = a;
                }
            moved = 1;
            if (alpha > 1.0) {
                memcpy(v, ws->s, p * sizeof *v);
                break;
            }
            for (size_t i = 0; i < p; i++)
                v[i] += alpha * (ws->s[i] - v[i]);
            for (size_t i = 0; i < p; i++)
                if (ws->pas[i] && ws->bounded[i] && v[i] <= 0.0) {
                    ws->pas[i] = 0;
                    v[i] = 0.0;
                }
        }
        if (moved)
            memset(ws->blocked, 0, p);
        nnls_gradient(ws, v);
    }
}

/* ---- the driver ---- */

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

typedef struct gcv_ws {
    size_t N, p;
    const gsl_matrix *AW; /* A W, N x p */
    const double *z;      /* data, N */
    const double *nu, *c; /* eigenvalues, W^T A^T z */
    double s;             /* the scale of P in S */
    double *y, *fit;
} gcv_ws;

static double gcv_score(gcv_ws *g, double lambda) {
    double mu = lambda / g->s, trK = 0.0;
    for (size_t k = 0; k < g->p; k++) {
        double nu = fmin(1.0, fmax(0.0, g->nu[k]));
        double d = (1.0 - nu) + mu * nu;
        g->y[k] = g->c[k] / d;
        trK += (1.0 - nu) / d;
    }
    double rss = 0.0;
    for (size_t i = 0; i < g->N; i++) {
        double t = g->z[i];
        const double *row = gsl_matrix_const_ptr(g->AW, i, 0);
        for (size_t k = 0; k < g->p; k++)
            t -= row[k] * g->y[k];
        rss += t * t;
    }
    double dof = (double)g->N - trK;
    return (double)g->N * rss / (dof * dof);
}

#define FAIL_GOTO(code, ...)                                                                       \
    do {                                                                                           \
        st = lmb__ctx_fail(ctx, (code), __VA_ARGS__);                                              \
        goto done;                                                                                 \
    } while (0)

static lmb_status check_options(lmb_ctx *ctx, const lmb_drt_options *o) {
    if (!(isfinite(o->lambda) && o->lambda >= 0.0))
        LMB__FAIL(ctx, LMB_EINVAL, "drt: lambda = %g must be >= 0 (0: chosen by GCV)", o->lambda);
    if (!(isfinite(o->lambda_min) && isfinite(o->lambda_max) && o->lambda_min > 0.0 &&
          o->lambda_max > o->lambda_min))
        LMB__FAIL(ctx, LMB_EINVAL,
                  "drt: GCV range lambda_min = %g, lambda_max = %g must satisfy "
                  "0 < lambda_min < lambda_max",
                  o->lambda_min, o->lambda_max);
    if (o->lambda_per_decade < 1 || o->lambda_per_decade > 1000)
        LMB__FAIL(ctx, LMB_EINVAL, "drt: lambda_per_decade = %d must be 1 to 1000",
                  o->lambda_per_decade);
    if (!(isfinite(o->fwhm_coeff) && o->fwhm_coeff > 0.0 && o->fwhm_coeff <= 100.0))
        LMB__FAIL(ctx, LMB_EINVAL, "drt: fwhm_coeff = %g must be in (0, 100]", o->fwhm_coeff);
    if (o->reg_order < 0 || o->reg_order > 2)
        LMB__FAIL(ctx, LMB_EINVAL, "drt: reg_order = %d must be 0, 1 or 2", o->reg_order);
    if (o->inductance < LMB_DRT_L_NONE || o->inductance > LMB_DRT_L_FREE)
        LMB__FAIL(ctx, LMB_EINVAL,
                  "drt: inductance = %d is not one of LMB_DRT_L_NONE, _NONNEG, "
                  "_FREE",
                  o->inductance);
    if (o->basis_per_decade < 0 || o->basis_per_decade > 1000)
        LMB__FAIL(ctx, LMB_EINVAL, "drt: basis_per_decade = %d must be 0 to 1000",
                  o->basis_per_decade);
    if (o->out_per_decade < 1 || o->out_per_decade > 10000)
        LMB__FAIL(ctx, LMB_EINVAL, "drt: out_per_decade = %d must be 1 to 10000",
                  o->out_per_decade);
    if (!(o->peak_threshold >= 0.0 && o->peak_threshold < 1.0))
        LMB__FAIL(ctx, LMB_EINVAL, "drt: peak_threshold = %g must be in [0, 1)", o->peak_threshold);
    return LMB_OK;
}

/* gamma(y) from the coefficients. */
static double gamma_at(double y, const double *yc, const double *x, size_t m, double eps) {
    double s = 0.0;
    for (size_t k = 0; k < m; k++) {
        double t = eps * (y - yc[k]);
        if (fabs(t) < EVAL_HALFWIDTH)
            s += x[k] * exp(-t * t);
    }
    return s;
}

lmb_status lmb_drt(lmb_ctx *ctx, const double *f_Hz, const double *Z_re, const double *Z_im,
                   size_t n, const lmb_drt_options *opt, lmb_drt_result *out) {
    if (out)
        memset(out, 0, sizeof *out);
    if (!f_Hz || !Z_re || !Z_im || !out)
        LMB__FAIL(ctx, LMB_EINVAL, "drt: NULL argument");
    if (n < 3)
        LMB__FAIL(ctx, LMB_EINVAL, "drt: %zu points given, at least 3 needed", n);
    lmb_drt_options o = opt ? *opt : lmb_drt_options_default();
    lmb_status st = check_options(ctx, &o);
    if (st != LMB_OK)
        return st;
    double fmin_Hz = INFINITY, fmax_Hz = 0.0;
    for (size_t i = 0; i < n; i++) {
        if (!(isfinite(f_Hz[i]) && f_Hz[i] > 0.0))
            LMB__FAIL(ctx, LMB_EINVAL,
                      "drt: point %zu: frequency %g Hz must be positive and finite", i, f_Hz[i]);
        if (!isfinite(Z_re[i]) || !isfinite(Z_im[i]))
            LMB__FAIL(ctx, LMB_EINVAL,
                      "drt: point %zu (f = %g Hz): impedance %g%+gj ohm is not "
                      "finite",
                      i, f_Hz[i], Z_re[i], Z_im[i]);
        fmin_Hz = fmin(fmin_Hz, f_Hz[i]);
        fmax_Hz = fmax(fmax_Hz, f_Hz[i]);
    }
    if (!(fmax_Hz > fmin_Hz * (1.0 + DUP_REL)))
        LMB__FAIL(ctx, LMB_EINVAL,
                  "drt: every frequency is %g Hz; the DRT needs a spread of "
                  "frequencies",
                  fmin_Hz);

    /* basis centres y_m = ln tau_m, increasing */
    double y_lo = -log(TWO_PI * fmax_Hz), y_hi = -log(TWO_PI * fmin_Hz);
    size_t m;
    if (o.basis_per_decade > 0) {
        double dec = (y_hi - y_lo) / log(10.0);
        double mm = ceil(dec * o.basis_per_decade - 1e-9) + 1.0;
        if (mm > MAX_BASIS)
            LMB__FAIL(ctx, LMB_EINVAL,
                      "drt: %.0f basis functions (%d per decade over %.3g "
                      "decades), at most %d allowed",
                      mm, o.basis_per_decade, dec, MAX_BASIS);
        m = (size_t)mm;
    } else {
        m = n; /* upper bound; duplicates removed below */
        if (m > MAX_BASIS)
            LMB__FAIL(ctx, LMB_EINVAL,
                      "drt: %zu points, one basis function each: at most %d "
                      "allowed; set basis_per_decade",
                      n, MAX_BASIS);
    }

    size_t N = 2 * n;
    int nL = o.inductance != LMB_DRT_L_NONE;
    size_t off = 1 + (size_t)nL;
    double omega_max = TWO_PI * fmax_Hz;

    double *yc = malloc(m * sizeof *yc);
    double *z = malloc(N * sizeof *z);
    quad q = {0, NULL, NULL, NULL};
    gsl_matrix *A = NULL, *AtA = NULL, *S = NULL, *B = NULL, *W = NULL, *AW = NULL, *Hm = NULL;
    gsl_vector *Atz = NULL, *nu = NULL, *cvec = NULL;
    gsl_eigen_symmv_workspace *ew = NULL;
    double *v = NULL, *gy = NULL, *gfit = NULL;
    nnls_ws nw;
    memset(&nw, 0, sizeof nw);
    unsigned char *bounded = NULL;
    gsl_error_handler_t *old_handler = gsl_set_error_handler_off();
    if (!yc || !z)
        FAIL_GOTO(LMB_ENOMEM, "drt: out of memory for %zu points", n);

    if (o.basis_per_decade > 0) {
        for (size_t k = 0; k < m; k++)
            yc[k] = y_lo + (y_hi - y_lo) * (double)k / (double)(m - 1);
    } else {
        for (size_t i = 0; i < n; i++)
            yc[i] = -log(TWO_PI * f_Hz[i]);
        qsort(yc, n, sizeof *yc, cmp_double);
        size_t u = 1;
        for (size_t i = 1; i < n; i++)
            if (yc[i] - yc[u - 1] > DUP_REL)
                yc[u++] = yc[i];
        m = u;
        yc[0] = y_lo; /* the same numbers, computed once */
        yc[m - 1] = y_hi;
    }
    double dy = (y_hi - y_lo) / (double)(m - 1);
    double eps = o.fwhm_coeff * FWHM_GAUSS / dy;
    size_t p = off + m;
    /* the output grid, checked before any work */
    double yo_lo = y_lo - OUT_HALFWIDTH / eps, yo_hi = y_hi + OUT_HALFWIDTH / eps;
    double ho = log(10.0) / o.out_per_decade;
    double nto = ceil((yo_hi - yo_lo) / ho) + 1.0;
    if (nto > MAX_OUT)
        FAIL_GOTO(LMB_EINVAL,
                  "drt: the output grid would have %.0f points, at most %d; lower "
                  "out_per_decade",
                  nto, MAX_OUT);

    for (size_t i = 0; i < n; i++) {
        z[i] = Z_re[i];
        z[n + i] = Z_im[i];
    }

    /* the matrix A */
    if (quad_init(&q, eps) != 0)
        FAIL_GOTO(LMB_ENOMEM, "drt: out of memory for the quadrature");
    A = gsl_matrix_calloc(N, p);
    AtA = gsl_matrix_alloc(p, p);
    Atz = gsl_vector_alloc(p);
    if (!A || !AtA || !Atz)
        FAIL_GOTO(LMB_ENOMEM, "drt: out of memory for a %zu x %zu matrix", N, p);
    for (size_t i = 0; i < n; i++) {
        double omega = TWO_PI * f_Hz[i];
        gsl_matrix_set(A, i, 0, 1.0);
        if (nL)
            gsl_matrix_set(A, n + i, 1, omega / omega_max);
        for (size_t k = 0; k < m; k++) {
            double re, im;
            quad_eval(&q, omega * exp(yc[k]), &re, &im);
            gsl_matrix_set(A, i, off + k, re);
            gsl_matrix_set(A, n + i, off + k, im);
        }
    }
    gsl_vector_const_view zv = gsl_vector_const_view_array(z, N);
    int gs = gsl_blas_dgemm(CblasTrans, CblasNoTrans, 1.0, A, A, 0.0, AtA);
    if (!gs)
        gs = gsl_blas_dgemv(CblasTrans, 1.0, A, &zv.vector, 0.0, Atz);
    if (gs)
        FAIL_GOTO(LMB_ESOLVER, "drt: forming the normal equations: %s", gsl_strerror(gs));

    /* the penalty block M, kept in Hm for now */
    Hm = gsl_matrix_calloc(p, p);
    if (!Hm)
        FAIL_GOTO(LMB_ENOMEM, "drt: out of memory for a %zu x %zu matrix", p, p);
    for (size_t k = 0; k < m; k++)
        for (size_t l = 0; l < m; l++)
            gsl_matrix_set(Hm, off + k, off + l, penalty(o.reg_order, eps, yc[k] - yc[l]));

    double lambda = o.lambda, gcv = NAN;
    if (lambda == 0.0) {
        double trA = 0.0, trP = 0.0;
        for (size_t k = 0; k < p; k++) {
            trA += gsl_matrix_get(AtA, k, k);
            trP += gsl_matrix_get(Hm, k, k);
        }
        double s = trA / trP;
        S = gsl_matrix_alloc(p, p);
        B = gsl_matrix_alloc(p, p);
        W = gsl_matrix_alloc(p, p);
        AW = gsl_matrix_alloc(N, p);
        nu = gsl_vector_alloc(p);
        cvec = gsl_vector_alloc(p);
        ew = gsl_eigen_symmv_alloc(p);
        gy = malloc(p * sizeof *gy);
        gfit = malloc(N * sizeof *gfit);
        if (!S || !B || !W || !AW || !nu || !cvec || !ew || !gy || !gfit)
            FAIL_GOTO(LMB_ENOMEM, "drt: out of memory for the GCV search (%zu unknowns)", p);
        /* S = A^T A + s P = L L^T; B = L^-1 s P L^-T = Q diag(nu) Q^T; W = L^-T Q */
        gsl_matrix_memcpy(S, AtA);
        gsl_matrix_memcpy(B, Hm);
        gsl_matrix_scale(B, s);
        gsl_matrix_add(S, B);
        gs = gsl_linalg_cholesky_decomp1(S);
        if (!gs)
            gs = gsl_blas_dtrsm(CblasLeft, CblasLower, CblasNoTrans, CblasNonUnit, 1.0, S, B);
        if (!gs)
            gs = gsl_blas_dtrsm(CblasRight, CblasLower, CblasTrans, CblasNonUnit, 1.0, S, B);
        if (!gs)
            gs = gsl_eigen_symmv(B, nu, W, ew);
        if (!gs)
            gs = gsl_blas_dtrsm(CblasLeft, CblasLower, CblasTrans, CblasNonUnit, 1.0, S, W);
        if (!gs)
            gs = gsl_blas_dgemv(CblasTrans, 1.0, W, Atz, 0.0, cvec);
        if (!gs)
            gs = gsl_blas_dgemm(CblasNoTrans, CblasNoTrans, 1.0, A, W, 0.0, AW);
        if (gs)
            FAIL_GOTO(LMB_ESOLVER, "drt: GCV diagonalisation (%zu unknowns): %s", p,
                      gsl_strerror(gs));
        gcv_ws g = {N, p, AW, z, nu->data, cvec->data, s, gy, gfit};
        /* grid, then golden section in log lambda around the best grid point */
        double l0 = log10(o.lambda_min), l1 = log10(o.lambda_max);
        int ng = (int)ceil((l1 - l0) * o.lambda_per_decade - 1e-9) + 1;
        if (ng < 2)
            ng = 2;
        double best = INFINITY;
        int ib = 0;
        for (int k = 0; k < ng; k++) {
            double sc = gcv_score(&g, pow(10.0, l0 + (l1 - l0) * k / (ng - 1.0)));
            if (sc < best) {
                best = sc;
                ib = k;
            }
        }
        double step = (l1 - l0) / (ng - 1.0);
        double a = l0 + step * (ib > 0 ? ib - 1 : 0), b = l0 + step * (ib < ng - 1 ? ib + 1 : ib);
        const double gr = 0.6180339887498949;
        double c1 = b - gr * (b - a), c2 = a + gr * (b - a);
        double f1 = gcv_score(&g, pow(10.0, c1)), f2 = gcv_score(&g, pow(10.0, c2));
        for (int it = 0; it < GOLDEN_ITER; it++) {
            if (f1 < f2) {
                b = c2;
                c2 = c1;
                f2 = f1;
                c1 = b - gr * (b - a);
                f1 = gcv_score(&g, pow(10.0, c1));
            } else {
                a = c1;
                c1 = c2;
                f1 = f2;
                c2 = a + gr * (b - a);
                f2 = gcv_score(&g, pow(10.0, c2));
            }
        }
        double lc = 0.5 * (a + b), fc = gcv_score(&g, pow(10.0, lc));
        lambda = pow(10.0, l0 + step * ib);
        gcv = best;
        if (fc < best) {
            lambda = pow(10.0, lc);
            gcv = fc;
        }
    }

    /* H = A^T A + lambda P, then the NNLS */
    gsl_matrix_scale(Hm, lambda);
    gsl_matrix_add(Hm, AtA);
    v = malloc(p * sizeof *v);
    bounded = malloc(p);
    nw.p = p;
    nw.H = Hm->data; /* gsl_matrix_alloc: tda == p */
    nw.g = Atz->data;
    nw.pas = malloc(p);
    nw.blocked = malloc(p);
    nw.idx = malloc(p * sizeof *nw.idx);
    nw.sub = malloc(p * p * sizeof *nw.sub);
    nw.s = malloc(p * sizeof *nw.s);
    nw.w = malloc(p * sizeof *nw.w);
    if (!v || !bounded || !nw.pas || !nw.blocked || !nw.idx || !nw.sub || !nw.s || !nw.w)
        FAIL_GOTO(LMB_ENOMEM, "drt: out of memory for the NNLS solver (%zu unknowns)", p);
    for (size_t k = 0; k < p; k++)
        bounded[k] = 1;
    if (o.inductance == LMB_DRT_L_FREE)
        bounded[1] = 0;
    nw.bounded = bounded;
    double gmax = 0.0;
    for (size_t k = 0; k < p; k++)
        gmax = fmax(gmax, fabs(Atz->data[k]));
    int iters = nnls(&nw, v, LMB_DRT_NNLS_TOL * gmax);
    if (iters == -1)
        FAIL_GOTO(LMB_ESOLVER, "drt: NNLS: a subproblem is singular (lambda = %g)", lambda);
    if (iters == -2)
        FAIL_GOTO(LMB_ESOLVER, "drt: NNLS: no convergence in %zu iterations (lambda = %g)",
                  3 * p + 10, lambda);

    /* results */
    size_t nt = (size_t)nto;
    ho = (yo_hi - yo_lo) / (double)(nt - 1);
    out->n_tau = nt;
    out->n_basis = m;
    out->n = n;
    out->tau_s = malloc(nt * sizeof *out->tau_s);
    out->gamma_ohm = malloc(nt * sizeof *out->gamma_ohm);
    out->basis_tau_s = malloc(m * sizeof *out->basis_tau_s);
    out->coef_ohm = malloc(m * sizeof *out->coef_ohm);
    out->Z_fit_re = malloc(n * sizeof *out->Z_fit_re);
    out->Z_fit_im = malloc(n * sizeof *out->Z_fit_im);
    if (!out->tau_s || !out->gamma_ohm || !out->basis_tau_s || !out->coef_ohm || !out->Z_fit_re ||
        !out->Z_fit_im)
        FAIL_GOTO(LMB_ENOMEM, "drt: out of memory for the result (%zu output points)", nt);
    const double *x = v + off;
    double Rpol = 0.0;
    for (size_t k = 0; k < m; k++) {
        out->basis_tau_s[k] = exp(yc[k]);
        out->coef_ohm[k] = x[k];
        Rpol += x[k];
    }
    out->eps = eps;
    out->R_inf_ohm = v[0];
    out->L_H = nL ? v[1] / omega_max : 0.0;
    out->R_pol_ohm = Rpol * SQRT_PI / eps;
    out->lambda = lambda;
    out->gcv = gcv;
    out->nnls_iterations = iters;
    double ss = 0.0;
    for (size_t i = 0; i < n; i++) {
        double re = 0.0, im = 0.0;
        for (size_t k = 0; k < p; k++) {
            re += gsl_matrix_get(A, i, k) * v[k];
            im += gsl_matrix_get(A, n + i, k) * v[k];
        }
        out->Z_fit_re[i] = re;
        out->Z_fit_im[i] = im;
        ss += (re - Z_re[i]) * (re - Z_re[i]) + (im - Z_im[i]) * (im - Z_im[i]);
    }
    out->rms_ohm = sqrt(ss / (double)n);
    double gtop = 0.0;
    for (size_t t = 0; t < nt; t++) {
        double y = yo_lo + ho * (double)t;
        out->tau_s[t] = exp(y);
        out->gamma_ohm[t] = gamma_at(y, yc, x, m, eps);
        gtop = fmax(gtop, out->gamma_ohm[t]);
    }

    /* peaks: interior maxima above the threshold; each owns the area between the minima of gamma
     * that separate it from its neighbours */
    const double *gm = out->gamma_ohm;
    size_t np = 0;
    for (size_t t = 1; t + 1 < nt; t++)
        if (gm[t] > gm[t - 1] && gm[t] >= gm[t + 1] && gm[t] > o.peak_threshold * gtop &&
            gtop > 0.0)
            np++;
    if (np > 0) {
        out->peaks = malloc(np * sizeof *out->peaks);
        if (!out->peaks)
            FAIL_GOTO(LMB_ENOMEM, "drt: out of memory for %zu peaks", np);
        size_t j = 0, prev_split = 0, prev_peak = 0;
        for (size_t t = 1; t + 1 < nt; t++) {
            if (!(gm[t] > gm[t - 1] && gm[t] >= gm[t + 1] && gm[t] > o.peak_threshold * gtop))
                continue;
            if (j > 0) {
                size_t split = prev_peak;
                for (size_t u = prev_peak; u <= t; u++)
                    if (gm[u] < gm[split])
                        split = u;
                double area = 0.0;
                for (size_t u = prev_split; u < split; u++)
                    area += 0.5 * ho * (gm[u] + gm[u + 1]);
                out->peaks[j - 1].R_ohm = area;
                prev_split = split;
            }
            /* vertex of the parabola through the three grid points, in y */
            double den = gm[t - 1] - 2.0 * gm[t] + gm[t + 1];
            double dlt = den < 0.0 ? 0.5 * (gm[t - 1] - gm[t + 1]) / den : 0.0;
            double yp = yo_lo + ho * ((double)t + dlt);
            out->peaks[j].tau_s = exp(yp);
            out->peaks[j].f_Hz = 1.0 / (TWO_PI * exp(yp));
            out->peaks[j].gamma_ohm = fmax(gm[t], gamma_at(yp, yc, x, m, eps));
            prev_peak = t;
            j++;
        }
        double area = 0.0;
        for (size_t u = prev_split; u + 1 < nt; u++)
            area += 0.5 * ho * (gm[u] + gm[u + 1]);
        out->peaks[j - 1].R_ohm = area;
        out->n_peaks = np;
    }
    st = LMB_OK;

done:
    gsl_set_error_handler(old_handler);
    free(yc);
    free(z);
    quad_free(&q);
    gsl_matrix_free(A);
    gsl_matrix_free(AtA);
    gsl_matrix_free(S);
    gsl_matrix_free(B);
    gsl_matrix_free(W);
    gsl_matrix_free(AW);
    gsl_matrix_free(Hm);
    gsl_vector_free(Atz);
    gsl_vector_free(nu);
    gsl_vector_free(cvec);
    if (ew)
        gsl_eigen_symmv_free(ew);
    free(v);
    free(gy);
    free(gfit);
    free(bounded);
    free(nw.pas);
    free(nw.blocked);
    free(nw.idx);
    free(nw.sub);
    free(nw.s);
    free(nw.w);
    if (st != LMB_OK)
        lmb_drt_result_free(out);
    return st;
}
