/*
 * eis_figure.c - Nyquist and Bode figures (eis_figure.h) with PLplot's cairo SVG driver.
 *
 * Style: white background, black axes and labels with units, measured points as red circles,
 * the fit as a blue line; the Nyquist plot has equal scales on both axes (an arc stays a
 * circle), the Bode plot two panels on a logarithmic frequency axis.
 */
#define _POSIX_C_SOURCE 200809L
#include "io/eis_figure.h"

#include "core/ctx_internal.h"

#include <math.h>
#include <plplot.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define DEG_PER_RAD (180.0 / 3.14159265358979323846)
#define COL_BG      0
#define COL_AXES    15
#define COL_DATA    1
#define COL_FIT     9

/* Starts one figure in path (SVG or PNG by its extension) with the house colours. */
static void begin(const char *path, int panels) {
    size_t len = strlen(path);
    plsdev(len > 4 && !strcmp(path + len - 4, ".png") ? "pngcairo" : "svgcairo");
    plsfnam(path);
    plsetopt("geometry", panels > 1 ? "640x720" : "640x560");
    plscol0(COL_BG, 255, 255, 255);
    plscol0(COL_AXES, 0, 0, 0);
    plscol0(COL_DATA, 200, 30, 30);
    plscol0(COL_FIT, 30, 60, 200);
    plssub(1, panels);
    plinit();
    plschr(0.0, 0.9);
}

static void range(const double *a, size_t n, const double *b, size_t m, double *lo, double *hi) {
    *lo = INFINITY;
    *hi = -INFINITY;
    for (size_t i = 0; i < n; i++) {
        *lo = fmin(*lo, a[i]);
        *hi = fmax(*hi, a[i]);
    }
    for (size_t i = 0; b && i < m; i++) {
        *lo = fmin(*lo, b[i]);
        *hi = fmax(*hi, b[i]);
    }
    double pad = 0.05 * (*hi - *lo > 0.0 ? *hi - *lo : fmax(fabs(*hi), 1.0));
    *lo -= pad;
    *hi += pad;
}

/* A panel: axes (axis as plenv's), labels, points and line. */
static void panel(int axis, int just, const double *x, const double *y, size_t n, const double *fx,
                  const double *fy, size_t m, const char *xl, const char *yl, const char *title) {
    double x0, x1, y0, y1;
    range(x, n, fx, m, &x0, &x1);
    range(y, n, fy, m, &y0, &y1);
    plcol0(COL_AXES);
    plenv(x0, x1, y0, y1, just, axis);
    pllab(xl, yl, title);
    plcol0(COL_DATA);
    plpoin((PLINT)n, x, y, 4);
    if (fx && m > 1) {
        plcol0(COL_FIT);
        plwidth(2.0);
        plline((PLINT)m, fx, fy);
        plwidth(1.0);
    }
}

static const char *const k_ext[2] = {"svg", "png"};

static int file_ok(const char *path) {
    struct stat st;
    return stat(path, &st) == 0 && st.st_size > 0;
}

lmb_status lmb__eis_figures(lmb_ctx *ctx, const char *dir, size_t k, const char *title,
                            const double *f, const double *Z_re, const double *Z_im, size_t n,
                            const double *fit_f, const double *fit_re, const double *fit_im,
                            size_t m) {
    if (n < 1 || !f || !Z_re || !Z_im)
        LMB__FAIL(ctx, LMB_EINVAL, "figure: no points");
    size_t cap = n > m ? n : m;
    double *buf = malloc(6 * cap * sizeof *buf);
    if (!buf)
        LMB__FAIL(ctx, LMB_ENOMEM, "out of memory for a figure");
    double *x = buf, *y = buf + cap, *z = buf + 2 * cap;
    double *fx = buf + 3 * cap, *fy = buf + 4 * cap, *fz = buf + 5 * cap;
    for (size_t i = 0; i < n; i++)
        if (!(f[i] > 0.0) || !isfinite(f[i]) || !isfinite(Z_re[i]) || !isfinite(Z_im[i])) {
            free(buf);
            LMB__FAIL(ctx, LMB_EINVAL, "figure: point %zu is not finite", i + 1);
        }
    const int has_fit = fit_f && fit_re && fit_im && m > 1;
    char path[4200];
    /* Nyquist: -Z'' against Z', the same scale on both axes */
    for (size_t i = 0; i < n; i++) {
        x[i] = Z_re[i];
        y[i] = -Z_im[i];
    }
    for (size_t i = 0; has_fit && i < m; i++) {
        fx[i] = fit_re[i];
        fy[i] = -fit_im[i];
    }
    int ok = 1;
    for (int e = 0; e < 2; e++) {
        snprintf(path, sizeof path, "%s/nyquist_%zu.%s", dir, k, k_ext[e]);
        begin(path, 1);
        panel(0, 1, x, y, n, has_fit ? fx : NULL, fy, m, "Z' / #gW", "-Z'' / #gW", title);
        plend();
        ok = ok && file_ok(path);
    }
    /* Bode: |Z| and the phase against log10 f; |Z| on a log axis when it spans a decade (a
     * log axis is labelled at decades only) */
    double zmin = INFINITY, zmax = 0.0;
    for (size_t i = 0; i < n; i++) {
        zmin = fmin(zmin, hypot(Z_re[i], Z_im[i]));
        zmax = fmax(zmax, hypot(Z_re[i], Z_im[i]));
    }
    const int log_z = zmin > 0.0 && zmax / zmin >= 10.0;
    for (size_t i = 0; i < n; i++) {
        x[i] = log10(f[i]);
        y[i] = log_z ? log10(hypot(Z_re[i], Z_im[i])) : hypot(Z_re[i], Z_im[i]);
        z[i] = atan2(Z_im[i], Z_re[i]) * DEG_PER_RAD;
    }
    for (size_t i = 0; has_fit && i < m; i++) {
        fx[i] = log10(fit_f[i]);
        fy[i] = log_z ? log10(hypot(fit_re[i], fit_im[i])) : hypot(fit_re[i], fit_im[i]);
        fz[i] = atan2(fit_im[i], fit_re[i]) * DEG_PER_RAD;
    }
    for (int e = 0; e < 2; e++) {
        snprintf(path, sizeof path, "%s/bode_%zu.%s", dir, k, k_ext[e]);
        begin(path, 2);
        panel(log_z ? 30 : 10, 0, x, y, n, has_fit ? fx : NULL, fy, m, "frequency / Hz",
              "|Z| / #gW", title);
        panel(10, 0, x, z, n, has_fit ? fx : NULL, fz, m, "frequency / Hz", "phase / degree", "");
        plend();
        ok = ok && file_ok(path);
    }
    free(buf);
    if (!ok)
        LMB__FAIL(ctx, LMB_EIO, "%s: the figures could not be written", dir);
    return LMB_OK;
}
