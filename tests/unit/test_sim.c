/*
 * test_sim.c - the step driver and the record: step validation, voltage holds that end on a
 * current, solver failures that keep the record, and the Battery Data Format writer.
 */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "lmb/lmb.h"
#include "model/cell_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct fixture {
    lmb_ctx *ctx;
    lmb_cell *cell;
    lmb_sim *sim;
} fixture;

static int setup(void **state) {
    fixture *fx = calloc(1, sizeof *fx);
    assert_int_equal(lmb_ctx_create(&fx->ctx), LMB_OK);
    assert_int_equal(lmb_cell_load(fx->ctx, "li-li:bare", &fx->cell), LMB_OK);
    assert_int_equal(lmb_sim_create(fx->ctx, fx->cell, NULL, &fx->sim), LMB_OK);
    *state = fx;
    return 0;
}

static int teardown(void **state) {
    fixture *fx = *state;
    lmb_sim_free(fx->sim);
    lmb_cell_free(fx->cell);
    lmb_ctx_free(fx->ctx);
    free(fx);
    return 0;
}

static void test_step_validation(void **state) {
    fixture *fx = *state;
    lmb_step s = lmb_step_init();
    s.control = LMB_CONTROL_CURRENT;
    s.value = 1e-3;
    assert_int_equal(lmb_sim_run_step(fx->ctx, fx->sim, &s, NULL), LMB_EINVAL);
    assert_non_null(strstr(lmb_ctx_errmsg(fx->ctx), "at least one limit"));
    s.duration_s = -1.0;
    assert_int_equal(lmb_sim_run_step(fx->ctx, fx->sim, &s, NULL), LMB_EINVAL);
    assert_non_null(strstr(lmb_ctx_errmsg(fx->ctx), "must be >= 0"));
    s = lmb_step_init();
    s.capacity_C = 1.0;
    assert_int_equal(lmb_sim_run_step(fx->ctx, fx->sim, &s, NULL), LMB_EINVAL);
    assert_non_null(strstr(lmb_ctx_errmsg(fx->ctx), "rest passes no charge"));
    s = lmb_step_init();
    s.control = LMB_CONTROL_CURRENT;
    s.value = NAN;
    s.duration_s = 1.0;
    assert_int_equal(lmb_sim_run_step(fx->ctx, fx->sim, &s, NULL), LMB_EINVAL);
    /* nothing was run */
    assert_int_equal(lmb_sim_step_count(fx->sim), 0);
    assert_true(lmb_sim_time(fx->sim) == 0.0);
    for (int r = LMB_END_NONE; r <= LMB_END_SHORT; r++)
        assert_string_not_equal(lmb_end_reason_name((lmb_end_reason)r), "?");
}

/*
 * After 1 h of plating the cell is held at 0 V: the concentration gradient left by the current
 * drives a current back through the cell that decays as the salt relaxes, and the hold ends when
 * |I| falls to the limit. During the hold V equals the set-point to the solver tolerance.
 */
static void test_voltage_hold(void **state) {
    fixture *fx = *state;
    double A = lmb_sim_area_m2(fx->sim);
    lmb_step s = lmb_step_init();
    s.control = LMB_CONTROL_CURRENT;
    s.value = -10.0 * A;
    s.duration_s = 3600.0;
    assert_int_equal(lmb_sim_run_step(fx->ctx, fx->sim, &s, NULL), LMB_OK);
    s = lmb_step_init();
    s.control = LMB_CONTROL_VOLTAGE;
    s.value = 0.0;
    s.i_min_A = 1e-3 * A; /* 0.1 uA/cm2 */
    s.duration_s = 3600.0;
    lmb_step_result r;
    assert_int_equal(lmb_sim_run_step(fx->ctx, fx->sim, &s, &r), LMB_OK);
    assert_int_equal(r.reason, LMB_END_IMIN);
    assert_true(fabs(fabs(r.i_end_A) - s.i_min_A) < 1e-6 * s.i_min_A);
    lmb_series ser;
    lmb_sim_series(fx->sim, &ser);
    for (size_t i = 0; i < ser.n; i++)
        if (ser.step[i] == 2)
            assert_true(fabs(ser.V[i]) < 1e-9);
    /* the relaxation current flows back: positive (stripping the plated electrode) */
    assert_true(r.charge_C > 0.0);
}

/*
 * Far above the limiting current with no voltage limit the surface concentration reaches zero:
 * the solver must fail with a message naming time, step and state, and keep the record.
 */
static void test_solver_failure_keeps_record(void **state) {
    fixture *fx = *state;
    double A = lmb_sim_area_m2(fx->sim);
    lmb_step s = lmb_step_init();
    s.control = LMB_CONTROL_CURRENT;
    s.value = -2000.0 * A; /* 200 mA/cm2 */
    s.duration_s = 3600.0;
    lmb_status st = lmb_sim_run_step(fx->ctx, fx->sim, &s, NULL);
    assert_int_equal(st, LMB_ESOLVER);
    const char *msg = lmb_ctx_errmsg(fx->ctx);
    /* either IDA gives up or the driver sees it stall near c = 0 */
    assert_non_null(strstr(msg, " at t = "));
    assert_non_null(strstr(msg, "step 1"));
    assert_non_null(strstr(msg, "V ="));
    lmb_series ser;
    lmb_sim_series(fx->sim, &ser);
    assert_true(ser.n >= 2);
    assert_true(lmb_sim_time(fx->sim) > 0.0 && lmb_sim_time(fx->sim) < 3600.0);
}

/*
 * Step-driver paths: a step after a root-ended step, a total-time limit, a limit already met at
 * the start, and a step that can never end (no time limit, a voltage the cell never reaches)
 * failing after the untimed-step cap instead of running for ever.
 */
static void test_step_paths(void **state) {
    fixture *fx = *state;
    double A = lmb_sim_area_m2(fx->sim);
    lmb_step s = lmb_step_init();
    s.control = LMB_CONTROL_CURRENT;
    s.value = -10.0 * A;
    s.capacity_C = 0.1 * 36000.0 * A;
    lmb_step_result r;
    assert_int_equal(lmb_sim_run_step(fx->ctx, fx->sim, &s, &r), LMB_OK);
    assert_int_equal(r.reason, LMB_END_CAPACITY);
    /* total time: ends at 1000 s of test time */
    s = lmb_step_init();
    s.control = LMB_CONTROL_CURRENT;
    s.value = 10.0 * A;
    s.total_time_s = 1000.0;
    assert_int_equal(lmb_sim_run_step(fx->ctx, fx->sim, &s, &r), LMB_OK);
    assert_int_equal(r.reason, LMB_END_TOTAL_TIME);
    assert_true(r.t_end_s == 1000.0);
    /* a further step with the same total time does not run and counts no step */
    int steps = lmb_sim_step_count(fx->sim);
    assert_int_equal(lmb_sim_run_step(fx->ctx, fx->sim, &s, &r), LMB_OK);
    assert_int_equal(r.reason, LMB_END_TOTAL_TIME);
    assert_int_equal(lmb_sim_step_count(fx->sim), steps);
    /* stripping at 1 mA/cm2 gives about +0.09 V: an upper limit of 0.05 V is met at once */
    s = lmb_step_init();
    s.control = LMB_CONTROL_CURRENT;
    s.value = 10.0 * A;
    s.duration_s = 100.0;
    s.use_v_max = 1;
    s.v_max = 0.05;
    lmb_step_result r2;
    assert_int_equal(lmb_sim_run_step(fx->ctx, fx->sim, &s, &r2), LMB_OK);
    assert_int_equal(r2.reason, LMB_END_VMAX);
    assert_true(r2.t_end_s - r2.t_start_s < 1e-3);
    /* inconsistent voltage limits */
    s.use_v_min = 1;
    s.v_min = 0.1;
    assert_int_equal(lmb_sim_run_step(fx->ctx, fx->sim, &s, NULL), LMB_EINVAL);
    assert_int_equal(lmb_sim_run_step(fx->ctx, NULL, &s, NULL), LMB_EINVAL);
}

static void test_untimed_step_is_capped(void **state) {
    (void)state;
    lmb_ctx *ctx = NULL;
    lmb_cell *cell = NULL;
    lmb_sim *sim = NULL;
    assert_int_equal(lmb_ctx_create(&ctx), LMB_OK);
    assert_int_equal(lmb_cell_load(ctx, "li-li:bare", &cell), LMB_OK);
    lmb_sim_options opt = {.max_untimed_s = 1e5};
    assert_int_equal(lmb_sim_create(ctx, cell, &opt, &sim), LMB_OK);
    lmb_step s = lmb_step_init();
    s.control = LMB_CONTROL_CURRENT;
    s.value = -10.0 * lmb_sim_area_m2(sim);
    s.use_v_min = 1;
    s.v_min = -0.3; /* the cell settles near -0.09 V */
    assert_int_equal(lmb_sim_run_step(ctx, sim, &s, NULL), LMB_ESOLVER);
    assert_non_null(strstr(lmb_ctx_errmsg(ctx), "reached none of its limits"));
    assert_true(fabs(lmb_sim_time(sim) - 1e5) < 1e-6);
    /* the simulation can go on from there */
    s.duration_s = 10.0;
    assert_int_equal(lmb_sim_run_step(ctx, sim, &s, NULL), LMB_OK);
    lmb_sim_free(sim);
    lmb_cell_free(cell);
    lmb_ctx_free(ctx);
}

static void test_bdf_writer(void **state) {
    fixture *fx = *state;
    double A = lmb_sim_area_m2(fx->sim);
    lmb_step s = lmb_step_init();
    s.control = LMB_CONTROL_CURRENT;
    s.value = 10.0 * A;
    s.duration_s = 60.0;
    s.new_cycle = 1;
    assert_int_equal(lmb_sim_run_step(fx->ctx, fx->sim, &s, NULL), LMB_OK);
    lmb_series ser;
    lmb_sim_series(fx->sim, &ser);
    char path[] = "/tmp/lmb_test_bdf_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    assert_int_equal(lmb_series_write_bdf(fx->ctx, &ser, path), LMB_OK);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    char line[256];
    assert_non_null(fgets(line, sizeof line, f));
    assert_string_equal(line, "Test Time / s,Voltage / V,Current / A,Step Count / 1,Cycle Count "
                              "/ 1\n");
    size_t rows = 0;
    double t = 0, V = 0, I = 0;
    int st = 0, cy = 0;
    while (fscanf(f, "%lf,%lf,%lf,%d,%d", &t, &V, &I, &st, &cy) == 5)
        rows++;
    fclose(f);
    assert_int_equal(rows, ser.n);
    assert_true(t == 60.0 && st == 1 && cy == 1);
    assert_true(fabs(I - 10.0 * A) < 1e-12);
    /* a path that cannot be written: LMB_EIO, and the existing file is untouched */
    assert_int_equal(lmb_series_write_bdf(fx->ctx, &ser, "/nonexistent/dir/x.csv"), LMB_EIO);
    assert_non_null(strstr(lmb_ctx_errmsg(fx->ctx), "/nonexistent/dir/x.csv"));
    lmb_sim_series_clear(fx->sim);
    lmb_sim_series(fx->sim, &ser);
    assert_int_equal(ser.n, 0);
    remove(path);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_step_validation, setup, teardown),
        cmocka_unit_test_setup_teardown(test_voltage_hold, setup, teardown),
        cmocka_unit_test_setup_teardown(test_solver_failure_keeps_record, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bdf_writer, setup, teardown),
        cmocka_unit_test_setup_teardown(test_step_paths, setup, teardown),
        cmocka_unit_test(test_untimed_step_is_capped),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
