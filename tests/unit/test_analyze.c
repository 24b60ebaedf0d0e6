/*
 * test_analyze.c - cutting a measured record into steps, half cycles and cycles (lmb/analyze.h),
 * on synthetic records whose capacities and energies are known exactly.
 *
 * The records are sampled at the middle of 10 s intervals (rows at start + 5 s, + 15 s, ...), so
 * that the analysis' midpoint rule between steps gives every step exactly its duration:
 * capacities are exact up to rounding (tolerance 1e-12 relative).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "lmb/lmb.h"

#include "io/record_internal.h"
#include "test_util.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define DT 10.0

typedef struct builder {
    lmb_ctx *ctx;
    lmb_record *r;
    double t;    /* start of the next step [s] */
    double step; /* the instrument's step index of the next step */
} builder;

static void start(builder *b, int with_step_index, int with_eis) {
    assert_int_equal(lmb_ctx_create(&b->ctx), LMB_OK);
    assert_int_equal(lmb__record_new(b->ctx, "synthetic", &b->r), LMB_OK);
    b->r->format = "synthetic";
    lmb_rec_col cols[] = {LMB_REC_TIME, LMB_REC_VOLTAGE, LMB_REC_CURRENT};
    for (size_t k = 0; k < 3; k++)
        assert_int_equal(lmb__record_add_column(b->ctx, b->r, cols[k]), LMB_OK);
    if (with_step_index)
        assert_int_equal(lmb__record_add_column(b->ctx, b->r, LMB_REC_STEP_INDEX), LMB_OK);
    if (with_eis) {
        assert_int_equal(lmb__record_add_column(b->ctx, b->r, LMB_REC_FREQUENCY), LMB_OK);
        assert_int_equal(lmb__record_add_column(b->ctx, b->r, LMB_REC_Z_RE), LMB_OK);
        assert_int_equal(lmb__record_add_column(b->ctx, b->r, LMB_REC_Z_IM), LMB_OK);
    }
    b->t = 0.0;
    b->step = 1.0;
}

/* A step of duration d [s] (a multiple of DT) at current I [A] and voltage V [V]. */
static void step(builder *b, double d, double I, double V) {
    for (double s = 0.5 * DT; s < d; s += DT) {
        double v[LMB_REC_N_COLS] = {0};
        v[LMB_REC_TIME] = b->t + s;
        v[LMB_REC_VOLTAGE] = V;
        v[LMB_REC_CURRENT] = I;
        v[LMB_REC_STEP_INDEX] = b->step;
        assert_int_equal(lmb__record_push(b->ctx, b->r, v), LMB_OK);
    }
    b->t += d;
    b->step += 1.0;
}

/* n impedance rows (a spectrum) at the present time. */
static void spectrum(builder *b, int n) {
    for (int k = 0; k < n; k++) {
        double v[LMB_REC_N_COLS] = {0};
        v[LMB_REC_TIME] = b->t;
        v[LMB_REC_VOLTAGE] = 3.0;
        v[LMB_REC_CURRENT] = 0.0;
        v[LMB_REC_STEP_INDEX] = b->step;
        v[LMB_REC_FREQUENCY] = 1e4 / pow(10.0, k);
        v[LMB_REC_Z_RE] = 10.0 + k;
        v[LMB_REC_Z_IM] = -1.0 - k;
        assert_int_equal(lmb__record_push(b->ctx, b->r, v), LMB_OK);
    }
    b->step += 1.0;
}

static void finish(builder *b, lmb_analysis *a) {
    lmb_analysis_free(a);
    lmb_record_free(b->r);
    lmb_ctx_free(b->ctx);
}

#define assert_near(x, want, rel) assert_true(fabs((x) - (want)) <= (rel)*fmax(fabs(want), 1e-300))

/* Three cycles of charge 1 h at 1 mA (3.5 V), rest, discharge 0.9 h (3.2 V), rest: capacities,
 * CE, mean voltages, steps, retention and C-rates exactly. */
static void test_cathode_cycles(void **state) {
    (void)state;
    builder b;
    start(&b, 1, 0);
    step(&b, 600, 0.0, 3.3);
    for (int c = 0; c < 3; c++) {
        step(&b, 3600, 1e-3, 3.5);
        step(&b, 600, 0.0, 3.4);
        step(&b, 3240 - 360 * c, -1e-3, 3.2);
        step(&b, 600, 0.0, 3.3);
    }
    lmb_analyze_options o = {.nominal_capacity_C = 3.6};
    lmb_analysis *a = NULL;
    assert_int_equal(lmb_record_analyze(b.ctx, b.r, &o, &a), LMB_OK);
    assert_int_equal(lmb_analysis_step_count(a), 13);
    assert_int_equal(lmb_analysis_half_cycle_count(a), 6);
    assert_int_equal(lmb_analysis_cycle_direction(a), 1);
    assert_false(lmb_analysis_is_symmetric(a));
    const lmb_summary *s = lmb_analysis_summary(a);
    assert_int_equal(lmb_summary_cycle_count(s), 3);
    for (size_t i = 0; i < 3; i++) {
        const lmb_cycle_row *r = lmb_summary_cycle(s, i);
        double qd = 1e-3 * (3240 - 360 * (double)i);
        assert_int_equal(r->cycle, (int)i + 1);
        assert_near(r->charge_C, 3.6, 1e-12);
        assert_near(r->discharge_C, qd, 1e-12);
        assert_near(lmb_cycle_coulombic_efficiency(r), qd / 3.6, 1e-12);
        assert_near(lmb_cycle_mean_charge_voltage(r), 3.5, 1e-12);
        assert_near(lmb_cycle_mean_discharge_voltage(r), 3.2, 1e-12);
        assert_near(r->end_charge_V, 3.5, 0.0);
        assert_near(lmb_summary_retention(s, i), qd / 3.24, 1e-12);
        assert_near(lmb_summary_c_rate(s, i, 1), 1.0, 1e-12); /* 1 mA over 3.6 C = 1 mAh */
        assert_near(lmb_summary_c_rate(s, i, -1), 1.0, 1e-12);
        assert_near(r->charge_time_s, 3600.0, 1e-12);
    }
    /* the first cycle starts after the leading rest; the last ends with the record */
    assert_near(lmb_summary_cycle(s, 2)->time_end_s, b.t - 0.5 * DT, 1e-15);
    finish(&b, a);
}

/* A record that starts with a discharge: auto pairs (discharge, charge); --cycle-start charge
 * makes the leading discharge cycle 1 alone (CE undefined) and the full cycles 2 and 3. */
static void test_leading_partial_half_cycle(void **state) {
    (void)state;
    builder b;
    start(&b, 0, 0);
    step(&b, 1800, -1e-3, 3.2);
    for (int c = 0; c < 2; c++) {
        step(&b, 3600, 1e-3, 3.5);
        step(&b, 3000, -1e-3, 3.2);
    }
    lmb_analysis *a = NULL;
    assert_int_equal(lmb_record_analyze(b.ctx, b.r, NULL, &a), LMB_OK);
    const lmb_summary *s = lmb_analysis_summary(a);
    assert_int_equal(lmb_analysis_cycle_direction(a), -1);
    assert_int_equal(lmb_summary_cycle_count(s), 3);
    /* the record's first and last steps lack the half interval before their first and after
     * their last row: 1.795 and 2.995 C */
    assert_near(lmb_cycle_coulombic_efficiency(lmb_summary_cycle(s, 0)), 3.6 / 1.795, 1e-12);
    assert_true(isnan(lmb_cycle_coulombic_efficiency(lmb_summary_cycle(s, 2))));
    lmb_analysis_free(a);

    lmb_analyze_options o = {.cycle_start = 1};
    assert_int_equal(lmb_record_analyze(b.ctx, b.r, &o, &a), LMB_OK);
    s = lmb_analysis_summary(a);
    assert_int_equal(lmb_summary_cycle_count(s), 3);
    const lmb_cycle_row *r0 = lmb_summary_cycle(s, 0), *r1 = lmb_summary_cycle(s, 1);
    assert_true(r0->charge_C == 0.0);
    assert_near(r0->discharge_C, 1.795, 1e-12);
    assert_true(isnan(lmb_cycle_coulombic_efficiency(r0)));
    assert_near(lmb_cycle_coulombic_efficiency(r1), 3.0 / 3.6, 1e-12);
    assert_near(lmb_summary_retention(s, 2), 2.995 / 3.0, 1e-12); /* over cycle 2, the first full */
    o.cycle_start = 2;
    lmb_analysis *bad = NULL;
    assert_int_equal(lmb_record_analyze(b.ctx, b.r, &o, &bad), LMB_EINVAL);
    assert_null(bad);
    finish(&b, a);
}

/* A CC charge followed by a CV charge (two steps of the instrument, one sign) is one half
 * cycle; an impedance spectrum between steps is a spectrum, not time-series rows. */
static void test_steps_and_spectra(void **state) {
    (void)state;
    builder b;
    start(&b, 1, 1);
    step(&b, 3600, 1e-3, 3.5);
    step(&b, 600, 2e-4, 3.6);
    spectrum(&b, 5);
    step(&b, 3600, -1e-3, 3.2);
    spectrum(&b, 4);
    spectrum(&b, 3); /* right after the last: the sweep turns back, a new spectrum */
    lmb_analysis *a = NULL;
    assert_int_equal(lmb_record_analyze(b.ctx, b.r, NULL, &a), LMB_OK);
    assert_int_equal(lmb_analysis_step_count(a), 3);
    assert_int_equal(lmb_analysis_half_cycle_count(a), 2);
    const lmb_half_cycle *h = lmb_analysis_half_cycle(a, 0);
    /* CC: rows 5 .. 3595 s and half the 10 s gap to the CV step; CV: the other half and rows
     * 3605 .. 4195 s; the spectrum ends it at its last row */
    assert_near(h->charge_C, 3.595 + 0.119, 1e-12);
    assert_near(h->energy_J, 3.595 * 3.5 + 0.119 * 3.6, 1e-12);
    assert_int_equal(lmb_analysis_spectrum_count(a), 3);
    assert_int_equal(lmb_analysis_spectrum(a, 2)->n, 3);
    const lmb_record_spectrum *sp = lmb_analysis_spectrum(a, 0);
    assert_int_equal(sp->n, 5);
    assert_int_equal(sp->cycle, 1);
    assert_int_equal(sp->step, 2);
    assert_int_equal(lmb_analysis_spectrum(a, 1)->n, 4);
    /* no integration across the spectrum: the discharge is its own 3.6 C */
    assert_near(lmb_analysis_half_cycle(a, 1)->charge_C, -3.59, 1e-12);
    finish(&b, a);
}

/* Charge is conserved by the cut: with irregular sampling and currents that change at every
 * step, the half cycles' charges sum to the trapezoidal integral of I dt over all rows. */
static void test_charge_conserved(void **state) {
    (void)state;
    builder b;
    start(&b, 1, 0);
    uint64_t rng = 12345;
    double t = 0.0, q_trap = 0.0, prev_t = 0.0, prev_I = 0.0;
    for (int k = 0; k < 4000; k++) {
        double u = (double)(lmb_test_rng_next(&rng) >> 11) / 9007199254740992.0;
        t += 0.1 + 20.0 * u;
        int stepno = k / 37;
        double I = (stepno % 2 ? -1e-3 : 1e-3) * (1.0 + 0.3 * sin(0.1 * k));
        double v[LMB_REC_N_COLS] = {0};
        v[LMB_REC_TIME] = t;
        v[LMB_REC_VOLTAGE] = 3.0 + 0.1 * u;
        v[LMB_REC_CURRENT] = I;
        v[LMB_REC_STEP_INDEX] = stepno;
        assert_int_equal(lmb__record_push(b.ctx, b.r, v), LMB_OK);
        if (k > 0)
            q_trap += 0.5 * (I + prev_I) * (t - prev_t);
        prev_t = t;
        prev_I = I;
    }
    lmb_analysis *a = NULL;
    assert_int_equal(lmb_record_analyze(b.ctx, b.r, NULL, &a), LMB_OK);
    double q = 0.0;
    size_t n = 0;
    const double *hq = lmb_analysis_half_charges(a, &n);
    assert_int_equal(n, lmb_analysis_half_cycle_count(a));
    for (size_t i = 0; i < n; i++)
        q += hq[i];
    assert_near(q, q_trap, 1e-12);
    const lmb_summary *s = lmb_analysis_summary(a);
    double qs = 0.0;
    for (size_t i = 0; i < lmb_summary_cycle_count(s); i++)
        qs += lmb_summary_cycle(s, i)->charge_C - lmb_summary_cycle(s, i)->discharge_C;
    assert_near(qs, q_trap, 1e-12);
    finish(&b, a);
}

/* A Li||Li record (plating at -50 mV, stripping at +50 mV) is symmetric; when |V| collapses
 * the symmetric metrics find the short. */
static void test_symmetric_and_short(void **state) {
    (void)state;
    builder b;
    start(&b, 0, 0);
    for (int c = 0; c < 8; c++) {
        double eta = c < 5 ? 0.05 + 0.002 * c : 0.005;
        step(&b, 3600, -1e-3, -eta);
        step(&b, 3600, 1e-3, eta);
    }
    lmb_analysis *a = NULL;
    assert_int_equal(lmb_record_analyze(b.ctx, b.r, NULL, &a), LMB_OK);
    assert_true(lmb_analysis_is_symmetric(a));
    assert_int_equal(lmb_analysis_cycle_direction(a), -1);
    assert_near(lmb_analysis_half_cycle(a, 0)->mean_abs_V, 0.05, 1e-12);
    lmb_symmetric_metrics m;
    assert_int_equal(lmb_symmetric_metrics_compute(b.ctx, lmb_analysis_summary(a),
                                                   LMB_SYMMETRIC_RISE_FRACTION, &m),
                     LMB_OK);
    assert_int_equal(m.cycles, 8);
    assert_near(m.eta_initial_V, 0.05, 1e-12);
    assert_int_equal(m.short_cycle, 6);
    assert_near(m.short_s, 6 * 7200.0, 1e-12);
    finish(&b, a);
}

/* A rate test on a Li||Li cell: a quarter of the current at a quarter of the overpotential (the
 * same resistance) is neither a short nor a rise; a higher resistance at the lower current is. */
static void test_symmetric_rate_change(void **state) {
    (void)state;
    for (int worse = 0; worse < 2; worse++) {
        builder b;
        start(&b, 0, 0);
        for (int c = 0; c < 8; c++) {
            double I = c < 4 ? 1e-3 : 0.25e-3, eta = c < 4 ? 0.05 : (worse ? 0.015 : 0.0125);
            step(&b, 3600, -I, -eta);
            step(&b, 3600, I, eta);
        }
        lmb_analysis *a = NULL;
        assert_int_equal(lmb_record_analyze(b.ctx, b.r, NULL, &a), LMB_OK);
        lmb_symmetric_metrics m;
        assert_int_equal(lmb_symmetric_metrics_compute(b.ctx, lmb_analysis_summary(a),
                                                       LMB_SYMMETRIC_RISE_FRACTION, &m),
                         LMB_OK);
        assert_int_equal(m.short_cycle, 0);
        assert_int_equal(m.rise_cycle, worse ? 5 : 0); /* 60 ohm against 50: +20 % */
        finish(&b, a);
    }
}

/* The Adams protocol cut into half cycles gives the Adams CE of lmb/adams.h. */
static void test_adams_from_record(void **state) {
    (void)state;
    builder b;
    start(&b, 0, 0);
    step(&b, 3600, -1e-3, -0.05);  /* precondition plate 3.6 C */
    step(&b, 3490, 1e-3, 0.1);     /* strip to the cut-off */
    step(&b, 18000, -1e-3, -0.05); /* reservoir 18 C */
    for (int c = 0; c < 10; c++) {
        step(&b, 1800, 1e-3, 0.05);
        step(&b, 1800, -1e-3, -0.05);
    }
    step(&b, 17000, 1e-3, 0.1); /* final strip */
    lmb_analysis *a = NULL;
    assert_int_equal(lmb_record_analyze(b.ctx, b.r, NULL, &a), LMB_OK);
    size_t n = 0;
    const double *hq = lmb_analysis_half_charges(a, &n);
    assert_int_equal(n, 24);
    lmb_adams_result ad;
    assert_int_equal(lmb_adams_ce(b.ctx, hq, n, LMB_ADAMS_DETECT, &ad), LMB_OK);
    assert_int_equal(ad.n_precondition, 1);
    assert_int_equal(ad.n_cycles, 10);
    assert_near(ad.ce, (10 * 1.8 + 16.995) / (10 * 1.8 + 18.0), 1e-12);
    assert_near(ad.precondition_ce[0], 3.49 / 3.595, 1e-12);
    finish(&b, a);
}

/* With the instrument's capacity counters the charges are theirs: a current column rounded to
 * 0.1 mA (as a Landt export writes it) integrates 25 % high, the counters do not; counters that
 * restart at every step and counters that run on (across a spectrum) give the same charges. */
static void test_instrument_counters(void **state) {
    (void)state;
    for (int runs_on = 0; runs_on < 2; runs_on++) {
        builder b;
        start(&b, 1, 1);
        assert_int_equal(lmb__record_add_column(b.ctx, b.r, LMB_REC_CHARGE_CAPACITY), LMB_OK);
        assert_int_equal(lmb__record_add_column(b.ctx, b.r, LMB_REC_DISCHARGE_CAPACITY), LMB_OK);
        double qc = 0.0, qd = 0.0; /* the true counts [C] */
        for (int c = 0; c < 2; c++) {
            for (int k = 0; k < 2; k++) { /* charge then discharge, 1 h each at 0.16 mA */
                int sign = k ? -1 : 1;
                double *q = k ? &qd : &qc;
                if (!runs_on)
                    *q = 0.0;
                for (double s = 0.5 * DT; s < 3600.0; s += DT) {
                    double v[LMB_REC_N_COLS] = {0};
                    *q += 0.16e-3 * DT; /* the instrument integrates the true current */
                    v[LMB_REC_TIME] = b.t + s;
                    v[LMB_REC_VOLTAGE] = 3.3;
                    v[LMB_REC_CURRENT] = sign * 0.2e-3; /* written rounded to 0.1 mA */
                    v[LMB_REC_STEP_INDEX] = b.step;
                    v[LMB_REC_CHARGE_CAPACITY] = k ? (runs_on ? qc : 0.0) : qc;
                    v[LMB_REC_DISCHARGE_CAPACITY] = k ? qd : (runs_on ? qd : 0.0);
                    assert_int_equal(lmb__record_push(b.ctx, b.r, v), LMB_OK);
                }
                b.t += 3600.0;
                b.step += 1.0;
            }
            spectrum(&b, 3);
        }
        lmb_analysis *a = NULL;
        assert_int_equal(lmb_record_analyze(b.ctx, b.r, NULL, &a), LMB_OK);
        assert_int_equal(lmb_analysis_counted_steps(a), 4);
        /* each step's counter: 360 rows of 0.16 mA x 10 s = 0.576 C */
        for (size_t i = 0; i < 4; i++) {
            const lmb_half_cycle *h = lmb_analysis_half_cycle(a, i);
            assert_near(fabs(h->charge_C), 0.576, 1e-12);
            assert_near(h->energy_J / h->charge_C, 3.3, 1e-12); /* the voltage is kept */
        }
        /* the integral over the counted steps: 0.2 mA instead of 0.16, each step 3595 s (the
         * first step and those after a spectrum lack their first 5 s, those before a spectrum
         * their last 5 s) */
        double q_int = 0.2e-3 * 4 * 3595.0, q_cnt = 4 * 0.576;
        assert_near(lmb_analysis_counter_mismatch(a), (q_int - q_cnt) / q_cnt, 1e-12);
        lmb_analysis_free(a);
        lmb_analyze_options o = {.integrate_only = 1};
        assert_int_equal(lmb_record_analyze(b.ctx, b.r, &o, &a), LMB_OK);
        assert_int_equal(lmb_analysis_counted_steps(a), 0);
        assert_true(isnan(lmb_analysis_counter_mismatch(a)));
        assert_near(lmb_analysis_half_cycle(a, 1)->charge_C, -0.2e-3 * 3595.0, 1e-12);
        finish(&b, a);
    }
}

/* Time that runs backwards (a second test appended) starts a new step without integrating the
 * negative interval; a record with no usable column is an error. */
static void test_time_reset_and_empty(void **state) {
    (void)state;
    builder b;
    start(&b, 0, 0);
    step(&b, 3600, 1e-3, 3.5);
    b.t = 0.0;
    step(&b, 3600, 1e-3, 3.5);
    lmb_analysis *a = NULL;
    assert_int_equal(lmb_record_analyze(b.ctx, b.r, NULL, &a), LMB_OK);
    assert_int_equal(lmb_analysis_step_count(a), 2);
    assert_int_equal(lmb_analysis_half_cycle_count(a), 1); /* two charging steps */
    assert_near(lmb_analysis_half_cycle(a, 0)->charge_C, 2 * 3.59, 1e-12);
    assert_near(lmb_summary_cycle(lmb_analysis_summary(a), 0)->charge_time_s, 2 * 3590.0, 1e-12);
    lmb_analysis_free(a);
    lmb_record_free(b.r);
    assert_int_equal(lmb__record_new(b.ctx, "empty", &b.r), LMB_OK);
    assert_int_equal(lmb__record_add_column(b.ctx, b.r, LMB_REC_TIME), LMB_OK);
    double v[LMB_REC_N_COLS] = {0};
    assert_int_equal(lmb__record_push(b.ctx, b.r, v), LMB_OK);
    a = NULL;
    assert_int_equal(lmb_record_analyze(b.ctx, b.r, NULL, &a), LMB_ENOTFOUND);
    assert_non_null(strstr(lmb_ctx_errmsg(b.ctx), "empty"));
    finish(&b, a);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cathode_cycles),
        cmocka_unit_test(test_leading_partial_half_cycle),
        cmocka_unit_test(test_steps_and_spectra),
        cmocka_unit_test(test_charge_conserved),
        cmocka_unit_test(test_symmetric_and_short),
        cmocka_unit_test(test_adams_from_record),
        cmocka_unit_test(test_time_reset_and_empty),
        cmocka_unit_test(test_instrument_counters),
        cmocka_unit_test(test_symmetric_rate_change),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
