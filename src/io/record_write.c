/*
 * record_write.c - a measured record written as Battery Data Format CSV (lmb_record_write_bdf).
 *
 * One header row of BDF preferred labels (lmb_record_label), the record's present columns in
 * lmb_rec_col order, one row per record row; values converted from lmb's SI units to the
 * labels' units. BDF requires time, voltage and current: a record without one of them (an
 * impedance spectrum alone, an export of time and voltage only) is refused. Time columns get 15
 * significant digits (1e-8 s resolution at 1e7 s), the others 10. A value the file left empty (NaN)
 * is an empty field. The file is written complete-or-nothing (io/atomic.h).
 */
#include "lmb/record.h"

#include "core/ctx_internal.h"
#include "io/atomic.h"

#include <math.h>

lmb_status lmb_record_write_bdf(lmb_ctx *ctx, const lmb_record *r, const char *path) {
    if (!r || !path)
        LMB__FAIL(ctx, LMB_EINVAL, "lmb_record_write_bdf: NULL argument");
    const double *col[LMB_REC_N_COLS];
    int cols[LMB_REC_N_COLS], nc = 0;
    for (int c = 0; c < LMB_REC_N_COLS; c++) {
        col[c] = lmb_record_column(r, (lmb_rec_col)c);
        if (col[c])
            cols[nc++] = c;
    }
    static const lmb_rec_col required[] = {LMB_REC_TIME, LMB_REC_VOLTAGE, LMB_REC_CURRENT};
    for (size_t k = 0; k < 3; k++)
        if (!col[required[k]])
            LMB__FAIL(ctx, LMB_EINVAL,
                      "%.400s: the record has no %s column, which Battery Data Format requires "
                      "(with time, voltage and current)",
                      lmb_record_path(r), lmb_record_label(required[k]));
    lmb__atomic_file af;
    lmb_status st = lmb__atomic_open(ctx, &af, path);
    if (st != LMB_OK)
        return st;
    int ok = 1;
    for (int k = 0; k < nc && ok; k++)
        ok = fprintf(af.f, "%s%s", k ? "," : "", lmb_record_label((lmb_rec_col)cols[k])) >= 0;
    ok = ok && fputc('\n', af.f) != EOF;
    for (size_t i = 0; i < lmb_record_rows(r) && ok; i++) {
        for (int k = 0; k < nc && ok; k++) {
            lmb_rec_col c = (lmb_rec_col)cols[k];
            double v = col[c][i];
            if (k)
                ok = fputc(',', af.f) != EOF;
            if (ok && isfinite(v)) {
                v = v * lmb_record_bdf_scale(c) + lmb_record_bdf_offset(c);
                int time = c == LMB_REC_TIME || c == LMB_REC_UNIX_TIME;
                ok = fprintf(af.f, time ? "%.15g" : "%.10g", v) >= 0;
            }
        }
        ok = ok && fputc('\n', af.f) != EOF;
    }
    return lmb__atomic_commit(ctx, &af, ok);
}
