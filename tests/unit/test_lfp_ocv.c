/*
 * test_lfp_ocv.c - the two LiFePO4 open-circuit potentials of model/lfp_ocv.h: analytic slopes
 * against finite differences, the plateau, monotonicity, the end values, the selection by kind
 * and by name (and its error paths).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "model/lfp_ocv.h"

#include <float.h>
#include <math.h>
#include <stdio.h>

static const lmb__lfp_ocv_kind kinds[] = {LMB__LFP_OCV_PRADA2013, LMB__LFP_OCV_SAFARI2011};
#define N_KINDS ((int)(sizeof kinds / sizeof kinds[0]))

/* The name for messages (never NULL for the kinds above; printf must not see a NULL %s). */
static const char *name_of(lmb__lfp_ocv_kind kind) {
    const char *s = lmb__lfp_ocv_name(kind);
    return s ? s : "?";
}

/* Fourth-order central difference dU/dx with step h. */
static double fd_slope(lmb__lfp_ocv_kind kind, double x, double h) {
    double um2 = lmb__lfp_ocv(kind, x - 2.0 * h, NULL), um1 = lmb__lfp_ocv(kind, x - h, NULL);
    double up1 = lmb__lfp_ocv(kind, x + h, NULL), up2 = lmb__lfp_ocv(kind, x + 2.0 * h, NULL);
    return (um2 - 8.0 * um1 + 8.0 * up1 - up2) / (12.0 * h);
}

/*
 * The analytic slope against a central difference at 981 points 0.01, 0.011, ..., 0.99.
 * Step h = 1e-4 with the five-point stencil: its truncation error h^4/30 U^(5) is largest
 * relative to U' at the walls (Safari at x = 0.99: U^(5) ~ 2e9 V, U' = -17 V: 4e-10 of U';
 * Prada at x = 0.01: U^(5) ~ -8e9 V, U' = -17 V: 2e-9) and its rounding error is
 * (18/12) * 4 eps |U| / h ~ 2e-11 V
 * on the plateau (|U| = 3.4 V), ~5e-9 V near x = 0.01 where Safari's two cancelling terms
 * are ~1000 V and |U'| ~ 20 V.
 * Tolerance: relative 1e-6 where |U'| >= 1e-3 V; on Safari's plateau the slope itself is 4e-8 to
 * 1e-3 V, and 1e-6 of it is below the rounding of any difference quotient, so there the check
 * is absolute, 1e-10 V (5 times the rounding estimate) - still far below the slope's size.
 */
#define FD_STEP  1e-4
#define FD_REL   1e-6
#define FD_FLOOR 1e-3  /* [V] below this |U'| the check is absolute */
#define FD_ABS   1e-10 /* [V] */
static void test_slope(void **state) {
    (void)state;
    for (int k = 0; k < N_KINDS; k++) {
        double worst_rel = 0.0, worst_abs = 0.0;
        int n_abs = 0;
        for (int i = 10; i <= 990; i++) {
            double x = 1e-3 * i, d = 0.0;
            lmb__lfp_ocv(kinds[k], x, &d);
            double fd = fd_slope(kinds[k], x, FD_STEP), e = fabs(fd - d);
            if (fabs(d) >= FD_FLOOR) {
                worst_rel = fmax(worst_rel, e / fabs(d));
                assert_true(e <= FD_REL * fabs(d));
            } else {
                n_abs++;
                worst_abs = fmax(worst_abs, e);
                assert_true(e <= FD_ABS);
            }
        }
        print_message("%s: slope vs finite difference: worst relative %.2e (|U'| >= 1e-3 V), "
                      "%d points below with worst absolute %.2e V\n",
                      name_of(kinds[k]), worst_rel, n_abs, worst_abs);
    }
    /* the direct functions are what the dispatcher returns */
    double d1 = 0.0, d2 = 0.0;
    assert_true(lmb__lfp_ocv_prada2013(0.3, &d1) == lmb__lfp_ocv(LMB__LFP_OCV_PRADA2013, 0.3, &d2));
    assert_true(d1 == d2);
    assert_true(lmb__lfp_ocv_safari2011(0.3, &d1) ==
                lmb__lfp_ocv(LMB__LFP_OCV_SAFARI2011, 0.3, &d2));
    assert_true(d1 == d2);
}

/* The plateau: U(0.5) within 3.39-3.44 V (PHYSICS.md: ~3.40-3.43 V; Prada's form sits at
 * 3.3976 V), and flat: |U(0.3) - U(0.7)| < 10 mV (Prada: 8.2 mV from its linear term). */
static void test_plateau(void **state) {
    (void)state;
    for (int k = 0; k < N_KINDS; k++) {
        double u = lmb__lfp_ocv(kinds[k], 0.5, NULL);
        double span = lmb__lfp_ocv(kinds[k], 0.3, NULL) - lmb__lfp_ocv(kinds[k], 0.7, NULL);
        print_message("%s: U(0.5) = %.6f V, U(0.3) - U(0.7) = %.3e V\n", name_of(kinds[k]), u,
                      span);
        assert_true(u > 3.39 && u < 3.44);
        assert_true(span > 0.0 && span < 0.010);
    }
    /* the two numbers quoted in lfp_ocv.h */
    assert_true(fabs(lmb__lfp_ocv(LMB__LFP_OCV_PRADA2013, 0.5, NULL) - 3.397565) < 1e-6);
    assert_true(fabs(lmb__lfp_ocv(LMB__LFP_OCV_SAFARI2011, 0.5, NULL) - 3.432300) < 1e-6);
}

/* Monotone decrease over 0.02 <= x <= 0.98: the analytic slope is negative at every point of a
 * grid of step 1e-4 and the values decrease strictly from point to point (on Safari's plateau
 * the steps are down to 4e-12 V, still 10^4 ulps of 3.43 V). */
static void test_monotone(void **state) {
    (void)state;
    for (int k = 0; k < N_KINDS; k++) {
        double u_prev = lmb__lfp_ocv(kinds[k], 0.02, NULL), min_slope = INFINITY, x_min = 0.0;
        for (int i = 201; i <= 9800; i++) {
            double x = 1e-4 * i, d = 0.0, u = lmb__lfp_ocv(kinds[k], x, &d);
            assert_true(d < 0.0);
            assert_true(u < u_prev);
            if (-d < min_slope) {
                min_slope = -d;
                x_min = x;
            }
            u_prev = u;
        }
        print_message("%s: monotone decreasing on [0.02, 0.98]; smallest |dU/dx| %.3e V at x = "
                      "%.4f\n",
                      name_of(kinds[k]), min_slope, x_min);
    }
}

/* End values, from the formulas by hand (the exponentials that are below 1e-13 dropped):
 *   Prada:  U(0) = 3.4077 + 0.5 = 3.9077,       U'(0) = -75.020269 - 27 e^-30 (2.5e-12 kept),
 *           U(1) = 3.4077 - 0.020269 - 0.9 = 2.487431, U'(1) = -0.020269 - 27 = -27.020269;
 *   Safari: U(1) = 3.4323 - 0.8428 - 3.2474e-6 + 3.2482e-6 = 2.5895000008, U'(1) = 0 (s^0.3198);
 *           U(0) = 4.143268 and U'(0) = -22.2458, where the two large terms (2052 V each)
 *           cancel: computed independently in double precision (Python), 1e-9 V and 1e-7
 *           relative allow for the rounding of that cancellation.
 * Both fits: the delithiated end is above the plateau, the lithiated end below it. */
static void test_ends(void **state) {
    (void)state;
    double d = 0.0;
    assert_true(fabs(lmb__lfp_ocv(LMB__LFP_OCV_PRADA2013, 0.0, &d) - 3.9077) < 1e-12);
    assert_true(fabs(d - (-75.020269 - 27.0 * exp(-30.0))) < 1e-12);
    assert_true(fabs(lmb__lfp_ocv(LMB__LFP_OCV_PRADA2013, 1.0, &d) - 2.487431) < 1e-12);
    assert_true(fabs(d + 27.020269) < 1e-12);
    assert_true(fabs(lmb__lfp_ocv(LMB__LFP_OCV_SAFARI2011, 1.0, &d) - 2.5895000008) < 1e-12);
    assert_true(d == 0.0);
    assert_true(fabs(lmb__lfp_ocv(LMB__LFP_OCV_SAFARI2011, 0.0, &d) - 4.143268) < 1e-6);
    assert_true(fabs(d + 22.2458) < 1e-4);
    for (int k = 0; k < N_KINDS; k++) {
        double u0 = lmb__lfp_ocv(kinds[k], 0.0, NULL), u1 = lmb__lfp_ocv(kinds[k], 1.0, NULL);
        double up = lmb__lfp_ocv(kinds[k], 0.5, NULL);
        print_message("%s: U(0) = %.6f V, U(1) = %.6f V\n", name_of(kinds[k]), u0, u1);
        assert_true(u0 > up + 0.4 && u1 < up - 0.8);
    }
    /* outside [0, 1]: Prada's form stays finite, Safari's is undefined (NaN), as documented */
    assert_true(isfinite(lmb__lfp_ocv(LMB__LFP_OCV_PRADA2013, 1.001, &d)) && isfinite(d));
    assert_true(isfinite(lmb__lfp_ocv(LMB__LFP_OCV_PRADA2013, -0.001, &d)) && isfinite(d));
    assert_true(isnan(lmb__lfp_ocv(LMB__LFP_OCV_SAFARI2011, 1.001, &d)) && isnan(d));
}

/* Selection: names round-trip, unknown names and kinds are rejected. */
static void test_select(void **state) {
    (void)state;
    for (int k = 0; k < N_KINDS; k++) {
        lmb__lfp_ocv_kind got = (lmb__lfp_ocv_kind)99;
        assert_int_equal(lmb__lfp_ocv_parse(lmb__lfp_ocv_name(kinds[k]), &got), 0);
        assert_int_equal(got, kinds[k]);
    }
    assert_string_equal(lmb__lfp_ocv_name(LMB__LFP_OCV_SAFARI2011), "safari2011");
    lmb__lfp_ocv_kind got = LMB__LFP_OCV_SAFARI2011;
    assert_int_equal(lmb__lfp_ocv_parse("prada", &got), -1);
    assert_int_equal(lmb__lfp_ocv_parse(NULL, &got), -1);
    assert_int_equal(got, LMB__LFP_OCV_SAFARI2011);
    lmb__lfp_ocv_kind bad = (lmb__lfp_ocv_kind)7;
    assert_null(lmb__lfp_ocv_name(bad));
    double d = 0.0;
    assert_true(isnan(lmb__lfp_ocv(bad, 0.5, &d)) && isnan(d));
    assert_true(isnan(lmb__lfp_ocv(bad, 0.5, NULL)));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_slope),    cmocka_unit_test(test_plateau),
        cmocka_unit_test(test_monotone), cmocka_unit_test(test_ends),
        cmocka_unit_test(test_select),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
