/*
 * eis_metrics.c - reading a spectrum's high-frequency arc without fitting (lmb/eis.h).
 *
 * The points are visited from the highest frequency down. The arc's apex is the first local
 * maximum of -Z'' that stands out by more than a threshold (0.5 % of the largest -Z''); its start
 * is the smallest -Z'' above the apex, its end the first local minimum below it that is deeper
 * than the threshold under the apex (else the lowest frequency). Widths are differences of Z'.
 * Like any no-fit reading it is biased where features overlap: the arc's end already contains
 * the start of the next feature's real part (about 1.6 % of R_SEI for an arc at 360 Hz next to a
 * diffusion feature with tau = 10 s; see tests/unit/test_eis_metrics.c).
 */
#include "lmb/eis.h"

#include "core/ctx_internal.h"

#include <math.h>
#include <stdlib.h>

#define LMB_ARC_PROMINENCE 0.005 /* fraction of max(-Z'') a local extremum must stand out by */

typedef struct pt {
    double f, re, mim; /* frequency, Z', -Z'' */
    size_t idx;
} pt;

static int by_freq_desc(const void *a, const void *b) {
    double x = ((const pt *)a)->f, y = ((const pt *)b)->f;
    return (x < y) - (x > y);
}

lmb_status lmb_eis_arc_metrics(lmb_ctx *ctx, const double *f_Hz, const double *Z_re,
                               const double *Z_im, size_t n, lmb_arc_metrics *out) {
    if (!f_Hz || !Z_re || !Z_im || !out || n < 3)
        LMB__FAIL(ctx, LMB_EINVAL, "arc metrics need at least 3 points (got %zu)", n);
    pt *p = malloc(n * sizeof *p);
    if (!p)
        LMB__FAIL(ctx, LMB_ENOMEM, "out of memory for %zu points", n);
    double top = 0.0;
    for (size_t i = 0; i < n; i++) {
        if (!(f_Hz[i] > 0.0) || !isfinite(f_Hz[i]) || !isfinite(Z_re[i]) || !isfinite(Z_im[i])) {
            free(p);
            LMB__FAIL(ctx, LMB_EINVAL, "point %zu: f = %g Hz, Z = %g %+g j ohm is not usable", i,
                      f_Hz[i], Z_re[i], Z_im[i]);
        }
        p[i] = (pt){f_Hz[i], Z_re[i], -Z_im[i], i};
        top = fmax(top, -Z_im[i]);
    }
    qsort(p, n, sizeof *p, by_freq_desc);
    const double thr = LMB_ARC_PROMINENCE * top;
    /* apex: first local maximum (from high frequency) higher than the lowest point before it by
     * more than the threshold and not followed by a higher point before a drop of thr */
    size_t apex = n, lo = 0;
    for (size_t i = 0; i < n; i++) {
        if (p[i].mim < p[lo].mim)
            lo = i;
        if (!(top > 0.0) || p[i].mim - p[lo].mim <= thr)
            continue;
        /* walk on while -Z'' still rises (within the threshold) */
        size_t j = i;
        for (size_t k = i + 1; k < n; k++) {
            if (p[k].mim > p[j].mim)
                j = k;
            else if (p[j].mim - p[k].mim > thr)
                break;
        }
        apex = j;
        break;
    }
    if (apex == n) {
        free(p);
        LMB__FAIL(ctx, LMB_ENOTFOUND, "no capacitive arc: -Z'' never rises by more than %g ohm",
                  thr);
    }
    size_t start = 0;
    for (size_t i = 0; i < apex; i++)
        if (p[i].mim < p[start].mim)
            start = i;
    /* an inductive tail above the arc: start where -Z'' crosses zero nearest to the apex */
    double R_hf = p[start].re;
    for (size_t i = apex; i-- > 0;)
        if (p[i].mim <= 0.0) {
            double w = p[i].mim / (p[i].mim - p[i + 1].mim); /* 0 at i, 1 at i + 1 */
            R_hf = p[i].re + w * (p[i + 1].re - p[i].re);
            start = p[i].mim == 0.0 || w < 0.5 ? i : i + 1;
            break;
        }
    /* end: the first local minimum after the apex that lies more than thr below the apex and
     * after which -Z'' rises again by more than thr */
    size_t end = n - 1, m = apex;
    out->end_found = 0;
    for (size_t k = apex + 1; k < n; k++) {
        if (p[k].mim < p[m].mim)
            m = k;
        else if (p[k].mim - p[m].mim > thr && p[apex].mim - p[m].mim > thr) {
            end = m;
            out->end_found = 1;
            break;
        }
    }
    out->R_hf = R_hf;
    out->R_SEI = p[end].re - R_hf;
    out->R_diff = p[n - 1].re - p[end].re;
    out->R_total = p[n - 1].re - R_hf;
    out->f_apex_Hz = p[apex].f;
    out->i_start = p[start].idx;
    out->i_apex = p[apex].idx;
    out->i_end = p[end].idx;
    free(p);
    return LMB_OK;
}
