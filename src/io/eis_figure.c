/*
 * eis_figure.c - Nyquist and Bode figures of `lmb eis fit -o` (eis_figure.h), drawn by the
 * figures module (figure.h) in its house style: measured points as symbols in the first colour,
 * the fit as a line in the second; the Nyquist plot has equal scales on both axes (an arc stays
 * a circle), the Bode plot two panels on a logarithmic frequency axis, |Z| on a log axis.
 */
#define _POSIX_C_SOURCE 200809L
#include "io/eis_figure.h"

#include "core/ctx_internal.h"
#include "io/figure.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#define DEG_PER_RAD (180.0 / 3.14159265358979323846)

lmb_status lmb__eis_figures(lmb_ctx *ctx, const char *dir, size_t k, const char *title,
                            const double *f, const double *Z_re, const double *Z_im, size_t n,
                            const double *fit_f, const double *fit_re, const double *fit_im,
                            size_t m) {
    if (n < 1 || !f || !Z_re || !Z_im)
        LMB__FAIL(ctx, LMB_EINVAL, "figure: no points");
    for (size_t i = 0; i < n; i++)
        if (!(f[i] > 0.0) || !isfinite(f[i]) || !isfinite(Z_re[i]) || !isfinite(Z_im[i]))
            LMB__FAIL(ctx, LMB_EINVAL, "figure: point %zu is not finite", i + 1);
    const int has_fit = fit_f && fit_re && fit_im && m > 1;
    size_t cap = n + (has_fit ? m : 0);
    double *buf = malloc((3 * cap + 1) * sizeof *buf);
    if (!buf)
        LMB__FAIL(ctx, LMB_ENOMEM, "out of memory for a figure");
    double *mim = buf, *mag = buf + cap, *ph = buf + 2 * cap;
    for (size_t i = 0; i < cap; i++) {
        double re = i < n ? Z_re[i] : fit_re[i - n], im = i < n ? Z_im[i] : fit_im[i - n];
        mim[i] = -im;
        mag[i] = hypot(re, im);
        ph[i] = atan2(im, re) * DEG_PER_RAD;
    }
    /* the measured points as symbols (colour 1), the fit as a line (colour 2) */
    lmb__series s[6] = {
        {Z_re, mim, n, 1, 0, "data", 1}, {fit_re, mim + n, has_fit ? m : 0, 0, 0, "fit", 2},
        {f, mag, n, 1, 0, NULL, 1},      {fit_f, mag + n, has_fit ? m : 0, 0, 0, NULL, 2},
        {f, ph, n, 1, 0, NULL, 1},       {fit_f, ph + n, has_fit ? m : 0, 0, 0, NULL, 2},
    };
    size_t ns = has_fit ? 2 : 1;
    /* |Z| on a log axis when it spans a decade: a log axis is labelled at decades only */
    double zmin = INFINITY, zmax = 0.0;
    for (size_t i = 0; i < n; i++) {
        zmin = fmin(zmin, mag[i]);
        zmax = fmax(zmax, mag[i]);
    }
    lmb__panel nyq = {.fig = {title, "Z' / #gW", "-Z'' / #gW", NULL, 1}, .s = s, .ns = ns};
    lmb__panel bode[2] = {
        {.fig = {title, "frequency / Hz", "|Z| / #gW", NULL, 0},
         .s = s + 2,
         .ns = ns,
         .logx = 1,
         .logy = zmin > 0.0 && zmax >= 10.0 * zmin},
        {.fig = {"", "frequency / Hz", "phase / degree", NULL, 0}, .s = s + 4, .ns = ns, .logx = 1},
    };
    char base[4200];
    snprintf(base, sizeof base, "%.4000s/nyquist_%zu", dir, k);
    lmb_status st = lmb__figure_panels(ctx, base, &nyq, 1, 1);
    snprintf(base, sizeof base, "%.4000s/bode_%zu", dir, k);
    if (st == LMB_OK)
        st = lmb__figure_panels(ctx, base, bode, 2, 1);
    free(buf);
    return st;
}
