/*
 * bdf_write.c - writing a time series as a Battery Data Format CSV.
 *
 * Battery Data Format (battery-data-alliance/battery-data-format): one header row of
 * "Quantity / unit" labels, then one row per sample. lmb writes the five required columns:
 *   Test Time / s, Voltage / V, Current / A, Step Count / 1, Cycle Count / 1
 * with the BDF sign convention (positive current charges the cell). Numbers use '.'; time has
 * 15 significant digits (a 1 s step at t = 1e7 s keeps 1e-8 s resolution), voltage and current
 * 10, below any solver tolerance.
 *
 * Files are written complete-or-nothing (io/atomic.h). Long runs stream: a writer is opened
 * once, rows are appended step by step and the simulation's record is cleared, so memory stays
 * bounded however many cycles are run.
 */
#include "lmb/sim.h"

#include "core/ctx_internal.h"
#include "io/atomic.h"

#include <stdlib.h>

#define BDF_HEADER "Test Time / s,Voltage / V,Current / A,Step Count / 1,Cycle Count / 1\n"

struct lmb_bdf_writer {
    lmb__atomic_file af;
    int failed;
    size_t rows;
};

static int write_rows(FILE *f, const lmb_series *s) {
    for (size_t i = 0; i < s->n; i++)
        if (fprintf(f, "%.15g,%.10g,%.10g,%d,%d\n", s->t_s[i], s->V[i], s->I_A[i], s->step[i],
                    s->cycle[i]) < 0)
            return -1;
    return 0;
}

lmb_status lmb_series_write_bdf(lmb_ctx *ctx, const lmb_series *s, const char *path) {
    lmb__atomic_file af;
    lmb_status st = lmb__atomic_open(ctx, &af, path);
    if (st != LMB_OK)
        return st;
    int ok = fputs(BDF_HEADER, af.f) >= 0 && write_rows(af.f, s) == 0;
    return lmb__atomic_commit(ctx, &af, ok);
}

lmb_status lmb_bdf_writer_open(lmb_ctx *ctx, const char *path, lmb_bdf_writer **out) {
    *out = NULL;
    lmb_bdf_writer *w = calloc(1, sizeof *w);
    if (!w)
        LMB__FAIL(ctx, LMB_ENOMEM, "out of memory opening %s", path);
    lmb_status st = lmb__atomic_open(ctx, &w->af, path);
    if (st != LMB_OK) {
        free(w);
        return st;
    }
    w->failed = fputs(BDF_HEADER, w->af.f) < 0;
    *out = w;
    return LMB_OK;
}

lmb_status lmb_bdf_writer_append(lmb_ctx *ctx, lmb_bdf_writer *w, const lmb_series *s) {
    if (!w->failed && write_rows(w->af.f, s) != 0)
        w->failed = 1;
    if (w->failed)
        LMB__FAIL(ctx, LMB_EIO, "%s: write failed", w->af.path);
    w->rows += s->n;
    return LMB_OK;
}

lmb_status lmb_bdf_writer_close(lmb_ctx *ctx, lmb_bdf_writer *w) {
    if (!w)
        return LMB_OK;
    lmb_status st = lmb__atomic_commit(ctx, &w->af, !w->failed);
    free(w);
    return st;
}

size_t lmb_bdf_writer_rows(const lmb_bdf_writer *w) {
    return w->rows;
}
