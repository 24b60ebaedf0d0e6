/*
 * record_figures.c - the figures of a cycling record and its impedance spectra (report.h).
 */
#define _POSIX_C_SOURCE 200809L
#include "io/figure.h"
#include "io/report.h"
#include "io/text.h"

#include "lmb/symmetric.h"
#include "lmb/units.h"

#include "core/ctx_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void lmb__fig_list_free(lmb__fig_list *l) {
    free(l->items);
    *l = (lmb__fig_list){0};
}

static lmb_status add_item(lmb_ctx *ctx, lmb__fig_list *l, const char *base, const char *caption) {
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 8;
        lmb__fig_item *it = realloc(l->items, cap * sizeof *it);
        if (!it)
            LMB__FAIL(ctx, LMB_ENOMEM, "out of memory for the list of figures");
        l->items = it;
        l->cap = cap;
    }
    snprintf(l->items[l->n].base, sizeof l->items[0].base, "%s", base);
    snprintf(l->items[l->n].caption, sizeof l->items[0].caption, "%s", caption);
    l->n++;
    return LMB_OK;
}

/* ---- spectra ---- */

void lmb__spectra_free(lmb__spectra *s) {
    free(s->f);
    free(s->start);
    free(s->cycle);
    *s = (lmb__spectra){0};
}

/* Room for n points and m spectra (f, re, im in one block). */
static lmb_status spectra_alloc(lmb_ctx *ctx, lmb__spectra *s, size_t n, size_t m) {
    *s = (lmb__spectra){0};
    s->f = malloc((3 * n + 1) * sizeof *s->f);
    s->start = malloc((m + 1) * sizeof *s->start);
    s->cycle = malloc((m + 1) * sizeof *s->cycle);
    if (!s->f || !s->start || !s->cycle) {
        lmb__spectra_free(s);
        LMB__FAIL(ctx, LMB_ENOMEM, "out of memory for %zu impedance points", n);
    }
    s->re = s->f + n;
    s->im = s->f + 2 * n;
    return LMB_OK;
}

lmb_status lmb__spectra_of_record(lmb_ctx *ctx, const lmb_record *r, const lmb_analysis *a,
                                  lmb__spectra *out) {
    size_t m = lmb_analysis_spectrum_count(a), n = 0;
    for (size_t k = 0; k < m; k++)
        n += lmb_analysis_spectrum(a, k)->n;
    lmb_status st = spectra_alloc(ctx, out, n, m);
    if (st != LMB_OK)
        return st;
    const double *f = lmb_record_column(r, LMB_REC_FREQUENCY),
                 *re = lmb_record_column(r, LMB_REC_Z_RE), *im = lmb_record_column(r, LMB_REC_Z_IM);
    for (size_t k = 0; k < m && f && re && im; k++) {
        const lmb_record_spectrum *sp = lmb_analysis_spectrum(a, k);
        out->start[out->n_spec] = out->n;
        out->cycle[out->n_spec++] = sp->cycle;
        for (size_t i = sp->row_first; i < sp->row_first + sp->n; i++) {
            out->f[out->n] = f[i];
            out->re[out->n] = re[i];
            out->im[out->n++] = im[i];
        }
    }
    out->start[out->n_spec] = out->n;
    return LMB_OK;
}

lmb_status lmb__spectra_load_csv(lmb_ctx *ctx, const char *path, lmb__spectra *out) {
    char *buf = NULL;
    size_t len = 0;
    lmb_status st = lmb__read_whole_file(ctx, path, (size_t)1 << 30, "an eis.csv", &buf, &len);
    if (st != LMB_OK)
        return st;
    size_t lines = 0;
    for (size_t i = 0; i < len; i++)
        lines += buf[i] == '\n';
    st = spectra_alloc(ctx, out, lines + 1, lines + 1);
    char *pos = buf, *end = buf + len, *line = lmb__next_line(&pos, end);
    if (st == LMB_OK && (!line || strncmp(line, "spectrum,", 9) != 0))
        st = lmb__ctx_fail(ctx, LMB_EPARSE, "%.400s:1: not an eis.csv of lmb (spectrum,cycle,...)",
                           path);
    double last_id = NAN;
    for (size_t ln = 2; st == LMB_OK && (line = lmb__next_line(&pos, end)) != NULL; ln++) {
        if (*lmb__trim(line) == '\0')
            continue;
        char *fields[8];
        double v[7];
        int nf = lmb__split_at(line, ',', fields, 8);
        for (int k = 0; k < 7 && nf == 7; k++)
            if (!lmb__parse_number(fields[k], 0, &v[k]))
                nf = -1;
        if (nf != 7) {
            st = lmb__ctx_fail(ctx, LMB_EPARSE, "%.400s:%zu: not 7 numbers", path, ln);
            break;
        }
        if (v[0] != last_id) {
            out->start[out->n_spec] = out->n;
            out->cycle[out->n_spec++] = (int)v[1];
            last_id = v[0];
        }
        out->f[out->n] = v[4];
        out->re[out->n] = v[5];
        out->im[out->n++] = v[6];
    }
    free(buf);
    if (st != LMB_OK) {
        lmb__spectra_free(out);
        return st;
    }
    out->start[out->n_spec] = out->n;
    return LMB_OK;
}

/* ---- the figures ---- */

/* 1 if any of the n values is finite: a figure is drawn only with something to show. */
static int any_finite(const double *v, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (isfinite(v[i]))
            return 1;
    return 0;
}

/* Start and end [h] of cycle c (from 1) from the half cycles; NaN if it has none. */
static void cycle_window(const lmb_analysis *a, int c, double *t0, double *t1) {
    *t0 = INFINITY;
    *t1 = -INFINITY;
    for (size_t i = 0; i < lmb_analysis_half_cycle_count(a); i++) {
        const lmb_half_cycle *h = lmb_analysis_half_cycle(a, i);
        if (h->cycle != c)
            continue;
        *t0 = fmin(*t0, h->t_start_s / 3600.0);
        *t1 = fmax(*t1, h->t_end_s / 3600.0);
    }
}

static lmb_status voltage_figure(lmb_ctx *ctx, const char *base, const char *title,
                                 const lmb_record *r, const lmb_analysis *a, double *th,
                                 char *caption, size_t cap) {
    size_t n = lmb_record_rows(r);
    const double *t = lmb_record_column(r, LMB_REC_TIME),
                 *V = lmb_record_column(r, LMB_REC_VOLTAGE),
                 *f = lmb_record_column(r, LMB_REC_FREQUENCY);
    for (size_t i = 0; i < n; i++)
        th[i] = f && f[i] > 0.0 ? NAN : t[i] / 3600.0;
    lmb__series s = {.x = th, .y = V, .n = n};
    lmb__panel p[4] = {{.fig = {title, "time / h", "voltage / V", NULL, 0}, .s = &s, .ns = 1}};
    int nc = (int)lmb_summary_cycle_count(lmb_analysis_summary(a));
    if (nc < 6) {
        snprintf(caption, cap, "Voltage against time, the whole record.");
        return lmb__figure_panels(ctx, base, p, 1, 1);
    }
    /* zooms: the first two cycles, two in the middle, the last two */
    const lmb_summary *sum = lmb_analysis_summary(a);
    int first = lmb_summary_cycle(sum, 0)->cycle,
        last = lmb_summary_cycle(sum, (size_t)nc - 1)->cycle;
    int c0[3] = {first, (first + last) / 2, last - 1};
    static const char *const which[3] = {"early", "middle", "late"};
    char titles[3][64];
    for (int z = 0; z < 3; z++) {
        double a0, a1, b0, b1;
        cycle_window(a, c0[z], &a0, &a1);
        cycle_window(a, c0[z] + 1, &b0, &b1);
        snprintf(titles[z], sizeof titles[z], "cycles %d-%d (%s)", c0[z], c0[z] + 1, which[z]);
        p[z + 1] = (lmb__panel){.fig = {titles[z], "time / h", "voltage / V", NULL, 0},
                                .s = &s,
                                .ns = 1,
                                .x0 = fmin(a0, b0),
                                .x1 = fmax(a1, b1)};
    }
    snprintf(caption, cap,
             "Voltage against time: the whole record, and zooms of cycles %d-%d (early), %d-%d "
             "(middle) and %d-%d (late).",
             c0[0], c0[0] + 1, c0[1], c0[1] + 1, c0[2], c0[2] + 1);
    return lmb__figure_panels(ctx, base, p, 4, 2);
}

static lmb_status spectra_figure(lmb_ctx *ctx, const char *base, const char *title,
                                 const lmb__spectra *sp, char *caption, size_t cap) {
    if (sp->n_spec == 0)
        LMB__FAIL(ctx, LMB_EINVAL, "figure %.400s: no spectrum", base);
    size_t m = sp->n_spec, n = sp->n;
    double *buf = malloc((4 * n + 1) * sizeof *buf);
    lmb__series *s = calloc(m + 1, 3 * sizeof *s);
    if (!buf || !s) {
        free(buf);
        free(s);
        LMB__FAIL(ctx, LMB_ENOMEM, "out of memory for the figure %.400s", base);
    }
    double *mim = buf, *mag = buf + n, *ph = buf + 2 * n;
    double height = 0.0; /* the largest -Z'' of a spectrum, for stacking */
    for (size_t i = 0; i < n; i++) {
        mim[i] = -sp->im[i];
        mag[i] = hypot(sp->re[i], sp->im[i]);
        ph[i] = atan2(sp->im[i], sp->re[i]) * 180.0 / 3.14159265358979323846;
        height = fmax(height, mim[i]);
    }
    lmb_status st;
    if (m <= 2) { /* Nyquist + Bode */
        for (size_t k = 0; k < m; k++) {
            size_t i0 = sp->start[k], nk = sp->start[k + 1] - i0;
            s[k] = (lmb__series){sp->re + i0, mim + i0, nk, 1, 0, NULL, 0};
            s[m + k] = (lmb__series){sp->f + i0, mag + i0, nk, 1, 0, NULL, 0};
            s[2 * m + k] = (lmb__series){sp->f + i0, ph + i0, nk, 1, 0, NULL, 0};
        }
        lmb__panel p[3] = {
            {.fig = {title, "Z' / #gW", "-Z'' / #gW", NULL, 1}, .s = s, .ns = m},
            {.fig = {"Bode", "frequency / Hz", "|Z| / #gW", NULL, 0},
             .s = s + m,
             .ns = m,
             .logx = 1},
            {.fig = {"Bode", "frequency / Hz", "phase / degree", NULL, 0},
             .s = s + 2 * m,
             .ns = m,
             .logx = 1},
        };
        snprintf(caption, cap,
                 "Impedance: Nyquist plot (equal scales) and Bode plots of %zu spectrum%s.", m,
                 m > 1 ? "s" : "");
        st = lmb__figure_panels(ctx, base, p, 3, 2);
    } else { /* stacked Nyquist of at most MAX_STACKED spectra evenly spread over the record,
              * the j-th drawn raised by j times the tallest arc */
        enum { MAX_STACKED = 8 };
        size_t shown = m < MAX_STACKED ? m : MAX_STACKED;
        double *stack = buf + 3 * n;
        char labels[MAX_STACKED][32];
        for (size_t j = 0; j < shown; j++) {
            size_t k = shown > 1 ? j * (m - 1) / (shown - 1) : 0, i0 = sp->start[k];
            for (size_t i = i0; i < sp->start[k + 1]; i++)
                stack[i] = mim[i] + (double)j * 1.1 * height;
            snprintf(labels[j], sizeof labels[j], "#%zu, cycle %d", k + 1, sp->cycle[k]);
            s[shown - 1 - j] = (lmb__series){sp->re + i0, stack + i0, sp->start[k + 1] - i0, 0,
                                             0,           labels[j],  (int)(j % 6) + 1};
        }
        lmb__panel p = {
            .fig = {title, "Z' / #gW", "-Z'' + offset / #gW", NULL, 0}, .s = s, .ns = shown};
        snprintf(caption, cap,
                 "Stacked Nyquist plots: %zu of the %zu spectra, evenly spread from the first "
                 "(bottom) to the last (top), each raised by %.3g ohm above the one below; the "
                 "legend lists them top to bottom by number and cycle.",
                 shown, m, 1.1 * height);
        st = lmb__figure_panels(ctx, base, &p, 1, 1);
    }
    free(buf);
    free(s);
    return st;
}

lmb_status lmb__record_figures(lmb_ctx *ctx, const char *dir, const char *prefix, const char *title,
                               const lmb_record *r, const lmb_analysis *a,
                               const lmb__spectra *spectra, lmb__fig_list *list) {
    size_t n = lmb_record_rows(r), nh = lmb_analysis_half_cycle_count(a);
    const lmb_summary *sum = lmb_analysis_summary(a);
    size_t nc = lmb_summary_cycle_count(sum);
    double *buf = malloc((n + 6 * nc + 4 * nh + 1) * sizeof *buf);
    if (!buf)
        LMB__FAIL(ctx, LMB_ENOMEM, "out of memory for the figures of %.400s", lmb_record_path(r));
    char base[4200], caption[400];
    lmb_status st = LMB_OK;
    const double *t = lmb_record_column(r, LMB_REC_TIME),
                 *V = lmb_record_column(r, LMB_REC_VOLTAGE),
                 *f = lmb_record_column(r, LMB_REC_FREQUENCY);
    size_t n_series = 0;
    for (size_t i = 0; t && V && i < n; i++)
        n_series += !(f && f[i] > 0.0) && isfinite(t[i]) && isfinite(V[i]);
    if (n_series > 0) {
        snprintf(base, sizeof base, "%.3800s/%.100svoltage", dir, prefix);
        st = voltage_figure(ctx, base, title, r, a, buf, caption, sizeof caption);
        if (st == LMB_OK)
            st = add_item(ctx, list, base, caption);
    }
    if (st == LMB_OK && nh > 0 && nc > 0) { /* capacities and CE */
        double *cyc = buf, *qc = buf + nc, *qd = buf + 2 * nc, *ce = buf + 3 * nc;
        for (size_t i = 0; i < nc; i++) {
            const lmb_cycle_row *row = lmb_summary_cycle(sum, i);
            cyc[i] = row->cycle;
            qc[i] = row->charge_C > 0.0 ? row->charge_C * LMB_MAH_PER_C : NAN;
            qd[i] = row->discharge_C > 0.0 ? row->discharge_C * LMB_MAH_PER_C : NAN;
            ce[i] = lmb_cycle_coulombic_efficiency(row) * 100.0;
        }
        if (!any_finite(qc, nc) && !any_finite(qd, nc))
            goto no_capacity; /* only half cycles that passed no charge (one-row steps) */
        lmb__series s[3] = {{cyc, qc, nc, 1, 0, "charge", 1},
                            {cyc, qd, nc, 1, 0, "discharge", 2},
                            {cyc, ce, nc, 0, 1, "CE (right)", 3}};
        lmb__figure fig = {title, "cycle", "capacity / mAh", "coulombic efficiency / %", 0};
        snprintf(base, sizeof base, "%.3800s/%.100scapacity", dir, prefix);
        st = lmb__figure_write(ctx, base, &fig, s, 3);
        if (st == LMB_OK)
            st = add_item(ctx, list, base,
                          "Charge and discharge capacity (left) and coulombic efficiency (right, "
                          "returned over inserted charge) against cycle.");
    }
no_capacity:
    if (st == LMB_OK && lmb_analysis_is_symmetric(a) && nc > 0) { /* overpotential per cycle */
        double *cyc = buf, *eta = buf + nc;
        for (size_t i = 0; i < nc; i++) {
            cyc[i] = lmb_summary_cycle(sum, i)->cycle;
            eta[i] = lmb_cycle_overpotential(lmb_summary_cycle(sum, i)) * 1e3;
        }
        lmb__series s = {cyc, eta, nc, 0, 0, NULL, 1};
        lmb__figure fig = {title, "cycle", "overpotential / mV", NULL, 0};
        snprintf(base, sizeof base, "%.3800s/%.100soverpotential", dir, prefix);
        if (any_finite(eta, nc))
            st = lmb__figure_write(ctx, base, &fig, &s, 1);
        if (st == LMB_OK && any_finite(eta, nc))
            st = add_item(ctx, list, base,
                          "Overpotential against cycle: the charge-weighted mean |V| of each "
                          "cycle's two half cycles.");
    }
    if (st == LMB_OK && nh > 0 && !lmb_analysis_is_symmetric(a)) { /* rate capability */
        double *iq = buf, *q = buf + nh, imin = INFINITY, imax = 0.0;
        size_t k = 0;
        for (size_t i = 0; i < nh; i++) {
            const lmb_half_cycle *h = lmb_analysis_half_cycle(a, i);
            double dt = h->t_end_s - h->t_start_s;
            if (h->sign >= 0 || !(dt > 0.0))
                continue;
            iq[k] = fabs(h->charge_C) / dt * 1e3;
            q[k++] = fabs(h->charge_C) * LMB_MAH_PER_C;
            imin = fmin(imin, iq[k - 1]);
            imax = fmax(imax, iq[k - 1]);
        }
        if (k >= 2 && imax > 1.5 * imin) {
            lmb__series s = {iq, q, k, 1, 0, NULL, 2};
            lmb__panel p = {
                .fig = {title, "mean discharge current / mA", "discharge capacity / mAh", NULL, 0},
                .s = &s,
                .ns = 1,
                .logx = 1};
            snprintf(base, sizeof base, "%.3800s/%.100srate", dir, prefix);
            st = lmb__figure_panels(ctx, base, &p, 1, 1);
            if (st == LMB_OK)
                st = add_item(ctx, list, base,
                              "Rate capability: the capacity of every discharge against its "
                              "mean current (logarithmic axis).");
        }
    }
    if (st == LMB_OK && spectra && spectra->n_spec > 0) {
        snprintf(base, sizeof base, "%.3800s/%.100simpedance", dir, prefix);
        st = lmb__spectra_figure(ctx, base, title, spectra, list);
    }
    free(buf);
    return st;
}

lmb_status lmb__spectra_figure(lmb_ctx *ctx, const char *base, const char *title,
                               const lmb__spectra *sp, lmb__fig_list *list) {
    char caption[400];
    lmb_status st = spectra_figure(ctx, base, title, sp, caption, sizeof caption);
    return st == LMB_OK ? add_item(ctx, list, base, caption) : st;
}

/* ---- simulated against measured ---- */

/* Time since the first time-series row [h] of a record, NaN on impedance rows. */
static void hours_since_start(const lmb_record *r, double *th) {
    size_t n = lmb_record_rows(r);
    const double *t = lmb_record_column(r, LMB_REC_TIME),
                 *f = lmb_record_column(r, LMB_REC_FREQUENCY);
    double t0 = NAN;
    for (size_t i = 0; i < n; i++) {
        int series = t && isfinite(t[i]) && !(f && f[i] > 0.0);
        if (series && isnan(t0))
            t0 = t[i];
        th[i] = series ? (t[i] - t0) / 3600.0 : NAN;
    }
}

/* Per cycle of an analysis: cycle number, charge and discharge capacity [mAh], overpotential
 * [mV] into c, qc, qd, eta (nc entries each). */
static void per_cycle(const lmb_analysis *a, double *c, double *qc, double *qd, double *eta) {
    const lmb_summary *s = lmb_analysis_summary(a);
    for (size_t i = 0; i < lmb_summary_cycle_count(s); i++) {
        const lmb_cycle_row *row = lmb_summary_cycle(s, i);
        c[i] = row->cycle;
        qc[i] = row->charge_C > 0.0 ? row->charge_C * LMB_MAH_PER_C : NAN;
        qd[i] = row->discharge_C > 0.0 ? row->discharge_C * LMB_MAH_PER_C : NAN;
        eta[i] = lmb_cycle_overpotential(row) * 1e3;
    }
}

lmb_status lmb__overlay_figures(lmb_ctx *ctx, const char *dir, const char *title,
                                const lmb_record *meas, const lmb_analysis *am,
                                const lmb_record *sim, const lmb_analysis *as,
                                lmb__fig_list *list) {
    size_t nm = lmb_record_rows(meas), ns = lmb_record_rows(sim);
    size_t cm = lmb_summary_cycle_count(lmb_analysis_summary(am)),
           cs = lmb_summary_cycle_count(lmb_analysis_summary(as));
    double *buf = malloc((nm + ns + 4 * (cm + cs) + 1) * sizeof *buf);
    if (!buf)
        LMB__FAIL(ctx, LMB_ENOMEM, "out of memory for the comparison figures");
    double *tm = buf, *ts = buf + nm, *pc = buf + nm + ns;
    double *c_m = pc, *qc_m = pc + cm, *qd_m = pc + 2 * cm, *eta_m = pc + 3 * cm;
    double *c_s = pc + 4 * cm, *qc_s = c_s + cs, *qd_s = c_s + 2 * cs, *eta_s = c_s + 3 * cs;
    hours_since_start(meas, tm);
    hours_since_start(sim, ts);
    per_cycle(am, c_m, qc_m, qd_m, eta_m);
    per_cycle(as, c_s, qc_s, qd_s, eta_s);
    char base[4200];
    lmb_status st = LMB_OK;
    const double *vm = lmb_record_column(meas, LMB_REC_VOLTAGE),
                 *vs = lmb_record_column(sim, LMB_REC_VOLTAGE);
    if (vm && vs) {
        lmb__series s[2] = {{tm, vm, nm, 0, 0, "measured", 1}, {ts, vs, ns, 0, 0, "simulated", 2}};
        lmb__figure fig = {title, "time since the record's start / h", "voltage / V", NULL, 0};
        snprintf(base, sizeof base, "%.3800s/compare_voltage", dir);
        st = lmb__figure_write(ctx, base, &fig, s, 2);
        if (st == LMB_OK)
            st = add_item(ctx, list, base,
                          "Voltage against time since each record's first row: measured (red) "
                          "and simulated (blue).");
    }
    if (st == LMB_OK && cm > 0 && cs > 0) {
        lmb__series s[4] = {{c_m, qc_m, cm, 1, 0, "measured charge", 1},
                            {c_m, qd_m, cm, 1, 0, "measured discharge", 2},
                            {c_s, qc_s, cs, 0, 0, "simulated charge", 1},
                            {c_s, qd_s, cs, 0, 0, "simulated discharge", 2}};
        lmb__figure fig = {title, "cycle", "capacity / mAh", NULL, 0};
        snprintf(base, sizeof base, "%.3800s/compare_capacity", dir);
        st = lmb__figure_write(ctx, base, &fig, s, 4);
        if (st == LMB_OK)
            st = add_item(ctx, list, base,
                          "Charge and discharge capacity against cycle: measured (symbols) and "
                          "simulated (lines), each record cut by the same rules.");
    }
    if (st == LMB_OK && cm > 0 && cs > 0 && lmb_analysis_is_symmetric(am) &&
        lmb_analysis_is_symmetric(as)) {
        lmb__series s[2] = {{c_m, eta_m, cm, 1, 0, "measured", 1},
                            {c_s, eta_s, cs, 0, 0, "simulated", 2}};
        lmb__figure fig = {title, "cycle", "overpotential / mV", NULL, 0};
        snprintf(base, sizeof base, "%.3800s/compare_overpotential", dir);
        st = lmb__figure_write(ctx, base, &fig, s, 2);
        if (st == LMB_OK)
            st = add_item(ctx, list, base,
                          "Overpotential against cycle: measured (symbols) and simulated (line).");
    }
    free(buf);
    return st;
}
