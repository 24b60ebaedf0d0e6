/*
 * lmb/circuit.h - equivalent circuits of impedance spectra: parsing circuit strings, evaluating
 * their impedance and fitting their parameters to a spectrum (as impedance.py does it).
 *
 * A circuit string is written as in impedance.py: elements joined in series by '-', parallel
 * branches as p(A,B) (two or more branches, nesting allowed, each branch itself a series
 * chain), e.g. "R0-p(R1,CPE1)-p(R2,CPE2)-Wo1". Blanks are ignored. An element is its type
 * (letters) followed by a number (digits) that makes its name unique: R0, CPE1, Wo12.
 *
 * Elements (omega = 2 pi f [rad/s], j the imaginary unit; parameters in this order):
 *   R     R [ohm]                          Z = R
 *   C     C [F]                            Z = 1 / (j omega C)
 *   L     L [H]                            Z = j omega L
 *   CPE   Q [F s^(alpha-1)], alpha [1]     Z = 1 / (Q (j omega)^alpha)
 *   W     sigma [ohm s^-1/2]               Z = sigma (1 - j) / sqrt(omega)  (semi-infinite)
 *   Wo    Z0 [ohm], tau [s]                Z = Z0 coth(sqrt(j omega tau)) / sqrt(j omega tau)
 *                                              (finite-space, "open" Warburg)
 *   Ws    Z0 [ohm], tau [s]                Z = Z0 tanh(sqrt(j omega tau)) / sqrt(j omega tau)
 *                                              (finite-length, "short" Warburg)
 *   K     R [ohm], tau [s]                 Z = R / (1 + j omega tau)   (Voigt element)
 *   Zarc  R [ohm], tau [s], gamma [1]      Z = R / (1 + (j omega tau)^gamma)
 *                                              (not an impedance.py element)
 *   G     R_G [ohm], t_G [s]               Z = R_G / sqrt(1 + j omega t_G)   (Gerischer)
 *   Gs    R_G [ohm], t_G [s], phi [1]      Z = R_G / (sqrt(1 + j omega t_G)
 *                                                     tanh(phi sqrt(1 + j omega t_G)))
 *                                              (finite-length Gerischer)
 *   TLMQ  R_ion [ohm], Q_s [F s^(gamma-1)], gamma [1]
 *                                          Z = sqrt(R_ion / Y) coth(sqrt(R_ion Y)),
 *                                              Y = Q_s (j omega)^gamma
 *                                              (transmission line, Landesfeind et al. 2016)
 * Series: Z = Z1 + Z2 + ...; parallel: 1/Z = 1/Z1 + 1/Z2 + ....
 *
 * Parameter names follow impedance.py: a one-parameter element's parameter is named by the
 * element ("R0"), a multi-parameter element's by the element and the index ("CPE1_0",
 * "CPE1_1"). Parameters are ordered as their elements appear in the string.
 *
 * Sign convention: Z = Z_re + j Z_im with the physics sign, capacitive behaviour has Z_im < 0.
 */
#ifndef LMB_CIRCUIT_H
#define LMB_CIRCUIT_H

#include <stddef.h>

#include "lmb/ctx.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct lmb_circuit lmb_circuit;

/* Longest element name (type and number) accepted by the parser, in characters. */
#define LMB_CIRCUIT_NAME_MAX 31

/* Deepest nesting of p(...) accepted by the parser. */
#define LMB_CIRCUIT_DEPTH_MAX 32

/*
 * Parses a circuit string. On success *out is a new circuit, freed with lmb_circuit_free.
 * Statuses: LMB_OK; LMB_EINVAL (NULL argument); LMB_EPARSE (empty string, unbalanced
 * parentheses, unknown element, element without its number, duplicate element name, unexpected
 * character; the message gives the 1-based column); LMB_ENOMEM. *out is NULL on failure.
 */
lmb_status lmb_circuit_parse(lmb_ctx *ctx, const char *text, lmb_circuit **out);

/* Frees a circuit; NULL is a no-op. */
void lmb_circuit_free(lmb_circuit *c);

/* The circuit written back in canonical form (no blanks); owned by the circuit. */
const char *lmb_circuit_text(const lmb_circuit *c);

/* Number of parameters. */
size_t lmb_circuit_param_count(const lmb_circuit *c);

/* Name of parameter i ("R0", "CPE1_0"); NULL if i is out of range. Owned by the circuit. */
const char *lmb_circuit_param_name(const lmb_circuit *c, size_t i);

/* Unit of parameter i ("ohm", "F", "H", "s", "ohm s^-1/2", "F s^(alpha-1)", "1"); NULL if i
 * is out of range. Static text. */
const char *lmb_circuit_param_unit(const lmb_circuit *c, size_t i);

/*
 * Impedance of the circuit at n frequencies f_Hz [Hz] (> 0) with parameters params (in the
 * units above, param_count of them); writes Z_re, Z_im [ohm]. Nothing is checked beyond NULL
 * pointers: non-physical parameters give whatever the formulas give (inf/NaN possible).
 * Statuses: LMB_OK; LMB_EINVAL (a NULL pointer; there is no context, so no sentence).
 */
lmb_status lmb_circuit_impedance(const lmb_circuit *c, const double *params, const double *f_Hz,
                                 size_t n, double *Z_re, double *Z_im);

/*
 * A starting point for lmb_circuit_fit derived from the spectrum (f_Hz [Hz], Z_re, Z_im [ohm],
 * n >= 3 points in any order): series resistors share the high-frequency real part; resistances
 * of the relaxations (parallel groups and K, Zarc, G, Gs, TLMQ, Wo, Ws) share the span of the
 * real part; each relaxation gets a time constant from a prominent maximum of -Z'' (in order of
 * appearance from high to low frequency), or, when there are fewer maxima than relaxations, from
 * frequencies spread log-evenly over the spectrum; alpha, gamma = 0.8; phi = 1; W from -Z'' at
 * the lowest frequency; L from Z'' at the highest. Writes param_count values to p0.
 * Statuses: LMB_OK; LMB_EINVAL (NULL, n < 3, a frequency <= 0 or a non-finite value);
 * LMB_ENOMEM. There is no context, so no sentence: lmb_circuit_fit, which calls this when no
 * guess is given, reports the failure in its context.
 */
lmb_status lmb_circuit_default_guess(const lmb_circuit *c, const double *f_Hz, const double *Z_re,
                                     const double *Z_im, size_t n, double *p0);

/* Weighting of the residuals. */
#define LMB_CIRCUIT_WEIGHT_UNIT    0 /* residual = Z_model - Z_data [ohm] */
#define LMB_CIRCUIT_WEIGHT_MODULUS 1 /* residual = (Z_model - Z_data) / |Z_data| [1] */

/* Default iteration limit of one start. */
#define LMB_CIRCUIT_FIT_MAX_ITER 500

/* Seed of the multistart generator (starts are reproducible). */
#define LMB_CIRCUIT_FIT_SEED 20251125u

typedef struct lmb_circuit_fit_options {
    const double *guess; /* param_count starting values; NULL: lmb_circuit_default_guess */
    int weighting;       /* LMB_CIRCUIT_WEIGHT_UNIT or LMB_CIRCUIT_WEIGHT_MODULUS */
    int multistart;      /* 0: the guess only; N > 0: N more starts, each parameter of the guess
                            scaled by up to a factor 10 either way (alpha/gamma moved in logit
                            space by up to +-1.5), deterministic; the lowest cost wins */
    int max_iter;        /* per start; 0: LMB_CIRCUIT_FIT_MAX_ITER */
} lmb_circuit_fit_options;

/* Options with every field at its default (default guess, modulus weighting, no multistart). */
lmb_circuit_fit_options lmb_circuit_fit_options_default(void);

/*
 * Result of a fit. params and std_err are arrays of n_params owned by the result (free it with
 * lmb_circuit_fit_result_free). std_err is the standard error in the parameter's own unit, from
 * the Jacobian at the optimum: cov = s^2 (J^T J)^-1, s^2 = SSR / (2n - p) with the weighted
 * residuals, propagated from the fit variables (log p, or logit p for alpha and gamma) to p to
 * first order. NaN or inf marks a parameter the data do not determine.
 * (The member is not called "stderr": that is a macro of <stdio.h>.)
 */
typedef struct lmb_circuit_fit_result {
    size_t n_params;
    double *params;  /* [units of lmb_circuit_param_unit] */
    double *std_err; /* [same units] */
    double rmse_ohm; /* sqrt(sum |Z_model - Z_data|^2 / n), unweighted [ohm] */
    double ssr;      /* sum of squared weighted residuals at the optimum [ohm^2 or 1] */
    int iterations;  /* iterations of the winning start */
    int converged;   /* 1: the winning start met a step or gradient tolerance */
    int at_bound;    /* 1: a parameter ran to its bound (a positive one to 0 or infinity, an
                        exponent to 0 or 1): the optimum lies on the boundary, which the
                        transformed problem never reaches, so the driver stops at its
                        iteration limit; such a fit is a minimum, counted as converged, and the
                        circuit has more elements than the spectrum supports */
    int best_start;  /* 0: the guess itself; k > 0: the k-th multistart */
} lmb_circuit_fit_result;

/*
 * Fits the circuit to a spectrum of n points (f_Hz [Hz] > 0, Z_re, Z_im [ohm], physics sign) by
 * a trust-region Levenberg-Marquardt least-squares (GSL multifit_nlinear), with every parameter
 * kept positive (fitted as log p) and alpha, gamma in (0, 1) (fitted as logit p). opt may be
 * NULL (defaults). On success *out holds the result (also when the iteration limit was reached:
 * converged = 0); on failure *out has NULL arrays.
 * Statuses: LMB_OK; LMB_EINVAL (NULL, 2n <= param_count, a frequency <= 0, a non-finite value,
 * bad option); LMB_ERANGE (a guess outside its allowed range: <= 0, or alpha/gamma outside
 * (0, 1]); LMB_ENOMEM; LMB_ESOLVER (GSL failed on every start; its message is kept).
 */
lmb_status lmb_circuit_fit(lmb_ctx *ctx, const lmb_circuit *c, const double *f_Hz,
                           const double *Z_re, const double *Z_im, size_t n,
                           const lmb_circuit_fit_options *opt, lmb_circuit_fit_result *out);

/* Frees the arrays of a result (the struct itself is the caller's); NULL is a no-op. */
void lmb_circuit_fit_result_free(lmb_circuit_fit_result *r);

#ifdef __cplusplus
}
#endif
#endif
