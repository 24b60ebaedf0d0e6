/*
 * eis_write.c - impedance spectra as CSV (lmb/sim.h: lmb_eis_writer).
 *
 * One row per frequency; spectra are numbered from 1 in the order written. Frequencies and
 * impedances carry 10 significant digits. Written complete-or-nothing (io/atomic.h).
 */
#include "lmb/sim.h"

#include "core/ctx_internal.h"
#include "io/atomic.h"

#include <stdlib.h>

struct lmb_eis_writer {
    lmb__atomic_file af;
    int failed;
    int spectra;
};

lmb_status lmb_eis_writer_open(lmb_ctx *ctx, const char *path, lmb_eis_writer **out) {
    *out = NULL;
    lmb_eis_writer *w = calloc(1, sizeof *w);
    if (!w)
        LMB__FAIL(ctx, LMB_ENOMEM, "out of memory opening %s", path);
    lmb_status st = lmb__atomic_open(ctx, &w->af, path);
    if (st != LMB_OK) {
        free(w);
        return st;
    }
    w->failed = fputs("spectrum,cycle,step,time_s,frequency_Hz,Z_re_ohm,Z_im_ohm\n", w->af.f) < 0;
    *out = w;
    return LMB_OK;
}

lmb_status lmb_eis_writer_append(lmb_ctx *ctx, lmb_eis_writer *w, int cycle, int step, double t_s,
                                 size_t n, const double *f_Hz, const double *Z_re,
                                 const double *Z_im) {
    w->spectra++;
    for (size_t k = 0; k < n && !w->failed; k++)
        w->failed = fprintf(w->af.f, "%d,%d,%d,%.15g,%.10g,%.10g,%.10g\n", w->spectra, cycle, step,
                            t_s, f_Hz[k], Z_re[k], Z_im[k]) < 0;
    if (w->failed)
        LMB__FAIL(ctx, LMB_EIO, "%s: write failed", w->af.path);
    return LMB_OK;
}

lmb_status lmb_eis_writer_close(lmb_ctx *ctx, lmb_eis_writer *w) {
    if (!w)
        return LMB_OK;
    lmb_status st = lmb__atomic_commit(ctx, &w->af, !w->failed);
    free(w);
    return st;
}

int lmb_eis_writer_spectra(const lmb_eis_writer *w) {
    return w->spectra;
}
