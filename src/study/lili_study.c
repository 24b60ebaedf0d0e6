/*
 * lili_study.c - one Li||Li experiment of the study: OCV impedance, then cycling (study.h).
 */
#define _POSIX_C_SOURCE 200809L
#include "study/study.h"

#include "core/ctx_internal.h"
#include "io/eis_internal.h"
#include "model/lili.h"
#include "solver/solver_internal.h"
#include "study/study_internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* The OCV spectrum: the protocol's EIS step, recomputed at the state the protocol ends in (an
 * EIS step does not change the state, so this is the state it was recorded at). */
static lmb_status ocv_metrics(lmb_ctx *ctx, lmb_sim *sim, const lmb_protocol *p,
                              lmb_arc_metrics *out) {
    const lmb_protocol_step *eis = NULL;
    for (int i = 0; i < lmb_protocol_step_count(p); i++)
        if (lmb_protocol_step_at(p, i)->kind == LMB_PSTEP_EIS)
            eis = lmb_protocol_step_at(p, i);
    if (!eis)
        LMB__FAIL(ctx, LMB_EINVAL, "%s: the OCV protocol has no EIS step", lmb_protocol_origin(p));
    double lo = fmin(eis->f_start_Hz, eis->f_end_Hz), hi = fmax(eis->f_start_Hz, eis->f_end_Hz);
    int ppd = eis->points_per_decade;
    size_t n = (size_t)floor(log10(hi / lo) * ppd + 1e-9) + 1;
    if (n > 4096)
        n = 4096;
    double f[4096], zr[4096], zi[4096];
    for (size_t k = 0; k < n; k++)
        f[k] = hi * pow(10.0, -(double)k / ppd);
    lmb_status st = lmb_sim_impedance(ctx, sim, f, n, zr, zi);
    if (st != LMB_OK)
        return st;
    return lmb_eis_arc_metrics(ctx, f, zr, zi, n, out);
}

static void diagnostics(const lmb_sim *sim, const double *inv0, lmb__lili_outcome *o) {
    const lmb__model *m = lmb__sim_model(sim);
    if (strcmp(m->kind, "li-li") != 0)
        return;
    const lmb__lili *L = lmb__lili_of(m);
    const double *y = lmb__sim_y(sim);
    for (int s = 0; s < 2; s++) {
        /* relative to the cell's Li (a Cu electrode starts with none) */
        double d =
            fabs(lmb__lili_li_inventory(L, y, s) - inv0[s]) / (fabs(inv0[0]) + fabs(inv0[1]));
        if (d > o->li_drift)
            o->li_drift = d;
        o->fec_share[s] = lmb__lili_fec_share(L, y, s);
        o->dead_layer_m[s] = lmb__lili_dead_layer(L, y, s);
    }
}

lmb_status lmb__lili_study(lmb_ctx *ctx, const lmb_cell *cell, const char *ocv_protocol,
                           const char *protocol, const char *out_dir, lmb__lili_outcome *out) {
    memset(out, 0, sizeof *out);
    out->short_s = NAN;
    lmb_protocol *pocv = NULL, *pcyc = NULL;
    lmb_status st = lmb_protocol_load(ctx, protocol, &pcyc);
    if (st == LMB_OK && ocv_protocol)
        st = lmb_protocol_load(ctx, ocv_protocol, &pocv);
    if (st == LMB_OK)
        st = lmb__lili_study_parsed(ctx, cell, pocv, pcyc, out_dir, out);
    lmb_protocol_free(pocv);
    lmb_protocol_free(pcyc);
    return st;
}

lmb_status lmb__lili_study_parsed(lmb_ctx *ctx, const lmb_cell *cell, const lmb_protocol *pocv,
                                  const lmb_protocol *pcyc, const char *out_dir,
                                  lmb__lili_outcome *out) {
    memset(out, 0, sizeof *out);
    out->short_s = NAN;
    lmb_sim *sim = NULL;
    lmb_summary *sum = NULL, *sum_ocv = NULL;
    lmb_bdf_writer *bdf = NULL;
    lmb_eis_writer *eis = NULL, *eis_cyc = NULL;
    char path[4200];
    double t0 = lmb__now_s();
    lmb_status st = lmb_sim_create(ctx, cell, &lmb__study_options, &sim);
    if (st == LMB_OK)
        st = lmb_summary_create(ctx, &sum);
    if (st == LMB_OK)
        st = lmb_summary_create(ctx, &sum_ocv);
    if (st != LMB_OK)
        goto done;
    lmb_summary_set_area(sum, lmb_sim_area_m2(sim));
    double inv0[2] = {0.0, 0.0};
    {
        const lmb__model *m = lmb__sim_model(sim);
        if (strcmp(m->kind, "li-li") == 0)
            for (int s = 0; s < 2; s++)
                inv0[s] = lmb__lili_li_inventory(lmb__lili_of(m), lmb__sim_y(sim), s);
    }
    lmb_run_result res;
    if (pocv) {
        if (out_dir) {
            snprintf(path, sizeof path, "%s/eis.csv", out_dir);
            if ((st = lmb_eis_writer_open(ctx, path, &eis)) != LMB_OK)
                goto done;
        }
        lmb_run_options ro = {.eis = eis};
        if ((st = lmb_protocol_run(ctx, sim, pocv, &ro, sum_ocv, &res)) != LMB_OK)
            goto done;
        if ((st = ocv_metrics(ctx, sim, pocv, &out->ocv)) != LMB_OK)
            goto done;
        out->has_ocv = 1;
        lmb_sim_series_clear(sim);
    }
    if (!pcyc) { /* the OCV spectrum only */
        lmb_symmetric_metrics_clear(&out->sym);
        out->rsei_spectrum[0] = out->rsei_spectrum[1] = out->rsei_spectrum[2] = NAN;
        diagnostics(sim, inv0, out);
        goto done;
    }
    double t_start = lmb_sim_time(sim);
    if (out_dir) {
        snprintf(path, sizeof path, "%s/timeseries.bdf.csv", out_dir);
        if ((st = lmb_bdf_writer_open(ctx, path, &bdf)) != LMB_OK)
            goto done;
        /* spectra taken during cycling (operando) */
        for (int i = 0; i < lmb_protocol_step_count(pcyc) && !eis_cyc; i++)
            if (lmb_protocol_step_at(pcyc, i)->kind == LMB_PSTEP_EIS) {
                snprintf(path, sizeof path, "%s/%s", out_dir, pocv ? "eis_cycling.csv" : "eis.csv");
                if ((st = lmb_eis_writer_open(ctx, path, &eis_cyc)) != LMB_OK)
                    goto done;
            }
    }
    lmb_run_options ro = {.bdf = bdf, .eis = eis_cyc};
    if ((st = lmb__study_run(ctx, sim, pcyc, &ro, sum, &res, out->error, sizeof out->error)) !=
        LMB_OK)
        goto done;
    out->end = res.end;
    out->t_end_s = res.t_end_s - t_start;
    out->cycles = res.cycles;
    out->ended_at_start = res.ended_at_start;
    if (res.end == LMB_RUN_SHORT)
        out->short_s = out->t_end_s;
    if (lmb_symmetric_metrics_compute(ctx, sum, LMB_SYMMETRIC_RISE_FRACTION, &out->sym) != LMB_OK)
        lmb_symmetric_metrics_clear(&out->sym);
    else {
        out->sym.t_last_s -= t_start;
        out->sym.rise_onset_s -= t_start;
    }
    diagnostics(sim, inv0, out);
    out->spectra = eis_cyc ? lmb_eis_writer_spectra(eis_cyc) : 0;
    out->rsei_spectrum[0] = lmb__eis_writer_r_sei(eis_cyc, 0);
    out->rsei_spectrum[1] = lmb__eis_writer_r_sei(eis_cyc, 4);
    out->rsei_spectrum[2] = lmb__eis_writer_r_sei(eis_cyc, out->spectra - 1);
    st = lmb__study_finish(ctx, sim, sum, out_dir, &out->ida_steps, &out->res_evals);
done:
    if (bdf)
        st = lmb__study_first_error(st, lmb_bdf_writer_close(ctx, bdf));
    if (eis)
        st = lmb__study_first_error(st, lmb_eis_writer_close(ctx, eis));
    if (eis_cyc)
        st = lmb__study_first_error(st, lmb_eis_writer_close(ctx, eis_cyc));
    lmb_summary_free(sum);
    lmb_summary_free(sum_ocv);
    lmb_sim_free(sim);
    out->wall_s = lmb__now_s() - t0;
    return st;
}

lmb_status lmb__licu_study(lmb_ctx *ctx, const lmb_cell *cell, const char *protocol,
                           const char *out_dir, lmb_adams_result *out, double *wall_s) {
    double t0 = lmb__now_s();
    lmb_protocol *proto = NULL;
    lmb_sim *sim = NULL;
    lmb_summary *sum = NULL;
    lmb_bdf_writer *bdf = NULL;
    char path[4200];
    lmb_status st = lmb_protocol_load(ctx, protocol, &proto);
    if (st == LMB_OK)
        st = lmb_sim_create(ctx, cell, &lmb__study_options, &sim);
    if (st == LMB_OK)
        st = lmb_summary_create(ctx, &sum);
    if (st == LMB_OK && out_dir) {
        snprintf(path, sizeof path, "%s/timeseries.bdf.csv", out_dir);
        st = lmb_bdf_writer_open(ctx, path, &bdf);
    }
    if (st == LMB_OK) {
        lmb_summary_set_area(sum, lmb_sim_area_m2(sim));
        lmb_run_options ro = {.bdf = bdf};
        lmb_run_result res;
        st = lmb_protocol_run(ctx, sim, proto, &ro, sum, &res);
    }
    if (st == LMB_OK)
        st = lmb_adams_ce_summary(ctx, sum, LMB_ADAMS_DETECT, out);
    if (st == LMB_OK && out_dir) {
        snprintf(path, sizeof path, "%s/cycles.csv", out_dir);
        st = lmb_summary_write_csv(ctx, sum, path);
    }
    if (bdf)
        st = lmb__study_first_error(st, lmb_bdf_writer_close(ctx, bdf));
    lmb_summary_free(sum);
    lmb_sim_free(sim);
    lmb_protocol_free(proto);
    if (wall_s)
        *wall_s = lmb__now_s() - t0;
    return st;
}
