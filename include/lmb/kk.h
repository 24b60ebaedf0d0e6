/*
 * lmb/kk.h - the linear Kramers-Kronig validity test of an impedance spectrum (lin-KK) of
 * Schönleber, Klotz and Ivers-Tiffée, Electrochim. Acta 131 (2014) 20-27,
 * doi:10.1016/j.electacta.2014.01.034, as impedance.py's linKK does it with fit_type="complex".
 *
 * The spectrum is fitted by a chain of M Voigt elements, which is Kramers-Kronig consistent by
 * construction:
 *   Z_fit(omega) = R_0 + sum_{k=1..M} R_k / (1 + j omega tau_k)
 *                  [+ 1 / (j omega C)]  (option add_capacitance)
 *                  [+ j omega L]        (option add_inductance)
 * with omega = 2 pi f [rad/s]. The time constants are fixed, log-spaced from
 * tau_1 = 1/omega_max to tau_M = 1/omega_min (for M = 1, tau_1 = 1/omega_min, as in
 * impedance.py), so the fit is linear in R_0, R_k, 1/C and L: it is solved by linear least
 * squares on the real and the imaginary parts jointly, each residual weighted by 1/|Z|.
 *
 * M is grown from 1 until the under/over-fitting measure
 *   mu = 1 - (sum of |R_k| over R_k < 0) / (sum of |R_k| over R_k >= 0)   (k = 1..M)
 * is <= mu_c; negative resistances appear once the Voigt chain starts fitting noise. M never
 * exceeds max_M (nor the number of unknowns the 2n equations allow; impedance.py can end at
 * max_M + 1). mu_c = 0 turns the criterion off and uses M = max_M (impedance.py's c=None).
 * Differences from impedance.py: its series inductance is always in the model, here it is the
 * option add_inductance; the least squares are solved by SVD instead of the normal equations.
 *
 * A known weakness of the criterion, kept as published: for a spectrum made of ideal RC arcs
 * (single time constants) the fixed tau_k can only represent a sharp relaxation with negative
 * neighbours, so mu falls below 0.85 already at one or two elements per decade and noise-free
 * residuals stay at the percent level (9 % for one RC arc over 7 decades). Real, distributed
 * spectra do not show this; a fixed M (mu_c = 0) of about 5 per decade resolves such arcs.
 *
 * The verdict comes from the relative residuals at each point,
 *   res_re = (Z_re - Z_fit_re) / |Z|,  res_im = (Z_im - Z_fit_im) / |Z|:
 * residuals within about 1 % (the noise level of a good measurement) and without a trend over
 * frequency mean the spectrum is Kramers-Kronig consistent (linear, causal, stable,
 * time-invariant); larger or systematic residuals flag drift or non-linearity.
 *
 * Sign convention: Z = Z_re + j Z_im with the physics sign, capacitive behaviour has Z_im < 0.
 */
#ifndef LMB_KK_H
#define LMB_KK_H

#include <stddef.h>

#include "lmb/ctx.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Default mu threshold (impedance.py's c = 0.85 of the paper). */
#define LMB_KK_MU_C 0.85

/* Default largest M: the smaller of 2n and this. */
#define LMB_KK_MAX_M 100

typedef struct lmb_kk_options {
    double mu_c;         /* stop growing M once mu <= mu_c, 0 < mu_c <= 1 [1]; 0: no
                            criterion, M = max_M (impedance.py's c=None) */
    int max_M;           /* largest M, >= 1; 0: min(2n, LMB_KK_MAX_M). Also capped so that the
                            unknowns do not outnumber the 2n equations. */
    int add_capacitance; /* 1: a series capacitance C in the model (spectra that end in a
                            capacitive branch at low frequency, e.g. blocking electrodes) */
    int add_inductance;  /* 1: a series inductance L in the model (cables, the cell's
                            windings: Z_im > 0 at high frequency) */
} lmb_kk_options;

/* Options at their defaults: mu_c = LMB_KK_MU_C, max_M = 0 (automatic), no C, no L. */
lmb_kk_options lmb_kk_options_default(void);

/*
 * Result of the test. Arrays are owned by the result; free them with lmb_kk_result_free.
 * Residuals are in the order of the input points.
 */
typedef struct lmb_kk_result {
    int M;          /* number of Voigt elements used */
    double mu;      /* mu at that M [1] (1 when no R_k is negative) */
    double *res_re; /* n relative residuals of the real part, (Z_re - Z_fit_re) / |Z| [1] */
    double *res_im; /* n relative residuals of the imaginary part [1] */
    double rms_res; /* sqrt(sum(res_re^2 + res_im^2) / (2n)) [1] */
    double max_res; /* largest |res_re| or |res_im| [1] */
    double *R;      /* M + 1 resistances: R_0, then R_1..R_M [ohm] (R_k may be negative) */
    double *tau;    /* M time constants tau_1..tau_M [s] */
    double C;       /* series capacitance [F]; 0 when add_capacitance is 0; may be negative or
                       infinite (fitted 1/C of 0) when the data do not call for it */
    double L;       /* series inductance [H]; 0 when add_inductance is 0 */
} lmb_kk_result;

/*
 * Runs lin-KK on a spectrum of n points: f_Hz [Hz] (> 0, finite, any order, not all equal),
 * Z_re, Z_im [ohm] (finite, physics sign, |Z| > 0). opt may be NULL (defaults). On success *out
 * holds the result (free with lmb_kk_result_free); on failure *out has NULL arrays.
 * Statuses: LMB_OK; LMB_EINVAL (a NULL pointer, n < 3, a frequency <= 0 or non-finite, all
 * frequencies equal, a non-finite impedance or |Z| = 0, mu_c outside [0, 1], max_M < 0,
 * add_capacitance or add_inductance not 0 or 1); LMB_ENOMEM; LMB_ESOLVER (GSL's least squares
 * failed; its message is kept).
 */
lmb_status lmb_kk_test(lmb_ctx *ctx, const double *f_Hz, const double *Z_re, const double *Z_im,
                       size_t n, const lmb_kk_options *opt, lmb_kk_result *out);

/* Frees the arrays of a result (the struct itself is the caller's); NULL is a no-op. */
void lmb_kk_result_free(lmb_kk_result *r);

#ifdef __cplusplus
}
#endif
#endif
