/*
 * lfp_study.c - one Li||LFP experiment of the study: formation and 1C cycling, or the rate
 * test (study.h).
 */
#define _POSIX_C_SOURCE 200809L
#include "study/study.h"

#include "core/ctx_internal.h"
#include "model/cell_internal.h"
#include "model/lili.h"
#include "solver/solver_internal.h"
#include "study/study_internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/*
 * The Li that a Li||LFP cell conserves [C/m2]: the negative's inventory (metal, mossy, dead, SEI
 * and alloy Li plus the Li it has given to the electrolyte as its Faradaic charge) and the LFP
 * solid's Li plus the Li it has taken from the electrolyte, i.e. the charge passed Q less the
 * charge on the particles' double layers. (The electrolyte's salt is conserved on its own; the
 * Li+ behind the double layers of the two electrodes is their difference in Faradaic charge.)
 * Without a short: a shunt passes electrons, not Li.
 */
static double cell_li(const lmb__lili *L, const double *y, int iQ) {
    return lmb__lili_li_inventory(L, y, LMB_SIDE_NEG) + lmb__lili_lfp_li(L, y) + y[iQ] -
           lmb__lili_lfp_dl_charge(L, y);
}

double lmb__lfp_discharge(const lmb__lfp_outcome *o, int c) {
    return c >= 1 && c <= o->cycles ? o->discharge_mAh_g[c - 1] : NAN;
}

lmb_status lmb__lfp_study(lmb_ctx *ctx, const lmb_cell *cell, const char *protocol,
                          const char *out_dir, lmb__lfp_outcome *out) {
    lmb_protocol *proto = NULL;
    lmb_status st = lmb_protocol_load(ctx, protocol, &proto);
    if (st == LMB_OK)
        st = lmb__lfp_study_parsed(ctx, cell, proto, out_dir, out);
    else
        memset(out, 0, sizeof *out);
    lmb_protocol_free(proto);
    return st;
}

lmb_status lmb__lfp_study_parsed(lmb_ctx *ctx, const lmb_cell *cell, const lmb_protocol *proto,
                                 const char *out_dir, lmb__lfp_outcome *out) {
    memset(out, 0, sizeof *out);
    double t0 = lmb__now_s();
    const lmb_params *p = lmb__cell_params(cell);
    if (p->type != LMB_CELL_LI_LFP)
        LMB__FAIL(ctx, LMB_EINVAL, "%s: a Li||LFP experiment needs a li-lfp cell",
                  lmb_cell_name(cell));
    lmb_sim *sim = NULL;
    lmb_summary *sum = NULL;
    lmb_bdf_writer *bdf = NULL;
    char path[4200];
    lmb_status st = lmb_sim_create(ctx, cell, &lmb__study_options, &sim);
    if (st == LMB_OK)
        st = lmb_summary_create(ctx, &sum);
    if (st == LMB_OK && out_dir) {
        snprintf(path, sizeof path, "%s/timeseries.bdf.csv", out_dir);
        st = lmb_bdf_writer_open(ctx, path, &bdf);
    }
    if (st != LMB_OK)
        goto done;
    double mass = p->lfp.loading_kg_m2 * lmb_sim_area_m2(sim); /* [kg] of LiFePO4 */
    lmb_summary_set_area(sum, lmb_sim_area_m2(sim));
    lmb_summary_set_active_mass(sum, mass);
    const lmb__lili *L = lmb__lili_of(lmb__sim_model(sim));
    double li0 = cell_li(L, lmb__sim_y(sim), lmb__sim_model(sim)->iQ);
    lmb_run_options ro = {.bdf = bdf};
    lmb_run_result res;
    if ((st = lmb__study_run(ctx, sim, proto, &ro, sum, &res, out->error, sizeof out->error)) !=
        LMB_OK)
        goto done;
    out->end = res.end;
    out->t_end_s = res.t_end_s;
    size_t nc = lmb_summary_cycle_count(sum);
    for (size_t i = 0; i < nc && out->cycles < LMB__LFP_MAX_CYCLES; i++) {
        const lmb_cycle_row *c = lmb_summary_cycle(sum, i);
        if (!(c->discharge_C > 0.0))
            break; /* the cycle the run stopped in */
        /* C per kg to mAh/g: 1 mAh/g = 3.6 C/g = 3600 C/kg */
        out->discharge_mAh_g[out->cycles] = c->discharge_C / mass / 3600.0;
        out->charge_mAh_g[out->cycles] = c->charge_C / mass / 3600.0;
        out->cycles++;
    }
    const double *y = lmb__sim_y(sim);
    out->li_drift = fabs(cell_li(L, y, lmb__sim_model(sim)->iQ) - li0) / fabs(li0);
    out->fec_share = lmb__lili_fec_share(L, y, LMB_SIDE_NEG);
    out->dead_layer_m = lmb__lili_dead_layer(L, y, LMB_SIDE_NEG);
    st = lmb__study_finish(ctx, sim, sum, out_dir, &out->ida_steps, &out->res_evals);
done:
    if (bdf)
        st = lmb__study_first_error(st, lmb_bdf_writer_close(ctx, bdf));
    lmb_summary_free(sum);
    lmb_sim_free(sim);
    out->wall_s = lmb__now_s() - t0;
    return st;
}
