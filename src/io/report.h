/*
 * report.h - the figures of a cycling record and the self-contained HTML reports of
 * `lmb analyze` and `lmb reproduce`.
 *
 * lmb__record_figures draws what a record shows (figure.h): voltage against time with zoomed
 * panels of early, middle and late cycles; capacities and CE against cycle on two axes;
 * overpotential against cycle (symmetric cells); rate capability (discharge capacity against
 * mean current, when the record has several rates); and its impedance spectra: Nyquist + Bode
 * for one or two, stacked Nyquist plots for more.
 *
 * The HTML report is one file a browser opens offline: inline CSS, every figure an inline SVG in
 * <figure class="lmb-figure" id="fig-..."> with a <figcaption>, <body data-figures="N">, and one
 * inline script that checks on load that every figure drew (non-empty box, more than 5 drawn
 * elements) into body data-figures-ok / data-figures-bad / data-checked and counts script errors
 * in data-js-errors (tests/cli/test_report.sh reads them in headless Chromium). No network.
 */
#ifndef LMB_IO_REPORT_H
#define LMB_IO_REPORT_H

#include <stddef.h>

#include "lmb/analyze.h"
#include "lmb/ctx.h"
#include "lmb/record.h"

/* The figures drawn, for a report: base path (without .svg/.png) and caption each. */
typedef struct lmb__fig_item {
    char base[4200];
    char caption[400];
} lmb__fig_item;

typedef struct lmb__fig_list {
    lmb__fig_item *items;
    size_t n, cap;
} lmb__fig_list;

void lmb__fig_list_free(lmb__fig_list *l);

/*
 * Measured or simulated impedance spectra: n points, spectrum k is rows start[k] .. start[k+1]-1;
 * cycle[k] the cycle it belongs to.
 */
typedef struct lmb__spectra {
    double *f, *re, *im;
    size_t n;
    size_t *start; /* n_spec + 1 entries */
    int *cycle;
    size_t n_spec;
} lmb__spectra;

void lmb__spectra_free(lmb__spectra *s);

/* The spectra of a record (rows with f > 0, split as lmb/analyze.h does). */
lmb_status lmb__spectra_of_record(lmb_ctx *ctx, const lmb_record *r, const lmb_analysis *a,
                                  lmb__spectra *out);

/* The spectra of an eis.csv that lmb wrote (lmb_eis_writer: spectrum, cycle, step, time_s,
 * frequency_Hz, Z_re_ohm, Z_im_ohm). */
lmb_status lmb__spectra_load_csv(lmb_ctx *ctx, const char *path, lmb__spectra *out);

/*
 * Draws the figures of a record and its analysis into dir as <prefix>voltage.svg/.png and so on
 * (prefix may be ""), titled title, and appends them to list. spectra may be NULL. A figure that
 * cannot be drawn is an error (the list keeps those drawn before it).
 */
lmb_status lmb__record_figures(lmb_ctx *ctx, const char *dir, const char *prefix, const char *title,
                               const lmb_record *r, const lmb_analysis *a,
                               const lmb__spectra *spectra, lmb__fig_list *list);

/* Draws BASE.svg/.png of spectra (Nyquist + Bode for one or two, stacked Nyquist for more) and
 * appends it to list. */
lmb_status lmb__spectra_figure(lmb_ctx *ctx, const char *base, const char *title,
                               const lmb__spectra *sp, lmb__fig_list *list);

/*
 * Simulated against measured: draws into dir compare_voltage (voltage against time since each
 * record's start), compare_capacity (capacities against cycle, measured as symbols, simulated as
 * lines) and, for two symmetric cells, compare_overpotential; appends them to list.
 */
lmb_status lmb__overlay_figures(lmb_ctx *ctx, const char *dir, const char *title,
                                const lmb_record *meas, const lmb_analysis *am,
                                const lmb_record *sim, const lmb_analysis *as, lmb__fig_list *list);

/* ---- the HTML writer ---- */

typedef struct lmb__report lmb__report;

/* Starts path (written atomically when the report ends) with a title. */
lmb_status lmb__report_open(lmb_ctx *ctx, const char *path, const char *title, lmb__report **out);
/* HTML-escaped text: a heading (level 2 or 3), a paragraph. */
void lmb__report_heading(lmb__report *rp, int level, const char *text);
void lmb__report_paragraph(lmb__report *rp, const char *text);
/* Raw HTML (the caller escapes). */
void lmb__report_raw(lmb__report *rp, const char *html);
/* A grid of columns for figures side by side; figures added until grid_end fill it. */
void lmb__report_grid_begin(lmb__report *rp, int columns);
void lmb__report_grid_end(lmb__report *rp);
/* Embeds <base>.svg inline as a figure with its caption; an SVG that cannot be read is an error. */
lmb_status lmb__report_figure(lmb_ctx *ctx, lmb__report *rp, const lmb__fig_item *fig);
/* Finishes and writes the file; frees rp. ok = 0 discards it. */
lmb_status lmb__report_close(lmb_ctx *ctx, lmb__report *rp, int ok);

/* The report of `lmb analyze` of one record: the record, the cut, the cycle table, the figures. */
lmb_status lmb__report_analysis(lmb_ctx *ctx, const char *path, const lmb_record *r,
                                const lmb_analysis *a, const lmb__fig_list *figs);

/*
 * The report of `lmb reproduce`: reads DIR/comparison.json and each experiment's directory
 * (timeseries.bdf.csv, eis.csv), draws their figures and writes DIR/report.html: the comparison
 * table and a parity plot, then every experiment, bare and coated side by side.
 */
lmb_status lmb__report_reproduce(lmb_ctx *ctx, const char *dir);

#endif
