/*
 * test_drt.c - the distribution of relaxation times (lmb/drt.h): the basis integrals against
 * GSL's adaptive quadrature, and the DRT of synthetic spectra whose DRT is known.
 *
 * Synthetic spectra: 10 points per decade from 1 MHz down to 10 mHz (81 points), exact
 * impedance of
 *   ZARC   Z = R_inf + R_pol / (1 + (j omega tau0)^phi), R_inf = 10, R_pol = 100 ohm,
 *          tau0 = 1 ms, phi = 0.8. Its DRT is
 *          gamma(y) = R_pol/(2 pi) sin((1-phi) pi) / (cosh(phi (y - y0)) - cos((1-phi) pi)),
 *          a single symmetric peak at tau0; its tails beyond the measured range of tau
 *          (1.6e-7 to 16 s) hold R_pol 2/(2 pi) sin(0.2 pi) e^(-0.8 * 8.7) / 0.8 = 0.04 ohm, and
 *          at 1 MHz the arc still adds 0.03 ohm to Z_re, which R_inf absorbs: so R_inf and R_pol
 *          are recoverable to a few 0.1 %, and the 1 % bound leaves room for the regularisation.
 *   two RC Z = R_inf + R1/(1 + j omega tau1) + R2/(1 + j omega tau2), R_inf = 5, R1 = 50,
 *          tau1 = 10 us, R2 = 100 ohm, tau2 = 0.1 s: two delta functions four decades apart,
 *          which the smooth DRT renders as two peaks; each peak's area must match its R within
 *          3 % (the split at the minimum between them misassigns only the tails, which for
 *          peaks four decades apart and a few basis widths wide are negligible).
 * Noise: 1 % of |Z| on the real and on the imaginary part, independent normal deviates from a
 * fixed-seed generator. R_pol is then an average over many points (its standard error is about
 * 1 ohm / sqrt(40), 0.2 %), but GCV picks a larger lambda, so the smoothing bias grows; the
 * bound of 3 % is 10 of those standard errors plus the bias seen without noise.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "lmb/ctx.h"
#include "lmb/drt.h"
#include "test_util.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_integration.h>

#include <complex.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define NPTS        81
#define F_HI        1e6  /* [Hz] */
#define F_LO        1e-2 /* [Hz] */
#define TWO_PI      6.283185307179586
#define SQRT_PI     1.7724538509055160
#define TOL_QUAD    1e-11 /* trapezoid vs QAG, relative to sqrt(pi)/eps: both near rounding */
#define TOL_R       0.01  /* R_inf, R_pol of the noise-free ZARC */
#define TOL_TAU     0.03  /* peak position */
#define TOL_RC      0.03  /* resistance of each RC peak */
#define TOL_NOISE   0.03  /* R_pol with 1 % noise */
#define NOISE       0.01
#define N_SEEDS     5
#define TOL_KKT     1e-8 /* KKT residual relative to 2 sum |Z| sqrt(pi)/eps */
#define PI          3.141592653589793
#define TOL_SHAPE   0.1     /* gamma of the ZARC vs the true DRT, relative to its peak */
#define GAMMA_TOP   48.9712 /* [ohm] peak of the true DRT of the ZARC */
#define TOL_RINF_RC 0.2     /* [ohm] R_inf of the two-RC spectrum, see test_two_rc */

/* ---- helpers ---- */

static void log_freqs(double *f) {
    for (int i = 0; i < NPTS; i++)
        f[i] = pow(10.0, log10(F_HI) - (log10(F_HI) - log10(F_LO)) * i / (NPTS - 1.0));
}

static void zarc(const double *f, double *re, double *im, double L_H) {
    for (int i = 0; i < NPTS; i++) {
        double w = TWO_PI * f[i];
        double complex z = 10.0 + 100.0 / (1.0 + cpow(I * w * 1e-3, 0.8)) + I * w * L_H;
        re[i] = creal(z);
        im[i] = cimag(z);
    }
}

static void add_noise(double *re, double *im, uint64_t seed) {
    for (int i = 0; i < NPTS; i++) {
        double m = hypot(re[i], im[i]);
        re[i] += NOISE * m * lmb_test_gauss(&seed);
        im[i] += NOISE * m * lmb_test_gauss(&seed);
    }
}

static void run_ok(lmb_ctx *ctx, const double *f, const double *re, const double *im, size_t n,
                   const lmb_drt_options *o, lmb_drt_result *r) {
    lmb_status st = lmb_drt(ctx, f, re, im, n, o, r);
    if (st != LMB_OK)
        fail_msg("lmb_drt: %s: %s", lmb_status_name(st), lmb_ctx_errmsg(ctx));
}

static double rel(double a, double b) {
    return fabs(a - b) / fabs(b);
}

/* Invariants of every result: gamma >= 0, trapezoid area of gamma = R_pol, peaks' R sum to it,
 * Z_fit reproduces rms_ohm. */
static void check_result(const lmb_drt_result *r, const double *re, const double *im) {
    assert_true(r->n_tau > 10 && r->n_basis >= 2);
    double area = 0.0;
    for (size_t t = 0; t < r->n_tau; t++) {
        assert_true(r->gamma_ohm[t] >= 0.0);
        if (t > 0) {
            assert_true(r->tau_s[t] > r->tau_s[t - 1]);
            area +=
                0.5 * (r->gamma_ohm[t] + r->gamma_ohm[t - 1]) * log(r->tau_s[t] / r->tau_s[t - 1]);
        }
    }
    for (size_t k = 0; k < r->n_basis; k++)
        assert_true(r->coef_ohm[k] >= 0.0);
    assert_true(r->R_inf_ohm >= 0.0);
    assert_true(fabs(area - r->R_pol_ohm) <= 1e-9 * r->R_pol_ohm + 1e-12);
    double sum = 0.0;
    for (size_t k = 0; k < r->n_peaks; k++)
        sum += r->peaks[k].R_ohm;
    if (r->n_peaks > 0)
        assert_true(fabs(sum - r->R_pol_ohm) <= 1e-9 * r->R_pol_ohm);
    double ss = 0.0;
    for (size_t i = 0; i < r->n; i++)
        ss += pow(r->Z_fit_re[i] - re[i], 2) + pow(r->Z_fit_im[i] - im[i], 2);
    assert_true(fabs(sqrt(ss / (double)r->n) - r->rms_ohm) <= 1e-12 + 1e-9 * r->rms_ohm);
}

static size_t big_peak(const lmb_drt_result *r) {
    size_t big = 0;
    for (size_t k = 1; k < r->n_peaks; k++)
        if (r->peaks[k].gamma_ohm > r->peaks[big].gamma_ohm)
            big = k;
    return big;
}

/* ---- basis integrals ---- */

typedef struct kpar {
    double eps, u;
    int imag;
} kpar;

static double kern(double x, void *p) {
    const kpar *k = p;
    double e = k->u * exp(x), g = exp(-(k->eps * x) * (k->eps * x));
    return k->imag ? -g * e / (1.0 + e * e) : g / (1.0 + e * e);
}

static void test_basis_quadrature(void **state) {
    (void)state;
    const double epss[] = {0.2, 0.5, 1.0, 3.6, 10.0, 40.0};
    const double us[] = {1e-6, 1e-3, 0.1, 0.5, 1.0, 2.0, 30.0, 1e3, 1e6};
    gsl_integration_workspace *w = gsl_integration_workspace_alloc(2000);
    assert_non_null(w);
    gsl_error_handler_t *old = gsl_set_error_handler_off();
    double worst = 0.0;
    for (size_t a = 0; a < sizeof epss / sizeof epss[0]; a++)
        for (size_t b = 0; b < sizeof us / sizeof us[0]; b++) {
            double re, im, ref[2], err;
            lmb_drt_basis_impedance(epss[a], us[b], &re, &im);
            for (int c = 0; c < 2; c++) {
                kpar k = {epss[a], us[b], c};
                gsl_function F = {kern, &k};
                /* the Gaussian lives on |x| < 7/eps: integrate there (the rest is < 1e-21) */
                double half = 7.0 / epss[a];
                assert_int_equal(gsl_integration_qag(&F, -half, half, 1e-15, 1e-13, 2000,
                                                     GSL_INTEG_GAUSS61, w, &ref[c], &err),
                                 GSL_SUCCESS);
            }
            double scale = SQRT_PI / epss[a];
            double d = fmax(fabs(re - ref[0]), fabs(im - ref[1])) / scale;
            worst = fmax(worst, d);
            if (d > TOL_QUAD)
                fail_msg("eps %g u %g: trapezoid (%.16g, %.16g) vs QAG (%.16g, %.16g)", epss[a],
                         us[b], re, im, ref[0], ref[1]);
        }
    gsl_set_error_handler(old);
    gsl_integration_workspace_free(w);
    print_message("basis quadrature: worst deviation from QAG %.2e of sqrt(pi)/eps\n", worst);
    /* limits: u -> 0 gives the area of the Gaussian, u -> inf gives 0 */
    double re, im;
    lmb_drt_basis_impedance(2.0, 1e-12, &re, &im);
    assert_true(fabs(re - SQRT_PI / 2.0) < 1e-12 && fabs(im) < 1e-11);
    lmb_drt_basis_impedance(2.0, 1e12, &re, &im);
    assert_true(fabs(re) < 1e-12 && fabs(im) < 1e-11);
    lmb_drt_basis_impedance(-1.0, 1.0, &re, &im);
    assert_true(isnan(re) && isnan(im));
    lmb_drt_basis_impedance(1.0, 0.0, &re, &im);
    assert_true(isnan(re) && isnan(im));
}

/* ---- synthetic spectra ---- */

static void test_zarc(void **state) {
    (void)state;
    lmb_ctx *ctx = NULL;
    assert_int_equal(lmb_ctx_create(&ctx), LMB_OK);
    double f[NPTS], re[NPTS], im[NPTS];
    log_freqs(f);
    zarc(f, re, im, 0.0);
    lmb_drt_result r;
    run_ok(ctx, f, re, im, NPTS, NULL, &r);
    check_result(&r, re, im);
    print_message("ZARC: R_inf %.4f R_pol %.4f L %.3g lambda %.3g rms %.3g ohm, %zu peaks, "
                  "tau %.5g s, %d NNLS iterations\n",
                  r.R_inf_ohm, r.R_pol_ohm, r.L_H, r.lambda, r.rms_ohm, r.n_peaks,
                  r.n_peaks ? r.peaks[0].tau_s : 0.0, r.nnls_iterations);
    assert_true(rel(r.R_inf_ohm, 10.0) < TOL_R);
    assert_true(rel(r.R_pol_ohm, 100.0) < TOL_R);
    assert_int_equal(r.n_basis, NPTS);
    assert_int_equal(r.n_peaks, 1);
    assert_true(rel(r.peaks[0].tau_s, 1e-3) < TOL_TAU);
    assert_true(rel(r.peaks[0].R_ohm, 100.0) < TOL_R);
    assert_true(rel(r.peaks[0].f_Hz, 1.0 / (TWO_PI * 1e-3)) < TOL_TAU);
    assert_true(r.lambda >= LMB_DRT_LAMBDA_MIN && r.lambda <= LMB_DRT_LAMBDA_MAX);
    assert_true(isfinite(r.gcv));
    assert_true(r.L_H >= 0.0 && r.L_H < 1e-9);
    assert_true(r.rms_ohm < 0.1);
    /* the true DRT (header of this file): peak height R_pol/(2 pi) sin(0.2 pi)/(1 - cos(0.2 pi))
     * = 48.97 ohm. Regularisation rounds the top off a little; the whole curve must stay within
     * TOL_SHAPE of that height from the true one inside the measured range of tau. */
    double worst = 0.0;
    for (size_t t = 0; t < r.n_tau; t++) {
        if (r.tau_s[t] < 1.0 / (TWO_PI * F_HI) || r.tau_s[t] > 1.0 / (TWO_PI * F_LO))
            continue;
        double y = log(r.tau_s[t] / 1e-3);
        double g = 100.0 / TWO_PI * sin(0.2 * PI) / (cosh(0.8 * y) - cos(0.2 * PI));
        worst = fmax(worst, fabs(r.gamma_ohm[t] - g));
    }
    print_message("ZARC: peak height %.4f ohm (true %.4f), worst |gamma - true| %.3f ohm\n",
                  r.peaks[0].gamma_ohm, GAMMA_TOP, worst);
    assert_true(rel(r.peaks[0].gamma_ohm, GAMMA_TOP) < TOL_SHAPE);
    assert_true(worst < TOL_SHAPE * GAMMA_TOP);
    /* the order of the points does not matter: increasing frequencies give the same DRT */
    double fr[NPTS], rr[NPTS], ir[NPTS];
    for (int i = 0; i < NPTS; i++) {
        fr[i] = f[NPTS - 1 - i];
        rr[i] = re[NPTS - 1 - i];
        ir[i] = im[NPTS - 1 - i];
    }
    lmb_drt_result r2;
    run_ok(ctx, fr, rr, ir, NPTS, NULL, &r2);
    assert_true(rel(r2.R_pol_ohm, r.R_pol_ohm) < 1e-9 && rel(r2.R_inf_ohm, r.R_inf_ohm) < 1e-9);
    assert_true(fabs(r2.Z_fit_re[0] - r.Z_fit_re[NPTS - 1]) < 1e-9);
    lmb_drt_result_free(&r2);
    lmb_drt_result_free(&r);
    assert_null(r.tau_s);
    lmb_drt_result_free(NULL);

    /* given lambda; fixed basis density; the other penalties */
    lmb_drt_options o = lmb_drt_options_default();
    o.lambda = 1e-3;
    o.basis_per_decade = 7;
    run_ok(ctx, f, re, im, NPTS, &o, &r);
    check_result(&r, re, im);
    assert_true(r.lambda == 1e-3 && isnan(r.gcv));
    assert_int_equal(r.n_basis, 57); /* 8 decades and a bit, 7 per decade, + 1 */
    assert_true(rel(r.R_pol_ohm, 100.0) < TOL_R);
    lmb_drt_result_free(&r);
    for (int ord = 0; ord <= 1; ord++) {
        o = lmb_drt_options_default();
        o.reg_order = ord;
        run_ok(ctx, f, re, im, NPTS, &o, &r);
        check_result(&r, re, im);
        print_message("ZARC, penalty order %d: R_inf %.4f R_pol %.4f lambda %.3g\n", ord,
                      r.R_inf_ohm, r.R_pol_ohm, r.lambda);
        assert_true(rel(r.R_pol_ohm, 100.0) < TOL_R);
        assert_true(rel(r.R_inf_ohm, 10.0) < TOL_R);
        lmb_drt_result_free(&r);
    }
    lmb_ctx_free(ctx);
}

static void test_zarc_inductance(void **state) {
    (void)state;
    lmb_ctx *ctx = NULL;
    assert_int_equal(lmb_ctx_create(&ctx), LMB_OK);
    double f[NPTS], re[NPTS], im[NPTS];
    log_freqs(f);
    zarc(f, re, im, 1e-6); /* Z_im = +6.3 ohm at 1 MHz */
    lmb_drt_options o = lmb_drt_options_default();
    lmb_drt_result r;
    for (int mode = LMB_DRT_L_NONNEG; mode <= LMB_DRT_L_FREE; mode++) {
        o.inductance = mode;
        run_ok(ctx, f, re, im, NPTS, &o, &r);
        check_result(&r, re, im);
        print_message("ZARC + 1 uH, inductance mode %d: L %.5g H R_inf %.4f R_pol %.4f\n", mode,
                      r.L_H, r.R_inf_ohm, r.R_pol_ohm);
        assert_true(rel(r.L_H, 1e-6) < 0.01);
        assert_true(rel(r.R_inf_ohm, 10.0) < TOL_R);
        assert_true(rel(r.R_pol_ohm, 100.0) < TOL_R);
        lmb_drt_result_free(&r);
    }
    /* without the L term the inductive points cannot be fitted: the residual shows it */
    o.inductance = LMB_DRT_L_NONE;
    run_ok(ctx, f, re, im, NPTS, &o, &r);
    assert_true(r.L_H == 0.0 && r.rms_ohm > 0.1);
    lmb_drt_result_free(&r);
    lmb_ctx_free(ctx);
}

static void test_two_rc(void **state) {
    (void)state;
    lmb_ctx *ctx = NULL;
    assert_int_equal(lmb_ctx_create(&ctx), LMB_OK);
    double f[NPTS], re[NPTS], im[NPTS];
    log_freqs(f);
    for (int i = 0; i < NPTS; i++) {
        double w = TWO_PI * f[i];
        double complex z = 5.0 + 50.0 / (1.0 + I * w * 1e-5) + 100.0 / (1.0 + I * w * 0.1);
        re[i] = creal(z);
        im[i] = cimag(z);
    }
    lmb_drt_result r;
    run_ok(ctx, f, re, im, NPTS, NULL, &r);
    check_result(&r, re, im);
    print_message("two RC: R_inf %.4f R_pol %.4f lambda %.3g, %zu peaks\n", r.R_inf_ohm,
                  r.R_pol_ohm, r.lambda, r.n_peaks);
    for (size_t k = 0; k < r.n_peaks; k++)
        print_message("  peak %zu: tau %.5g s, gamma %.4g ohm, R %.4f ohm\n", k, r.peaks[k].tau_s,
                      r.peaks[k].gamma_ohm, r.peaks[k].R_ohm);
    assert_int_equal(r.n_peaks, 2);
    assert_true(rel(r.peaks[0].tau_s, 1e-5) < TOL_TAU);
    assert_true(rel(r.peaks[1].tau_s, 0.1) < TOL_TAU);
    assert_true(rel(r.peaks[0].R_ohm, 50.0) < TOL_RC);
    assert_true(rel(r.peaks[1].R_ohm, 100.0) < TOL_RC);
    /* A delta function rendered as a Gaussian peak of finite width has tails at small tau that
     * add to Z_re at 1 MHz; R_inf gives back what they add (0.14 ohm, 0.1 % of R_inf + R_pol) */
    assert_true(fabs(r.R_inf_ohm - 5.0) < TOL_RINF_RC);
    assert_true(rel(r.R_pol_ohm, 150.0) < TOL_R);
    lmb_drt_result_free(&r);
    lmb_ctx_free(ctx);
}

static void test_zarc_noise(void **state) {
    (void)state;
    lmb_ctx *ctx = NULL;
    assert_int_equal(lmb_ctx_create(&ctx), LMB_OK);
    double f[NPTS], re[NPTS], im[NPTS];
    log_freqs(f);
    double worst = 0.0;
    for (uint64_t seed = 1; seed <= N_SEEDS; seed++) {
        zarc(f, re, im, 0.0);
        add_noise(re, im, 20251125u + seed);
        lmb_drt_result r;
        run_ok(ctx, f, re, im, NPTS, NULL, &r);
        check_result(&r, re, im);
        print_message("ZARC + 1 %% noise, seed %d: R_inf %.4f R_pol %.4f lambda %.3g rms %.3g, "
                      "%zu peaks, largest at tau %.4g s\n",
                      (int)seed, r.R_inf_ohm, r.R_pol_ohm, r.lambda, r.rms_ohm, r.n_peaks,
                      r.n_peaks ? r.peaks[big_peak(&r)].tau_s : 0.0);
        worst = fmax(worst, rel(r.R_pol_ohm, 100.0));
        assert_true(rel(r.R_pol_ohm, 100.0) < TOL_NOISE);
        assert_true(rel(r.R_inf_ohm, 10.0) < 0.05);
        /* the largest peak sits at tau0 */
        assert_true(r.n_peaks >= 1 && rel(r.peaks[big_peak(&r)].tau_s, 1e-3) < 0.1);
        lmb_drt_result_free(&r);
    }
    print_message("ZARC + 1 %% noise: worst R_pol error %.2f %% over %d seeds\n", 100.0 * worst,
                  N_SEEDS);
    lmb_ctx_free(ctx);
}

/* ---- optimality of the constrained solution ---- */

/* The KKT conditions of min ||A v - Z||^2 + lambda x^T M x, x >= 0, R_inf >= 0, L >= 0, checked
 * with everything rebuilt here independently of drt.c: A from lmb_drt_basis_impedance, M by a
 * fine trapezoid rule on phi'' (drt.c uses its closed form). The gradient must vanish (within
 * TOL_KKT of the scale of A^T Z) where a variable is positive and be >= -TOL_KKT where it is 0. */
static void test_kkt(void **state) {
    (void)state;
    lmb_ctx *ctx = NULL;
    assert_int_equal(lmb_ctx_create(&ctx), LMB_OK);
    double f[NPTS], re[NPTS], im[NPTS];
    log_freqs(f);
    zarc(f, re, im, 0.0);
    add_noise(re, im, 7u);
    lmb_drt_options o = lmb_drt_options_default();
    o.lambda = 1e-3;
    lmb_drt_result r;
    run_ok(ctx, f, re, im, NPTS, &o, &r);
    size_t m = r.n_basis;
    assert_int_equal(m, NPTS);
    double eps = r.eps, dy = log(r.basis_tau_s[1] / r.basis_tau_s[0]);
    /* M depends on the distance of the centres only (a uniform grid): M(j dy) */
    double *Md = malloc(m * sizeof *Md);
    assert_non_null(Md);
    double h = 0.002 / eps, half = 8.0 / eps;
    for (size_t j = 0; j < m; j++) {
        double d = (double)j * dy, sum = 0.0;
        for (double y = -half; y <= half + d; y += h) {
            double a = eps * eps, p1 = (4 * a * a * y * y - 2 * a) * exp(-a * y * y);
            double z = y - d, p2 = (4 * a * a * z * z - 2 * a) * exp(-a * z * z);
            sum += h * p1 * p2;
        }
        Md[j] = sum;
    }
    double scale = 0.0, res_re[NPTS], res_im[NPTS];
    for (int i = 0; i < NPTS; i++) {
        scale += 2.0 * hypot(re[i], im[i]) * SQRT_PI / eps;
        res_re[i] = r.Z_fit_re[i] - re[i];
        res_im[i] = r.Z_fit_im[i] - im[i];
    }
    double worst = 0.0;
    size_t n_active = 0;
    for (size_t k = 0; k < m; k++) {
        double g = 0.0;
        for (int i = 0; i < NPTS; i++) {
            double ar, ai;
            lmb_drt_basis_impedance(eps, TWO_PI * f[i] * r.basis_tau_s[k], &ar, &ai);
            g += 2.0 * (res_re[i] * ar + res_im[i] * ai);
        }
        for (size_t l = 0; l < m; l++)
            g += 2.0 * r.lambda * Md[k > l ? k - l : l - k] * r.coef_ohm[l];
        g /= scale;
        if (r.coef_ohm[k] > 0.0) {
            worst = fmax(worst, fabs(g));
            n_active++;
        } else {
            worst = fmax(worst, -g);
        }
    }
    double g_rinf = 0.0, g_L = 0.0;
    for (int i = 0; i < NPTS; i++) {
        g_rinf += 2.0 * res_re[i] / scale;
        g_L += 2.0 * res_im[i] * TWO_PI * f[i] / scale;
    }
    worst = fmax(worst, r.R_inf_ohm > 0.0 ? fabs(g_rinf) : -g_rinf);
    print_message("KKT: %zu of %zu coefficients positive, worst violation %.2e of the scale; "
                  "L %.3g H, dJ/dL %.3g\n",
                  n_active, m, worst, r.L_H, g_L);
    assert_true(worst < TOL_KKT);
    assert_true(r.L_H > 0.0 ? fabs(g_L) < TOL_KKT * 1e-6 : g_L > -TOL_KKT * 1e-6);
    assert_true(n_active > 0 && n_active < m); /* the bounds are active somewhere */
    free(Md);
    lmb_drt_result_free(&r);
    lmb_ctx_free(ctx);
}

/* ---- errors ---- */

static void expect_einval(lmb_ctx *ctx, const double *f, const double *re, const double *im,
                          size_t n, const lmb_drt_options *o) {
    lmb_drt_result r;
    memset(&r, 0xff, sizeof r);
    lmb_ctx_clear_error(ctx);
    assert_int_equal(lmb_drt(ctx, f, re, im, n, o, &r), LMB_EINVAL);
    assert_true(strlen(lmb_ctx_errmsg(ctx)) > 10);
    assert_null(r.tau_s);
    assert_null(r.peaks);
    assert_int_equal(r.n_tau, 0);
}

static void test_errors(void **state) {
    (void)state;
    lmb_ctx *ctx = NULL;
    assert_int_equal(lmb_ctx_create(&ctx), LMB_OK);
    double f[NPTS], re[NPTS], im[NPTS];
    log_freqs(f);
    zarc(f, re, im, 0.0);
    lmb_drt_result r;
    assert_int_equal(lmb_drt(ctx, NULL, re, im, NPTS, NULL, &r), LMB_EINVAL);
    assert_int_equal(lmb_drt(ctx, f, re, im, NPTS, NULL, NULL), LMB_EINVAL);
    assert_int_equal(lmb_drt(NULL, f, NULL, im, NPTS, NULL, &r), LMB_EINVAL);
    expect_einval(ctx, f, re, im, 2, NULL);
    assert_non_null(strstr(lmb_ctx_errmsg(ctx), "at least 3"));
    double bad[NPTS];
    memcpy(bad, f, sizeof bad);
    bad[5] = -1.0;
    expect_einval(ctx, bad, re, im, NPTS, NULL);
    bad[5] = NAN;
    expect_einval(ctx, bad, re, im, NPTS, NULL);
    bad[5] = 0.0;
    expect_einval(ctx, bad, re, im, NPTS, NULL);
    memcpy(bad, re, sizeof bad);
    bad[7] = INFINITY;
    expect_einval(ctx, f, bad, im, NPTS, NULL);
    memcpy(bad, im, sizeof bad);
    bad[7] = NAN;
    expect_einval(ctx, f, re, bad, NPTS, NULL);
    for (int i = 0; i < NPTS; i++)
        bad[i] = 100.0;
    expect_einval(ctx, bad, re, im, NPTS, NULL);
    assert_non_null(strstr(lmb_ctx_errmsg(ctx), "spread"));

    lmb_drt_options o;
    for (int k = 0; k < 14; k++) {
        o = lmb_drt_options_default();
        switch (k) {
        case 0:
            o.lambda = -1.0;
            break;
        case 1:
            o.lambda = NAN;
            break;
        case 2:
            o.lambda_min = 0.0;
            break;
        case 3:
            o.lambda_max = o.lambda_min;
            break;
        case 4:
            o.lambda_per_decade = 0;
            break;
        case 5:
            o.fwhm_coeff = 0.0;
            break;
        case 6:
            o.reg_order = 3;
            break;
        case 7:
            o.inductance = 3;
            break;
        case 8:
            o.basis_per_decade = -1;
            break;
        case 9:
            o.out_per_decade = 0;
            break;
        case 10:
            o.peak_threshold = 1.0;
            break;
        case 11:
            o.peak_threshold = NAN;
            break;
        case 12:
            o.basis_per_decade = 1000;
            break; /* 8000 basis functions: too many */
        default:
            o.out_per_decade = 10000;
            o.fwhm_coeff = 1e-3;
            break; /* output grid too big */
        }
        expect_einval(ctx, f, re, im, NPTS, &o);
    }
    /* three points are enough; duplicates share a basis function */
    double f3[4] = {1e3, 1.0, 1e3, 1e-3}, r3[4], i3[4];
    for (int i = 0; i < 4; i++) {
        double complex z = 1.0 + 10.0 / (1.0 + I * TWO_PI * f3[i] * 1e-1);
        r3[i] = creal(z);
        i3[i] = cimag(z);
    }
    run_ok(ctx, f3, r3, i3, 4, NULL, &r);
    assert_int_equal(r.n_basis, 3);
    check_result(&r, r3, i3);
    lmb_drt_result_free(&r);
    lmb_ctx_free(ctx);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_basis_quadrature), cmocka_unit_test(test_zarc),
        cmocka_unit_test(test_zarc_inductance),  cmocka_unit_test(test_two_rc),
        cmocka_unit_test(test_zarc_noise),       cmocka_unit_test(test_kkt),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
