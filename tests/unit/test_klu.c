/*
 * test_klu.c - the opt-in sparse linear solver (lmb_sim_options.sparse = 1): the sparsity
 * pattern and its column colouring (src/solver/sparsity.c), the coloured difference-quotient
 * Jacobian against a dense one, and whole protocol runs with KLU against the band solver.
 *
 * On the calibrated presets "li-li:bare", "li-li:cspbcl3-2mg" and "li-lfp:cspbcl3-2mg" (the
 * porous LFP electrode):
 *   - the colouring is valid (no two columns of one colour share a row) and the pattern lies
 *     inside the band the band solver uses;
 *   - at a generic state (not the probe states of the pattern), under every control, the
 *     coloured Jacobian equals a dense forward-difference Jacobian with the same increments to
 *     1e-6 relative, and the dense one has no non-zero outside the pattern;
 *   - 5 plating/stripping cycles (Li||LFP: 2 charge/discharge cycles at 1C) give the same voltages
 *     with both solvers (bound stated at the assertion);
 *   - the number of colours (residual evaluations per Jacobian) is below the band's mu + ml + 1.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "lmb/lmb.h"
#include "solver/solver_internal.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const k_cells[] = {"li-li:bare", "li-li:cspbcl3-2mg", "li-lfp:cspbcl3-2mg"};
#define N_CELLS (sizeof k_cells / sizeof k_cells[0])

typedef struct fixture {
    lmb_ctx *ctx;
    lmb_cell *cell;
    lmb_sim *sim;
} fixture;

static void open_sim(fixture *fx, const char *cell, int sparse, double record_dt_s) {
    memset(fx, 0, sizeof *fx);
    assert_int_equal(lmb_ctx_create(&fx->ctx), LMB_OK);
    assert_int_equal(lmb_cell_load(fx->ctx, cell, &fx->cell), LMB_OK);
    lmb_sim_options opt = {.sparse = sparse, .record_dt_s = record_dt_s};
    if (lmb_sim_create(fx->ctx, fx->cell, &opt, &fx->sim) != LMB_OK)
        fail_msg("lmb_sim_create (%s, sparse %d): %s", cell, sparse, lmb_ctx_errmsg(fx->ctx));
}

static void close_sim(fixture *fx) {
    lmb_sim_free(fx->sim);
    lmb_cell_free(fx->cell);
    lmb_ctx_free(fx->ctx);
}

/* ---- (c) pattern and colouring ---- */

static void test_pattern_and_colours(void **state) {
    (void)state;
    for (size_t c = 0; c < N_CELLS; c++) {
        fixture fx;
        open_sim(&fx, k_cells[c], 1, 0.0);
        const lmb__sparsity *sp = lmb__sim_sparsity(fx.sim);
        assert_non_null(sp);
        const int n = sp->n;
        assert_int_equal(n, lmb__sim_model(fx.sim)->n);
        assert_int_equal(sp->colptr[n], sp->nnz);
        /* a valid colouring: within one colour every row is hit at most once */
        int *hit = malloc((size_t)n * sizeof(int));
        for (int col = 0; col < sp->n_colors; col++) {
            for (int i = 0; i < n; i++)
                hit[i] = 0;
            for (int j = 0; j < n; j++)
                if (sp->color[j] == col)
                    for (int k = sp->colptr[j]; k < sp->colptr[j + 1]; k++)
                        assert_int_equal(hit[sp->rowind[k]]++, 0);
        }
        free(hit);
        /* the pattern lies inside the band of the band solver (measured by bandwidth.c at one
         * of the pattern's probe states), so the band path misses nothing the pattern finds */
        int mu = 0, ml = 0, mu_p = 0, ml_p = 0;
        lmb__sim_bandwidth(fx.sim, &mu, &ml);
        lmb__sparsity_bandwidth(sp, &mu_p, &ml_p);
        assert_true(mu_p <= mu && ml_p <= ml);
        lmb_sim_stats st;
        lmb_sim_get_stats(fx.sim, &st);
        assert_int_equal(st.colors, sp->n_colors);
        print_message("%-18s %d states, %d non-zeros (%.1f per column; the band holds up to "
                      "%d), pattern half-bandwidths %d/%d (band %d/%d), %d colours (band DQ: %d "
                      "residuals per Jacobian)\n",
                      k_cells[c], n, sp->nnz, (double)sp->nnz / n, mu + ml + 1, mu_p, ml_p, mu, ml,
                      sp->n_colors, mu + ml + 1);
        /* the point of the colouring: fewer residual evaluations than the band's mu + ml + 1 */
        assert_true(sp->n_colors < mu + ml + 1);
        close_sim(&fx);
    }
    /* the band solver builds no pattern */
    fixture fx;
    open_sim(&fx, k_cells[0], 0, 0.0);
    assert_null(lmb__sim_sparsity(fx.sim));
    lmb_sim_stats st;
    lmb_sim_get_stats(fx.sim, &st);
    assert_int_equal(st.colors, 0);
    close_sim(&fx);
    lmb__sparsity_free(NULL);
}

/* ---- (a) the coloured Jacobian against a dense one ---- */

static void test_jacobian_dense(void **state) {
    (void)state;
    for (size_t c = 0; c < N_CELLS; c++) {
        fixture fx;
        open_sim(&fx, k_cells[c], 1, 0.0);
        const lmb__sparsity *sp = lmb__sim_sparsity(fx.sim);
        lmb__model *m = (lmb__model *)lmb__sim_model(fx.sim);
        const int n = m->n;
        double *buf = calloc((size_t)(9 * n + n * n + sp->nnz), sizeof(double));
        double *y = buf, *yp = y + n, *r0 = yp + n, *r1 = r0 + n, *ewt = r1 + n, *work = ewt + n;
        double *Jd = work + 4 * n, *Jx = Jd + (size_t)n * (size_t)n;
        /* a generic state other than the probe states of sparsity.c (as test_lili.c's band
         * check), and IDA-like step data: h = 1 ms, cj = 1/h, rtol 1e-6 error weights */
        for (int i = 0; i < n; i++) {
            y[i] = m->y0[i] * (1.0 + 0.003 * sin(i + 1.0)) + 0.01 * cos(3.0 * i);
            yp[i] = m->is_diff[i] != 0.0 ? 1e-4 * sin(7.0 * i) : 0.0;
            ewt[i] = 1.0 / (1e-6 * fabs(y[i]) + m->atol[i]);
        }
        const double h = 1e-3, cj = 1.0 / h, srur = sqrt(DBL_EPSILON);
        double worst = 0.0;
        int outside = 0;
        lmb_control saved = m->control;
        for (int ctl = LMB_CONTROL_REST; ctl <= LMB_CONTROL_VOLTAGE; ctl++) {
            m->control = (lmb_control)ctl;
            m->setpoint = ctl == LMB_CONTROL_VOLTAGE ? 0.01 : 10.0;
            assert_int_equal(m->residual(m, 0.0, y, yp, r0), 0);
            /* dense: one column at a time, y_j += d and y'_j += cj d with IDA's increment */
            for (int j = 0; j < n; j++) {
                double d = fmax(srur * fmax(fabs(y[j]), fabs(h * yp[j])), 1.0 / ewt[j]);
                if (h * yp[j] < 0.0)
                    d = -d;
                d = (y[j] + d) - y[j];
                double yj = y[j], ypj = yp[j];
                y[j] += d;
                yp[j] += cj * d;
                assert_int_equal(m->residual(m, 0.0, y, yp, r1), 0);
                y[j] = yj;
                yp[j] = ypj;
                for (int i = 0; i < n; i++)
                    Jd[(size_t)j * (size_t)n + (size_t)i] = (r1[i] - r0[i]) / d;
            }
            assert_int_equal(lmb__sparse_dq_jacobian(sp, m, 0.0, cj, h, y, yp, r0, ewt, work, Jx),
                             0);
            /* every dense non-zero is in the pattern; the pattern's entries agree to 1e-6
             * relative (with a floor of 1e-12 of the row's largest entry for entries that
             * vanish at this state) */
            for (int j = 0; j < n; j++) {
                int k = sp->colptr[j];
                for (int i = 0; i < n; i++) {
                    double jd = Jd[(size_t)j * (size_t)n + (size_t)i];
                    if (k < sp->colptr[j + 1] && sp->rowind[k] == i) {
                        double rowmax = 0.0;
                        for (int q = 0; q < n; q++)
                            rowmax = fmax(rowmax, fabs(Jd[(size_t)q * (size_t)n + (size_t)i]));
                        double rel = fabs(Jx[k] - jd) / fmax(fabs(jd), 1e-12 * rowmax);
                        if (rel > worst)
                            worst = rel;
                        if (!(rel <= 1e-6))
                            fail_msg("%s control %d: J[%d][%d] coloured %.17g, dense %.17g",
                                     k_cells[c], ctl, i, j, Jx[k], jd);
                        k++;
                    } else if (jd != 0.0) {
                        print_message("outside the pattern: control %d, J[%d][%d] = %.6g\n", ctl, i,
                                      j, jd);
                        outside++;
                    }
                }
            }
        }
        m->control = saved;
        m->setpoint = 0.0;
        print_message("%-18s coloured vs dense Jacobian: largest relative difference %.3g, %d "
                      "dense non-zeros outside the pattern\n",
                      k_cells[c], worst, outside);
        assert_int_equal(outside, 0);
        free(buf);
        close_sim(&fx);
    }
}

/* ---- (b) a protocol with both solvers ---- */

static void test_protocol_band_vs_sparse(void **state) {
    (void)state;
    static const char *const li_text = "Repeat 5 times:\n"
                                       "    Plate at 1 mA/cm2 for 1 mAh/cm2\n"
                                       "    Strip at 1 mA/cm2 for 1 mAh/cm2\n";
    static const char *const lfp_text = "Repeat 2 times:\n"
                                        "    Charge at 1C for 30 minutes or until 3.6 V\n"
                                        "    Discharge at 1C for 30 minutes or until 2.5 V\n";
    for (size_t c = 0; c < N_CELLS; c++) {
        int lfp = strncmp(k_cells[c], "li-lfp", 6) == 0;
        const char *text = lfp ? lfp_text : li_text;
        const int cycles = lfp ? 2 : 5;
        fixture fx[2];
        lmb_sim_stats st[2];
        lmb_series s[2];
        for (int sparse = 0; sparse < 2; sparse++) {
            /* the step ends only: every row is at a time fixed by the protocol */
            open_sim(&fx[sparse], k_cells[c], sparse, 1e9);
            lmb_protocol *p = NULL;
            assert_int_equal(lmb_protocol_parse(fx[sparse].ctx, text, "test.txt", &p), LMB_OK);
            lmb_run_result res;
            if (lmb_protocol_run(fx[sparse].ctx, fx[sparse].sim, p, NULL, NULL, &res) != LMB_OK)
                fail_msg("%s sparse %d: %s", k_cells[c], sparse, lmb_ctx_errmsg(fx[sparse].ctx));
            assert_int_equal(res.end, LMB_RUN_COMPLETED);
            assert_int_equal(res.cycles, cycles);
            lmb_protocol_free(p);
            lmb_sim_get_stats(fx[sparse].sim, &st[sparse]);
            lmb_sim_series(fx[sparse].sim, &s[sparse]);
        }
        assert_int_equal(s[0].n, s[1].n);
        assert_int_equal(s[0].n, 4 * cycles); /* two steps a cycle, a start and an end row each */
        /* Bound: both runs solve the same DAE to the same tolerances, so each is within the
         * integration error of the exact solution; the loosest tolerance anything V depends on
         * is the absolute tolerance of the interface (film and double-layer) voltages,
         * numerics.atol_interface = 1e-4 V, so |dV| <= atol_interface is "the same within the
         * solver tolerance". In fact the two Jacobians are equal entry for entry (the test
         * above), the runs differ only by the rounding of the two LU factorisations, take the
         * same steps and agree to ~1e-13 V; the step counts are asserted equal within 2 % (a
         * rounding difference may flip an error test that sits on its threshold). Step ends
         * come from the charge passed (root finding on Q): 1e-6 relative in time. */
        double atol_iface = 0.0;
        assert_int_equal(
            lmb_cell_get(fx[0].ctx, fx[0].cell, "numerics.atol_interface_V", &atol_iface), LMB_OK);
        assert_true(atol_iface > 0.0);
        double dv = 0.0, dt = 0.0;
        for (size_t k = 0; k < s[0].n; k++) {
            dv = fmax(dv, fabs(s[0].V[k] - s[1].V[k]));
            dt = fmax(dt, fabs(s[0].t_s[k] - s[1].t_s[k]) / fmax(s[0].t_s[k], 1.0));
            assert_int_equal(s[0].step[k], s[1].step[k]);
        }
        print_message("%-18s %d cycles: band %ld steps, %ld residuals, %ld Jacobians; sparse %ld "
                      "steps, %ld residuals, %ld Jacobians; max |dV| %.3g V, max dt/t %.3g\n",
                      k_cells[c], cycles, st[0].steps, st[0].res_evals, st[0].jac_evals,
                      st[1].steps, st[1].res_evals, st[1].jac_evals, dv, dt);
        assert_true(dv <= atol_iface);
        assert_true(dt <= 1e-6);
        assert_true(labs(st[1].steps - st[0].steps) <= st[0].steps / 50);
        /* and the point of it: fewer residual evaluations */
        assert_true(st[1].res_evals < st[0].res_evals);
        close_sim(&fx[0]);
        close_sim(&fx[1]);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pattern_and_colours),
        cmocka_unit_test(test_jacobian_dense),
        cmocka_unit_test(test_protocol_band_vs_sparse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
