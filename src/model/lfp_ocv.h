/*
 * lfp_ocv.h - named open-circuit potentials of positive materials and their slopes: two fits
 * of LiFePO4 (PHYSICS.md section 6) and the LiCoO2 of DUALFOIL (the reference case,
 * docs/reference-case.md). A measured OCV is a table instead (matprop.h).
 *
 * Selected by lmb__lfp_ocv_kind; x is the Li fraction (stoichiometry) of the host (x = 1 fully
 * lithiated, the discharged positive), U [V] is against Li/Li+:
 *
 *   LMB__LFP_OCV_PRADA2013, the form used with the parameters of
 *     E. Prada, D. Di Domenico, Y. Creff, J. Bernard, V. Sauvant-Moynot, F. Huet, J. Electrochem.
 *     Soc. 160 (2013) A616, doi:10.1149/2.053304jes:
 *       U(x)     = 3.4077 - 0.020269 x + 0.5 exp(-150 x) - 0.9 exp(-30 (1 - x))
 *       dU/dx    = -0.020269 - 75 exp(-150 x) - 27 exp(-30 (1 - x))
 *     A plateau at 3.398 V (x = 0.5) with a slope of -20 mV per unit x, steep walls of width
 *     ~1/150 at x = 0 and ~1/30 at x = 1. (PyBaMM's Prada2013 set ships this function under
 *     the name of Afshar et al. 2017, arXiv:1709.03970.)
 *
 *   LMB__LFP_OCV_SAFARI2011, M. Safari, C. Delacourt, J. Electrochem. Soc. 158 (2011) A562,
 *     doi:10.1149/1.3567007, with s = 1 - x:
 *       U(x)  = 3.4323 - a1 exp(-b1 s^p1) - a2 exp(b2 s^p2) + a3 exp(b3 s^p3)
 *       dU/dx = -a1 b1 p1 s^(p1-1) exp(-b1 s^p1) + a2 b2 p2 s^(p2-1) exp(b2 s^p2)
 *               - a3 b3 p3 s^(p3-1) exp(b3 s^p3)
 *     a1 = 0.8428, b1 = 80.2493, p1 = 1.3198; a2 = 3.2474e-6, b2 = 20.2645, p2 = 3.8003;
 *     a3 = 3.2482e-6, b3 = 20.2646, p3 = 3.7995. A plateau at 3.4323 V that changes by only
 *     1.1e-6 V over 0.3 < x < 0.7 (|dU/dx| down to 4.4e-8 V at x = 0.61). The last two terms
 *     nearly cancel: each is ~2000 V at x = 0, where their difference lifts U to 4.14 V; the
 *     double-precision result keeps ~1e-12 V. dU/dx -> 0 as x -> 1 (s^0.3198), after a
 *     minimum of -17.2 V at x = 0.988.
 *
 *   LMB__LFP_OCV_DUALFOIL1998, LiCoO2 (Li_yCoO2) in the DUALFOIL 5.1 program of M. Doyle,
 *     T. F. Fuller and J. Newman (University of California, Berkeley; the form PyBaMM ships as
 *     lico2_ocp_Dualfoil1998), stated valid for 0 < y < 0.99:
 *       U(y) = 2.16216 + 0.07645 tanh(30.834 - 54.4806 y) + 2.1581 tanh(52.294 - 50.294 y)
 *              - 0.14169 tanh(11.0923 - 19.8543 y) + 0.2051 tanh(1.4684 - 5.4888 y)
 *              + 0.2531 tanh((0.56478 - y) / 0.1316) - 0.02167 tanh((y - 0.525) / 0.006)
 *     and dU/dy term by term, d tanh(u)/du = 1 - tanh(u)^2. Finite for every y; beyond 0.99 it
 *     is the fit's extrapolation, as DUALFOIL evaluates it (a discharge to 3.8 V at low rate
 *     ends at y ~ 0.993).
 *
 * Domain: 0 <= x <= 1. Outside it Prada's form is evaluated as written (finite), while
 * Safari's s^p is undefined for x > 1 and the result is NaN. A residual that can send x out of
 * [0, 1] checks it first and returns > 0 so that the solver retries with a smaller step.
 */
#ifndef LMB_MODEL_LFP_OCV_H
#define LMB_MODEL_LFP_OCV_H

#include <math.h>
#include <stdio.h>
#include <string.h>

typedef enum lmb__lfp_ocv_kind {
    LMB__LFP_OCV_PRADA2013 = 0,
    LMB__LFP_OCV_SAFARI2011 = 1,
    LMB__LFP_OCV_DUALFOIL1998 = 2,
} lmb__lfp_ocv_kind;

#define LMB__LFP_OCV_COUNT 3

/* Prada et al. 2013 form: U [V] and dU/dx [V] at Li fraction x. */
static inline double lmb__lfp_ocv_prada2013(double x, double *dUdx) {
    double e0 = exp(-150.0 * x), e1 = exp(-30.0 * (1.0 - x));
    if (dUdx)
        *dUdx = -0.020269 - 150.0 * 0.5 * e0 - 30.0 * 0.9 * e1;
    return 3.4077 - 0.020269 * x + 0.5 * e0 - 0.9 * e1;
}

/* Safari & Delacourt 2011: U [V] and dU/dx [V] at Li fraction x. */
static inline double lmb__lfp_ocv_safari2011(double x, double *dUdx) {
    static const double a1 = 0.8428, b1 = 80.2493, p1 = 1.3198;
    static const double a2 = 3.2474e-6, b2 = 20.2645, p2 = 3.8003;
    static const double a3 = 3.2482e-6, b3 = 20.2646, p3 = 3.7995;
    double s = 1.0 - x;
    double e1 = exp(-b1 * pow(s, p1)), e2 = exp(b2 * pow(s, p2)), e3 = exp(b3 * pow(s, p3));
    if (dUdx) /* d/dx = -d/ds; s^(p-1) by pow, not s^p / s, so that s = 0 is fine */
        *dUdx = -a1 * b1 * p1 * pow(s, p1 - 1.0) * e1 + a2 * b2 * p2 * pow(s, p2 - 1.0) * e2 -
                a3 * b3 * p3 * pow(s, p3 - 1.0) * e3;
    return 3.4323 - a1 * e1 - a2 * e2 + a3 * e3;
}

/* DUALFOIL's LiCoO2: U [V] and dU/dy [V] at stoichiometry y. */
static inline double lmb__ocv_licoo2_dualfoil1998(double y, double *dUdy) {
    /* U = U0 + sum_k A_k tanh(a_k + b_k y) */
    static const double A[6] = {0.07645, 2.1581, -0.14169, 0.2051, 0.2531, -0.02167};
    static const double a[6] = {30.834, 52.294, 11.0923, 1.4684, 0.56478 / 0.1316, -0.525 / 0.006};
    static const double b[6] = {-54.4806, -50.294, -19.8543, -5.4888, -1.0 / 0.1316, 1.0 / 0.006};
    double U = 2.16216, dU = 0.0;
    for (int k = 0; k < 6; k++) {
        double t = tanh(a[k] + b[k] * y);
        U += A[k] * t;
        dU += A[k] * b[k] * (1.0 - t * t);
    }
    if (dUdy)
        *dUdy = dU;
    return U;
}

/*
 * Open-circuit potential U [V] of the chosen fit at Li fraction x in [0, 1]; its slope dU/dx [V]
 * goes to *dUdx unless dUdx is NULL. An unknown kind gives NaN (and a NaN slope).
 */
static inline double lmb__lfp_ocv(lmb__lfp_ocv_kind kind, double x, double *dUdx) {
    switch (kind) {
    case LMB__LFP_OCV_PRADA2013:
        return lmb__lfp_ocv_prada2013(x, dUdx);
    case LMB__LFP_OCV_SAFARI2011:
        return lmb__lfp_ocv_safari2011(x, dUdx);
    case LMB__LFP_OCV_DUALFOIL1998:
        return lmb__ocv_licoo2_dualfoil1998(x, dUdx);
    }
    if (dUdx)
        *dUdx = NAN;
    return NAN;
}

/* Name of a fit as parameter files spell it ("prada2013", "safari2011", "dualfoil1998");
 * NULL if unknown. */
static inline const char *lmb__lfp_ocv_name(lmb__lfp_ocv_kind kind) {
    switch (kind) {
    case LMB__LFP_OCV_PRADA2013:
        return "prada2013";
    case LMB__LFP_OCV_SAFARI2011:
        return "safari2011";
    case LMB__LFP_OCV_DUALFOIL1998:
        return "dualfoil1998";
    }
    return NULL;
}

/* The fits' names joined by sep ("prada2013, safari2011") into buf (size n), for messages. */
static inline void lmb__lfp_ocv_choices(char *buf, size_t n, const char *sep) {
    if (!buf || n == 0)
        return;
    buf[0] = '\0';
    for (int k = 0; k < LMB__LFP_OCV_COUNT; k++) {
        size_t len = strlen(buf);
        snprintf(buf + len, n - len, "%s%s", k ? sep : "", lmb__lfp_ocv_name((lmb__lfp_ocv_kind)k));
    }
}

/* The fit named `name` (lmb__lfp_ocv_name's spelling) into *out: 0, or -1 if there is none
 * (*out untouched). */
static inline int lmb__lfp_ocv_parse(const char *name, lmb__lfp_ocv_kind *out) {
    for (int k = 0; k < LMB__LFP_OCV_COUNT; k++) {
        const char *s = lmb__lfp_ocv_name((lmb__lfp_ocv_kind)k);
        if (name && strcmp(name, s) == 0) {
            *out = (lmb__lfp_ocv_kind)k;
            return 0;
        }
    }
    return -1;
}

#endif
