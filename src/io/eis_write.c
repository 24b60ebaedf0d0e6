/*
 * eis_write.c - impedance spectra as CSV (lmb/sim.h: lmb_eis_writer).
 *
 * One row per frequency; spectra are numbered from 1 in the order written. Frequencies and
 * impedances carry 10 significant digits. Beside it, one row per spectrum with the study's
 * no-fit arc reading (lmb/eis.h) in <path without .csv>_metrics.csv:
 *   spectrum,cycle,step,time_s,R_hf_ohm,R_SEI_ohm,R_diff_ohm,R_total_ohm,f_apex_Hz,arc_end
 * (arc_end: "minimum" or "lowest frequency", see lmb_arc_metrics.end_found)
 * (empty fields for a spectrum without a capacitive arc). Both files are written
 * complete-or-nothing (io/atomic.h).
 */
#include "lmb/sim.h"

#include "core/ctx_internal.h"
#include "io/atomic.h"
#include "io/eis_internal.h"
#include "lmb/eis.h"

#include <math.h>

#include <stdlib.h>
#include <string.h>

struct lmb_eis_writer {
    lmb__atomic_file af, metrics;
    int failed;
    int spectra;
    double *r_sei; /* [ohm] the arc width of each spectrum written (NaN: no arc), cap entries */
    int cap;
};

double lmb__eis_writer_r_sei(const lmb_eis_writer *w, int i) {
    return w && i >= 0 && i < w->spectra && w->r_sei ? w->r_sei[i] : NAN;
}

lmb_status lmb_eis_writer_open(lmb_ctx *ctx, const char *path, lmb_eis_writer **out) {
    *out = NULL;
    lmb_eis_writer *w = calloc(1, sizeof *w);
    if (!w)
        LMB__FAIL(ctx, LMB_ENOMEM, "out of memory opening %s", path);
    char mpath[4096];
    size_t len = strlen(path);
    int ext = len > 4 && strcmp(path + len - 4, ".csv") == 0;
    if (snprintf(mpath, sizeof mpath, "%.*s_metrics.csv", (int)(ext ? len - 4 : len), path) >=
        (int)sizeof mpath) {
        free(w);
        LMB__FAIL(ctx, LMB_EINVAL, "%.200s...: path too long", path);
    }
    lmb_status st = lmb__atomic_open(ctx, &w->af, path);
    if (st == LMB_OK && (st = lmb__atomic_open(ctx, &w->metrics, mpath)) != LMB_OK)
        lmb__atomic_commit(NULL, &w->af, 0);
    if (st != LMB_OK) {
        free(w);
        return st;
    }
    w->failed = fputs("spectrum,cycle,step,time_s,frequency_Hz,Z_re_ohm,Z_im_ohm\n", w->af.f) < 0 ||
                fputs("spectrum,cycle,step,time_s,R_hf_ohm,R_SEI_ohm,R_diff_ohm,R_total_ohm,"
                      "f_apex_Hz,arc_end\n",
                      w->metrics.f) < 0;
    *out = w;
    return LMB_OK;
}

lmb_status lmb_eis_writer_append(lmb_ctx *ctx, lmb_eis_writer *w, int cycle, int step, double t_s,
                                 size_t n, const double *f_Hz, const double *Z_re,
                                 const double *Z_im) {
    if (w->spectra >= w->cap) {
        int cap = w->cap ? 2 * w->cap : 64;
        double *r = realloc(w->r_sei, (size_t)cap * sizeof *r);
        if (!r)
            LMB__FAIL(ctx, LMB_ENOMEM, "out of memory for %d spectra", cap);
        w->r_sei = r;
        w->cap = cap;
    }
    w->r_sei[w->spectra] = NAN;
    w->spectra++;
    for (size_t k = 0; k < n && !w->failed; k++)
        w->failed = fprintf(w->af.f, "%d,%d,%d,%.15g,%.10g,%.10g,%.10g\n", w->spectra, cycle, step,
                            t_s, f_Hz[k], Z_re[k], Z_im[k]) < 0;
    lmb_arc_metrics m;
    if (!w->failed && n >= 3 && lmb_eis_arc_metrics(NULL, f_Hz, Z_re, Z_im, n, &m) == LMB_OK) {
        w->r_sei[w->spectra - 1] = m.R_SEI;
        w->failed =
            fprintf(w->metrics.f, "%d,%d,%d,%.15g,%.10g,%.10g,%.10g,%.10g,%.10g\n", w->spectra,
                    cycle, step, t_s, m.R_hf, m.R_SEI, m.R_diff, m.R_total, m.f_apex_Hz) < 0;
    } else if (!w->failed)
        w->failed =
            fprintf(w->metrics.f, "%d,%d,%d,%.15g,,,,,,\n", w->spectra, cycle, step, t_s) < 0;
    if (w->failed)
        LMB__FAIL(ctx, LMB_EIO, "%s: write failed", w->af.path);
    return LMB_OK;
}

lmb_status lmb_eis_writer_close(lmb_ctx *ctx, lmb_eis_writer *w) {
    if (!w)
        return LMB_OK;
    lmb_status st = lmb__atomic_commit(ctx, &w->af, !w->failed);
    lmb_status st2 = lmb__atomic_commit(st == LMB_OK ? ctx : NULL, &w->metrics, !w->failed);
    free(w->r_sei);
    free(w);
    return st != LMB_OK ? st : st2;
}

int lmb_eis_writer_spectra(const lmb_eis_writer *w) {
    return w->spectra;
}
