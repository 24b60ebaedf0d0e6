/*
 * point.c - one point of a sweep: the base cell with the point's values, the protocol with its
 * placeholders filled, a fresh simulation, and the point's metrics (lmb/sweep.h).
 *
 * Metrics, from the per-cycle summary (lmb/summary.h), the same for every cell type:
 *   cycles            cycles with both half cycles
 *   short             the model's short flag ending the run (the run's end time and last
 *                     cycle), else the first cycle whose overpotential collapsed below half its
 *                     running minimum (lmb/symmetric.h; symmetric cells only)
 *   retention         the returned capacity of a cycle over that of the first complete cycle
 *                     (lmb_summary_retention); life ends by capacity at the first complete
 *                     cycle below the sweep's threshold
 *   cycle_life        the cycle of the earlier of the two ends (0: neither happened, the
 *                     life is censored at `cycles`)
 *   eta_*             symmetric cells: overpotential of cycle 1, mean over the complete cycles
 *                     before the end of life, last complete cycle (lmb_cycle_overpotential)
 *   ce_mean, ce_last  coulombic efficiency over the complete cycles before the end of life, and
 *                     of the last complete cycle
 *   capacity_*        returned capacity of the first and last complete cycle per area
 * A point is computed from nothing but the sweep and its number: a fresh copy of the base cell,
 * a fresh simulation, so it does not matter which worker runs it.
 */
#define _POSIX_C_SOURCE 200809L
#include "sweep/sweep_internal.h"

#include "core/clock.h"
#include "core/ctx_internal.h"
#include "model/cell_internal.h"
#include "study/study_internal.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct lmb_sweep_worker {
    lmb_ctx *ctx; /* the worker's own: messages of its points */
    const lmb_sweep *sw;
    lmb_protocol *fixed; /* the parsed protocol when it has no swept placeholder */
};

lmb_status lmb_sweep_worker_create(lmb_ctx *ctx, const lmb_sweep *sw, lmb_sweep_worker **out) {
    if (out)
        *out = NULL;
    if (!sw || !out)
        LMB__FAIL(ctx, LMB_EINVAL, "lmb_sweep_worker_create: NULL argument");
    lmb_sweep_worker *w = calloc(1, sizeof *w);
    if (!w)
        LMB__FAIL(ctx, LMB_ENOMEM, "out of memory");
    w->sw = sw;
    lmb_status st = lmb_ctx_create(&w->ctx);
    int swept = 0;
    for (int j = 0; j < sw->n_params; j++)
        swept |= sw->params[j].is_protocol;
    if (st == LMB_OK && !swept) {
        char *text = lmb__sweep_protocol_text(ctx, sw, -1);
        st = text ? lmb_protocol_parse(ctx, text, sw->protocol_name, &w->fixed)
                  : lmb_ctx_errcode(ctx);
        free(text);
    }
    if (st != LMB_OK) {
        lmb_sweep_worker_free(w);
        return st == LMB_ENOMEM ? lmb__ctx_fail(ctx, st, "out of memory") : st;
    }
    *out = w;
    return LMB_OK;
}

void lmb_sweep_worker_free(lmb_sweep_worker *w) {
    if (!w)
        return;
    lmb_protocol_free(w->fixed);
    lmb_ctx_free(w->ctx);
    free(w);
}

const char *lmb_sweep_worker_errmsg(const lmb_sweep_worker *w) {
    return w ? lmb_ctx_errmsg(w->ctx) : "";
}

static void clear_result(lmb_sweep_result *r, long i) {
    memset(r, 0, sizeof *r);
    r->point = i;
    r->test_time_s = r->life_s = r->short_s = r->rise_onset_s = NAN;
    r->eta_initial_V = r->eta_mean_V = r->eta_last_V = NAN;
    r->ce_mean = r->ce_last = r->retention_last = NAN;
    r->capacity_first_C_m2 = r->capacity_last_C_m2 = NAN;
}

static int complete(const lmb_cycle_row *c) {
    return c->charge_C > 0.0 && c->discharge_C > 0.0;
}

/* The metrics of the summary (the header's definitions); area [m2]. */
static void metrics(lmb_ctx *ctx, const lmb_sweep *sw, const lmb_summary *sum, int symmetric,
                    const lmb_run_result *res, double area, lmb_sweep_result *r) {
    size_t n = lmb_summary_cycle_count(sum);
    r->end = res->end;
    r->test_time_s = res->t_end_s;
    lmb_symmetric_metrics sym;
    lmb_symmetric_metrics_clear(&sym);
    if (symmetric &&
        lmb_symmetric_metrics_compute(ctx, sum, LMB_SYMMETRIC_RISE_FRACTION, &sym) != LMB_OK)
        lmb_symmetric_metrics_clear(&sym);
    if (res->end == LMB_RUN_SHORT) {
        r->short_s = res->t_end_s;
        r->short_cycle = res->cycles;
    } else if (sym.short_cycle > 0) {
        r->short_s = sym.short_s;
        r->short_cycle = sym.short_cycle;
    }
    r->rise_onset_s = sym.rise_onset_s;
    r->eta_initial_V = sym.eta_initial_V;
    r->eta_last_V = sym.eta_last_V;
    /* the end of life by capacity: the first complete cycle below the threshold */
    int ret_cycle = 0;
    double ret_time = NAN;
    for (size_t k = 0; k < n && sw->retention_threshold > 0.0; k++) {
        const lmb_cycle_row *c = lmb_summary_cycle(sum, k);
        double q = lmb_summary_retention(sum, k);
        if (complete(c) && isfinite(q) && q < sw->retention_threshold) {
            ret_cycle = c->cycle;
            ret_time = c->time_end_s;
            break;
        }
    }
    if (r->short_cycle > 0 && (ret_cycle == 0 || r->short_cycle <= ret_cycle)) {
        r->cycle_life = r->short_cycle;
        r->life_end = LMB_SWEEP_LIFE_SHORT;
        r->life_s = r->short_s;
    } else if (ret_cycle > 0) {
        r->cycle_life = ret_cycle;
        r->life_end = LMB_SWEEP_LIFE_RETENTION;
        r->life_s = ret_time;
    }
    double eta_sum = 0.0, ce_sum = 0.0;
    int eta_n = 0, ce_n = 0;
    const lmb_cycle_row *first = NULL, *last = NULL;
    size_t last_k = 0;
    for (size_t k = 0; k < n; k++) {
        const lmb_cycle_row *c = lmb_summary_cycle(sum, k);
        if (!complete(c))
            continue;
        r->cycles++;
        if (!first)
            first = c;
        last = c;
        last_k = k;
        if (r->cycle_life > 0 && c->cycle >= r->cycle_life)
            continue;
        double ce = lmb_cycle_coulombic_efficiency(c);
        if (isfinite(ce))
            ce_sum += ce, ce_n++;
        double eta = symmetric ? lmb_cycle_overpotential(c) : NAN;
        if (isfinite(eta))
            eta_sum += eta, eta_n++;
    }
    if (eta_n > 0)
        r->eta_mean_V = eta_sum / eta_n;
    if (ce_n > 0)
        r->ce_mean = ce_sum / ce_n;
    if (last) {
        r->ce_last = lmb_cycle_coulombic_efficiency(last);
        r->retention_last = lmb_summary_retention(sum, last_k);
        if (area > 0.0) {
            r->capacity_first_C_m2 = lmb_cycle_returned_capacity(first) / area;
            r->capacity_last_C_m2 = lmb_cycle_returned_capacity(last) / area;
        }
    }
}

static void set_error(lmb_sweep_result *r, int status, const char *msg) {
    r->status = status;
    snprintf(r->error, sizeof r->error, "%s", msg && msg[0] ? msg : "unknown error");
}

lmb_status lmb_sweep_worker_run(lmb_sweep_worker *w, long i, const char *series_dir,
                                lmb_sweep_result *out) {
    if (!w || !out)
        return LMB_EINVAL;
    lmb_ctx *ctx = w->ctx;
    const lmb_sweep *sw = w->sw;
    clear_result(out, i);
    if (i < 0 || i >= sw->n_points)
        LMB__FAIL(ctx, LMB_EINVAL, "point %ld outside the sweep's 0..%ld", i, sw->n_points - 1);
    double t0 = lmb__now_s();
    lmb_cell *cell = NULL;
    lmb_protocol *own = NULL;
    lmb_sim *sim = NULL;
    lmb_summary *sum = NULL;
    lmb_bdf_writer *bdf = NULL;
    lmb_status fatal = LMB_OK; /* what the caller must hear: memory, output */
    lmb_status st = lmb_cell_copy(ctx, sw->base, &cell);
    if (st != LMB_OK) {
        fatal = st;
        goto done;
    }
    /* the point's cell: an error here is the point's, not the sweep's */
    for (int j = 0; j < sw->n_params; j++) {
        const lmb__sweep_param *p = &sw->params[j];
        if (!p->is_protocol &&
            lmb_cell_set(ctx, cell, p->name, lmb_sweep_value(sw, i, j)) != LMB_OK) {
            set_error(out, LMB_SWEEP_POINT_INVALID, lmb_ctx_errmsg(ctx));
            goto done;
        }
    }
    const lmb_protocol *proto = w->fixed;
    if (!proto) {
        char *text = lmb__sweep_protocol_text(ctx, sw, i);
        st = text ? lmb_protocol_parse(ctx, text, sw->protocol_name, &own) : lmb_ctx_errcode(ctx);
        free(text);
        if (st != LMB_OK) {
            set_error(out, LMB_SWEEP_POINT_INVALID, lmb_ctx_errmsg(ctx));
            goto done;
        }
        proto = own;
    }
    lmb_sim_options so = {.sparse = sw->sparse};
    if ((st = lmb_sim_create(ctx, cell, &so, &sim)) != LMB_OK) {
        if (st == LMB_ENOMEM)
            fatal = st;
        set_error(out, LMB_SWEEP_POINT_INVALID, lmb_ctx_errmsg(ctx));
        goto done;
    }
    if ((st = lmb_summary_create(ctx, &sum)) != LMB_OK) {
        fatal = st;
        goto done;
    }
    double area = lmb_sim_area_m2(sim);
    lmb_summary_set_area(sum, area);
    lmb_summary_set_nominal_capacity(sum, lmb_sim_nominal_capacity_C(sim));
    char path[4200];
    if (series_dir) {
        if (mkdir(series_dir, 0777) != 0 && errno != EEXIST) {
            fatal = lmb__ctx_fail(ctx, LMB_EIO, "%s: cannot create directory: %s", series_dir,
                                  strerror(errno));
            goto done;
        }
        snprintf(path, sizeof path, "%s/timeseries.bdf.csv", series_dir);
        if ((st = lmb_bdf_writer_open(ctx, path, &bdf)) != LMB_OK) {
            fatal = st;
            goto done;
        }
    }
    lmb_run_options ro = {.bdf = bdf};
    lmb_run_result res;
    memset(&res, 0, sizeof res);
    st = lmb_protocol_run(ctx, sim, proto, &ro, sum, &res);
    if (st == LMB_ESOLVER) {
        set_error(out, LMB_SWEEP_POINT_FAILED, lmb_ctx_errmsg(ctx));
        res.end = LMB_RUN_FAILED;
        res.t_end_s = lmb_sim_time(sim);
        res.cycles = lmb_sim_cycle_count(sim);
    } else if (st == LMB_ENOMEM || st == LMB_EIO) {
        fatal = st;
        goto done;
    } else if (st != LMB_OK) {
        set_error(out, LMB_SWEEP_POINT_INVALID, lmb_ctx_errmsg(ctx));
        goto done;
    }
    metrics(ctx, sw, sum, lmb__cell_params(cell)->type == LMB_CELL_LI_LI, &res, area, out);
    /* solver counts, and cycles.csv beside the time series (the study's runs finish alike) */
    fatal = lmb__study_finish(ctx, sim, sum, series_dir, &out->ida_steps, &out->res_evals);
done:
    if (bdf) {
        lmb_status cst = lmb_bdf_writer_close(ctx, bdf);
        if (fatal == LMB_OK && cst != LMB_OK)
            fatal = cst;
    }
    lmb_summary_free(sum);
    lmb_sim_free(sim);
    lmb_protocol_free(own);
    lmb_cell_free(cell);
    out->wall_s = lmb__now_s() - t0;
    return fatal;
}
