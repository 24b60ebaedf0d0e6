/*
 * lmb/drt.h - the distribution of relaxation times (DRT) of an impedance spectrum, by Tikhonov
 * regularisation with non-negativity and Gaussian radial basis functions, as pyDRTtools does it
 * (T. H. Wan, M. Saccoccio, C. Chen, F. Ciucci, Electrochim. Acta 184 (2015) 483,
 * doi:10.1016/j.electacta.2015.09.097).
 *
 * Model (omega = 2 pi f [rad/s], y = ln(tau / 1 s)):
 *   Z(omega) = R_inf + j omega L + integral gamma(y) / (1 + j omega e^y) dy
 * with gamma >= 0 [ohm] (per unit of ln tau, so R_pol = integral gamma dy [ohm]), R_inf >= 0 and
 * L >= 0, free or absent (options). gamma is a sum of Gaussians
 *   gamma(y) = sum_m x_m exp(-(eps (y - y_m))^2),   x_m >= 0 [ohm]
 * centred on a log-spaced grid y_m; eps is set by the FWHM coefficient c as in pyDRTtools:
 * eps = c 2 sqrt(ln 2) / dy with dy the grid spacing, so a basis function's full width at half
 * maximum is dy / c (c = 0.5: two grid spacings).
 *
 * Fit: minimise ||A v - Z||^2 + lambda x^T M x over v = (R_inf, L, x) within the bounds, real
 * and imaginary parts together, unweighted; M_kl = integral phi_k^(r) phi_l^(r) dy is the
 * integrated square of the r-th derivative of gamma (r = 2 by default); lambda is given or chosen
 * by generalised cross-validation (see lmb_drt_options).
 *
 * Sign convention: Z = Z_re + j Z_im with the physics sign, capacitive behaviour has Z_im < 0.
 */
#ifndef LMB_DRT_H
#define LMB_DRT_H

#include <stddef.h>

#include "lmb/ctx.h"

#ifdef __cplusplus
extern "C" {
#endif

/* What is done with the inductance L (default NONNEG: cable inductance is never negative). */
#define LMB_DRT_L_NONE   0 /* no inductance term (pyDRTtools' default) */
#define LMB_DRT_L_NONNEG 1 /* L >= 0 fitted */
#define LMB_DRT_L_FREE   2 /* L of either sign fitted */

/* Defaults of lmb_drt_options. */
#define LMB_DRT_FWHM_COEFF        0.5  /* pyDRTtools' default FWHM coefficient [1] */
#define LMB_DRT_LAMBDA_MIN        1e-6 /* GCV search range [1] */
#define LMB_DRT_LAMBDA_MAX        1.0
#define LMB_DRT_LAMBDA_PER_DECADE 5     /* GCV grid points per decade, then refined */
#define LMB_DRT_REG_ORDER         2     /* derivative penalised: 0, 1 or 2 */
#define LMB_DRT_OUT_PER_DECADE    100   /* points per decade of the output gamma grid */
#define LMB_DRT_PEAK_THRESHOLD    0.01  /* peaks below this fraction of max gamma ignored */
#define LMB_DRT_NNLS_TOL          1e-12 /* relative KKT tolerance of the NNLS solver */

typedef struct lmb_drt_options {
    double lambda;     /* > 0: this regularisation parameter [1]; 0: chosen by GCV */
    double lambda_min; /* GCV search range, 0 < lambda_min < lambda_max [1] */
    double lambda_max;
    int lambda_per_decade; /* GCV grid density, >= 1 */
    double fwhm_coeff;     /* c > 0 of eps = c 2 sqrt(ln 2) / dy */
    int reg_order;         /* 0: integral gamma^2, 1: of gamma'^2, 2: of gamma''^2 */
    int inductance;        /* LMB_DRT_L_NONE, LMB_DRT_L_NONNEG or LMB_DRT_L_FREE */
    int basis_per_decade;  /* 0: one basis function per measured frequency, tau_m = 1/(2 pi f_m);
                              > 0: this many per decade over the same range of tau */
    int out_per_decade;    /* >= 1: density of the output grid */
    double peak_threshold; /* in [0, 1): fraction of the largest gamma a peak must exceed */
} lmb_drt_options;

/* Options with every field at its default (GCV, c = 0.5, second derivative, L >= 0). */
lmb_drt_options lmb_drt_options_default(void);

/* One peak of gamma. */
typedef struct lmb_drt_peak {
    double tau_s;     /* position of the maximum (parabola through the grid's top 3) [s] */
    double f_Hz;      /* 1 / (2 pi tau) [Hz] */
    double gamma_ohm; /* height of gamma at the maximum [ohm] */
    double R_ohm;     /* integral of gamma dy between the minima that bound the peak [ohm] */
} lmb_drt_peak;

/*
 * Result of lmb_drt. Every array is owned by the result (lmb_drt_result_free).
 * The output grid covers the basis centres and 6/eps in y beyond each end, where the basis
 * functions have died out, so the trapezoid integral of gamma over it equals R_pol.
 */
typedef struct lmb_drt_result {
    size_t n_tau;        /* points of the output grid */
    double *tau_s;       /* output grid, increasing [s] */
    double *gamma_ohm;   /* gamma at tau_s [ohm] */
    size_t n_basis;      /* basis functions */
    double *basis_tau_s; /* their centres, increasing [s] */
    double *coef_ohm;    /* their coefficients x_m >= 0 [ohm] */
    double eps;          /* shape factor of the Gaussians [1] */
    double R_inf_ohm;    /* [ohm] */
    double L_H;          /* [H]; 0 with LMB_DRT_L_NONE */
    double R_pol_ohm;    /* integral gamma dy = sum x_m sqrt(pi) / eps [ohm] */
    double lambda;       /* the regularisation parameter used [1] */
    double gcv;          /* GCV score at lambda (unconstrained problem), NaN if lambda was given */
    size_t n;            /* points of the spectrum */
    double *Z_fit_re;    /* the model at the measured frequencies, in input order [ohm] */
    double *Z_fit_im;
    double rms_ohm;      /* sqrt(sum |Z_fit - Z|^2 / n) [ohm] */
    int nnls_iterations; /* outer iterations of the active-set solver */
    size_t n_peaks;
    lmb_drt_peak *peaks; /* by increasing tau */
} lmb_drt_result;

/*
 * The DRT of a spectrum of n points (f_Hz [Hz] > 0, in any order, at least two distinct; Z_re,
 * Z_im [ohm] finite, physics sign). opt may be NULL (defaults). On success *out holds the result;
 * on failure *out is zeroed (arrays NULL).
 * Statuses: LMB_OK; LMB_EINVAL (NULL pointer, n < 3, a frequency <= 0 or not finite, all
 * frequencies equal, a non-finite impedance, an option out of range); LMB_ENOMEM; LMB_ESOLVER
 * (the linear algebra failed: GSL's message is kept, or the NNLS iteration limit was reached).
 */
lmb_status lmb_drt(lmb_ctx *ctx, const double *f_Hz, const double *Z_re, const double *Z_im,
                   size_t n, const lmb_drt_options *opt, lmb_drt_result *out);

/* Frees the arrays of a result (the struct itself is the caller's) and zeroes it; NULL is a
 * no-op. */
void lmb_drt_result_free(lmb_drt_result *r);

/*
 * Impedance of one basis function, with u = omega_tau:
 *   A_re =  integral exp(-(eps x)^2) / (1 + (u e^x)^2) dx
 *   A_im = -integral exp(-(eps x)^2) u e^x / (1 + (u e^x)^2) dx
 * i.e. the impedance of gamma = Gaussian of height 1 ohm centred at tau0 seen at omega with
 * omega_tau = omega tau0 [1] (> 0), eps > 0. Computed by the trapezoid rule that lmb_drt uses
 * (exponentially convergent here: the integrand is analytic in a strip); exposed for tests and
 * for synthesising spectra. Writes NaN for non-positive or non-finite arguments.
 */
void lmb_drt_basis_impedance(double eps, double omega_tau, double *A_re, double *A_im);

#ifdef __cplusplus
}
#endif
#endif
