/*
 * analyze.c - steps, half cycles, cycles and spectra of a measured record (lmb/analyze.h).
 *
 * One pass over the rows. A step is integrated as it goes (trapezoids of I and V I over time);
 * when it closes it is handed to the half-cycle bookkeeping and to the per-cycle summary, the
 * same lmb_summary_add the protocol engine calls for a simulated step.
 */
#include "lmb/analyze.h"

#include "core/ctx_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct lmb_analysis {
    lmb_summary *sum;
    lmb_half_cycle *hc;
    double *half_q;
    size_t n_hc, cap_hc;
    lmb_record_spectrum *sp;
    size_t n_sp, cap_sp;
    size_t steps;
    size_t counted;              /* steps whose charge is the instrument's counter */
    double q_int_sum, q_cnt_sum; /* over those steps: sum of |integral|, of |counter| [C] */
    double rest_A;
    int dir, symmetric;
};

/* A step being integrated. */
typedef struct open_step {
    int open, sign;
    double step_index; /* the instrument's, NaN if none */
    long row_before;   /* the time-series row before the step (across spectra), -1 if none */
    size_t row_first, row_last;
    double t_start, t_end, q, e, v_end;
} open_step;

/* What the pass carries between steps. */
typedef struct pass {
    lmb_ctx *ctx;
    lmb_analysis *a;
    int cycle_start;          /* the option */
    int cycle;                /* the current cycle, 0 before the first half cycle */
    const double *counter[2]; /* the instrument's discharge and charge capacity, or NULL */
} pass;

static int grow(void **p, size_t *cap, size_t n, size_t size) {
    if (n < *cap)
        return 0;
    size_t c = *cap ? 2 * *cap : 64;
    void *q = realloc(*p, c * size);
    if (!q)
        return -1;
    *p = q;
    *cap = c;
    return 0;
}

/*
 * The increase of an instrument's capacity counter c over rows first..last of a step, NaN if
 * unknown. Counters restart at a step, a half cycle or a cycle, or run on, depending on the
 * instrument: the step's first value below the value before the step is a restart (from 0);
 * otherwise the counter ran on from the value before it.
 */
static double counter_increase(const double *c, long before, size_t first, size_t last) {
    if (!c || !isfinite(c[first]) || !isfinite(c[last]) || c[last] < c[first])
        return NAN;
    double base = 0.0;
    if (before >= 0 && isfinite(c[before]) && c[first] >= c[before])
        base = c[before];
    return c[last] - base;
}

/* Hands a finished step to the half cycles and the summary. */
static lmb_status close_step(pass *p, open_step *s) {
    lmb_analysis *a = p->a;
    if (!s->open)
        return LMB_OK;
    double qc = s->sign ? counter_increase(p->counter[s->sign > 0], s->row_before, s->row_first,
                                           s->row_last)
                        : NAN;
    if (isfinite(qc) && qc > 0.0) {
        /* the instrument's counter: its charge, the integral's charge-weighted voltage */
        a->counted++;
        a->q_int_sum += fabs(s->q);
        a->q_cnt_sum += qc;
        s->e = s->q != 0.0 ? s->e * (s->sign * qc) / s->q : 0.0;
        s->q = s->sign * qc;
    }
    s->open = 0;
    a->steps++;
    if (s->sign == 0 && p->cycle == 0) { /* a rest before the first half cycle: no cycle yet */
        lmb_summary_set_start_time(a->sum, s->t_end);
        return LMB_OK;
    }
    if (s->sign == 0) /* a rest: no charge, time only */
        return lmb_summary_add(p->ctx, a->sum, p->cycle, 0.0, 0.0, s->v_end, s->t_end);
    lmb_half_cycle *h = a->n_hc ? &a->hc[a->n_hc - 1] : NULL;
    if (!h || h->sign != s->sign) {
        if (a->dir == 0) {
            a->dir = p->cycle_start ? p->cycle_start : s->sign;
            p->cycle = 1;
        } else if (s->sign == a->dir) {
            p->cycle++;
        }
        if (grow((void **)&a->hc, &a->cap_hc, a->n_hc, sizeof *a->hc) != 0)
            LMB__FAIL(p->ctx, LMB_ENOMEM, "out of memory for %zu half cycles", a->n_hc + 1);
        h = &a->hc[a->n_hc++];
        *h = (lmb_half_cycle){
            .cycle = p->cycle, .sign = s->sign, .row_first = s->row_first, .t_start_s = s->t_start};
    }
    h->row_last = s->row_last;
    h->t_end_s = s->t_end;
    h->charge_C += s->q;
    h->energy_J += s->e;
    h->v_end_V = s->v_end;
    h->mean_abs_V = h->charge_C != 0.0 ? fabs(h->energy_J / h->charge_C) : NAN;
    return lmb_summary_add(p->ctx, a->sum, p->cycle, s->q, s->e, s->v_end, s->t_end);
}

static lmb_status add_spectrum_row(pass *p, size_t i, const double *t, int continues) {
    lmb_analysis *a = p->a;
    if (continues && a->n_sp > 0) {
        a->sp[a->n_sp - 1].n++;
        return LMB_OK;
    }
    if (grow((void **)&a->sp, &a->cap_sp, a->n_sp, sizeof *a->sp) != 0)
        LMB__FAIL(p->ctx, LMB_ENOMEM, "out of memory for %zu spectra", a->n_sp + 1);
    a->sp[a->n_sp++] = (lmb_record_spectrum){.row_first = i,
                                             .n = 1,
                                             .cycle = p->cycle,
                                             .step = (int)a->steps,
                                             .t_s = t && isfinite(t[i]) ? t[i] : NAN};
    return LMB_OK;
}

/* The largest |I| of the time-series rows. */
static double largest_current(const lmb_record *r) {
    const double *t = lmb_record_column(r, LMB_REC_TIME),
                 *V = lmb_record_column(r, LMB_REC_VOLTAGE),
                 *I = lmb_record_column(r, LMB_REC_CURRENT),
                 *f = lmb_record_column(r, LMB_REC_FREQUENCY);
    double m = 0.0;
    for (size_t i = 0; t && V && I && i < lmb_record_rows(r); i++)
        if (!(f && f[i] > 0.0) && isfinite(t[i]) && isfinite(V[i]) && isfinite(I[i]))
            m = fmax(m, fabs(I[i]));
    return m;
}

static lmb_status run_pass(pass *p, const lmb_record *r) {
    lmb_analysis *a = p->a;
    const double *t = lmb_record_column(r, LMB_REC_TIME),
                 *V = lmb_record_column(r, LMB_REC_VOLTAGE),
                 *I = lmb_record_column(r, LMB_REC_CURRENT),
                 *ns = lmb_record_column(r, LMB_REC_STEP_INDEX),
                 *f = lmb_record_column(r, LMB_REC_FREQUENCY),
                 *cyc = lmb_record_column(r, LMB_REC_CYCLE_INDEX);
    const int series = t && V && I;
    int sweep = 0; /* direction of the frequency sweep of the open spectrum: +1 up, -1 down */
    open_step s = {0};
    long prev = -1; /* the last time-series row of the open step, or of the step before */
    long last = -1; /* the last time-series row, also across spectra and restarts of time */
    int in_spectrum = 0, started = 0;
    lmb_status st = LMB_OK;
    for (size_t i = 0; i < lmb_record_rows(r) && st == LMB_OK; i++) {
        if (f && f[i] > 0.0 && isfinite(f[i])) {
            /* a spectrum goes on while the rows follow each other, the instrument's cycle
             * index stays and the frequency keeps the direction of its sweep */
            int continues = in_spectrum;
            if (continues && cyc)
                continues = cyc[i] == cyc[i - 1] || (isnan(cyc[i]) && isnan(cyc[i - 1]));
            int dir = continues ? (f[i] > f[i - 1]) - (f[i] < f[i - 1]) : 0;
            if (continues && sweep != 0 && dir != 0 && dir != sweep)
                continues = 0;
            sweep = continues ? (sweep ? sweep : dir) : 0;
            st = close_step(p, &s);
            if (st == LMB_OK)
                st = add_spectrum_row(p, i, t, continues);
            in_spectrum = 1;
            prev = -1; /* no integration across an impedance measurement */
            continue;
        }
        in_spectrum = 0;
        if (!series || !isfinite(t[i]) || !isfinite(V[i]) || !isfinite(I[i]))
            continue;
        if (!started) {
            lmb_summary_set_start_time(a->sum, t[i]);
            started = 1;
        }
        int sign = I[i] > a->rest_A ? 1 : I[i] < -a->rest_A ? -1 : 0;
        double step_index = ns ? ns[i] : NAN;
        double dt = prev >= 0 ? t[i] - t[prev] : 0.0;
        int same_index = isnan(step_index) ? isnan(s.step_index) : step_index == s.step_index;
        if (!s.open || sign != s.sign || !same_index || dt < 0.0) {
            /* time that runs backwards is another record appended: no integration across */
            int reset = dt < 0.0;
            if (reset)
                dt = 0.0;
            /* the gap between the last row of the step before and this one is split at its
             * midpoint, each half at its own step's current */
            double t_mid = prev >= 0 && !reset ? t[prev] + 0.5 * dt : t[i];
            if (s.open && !reset && prev >= 0) {
                if (s.sign != 0) {
                    s.q += 0.5 * I[prev] * dt;
                    s.e += 0.5 * V[prev] * I[prev] * dt;
                }
                s.t_end = t_mid;
            }
            st = close_step(p, &s);
            if (st != LMB_OK)
                break;
            if (reset) {
                prev = -1;
                lmb_summary_set_start_time(a->sum, t[i]);
            }
            s = (open_step){.open = 1,
                            .sign = sign,
                            .step_index = step_index,
                            .row_before = last,
                            .row_first = i,
                            .t_start = t_mid};
            s.q = sign ? 0.5 * I[i] * dt : 0.0;
            s.e = sign ? 0.5 * V[i] * I[i] * dt : 0.0;
        } else if (sign != 0) {
            s.q += 0.5 * (I[i] + I[prev]) * dt;
            s.e += 0.5 * (V[i] * I[i] + V[prev] * I[prev]) * dt;
        }
        s.row_last = i;
        s.t_end = t[i];
        s.v_end = V[i];
        prev = last = (long)i;
    }
    if (st == LMB_OK)
        st = close_step(p, &s);
    return st;
}

lmb_status lmb_record_analyze(lmb_ctx *ctx, const lmb_record *r, const lmb_analyze_options *opt,
                              lmb_analysis **out) {
    if (!out)
        LMB__FAIL(ctx, LMB_EINVAL, "lmb_record_analyze: out is NULL");
    *out = NULL;
    if (!r)
        LMB__FAIL(ctx, LMB_EINVAL, "lmb_record_analyze: record is NULL");
    lmb_analyze_options o = opt ? *opt : (lmb_analyze_options){0};
    if (o.cycle_start < -1 || o.cycle_start > 1)
        LMB__FAIL(ctx, LMB_EINVAL, "analysis of %.400s: the cycle direction must be -1, 0 or +1",
                  lmb_record_path(r));
    lmb_analysis *a = calloc(1, sizeof *a);
    if (!a)
        LMB__FAIL(ctx, LMB_ENOMEM, "out of memory analysing %.400s", lmb_record_path(r));
    lmb_status st = lmb_summary_create(ctx, &a->sum);
    if (st != LMB_OK) {
        free(a);
        return st;
    }
    double q_nom =
        o.nominal_capacity_C > 0.0 ? o.nominal_capacity_C : lmb_record_nominal_capacity(r);
    lmb_summary_set_nominal_capacity(a->sum, q_nom);
    lmb_summary_set_area(a->sum, o.area_m2 > 0.0 ? o.area_m2 : lmb_record_area(r));
    lmb_summary_set_active_mass(a->sum, o.active_mass_kg > 0.0 ? o.active_mass_kg
                                                               : lmb_record_active_mass(r));
    a->rest_A =
        o.rest_current_A > 0.0 ? o.rest_current_A : LMB_ANALYZE_REST_FRACTION * largest_current(r);
    pass p = {.ctx = ctx, .a = a, .cycle_start = o.cycle_start};
    if (!o.integrate_only) {
        p.counter[0] = lmb_record_column(r, LMB_REC_DISCHARGE_CAPACITY);
        p.counter[1] = lmb_record_column(r, LMB_REC_CHARGE_CAPACITY);
    }
    st = run_pass(&p, r);
    const int series = lmb_record_column(r, LMB_REC_TIME) && lmb_record_column(r, LMB_REC_VOLTAGE);
    if (st == LMB_OK && !series && a->n_sp == 0)
        st = lmb__ctx_fail(ctx, LMB_ENOTFOUND,
                           "%.400s: nothing to analyse: no time and voltage columns, and no "
                           "impedance spectrum",
                           lmb_record_path(r));
    if (st == LMB_OK && a->n_hc > 0) {
        a->half_q = malloc(a->n_hc * sizeof *a->half_q);
        if (!a->half_q)
            st = lmb__ctx_fail(ctx, LMB_ENOMEM, "out of memory analysing %.400s",
                               lmb_record_path(r));
        double ec = 0.0, qc = 0.0, ed = 0.0, qd = 0.0;
        for (size_t k = 0; a->half_q && k < a->n_hc; k++) {
            a->half_q[k] = a->hc[k].charge_C;
            if (a->hc[k].sign > 0) {
                ec += a->hc[k].energy_J;
                qc += a->hc[k].charge_C;
            } else {
                ed += a->hc[k].energy_J;
                qd += a->hc[k].charge_C;
            }
        }
        /* mean charging and discharging voltages of opposite sign: a symmetric cell */
        a->symmetric = qc > 0.0 && qd < 0.0 && (ec / qc) * (ed / qd) < 0.0;
    }
    if (st != LMB_OK) {
        lmb_analysis_free(a);
        return st;
    }
    *out = a;
    return LMB_OK;
}

void lmb_analysis_free(lmb_analysis *a) {
    if (!a)
        return;
    lmb_summary_free(a->sum);
    free(a->hc);
    free(a->half_q);
    free(a->sp);
    free(a);
}

const lmb_summary *lmb_analysis_summary(const lmb_analysis *a) {
    return a ? a->sum : NULL;
}

size_t lmb_analysis_half_cycle_count(const lmb_analysis *a) {
    return a ? a->n_hc : 0;
}

const lmb_half_cycle *lmb_analysis_half_cycle(const lmb_analysis *a, size_t i) {
    return a && i < a->n_hc ? &a->hc[i] : NULL;
}

size_t lmb_analysis_step_count(const lmb_analysis *a) {
    return a ? a->steps : 0;
}

double lmb_analysis_rest_current(const lmb_analysis *a) {
    return a ? a->rest_A : NAN;
}

int lmb_analysis_cycle_direction(const lmb_analysis *a) {
    return a ? a->dir : 0;
}

int lmb_analysis_is_symmetric(const lmb_analysis *a) {
    return a ? a->symmetric : 0;
}

size_t lmb_analysis_spectrum_count(const lmb_analysis *a) {
    return a ? a->n_sp : 0;
}

const lmb_record_spectrum *lmb_analysis_spectrum(const lmb_analysis *a, size_t i) {
    return a && i < a->n_sp ? &a->sp[i] : NULL;
}

size_t lmb_analysis_counted_steps(const lmb_analysis *a) {
    return a ? a->counted : 0;
}

double lmb_analysis_counter_mismatch(const lmb_analysis *a) {
    return a && a->q_cnt_sum > 0.0 ? (a->q_int_sum - a->q_cnt_sum) / a->q_cnt_sum : NAN;
}

const double *lmb_analysis_half_charges(const lmb_analysis *a, size_t *n) {
    if (n)
        *n = a ? a->n_hc : 0;
    return a ? a->half_q : NULL;
}
