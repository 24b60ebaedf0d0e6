/*
 * bdf_write.c - writing a time series as a Battery Data Format CSV.
 *
 * Battery Data Format (battery-data-alliance/battery-data-format): one header row of
 * "Quantity / unit" labels, then one row per sample. lmb writes the five required columns:
 *   Test Time / s, Voltage / V, Current / A, Step Count / 1, Cycle Count / 1
 * with the BDF sign convention (positive current charges the cell). Numbers use '.' and up
 * to 10 significant digits, enough to reproduce a step end to 1e-9 relative.
 *
 * The file is written to "<path>.tmp" and renamed over <path> only when complete, so a failed
 * write never destroys an earlier result.
 */
#include "lmb/sim.h"

#include "core/ctx_internal.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

lmb_status lmb_series_write_bdf(lmb_ctx *ctx, const lmb_series *s, const char *path) {
    char tmp[4096];
    if (snprintf(tmp, sizeof tmp, "%s.tmp", path) >= (int)sizeof tmp)
        LMB__FAIL(ctx, LMB_EINVAL, "%s: path too long", path);
    FILE *f = fopen(tmp, "w");
    if (!f)
        LMB__FAIL(ctx, LMB_EIO, "%s: cannot write: %s", tmp, strerror(errno));
    int bad =
        fprintf(f, "Test Time / s,Voltage / V,Current / A,Step Count / 1,Cycle Count / 1\n") < 0;
    for (size_t i = 0; i < s->n && !bad; i++)
        bad = fprintf(f, "%.10g,%.10g,%.10g,%d,%d\n", s->t_s[i], s->V[i], s->I_A[i], s->step[i],
                      s->cycle[i]) < 0;
    if (fclose(f) != 0)
        bad = 1;
    if (bad) {
        int e = errno;
        remove(tmp);
        LMB__FAIL(ctx, LMB_EIO, "%s: write failed: %s", path, strerror(e));
    }
    if (rename(tmp, path) != 0) {
        int e = errno;
        remove(tmp);
        LMB__FAIL(ctx, LMB_EIO, "%s: cannot rename %s into place: %s", path, tmp, strerror(e));
    }
    return LMB_OK;
}
