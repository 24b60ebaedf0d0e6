/*
 * reference_convergence - the convergence study of the reference case (docs/reference-case.md):
 * the 1C discharge of li-licoo2:reference to 3.8 V on a ladder of meshes and tolerances, each
 * compared with the same run refined 2x (every mesh doubled, or the tolerances divided by 10)
 * and with a reference far finer than any of them.
 *
 *   build/reference_convergence            the table of docs/reference-case.md
 *
 * Curves are compared as V(t) over the time both cover, from t = 1 s (the microsecond charging
 * of the double layers after the current starts is not part of the discharge curve), the finer
 * run linearly interpolated between its points (lmb__curve_max_diff).
 */
#define _POSIX_C_SOURCE 200809L /* clock_gettime, in core/clock.h */

#include "analysis/curve.h"
#include "core/clock.h"
#include "lmb/lmb.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct config {
    int sep, pos, shells;
    double tol; /* multiplier of every tolerance of the preset (rtol and the atols) */
    double max_step_s;
} config;

typedef struct curve {
    size_t n;
    double *t, *V;
    double capacity_mAh_cm2;
    long steps, res;
    double wall_s;
} curve;

static int set(lmb_ctx *ctx, lmb_cell *cell, const char *key, double v) {
    if (lmb_cell_set(ctx, cell, key, v) == LMB_OK)
        return 0;
    fprintf(stderr, "reference_convergence: %s\n", lmb_ctx_errmsg(ctx));
    return -1;
}

/* The 1C discharge to 3.8 V on configuration c; 0 or -1. */
static int run(lmb_ctx *ctx, const config *c, curve *out) {
    static const char *tols[] = {"numerics.rtol", "numerics.atol_concentration_mol_m3",
                                 "numerics.atol_potential_V", "numerics.atol_interface_V",
                                 "numerics.atol_current_A_m2"};
    lmb_cell *cell = NULL;
    lmb_sim *sim = NULL;
    memset(out, 0, sizeof *out);
    if (lmb_cell_load(ctx, "li-licoo2:reference", &cell) != LMB_OK)
        goto fail;
    if (set(ctx, cell, "separator.cells", c->sep) || set(ctx, cell, "porous.cells", c->pos) ||
        set(ctx, cell, "porous.shells", c->shells) ||
        set(ctx, cell, "numerics.max_step_s", c->max_step_s))
        goto fail;
    for (size_t k = 0; k < sizeof tols / sizeof tols[0]; k++) {
        double v;
        if (lmb_cell_get(ctx, cell, tols[k], &v) != LMB_OK || set(ctx, cell, tols[k], v * c->tol))
            goto fail;
    }
    lmb_sim_options opt = {.sparse = 1};
    double t0 = lmb__now_s();
    if (lmb_sim_create(ctx, cell, &opt, &sim) != LMB_OK)
        goto fail;
    lmb_step s = lmb_step_init();
    s.control = LMB_CONTROL_CURRENT;
    s.value = -lmb_sim_nominal_capacity_C(sim) / 3600.0; /* 1C, discharging */
    s.use_v_min = 1;
    s.v_min = 3.8;
    lmb_step_result r;
    if (lmb_sim_run_step(ctx, sim, &s, &r) != LMB_OK)
        goto fail;
    out->wall_s = lmb__now_s() - t0;
    lmb_series ser;
    lmb_sim_series(sim, &ser);
    out->n = ser.n;
    out->t = malloc(ser.n * sizeof(double));
    out->V = malloc(ser.n * sizeof(double));
    if (!out->t || !out->V)
        goto fail;
    memcpy(out->t, ser.t_s, ser.n * sizeof(double));
    memcpy(out->V, ser.V, ser.n * sizeof(double));
    out->capacity_mAh_cm2 = fabs(r.charge_C) / 3.6 / (lmb_sim_area_m2(sim) * 1e4);
    lmb_sim_stats st;
    lmb_sim_get_stats(sim, &st);
    out->steps = st.steps;
    out->res = st.res_evals;
    lmb_sim_free(sim);
    lmb_cell_free(cell);
    return 0;
fail:
    fprintf(stderr, "reference_convergence: %s\n", lmb_ctx_errmsg(ctx));
    lmb_sim_free(sim);
    lmb_cell_free(cell);
    return -1;
}

static void curve_free(curve *c) {
    free(c->t);
    free(c->V);
}

static double diff_mV(const curve *a, const curve *b, double *t_at) {
    return 1e3 * lmb__curve_max_diff(a->t, a->V, a->n, b->t, b->V, b->n, 1.0, t_at);
}

int main(void) {
    lmb_ctx *ctx = NULL;
    if (lmb_ctx_create(&ctx) != LMB_OK)
        return 1;
    /* the reference: 4x the finest mesh of the ladder, tolerances / 1000, steps <= 1 s */
    const config ref = {128, 128, 48, 1e-3, 1.0};
    curve R;
    if (run(ctx, &ref, &R) != 0)
        return 1;
    printf("reference: separator %d, electrode %d cells, %d shells, tolerances x %g, max step "
           "%g s: %.6f mAh/cm2 to 3.8 V (%ld steps)\n\n",
           ref.sep, ref.pos, ref.shells, ref.tol, ref.max_step_s, R.capacity_mAh_cm2, R.steps);
    printf("%-4s %-4s %-6s %-5s | %-8s %-5s %-5s %-6s | max |dV| [mV] against 2x refined:     | vs "
           "ref\n",
           "sep", "pos", "shells", "tol", "mAh/cm2", "steps", "res", "wall s");
    printf("%-4s %-4s %-6s %-5s | %-8s %-5s %-5s %-6s | %-6s %-6s %-6s %-6s %-6s     | %-6s\n", "",
           "", "", "", "", "", "", "", "sep", "pos", "shells", "tol", "all", "");
    const config ladder[] = {
        {4, 4, 4, 1.0, 0.0},    {8, 8, 8, 1.0, 0.0},    {8, 8, 12, 1.0, 0.0},
        {8, 12, 16, 1.0, 0.0},  {16, 16, 16, 1.0, 0.0}, {8, 12, 16, 0.1, 0.0},
        {16, 24, 32, 1.0, 0.0},
    };
    for (size_t k = 0; k < sizeof ladder / sizeof ladder[0]; k++) {
        const config *c = &ladder[k];
        config fine[5] = {*c, *c, *c, *c, *c};
        fine[0].sep *= 2;
        fine[1].pos *= 2;
        fine[2].shells *= 2;
        fine[3].tol /= 10.0;
        fine[4].sep *= 2;
        fine[4].pos *= 2;
        fine[4].shells *= 2;
        fine[4].tol /= 10.0;
        for (int f = 0; f < 5; f++)
            fine[f].max_step_s = 2.0; /* dense points: the interpolation between them must
                                         not be what is measured */
        curve C;
        if (run(ctx, c, &C) != 0)
            return 1;
        double d[5];
        for (int f = 0; f < 5; f++) {
            curve F;
            if (fine[f].shells > 50) {
                d[f] = NAN;
                continue;
            }
            if (run(ctx, &fine[f], &F) != 0)
                return 1;
            d[f] = diff_mV(&C, &F, NULL);
            curve_free(&F);
        }
        double tr = 0.0, dr = diff_mV(&C, &R, &tr);
        printf("%-4d %-4d %-6d %-5g | %-8.5f %-5ld %-5ld %-6.3f | ", c->sep, c->pos, c->shells,
               c->tol, C.capacity_mAh_cm2, C.steps, C.res, C.wall_s);
        for (int f = 0; f < 5; f++) {
            if (isnan(d[f]))
                printf("%-6s ", "-");
            else
                printf("%-6.3f ", d[f]);
        }
        printf("    | %.3f at %.0f s\n", dr, tr);
        curve_free(&C);
    }
    printf("\n(- : the refined mesh would need more shells than the schema's 50)\n");
    curve_free(&R);
    lmb_ctx_free(ctx);
    return 0;
}
