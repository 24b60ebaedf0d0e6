/*
 * test_lfp.c - the porous LiFePO4 electrode of a li-lfp cell (src/model/lfp.c): rest at the
 * open-circuit potential, lithium conservation and charge balance, the thermodynamic capacity
 * limit, and convergence under mesh refinement.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "lmb/lmb.h"
#include "model/cell_internal.h"
#include "model/lfp_ocv.h"
#include "model/lili.h"
#include "solver/solver_internal.h"

#include <math.h>
#include <stdio.h>

typedef struct fixture {
    lmb_ctx *ctx;
    lmb_cell *cell;
    lmb_sim *sim;
} fixture;

static void load(fixture *fx, const char *preset) {
    assert_int_equal(lmb_ctx_create(&fx->ctx), LMB_OK);
    if (lmb_cell_load(fx->ctx, preset, &fx->cell) != LMB_OK)
        fail_msg("%s", lmb_ctx_errmsg(fx->ctx));
    fx->sim = NULL;
}

static void set(fixture *fx, const char *key, double v) {
    if (lmb_cell_set(fx->ctx, fx->cell, key, v) != LMB_OK)
        fail_msg("%s", lmb_ctx_errmsg(fx->ctx));
}

static void start(fixture *fx, int sparse) {
    lmb_sim_options opt = {.sparse = sparse};
    if (lmb_sim_create(fx->ctx, fx->cell, &opt, &fx->sim) != LMB_OK)
        fail_msg("lmb_sim_create: %s", lmb_ctx_errmsg(fx->ctx));
}

static void finish(fixture *fx) {
    lmb_sim_free(fx->sim);
    lmb_cell_free(fx->cell);
    lmb_ctx_free(fx->ctx);
}

/* A current step [A] until the time limit or the voltage window 2.5 - 3.6 V. */
static lmb_step_result run(fixture *fx, lmb_control c, double value, double duration_s) {
    lmb_step s = lmb_step_init();
    s.control = c;
    s.value = value;
    s.duration_s = duration_s;
    s.use_v_max = s.use_v_min = c == LMB_CONTROL_CURRENT;
    s.v_max = 3.6;
    s.v_min = 2.5;
    lmb_step_result r;
    if (lmb_sim_run_step(fx->ctx, fx->sim, &s, &r) != LMB_OK)
        fail_msg("lmb_sim_run_step: %s", lmb_ctx_errmsg(fx->ctx));
    return r;
}

static const lmb__lili *model(const fixture *fx) {
    return lmb__lili_of(lmb__sim_model(fx->sim));
}

/* The 1C current of the cell [A]. */
static double one_c(const fixture *fx) {
    return lmb_sim_nominal_capacity_C(fx->sim) / 3600.0;
}

/* ---- rest ---- */

/* At rest the cell holds the open-circuit potential of its initial Li fraction: the state is
 * exactly consistent, so V moves by no more than rounding in an hour. */
static void test_rest_at_ocv(void **state) {
    (void)state;
    fixture fx;
    load(&fx, "li-lfp:cspbcl3-2mg");
    start(&fx, 1);
    double x0;
    assert_int_equal(lmb_cell_get(fx.ctx, fx.cell, "lfp.initial_li_fraction", &x0), LMB_OK);
    double U0 = lmb__lfp_ocv(LMB__LFP_OCV_SAFARI2011, x0, NULL);
    lmb_step_result r = run(&fx, LMB_CONTROL_REST, 0.0, 3600.0);
    assert_true(fabs(r.v_end - U0) < 1e-9);
    assert_true(fabs(lmb__lili_lfp_x(model(&fx), lmb__sim_y(fx.sim)) - x0) < 1e-12);
    finish(&fx);
}

/* ---- conservation ---- */

/* Over charge, rest and discharge at 1C, lithium is conserved electrode by electrode: the
 * negative's inventory (metal, mossy, dead, SEI, alloy Li and the Li it gave to the electrolyte)
 * to rounding, and the LFP's Li changes by exactly the Faradaic share of the charge passed, the
 * charge passed less the charge on the particles' double layers. The second is a linear
 * invariant of the DAE that the BDF formulas keep to the Newton tolerance, far below the 1e-6
 * relative integration tolerance; bound 1e-8 of the charge passed. Together: the metal and the
 * LFP hold all the Li but the Li+ behind the two electrodes' double layers (~1e-6 of it). */
static void test_conservation(void **state) {
    (void)state;
    fixture fx;
    load(&fx, "li-lfp:bare");
    start(&fx, 1);
    const lmb__lili *L = model(&fx);
    const double *y = lmb__sim_y(fx.sim);
    double area = lmb_sim_area_m2(fx.sim);
    double neg0 = lmb__lili_li_inventory(L, y, LMB_SIDE_NEG);
    double lfp0 = lmb__lili_lfp_li(L, y), dl0 = lmb__lili_lfp_dl_charge(L, y);
    double q = 0.0;
    q += run(&fx, LMB_CONTROL_CURRENT, one_c(&fx), 1800.0).charge_C;
    q += run(&fx, LMB_CONTROL_REST, 0.0, 600.0).charge_C;
    q += run(&fx, LMB_CONTROL_CURRENT, -one_c(&fx), 1200.0).charge_C;
    y = lmb__sim_y(fx.sim);
    double neg1 = lmb__lili_li_inventory(L, y, LMB_SIDE_NEG);
    if (!(fabs(neg1 - neg0) < 1e-13 * neg0))
        fail_msg("negative's Li inventory: %.17g -> %.17g C/m2", neg0, neg1);
    double balance =
        q / area - (lfp0 - lmb__lili_lfp_li(L, y)) - (lmb__lili_lfp_dl_charge(L, y) - dl0);
    if (!(fabs(balance) < 1e-8 * fabs(q / area)))
        fail_msg("charge balance: %g C/m2 of %g", balance, q / area);
    /* ... and the two electrodes exchange that Li through the electrolyte: the Li the negative
     * gave (its Faradaic charge) and the LFP's change add up to the Li+ behind the double layers,
     * the LFP's and the negative's, which is < 1e-4 of the charge passed once the LFP's is
     * counted (a sign error in either source would leave twice the charge passed) */
    double li_plus =
        y[L->i_qF[0]] + (lfp0 - lmb__lili_lfp_li(L, y)) + (lmb__lili_lfp_dl_charge(L, y) - dl0);
    if (!(fabs(li_plus) < 1e-4 * fabs(q / area)))
        fail_msg("Li+ left in the electrolyte: %g C/m2 of %g passed", li_plus, q / area);
    /* the charge passed moved Li: 0.5 h at 1C less 1/3 h back, about 1/6 of the capacity */
    assert_true(fabs(lfp0 - lmb__lili_lfp_li(L, y)) >
                0.1 * lmb_sim_nominal_capacity_C(fx.sim) / area);
    finish(&fx);
}

/* ---- thermodynamic limit ---- */

/* Charged very slowly with fast solid diffusion, the electrode empties until its open-circuit
 * potential meets the 3.6 V limit: the charge is the accessible LFP's Li between the initial
 * fraction and the x where U(x) = 3.6 V. Bound 0.5 %: the remaining overpotential at C/50
 * (a few mV where dU/dx is ~ -10 V) moves the end by < 1e-3 in x. */
static void test_thermodynamic_capacity(void **state) {
    (void)state;
    fixture fx;
    load(&fx, "li-lfp:cspbcl3-2mg");
    set(&fx, "lfp.diffusivity_cm2_s", 1e-10);
    start(&fx, 1);
    const lmb__lili *L = model(&fx);
    double x0 = lmb__lili_lfp_x(L, lmb__sim_y(fx.sim));
    double li0 = lmb__lili_lfp_li(L, lmb__sim_y(fx.sim));
    /* the electrode's Li from its recipe: accessible LFP (loading / density) c_max F x0 */
    const lmb_params *p = lmb__cell_params(fx.cell);
    double recipe = p->lfp.accessible_fraction * p->lfp.loading_kg_m2 / p->lfp.density_kg_m3 *
                    p->lfp.c_max_mol_m3 * LMB_FARADAY * p->lfp.initial_x;
    if (!(fabs(li0 - recipe) < 1e-12 * recipe))
        fail_msg("LFP Li %.17g C/m2, from the recipe %.17g", li0, recipe);
    /* x where U = 3.6 V, by bisection on the monotone fit */
    double lo = 1e-6, hi = 0.5;
    for (int i = 0; i < 100; i++) {
        double mid = 0.5 * (lo + hi);
        if (lmb__lfp_ocv(LMB__LFP_OCV_SAFARI2011, mid, NULL) > 3.6)
            lo = mid;
        else
            hi = mid;
    }
    double expect = li0 * (x0 - lo) / x0; /* [C/m2] */
    lmb_step_result r = run(&fx, LMB_CONTROL_CURRENT, one_c(&fx) / 50.0, 60.0 * 3600.0);
    assert_int_equal(r.reason, LMB_END_VMAX);
    double got = r.charge_C / lmb_sim_area_m2(fx.sim);
    if (!(fabs(got - expect) < 5e-3 * expect))
        fail_msg("charge to 3.6 V: %g C/m2, thermodynamic %g C/m2", got, expect);
    finish(&fx);
}

/* ---- mesh convergence ---- */

/* Charge at 1C to 3.6 V, then discharge at 1C to 2.5 V [C], on the mesh refined `refine`
 * times: cells and shells times refine, the cell-to-cell grading ratio to its refine-th root
 * (the same geometric profile, finer). */
static double one_c_discharge(int refine) {
    fixture fx;
    load(&fx, "li-lfp:cspbcl3-2mg");
    double cells, shells, sep_cells, ratio;
    assert_int_equal(lmb_cell_get(fx.ctx, fx.cell, "lfp.cells", &cells), LMB_OK);
    assert_int_equal(lmb_cell_get(fx.ctx, fx.cell, "lfp.shells", &shells), LMB_OK);
    assert_int_equal(lmb_cell_get(fx.ctx, fx.cell, "separator.cells", &sep_cells), LMB_OK);
    assert_int_equal(lmb_cell_get(fx.ctx, fx.cell, "numerics.mesh_ratio", &ratio), LMB_OK);
    set(&fx, "lfp.cells", cells * refine);
    set(&fx, "lfp.shells", shells * refine);
    set(&fx, "separator.cells", sep_cells * refine);
    set(&fx, "numerics.mesh_ratio", pow(ratio, 1.0 / refine));
    start(&fx, 1);
    run(&fx, LMB_CONTROL_CURRENT, one_c(&fx), 2.0 * 3600.0);
    double q = -run(&fx, LMB_CONTROL_CURRENT, -one_c(&fx), 2.0 * 3600.0).charge_C;
    finish(&fx);
    return q;
}

/* The 1C discharge capacity converges under refinement of the electrolyte, electrode and
 * particle meshes together: the default mesh is 0.42 % from the four-times refined one (bound
 * 1 %, a third of the fit's 3 % tolerance on the 1C capacity), the twice refined one 0.08 %
 * (refining moves the result towards the limit, by less each time). */
static void test_mesh_convergence(void **state) {
    (void)state;
    double q1 = one_c_discharge(1), q2 = one_c_discharge(2), q4 = one_c_discharge(4);
    printf("1C discharge capacity [C]: default %.6g, 2x %.6g, 4x %.6g\n", q1, q2, q4);
    assert_true(fabs(q1 - q4) < 1e-2 * q4);
    assert_true(fabs(q2 - q4) < 0.5 * fabs(q1 - q4));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rest_at_ocv),
        cmocka_unit_test(test_conservation),
        cmocka_unit_test(test_thermodynamic_capacity),
        cmocka_unit_test(test_mesh_convergence),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
