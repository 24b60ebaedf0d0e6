/*
 * test_adams.c - the Adams coulombic efficiency (lmb/adams.h) on synthetic records of the
 * study's protocol, with given and detected preconditioning, on charges that differ from cycle
 * to cycle as measured ones do, and every error path.
 *
 * The synthetic record: a Li||Cu cell of 0.5 cm2; Q_p = Q_T = 4 mAh/cm2, Q_c = 0.5 mAh/cm2,
 * n = 10 cycles each losing 2 % of Q_c, so the final strip recovers Q_T - n 0.02 Q_c. Every
 * expected value is a closed form of a few additions and one division of these inputs, so the
 * library must agree to rounding: tolerance 1e-12.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "lmb/adams.h"
#include "lmb/ctx.h"

#include <math.h>
#include <string.h>

#define C_PER_MAH 3.6
#define AREA_CM2  0.5
#define Q_P       (4.0 * AREA_CM2 * C_PER_MAH) /* [C] preconditioning plate */
#define Q_T       (4.0 * AREA_CM2 * C_PER_MAH) /* [C] reservoir */
#define Q_C       (0.5 * AREA_CM2 * C_PER_MAH) /* [C] cycle charge */
#define N_CYC     10
#define LOSS      0.02 /* fraction of Q_c lost per cycle */
#define TOL       1e-12
#define NMAX      128

/* Strip/plate of the preconditioning cycles of the synthetic record. */
static const double pre_ce[] = {0.90, 0.95, 0.97, 0.98, 0.98, 0.98, 0.98, 0.98, 0.98};

/* The study's protocol with n_pre preconditioning cycles; returns the number of half cycles. */
static size_t study_record(double *q, int n_pre) {
    size_t n = 0;
    for (int j = 0; j < n_pre; j++) {
        q[n++] = -Q_P;
        q[n++] = pre_ce[j] * Q_P;
    }
    q[n++] = -Q_T;
    for (int j = 0; j < N_CYC; j++) {
        q[n++] = Q_C;
        q[n++] = -Q_C;
    }
    q[n++] = Q_T - N_CYC * LOSS * Q_C;
    return n;
}

static void near(double got, double want, const char *what) {
    if (!(fabs(got - want) <= TOL * fabs(want)))
        fail_msg("%s: %.17g, expected %.17g within %g", what, got, want, TOL);
}

/* Runs lmb_adams_ce and fails with the context's sentence unless it succeeds. */
static lmb_adams_result run_ok(const double *q, size_t n, int n_pre) {
    lmb_ctx *ctx = NULL;
    assert_int_equal(lmb_ctx_create(&ctx), LMB_OK);
    lmb_adams_result r;
    lmb_status st = lmb_adams_ce(ctx, q, n, n_pre, &r);
    if (st != LMB_OK)
        fail_msg("lmb_adams_ce(n_pre %d): %s: %s", n_pre, lmb_status_name(st), lmb_ctx_errmsg(ctx));
    lmb_ctx_free(ctx);
    return r;
}

/* The result of the synthetic record against the closed form, computed here by hand. */
static void check_study(const lmb_adams_result *r, int n_pre) {
    double Q_S = Q_T - N_CYC * LOSS * Q_C;
    double ce = (N_CYC * Q_C + Q_S) / (N_CYC * Q_C + Q_T);
    print_message("n_pre %d: CE %.15f (closed form %.15f), Q_T %.4f C, Q_S %.4f C, "
                  "%d cycles\n",
                  r->n_precondition, r->ce, ce, r->Q_T_C, r->Q_S_C, r->n_cycles);
    near(r->ce, ce, "CE");
    near(r->ce, 1.0 - N_CYC * LOSS * Q_C / (N_CYC * Q_C + Q_T), "CE = 1 - n loss / (n Q_c + Q_T)");
    near(r->Q_T_C, Q_T, "Q_T");
    near(r->Q_S_C, Q_S, "Q_S");
    near(r->Q_c_plated_C, N_CYC * Q_C, "sum of the cycle plates");
    near(r->Q_c_stripped_C, N_CYC * Q_C, "sum of the cycle strips");
    assert_int_equal(r->n_cycles, N_CYC);
    assert_int_equal(r->n_precondition, n_pre);
    for (int j = 0; j < LMB_ADAMS_MAX_PRECONDITION; j++) {
        if (j < n_pre)
            near(r->precondition_ce[j], pre_ce[j], "preconditioning CE");
        else if (!isnan(r->precondition_ce[j]))
            fail_msg("precondition_ce[%d] = %g beyond n_pre = %d, expected NaN", j,
                     r->precondition_ce[j], n_pre);
    }
}

static void same_result(const lmb_adams_result *a, const lmb_adams_result *b) {
    assert_true(a->ce == b->ce);
    assert_true(a->Q_T_C == b->Q_T_C && a->Q_S_C == b->Q_S_C);
    assert_true(a->Q_c_plated_C == b->Q_c_plated_C && a->Q_c_stripped_C == b->Q_c_stripped_C);
    assert_int_equal(a->n_cycles, b->n_cycles);
    assert_int_equal(a->n_precondition, b->n_precondition);
    for (int j = 0; j < LMB_ADAMS_MAX_PRECONDITION; j++)
        assert_true(a->precondition_ce[j] == b->precondition_ce[j] ||
                    (isnan(a->precondition_ce[j]) && isnan(b->precondition_ce[j])));
}

static void test_one_precondition(void **state) {
    (void)state;
    double q[NMAX];
    size_t n = study_record(q, 1);
    assert_int_equal(n, 24);
    lmb_adams_result r = run_ok(q, n, 1);
    check_study(&r, 1);
}

static void test_three_preconditions(void **state) {
    (void)state;
    double q[NMAX];
    size_t n = study_record(q, 3);
    lmb_adams_result r = run_ok(q, n, 3);
    check_study(&r, 3);
}

/* Detection finds 0, 1, 3 and 8 preconditioning cycles and gives what the explicit call gives. */
static void test_detection(void **state) {
    (void)state;
    static const int cases[] = {0, 1, 3, LMB_ADAMS_MAX_PRECONDITION};
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        double q[NMAX];
        size_t n = study_record(q, cases[c]);
        lmb_adams_result detected = run_ok(q, n, LMB_ADAMS_DETECT);
        lmb_adams_result given = run_ok(q, n, cases[c]);
        assert_int_equal(detected.n_precondition, cases[c]);
        check_study(&detected, cases[c]);
        same_result(&detected, &given);
    }
    /* a preconditioning plate smaller than the reservoir is not taken for it */
    double q[NMAX];
    size_t n = 0;
    q[n++] = -0.25 * Q_T;
    q[n++] = 0.2 * Q_T;
    q[n++] = -Q_T;
    q[n++] = Q_C;
    q[n++] = -Q_C;
    q[n++] = 0.9 * Q_T;
    lmb_adams_result r = run_ok(q, n, LMB_ADAMS_DETECT);
    assert_int_equal(r.n_precondition, 1);
    near(r.precondition_ce[0], 0.8, "preconditioning CE");
    near(r.ce, (Q_C + 0.9 * Q_T) / (Q_C + Q_T), "CE");
}

/*
 * Measured-like charges: every cycle strip and plate differs (the cycler stops a little late or
 * early), with rests (zeros) between the half cycles. CE uses the charges actually passed; the
 * expected sums are accumulated here independently of the library.
 */
static void test_measured_charges(void **state) {
    (void)state;
    double q[NMAX], dense[NMAX];
    size_t n = 0, nd = 0;
    double plated = 0.0, stripped = 0.0;
    q[n++] = 0.0;
    dense[nd++] = q[n++] = -1.003 * Q_P;
    q[n++] = 0.0;
    dense[nd++] = q[n++] = 0.912 * Q_P;
    q[n++] = 0.0;
    dense[nd++] = q[n++] = -1.001 * Q_T;
    double Q_T_meas = 1.001 * Q_T;
    for (int j = 0; j < N_CYC; j++) {
        double s = (0.97 + 0.003 * j) * Q_C, p = (1.0 + 0.0005 * (j % 3)) * Q_C;
        q[n++] = 0.0;
        dense[nd++] = q[n++] = s;
        q[n++] = 0.0;
        dense[nd++] = q[n++] = -p;
        stripped += s;
        plated += p;
    }
    q[n++] = 0.0;
    dense[nd++] = q[n++] = 0.951 * Q_T;
    q[n++] = 0.0;
    double ce = (stripped + 0.951 * Q_T) / (plated + Q_T_meas);

    lmb_adams_result r = run_ok(q, n, LMB_ADAMS_DETECT);
    print_message("measured-like: CE %.15f (by hand %.15f), n_pre %d\n", r.ce, ce,
                  r.n_precondition);
    near(r.ce, ce, "CE");
    near(r.Q_c_stripped_C, stripped, "sum of the cycle strips");
    near(r.Q_c_plated_C, plated, "sum of the cycle plates");
    near(r.Q_T_C, Q_T_meas, "Q_T");
    near(r.Q_S_C, 0.951 * Q_T, "Q_S");
    near(r.precondition_ce[0], 0.912 / 1.003, "preconditioning CE");
    assert_int_equal(r.n_precondition, 1);
    assert_int_equal(r.n_cycles, N_CYC);
    /* the rests change nothing */
    lmb_adams_result rd = run_ok(dense, nd, 1);
    same_result(&r, &rd);
}

/* Expects status and a sentence containing each of the given fragments; *out untouched. */
static void expect_fail(const double *q, size_t n, int n_pre, lmb_status status, const char *frag1,
                        const char *frag2) {
    lmb_ctx *ctx = NULL;
    assert_int_equal(lmb_ctx_create(&ctx), LMB_OK);
    lmb_adams_result r;
    memset(&r, 0, sizeof r);
    r.ce = -7.0;
    lmb_status st = lmb_adams_ce(ctx, q, n, n_pre, &r);
    const char *msg = lmb_ctx_errmsg(ctx);
    print_message("%s: %s\n", lmb_status_name(st), msg);
    if (st != status || !strstr(msg, frag1) || (frag2 && !strstr(msg, frag2)))
        fail_msg("got %s \"%s\", expected %s with \"%s\"%s%s", lmb_status_name(st), msg,
                 lmb_status_name(status), frag1, frag2 ? " and " : "", frag2 ? frag2 : "");
    assert_true(r.ce == -7.0);
    lmb_ctx_free(ctx);
}

static void test_errors(void **state) {
    (void)state;
    double q[NMAX];
    size_t n = study_record(q, 1);

    /* NULL arguments; a NULL context still gets the status */
    lmb_adams_result r;
    expect_fail(NULL, n, 1, LMB_EINVAL, "NULL argument", NULL);
    assert_int_equal(lmb_adams_ce(NULL, q, n, 1, NULL), LMB_EINVAL);
    assert_int_equal(lmb_adams_ce(NULL, NULL, n, 1, &r), LMB_EINVAL);
    {
        lmb_ctx *ctx = NULL;
        assert_int_equal(lmb_ctx_create(&ctx), LMB_OK);
        assert_int_equal(lmb_adams_ce(ctx, q, n, 1, NULL), LMB_EINVAL);
        assert_non_null(strstr(lmb_ctx_errmsg(ctx), "NULL argument"));
        lmb_ctx_free(ctx);
    }

    /* n_pre out of range */
    expect_fail(q, n, -2, LMB_EINVAL, "must be 0 to 8, or -1 to detect it, not -2", NULL);
    expect_fail(q, n, LMB_ADAMS_MAX_PRECONDITION + 1, LMB_EINVAL, "not 9", NULL);

    /* charges that are not finite */
    q[3] = NAN;
    expect_fail(q, n, 1, LMB_EINVAL, "half cycle 4 has a charge that is not finite", NULL);
    q[3] = -INFINITY;
    expect_fail(q, n, LMB_ADAMS_DETECT, LMB_EINVAL, "half cycle 4", "not finite");
    n = study_record(q, 1);

    /* wrong alternation: rank 5 (a cycle strip) made a plate; a record starting with a strip */
    q[5] = -q[5];
    expect_fail(q, n, 1, LMB_EINVAL, "half cycle 6 is a plate", "where a strip was expected");
    n = study_record(q, 1);
    q[0] = -q[0];
    expect_fail(q, n, LMB_ADAMS_DETECT, LMB_EINVAL, "half cycle 1 is a strip",
                "where a plate was expected");
    n = study_record(q, 1);
    /* ... also across a rest: plate, rest, plate */
    {
        const double z[] = {-Q_T, 0.0, -Q_C, Q_C, Q_T};
        expect_fail(z, 5, 0, LMB_EINVAL, "half cycle 3 is a plate", "where a strip was expected");
    }

    /* no final strip: the record stops after the last cycle plate (rests after it too) */
    expect_fail(q, n - 1, 1, LMB_EINVAL, "no final strip", "half cycle 23");
    q[n - 1] = 0.0;
    expect_fail(q, n, LMB_ADAMS_DETECT, LMB_EINVAL, "no final strip", NULL);
    n = study_record(q, 1);

    /* records too short */
    expect_fail(q, 0, 1, LMB_EINVAL, "record too short", NULL);
    {
        const double z[] = {0.0, 0.0, 0.0};
        expect_fail(z, 3, LMB_ADAMS_DETECT, LMB_EINVAL, "record too short", NULL);
        const double pre_only[] = {-Q_P, 0.9 * Q_P};
        expect_fail(pre_only, 2, 1, LMB_EINVAL, "record too short",
                    "1 preconditioning cycles, the reservoir and the final strip need at least 4");
        const double no_cycle[] = {-Q_P, 0.9 * Q_P, -Q_T, 0.98 * Q_T};
        expect_fail(no_cycle, 4, 1, LMB_EINVAL, "fewer than 1 cycle after the reservoir", NULL);
        expect_fail(no_cycle + 2, 2, 0, LMB_EINVAL, "fewer than 1 cycle after the reservoir", NULL);
        expect_fail(no_cycle + 2, 2, LMB_ADAMS_DETECT, LMB_EINVAL,
                    "fewer than 1 cycle after the reservoir", NULL);
    }

    /* n_pre given wrong: a half cycle as large as the reservoir among the cycles */
    n = study_record(q, 3);
    expect_fail(q, n, 2, LMB_EINVAL, "half cycle 7, a cycle plate after the reservoir",
                "is the number of preconditioning cycles (2) right?");
    n = study_record(q, 1);
    expect_fail(q, n, 0, LMB_EINVAL, "half cycle 3, a cycle plate after the reservoir",
                "not less than the reservoir");

    /* detection: no plate qualifies as the reservoir; too many preconditioning cycles */
    {
        const double flat[] = {-Q_C, Q_C, -Q_C, Q_C, -Q_C, Q_C};
        expect_fail(flat, 6, LMB_ADAMS_DETECT, LMB_ENOTFOUND, "no reservoir found", NULL);
    }
    n = 0;
    for (int j = 0; j < LMB_ADAMS_MAX_PRECONDITION + 1; j++) {
        q[n++] = -Q_P;
        q[n++] = 0.98 * Q_P;
    }
    q[n++] = -Q_T;
    q[n++] = Q_C;
    q[n++] = -Q_C;
    q[n++] = 0.98 * Q_T;
    expect_fail(q, n, LMB_ADAMS_DETECT, LMB_EINVAL,
                "9 preconditioning cycles detected, more than the 8 supported", NULL);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_one_precondition), cmocka_unit_test(test_three_preconditions),
        cmocka_unit_test(test_detection),        cmocka_unit_test(test_measured_charges),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
