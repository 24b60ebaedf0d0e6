/*
 * test_kk.c - the linear Kramers-Kronig test (lmb/kk.h).
 *
 * Synthetic spectra: 60 frequencies log-spaced from 100 kHz to 10 mHz (about 8.6 per decade),
 * the closed-form impedance of a circuit, optionally with 1 % noise proportional to |Z| on the
 * real and on the imaginary part (independent normal deviates from a fixed-seed generator, so
 * every run sees the same data).
 *   RC:   R0-p(R1,C1), R0 = 10 ohm, R1 = 50 ohm, C1 = 10 uF (tau = 0.5 ms).
 *   RCW:  R0-p(R1,C1)-p(R2,C2)-Ws, R0 = 5 ohm, R1 = 20 ohm, C1 = 1 uF (tau = 20 us),
 *         R2 = 40 ohm, C2 = 1 mF (tau = 40 ms), finite-length Warburg
 *         Ws = Z0 tanh(sqrt(j w tw)) / sqrt(j w tw), Z0 = 30 ohm, tw = 1 s.
 * Both are KK-consistent: passive, causal, finite at omega -> 0 and infinity.
 *
 * Two ways of choosing M are tested. The paper's criterion (mu_c = 0.85, the default) stops
 * growing M at the first M whose fit has enough negative R_k; for these synthetic spectra with
 * ideal (single-tau) RC arcs the fixed, log-spaced tau cannot represent a sharp relaxation
 * without negative neighbours, so the criterion stops early (RC: M = 6, RC-RC-Ws: M = 15, i.e. 1
 * to 2 elements per decade) and the residuals stay at percent level; this is the behaviour of
 * the published algorithm, which the tests record rather than hide. With a fixed M = 40 (mu_c =
 * 0, about 5.7 time constants per decade) the Voigt chain resolves every relaxation here.
 *
 * Why 0.1 % at M = 40: for a KK-consistent spectrum the Voigt chain only has to approximate the
 * distribution of relaxation times; at 5.7 time constants per decade its error is measured at
 * about 1e-5 (max) for both circuits. 0.1 % keeps a factor of about 100 of margin while staying
 * a tenth of the 1 % noise of a good measurement, so a fit that failed to resolve a relaxation
 * would still be caught.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "lmb/ctx.h"
#include "lmb/kk.h"
#include "test_util.h"

#include <complex.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#define NPTS        60
#define F_HI        1e5  /* [Hz] */
#define F_LO        1e-2 /* [Hz] */
#define NOISE       0.01 /* relative to |Z| */
#define TOL_EXACT   1e-3 /* noise-free residual bound, see above */
#define TOL_VIOLATE 0.05 /* an inconsistent point must stand out by more than this */
#define M_FIXED     40   /* about 5.7 time constants per decade over the 7 decades */
#define TWO_PI      6.283185307179586

/* ---- helpers ---- */

static void log_freqs(double *f) {
    for (int i = 0; i < NPTS; i++)
        f[i] = pow(10.0, log10(F_HI) - (log10(F_HI) - log10(F_LO)) * i / (NPTS - 1.0));
}

static double complex z_rc(double f) {
    double complex jw = I * TWO_PI * f;
    return 10.0 + 50.0 / (1.0 + jw * 50.0 * 1e-5);
}

static double complex z_rcw(double f) {
    double complex jw = I * TWO_PI * f;
    double complex s = csqrt(jw * 1.0);
    return 5.0 + 20.0 / (1.0 + jw * 20.0 * 1e-6) + 40.0 / (1.0 + jw * 40.0 * 1e-3) +
           30.0 * ctanh(s) / s;
}

typedef struct spectrum {
    double f[NPTS], re[NPTS], im[NPTS];
} spectrum;

static void make(spectrum *sp, double complex (*z)(double), double noise, uint64_t seed) {
    log_freqs(sp->f);
    uint64_t s = seed;
    for (int i = 0; i < NPTS; i++) {
        double complex v = z(sp->f[i]);
        double a = cabs(v);
        sp->re[i] = creal(v) + noise * a * lmb_test_gauss(&s);
        sp->im[i] = cimag(v) + noise * a * lmb_test_gauss(&s);
    }
}

static lmb_kk_result run(const spectrum *sp, const lmb_kk_options *opt, const char *label) {
    lmb_ctx *ctx = NULL;
    assert_int_equal(lmb_ctx_create(&ctx), LMB_OK);
    lmb_kk_result r;
    lmb_status st = lmb_kk_test(ctx, sp->f, sp->re, sp->im, NPTS, opt, &r);
    if (st != LMB_OK)
        fail_msg("%s: %s: %s", label, lmb_status_name(st), lmb_ctx_errmsg(ctx));
    lmb_ctx_free(ctx);
    printf("  %-28s M = %3d  mu = %.4f  rms = %.3e  max = %.3e\n", label, r.M, r.mu, r.rms_res,
           r.max_res);
    return r;
}

/* largest |residual| over points [i0, i1) */
static double max_abs(const lmb_kk_result *r, int i0, int i1) {
    double m = 0.0;
    for (int i = i0; i < i1; i++) {
        m = fmax(m, fabs(r->res_re[i]));
        m = fmax(m, fabs(r->res_im[i]));
    }
    return m;
}

/* ---- KK-consistent spectra ---- */

static lmb_kk_options fixed_M(void) {
    lmb_kk_options o = lmb_kk_options_default();
    o.mu_c = 0.0;
    o.max_M = M_FIXED;
    return o;
}

static void check_exact(double complex (*z)(double), const char *label) {
    spectrum sp;
    make(&sp, z, 0.0, 1);
    lmb_kk_options o = fixed_M();
    lmb_kk_result r = run(&sp, &o, label);
    assert_int_equal(r.M, M_FIXED);
    assert_true(r.rms_res < TOL_EXACT);
    assert_true(r.max_res < TOL_EXACT);
    assert_true(max_abs(&r, 0, NPTS) == r.max_res);
    assert_true(isfinite(r.R[0]));
    /* time constants span the band: 1/omega_max .. 1/omega_min, log-spaced */
    assert_true(fabs(r.tau[0] * TWO_PI * F_HI - 1.0) < 1e-12);
    assert_true(fabs(r.tau[r.M - 1] * TWO_PI * F_LO - 1.0) < 1e-12);
    assert_true(fabs(r.tau[1] / r.tau[0] - r.tau[r.M - 1] / r.tau[r.M - 2]) < 1e-9);
    assert_true(r.C == 0.0 && r.L == 0.0);
    lmb_kk_result_free(&r);
}

static void test_exact(void **state) {
    (void)state;
    check_exact(z_rc, "RC, noise-free, M = 40");
    check_exact(z_rcw, "RC-RC-Ws, noise-free, M = 40");
}

/* The paper's criterion on the same spectra: it stops where mu first drops to mu_c; a spectrum
 * with more relaxations needs more elements before that happens. */
static void test_criterion(void **state) {
    (void)state;
    spectrum sp;
    make(&sp, z_rc, 0.0, 1);
    lmb_kk_result r1 = run(&sp, NULL, "RC, noise-free, mu_c 0.85");
    make(&sp, z_rcw, 0.0, 1);
    lmb_kk_result r2 = run(&sp, NULL, "RC-RC-Ws, noise-free, mu_c 0.85");
    assert_true(r1.mu <= LMB_KK_MU_C && r2.mu <= LMB_KK_MU_C);
    assert_true(r1.M >= 1 && r1.M <= 2 * NPTS && r2.M <= 2 * NPTS);
    assert_true(r2.M > r1.M);
    /* percent level (see the top of the file), far from the 50 % of a bare R_0 */
    assert_true(r1.rms_res < 0.1 && r2.rms_res < 0.01);
    lmb_kk_result_free(&r1);
    lmb_kk_result_free(&r2);
}

/* 1 % noise: the residuals are the noise, about 1 % RMS, without a trend. */
static void check_noisy(double complex (*z)(double), const char *label) {
    spectrum sp;
    make(&sp, z, NOISE, 7);
    lmb_kk_options o = fixed_M();
    lmb_kk_result r = run(&sp, &o, label);
    /* M + 1 = 41 of the 2n = 120 degrees of freedom go into the fit, so the RMS is about
     * sqrt(79/120) = 0.81 of the noise; 0.5 % .. 1.5 % allows the scatter of 120 deviates */
    assert_true(r.rms_res > 0.5 * NOISE && r.rms_res < 1.5 * NOISE);
    /* no trend: the mean residual of each quarter of the sweep (15 points, 30 residuals) lies
     * within 4 standard errors (4 * 1 % / sqrt(30) = 0.73 %) of zero */
    for (int q = 0; q < 4; q++) {
        double s = 0.0;
        for (int i = q * NPTS / 4; i < (q + 1) * NPTS / 4; i++)
            s += r.res_re[i] + r.res_im[i];
        double mean = s / (2.0 * NPTS / 4);
        printf("    quarter %d: mean residual %+.3e\n", q, mean);
        assert_true(fabs(mean) < 4.0 * NOISE / sqrt(2.0 * NPTS / 4));
    }
    lmb_kk_result_free(&r);
    /* the default criterion on the noisy spectrum, for the record */
    r = run(&sp, NULL, "  same, mu_c 0.85");
    assert_true(r.mu <= LMB_KK_MU_C);
    lmb_kk_result_free(&r);
}

static void test_noisy(void **state) {
    (void)state;
    check_noisy(z_rc, "RC, 1 % noise, M = 40");
    check_noisy(z_rcw, "RC-RC-Ws, 1 % noise, M = 40");
}

/* ---- KK-violating spectra ---- */

static void test_violation_im_scaled(void **state) {
    (void)state;
    spectrum sp;
    make(&sp, z_rcw, 0.0, 1);
    for (int i = NPTS / 2; i < NPTS; i++) /* the low-frequency half */
        sp.im[i] *= 1.5;
    lmb_kk_options o = fixed_M();
    for (int pass = 0; pass < 2; pass++) {
        lmb_kk_result r =
            run(&sp, pass ? NULL : &o,
                pass ? "RC-RC-Ws, Im x1.5 low f, mu_c 0.85" : "RC-RC-Ws, Im x1.5 low f, M = 40");
        double m_lo = max_abs(&r, NPTS / 2, NPTS);
        printf("    max |res| low-f half %.3e, high-f half %.3e\n", m_lo, max_abs(&r, 0, NPTS / 2));
        assert_true(m_lo > TOL_VIOLATE);
        lmb_kk_result_free(&r);
    }
}

static void test_violation_drift(void **state) {
    (void)state;
    spectrum sp;
    make(&sp, z_rcw, 0.0, 1);
    for (int i = 0; i < NPTS; i++) /* t runs 0..1 along the sweep, high to low frequency */
        sp.re[i] *= 1.0 + 0.1 * (double)i / (NPTS - 1.0);
    /* A smooth drift of the real part alone is partly absorbed by a long Voigt chain (with
     * large negative R_k: mu drops to about 0.02), so it shows as 2-3 % rather than > 5 %;
     * still 1000 times the residual of the same spectrum without drift (TOL_EXACT). */
    lmb_kk_options o = fixed_M();
    lmb_kk_result r = run(&sp, &o, "RC-RC-Ws, Re drift 10 %, M = 40");
    assert_true(r.max_res > 10.0 * TOL_EXACT);
    assert_true(r.mu < 0.5);
    lmb_kk_result_free(&r);
}

/* ---- options ---- */

static void test_max_M(void **state) {
    (void)state;
    spectrum sp;
    make(&sp, z_rcw, 0.0, 1);
    lmb_kk_options o = lmb_kk_options_default();
    o.max_M = 3;
    lmb_kk_result r = run(&sp, &o, "RC-RC-Ws, max_M = 3");
    assert_int_equal(r.M, 3); /* mu stays 1 up to M = 4 for this spectrum */
    assert_true(r.mu == 1.0);
    lmb_kk_result_free(&r);
    /* mu_c = 1: mu <= 1 always, so M = 1 */
    o = lmb_kk_options_default();
    o.mu_c = 1.0;
    r = run(&sp, &o, "RC-RC-Ws, mu_c = 1");
    assert_int_equal(r.M, 1);
    lmb_kk_result_free(&r);
    /* the automatic cap: 3 points give 6 equations, R_0 takes one, so M <= 5 */
    o = lmb_kk_options_default();
    o.mu_c = 0.0;
    lmb_ctx *ctx = NULL;
    assert_int_equal(lmb_ctx_create(&ctx), LMB_OK);
    assert_int_equal(lmb_kk_test(ctx, sp.f + 20, sp.re + 20, sp.im + 20, 3, &o, &r), LMB_OK);
    assert_int_equal(r.M, 5);
    assert_true(isfinite(r.rms_res));
    lmb_kk_result_free(&r);
    o.add_capacitance = o.add_inductance = 1;
    assert_int_equal(lmb_kk_test(ctx, sp.f + 20, sp.re + 20, sp.im + 20, 3, &o, &r), LMB_OK);
    assert_int_equal(r.M, 3);
    lmb_kk_result_free(&r);
    lmb_ctx_free(ctx);
}

/* ---- a measured spectrum ---- */

static void test_real_file(void **state) {
    (void)state;
    const char *path = LMB_SHARED_DIR "/data/eis/eis_liion_f_re_im__impedancepy.csv";
    FILE *fp = fopen(path, "r");
    if (!fp)
        fail_msg("cannot open %s", path);
    double f[256], re[256], im[256];
    size_t n = 0;
    char line[512];
    while (n < 256 && fgets(line, sizeof line, fp))
        if (sscanf(line, "%lf,%lf,%lf", &f[n], &re[n], &im[n]) == 3)
            n++;
    fclose(fp);
    assert_true(n > 50);
    lmb_ctx *ctx = NULL;
    assert_int_equal(lmb_ctx_create(&ctx), LMB_OK);
    lmb_kk_options o = lmb_kk_options_default();
    o.add_capacitance = 1;
    o.add_inductance = 1;
    lmb_kk_result r;
    lmb_status st = lmb_kk_test(ctx, f, re, im, n, &o, &r);
    if (st != LMB_OK)
        fail_msg("%s: %s", lmb_status_name(st), lmb_ctx_errmsg(ctx));
    printf("  Li-ion file (%zu points, C and L): M = %d  mu = %.4f  rms = %.3e  max = %.3e  "
           "L = %.3e H  C = %.3e F\n",
           n, r.M, r.mu, r.rms_res, r.max_res, r.L, r.C);
    assert_true(isfinite(r.rms_res) && r.rms_res < 0.05);
    assert_true(isfinite(r.mu));
    lmb_kk_result_free(&r);
    lmb_ctx_free(ctx);
}

/* ---- errors ---- */

static void expect_einval(const double *f, const double *re, const double *im, size_t n,
                          const lmb_kk_options *opt) {
    lmb_ctx *ctx = NULL;
    assert_int_equal(lmb_ctx_create(&ctx), LMB_OK);
    lmb_kk_result r;
    assert_int_equal(lmb_kk_test(ctx, f, re, im, n, opt, &r), LMB_EINVAL);
    assert_true(strlen(lmb_ctx_errmsg(ctx)) > 10);
    assert_null(r.res_re);
    assert_null(r.R);
    lmb_ctx_free(ctx);
}

static void test_errors(void **state) {
    (void)state;
    spectrum sp;
    make(&sp, z_rc, 0.0, 1);
    expect_einval(sp.f, sp.re, sp.im, 2, NULL);
    expect_einval(NULL, sp.re, sp.im, NPTS, NULL);
    spectrum bad = sp;
    bad.f[5] = 0.0;
    expect_einval(bad.f, bad.re, bad.im, NPTS, NULL);
    bad = sp;
    bad.f[5] = -1.0;
    expect_einval(bad.f, bad.re, bad.im, NPTS, NULL);
    bad = sp;
    bad.f[5] = NAN;
    expect_einval(bad.f, bad.re, bad.im, NPTS, NULL);
    bad = sp;
    bad.re[7] = INFINITY;
    expect_einval(bad.f, bad.re, bad.im, NPTS, NULL);
    bad = sp;
    bad.im[7] = NAN;
    expect_einval(bad.f, bad.re, bad.im, NPTS, NULL);
    bad = sp;
    bad.re[7] = bad.im[7] = 0.0;
    expect_einval(bad.f, bad.re, bad.im, NPTS, NULL);
    bad = sp;
    for (int i = 0; i < NPTS; i++)
        bad.f[i] = 1.0;
    expect_einval(bad.f, bad.re, bad.im, NPTS, NULL);
    lmb_kk_options o = lmb_kk_options_default();
    o.mu_c = -0.1;
    expect_einval(sp.f, sp.re, sp.im, NPTS, &o);
    o = lmb_kk_options_default();
    o.mu_c = NAN;
    expect_einval(sp.f, sp.re, sp.im, NPTS, &o);
    o = lmb_kk_options_default();
    o.mu_c = 1.5;
    expect_einval(sp.f, sp.re, sp.im, NPTS, &o);
    o = lmb_kk_options_default();
    o.max_M = -1;
    expect_einval(sp.f, sp.re, sp.im, NPTS, &o);
    o = lmb_kk_options_default();
    o.add_capacitance = 2;
    expect_einval(sp.f, sp.re, sp.im, NPTS, &o);
    lmb_ctx *ctx = NULL;
    assert_int_equal(lmb_ctx_create(&ctx), LMB_OK);
    assert_int_equal(lmb_kk_test(ctx, sp.f, sp.re, sp.im, NPTS, NULL, NULL), LMB_EINVAL);
    lmb_ctx_free(ctx);
    lmb_kk_result_free(NULL);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exact),           cmocka_unit_test(test_criterion),
        cmocka_unit_test(test_noisy),           cmocka_unit_test(test_violation_im_scaled),
        cmocka_unit_test(test_violation_drift), cmocka_unit_test(test_max_M),
        cmocka_unit_test(test_real_file),       cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
