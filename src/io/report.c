/*
 * report.c - the self-contained HTML reports of `lmb analyze` and `lmb reproduce` (report.h).
 *
 * The page is written into memory and to disk at the end, atomically. Figures are the SVG files
 * figure.c wrote, embedded inline: PLplot's cairo SVGs name their glyphs and clip paths with the
 * same ids in every file ("glyph0-1", "clip1"), so each embedded copy gets its ids prefixed with
 * its figure number, or the browser would draw every figure's text with the first one's glyphs.
 */
#define _POSIX_C_SOURCE 200809L
#include "io/report.h"

#include "lmb/lmb.h"

#include "core/ctx_internal.h"
#include "io/atomic.h"
#include "io/figure.h"
#include "io/text.h"

#include <cjson/cJSON.h>

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct lmb__report {
    char path[4200];
    char *html;
    size_t n, cap;
    int failed, figures;
};

/* ---- the page buffer ---- */

static void put_n(lmb__report *rp, const char *s, size_t len) {
    if (rp->failed)
        return;
    if (rp->n + len + 1 > rp->cap) {
        size_t cap = rp->cap ? rp->cap : 1 << 16;
        while (cap < rp->n + len + 1)
            cap *= 2;
        char *h = realloc(rp->html, cap);
        if (!h) {
            rp->failed = 1;
            return;
        }
        rp->html = h;
        rp->cap = cap;
    }
    memcpy(rp->html + rp->n, s, len);
    rp->n += len;
    rp->html[rp->n] = '\0';
}

static void put(lmb__report *rp, const char *s) {
    put_n(rp, s, strlen(s));
}

static void putf(lmb__report *rp, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
static void putf(lmb__report *rp, const char *fmt, ...) {
    char buf[2048];
    va_list ap;
    va_start(ap, fmt);
    int len = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    put_n(rp, buf, len < 0 ? 0 : (size_t)len < sizeof buf ? (size_t)len : sizeof buf - 1);
}

/* Text with &, <, >, " escaped. */
static void put_text(lmb__report *rp, const char *s) {
    for (; s && *s; s++) {
        switch (*s) {
        case '&':
            put(rp, "&amp;");
            break;
        case '<':
            put(rp, "&lt;");
            break;
        case '>':
            put(rp, "&gt;");
            break;
        case '"':
            put(rp, "&quot;");
            break;
        default:
            put_n(rp, s, 1);
        }
    }
}

/* The check every report runs on load (report.h; tests/cli/test_report.sh reads its result). */
static const char k_script[] =
    "<script>\n"
    "(function () {\n"
    "  var errors = 0;\n"
    "  window.onerror = function () { errors++; document.body.dataset.jsErrors = errors; };\n"
    "  window.addEventListener('load', function () {\n"
    "    var ok = 0, bad = [];\n"
    "    document.querySelectorAll('figure.lmb-figure').forEach(function (f) {\n"
    "      var svg = f.querySelector('svg'), box = svg ? svg.getBoundingClientRect() : null;\n"
    "      var drawn = svg ? svg.querySelectorAll('path, line, polyline, rect, text, use').length"
    " : 0;\n"
    "      if (box && box.width > 0 && box.height > 0 && drawn > 5) ok++; else bad.push(f.id);\n"
    "    });\n"
    "    document.body.dataset.figuresOk = ok;\n"
    "    document.body.dataset.figuresBad = bad.join(' ');\n"
    "    document.body.dataset.checked = '1';\n"
    "  });\n"
    "})();\n"
    "</script>\n";

static const char k_style[] =
    "<style>\n"
    "body { font-family: 'DejaVu Sans', Arial, sans-serif; margin: 2em auto; max-width: 1400px;"
    " color: #111; padding: 0 1em; }\n"
    "h1 { font-size: 1.5em; } h2 { font-size: 1.25em; border-bottom: 1px solid #bbb;"
    " padding-bottom: 0.2em; margin-top: 2em; } h3 { font-size: 1.05em; }\n"
    "table { border-collapse: collapse; font-size: 0.85em; margin: 1em 0; }\n"
    "th, td { border: 1px solid #ccc; padding: 0.25em 0.6em; text-align: right; }\n"
    "th { background: #f0f0f0; } td.l, th.l { text-align: left; }\n"
    "tr.out td { background: #fde8e8; }\n"
    ".grid { display: grid; gap: 1.5em; align-items: start; }\n"
    ".cols1 { grid-template-columns: 1fr; } .cols2 { grid-template-columns: 1fr 1fr; }\n"
    "figure.lmb-figure { margin: 0 0 1em 0; }\n"
    "figure.lmb-figure svg { width: 100%; height: auto; display: block; }\n"
    "figcaption { font-size: 0.85em; color: #333; margin-top: 0.3em; }\n"
    ".note { font-size: 0.85em; color: #444; }\n"
    "</style>\n";

lmb_status lmb__report_open(lmb_ctx *ctx, const char *path, const char *title, lmb__report **out) {
    lmb__report *rp = calloc(1, sizeof *rp);
    if (!rp)
        LMB__FAIL(ctx, LMB_ENOMEM, "out of memory for the report %.400s", path);
    snprintf(rp->path, sizeof rp->path, "%s", path);
    put(rp, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>");
    put_text(rp, title);
    put(rp, "</title>\n");
    put(rp, k_style);
    put(rp, "</head>\n<body data-figures=\"@@FIGURES@@\">\n<h1>");
    put_text(rp, title);
    putf(rp,
         "</h1>\n<p class=\"note\">Written by lmb %s. Every number and figure on this page "
         "comes from the model or from the data named; nothing is loaded from the "
         "network.</p>\n",
         lmb_version());
    *out = rp;
    return LMB_OK;
}

void lmb__report_heading(lmb__report *rp, int level, const char *text) {
    putf(rp, "<h%d>", level);
    put_text(rp, text);
    putf(rp, "</h%d>\n", level);
}

void lmb__report_paragraph(lmb__report *rp, const char *text) {
    put(rp, "<p>");
    put_text(rp, text);
    put(rp, "</p>\n");
}

void lmb__report_raw(lmb__report *rp, const char *html) {
    put(rp, html);
}

void lmb__report_grid_begin(lmb__report *rp, int columns) {
    putf(rp, "<div class=\"grid cols%d\">\n", columns == 2 ? 2 : 1);
}

void lmb__report_grid_end(lmb__report *rp) {
    put(rp, "</div>\n");
}

/* Copies an SVG from its <svg element on, with ids and references to them prefixed. */
static void put_svg(lmb__report *rp, const char *svg, int k) {
    char prefix[32];
    snprintf(prefix, sizeof prefix, "f%d-", k);
    static const char *const marks[] = {"id=\"", "href=\"#", "url(#"};
    const char *p = svg;
    while (*p) {
        const char *next = NULL;
        size_t mlen = 0;
        for (size_t m = 0; m < 3; m++) {
            const char *q = strstr(p, marks[m]);
            if (q && (!next || q < next)) {
                next = q;
                mlen = strlen(marks[m]);
            }
        }
        if (!next) {
            put(rp, p);
            break;
        }
        put_n(rp, p, (size_t)(next - p) + mlen);
        put(rp, prefix);
        p = next + mlen;
    }
}

lmb_status lmb__report_figure(lmb_ctx *ctx, lmb__report *rp, const lmb__fig_item *fig) {
    char path[4300];
    snprintf(path, sizeof path, "%.4200s.svg", fig->base);
    char *svg = NULL;
    size_t len = 0;
    lmb_status st = lmb__read_whole_file(ctx, path, (size_t)64 << 20, "an SVG figure", &svg, &len);
    if (st != LMB_OK)
        return st;
    const char *start = strstr(svg, "<svg");
    if (!start) {
        free(svg);
        LMB__FAIL(ctx, LMB_EPARSE, "%.400s: no <svg> element", path);
    }
    int k = ++rp->figures;
    /* id: fig-<directory>-<file>, readable in a test's message ("fig-li-li-bare-1mA-voltage") */
    const char *name = strrchr(fig->base, '/');
    const char *parent = name;
    while (parent && parent > fig->base && parent[-1] != '/')
        parent--;
    char id[300];
    snprintf(id, sizeof id, "fig-%.*s%s%.100s", parent && name ? (int)(name - parent) : 0,
             parent ? parent : "", parent && name && name > parent ? "-" : "",
             name ? name + 1 : fig->base);
    for (char *c = id; *c; c++)
        if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
              *c == '-' || *c == '_'))
            *c = '_';
    put(rp, "<figure class=\"lmb-figure\" id=\"");
    put(rp, id);
    put(rp, "\" data-file=\"");
    put_text(rp, name ? name + 1 : fig->base);
    put(rp, ".svg\">\n");
    put_svg(rp, start, k);
    put(rp, "\n<figcaption>");
    put_text(rp, fig->caption);
    put(rp, "</figcaption>\n</figure>\n");
    free(svg);
    return LMB_OK;
}

lmb_status lmb__report_close(lmb_ctx *ctx, lmb__report *rp, int ok) {
    if (!rp)
        return LMB_OK;
    put(rp, k_script);
    put(rp, "</body>\n</html>\n");
    lmb_status st = LMB_OK;
    if (rp->failed) {
        st = lmb__ctx_fail(ctx, LMB_ENOMEM, "out of memory writing %.400s", rp->path);
    } else if (ok) {
        char count[32];
        snprintf(count, sizeof count, "%d", rp->figures);
        char *mark = strstr(rp->html, "@@FIGURES@@");
        lmb__atomic_file af;
        st = lmb__atomic_open(ctx, &af, rp->path);
        if (st == LMB_OK) {
            size_t head = mark ? (size_t)(mark - rp->html) : rp->n;
            int w = fwrite(rp->html, 1, head, af.f) == head;
            if (mark) {
                const char *rest = mark + strlen("@@FIGURES@@");
                w = w && fputs(count, af.f) >= 0 && fputs(rest, af.f) >= 0;
            }
            st = lmb__atomic_commit(ctx, &af, w);
        }
    }
    free(rp->html);
    free(rp);
    return st;
}

/* ---- the cycle table ---- */

static void put_num(lmb__report *rp, double v, const char *fmt) {
    if (isfinite(v))
        putf(rp, fmt, v);
    else
        put(rp, "&ndash;");
}

/* The cycle table: every cycle, or the first and last ten of a long record. */
static void put_cycles(lmb__report *rp, const lmb_summary *s) {
    size_t n = lmb_summary_cycle_count(s);
    if (n == 0)
        return;
    put(rp, "<table>\n<tr><th>cycle</th><th>charge / mAh</th><th>discharge / mAh</th>"
            "<th>CE / %</th><th>mean charge V / V</th><th>mean discharge V / V</th>"
            "<th>retention / %</th><th>end / h</th></tr>\n");
    for (size_t i = 0; i < n; i++) {
        if (n > 24 && i == 10) {
            putf(rp, "<tr><td class=\"l\" colspan=\"8\">&hellip; %zu cycles &hellip;</td></tr>\n",
                 n - 20);
            i = n - 10;
        }
        const lmb_cycle_row *r = lmb_summary_cycle(s, i);
        putf(rp, "<tr><td>%d</td><td>", r->cycle);
        put_num(rp, r->charge_C * LMB_MAH_PER_C, "%.5g");
        put(rp, "</td><td>");
        put_num(rp, r->discharge_C * LMB_MAH_PER_C, "%.5g");
        put(rp, "</td><td>");
        put_num(rp, 100.0 * lmb_cycle_coulombic_efficiency(r), "%.3f");
        put(rp, "</td><td>");
        put_num(rp, lmb_cycle_mean_charge_voltage(r), "%.4f");
        put(rp, "</td><td>");
        put_num(rp, lmb_cycle_mean_discharge_voltage(r), "%.4f");
        put(rp, "</td><td>");
        put_num(rp, 100.0 * lmb_summary_retention(s, i), "%.2f");
        put(rp, "</td><td>");
        put_num(rp, r->time_end_s / 3600.0, "%.3f");
        put(rp, "</td></tr>\n");
    }
    put(rp, "</table>\n");
}

lmb_status lmb__report_analysis(lmb_ctx *ctx, const char *path, const lmb_record *r,
                                const lmb_analysis *a, const lmb__fig_list *figs) {
    lmb__report *rp = NULL;
    char title[600];
    const char *name = strrchr(lmb_record_path(r), '/');
    snprintf(title, sizeof title, "lmb analyze: %.500s", name ? name + 1 : lmb_record_path(r));
    lmb_status st = lmb__report_open(ctx, path, title, &rp);
    if (st != LMB_OK)
        return st;
    lmb__report_heading(rp, 2, "Record");
    put(rp, "<table>\n<tr><th class=\"l\">file</th><td class=\"l\">");
    put_text(rp, lmb_record_path(r));
    put(rp, "</td></tr>\n<tr><th class=\"l\">format</th><td class=\"l\">");
    put_text(rp, lmb_record_format(r));
    putf(rp, "</td></tr>\n<tr><th class=\"l\">rows</th><td class=\"l\">%zu</td></tr>\n",
         lmb_record_rows(r));
    putf(rp,
         "<tr><th class=\"l\">cut</th><td class=\"l\">%zu steps, %zu half cycles, %zu cycles, "
         "%zu spectra; rest below %.3g A</td></tr>\n",
         lmb_analysis_step_count(a), lmb_analysis_half_cycle_count(a),
         lmb_summary_cycle_count(lmb_analysis_summary(a)), lmb_analysis_spectrum_count(a),
         lmb_analysis_rest_current(a));
    double mm = lmb_analysis_counter_mismatch(a);
    if (isfinite(mm))
        putf(rp,
             "<tr><th class=\"l\">charge</th><td class=\"l\">%zu steps from the instrument's "
             "capacity counters; the integral of the current column differs by %+.2f %%</td>"
             "</tr>\n",
             lmb_analysis_counted_steps(a), 100.0 * mm);
    put(rp, "</table>\n");
    if (lmb_record_note_count(r) > 0) {
        put(rp, "<ul class=\"note\">\n");
        for (size_t i = 0; i < lmb_record_note_count(r); i++) {
            put(rp, "<li>");
            put_text(rp, lmb_record_note(r, i));
            put(rp, "</li>\n");
        }
        put(rp, "</ul>\n");
    }
    lmb_symmetric_metrics sm;
    if (lmb_analysis_is_symmetric(a) &&
        lmb_symmetric_metrics_compute(ctx, lmb_analysis_summary(a), LMB_SYMMETRIC_RISE_FRACTION,
                                      &sm) == LMB_OK) {
        lmb__report_heading(rp, 2, "Symmetric cell");
        putf(rp,
             "<p>Overpotential %.1f mV in cycle 1, %.1f mV at its smallest, %.1f mV in the last "
             "complete cycle; ",
             1e3 * sm.eta_initial_V, 1e3 * sm.eta_min_V, 1e3 * sm.eta_last_V);
        if (sm.rise_cycle)
            putf(rp, "rises by %.0f %% in cycle %d (%.1f h); ", 100 * LMB_SYMMETRIC_RISE_FRACTION,
                 sm.rise_cycle, sm.rise_onset_s / 3600.0);
        if (sm.short_cycle)
            putf(rp, "short in cycle %d (%.1f h).</p>\n", sm.short_cycle, sm.short_s / 3600.0);
        else
            put(rp, "no short.</p>\n");
    }
    if (lmb_summary_cycle_count(lmb_analysis_summary(a)) > 0) {
        lmb__report_heading(rp, 2, "Cycles");
        put_cycles(rp, lmb_analysis_summary(a));
    }
    lmb__report_heading(rp, 2, "Figures");
    lmb__report_grid_begin(rp, 2);
    for (size_t i = 0; i < figs->n && st == LMB_OK; i++)
        st = lmb__report_figure(ctx, rp, &figs->items[i]);
    lmb__report_grid_end(rp);
    lmb_status cst = lmb__report_close(ctx, rp, st == LMB_OK);
    return st != LMB_OK ? st : cst;
}

/* ---- the reproduce report ---- */

/* The figures of one experiment's directory, appended to list. */
static lmb_status experiment_figures(lmb_ctx *ctx, const char *dir, const char *label,
                                     lmb__fig_list *list) {
    char path[4300];
    snprintf(path, sizeof path, "%.4000s/timeseries.bdf.csv", dir);
    lmb_record *r = NULL;
    lmb_analysis *a = NULL;
    lmb__spectra sp = {0};
    lmb_status st = lmb_record_load(ctx, path, &r);
    if (st == LMB_OK)
        st = lmb_record_analyze(ctx, r, NULL, &a);
    snprintf(path, sizeof path, "%.4000s/eis.csv", dir);
    FILE *probe = st == LMB_OK ? fopen(path, "r") : NULL;
    int has_eis = probe != NULL;
    if (probe)
        fclose(probe);
    if (st == LMB_OK && has_eis)
        st = lmb__spectra_load_csv(ctx, path, &sp);
    if (st == LMB_OK)
        st = lmb__record_figures(ctx, dir, "", label, r, a, has_eis ? &sp : NULL, list);
    lmb__spectra_free(&sp);
    /* the spectra measured while cycling (operando EIS) */
    snprintf(path, sizeof path, "%.4000s/eis_cycling.csv", dir);
    probe = st == LMB_OK ? fopen(path, "r") : NULL;
    if (probe) {
        fclose(probe);
        st = lmb__spectra_load_csv(ctx, path, &sp);
        char base[4300], title[300];
        snprintf(base, sizeof base, "%.4000s/impedance_cycling", dir);
        snprintf(title, sizeof title, "%.200s, while cycling", label);
        if (st == LMB_OK)
            st = lmb__spectra_figure(ctx, base, title, &sp, list);
        lmb__spectra_free(&sp);
    }
    lmb_analysis_free(a);
    lmb_record_free(r);
    return st;
}

static const char k_table_head[] =
    "<table>\n<tr><th class=\"l\">experiment</th><th class=\"l\">quantity</th>"
    "<th>unit</th><th>measured</th><th>simulated</th><th>relative error</th>"
    "<th class=\"l\">kind</th></tr>\n";

/* One row of the comparison table. */
static void put_row(lmb__report *rp, const cJSON *o) {
    const cJSON *m = cJSON_GetObjectItem(o, "measured"), *s = cJSON_GetObjectItem(o, "simulated"),
                *e = cJSON_GetObjectItem(o, "relative_error"),
                *w = cJSON_GetObjectItem(o, "within_tolerance");
    const char *kind = cJSON_GetStringValue(cJSON_GetObjectItem(o, "kind"));
    int out = cJSON_IsFalse(w) && kind && !strcmp(kind, "calibration");
    put(rp, out ? "<tr class=\"out\"><td class=\"l\">" : "<tr><td class=\"l\">");
    put_text(rp, cJSON_GetStringValue(cJSON_GetObjectItem(o, "experiment")));
    put(rp, "</td><td class=\"l\">");
    put_text(rp, cJSON_GetStringValue(cJSON_GetObjectItem(o, "quantity")));
    put(rp, "</td><td>");
    put_text(rp, cJSON_GetStringValue(cJSON_GetObjectItem(o, "unit")));
    put(rp, "</td><td>");
    put_num(rp, cJSON_IsNumber(m) ? m->valuedouble : NAN, "%.4g");
    put(rp, "</td><td>");
    put_num(rp, cJSON_IsNumber(s) ? s->valuedouble : NAN, "%.4g");
    put(rp, "</td><td>");
    put_num(rp, cJSON_IsNumber(e) ? 100.0 * e->valuedouble : NAN, "%+.1f %%");
    put(rp, "</td><td class=\"l\">");
    put_text(rp, kind ? kind : "");
    put(rp, "</td></tr>\n");
}

static int is_prediction(const cJSON *o) {
    const char *kind = cJSON_GetStringValue(cJSON_GetObjectItem(o, "kind"));
    return !kind || !strcmp(kind, "prediction");
}

/* The comparison table (rows with a measured value; out of tolerance shaded), the predictions
 * in a collapsed table, and the parity plot of the compared rows. */
static lmb_status put_comparison(lmb_ctx *ctx, lmb__report *rp, const cJSON *rows,
                                 const char *dir) {
    int n = cJSON_GetArraySize(rows), np = 0, n_pred = 0;
    double *xy = malloc((2 * (size_t)n + 2) * sizeof *xy);
    if (!xy)
        LMB__FAIL(ctx, LMB_ENOMEM, "out of memory for the comparison");
    put(rp, k_table_head);
    for (int i = 0; i < n; i++) {
        const cJSON *o = cJSON_GetArrayItem(rows, i);
        if (is_prediction(o)) {
            n_pred++;
            continue;
        }
        put_row(rp, o);
        const cJSON *m = cJSON_GetObjectItem(o, "measured"),
                    *s = cJSON_GetObjectItem(o, "simulated");
        if (cJSON_IsNumber(m) && cJSON_IsNumber(s) && m->valuedouble > 0.0) {
            xy[np] = m->valuedouble;
            xy[n + 1 + np++] = 100.0 * s->valuedouble / m->valuedouble;
        }
    }
    put(rp, "</table>\n");
    putf(rp,
         "<details><summary>Predictions: %d simulated values without a measured one "
         "(click to open)</summary>\n",
         n_pred);
    put(rp, k_table_head);
    for (int i = 0; i < n; i++)
        if (is_prediction(cJSON_GetArrayItem(rows, i)))
            put_row(rp, cJSON_GetArrayItem(rows, i));
    put(rp, "</table>\n</details>\n");
    lmb_status st = LMB_OK;
    if (np > 0) {
        double line_x[2] = {INFINITY, -INFINITY}, line_y[2] = {100.0, 100.0};
        for (int i = 0; i < np; i++) {
            line_x[0] = fmin(line_x[0], xy[i]);
            line_x[1] = fmax(line_x[1], xy[i]);
        }
        lmb__series s[2] = {{line_x, line_y, 2, 0, 0, "simulated = measured", 4},
                            {xy, xy + n + 1, (size_t)np, 1, 0, "calibration and reported", 1}};
        lmb__panel p = {.fig = {"simulated against measured", "measured value (its own unit)",
                                "simulated / measured / %", NULL, 0},
                        .s = s,
                        .ns = 2,
                        .logx = 1};
        lmb__fig_item it;
        snprintf(it.base, sizeof it.base, "%.4000s/comparison", dir);
        snprintf(it.caption, sizeof it.caption,
                 "Simulated over measured value of each of the %d compared quantities of the "
                 "table above (overpotentials, resistances, times, efficiencies, capacities), "
                 "against the measured value on a logarithmic axis; 100 %% is agreement.",
                 np);
        st = lmb__figure_panels(ctx, it.base, &p, 1, 1);
        if (st == LMB_OK) {
            lmb__report_grid_begin(rp, 2);
            st = lmb__report_figure(ctx, rp, &it);
            lmb__report_grid_end(rp);
        }
    }
    free(xy);
    return st;
}

lmb_status lmb__report_reproduce(lmb_ctx *ctx, const char *dir) {
    char path[4300];
    snprintf(path, sizeof path, "%.4000s/comparison.json", dir);
    char *text = NULL;
    size_t len = 0;
    lmb_status st = lmb__read_whole_file(ctx, path, (size_t)64 << 20, "a comparison", &text, &len);
    if (st != LMB_OK)
        return st;
    cJSON *root = cJSON_Parse(text);
    free(text);
    const cJSON *exps = cJSON_GetObjectItem(root, "experiments"),
                *rows = cJSON_GetObjectItem(root, "rows");
    if (!cJSON_IsArray(exps) || !cJSON_IsArray(rows)) {
        cJSON_Delete(root);
        LMB__FAIL(ctx, LMB_EPARSE, "%.400s: no experiments and rows (not lmb's comparison.json)",
                  path);
    }
    snprintf(path, sizeof path, "%.4000s/report.html", dir);
    lmb__report *rp = NULL;
    st = lmb__report_open(ctx, path, "lmb reproduce: the reference study, simulated", &rp);
    if (st != LMB_OK) {
        cJSON_Delete(root);
        return st;
    }
    const char *study = cJSON_GetStringValue(cJSON_GetObjectItem(root, "study"));
    lmb__report_paragraph(rp, study ? study : "");
    lmb__report_heading(rp, 2, "Comparison with the measured values");
    lmb__report_paragraph(rp, "Calibration rows were fitted (docs/calibration.md); reported rows "
                              "are shown beside a measured value but not fitted; predictions "
                              "use the same parameters and have no measured value here.");
    st = put_comparison(ctx, rp, rows, dir);
    lmb__report_heading(rp, 2, "Experiments");
    lmb__report_paragraph(rp, "Each experiment as simulated, bare Li (left) and the coated "
                              "anode (right) side by side where the campaign has both.");
    int n = cJSON_GetArraySize(exps);
    for (int k = 0; k < n && st == LMB_OK; k += 2) { /* the campaign lists pairs in order */
        lmb__report_grid_begin(rp, 2);
        for (int j = k; j < k + 2 && j < n && st == LMB_OK; j++) {
            const cJSON *e = cJSON_GetArrayItem(exps, j);
            const char *name = cJSON_GetStringValue(cJSON_GetObjectItem(e, "name"));
            const char *label = cJSON_GetStringValue(cJSON_GetObjectItem(e, "label"));
            put(rp, "<div>\n");
            lmb__report_heading(rp, 3, label ? label : name ? name : "?");
            if (!name || !cJSON_IsTrue(cJSON_GetObjectItem(e, "ran"))) {
                lmb__report_paragraph(rp, "This experiment did not run (see the log).");
                put(rp, "</div>\n");
                continue;
            }
            char edir[4300];
            snprintf(edir, sizeof edir, "%.4000s/%.200s", dir, name);
            lmb__fig_list figs = {0};
            st = experiment_figures(ctx, edir, name, &figs);
            for (size_t i = 0; i < figs.n && st == LMB_OK; i++)
                st = lmb__report_figure(ctx, rp, &figs.items[i]);
            lmb__fig_list_free(&figs);
            put(rp, "</div>\n");
        }
        lmb__report_grid_end(rp);
    }
    cJSON_Delete(root);
    lmb_status cst = lmb__report_close(ctx, rp, st == LMB_OK);
    return st != LMB_OK ? st : cst;
}
