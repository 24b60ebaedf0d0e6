/*
 * engine.c - the cycler engine: runs a parsed protocol on a simulation (lmb/run.h).
 *
 * The protocol is a flat array in which a Repeat entry is followed by its body; the engine walks
 * it recursively (the parser bounds the nesting depth). Each current, hold or rest line becomes
 * one lmb_step whose limits are the line's conditions resolved against the cell: areal values
 * times the area, C-rates times the nominal capacity. After every step the record is streamed to
 * the Battery Data Format writer and cleared, so memory does not grow with the number of cycles.
 */
#include "lmb/run.h"

#include "core/ctx_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Most steps one run may expand to: 5e7 steps are ~25 million cycles, decades of testing. */
#define LMB_RUN_MAX_STEPS 5e7

typedef struct engine {
    lmb_ctx *ctx;
    lmb_sim *sim;
    const lmb_protocol *p;
    const lmb_run_options *opt;
    lmb_summary *summary;
    lmb_run_result *res;
    double area_m2; /* [m2] */
    double q_nom_C; /* [C] nominal capacity (0 = none) */
    int explicit_cycles;
    int pending_cycle; /* a "New cycle" line was seen */
    int last_sign;     /* direction of the last current step: +1 charging, -1 discharging */
    int stop;          /* the run ended (total time, short, failure) */
} engine;

const char *lmb_run_end_name(lmb_run_end e) {
    switch (e) {
    case LMB_RUN_COMPLETED:
        return "completed";
    case LMB_RUN_TOTAL_TIME:
        return "total time reached";
    case LMB_RUN_SHORT:
        return "short circuit";
    case LMB_RUN_FAILED:
        return "solver failure";
    }
    return "?";
}

/* A current [A] from a value in the unit kind the user wrote. */
static lmb_status resolve_current(engine *e, const lmb_protocol_step *s, double v, lmb_qty_kind q,
                                  const char *what, double *out) {
    switch (q) {
    case LMB_QTY_ABSOLUTE:
        *out = v;
        return LMB_OK;
    case LMB_QTY_AREAL:
        *out = v * e->area_m2;
        return LMB_OK;
    case LMB_QTY_CRATE:
        if (!(e->q_nom_C > 0.0))
            LMB__FAIL(e->ctx, LMB_EINVAL,
                      "%s:%d: the %s is a C-rate, but the cell has no nominal capacity (set "
                      "nominal_capacity_mAh_cm2 in the cell file or --nominal-capacity)",
                      lmb_protocol_origin(e->p), s->line, what);
        *out = v * e->q_nom_C / 3600.0;
        return LMB_OK;
    }
    LMB__FAIL(e->ctx, LMB_EINVAL, "%s:%d: unknown quantity kind", lmb_protocol_origin(e->p),
              s->line);
}

static int step_sign(lmb_pstep_kind k) {
    return (k == LMB_PSTEP_CHARGE || k == LMB_PSTEP_STRIP)      ? 1
           : (k == LMB_PSTEP_DISCHARGE || k == LMB_PSTEP_PLATE) ? -1
                                                                : 0;
}

/* Builds the lmb_step of one protocol line. */
static lmb_status build_step(engine *e, const lmb_protocol_step *s, lmb_step *out) {
    lmb_step st = lmb_step_init();
    lmb_status rc = LMB_OK;
    int sign = step_sign(s->kind);
    if (sign != 0) {
        double I = 0.0;
        rc = resolve_current(e, s, s->current, s->current_qty, "current", &I);
        if (rc != LMB_OK)
            return rc;
        st.control = LMB_CONTROL_CURRENT;
        st.value = sign * I;
    } else if (s->kind == LMB_PSTEP_HOLD) {
        st.control = LMB_CONTROL_VOLTAGE;
        st.value = s->voltage;
    } else {
        st.control = LMB_CONTROL_REST;
    }
    double v_now = lmb_sim_voltage(e->sim);
    for (int k = 0; k < s->n_conditions; k++) {
        const lmb_condition *c = &s->conditions[k];
        double x = 0.0;
        switch (c->kind) {
        case LMB_COND_STEP_TIME:
            st.duration_s = st.duration_s > 0.0 ? fmin(st.duration_s, c->value) : c->value;
            break;
        case LMB_COND_CAPACITY:
            x = c->qty == LMB_QTY_AREAL ? c->value * e->area_m2 : c->value;
            st.capacity_C = st.capacity_C > 0.0 ? fmin(st.capacity_C, x) : x;
            break;
        case LMB_COND_VOLTAGE: {
            int upper = sign != 0 ? sign > 0 : c->value > v_now;
            if (upper) {
                st.v_max = st.use_v_max ? fmin(st.v_max, c->value) : c->value;
                st.use_v_max = 1;
            } else {
                st.v_min = st.use_v_min ? fmax(st.v_min, c->value) : c->value;
                st.use_v_min = 1;
            }
            break;
        }
        case LMB_COND_CURRENT:
            rc = resolve_current(e, s, c->value, c->qty, "current limit", &x);
            if (rc != LMB_OK)
                return rc;
            st.i_min_A = fmax(st.i_min_A, x);
            break;
        case LMB_COND_TOTAL_TIME:
            st.total_time_s = st.total_time_s > 0.0 ? fmin(st.total_time_s, c->value) : c->value;
            break;
        case LMB_COND_SHORT:
            st.until_short = 1;
            break;
        }
    }
    /* cycle counting */
    if (e->explicit_cycles) {
        st.new_cycle = e->pending_cycle;
        e->pending_cycle = 0;
    } else {
        st.new_cycle = (s->kind == LMB_PSTEP_CHARGE && e->last_sign < 0) ||
                       (s->kind == LMB_PSTEP_PLATE && e->last_sign > 0);
    }
    if (sign != 0)
        e->last_sign = sign;
    *out = st;
    return LMB_OK;
}

/* Streams and summarises what the last step recorded. */
static lmb_status flush_step(engine *e, const lmb_step_result *r) {
    lmb_status rc = LMB_OK;
    if (e->summary)
        rc = lmb_summary_add(e->ctx, e->summary, lmb_sim_cycle_count(e->sim), r->charge_C,
                             r->energy_J, r->v_end, r->t_end_s);
    if (rc == LMB_OK && e->opt && e->opt->bdf) {
        lmb_series s;
        lmb_sim_series(e->sim, &s);
        rc = lmb_bdf_writer_append(e->ctx, e->opt->bdf, &s);
        lmb_sim_series_clear(e->sim);
    }
    return rc;
}

/* Marks the run as failed at protocol line s: the context's message gets "ORIGIN:LINE: ". */
static void run_failed(engine *e, const lmb_protocol_step *s) {
    char line[64];
    snprintf(line, sizeof line, "%s:%d", lmb_protocol_origin(e->p), s->line);
    lmb__ctx_prefix_error(e->ctx, line);
    e->res->end = LMB_RUN_FAILED;
    e->res->fail_line = s->line;
    e->stop = 1;
}

/*
 * An EIS step: the spectrum of the linearised cell at the present state and current (at rest the
 * OCV spectrum, after a current step the quasi-stationary operando one), at points_per_decade
 * log-spaced frequencies from f_start to f_end inclusive. The state is not changed; the
 * amplitude does not enter a linear spectrum.
 */
static lmb_status run_eis(engine *e, const lmb_protocol_step *s) {
    double decades = fabs(log10(s->f_end_Hz / s->f_start_Hz));
    size_t n = (size_t)ceil(decades * s->points_per_decade - 1e-9) + 1;
    double *buf = malloc(3 * n * sizeof(double));
    if (!buf) {
        e->stop = 1;
        LMB__FAIL(e->ctx, LMB_ENOMEM, "%s:%d: out of memory for %zu frequencies",
                  lmb_protocol_origin(e->p), s->line, n);
    }
    double *f = buf, *zr = buf + n, *zi = buf + 2 * n;
    double ratio = s->f_end_Hz / s->f_start_Hz;
    for (size_t k = 0; k < n; k++)
        f[k] = n == 1 ? s->f_start_Hz : s->f_start_Hz * pow(ratio, (double)k / (double)(n - 1));
    lmb_status rc = lmb_sim_impedance(e->ctx, e->sim, f, n, zr, zi);
    if (rc == LMB_OK && e->opt && e->opt->eis)
        rc = lmb_eis_writer_append(e->ctx, e->opt->eis, lmb_sim_cycle_count(e->sim),
                                   lmb_sim_step_count(e->sim), lmb_sim_time(e->sim), n, f, zr, zi);
    free(buf);
    if (rc != LMB_OK) {
        run_failed(e, s);
        return rc;
    }
    e->res->spectra++;
    return LMB_OK;
}

static lmb_status run_line(engine *e, const lmb_protocol_step *s) {
    if (s->kind == LMB_PSTEP_NEW_CYCLE) {
        e->pending_cycle = 1;
        return LMB_OK;
    }
    if (s->kind == LMB_PSTEP_EIS)
        return run_eis(e, s);
    lmb_step st;
    lmb_status rc = build_step(e, s, &st);
    if (rc != LMB_OK) {
        e->stop = 1;
        return rc;
    }
    lmb_step_result r;
    int before = lmb_sim_step_count(e->sim);
    rc = lmb_sim_run_step(e->ctx, e->sim, &st, &r);
    e->res->steps += lmb_sim_step_count(e->sim) - before; /* a step past the total time does
                                                              not run */
    if (rc != LMB_OK) {
        run_failed(e, s);
        /* keep what was simulated up to the failure; the failure's message stays in ctx */
        lmb_ctx *tmp = NULL;
        if (lmb_ctx_create(&tmp) == LMB_OK) {
            lmb_ctx *own = e->ctx;
            e->ctx = tmp;
            r.t_end_s = lmb_sim_time(e->sim);
            flush_step(e, &r);
            e->ctx = own;
        }
        lmb_ctx_free(tmp);
        return rc;
    }
    if (r.t_end_s == r.t_start_s && r.reason != LMB_END_TOTAL_TIME)
        e->res->ended_at_start++;
    rc = flush_step(e, &r);
    if (rc != LMB_OK) {
        e->stop = 1;
        return rc;
    }
    if (r.reason == LMB_END_TOTAL_TIME || r.reason == LMB_END_SHORT) {
        e->res->end = r.reason == LMB_END_SHORT ? LMB_RUN_SHORT : LMB_RUN_TOTAL_TIME;
        e->stop = 1;
    }
    if (e->opt && e->opt->progress)
        e->opt->progress(e->opt->progress_user, e->sim, e->res->steps);
    return LMB_OK;
}

/*
 * Checks the whole protocol before anything runs: C-rates need a nominal capacity, and the
 * expanded number of steps (repeats multiplied out) must stay below LMB_RUN_MAX_STEPS, so that
 * a protocol cannot loop for ever over lines that simulate nothing. Returns the expanded count
 * of entries in [first, first + count) through *n (saturating).
 */
static lmb_status check_range(engine *e, int first, int count, double *n) {
    *n = 0.0;
    for (int i = first; i < first + count; i++) {
        const lmb_protocol_step *s = lmb_protocol_step_at(e->p, i);
        if (s->kind == LMB_PSTEP_REPEAT) {
            double body = 0.0;
            lmb_status rc = check_range(e, i + 1, s->body_len, &body);
            if (rc != LMB_OK)
                return rc;
            *n += (double)s->count * body;
            i += s->body_len;
            continue;
        }
        *n += 1.0;
        int crate = step_sign(s->kind) != 0 && s->current_qty == LMB_QTY_CRATE;
        int col = 0;
        for (int k = 0; k < s->n_conditions; k++)
            if (s->conditions[k].kind == LMB_COND_CURRENT &&
                s->conditions[k].qty == LMB_QTY_CRATE) {
                crate = 1;
                col = s->conditions[k].column;
            }
        if (crate && !(e->q_nom_C > 0.0)) {
            char where[32] = "";
            if (col > 0)
                snprintf(where, sizeof where, ":%d", col);
            LMB__FAIL(e->ctx, LMB_EINVAL,
                      "%s:%d%s: a C-rate needs the cell's nominal capacity: set "
                      "nominal_capacity_mAh_cm2 in the cell file or --nominal-capacity",
                      lmb_protocol_origin(e->p), s->line, where);
        }
    }
    return LMB_OK;
}

static lmb_status run_range(engine *e, int first, int count) {
    for (int i = first; i < first + count && !e->stop; i++) {
        const lmb_protocol_step *s = lmb_protocol_step_at(e->p, i);
        if (s->kind == LMB_PSTEP_REPEAT) {
            for (long k = 0; k < s->count && !e->stop; k++) {
                lmb_status rc = run_range(e, i + 1, s->body_len);
                if (rc != LMB_OK)
                    return rc;
            }
            i += s->body_len;
            continue;
        }
        lmb_status rc = run_line(e, s);
        if (rc != LMB_OK)
            return rc;
    }
    return LMB_OK;
}

lmb_status lmb_protocol_run(lmb_ctx *ctx, lmb_sim *sim, const lmb_protocol *protocol,
                            const lmb_run_options *opt, lmb_summary *summary,
                            lmb_run_result *result) {
    lmb_run_result res;
    memset(&res, 0, sizeof res);
    engine e = {.ctx = ctx, .sim = sim, .p = protocol, .opt = opt, .summary = summary, .res = &res};
    e.area_m2 = lmb_sim_area_m2(sim);
    /* a run continuing an earlier one counts cycles on from the direction it left off */
    double I_now = lmb_sim_current(sim);
    e.last_sign = I_now > 0.0 ? 1 : I_now < 0.0 ? -1 : 0;
    e.q_nom_C = opt && opt->nominal_capacity_C > 0.0 ? opt->nominal_capacity_C
                                                     : lmb_sim_nominal_capacity_C(sim);
    for (int i = 0; i < lmb_protocol_step_count(protocol); i++)
        if (lmb_protocol_step_at(protocol, i)->kind == LMB_PSTEP_NEW_CYCLE)
            e.explicit_cycles = 1;
    double expanded = 0.0;
    lmb_status rc = check_range(&e, 0, lmb_protocol_step_count(protocol), &expanded);
    if (rc == LMB_OK && expanded > LMB_RUN_MAX_STEPS)
        rc = lmb__ctx_fail(ctx, LMB_ERANGE,
                           "%s: the protocol expands to %.3g steps (repeats multiplied out); at "
                           "most %.0e can be run",
                           lmb_protocol_origin(protocol), expanded, (double)LMB_RUN_MAX_STEPS);
    if (rc == LMB_OK)
        rc = run_range(&e, 0, lmb_protocol_step_count(protocol));
    res.cycles = lmb_sim_cycle_count(sim);
    res.t_end_s = lmb_sim_time(sim);
    if (rc != LMB_OK && res.end == LMB_RUN_COMPLETED)
        res.end = LMB_RUN_FAILED;
    if (result)
        *result = res;
    return rc;
}
